package persons_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/colourchange"
	"github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/health"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/persons"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/stats"
	"github.com/mashang/mashang/stats/statstest"
	"github.com/mashang/mashang/validate"
)

var t0 = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// clock is a settable Now.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time      { return c.t }
func (c *clock) Add(d time.Duration) { c.t = c.t.Add(d) }

func newService(t *testing.T, db *database.DB) (*persons.Service, *clock) {
	t.Helper()
	box, err := pii.NewBox(pii.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: t0}
	// Issue 12: the registrations rollups are kept, and checked against a
	// recount of the persons after every test.
	t.Cleanup(func() { statstest.MustVerify(t, db.Client) })
	return &persons.Service{Client: db.Client, Box: box, Now: c.Now, Rollups: &stats.Rollups{Dialect: db.Dialect}}, c
}

// residentID builds a valid GB 11643 number from 17 digits.
func residentID(t *testing.T, first17 string) string {
	t.Helper()
	d, err := validate.ResidentIDCheckDigit(first17)
	if err != nil {
		t.Fatal(err)
	}
	return first17 + string(d)
}

// wrongCheck replaces the check digit by a wrong one.
func wrongCheck(id string) string {
	last := id[17]
	bad := byte('0')
	if last == '0' {
		bad = '1'
	}
	return id[:17] + string(bad)
}

func wantCode(t *testing.T, err error, code, field string) {
	t.Helper()
	var e *mashang.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v, want %s", err, code)
	}
	if e.Code != code || (field != "" && e.Field != field) {
		t.Fatalf("error %s/%s %q, want %s/%s", e.Code, e.Field, e.Message, code, field)
	}
}

func register(t *testing.T, s *persons.Service, idSeed string) *ent.Person {
	t.Helper()
	p, err := s.Register(context.Background(), persons.RegisterInput{Name: "张三丰", IDType: "RESIDENT_ID", IDNumber: residentID(t, idSeed)})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func colourChanges(t *testing.T, c *ent.Client, personID int) []*ent.ColourChange {
	t.Helper()
	ccs, err := c.ColourChange.Query().Where(colourchange.PersonID(personID)).Order(ent.Asc(colourchange.FieldID)).All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ccs
}

func TestRegister(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		tree := apitest.NewTree(t, db.Client)
		tree.Add("", "22", "吉林省")
		city := tree.Add("22", "2201", "长春市")

		id := residentID(t, "22010419900307123")
		p, err := s.Register(ctx, persons.RegisterInput{Name: " 张三丰 ", IDType: "RESIDENT_ID", IDNumber: strings.ToLower(id), Phone: "+86 138-0013-8000", ResidenceRegionID: city.ID})
		if err != nil {
			t.Fatal(err)
		}
		if p.Colour != scenario.ColourGreen || p.RuleVersion != 1 || p.Risk != person.RiskNONE {
			t.Errorf("colour %s v%d risk %s, want GREEN v1 NONE", p.Colour, p.RuleVersion, p.Risk)
		}
		if p.NameMasked != "张**" || p.IDNumberMasked != pii.MaskID(id) || p.PhoneMasked == nil || *p.PhoneMasked != "138****8000" {
			t.Errorf("masks %q %q %v", p.NameMasked, p.IDNumberMasked, p.PhoneMasked)
		}
		if p.ResidencePath != city.Path || p.ResidenceRegionID == nil || *p.ResidenceRegionID != city.ID {
			t.Errorf("residence %v %q, want %d %q", p.ResidenceRegionID, p.ResidencePath, city.ID, city.Path)
		}
		if plain, err := s.Box.Open(pii.FieldIDNumber, p.IDNumberSealed); err != nil || plain != id {
			t.Errorf("sealed ID opens to %q, %v", plain, err)
		}
		if p.IDNumberHash != s.DocumentHash("RESIDENT_ID", id) {
			t.Error("hash is not over id_type:number")
		}

		// sealed columns hold no plain ID or phone (raw SQL, both dialects)
		var sealed, hash, phone []byte
		if err := db.SQL.QueryRowContext(ctx, `SELECT id_number_sealed, id_number_hash, phone_sealed FROM persons WHERE id = $1`, p.ID).Scan(&sealed, &hash, &phone); err != nil {
			t.Fatal(err)
		}
		for name, col := range map[string][]byte{"id_number_sealed": sealed, "id_number_hash": hash, "phone_sealed": phone} {
			if len(col) == 0 || strings.Contains(string(col), id) || strings.Contains(string(col), id[6:14]) || strings.Contains(string(col), "13800138000") {
				t.Errorf("%s holds plain data or nothing: %q", name, col)
			}
		}

		// duplicate document → CONFLICT, without the plain number in the message
		_, err = s.Register(ctx, persons.RegisterInput{Name: "李四", IDType: "RESIDENT_ID", IDNumber: id})
		wantCode(t, err, mashang.ECONFLICT, "idNumber")
		if !strings.Contains(err.Error(), "already registered") || strings.Contains(err.Error(), id) {
			t.Errorf("conflict message %q", err)
		}

		// wrong check digit → INVALID_INPUT idNumber
		_, err = s.Register(ctx, persons.RegisterInput{Name: "王五", IDType: "RESIDENT_ID", IDNumber: wrongCheck(residentID(t, "22010419851111002"))})
		wantCode(t, err, mashang.EINVALID, "idNumber")
		if !strings.Contains(err.Error(), "check digit") {
			t.Errorf("message %q does not name the check digit", err)
		}
		_, err = s.Register(ctx, persons.RegisterInput{Name: "王五", IDType: "RESIDENT_ID", IDNumber: residentID(t, "22010419901332123")})
		wantCode(t, err, mashang.EINVALID, "idNumber")
		if strings.Contains(err.Error(), "19901332") {
			t.Errorf("message %q echoes the birth date", err)
		}
		_, err = s.Register(ctx, persons.RegisterInput{Name: "王五", IDType: "RESIDENT_ID", IDNumber: "E12345678"})
		wantCode(t, err, mashang.EINVALID, "idNumber")

		// passport: format only, upper-cased; same characters as another type is another document
		pp, err := s.Register(ctx, persons.RegisterInput{Name: "John Smith", IDType: "PASSPORT", IDNumber: "e1234 5678"})
		if err != nil {
			t.Fatal(err)
		}
		if plain, _ := s.Box.Open(pii.FieldIDNumber, pp.IDNumberSealed); plain != "E12345678" {
			t.Errorf("passport stored as %q", plain)
		}
		if pp.PhoneSealed != nil || pp.PhoneMasked != nil {
			t.Error("phone set without a phone")
		}
		_, err = s.Register(ctx, persons.RegisterInput{Name: "John Smith", IDType: "PASSPORT", IDNumber: "E12345678"})
		wantCode(t, err, mashang.ECONFLICT, "idNumber")
		if _, err := s.Register(ctx, persons.RegisterInput{Name: "Jean Dupont", IDType: "OTHER", IDNumber: "E12345678"}); err != nil {
			t.Errorf("same characters, other document type: %v", err)
		}
		for _, bad := range []string{"E12", "E123456789012345678901", "E1234-5678"} {
			_, err = s.Register(ctx, persons.RegisterInput{Name: "X", IDType: "PASSPORT", IDNumber: bad})
			wantCode(t, err, mashang.EINVALID, "idNumber")
		}
		_, err = s.Register(ctx, persons.RegisterInput{Name: "X", IDType: "DRIVING_LICENCE", IDNumber: "E12345678"})
		wantCode(t, err, mashang.EINVALID, "idType")
		_, err = s.Register(ctx, persons.RegisterInput{Name: "X", IDType: "PASSPORT", IDNumber: "G7654321", Phone: "12345"})
		wantCode(t, err, mashang.EINVALID, "phone")
		_, err = s.Register(ctx, persons.RegisterInput{Name: " ", IDType: "PASSPORT", IDNumber: "G7654321"})
		wantCode(t, err, mashang.EINVALID, "name")

		n, err := db.Client.Person.Query().Count(ctx)
		if err != nil || n != 3 {
			t.Errorf("%d persons (%v), want 3", n, err)
		}
	})
}

func TestRiskAndTemperature(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s, clk := newService(t, db)
		const official = 42

		// YELLOW ↔ GREEN by any scanner's reading (seed 001 §4 黄色)
		a := register(t, s, "22010419900307123")
		p, err := s.RecordTemperature(ctx, db.Client, a.ID, 37.8, clk.Now())
		if err != nil {
			t.Fatal(err)
		}
		if p.Colour != scenario.ColourYellow {
			t.Fatalf("37.8: %s, want YELLOW", p.Colour)
		}
		clk.Add(time.Hour)
		if p, err = s.RecordTemperature(ctx, db.Client, a.ID, 36.5, clk.Now()); err != nil || p.Colour != scenario.ColourGreen {
			t.Fatalf("36.5: %v %v, want GREEN", p, err)
		}
		ccs := colourChanges(t, db.Client, a.ID)
		if len(ccs) != 2 || ccs[0].ToColour != scenario.ColourYellow || ccs[1].ToColour != scenario.ColourGreen {
			t.Fatalf("changes %v", ccs)
		}
		if !strings.Contains(ccs[0].Cause, "37.8") || !strings.Contains(ccs[0].Cause, "fever") || !strings.Contains(ccs[1].Cause, "36.5") || !strings.Contains(ccs[1].Cause, health.GreenCause) {
			t.Errorf("causes %q / %q", ccs[0].Cause, ccs[1].Cause)
		}
		if ccs[0].RuleVersion != 1 || ccs[0].ByAccountID != nil {
			t.Errorf("change v%d by %v", ccs[0].RuleVersion, ccs[0].ByAccountID)
		}
		// a late upload of an older reading changes nothing
		if p, err = s.RecordTemperature(ctx, db.Client, a.ID, 38.2, t0); err != nil || p.Colour != scenario.ColourGreen || *p.LastTemperature != 36.5 {
			t.Errorf("late reading: %v %v", p, err)
		}
		_, err = s.RecordTemperature(ctx, db.Client, a.ID, 48, clk.Now())
		wantCode(t, err, mashang.EINVALID, "temperature")
		_, err = s.RecordTemperature(ctx, db.Client, 999999, 36.5, clk.Now())
		wantCode(t, err, mashang.ENOTFOUND, "")

		// CONFIRMED → RED by an official, recorded with the official
		b := register(t, s, "22010419851111002")
		p, err = s.SetRiskFor(ctx, b.ID, "CONFIRMED", nil, official)
		if err != nil {
			t.Fatal(err)
		}
		if p.Colour != scenario.ColourRed || p.Risk != person.RiskCONFIRMED {
			t.Fatalf("%s %s, want RED CONFIRMED", p.Colour, p.Risk)
		}
		ccs = colourChanges(t, db.Client, b.ID)
		if len(ccs) != 1 || ccs[0].FromColour != scenario.ColourGreen || ccs[0].ToColour != scenario.ColourRed ||
			ccs[0].ByAccountID == nil || *ccs[0].ByAccountID != official || !strings.Contains(ccs[0].Cause, "CONFIRMED") {
			t.Fatalf("changes %+v", ccs)
		}
		// RED stays RED on a normal temperature, and on a plain re-evaluation
		if p, err = s.RecordTemperature(ctx, db.Client, b.ID, 36.4, clk.Now()); err != nil || p.Colour != scenario.ColourRed {
			t.Fatalf("normal temperature: %v %v, want RED", p.Colour, err)
		}
		// even when the risk data is wrong: only SetRisk leaves RED
		if err := db.Client.Person.UpdateOneID(b.ID).SetRisk(person.RiskNONE).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		p, _ = db.Client.Person.Get(ctx, b.ID)
		if p, err = s.Reevaluate(ctx, db.Client, p, "test", nil); err != nil || p.Colour != scenario.ColourRed {
			t.Fatalf("reevaluate: %v %v, want RED", p.Colour, err)
		}
		if n := len(colourChanges(t, db.Client, b.ID)); n != 1 {
			t.Errorf("%d changes, want 1", n)
		}
		// only an official (an account) may change risk
		_, err = s.SetRiskFor(ctx, b.ID, "RELEASED", nil, 0)
		wantCode(t, err, mashang.EFORBIDDEN, "")
		_, err = s.SetRiskFor(ctx, b.ID, "CURED", nil, official)
		wantCode(t, err, mashang.EINVALID, "risk")
		// RELEASED means NONE: RED → GREEN through SetRisk
		if p, err = s.SetRiskFor(ctx, b.ID, "RELEASED", nil, official); err != nil || p.Colour != scenario.ColourGreen || p.Risk != person.RiskNONE {
			t.Fatalf("released: %v %v", p, err)
		}

		// QUARANTINED with a future end → ORANGE; the sweep after the end → GREEN
		q := register(t, s, "22010420000229004")
		ends := clk.Now().Add(14 * 24 * time.Hour)
		if p, err = s.SetRiskFor(ctx, q.ID, "QUARANTINED", &ends, official); err != nil || p.Colour != scenario.ColourOrange {
			t.Fatalf("quarantined: %v %v, want ORANGE", p, err)
		}
		// a close contact without a known end stays ORANGE in every sweep
		cc := register(t, s, "22010419700101005")
		if p, err = s.SetRiskFor(ctx, cc.ID, "CLOSE_CONTACT", nil, official); err != nil || p.Colour != scenario.ColourOrange {
			t.Fatalf("close contact: %v %v", p, err)
		}
		if n, err := s.SweepQuarantine(ctx, ends.Add(-time.Minute)); err != nil || n != 0 {
			t.Fatalf("sweep before the end: %d %v", n, err)
		}
		if n, err := s.SweepQuarantine(ctx, ends.Add(time.Minute)); err != nil || n != 1 {
			t.Fatalf("sweep after the end: %d %v, want 1", n, err)
		}
		p, _ = db.Client.Person.Get(ctx, q.ID)
		if p.Colour != scenario.ColourGreen {
			t.Errorf("after the sweep: %s, want GREEN", p.Colour)
		}
		if ccs := colourChanges(t, db.Client, q.ID); len(ccs) != 2 || !strings.Contains(ccs[1].Cause, "quarantine ended") || ccs[1].ToColour != scenario.ColourGreen {
			t.Errorf("changes %+v", ccs)
		}
		if p, _ = db.Client.Person.Get(ctx, cc.ID); p.Colour != scenario.ColourOrange {
			t.Errorf("close contact: %s, want ORANGE", p.Colour)
		}
		if n, err := s.SweepQuarantine(ctx, ends.Add(time.Hour)); err != nil || n != 0 {
			t.Errorf("second sweep: %d %v, want 0", n, err)
		}
	})
}

func TestRuleSets(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s, clk := newService(t, db)

		// first use stores the default as version 1, once
		_, v, err := s.ActiveProgram(ctx)
		if err != nil || v != 1 {
			t.Fatalf("active: v%d %v", v, err)
		}
		if _, v, err = s.ActiveProgram(ctx); err != nil || v != 1 {
			t.Fatalf("active again: v%d %v", v, err)
		}
		if n, _ := db.Client.RuleSetVersion.Query().Count(ctx); n != 1 {
			t.Fatalf("%d versions after first use, want 1", n)
		}

		p := register(t, s, "22010419900307123")
		if p, err = s.RecordTemperature(ctx, db.Client, p.ID, 37.4, clk.Now()); err != nil || p.Colour != scenario.ColourYellow {
			t.Fatalf("37.4 under v1: %v %v, want YELLOW", p, err)
		}

		rs := health.DefaultRuleSet()
		rs.Params = map[string]float64{"fever_c": 37.5}

		// a rule set that does not compile is refused, listing the failure,
		// even with a stale version: validation comes before any conflict
		bad := health.DefaultRuleSet()
		bad.Version = 1
		bad.Rules[0].When = `person.risk == `
		_, err = s.PublishRuleSet(asInitiator(ctx, 7), rulesJSON(t, bad), "broken")
		wantCode(t, err, mashang.EINVALID, "rules")
		if !strings.Contains(err.Error(), "rule 0") {
			t.Errorf("message %q does not name the rule", err)
		}
		// one that compiles but fails the samples is refused too
		bad = health.DefaultRuleSet()
		bad.Version = 2
		bad.Rules = append(bad.Rules, health.Rule{Colour: health.Yellow, When: `!person.valid_test_within_7_days`, Cause: "no valid test within 7 days"})
		_, err = s.PublishRuleSet(asInitiator(ctx, 7), rulesJSON(t, bad), "too strict")
		wantCode(t, err, mashang.EINVALID, "rules")
		if !strings.Contains(err.Error(), "want GREEN") {
			t.Errorf("message %q does not list the sample", err)
		}
		// the server numbers the version: a given one is ignored
		rs.Version = 7
		row, err := s.PublishRuleSet(asInitiator(ctx, 7), rulesJSON(t, rs), "fever threshold 37.5")
		if err != nil {
			t.Fatal(err)
		}
		if row.Version != 2 || row.PublishedByID == nil || *row.PublishedByID != 7 || row.Note != "fever threshold 37.5" {
			t.Errorf("row %+v", row)
		}
		if _, v, _ = s.ActiveProgram(ctx); v != 2 {
			t.Errorf("active v%d, want 2", v)
		}
		// 37.4 is no longer fever under v2
		clk.Add(time.Minute)
		if p, err = s.RecordTemperature(ctx, db.Client, p.ID, 37.4, clk.Now()); err != nil || p.Colour != scenario.ColourGreen || p.RuleVersion != 2 {
			t.Fatalf("37.4 under v2: %v %v, want GREEN v2", p, err)
		}
		ccs := colourChanges(t, db.Client, p.ID)
		if last := ccs[len(ccs)-1]; last.RuleVersion != 2 || !strings.Contains(last.Cause, "rules v2") {
			t.Errorf("last change %+v", last)
		}
		clk.Add(time.Minute)
		if p, err = s.RecordTemperature(ctx, db.Client, p.ID, 37.5, clk.Now()); err != nil || p.Colour != scenario.ColourYellow {
			t.Fatalf("37.5 under v2: %v %v, want YELLOW", p, err)
		}
		// the same JSON again (version 2 inside) is numbered 3; every
		// version kept, newest first
		row, err = s.PublishRuleSet(asInitiator(ctx, 7), rulesJSON(t, rs), "again")
		if err != nil || row.Version != 3 {
			t.Fatalf("published again: %v %v, want version 3", row, err)
		}
		all, err := s.RuleSets(asInitiator(ctx, 7))
		if err != nil || len(all) != 3 || all[0].Version != 3 || all[2].Version != 1 {
			t.Fatalf("versions %v %v, want 3, 2, 1", all, err)
		}
		for _, r := range all {
			if in, err := s.InForce(ctx, r); err != nil || in != (r.Version == 3) {
				t.Fatalf("v%d in force: %v %v", r.Version, in, err)
			}
		}
		// a fresh service (another process) loads v3 from the database
		s2 := &persons.Service{Client: db.Client, Box: s.Box, Now: clk.Now}
		prg, v, err := s2.ActiveProgram(ctx)
		if err != nil || v != 3 {
			t.Fatalf("fresh service: v%d %v", v, err)
		}
		if c, _, _ := prg.Evaluate(health.Facts{LastTemperature: ptr(37.4), Now: clk.Now()}); c != health.Green {
			t.Errorf("fresh service evaluates 37.4 as %s", c)
		}
	})
}

func ptr[T any](v T) *T { return &v }

// asInitiator is ctx acting as the INITIATOR's account id.
func asInitiator(ctx context.Context, id int) context.Context {
	return mashang.NewContextWithViewer(ctx, &mashang.Viewer{AccountID: id, Role: mashang.RoleInitiator, ScopePath: "/"})
}

// rulesJSON is a rule set as publishRuleSet receives it.
func rulesJSON(t *testing.T, rs health.RuleSet) string {
	t.Helper()
	b, err := json.Marshal(rs)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// secretOf issues p's personToken.
func secretOf(t *testing.T, s *persons.Service, p *ent.Person) string {
	t.Helper()
	secret, err := s.IssueSecret(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

func TestTestsAndDeclarations(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s, clk := newService(t, db)
		p := register(t, s, "22010419900307123")
		now := clk.Now()

		valid := func() bool {
			t.Helper()
			return validAt(t, s, db.Client, p.ID, now)
		}
		if valid() {
			t.Fatal("valid test without any test")
		}
		// 8 days old negative PCR, positive PCR, negative antibody: none counts
		for _, tr := range []struct {
			kind, result string
			at           time.Time
		}{
			{"PCR", "NEGATIVE", now.Add(-8 * 24 * time.Hour)},
			{"PCR", "POSITIVE", now.Add(-24 * time.Hour)},
			{"ANTIBODY", "NEGATIVE", now.Add(-24 * time.Hour)},
		} {
			if _, err := s.AddTestResult(asInitiator(ctx, 1), p.ID, tr.kind, tr.result, "省疾控中心", tr.at); err != nil {
				t.Fatal(err)
			}
		}
		if valid() {
			t.Fatal("old or non-qualifying tests counted")
		}
		if _, err := s.AddTestResult(asInitiator(ctx, 1), p.ID, "ANTIBODY", "POSITIVE", "省疾控中心", now.Add(-6*24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if !valid() {
			t.Fatal("positive IgG antibody within 7 days not counted")
		}
		if validAt(t, s, db.Client, p.ID, now.Add(24*time.Hour+time.Minute)) {
			t.Error("antibody test older than 7 days still counted")
		}
		q := register(t, s, "22010419851111002")
		if _, err := s.AddTestResult(asInitiator(ctx, 1), q.ID, "PCR", "NEGATIVE", "长春市第一医院", now.Add(-2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if !validAt(t, s, db.Client, q.ID, now) {
			t.Error("negative PCR within 7 days not counted")
		}
		_, err := s.AddTestResult(asInitiator(ctx, 1), q.ID, "CT", "NEGATIVE", "x", now)
		wantCode(t, err, mashang.EINVALID, "kind")
		_, err = s.AddTestResult(asInitiator(ctx, 1), q.ID, "PCR", "NEGATIVE", "x", now.Add(time.Hour))
		wantCode(t, err, mashang.EINVALID, "sampledAt")
		_, err = s.AddTestResult(asInitiator(ctx, 1), 999999, "PCR", "NEGATIVE", "x", now)
		wantCode(t, err, mashang.ENOTFOUND, "")

		// declaration with symptoms: Symptomatic keeps an ended quarantine ORANGE
		ends := now.Add(24 * time.Hour)
		if _, err := s.SetRiskFor(ctx, q.ID, "CLOSE_CONTACT", &ends, 1); err != nil {
			t.Fatal(err)
		}
		qRef := persons.Ref{Token: secretOf(t, s, q)}
		d, err := s.DeclareHealth(ctx, qRef, persons.Declaration{Symptoms: []string{"咳嗽", " ", "乏力"}, Temperature: ptr(36.9), Travel: "无"})
		if err != nil {
			t.Fatal(err)
		}
		if d.Day != "2026-03-10" || len(d.Symptoms) != 2 || d.Temperature == nil || *d.Temperature != 36.9 {
			t.Errorf("declaration %+v", d)
		}
		got, _ := db.Client.Person.Get(ctx, q.ID)
		if !got.Symptomatic {
			t.Fatal("symptoms did not set Symptomatic")
		}
		// A same-day correction is kept beside the first (issue 11, point 9).
		d2, err := s.DeclareHealth(ctx, qRef, persons.Declaration{Symptoms: []string{"咳嗽"}})
		if err != nil || d2.Revision != 2 || d2.Day != d.Day {
			t.Fatalf("correction %+v %v, want revision 2 of the same day", d2, err)
		}
		if n, err := s.SweepQuarantine(ctx, ends.Add(time.Hour)); err != nil || n != 0 {
			t.Fatalf("sweep with symptoms: %d %v, want 0", n, err)
		}
		if got, _ = db.Client.Person.Get(ctx, q.ID); got.Colour != scenario.ColourOrange {
			t.Fatalf("symptomatic after quarantine: %s, want ORANGE", got.Colour)
		}
		// the next day (province time) without symptoms: the ended quarantine turns GREEN
		clk.t = ends.Add(2 * time.Hour)
		if _, err := s.DeclareHealth(ctx, qRef, persons.Declaration{}); err != nil {
			t.Fatal(err)
		}
		if got, _ = db.Client.Person.Get(ctx, q.ID); got.Symptomatic || got.Colour != scenario.ColourGreen {
			t.Errorf("after a clean declaration: symptomatic %v colour %s, want false GREEN", got.Symptomatic, got.Colour)
		}
		_, err = s.DeclareHealth(ctx, qRef, persons.Declaration{Temperature: ptr(50.0)})
		wantCode(t, err, mashang.EINVALID, "temperature")
	})
}

func validAt(t *testing.T, s *persons.Service, c *ent.Client, personID int, now time.Time) bool {
	t.Helper()
	ok, err := s.ValidTestWithin7Days(context.Background(), c, personID, now)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// TestReadingsValidTest: a rule set that reads
// person.valid_test_within_7_days gets it for a whole batch of readings
// (one query, seed 004 §二(五)) as ValidTestWithin7Days gives it for one,
// so a reading that changes no colour costs no statement.
func TestReadingsValidTest(t *testing.T) {
	for _, d := range dbtest.Dialects {
		t.Run(d, func(t *testing.T) {
			var stmts dbtest.Counter
			testReadingsValidTest(t, dbtest.Open(t, d, database.Options{WrapDriver: stmts.Wrap}), &stmts)
		})
	}
}

func testReadingsValidTest(t *testing.T, db *database.DB, stmts *dbtest.Counter) {
	ctx := context.Background()
	s, clk := newService(t, db)
	rs := health.DefaultRuleSet()
	rs.Version = 2
	// ORANGE for symptoms without a valid test: no default sample has
	// symptoms without a risk, so the samples still pass.
	rule := health.Rule{Colour: health.Orange, When: `person.symptomatic && person.risk == 'NONE' && !person.valid_test_within_7_days`, Cause: "symptoms without a valid test"}
	rs.Rules = append(rs.Rules[:4:4], rule, rs.Rules[4])
	if _, err := s.PublishRuleSet(asInitiator(ctx, 0), rulesJSON(t, rs), "tests for the symptomatic"); err != nil {
		t.Fatal(err)
	}
	untested, tested := register(t, s, "22010419900307123"), register(t, s, "22010419851111002")
	if _, err := s.AddTestResult(asInitiator(ctx, 1), tested.ID, "PCR", "NEGATIVE", "省疾控中心", clk.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*ent.Person{untested, tested} {
		if err := db.Client.Person.UpdateOneID(p.ID).SetSymptomatic(true).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	r, err := s.Readings(ctx, db.Client, []int{untested.ID, tested.ID}, clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		p     *ent.Person
		want  string
		quiet bool // no statement: the batch already knows the test
	}{{untested, health.Orange, false}, {tested, health.Green, true}} {
		stmts.Reset()
		got, err := r.Apply(ctx, tc.p.ID, 36.5, clk.Now())
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("person %d: %s after a normal reading, want %s", tc.p.ID, got, tc.want)
		}
		if n := stmts.Count(); tc.quiet && n != 0 {
			t.Errorf("person %d: %d statements for a reading that changes nothing, want 0", tc.p.ID, n)
		}
	}
	// The colour change is written at once, before Flush.
	for _, tc := range []struct {
		p    *ent.Person
		want scenario.Colour
	}{{untested, scenario.ColourOrange}, {tested, scenario.ColourGreen}} {
		if got, err := db.Client.Person.Get(ctx, tc.p.ID); err != nil || got.Colour != tc.want {
			t.Errorf("person %d stored as %v (%v), want %s", tc.p.ID, got, err, tc.want)
		}
	}
	// Flush ends the batch: it stores the readings and counts the colour
	// change in the statistics (verified when the test ends).
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
}

// A call inside the caller's transaction commits or rolls back with it.
func TestCallerTransaction(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s, clk := newService(t, db)
		if _, _, err := s.ActiveProgram(ctx); err != nil {
			t.Fatal(err)
		}
		p := register(t, s, "22010419900307123")
		tx, err := db.Client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		txCtx := ent.NewTxContext(ctx, tx)
		if got, err := s.RecordTemperature(txCtx, db.Client, p.ID, 38.0, clk.Now()); err != nil || got.Colour != scenario.ColourYellow {
			t.Fatalf("in tx: %v %v", got, err)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		got, _ := db.Client.Person.Get(ctx, p.ID)
		if got.Colour != scenario.ColourGreen || got.LastTemperature != nil || len(colourChanges(t, db.Client, p.ID)) != 0 {
			t.Errorf("rolled back writes survived: %s %v", got.Colour, got.LastTemperature)
		}
		// a transactional client passed directly works too
		tx, err = db.Client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.RecordTemperature(ctx, tx.Client(), p.ID, 38.0, clk.Now()); err != nil || got.Colour != scenario.ColourYellow {
			t.Fatalf("tx client: %v %v", got, err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if got, _ = db.Client.Person.Get(ctx, p.ID); got.Colour != scenario.ColourYellow {
			t.Errorf("committed: %s", got.Colour)
		}
	})
}

// TestHookDefersToCommit: when persons begins the transaction itself (no
// caller's transaction, e.g. the quarantine sweep or a seed), the colour
// change hook still gets it in its context, so what it defers to the commit
// (alerts.PublishAfterCommit) sees the change stored and never runs for a
// change rolled back.
func TestHookDefersToCommit(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		p := register(t, s, "22010419900307123")
		var afterCommit []scenario.Colour
		s.OnColourChange = func(ctx context.Context, c *ent.Client, changed *ent.Person, from, to, cause string) error {
			tx := ent.TxFromContext(ctx)
			if tx == nil {
				t.Errorf("%s → %s: the hook's context has no transaction to defer to", from, to)
				return nil
			}
			tx.OnCommit(func(next ent.Committer) ent.Committer {
				return ent.CommitFunc(func(cctx context.Context, tx *ent.Tx) error {
					if err := next.Commit(cctx, tx); err != nil {
						return err
					}
					stored, err := db.Client.Person.Get(ctx, changed.ID)
					if err != nil {
						return err
					}
					afterCommit = append(afterCommit, stored.Colour)
					return nil
				})
			})
			return nil
		}
		if _, err := s.SetRiskFor(ctx, p.ID, "CONFIRMED", nil, 42); err != nil {
			t.Fatal(err)
		}
		if len(afterCommit) != 1 || afterCommit[0] != scenario.ColourRed {
			t.Fatalf("after the commit the hook saw %v, want [RED]", afterCommit)
		}
	})
}

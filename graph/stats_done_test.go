package graph_test

// Issue 12's "done means", as one scenario through GraphQL on both
// databases. The scenario (residents of two districts register and are
// scanned); the statistics checks ask Query.stats, supervision and
// startStatsExport, Region.registrationProgress on the demo data, and
// recount with `mashang stats verify`.

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang/app"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/demo"
	"github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/ent/scan"
	"github.com/mashang/mashang/ent/site"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/stats"
)

// statsDistrict is one district of the scenario and what happened in it,
// as the scenario itself counts it.
type statsDistrict struct {
	name, code, id, path string
	province             string // id of the district's province
	site, community      string // ids
	official, scanner    account
	lat, lng             *float64 // the site's position, when it has one

	registered, scans, fevers, denied int
	people                            map[string]bool // distinct persons scanned
}

// statsScenario is the world of TestStatsDoneMeans.
type statsScenario struct {
	srv               *apitest.Server
	db                *database.DB
	initiator, senior string // tokens; the SENIOR's scope is 朝阳区
	chaoyang, ningguo *statsDistrict
}

// TestStatsDoneMeans: residents register and are scanned in 朝阳区 and
// 宁国市; stats as the province, as each district's OFFICIAL and as a
// SENIOR give exactly the numbers a recount gives; an OFFICIAL asking about
// the other district is refused; registrationProgress matches seed 003
// annex 1 for 宁国市's towns in the demo data; supervision lists a
// MANDATORY site with no scans; the XLSX export holds the same numbers;
// `mashang stats verify` exits 0.
func TestStatsDoneMeans(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		s := newStatsScenario(t, db)
		s.recount(t) // the raw rows hold what the scenario did

		s.checkStatsAsProvince(t)
		s.checkStatsAsOfficials(t)
		s.checkOfficialOfAnotherDistrictRefused(t)
		s.checkStatsAsSenior(t)
		s.checkRegistrationProgressOfNingguoDemo(t)
		s.checkSupervisionListsSilentMandatorySite(t)
		s.checkExportHoldsTheSameNumbers(t)
		s.checkStatsVerifyExitsZero(t)
	})
}

// newStatsScenario builds the world and plays the scenario through GraphQL.
func newStatsScenario(t *testing.T, db *database.DB) *statsScenario {
	t.Helper()
	f := newFixture(t, db)
	// 宁国市's street has no community in the fixture: residents live in one.
	heli := f.tree.Add("341881003", "341881003001", "河沥溪社区")
	// The fixture writes its sites straight into the tables, past the
	// rollups (the SITES gauges): rebuild those once, before anything goes
	// through the API, so that verify at the end checks only what the API
	// itself kept.
	if _, err := stats.Rebuild(context.Background(), db.Client, ""); err != nil {
		t.Fatal(err)
	}
	s := &statsScenario{srv: apitest.New(t, db, httpserver.Config{}), db: db}
	s.initiator = s.srv.LoginInitiator()
	parkLat, parkLng := 43.8601, 125.3101
	s.chaoyang = &statsDistrict{name: "朝阳区", code: "220104", id: fmt.Sprint(f.chaoyangID), path: "/22/2201/220104/",
		province: fmt.Sprint(f.tree.ByCode["22"].ID),
		site:     fmt.Sprint(f.park.ID), community: fmt.Sprint(f.tree.ByCode["220104001001"].ID), lat: &parkLat, lng: &parkLng, people: map[string]bool{}}
	ng, err := db.Client.Site.Query().Where(site.Name("河沥溪街道办事处政府")).Only(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s.ningguo = &statsDistrict{name: "宁国市", code: "341881", id: fmt.Sprint(f.ningguoID), path: "/34/3418/341881/",
		province: fmt.Sprint(f.tree.ByCode["34"].ID),
		site:     fmt.Sprint(ng.ID), community: fmt.Sprint(heli.ID), people: map[string]bool{}}

	for i, d := range []*statsDistrict{s.chaoyang, s.ningguo} {
		d.official = createAccount(t, s.srv, s.initiator, "OFFICIAL", d.id, d.name+"卫健局", fmt.Sprintf("136000009%02d", i), "")
		scannerID := validID(t, d.code+fmt.Sprintf("1980010%d03%d", i+1, i))
		d.scanner = createAccount(t, s.srv, s.initiator, "ORDINARY", d.site, d.name+"扫码员", fmt.Sprintf("136000009%02d", 10+i), scannerID)
		registerPerson(t, s.srv, d.name+"扫码员", scannerID, d.community)
	}
	s.senior = s.openSenior(t, s.chaoyang.id)

	// 朝阳区: six residents scanned by code, one with a fever; an elder
	// without a code registered by hand. 宁国市: four residents, one
	// scanned twice (once by a shown code).
	s.residents(t, s.chaoyang, 6, 2)
	s.residents(t, s.ningguo, 4, -1)
	s.manual(t, s.chaoyang, "王大爷", validID(t, "22010419400101051"))
	s.shownCode(t, s.ningguo)
	return s
}

// openSenior has a unit apply for a SENIOR of scope (seed 001 §9) and the
// province approve it; it returns the senior's token.
func (s *statsScenario) openSenior(t *testing.T, scope string) string {
	t.Helper()
	var app struct{ SubmitSeniorApplication struct{ ID string } }
	s.srv.QueryAs(s.initiator, `mutation($in: SeniorApplicationInput!) { submitSeniorApplication(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"unitName": "长春市朝阳区政务服务中心", "uscc": "91350100M000100Y43", "scopeId": scope,
			"holder": map[string]any{"name": "李高级", "phone": "13700000091", "idNumber": "11010519491231002X"}}}).Decode(t, &app)
	var decided struct {
		DecideApplication struct{ InitialPassword string }
	}
	s.srv.QueryAs(s.initiator, `mutation($id: ID!) { decideApplication(id: $id, approve: true) { initialPassword } }`,
		map[string]any{"id": app.SubmitSeniorApplication.ID}).Decode(t, &decided)
	return s.srv.Login("13700000091", decided.DecideApplication.InitialPassword)
}

// residents registers n residents of d (through the anonymous
// registerPerson) and has each scanned once by code at d's site; the
// fever-th one (0-based; -1 for none) has 38.1 °C: denied, YELLOW.
func (s *statsScenario) residents(t *testing.T, d *statsDistrict, n, fever int) {
	t.Helper()
	for i := range n {
		r := registerPerson(t, s.srv, fmt.Sprintf("%s居民%d", d.name, i), validID(t, d.code+fmt.Sprintf("19900201%03d", 100+i)), d.community)
		d.registered++
		temp := 36.5
		if i == fever {
			temp = 38.1
		}
		in := map[string]any{"clientId": fmt.Sprintf("%s-%d", d.code, i), "site": d.site, "method": "SCAN_CODE",
			"token": issueCode(t, s.srv, r.Token), "temperature": temp}
		s.record(t, d, in, r.ID)
	}
}

// manual registers an elder without a code at d's door (seed 001 §5).
func (s *statsScenario) manual(t *testing.T, d *statsDistrict, name, idNumber string) {
	t.Helper()
	in := map[string]any{"clientId": d.code + "-manual", "site": d.site, "method": "MANUAL", "temperature": 36.6,
		"manual": map[string]any{"name": name, "idType": "RESIDENT_ID", "idNumber": idNumber}}
	s.record(t, d, in, "manual:"+idNumber)
	// A MANUAL registration of someone new registers them, in the
	// district (the rows say so; recount checks it).
	d.registered++
}

// shownCode scans d's first resident again, by a GREEN code shown and the
// identity typed in.
func (s *statsScenario) shownCode(t *testing.T, d *statsDistrict) {
	t.Helper()
	idNumber := validID(t, d.code+"19900201100")
	in := map[string]any{"clientId": d.code + "-shown", "site": d.site, "method": "SHOW_CODE", "colour": "GREEN", "temperature": 36.4,
		"manual": map[string]any{"name": d.name + "居民0", "idType": "RESIDENT_ID", "idNumber": idNumber}}
	s.record(t, d, in, "")
}

// record records one scan as d's scanner and tallies it; person names the
// person for the distinct count ("" when already counted).
func (s *statsScenario) record(t *testing.T, d *statsDistrict, in map[string]any, person string) {
	t.Helper()
	if d.lat != nil {
		in["latitude"], in["longitude"] = *d.lat, *d.lng
	}
	out, resp := recordScan(t, s.srv, d.scanner.token, in)
	if len(resp.Errors) > 0 || out.ID == "" {
		t.Fatalf("%s scan %v: %+v", d.name, in["clientId"], resp.Errors)
	}
	d.scans++
	if out.Temperature >= 37.3 {
		d.fevers++
	}
	if out.Decision == "DENY" {
		d.denied++
	}
	if person != "" {
		d.people[person] = true
	}
}

// recount counts the raw rows of each district as `mashang stats verify`
// would, and checks that they hold what the scenario did: the numbers the
// stats checks below must find.
func (s *statsScenario) recount(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	for _, d := range []*statsDistrict{s.chaoyang, s.ningguo} {
		rows, err := s.db.Client.Scan.Query().Where(scan.SitePathGTE(d.path), scan.SitePathLT(d.path+"~")).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var fevers, denied int
		for _, r := range rows {
			if r.Fever {
				fevers++
			}
			if r.Decision == scan.DecisionDENY {
				denied++
			}
		}
		if len(rows) != d.scans || fevers != d.fevers || denied != d.denied {
			t.Errorf("%s: %d scans, %d fevers, %d denied in the rows; the scenario recorded %d, %d, %d",
				d.name, len(rows), fevers, denied, d.scans, d.fevers, d.denied)
		}
		residents, err := s.db.Client.Person.Query().Where(person.ResidencePathGTE(d.path), person.ResidencePathLT(d.path+"~")).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// The scanner's own registration lives in the district too.
		if residents != d.registered+1 {
			t.Errorf("%s: %d residents in the rows, the scenario registered %d (+1 scanner)", d.name, residents, d.registered)
		}
	}
	if s.chaoyang.fevers != 1 || s.chaoyang.denied < 1 || s.ningguo.scans != 5 || len(s.chaoyang.people) != 7 {
		t.Errorf("scenario: 朝阳区 %d fevers, %d denied, %d people; 宁国市 %d scans",
			s.chaoyang.fevers, s.chaoyang.denied, len(s.chaoyang.people), s.ningguo.scans)
	}
}

// The measures every stats check asks, in the order of want.
var doneMeasures = []string{"REGISTRATIONS", "SCANS", "FEVERS", "PEOPLE_SCANNED"}

// want is what a stats query must find for d today: registrations (the
// scanner's own included), scans, fevers, distinct persons scanned.
func (d *statsDistrict) want() []float64 {
	return []float64{float64(d.registered + 1), float64(d.scans), float64(d.fevers), float64(len(d.people))}
}

// ask runs Query.stats as token.
func (s *statsScenario) ask(token string, where map[string]any, groupBy []string) *apitest.Response {
	return s.srv.QueryAs(token, statsQuery, map[string]any{"w": where, "g": groupBy, "m": doneMeasures})
}

// districtRow asks stats of d's province by district as token and returns
// d's row and the whole answer.
func (s *statsScenario) districtRow(t *testing.T, token string, d *statsDistrict) ([]float64, statsAnswer) {
	t.Helper()
	var got statsAnswer
	s.ask(token, map[string]any{"under": d.province, "level": "DISTRICT"}, []string{"REGION"}).Decode(t, &got)
	var row []float64
	for _, r := range got.Stats.Rows {
		if r.Node != nil && r.Node.Code == d.code {
			if row != nil {
				t.Fatalf("%s: two rows", d.name)
			}
			row = r.Values
			if r.Node.ID != d.id || r.Node.Name != d.name || r.Node.Level != "DISTRICT" {
				t.Errorf("%s's row names %+v", d.name, *r.Node)
			}
		}
	}
	if row == nil {
		t.Fatalf("no row for %s: %+v", d.name, got.Stats.Rows)
	}
	return row, got
}

// checkStatsAsProvince: Query.stats as the INITIATOR, groupBy REGION at
// DISTRICT level: each district's row equals the scenario's registrations
// (+1 scanner), scans, fevers and distinct persons; and its DENY scans.
func (s *statsScenario) checkStatsAsProvince(t *testing.T) {
	t.Helper()
	for _, d := range []*statsDistrict{s.chaoyang, s.ningguo} {
		row, got := s.districtRow(t, s.initiator, d)
		if fmt.Sprint(row) != fmt.Sprint(d.want()) {
			t.Errorf("province: %s %v, want %v", d.name, row, d.want())
		}
		// The scenario's district is the only one with anything in its
		// province: the province's totals are the district's.
		if fmt.Sprint(got.Stats.Totals) != fmt.Sprint(d.want()) {
			t.Errorf("province of %s: totals %v, want %v", d.name, got.Stats.Totals, d.want())
		}
		var dec struct {
			Stats struct {
				Rows []struct {
					Node     *struct{ Code string }
					Decision *string
					Values   []float64
				}
			}
		}
		s.srv.QueryAs(s.initiator, `query($w: StatsWhere!) { stats(where: $w, groupBy: [REGION, DECISION], measures: [SCANS]) {
			rows { node { code } decision values } } }`, map[string]any{"w": map[string]any{"under": d.province, "level": "DISTRICT"}}).Decode(t, &dec)
		denied := 0.0
		for _, r := range dec.Stats.Rows {
			if r.Node != nil && r.Node.Code == d.code && r.Decision != nil && *r.Decision == "DENY" {
				denied += r.Values[0]
			}
		}
		if denied != float64(d.denied) {
			t.Errorf("province: %s %v DENY scans, want %d", d.name, denied, d.denied)
		}
	}
}

// checkStatsAsOfficials: each district's OFFICIAL asks stats under its own
// district and gets exactly its district's numbers.
func (s *statsScenario) checkStatsAsOfficials(t *testing.T) {
	t.Helper()
	for _, d := range []*statsDistrict{s.chaoyang, s.ningguo} {
		s.checkTotalsUnder(t, "OFFICIAL of "+d.name, d.official.token, d)
	}
}

// checkTotalsUnder asks stats under d as token and compares the totals.
func (s *statsScenario) checkTotalsUnder(t *testing.T, who, token string, d *statsDistrict) {
	t.Helper()
	var got statsAnswer
	s.ask(token, map[string]any{"under": d.id}, []string{}).Decode(t, &got)
	if got.Stats.Under.Name != d.name || fmt.Sprint(got.Stats.Totals) != fmt.Sprint(d.want()) {
		t.Errorf("%s under %s: totals %v, want %v", who, got.Stats.Under.Name, got.Stats.Totals, d.want())
	}
}

// checkOfficialOfAnotherDistrictRefused: 宁国市's OFFICIAL asking stats
// under 朝阳区 is refused (FORBIDDEN), never silently trimmed; so is 朝阳区's
// asking under 宁国市, and either asking by district under the province.
func (s *statsScenario) checkOfficialOfAnotherDistrictRefused(t *testing.T) {
	t.Helper()
	wantCodes(t, s.ask(s.ningguo.official.token, map[string]any{"under": s.chaoyang.id}, []string{}), "FORBIDDEN")
	wantCodes(t, s.ask(s.chaoyang.official.token, map[string]any{"under": s.ningguo.id}, []string{}), "FORBIDDEN")
	wantCodes(t, s.ask(s.chaoyang.official.token, map[string]any{"under": s.chaoyang.province, "level": "DISTRICT"}, []string{"REGION"}), "FORBIDDEN")
}

// checkStatsAsSenior: the SENIOR (scope 朝阳区) gets 朝阳区's numbers and is
// refused 宁国市's.
func (s *statsScenario) checkStatsAsSenior(t *testing.T) {
	t.Helper()
	s.checkTotalsUnder(t, "SENIOR of 朝阳区", s.senior, s.chaoyang)
	wantCodes(t, s.ask(s.senior, map[string]any{"under": s.ningguo.id}, []string{}), "FORBIDDEN")
}

// checkRegistrationProgressOfNingguoDemo: on a fresh database of the same
// dialect seeded by demo.Seed, Region.registrationProgress of 宁国市's
// towns gives seed 003 annex 1's targets (demo/data/ningguo_annex1.csv;
// 宁国市 itself 340124 — demo/RECONCILIATION.md), and rate is
// registered / target.
func (s *statsScenario) checkRegistrationProgressOfNingguoDemo(t *testing.T) {
	t.Helper()
	db := dbtest.Open(t, s.db.Dialect, database.Options{})
	if _, err := demo.Seed(context.Background(), db, io.Discard); err != nil {
		t.Fatal(err)
	}
	srv := apitest.New(t, db, httpserver.Config{})
	// One person of 中溪镇 registered, so that a rate is not trivially 0.
	zhongxi, err := db.Client.Region.Query().Where(region.Code("341881102")).Only(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	community, err := db.Client.Region.Query().Where(region.PathHasPrefix(zhongxi.Path), region.LevelEQ(region.LevelCOMMUNITY)).First(context.Background())
	if err != nil {
		t.Fatalf("a community of 中溪镇 in the demo: %v", err)
	}
	registerPerson(t, srv, "中溪镇居民", validID(t, "34188119900301123"), fmt.Sprint(community.ID))

	type progress struct {
		Registered int
		Target     *int
		Rate       *float64
	}
	var out struct {
		RegionByCode struct {
			ID                   string
			RegistrationProgress progress
		}
	}
	init := srv.LoginInitiator()
	srv.QueryAs(init, `{ regionByCode(code: "341881") { id registrationProgress { registered target rate } } }`, nil).Decode(t, &out)
	var ranking struct {
		RegistrationRanking []struct {
			Region   struct{ Code, Name string }
			Progress progress
		}
	}
	srv.QueryAs(init, `query($u: ID!) { registrationRanking(under: $u) { region { code name } progress { registered target rate } } }`,
		map[string]any{"u": out.RegionByCode.ID}).Decode(t, &ranking)
	got := map[string]progress{"341881": out.RegionByCode.RegistrationProgress}
	for _, r := range ranking.RegistrationRanking {
		got[r.Region.Code] = r.Progress
	}
	// Seed 003 annex 1 目标任务量 (港口镇, 中溪镇, 南极乡 as the seed gives it,
	// 河沥溪街道 as 河沥街道) and 宁国市 as the sum of its matched rows.
	for code, want := range map[string]int{"341881100": 29415, "341881102": 22146, "341881201": 10162, "341881003": 27827, "341881": 340124} {
		p, ok := got[code]
		if !ok || p.Target == nil || *p.Target != want {
			t.Errorf("%s: progress %+v, want target %d", code, p, want)
			continue
		}
		if p.Rate == nil || *p.Rate != float64(p.Registered)/float64(want) {
			t.Errorf("%s: rate %v, want %d / %d", code, p.Rate, p.Registered, want)
		}
	}
	if p := got["341881102"]; p.Registered != 1 || got["341881"].Registered != 1 {
		t.Errorf("registered: 中溪镇 %d, 宁国市 %d; want 1 each", p.Registered, got["341881"].Registered)
	}
}

// checkSupervisionListsSilentMandatorySite: supervision(under: 朝阳区,
// date: today) lists an enabled, built PARK (a MANDATORY category, seed 004
// annex) created and never scanned, and not 南湖公园, scanned today.
func (s *statsScenario) checkSupervisionListsSilentMandatorySite(t *testing.T) {
	t.Helper()
	var created struct{ CreateSite struct{ ID string } }
	s.srv.QueryAs(s.initiator, `mutation($in: CreateSiteInput!) { createSite(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"name": "朝阳区儿童公园", "category": "PARK", "built": true, "enabled": true, "parentId": s.chaoyang.id}}).Decode(t, &created)
	var policy struct {
		Node struct{ VerificationPolicy string }
	}
	s.srv.QueryAs(s.initiator, `query($id: ID!) { node(id: $id) { ... on Site { verificationPolicy } } }`,
		map[string]any{"id": created.CreateSite.ID}).Decode(t, &policy)
	if policy.Node.VerificationPolicy != "MANDATORY" {
		t.Fatalf("a PARK's policy is %q", policy.Node.VerificationPolicy)
	}
	var out supervisionOut
	s.srv.QueryAs(s.chaoyang.official.token, supervisionQuery, map[string]any{"u": s.chaoyang.id, "d": stats.Day(time.Now())}).Decode(t, &out)
	if got := names(out.Supervision.IdleSites.Nodes); !slices.Equal(got, []string{"朝阳区儿童公园"}) || out.Supervision.IdleSites.TotalCount != 1 {
		t.Errorf("idle sites of 朝阳区 %v (%d)", got, out.Supervision.IdleSites.TotalCount)
	}
}

// checkExportHoldsTheSameNumbers: startStatsExport with the province's
// arguments returns an XLSX that excelize opens, whose district row and
// totals equal Query.stats's.
func (s *statsScenario) checkExportHoldsTheSameNumbers(t *testing.T) {
	t.Helper()
	w := &statsWorld{srv: s.srv}
	for _, d := range []*statsDistrict{s.chaoyang, s.ningguo} {
		row, got := s.districtRow(t, s.initiator, d)
		var started struct{ StartStatsExport struct{ ID string } }
		s.srv.QueryAs(s.initiator, `mutation($w: StatsWhere!, $m: [StatsMeasure!]!) { startStatsExport(where: $w, groupBy: [REGION], measures: $m) { id } }`,
			map[string]any{"w": map[string]any{"under": d.province, "level": "DISTRICT"}, "m": doneMeasures}).Decode(t, &started)
		f := w.download(t, s.initiator, started.StartStatsExport.ID)
		rows := sheetText(t, f, "统计数据")
		if line := d.name + "|" + d.code + "|" + joinNumbers(row); !strings.Contains(rows, line+"\n") {
			t.Errorf("the export's rows lack %q:\n%s", line, rows)
		}
		totals := sheetText(t, f, "合计")
		if line := "\n" + joinNumbers(got.Stats.Totals) + "\n"; !strings.Contains(totals, line) {
			t.Errorf("the export's totals lack %q:\n%s", strings.TrimSpace(line), totals)
		}
	}
}

// joinNumbers writes values as the export's cells read: "|" between.
func joinNumbers(values []float64) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, "|")
}

// checkStatsVerifyExitsZero: stats.Verify over s.db finds no difference,
// and the app command `mashang stats verify` on the same database says OK.
func (s *statsScenario) checkStatsVerifyExitsZero(t *testing.T) {
	t.Helper()
	diffs, err := stats.Verify(context.Background(), s.db.Client, "")
	if err != nil || len(diffs) != 0 {
		t.Fatalf("stats.Verify: %v, differences %v", err, diffs)
	}
	var stdout, stderr strings.Builder
	if err := app.Run(context.Background(), []string{"stats", "verify", "--database=" + s.db.URL}, &stdout, &stderr); err != nil ||
		!strings.HasPrefix(stdout.String(), "OK") {
		t.Fatalf("mashang stats verify: %v\n%s%s", err, stdout.String(), stderr.String())
	}
}

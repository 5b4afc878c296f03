package trace_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

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

func tracer(expires time.Time) *mashang.Viewer {
	return &mashang.Viewer{AccountID: 9, Role: mashang.RoleOfficial, ScopePath: "/22/2201/",
		Grants: []mashang.ViewerGrant{{Kind: mashang.GrantTracer, ExpiresAt: expires}}}
}

// newPerson stores a person living outside the tracer's scope: a tracer
// follows a person anywhere in the province.
func newPerson(t *testing.T, c *ent.Client) *ent.Person {
	t.Helper()
	p, err := c.Person.Create().SetName("张三").SetNameMasked("张*").SetIDType("RESIDENT_ID").
		SetIDNumberSealed([]byte("x")).SetIDNumberHash("h1").SetIDNumberMasked("2201**********0011").
		SetResidencePath("/22/2202/").SetColour("GREEN").SetRuleVersion(1).Save(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTraceCallers: tracing needs an unexpired TRACER grant, whatever the
// role (DESIGN §5; seed 001 §11), and every use is audited with its range.
func TestTraceCallers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		authz.Install(db.Client)
		p := newPerson(t, db.Client)
		s := &trace.Service{Client: db.Client, Enforcer: authz.MustEnforcer(), Now: func() time.Time { return t0 }}
		from, to := t0.Add(-24*time.Hour), t0
		for _, tc := range []struct {
			name string
			v    *mashang.Viewer
			code string
		}{
			{"AsAnonymous", nil, mashang.EUNAUTHENTICATED},
			{"AsTheInitiatorWithoutAGrant", &mashang.Viewer{AccountID: 1, Role: mashang.RoleInitiator, ScopePath: "/"}, mashang.EFORBIDDEN},
			{"AsAGridWorker", &mashang.Viewer{AccountID: 2, Role: mashang.RoleGridWorker, ScopePath: "/22/2202/"}, mashang.EFORBIDDEN},
			{"AsAnOfficialWithAnExpiredTracerGrant", tracer(t0.Add(-time.Second)), mashang.EFORBIDDEN},
			{"AsAPIIViewer", &mashang.Viewer{AccountID: 3, Role: mashang.RoleOfficial, ScopePath: "/22/",
				Grants: []mashang.ViewerGrant{{Kind: mashang.GrantPIIViewer, ExpiresAt: t0.Add(time.Hour)}}}, mashang.EFORBIDDEN},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.Trajectory(as(tc.v), p.ID, from, to)
				wantCode(t, err, tc.code, "")
				_, err = s.CoLocated(as(tc.v), p.ID, from, to, nil)
				wantCode(t, err, tc.code, "")
			})
		}
		if n := db.Client.AuditEvent.Query().CountX(context.Background()); n != 0 {
			t.Fatalf("%d audit events after refusals, want 0", n)
		}
		ctx := as(tracer(t0.Add(time.Hour)))
		tr, err := s.Trajectory(ctx, p.ID, from, to)
		if err != nil || tr.Person.ID != p.ID || len(tr.Scans) != 0 || !strings.HasPrefix(tr.CSV, "time,site,method,colour,temperature,decision,scanner,issuer") {
			t.Fatalf("trajectory %+v %v", tr, err)
		}
		co, err := s.CoLocated(ctx, p.ID, from, to, ptr(45))
		if err != nil || len(co.Contacts) != 0 || !strings.HasPrefix(co.CSV, "name,id_number,site,contact_time,person_time,minutes_apart") {
			t.Fatalf("co-location %+v %v", co, err)
		}
		ev, err := db.Client.AuditEvent.Query().Where(auditevent.Action("coLocated")).Only(context.Background())
		if err != nil || ev.AccountID == nil || *ev.AccountID != 9 || ev.Target != "person:"+strconv.Itoa(p.ID) || !strings.Contains(ev.Detail, `"windowMinutes":45`) {
			t.Fatalf("audit %+v %v", ev, err)
		}
		if n := db.Client.AuditEvent.Query().Where(auditevent.Action("personTrajectory")).CountX(context.Background()); n != 1 {
			t.Errorf("%d personTrajectory events, want 1", n)
		}

		_, err = s.Trajectory(ctx, p.ID, to, from)
		wantCode(t, err, mashang.EINVALID, "to")
		_, err = s.Trajectory(ctx, p.ID, from.Add(-63*24*time.Hour), to)
		wantCode(t, err, mashang.EINVALID, "to")
		_, err = s.CoLocated(ctx, p.ID, from, to, ptr(0))
		wantCode(t, err, mashang.EINVALID, "windowMinutes")
		_, err = s.Trajectory(ctx, p.ID+1000, from, to)
		wantCode(t, err, mashang.ENOTFOUND, "person")
	})
}

func ptr[T any](v T) *T { return &v }

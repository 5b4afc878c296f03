package graph_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/scan"
)

// Trajectories and contacts need a TRACER grant.
func TestGridWorkerWithoutTracerGrantCannotTrace(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		vars := map[string]any{"p": w.resident.ID, "from": time.Now().Add(-time.Hour).Format(time.RFC3339), "to": time.Now().Format(time.RFC3339)}
		for _, tok := range []string{w.grid.token, w.official.token, w.scanner.token} {
			wantCodes(t, w.srv.QueryAs(tok, `query($p: ID!, $from: Time!, $to: Time!) { personTrajectory(person: $p, from: $from, to: $to) { csv } }`, vars), "FORBIDDEN")
			wantCodes(t, w.srv.QueryAs(tok, `query($p: ID!, $from: Time!, $to: Time!) { coLocated(person: $p, from: $from, to: $to) { csv } }`, vars), "FORBIDDEN")
		}
	})
}

// TestCoLocatedWindow: contacts are the people scanned at the same site
// within ± the window of one of the person's scans — not later, not
// elsewhere, never the person themself.
func TestCoLocatedWindow(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		ctx := context.Background()
		var grant struct{ GiveGrant struct{ Kind string } }
		w.srv.QueryAs(w.initiator, `mutation($a: ID!, $e: Time!) { giveGrant(accountId: $a, kind: TRACER, expiresAt: $e, reason: "流调", caseNumber: "案2026-1") { kind } }`,
			map[string]any{"a": w.official.ID, "e": time.Now().Add(time.Hour).Format(time.RFC3339)}).Decode(t, &grant)
		tracer := w.srv.Login("13600000031", "pass-13600000031")
		var residentID int
		fmt.Sscan(w.resident.ID, &residentID)
		t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
		add := func(client string, siteID int, personID *int, name string, at time.Time) {
			t.Helper()
			if err := db.Client.Scan.Create().SetClientID(client).SetAccountID(1).SetAccountPath("/a1/").SetScannerName("王*").
				SetSiteID(siteID).SetSitePath(fmt.Sprintf("/22/2201/220104/s%d/", siteID)).SetSiteName(fmt.Sprint("场所", siteID)).SetSector("OTHER").
				SetNillablePersonID(personID).SetMethod(scan.MethodSHOW_CODE).SetNameMasked(name).SetIDNumberMasked("220104********0000").
				SetTemperature(36.5).SetFever(false).SetDecision(scan.DecisionPASS).SetServerTime(at).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		add("own-a", 1, &residentID, "赵*", t0)
		add("own-b", 2, &residentID, "赵*", t0.Add(3*time.Hour))
		add("near", 1, nil, "甲*", t0.Add(10*time.Minute))
		add("later", 1, nil, "乙*", t0.Add(45*time.Minute))
		add("elsewhere", 3, nil, "丙*", t0)
		add("own-again", 1, &residentID, "赵*", t0.Add(5*time.Minute))
		add("near-b", 2, nil, "丁*", t0.Add(3*time.Hour-20*time.Minute))
		q := `query($p: ID!, $from: Time!, $to: Time!, $w: Int) { coLocated(person: $p, from: $from, to: $to, windowMinutes: $w) { contacts { nameMasked siteName minutesApart } } }`
		names := func(window int) []string {
			var out struct {
				CoLocated struct{ Contacts []struct{ NameMasked string } }
			}
			w.srv.QueryAs(tracer, q, map[string]any{"p": w.resident.ID, "from": t0.Add(-time.Hour).Format(time.RFC3339),
				"to": t0.Add(5 * time.Hour).Format(time.RFC3339), "w": window}).Decode(t, &out)
			var ns []string
			for _, c := range out.CoLocated.Contacts {
				ns = append(ns, c.NameMasked)
			}
			slices.Sort(ns)
			return ns
		}
		if got := names(30); !slices.Equal(got, []string{"丁*", "甲*"}) {
			t.Fatalf("±30 min: %v", got)
		}
		if got := names(60); !slices.Equal(got, []string{"丁*", "乙*", "甲*"}) {
			t.Fatalf("±60 min: %v", got)
		}
	})
}

// TestATracerOfNingguoCannotReadAChaoyangResidentsTrajectory (issue 10 #18,
// through the API): the 宁国市 official's TRACER grant covers 宁国市 unless
// the province names another region, so the trajectory of a 朝阳区 resident
// answers NOT_FOUND, like a person who does not exist; with a grant the
// province gives for 朝阳区 it is read, and says which grant and purpose.
func TestATracerOfNingguoCannotReadAChaoyangResidentsTrajectoryThroughTheAPI(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		give := `mutation($a: ID!, $e: Time!, $r: ID) { giveGrant(accountId: $a, kind: TRACER, expiresAt: $e, reason: "密接排查", caseNumber: "朝阳流调〔2026〕7号", regionId: $r) { id scopePath scopeRegion { code } } }`
		expires := time.Now().Add(time.Hour).Format(time.RFC3339)
		var own struct {
			GiveGrant struct{ ID, ScopePath string }
		}
		w.srv.QueryAs(w.initiator, give, map[string]any{"a": w.outsider.ID, "e": expires}).Decode(t, &own)
		tracer := w.srv.Login("13600000032", "pass-13600000032")
		q := `query($p: ID!, $from: Time!, $to: Time!) { personTrajectory(person: $p, from: $from, to: $to) { csv grant { id caseNumber reason scopePath } } }`
		vars := map[string]any{"p": w.resident.ID, "from": time.Now().Add(-time.Hour).Format(time.RFC3339), "to": time.Now().Format(time.RFC3339)}
		wantCodes(t, w.srv.QueryAs(tracer, q, vars), "NOT_FOUND")
		wantCodes(t, w.srv.QueryAs(tracer, `query($p: ID!, $from: Time!, $to: Time!) { coLocated(person: $p, from: $from, to: $to) { csv } }`, vars), "NOT_FOUND")

		var chosen struct {
			GiveGrant struct {
				ID, ScopePath string
				ScopeRegion   struct{ Code string }
			}
		}
		w.srv.QueryAs(w.initiator, give, map[string]any{"a": w.outsider.ID, "e": expires, "r": w.district}).Decode(t, &chosen)
		if chosen.GiveGrant.ScopeRegion.Code != "220104" || chosen.GiveGrant.ScopePath == own.GiveGrant.ScopePath {
			t.Fatalf("grant for 朝阳区: %+v (own: %+v)", chosen, own)
		}
		var got struct {
			PersonTrajectory struct {
				Grant struct{ ID, CaseNumber, Reason, ScopePath string }
			}
		}
		w.srv.QueryAs(tracer, q, vars).Decode(t, &got)
		if g := got.PersonTrajectory.Grant; g.ID != chosen.GiveGrant.ID || g.CaseNumber != "朝阳流调〔2026〕7号" || g.ScopePath != chosen.GiveGrant.ScopePath {
			t.Fatalf("trajectory read under %+v, want grant %s", g, chosen.GiveGrant.ID)
		}
	})
}

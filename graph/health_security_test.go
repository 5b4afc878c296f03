package graph_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/auditevent"
	"github.com/mashang/mashang/ent/scan"
	"github.com/mashang/mashang/ent/site"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
)

// healthWorld is a small world for the SECURITY tests of issue 4: a
// resident of 朝阳区, its official and grid worker, a scanner at 南湖公园,
// and an official of 宁国市 with a site there.
type healthWorld struct {
	srv                                    *apitest.Server
	db                                     *database.DB
	initiator                              string
	official, outsider, grid, scanner      account
	resident                               registered
	park, ningguoSite, district, community string
}

func newHealthWorld(t *testing.T, db *database.DB) *healthWorld {
	t.Helper()
	f := newFixture(t, db)
	w := &healthWorld{db: db, srv: apitest.New(t, db, httpserver.Config{})}
	w.initiator = w.srv.LoginInitiator()
	w.district = fmt.Sprint(f.chaoyangID)
	w.community = fmt.Sprint(f.tree.ByCode["220104001001"].ID)
	w.park = fmt.Sprint(f.park.ID)
	ng, err := db.Client.Site.Query().Where(site.Name("河沥溪街道办事处政府")).Only(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	w.ningguoSite = fmt.Sprint(ng.ID)
	w.official = createAccount(t, w.srv, w.initiator, "OFFICIAL", w.district, "朝阳区卫健局", "13600000031", "")
	w.outsider = createAccount(t, w.srv, w.initiator, "OFFICIAL", fmt.Sprint(f.ningguoID), "宁国市卫健局", "13600000032", "")
	w.grid = createAccount(t, w.srv, w.initiator, "GRID_WORKER", w.community, "网格员", "13600000033", "")
	scannerID := validID(t, "22010419800101031")
	w.scanner = createAccount(t, w.srv, w.initiator, "ORDINARY", w.park, "扫码员", "13600000034", scannerID)
	registerPerson(t, w.srv, "扫码员", scannerID, w.community)
	w.resident = registerPerson(t, w.srv, "赵六", validID(t, "22010419900307031"), w.community)
	return w
}

func wantCodes(t *testing.T, resp *apitest.Response, codes ...string) {
	t.Helper()
	if !slices.Equal(resp.Codes(), codes) {
		t.Fatalf("errors %+v, want codes %v", resp.Errors, codes)
	}
}

// An anonymous caller acts for a person only with the person's token; a
// logged-in scanner does not see residents at all.
func TestAnonymousCallerCannotActForAPersonWithoutItsToken(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		code := `mutation($in: IssueCodeInput!) { issueCode(input: $in) { token } }`
		wantCodes(t, w.srv.Query(code, map[string]any{"in": map[string]any{"person": w.resident.ID}}), "UNAUTHENTICATED")
		wantCodes(t, w.srv.Query(code, map[string]any{"in": map[string]any{"personToken": "msp_" + strings.Repeat("A", 43)}}), "UNAUTHENTICATED")
		wantCodes(t, w.srv.QueryAs(w.scanner.token, code, map[string]any{"in": map[string]any{"person": w.resident.ID}}), "NOT_FOUND")
		var ok struct{ IssueCode struct{ Token string } }
		w.srv.QueryAs(w.grid.token, code, map[string]any{"in": map[string]any{"person": w.resident.ID}}).Decode(t, &ok)
		if ok.IssueCode.Token == "" {
			t.Fatal("the community's grid worker could not issue a resident's code")
		}
	})
}

// Names and numbers in clear need a PII_VIEWER grant; the refusal writes no
// unmasking event.
func TestOfficialWithoutPIIViewerGrantCannotUnmask(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		resp := w.srv.QueryAs(w.official.token, `query($id: ID!) { node(id: $id) { ... on Person { nameMasked identity { idNumber } } } }`,
			map[string]any{"id": w.resident.ID})
		wantCodes(t, resp, "FORBIDDEN")
		if strings.Contains(string(resp.Data), "19900307") {
			t.Fatalf("the ID number leaked: %s", resp.Data)
		}
		if n, err := db.Client.AuditEvent.Query().Where(auditevent.Action("unmaskPerson")).Count(context.Background()); err != nil || n != 0 {
			t.Fatalf("unmasking events %d %v", n, err)
		}
	})
}

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

// A subscription never reaches beyond the subscriber's own scope.
func TestOfficialOfAnotherRegionCannotSubscribeToThisScope(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		sub := subscribe(t, w.srv, w.outsider.token, `subscription($s: ID) { alertRaised(scope: $s) { id } }`, map[string]any{"s": w.district})
		m := sub.read(5 * time.Second)
		if !strings.Contains(fmt.Sprint(m), "FORBIDDEN") && !strings.Contains(fmt.Sprint(m), "NOT_FOUND") {
			t.Fatalf("subscription to another region answered %v", m)
		}
		scanner := subscribe(t, w.srv, w.scanner.token, `subscription { alertRaised { id } }`, nil)
		if m := scanner.read(5 * time.Second); !strings.Contains(fmt.Sprint(m), "FORBIDDEN") {
			t.Fatalf("a scanner's subscription answered %v", m)
		}
		// The district's own official, subscribed to the district with the
		// barest selection, receives the alert of a risk change there.
		own := subscribe(t, w.srv, w.official.token, `subscription($s: ID) { alertRaised(scope: $s) { id } }`, map[string]any{"s": w.district})
		w.srv.WaitSubscribers(1) // the refused subscriptions above hold none
		var red struct{ SetRisk struct{ Colour string } }
		w.srv.QueryAs(w.official.token, `mutation($p: ID!) { setRisk(input: {person: $p, risk: SUSPECTED}) { colour } }`,
			map[string]any{"p": w.resident.ID}).Decode(t, &red)
		if a := own.next(10 * time.Second); a["id"] == nil {
			t.Fatalf("the district's official received %v", a)
		}
	})
}

// A scanner records only at sites within its scope, and shows only their codes.
func TestScannerCannotRecordAtASiteOutsideItsScope(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		_, resp := recordScan(t, w.srv, w.scanner.token, map[string]any{"clientId": "x-1", "site": w.ningguoSite, "method": "MANUAL",
			"manual": map[string]any{"name": "路人", "idNumber": validID(t, "22010419700101031")}, "temperature": 36.5})
		wantCodes(t, resp, "FORBIDDEN")
		if n, err := db.Client.Scan.Query().Where(scan.ClientID("x-1")).Count(context.Background()); err != nil || n != 0 {
			t.Fatalf("stored %d scans %v", n, err)
		}
		resp = w.srv.QueryAs(w.scanner.token, `mutation($s: ID!) { issueSiteCode(site: $s) { token } }`, map[string]any{"s": w.ningguoSite})
		if c := resp.Codes(); !slices.Equal(c, []string{"NOT_FOUND"}) && !slices.Equal(c, []string{"FORBIDDEN"}) {
			t.Fatalf("another site's code: %+v", resp.Errors)
		}
	})
}

// Only an official of the resident's region (or the province) changes
// their risk; scanners never handle alerts.
func TestOfficialOfAnotherRegionCannotSetRisk(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		set := `mutation($p: ID!) { setRisk(input: {person: $p, risk: CONFIRMED}) { colour } }`
		wantCodes(t, w.srv.QueryAs(w.outsider.token, set, map[string]any{"p": w.resident.ID}), "FORBIDDEN")
		wantCodes(t, w.srv.QueryAs(w.scanner.token, set, map[string]any{"p": w.resident.ID}), "FORBIDDEN")
		wantCodes(t, w.srv.QueryAs(w.grid.token, set, map[string]any{"p": w.resident.ID}), "FORBIDDEN")
		var red struct{ SetRisk struct{ Colour string } }
		w.srv.QueryAs(w.official.token, set, map[string]any{"p": w.resident.ID}).Decode(t, &red)
		if red.SetRisk.Colour != "RED" {
			t.Fatalf("confirmed → %s", red.SetRisk.Colour)
		}
		var al struct {
			Alerts struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		w.srv.QueryAs(w.official.token, `{ alerts(first: 5) { edges { node { id } } } }`, nil).Decode(t, &al)
		if len(al.Alerts.Edges) != 1 {
			t.Fatalf("alerts %+v", al)
		}
		handle := `mutation($a: ID!, $g: ID) { handleAlert(input: {alert: $a, action: ASSIGN, assignee: $g}) { status } }`
		wantCodes(t, w.srv.QueryAs(w.scanner.token, handle, map[string]any{"a": al.Alerts.Edges[0].Node.ID, "g": w.grid.ID}), "FORBIDDEN")
		wantCodes(t, w.srv.QueryAs(w.outsider.token, handle, map[string]any{"a": al.Alerts.Edges[0].Node.ID, "g": w.grid.ID}), "FORBIDDEN")
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
		w.srv.QueryAs(w.initiator, `mutation($a: ID!, $e: Time!) { giveGrant(accountId: $a, kind: TRACER, expiresAt: $e, reason: "流调") { kind } }`,
			map[string]any{"a": w.official.ID, "e": time.Now().Add(time.Hour).Format(time.RFC3339)}).Decode(t, &grant)
		tracer := w.srv.Login("13600000031", "pass-13600000031")
		var residentID int
		fmt.Sscan(w.resident.ID, &residentID)
		t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
		add := func(client string, siteID int, personID *int, name string, at time.Time) {
			t.Helper()
			if err := db.Client.Scan.Create().SetClientID(client).SetAccountID(1).SetAccountPath("/a1/").SetScannerName("王*").
				SetSiteID(siteID).SetSitePath(fmt.Sprintf("/22/s%d/", siteID)).SetSiteName(fmt.Sprint("场所", siteID)).SetSector("OTHER").
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

package graph_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/scan"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/stats/statstest"
)

// TestHealthCodeScanAlertTraceThroughGraphQL is issue 4's "done means": a
// person registers and shows a code; an ordinary scanner scans it at
// 37.8 °C → DENY, the person YELLOW, an alert on the district official's
// open subscription; a later scan at 36.5 °C → PASS, GREEN; a control list
// marks them QUARANTINED → ORANGE; a tracer lists their trajectory and
// contacts. All through GraphQL, on both databases.
func TestHealthCodeScanAlertTraceThroughGraphQL(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		srv := apitest.New(t, db, httpserver.Config{})
		initiator := srv.LoginInitiator()
		district := fmt.Sprint(f.chaoyangID)
		community := fmt.Sprint(f.tree.ByCode["220104001001"].ID)
		park := fmt.Sprint(f.park.ID)

		official := createAccount(t, srv, initiator, "OFFICIAL", district, "朝阳区卫健局", "13600000001", "")
		grid := createAccount(t, srv, initiator, "GRID_WORKER", community, "前进社区网格员", "13600000002", "")
		scannerID := validID(t, "22010419800101001")
		scanner := createAccount(t, srv, initiator, "ORDINARY", park, "南湖公园扫码员", "13600000003", scannerID)
		// seed 001 §7: the scanner's own code must be green; register it.
		registerPerson(t, srv, "南湖公园扫码员", scannerID, community)

		var grant struct{ GiveGrant struct{ Kind string } }
		srv.QueryAs(initiator, `mutation($a: ID!, $e: Time!) { giveGrant(accountId: $a, kind: TRACER, expiresAt: $e, reason: "流调", caseNumber: "案2026-1") { kind } }`,
			map[string]any{"a": official.ID, "e": time.Now().Add(24 * time.Hour).Format(time.RFC3339)}).Decode(t, &grant)
		official.token = srv.Login("13600000001", "pass-13600000001") // grants are loaded at login

		residentID := validID(t, "22010419900307123")
		resident := registerPerson(t, srv, "张三", residentID, community)
		code := issueCode(t, srv, resident.Token)

		sub := subscribe(t, srv, official.token, `subscription($s: ID) { alertRaised(scope: $s) { id kind status reasons colour place nameMasked idNumberMasked temperature } }`,
			map[string]any{"s": district})
		// A subscription of another district's scope never sees this alert.
		outsider := createAccount(t, srv, initiator, "OFFICIAL", fmt.Sprint(f.ningguoID), "宁国市卫健局", "13600000004", "")
		otherSub := subscribe(t, srv, outsider.token, `subscription { alertRaised { id } }`, nil)
		// Another replica of the deployment (PostgreSQL: its own connections
		// and LISTEN) pushes the same alert to its own subscribers; the grid
		// worker follows there what is assigned to them.
		replica := srv
		if db.Dialect == "postgres" {
			replica = srv.Replica(httpserver.Config{})
		}
		replicaSub := subscribe(t, replica, official.token, `subscription { alertRaised { id kind } }`, nil)
		gridSub := subscribe(t, replica, grid.token, `subscription { alertRaised { id status } }`, nil)
		if replica == srv {
			srv.WaitSubscribers(4)
		} else {
			srv.WaitSubscribers(2)
			replica.WaitSubscribers(2)
		}

		loc := map[string]any{"latitude": 43.8601, "longitude": 125.3101}
		first := map[string]any{"clientId": "c-0001", "site": park, "method": "SCAN_CODE", "token": code, "temperature": 37.8,
			"latitude": loc["latitude"], "longitude": loc["longitude"]}
		s1, resp := recordScan(t, srv, scanner.token, first)
		if len(resp.Errors) > 0 {
			t.Fatalf("scan errors %+v", resp.Errors)
		}
		if s1.Decision != "DENY" || s1.Colour != "YELLOW" || !slices.Contains(s1.AlertReasons, "FEVER") || s1.SiteName != "南湖公园" ||
			s1.NameMasked == "张三" || strings.Contains(s1.IDNumberMasked, "19900307") {
			t.Fatalf("first scan %+v", s1)
		}
		if c := personColour(t, srv, official.token, resident.ID); c != "YELLOW" {
			t.Fatalf("after 37.8 °C the person is %s, want YELLOW", c)
		}
		a := sub.next(10 * time.Second)
		if a["kind"] != "SCAN" || a["status"] != "OPEN" || a["place"] != "南湖公园" || a["temperature"] != 37.8 ||
			!slices.Contains(toStrings(a["reasons"]), "FEVER") || a["nameMasked"] == "张三" {
			t.Fatalf("alert %v", a)
		}
		otherSub.nothing(300 * time.Millisecond)
		if r := replicaSub.next(10 * time.Second); r["id"] != a["id"] {
			t.Fatalf("the other replica pushed %v, want alert %v", r, a["id"])
		}
		gridSub.nothing(200 * time.Millisecond) // not assigned to them yet

		// A retry of the same client id returns the first scan, stores nothing.
		again, _ := recordScan(t, srv, scanner.token, first)
		if again.ID != s1.ID {
			t.Fatalf("retry stored a new scan %s (first %s)", again.ID, s1.ID)
		}

		second := map[string]any{"clientId": "c-0002", "site": park, "method": "SCAN_CODE", "token": code, "temperature": 36.5,
			"latitude": loc["latitude"], "longitude": loc["longitude"]}
		s2, resp := recordScan(t, srv, scanner.token, second)
		if len(resp.Errors) > 0 || s2.Decision != "PASS" || s2.Colour != "GREEN" {
			t.Fatalf("second scan %+v %+v", s2, resp.Errors)
		}
		if c := personColour(t, srv, official.token, resident.ID); c != "GREEN" {
			t.Fatalf("after 36.5 °C the person is %s, want GREEN", c)
		}

		// A contact: scanned at the same site five minutes later... (same server time here).
		contactID := validID(t, "22010419850505456")
		contact := registerPerson(t, srv, "李四", contactID, community)
		if _, resp := recordScan(t, srv, scanner.token, map[string]any{"clientId": "c-0003", "site": park, "method": "SCAN_CODE",
			"token": issueCode(t, srv, contact.Token), "temperature": 36.4, "latitude": 43.86, "longitude": 125.31}); len(resp.Errors) > 0 {
			t.Fatalf("contact scan %+v", resp.Errors)
		}

		// The control list marks the resident QUARANTINED → ORANGE.
		csv := "id_number,risk,quarantine_end\n" + residentID + ",QUARANTINED," + time.Now().AddDate(0, 0, 14).Format("2006-01-02") + "\n"
		var imp struct{ ImportControlList struct{ ID, Status string } }
		srv.QueryAs(official.token, `mutation($f: String!, $c: String!) { importControlList(filename: $f, contentBase64: $c) { id status } }`,
			map[string]any{"f": "管控名单.csv", "c": base64.StdEncoding.EncodeToString([]byte(csv))}).Decode(t, &imp)
		var job struct {
			ControlListImport struct {
				Status                   string
				AppliedRows, InvalidRows int
				RowErrors                []struct {
					Line   int
					Reason string
				}
			}
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			srv.QueryAs(official.token, `query($id: ID!) { controlListImport(id: $id) { status appliedRows invalidRows rowErrors { line reason } } }`,
				map[string]any{"id": imp.ImportControlList.ID}).Decode(t, &job)
			if s := job.ControlListImport.Status; s == "DONE" || s == "FAILED" || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if j := job.ControlListImport; j.Status != "DONE" || j.AppliedRows != 1 || j.InvalidRows != 0 {
			t.Fatalf("import job %+v", j)
		}
		if c := personColour(t, srv, official.token, resident.ID); c != "ORANGE" {
			t.Fatalf("after the control list the person is %s, want ORANGE", c)
		}
		orange := sub.next(10 * time.Second)
		if orange["kind"] != "COLOUR_CHANGE" || orange["colour"] != "ORANGE" {
			t.Fatalf("colour alert %v", orange)
		}

		// Tracing: the TRACER lists the trajectory and the contacts.
		from, to := time.Now().Add(-time.Hour).Format(time.RFC3339), time.Now().Add(time.Hour).Format(time.RFC3339)
		var trace struct {
			PersonTrajectory struct {
				Scans struct {
					Edges []struct{ Node struct{ ID, Decision string } }
				}
				CSV string
			}
			CoLocated struct {
				Contacts []struct{ NameMasked, SiteName string }
				CSV      string
			}
		}
		srv.QueryAs(official.token, `query($p: ID!, $from: Time!, $to: Time!) {
			personTrajectory(person: $p, from: $from, to: $to) { scans { edges { node { id decision } } } csv }
			coLocated(person: $p, from: $from, to: $to, windowMinutes: 30) { contacts { nameMasked siteName } csv } }`,
			map[string]any{"p": resident.ID, "from": from, "to": to}).Decode(t, &trace)
		tr := trace.PersonTrajectory
		if e := tr.Scans.Edges; len(e) != 2 || e[0].Node.Decision != "DENY" || e[1].Node.Decision != "PASS" || strings.Count(tr.CSV, "\n") != 3 {
			t.Fatalf("trajectory %+v", tr)
		}
		co := trace.CoLocated
		if len(co.Contacts) != 1 || co.Contacts[0].SiteName != "南湖公园" || co.Contacts[0].NameMasked == "李四" || !strings.Contains(co.CSV, "南湖公园") {
			t.Fatalf("contacts %+v", co)
		}
		// Without the grant, tracing is refused.
		if resp := srv.QueryAs(grid.token, `query($p: ID!, $from: Time!, $to: Time!) { personTrajectory(person: $p, from: $from, to: $to) { csv } }`,
			map[string]any{"p": resident.ID, "from": from, "to": to}); !slices.Equal(resp.Codes(), []string{"FORBIDDEN"}) {
			t.Fatalf("grid worker traced: %+v", resp.Errors)
		}

		// The alert's handling: the official assigns the community's grid
		// worker, who visits; the grid worker may not close it.
		alertID := a["id"].(string)
		handle := `mutation($in: HandleAlertInput!) { handleAlert(input: $in) { status steps { from to note } } }`
		var h struct{ HandleAlert struct{ Status string } }
		srv.QueryAs(official.token, handle, map[string]any{"in": map[string]any{"alert": alertID, "action": "ASSIGN", "assignee": grid.ID}}).Decode(t, &h)
		if h.HandleAlert.Status != "ASSIGNED" {
			t.Fatalf("assign %+v", h)
		}
		// The grid worker's subscription receives the assignment, and only it
		// (the colour alert raised meanwhile is not theirs).
		if g := gridSub.next(10 * time.Second); g["id"] != alertID || g["status"] != "ASSIGNED" {
			t.Fatalf("grid worker pushed %v, want alert %s ASSIGNED", g, alertID)
		}
		if resp := srv.QueryAs(grid.token, handle, map[string]any{"in": map[string]any{"alert": alertID, "action": "CLOSE"}}); !slices.Contains(resp.Codes(), "FORBIDDEN") && !slices.Contains(resp.Codes(), "CONFLICT") {
			t.Fatalf("grid worker closed before visiting: %+v", resp.Errors)
		}
		srv.QueryAs(grid.token, handle, map[string]any{"in": map[string]any{"alert": alertID, "action": "VISIT", "note": "上门核实：已居家观察"}}).Decode(t, &h)
		if h.HandleAlert.Status != "VISITED" {
			t.Fatalf("visit %+v", h)
		}
		if resp := srv.QueryAs(grid.token, handle, map[string]any{"in": map[string]any{"alert": alertID, "action": "CLOSE"}}); !slices.Equal(resp.Codes(), []string{"FORBIDDEN"}) {
			t.Fatalf("grid worker closed: %+v", resp.Errors)
		}
		srv.QueryAs(official.token, handle, map[string]any{"in": map[string]any{"alert": alertID, "action": "CLOSE", "note": "解除"}}).Decode(t, &h)
		if h.HandleAlert.Status != "CLOSED" {
			t.Fatalf("close %+v", h)
		}

		// The scans list shows seed 004 annex note 2's fields, masked, by scope.
		var list struct {
			Scans struct {
				Edges []struct{ Node scanOut }
			}
		}
		srv.QueryAs(official.token, `query($w: ID) { scans(first: 10, orderBy: {field: SERVER_TIME, direction: DESC}, where: {within: $w}) { edges { node { `+scanFields+` } } } }`,
			map[string]any{"w": district}).Decode(t, &list)
		if len(list.Scans.Edges) != 3 {
			t.Fatalf("official sees %d scans, want 3", len(list.Scans.Edges))
		}
		srv.QueryAs(outsider.token, `{ scans(first: 10) { edges { node { id } } } }`, nil).Decode(t, &list)
		if len(list.Scans.Edges) != 0 {
			t.Fatalf("another district's official sees %d scans", len(list.Scans.Edges))
		}

		// Personal data in clear needs a PII_VIEWER grant, and every read is audited.
		identity := `query($id: ID!) { node(id: $id) { ... on Person { nameMasked identity(reason: "核实身份") { name idNumber phone } } } }`
		if resp := srv.QueryAs(official.token, identity, map[string]any{"id": resident.ID}); !slices.Equal(resp.Codes(), []string{"FORBIDDEN"}) {
			t.Fatalf("unmasked without a grant: %+v %s", resp.Errors, resp.Data)
		}
		srv.QueryAs(initiator, `mutation($a: ID!, $e: Time!) { giveGrant(accountId: $a, kind: PII_VIEWER, expiresAt: $e, reason: "核实身份", caseNumber: "案2026-1") { kind } }`,
			map[string]any{"a": official.ID, "e": time.Now().Add(time.Hour).Format(time.RFC3339)}).Decode(t, &grant)
		official.token = srv.Login("13600000001", "pass-13600000001")
		var who struct {
			Node struct {
				NameMasked string
				Identity   struct{ Name, IDNumber, Phone string }
			}
		}
		srv.QueryAs(official.token, identity, map[string]any{"id": resident.ID}).Decode(t, &who)
		if who.Node.Identity.Name != "张三" || who.Node.Identity.IDNumber != residentID || who.Node.Identity.Phone != "13812345678" {
			t.Fatalf("identity %+v", who.Node)
		}

		// The audit log: the province reads it; nobody else may; it never
		// holds the personal data the mutations carried.
		var log struct {
			AuditEvents struct {
				Edges []struct {
					Node struct{ Action, Target, Detail string }
				}
			}
		}
		srv.QueryAs(initiator, `{ auditEvents(first: 200) { edges { node { action target detail } } } }`, nil).Decode(t, &log)
		actions := map[string]bool{}
		for _, edge := range log.AuditEvents.Edges {
			e := edge.Node
			actions[e.Action] = true
			if strings.Contains(e.Detail, residentID) || strings.Contains(e.Detail, "张三") || strings.Contains(e.Detail, "13812345678") {
				t.Fatalf("audit event %s holds personal data: %s", e.Action, e.Detail)
			}
		}
		for _, want := range []string{"registerPerson", "recordScans", "importControlList", "handleAlert", "personTrajectory", "coLocated", "unmaskPerson", "giveGrant"} {
			if !actions[want] {
				t.Errorf("no audit event %s among %v", want, actions)
			}
		}
		if resp := srv.QueryAs(official.token, `{ auditEvents { edges { node { action } } } }`, nil); !slices.Equal(resp.Codes(), []string{"FORBIDDEN"}) {
			t.Fatalf("an official read the audit log: %+v", resp.Errors)
		}
		// Issue 12: the statistics rollups equal a recount of the raw rows.
		statstest.MustVerify(t, db.Client, "scans", "registrations", "alerts", "colour changes", "control-list changes")
	})
}

func toStrings(v any) []string {
	var out []string
	b, _ := json.Marshal(v)
	_ = json.Unmarshal(b, &out)
	return out
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

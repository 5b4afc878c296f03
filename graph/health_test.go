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

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/validate"
)

// validID builds a GB 11643 resident ID from 17 digits.
func validID(t *testing.T, first17 string) string {
	t.Helper()
	d, err := validate.ResidentIDCheckDigit(first17)
	if err != nil {
		t.Fatal(err)
	}
	return first17 + string(d)
}

// wsClient speaks graphql-transport-ws to the server. One goroutine reads
// the connection (coder/websocket closes a connection whose read times
// out), the tests wait on its channel.
type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
	ctx  context.Context
	in   chan map[string]any
}

func subscribe(t *testing.T, srv *apitest.Server, tok, query string, vars map[string]any) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/graphql"
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(websocket.StatusNormalClosure, "") })
	c := &wsClient{t: t, conn: conn, ctx: ctx, in: make(chan map[string]any, 64)}
	go func() {
		defer close(c.in)
		for {
			var m map[string]any
			if err := wsjson.Read(ctx, conn, &m); err != nil {
				return
			}
			if m["type"] != "ping" && m["type"] != "pong" {
				c.in <- m
			}
		}
	}()
	if err := wsjson.Write(ctx, conn, map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + tok}}); err != nil {
		t.Fatal(err)
	}
	if m := c.read(5 * time.Second); m["type"] != "connection_ack" {
		t.Fatalf("expected connection_ack, got %v", m)
	}
	if err := wsjson.Write(ctx, conn, map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}}); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *wsClient) read(timeout time.Duration) map[string]any {
	c.t.Helper()
	select {
	case m, ok := <-c.in:
		if !ok {
			c.t.Fatal("the websocket closed")
		}
		return m
	case <-time.After(timeout):
		c.t.Fatalf("nothing arrived on the websocket within %s", timeout)
	}
	return nil
}

// next waits for the next subscription payload.
func (c *wsClient) next(timeout time.Duration) map[string]any {
	c.t.Helper()
	m := c.read(timeout)
	if m["type"] != "next" {
		c.t.Fatalf("expected next, got %v", m)
	}
	payload, _ := m["payload"].(map[string]any)
	if errs, ok := payload["errors"]; ok {
		c.t.Fatalf("subscription errors: %v", errs)
	}
	data, _ := payload["data"].(map[string]any)
	a, _ := data["alertRaised"].(map[string]any)
	return a
}

// nothing asserts that no message arrives within d.
func (c *wsClient) nothing(d time.Duration) {
	c.t.Helper()
	select {
	case m, ok := <-c.in:
		if ok {
			c.t.Fatalf("unexpected message %v", m)
		}
	case <-time.After(d):
	}
}

type account struct{ ID, token string }

func createAccount(t *testing.T, srv *apitest.Server, as, role, scopeID, name, phone, idNumber string) account {
	t.Helper()
	var out struct{ CreateAccount struct{ ID string } }
	holder := map[string]any{"name": name, "phone": phone, "password": "pass-" + phone}
	if idNumber != "" {
		holder["idNumber"] = idNumber
	}
	srv.QueryAs(as, `mutation($in: CreateAccountInput!) { createAccount(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"role": role, "scopeId": scopeID, "holder": holder}}).Decode(t, &out)
	return account{ID: out.CreateAccount.ID, token: srv.Login(phone, "pass-"+phone)}
}

type registered struct{ ID, Token string }

func registerPerson(t *testing.T, srv *apitest.Server, name, id, residence string) registered {
	t.Helper()
	var out struct {
		RegisterPerson struct {
			Person      struct{ ID, Colour, IDNumberMasked string }
			PersonToken string
		}
	}
	in := map[string]any{"name": name, "idNumber": id, "phone": "13812345678"}
	if residence != "" {
		in["residenceRegion"] = residence
	}
	srv.Query(`mutation($in: RegisterPersonInput!) { registerPerson(input: $in) { person { id colour idNumberMasked } personToken } }`,
		map[string]any{"in": in}).Decode(t, &out)
	p := out.RegisterPerson
	if p.Person.Colour != "GREEN" || !strings.HasPrefix(p.PersonToken, "msp_") || strings.Contains(p.Person.IDNumberMasked, id[6:14]) {
		t.Fatalf("registered %+v", p)
	}
	return registered{ID: p.Person.ID, Token: p.PersonToken}
}

func issueCode(t *testing.T, srv *apitest.Server, personToken string) string {
	t.Helper()
	var out struct {
		IssueCode struct{ Token, Colour, PngBase64, SVG string }
	}
	srv.Query(`mutation($t: String!) { issueCode(input: {personToken: $t, ttlMinutes: 5}) { token colour pngBase64 svg } }`,
		map[string]any{"t": personToken}).Decode(t, &out)
	png, _ := base64.StdEncoding.DecodeString(out.IssueCode.PngBase64)
	if !strings.HasPrefix(out.IssueCode.Token, "HC1:") || len(png) < 8 || string(png[1:4]) != "PNG" || !strings.Contains(out.IssueCode.SVG, "<svg") {
		t.Fatalf("code %+v", out.IssueCode.Token)
	}
	return out.IssueCode.Token
}

type scanOut struct {
	ID, Decision, Colour, NameMasked, IDNumberMasked, Method, SiteName, ScannerName string
	Temperature                                                                     float64
	AlertReasons                                                                    []string
}

const scanFields = `id decision colour nameMasked idNumberMasked method siteName scannerName temperature alertReasons`

func recordScan(t *testing.T, srv *apitest.Server, as string, in map[string]any) (scanOut, *apitest.Response) {
	t.Helper()
	resp := srv.QueryAs(as, `mutation($in: ScanInput!) { recordScan(input: $in) { `+scanFields+` } }`, map[string]any{"in": in})
	var out struct{ RecordScan scanOut }
	if len(resp.Errors) == 0 {
		resp.Decode(t, &out)
	}
	return out.RecordScan, resp
}

func personColour(t *testing.T, srv *apitest.Server, as, id string) string {
	t.Helper()
	var out struct{ Node struct{ Colour string } }
	srv.QueryAs(as, `query($id: ID!) { node(id: $id) { ... on Person { colour } } }`, map[string]any{"id": id}).Decode(t, &out)
	return out.Node.Colour
}

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
		srv.QueryAs(initiator, `mutation($a: ID!, $e: Time!) { giveGrant(accountId: $a, kind: TRACER, expiresAt: $e, reason: "流调") { kind } }`,
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
				Scans []struct{ ID, Decision string }
				CSV   string
			}
			CoLocated struct {
				Contacts []struct{ NameMasked, SiteName string }
				CSV      string
			}
		}
		srv.QueryAs(official.token, `query($p: ID!, $from: Time!, $to: Time!) {
			personTrajectory(person: $p, from: $from, to: $to) { scans { id decision } csv }
			coLocated(person: $p, from: $from, to: $to, windowMinutes: 30) { contacts { nameMasked siteName } csv } }`,
			map[string]any{"p": resident.ID, "from": from, "to": to}).Decode(t, &trace)
		tr := trace.PersonTrajectory
		if len(tr.Scans) != 2 || tr.Scans[0].Decision != "DENY" || tr.Scans[1].Decision != "PASS" || strings.Count(tr.CSV, "\n") != 3 {
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
		identity := `query($id: ID!) { node(id: $id) { ... on Person { nameMasked identity { name idNumber phone } } } }`
		if resp := srv.QueryAs(official.token, identity, map[string]any{"id": resident.ID}); !slices.Equal(resp.Codes(), []string{"FORBIDDEN"}) {
			t.Fatalf("unmasked without a grant: %+v %s", resp.Errors, resp.Data)
		}
		srv.QueryAs(initiator, `mutation($a: ID!, $e: Time!) { giveGrant(accountId: $a, kind: PII_VIEWER, expiresAt: $e, reason: "核实身份") { kind } }`,
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
			AuditEvents []struct{ Action, Target, Detail string }
		}
		srv.QueryAs(initiator, `{ auditEvents(first: 200) { action target detail } }`, nil).Decode(t, &log)
		actions := map[string]bool{}
		for _, e := range log.AuditEvents {
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
		if resp := srv.QueryAs(official.token, `{ auditEvents { action } }`, nil); !slices.Equal(resp.Codes(), []string{"FORBIDDEN"}) {
			t.Fatalf("an official read the audit log: %+v", resp.Errors)
		}
	})
}

func toStrings(v any) []string {
	var out []string
	b, _ := json.Marshal(v)
	_ = json.Unmarshal(b, &out)
	return out
}

// TestAnonymousRegistrationFloodIsRateLimited: an anonymous caller cannot
// register persons in bulk (nor test ID numbers one by one); a logged-in
// official registering residents is not limited.
func TestAnonymousRegistrationFloodIsRateLimited(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		newFixture(t, db)
		srv := apitest.New(t, db, httpserver.Config{})
		const q = `mutation($in: RegisterPersonInput!) { registerPerson(input: $in) { person { id } } }`
		var limited bool
		for i := 0; i < 40 && !limited; i++ {
			resp := srv.Query(q, map[string]any{"in": map[string]any{"name": "居民", "idNumber": validID(t, fmt.Sprintf("22010419900101%03d", i))}})
			switch {
			case slices.Equal(resp.Codes(), []string{"RATE_LIMITED"}):
				if i != 30 {
					t.Fatalf("limited after %d registrations, want 30", i)
				}
				limited = true
			case len(resp.Errors) > 0:
				t.Fatalf("registration %d: %+v", i, resp.Errors)
			}
		}
		if !limited {
			t.Fatal("40 anonymous registrations from one address were all accepted")
		}
		initiator := srv.LoginInitiator()
		var out struct {
			RegisterPerson struct{ Person struct{ ID string } }
		}
		srv.QueryAs(initiator, q, map[string]any{"in": map[string]any{"name": "居民", "idNumber": validID(t, "22010419900101999")}}).Decode(t, &out)
		if out.RegisterPerson.Person.ID == "" {
			t.Fatal("the initiator could not register a resident")
		}
	})
}

// TestRuleSetsThroughGraphQL: the province publishes a new version of the
// colour rules (seed 003 §五(二)); a broken one is refused with the rule
// named and nothing stored; the new fever line governs both the colour and
// the decision at the door; only the INITIATOR publishes.
func TestRuleSetsThroughGraphQL(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		srv := apitest.New(t, db, httpserver.Config{})
		initiator := srv.LoginInitiator()
		community := fmt.Sprint(f.tree.ByCode["220104001001"].ID)
		park := fmt.Sprint(f.park.ID)
		official := createAccount(t, srv, initiator, "OFFICIAL", fmt.Sprint(f.chaoyangID), "卫健局", "13600000011", "")
		scannerID := validID(t, "22010419800101011")
		scanner := createAccount(t, srv, initiator, "ORDINARY", park, "扫码员", "13600000012", scannerID)
		registerPerson(t, srv, "扫码员", scannerID, community)
		resident := registerPerson(t, srv, "张三", validID(t, "22010419900307011"), community)

		var sets struct{ RuleSets []struct{ Version int } }
		srv.QueryAs(initiator, `{ ruleSets { version } }`, nil).Decode(t, &sets)
		if len(sets.RuleSets) != 1 || sets.RuleSets[0].Version != 1 {
			t.Fatalf("rule sets %+v", sets.RuleSets)
		}
		publish := `mutation($r: String!) { publishRuleSet(input: {rules: $r, note: "发热线调整为38.0"}) { version } }`
		rules := func(fever, yellowWhen string) string {
			return `{"version": 2, "params": {"fever_c": ` + fever + `}, "rules": [
				{"colour": "RED", "when": "person.risk == 'CONFIRMED' || person.risk == 'SUSPECTED'", "cause": "confirmed or suspected"},
				{"colour": "ORANGE", "when": "(person.risk == 'CLOSE_CONTACT' || person.risk == 'QUARANTINED') && (!person.has_quarantine_end || now < person.quarantine_ends || person.symptomatic)", "cause": "quarantine not ended"},
				{"colour": "YELLOW", "when": "` + yellowWhen + `", "cause": "fever on site"}]}`
		}
		resp := srv.QueryAs(initiator, publish, map[string]any{"r": rules("38.0", "person.temprature >= params.fever_c")})
		if !slices.Equal(resp.Codes(), []string{"INVALID_INPUT"}) || !strings.Contains(resp.Errors[0].Message, "temprature") {
			t.Fatalf("a misspelt field was accepted: %+v", resp.Errors)
		}
		if resp := srv.QueryAs(official.token, publish, map[string]any{"r": rules("38.0", "person.has_temperature && person.temperature >= params.fever_c")}); !slices.Equal(resp.Codes(), []string{"FORBIDDEN"}) {
			t.Fatalf("an official published rules: %+v", resp.Errors)
		}
		var pub struct{ PublishRuleSet struct{ Version int } }
		srv.QueryAs(initiator, publish, map[string]any{"r": rules("38.0", "person.has_temperature && person.temperature >= params.fever_c")}).Decode(t, &pub)
		if pub.PublishRuleSet.Version != 2 {
			t.Fatalf("published %+v", pub)
		}
		srv.QueryAs(initiator, `{ ruleSets { version } }`, nil).Decode(t, &sets)
		if len(sets.RuleSets) != 2 {
			t.Fatalf("rule sets after publishing %+v", sets.RuleSets)
		}
		// 37.8 °C is below the new line: no fever, GREEN, PASS.
		s, resp := recordScan(t, srv, scanner.token, map[string]any{"clientId": "r-1", "site": park, "method": "SCAN_CODE",
			"token": issueCode(t, srv, resident.Token), "temperature": 37.8, "latitude": 43.86, "longitude": 125.31})
		if len(resp.Errors) > 0 || s.Decision != "PASS" || s.Colour != "GREEN" || len(s.AlertReasons) != 0 {
			t.Fatalf("scan under rules v2: %+v %+v", s, resp.Errors)
		}
		s, _ = recordScan(t, srv, scanner.token, map[string]any{"clientId": "r-2", "site": park, "method": "SCAN_CODE",
			"token": issueCode(t, srv, resident.Token), "temperature": 38.1, "latitude": 43.86, "longitude": 125.31})
		if s.Decision != "DENY" || s.Colour != "YELLOW" {
			t.Fatalf("38.1 °C under rules v2: %+v", s)
		}
	})
}

// TestCitizenAndOfficialFieldsThroughGraphQL: the daily check-in by the
// person's own token, a test result by an official and the 7-day answer,
// the site's code for self-scan in a batch whose bad item is reported by
// index, and the alert pause of a region.
func TestCitizenAndOfficialFieldsThroughGraphQL(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		srv := apitest.New(t, db, httpserver.Config{})
		initiator := srv.LoginInitiator()
		community := fmt.Sprint(f.tree.ByCode["220104001001"].ID)
		district := fmt.Sprint(f.chaoyangID)
		park := fmt.Sprint(f.park.ID)
		official := createAccount(t, srv, initiator, "OFFICIAL", district, "卫健局", "13600000021", "")
		scannerID := validID(t, "22010419800101021")
		scanner := createAccount(t, srv, initiator, "ORDINARY", park, "扫码员", "13600000022", scannerID)
		registerPerson(t, srv, "扫码员", scannerID, community)
		resident := registerPerson(t, srv, "王五", validID(t, "22010419900307021"), community)

		// The daily check-in: by the person's token; a second one the same day is a conflict.
		declare := `mutation($in: DeclareHealthInput!) { declareHealth(input: $in) { day symptoms temperature } }`
		var decl struct {
			DeclareHealth struct {
				Day      string
				Symptoms []string
			}
		}
		srv.Query(declare, map[string]any{"in": map[string]any{"personToken": resident.Token, "symptoms": []string{"咳嗽"}, "temperature": 36.8, "travel": "无"}}).Decode(t, &decl)
		if decl.DeclareHealth.Day == "" || len(decl.DeclareHealth.Symptoms) != 1 {
			t.Fatalf("declaration %+v", decl)
		}
		if resp := srv.Query(declare, map[string]any{"in": map[string]any{"personToken": resident.Token}}); !slices.Equal(resp.Codes(), []string{"CONFLICT"}) {
			t.Fatalf("second declaration the same day: %+v", resp.Errors)
		}
		if resp := srv.Query(declare, map[string]any{"in": map[string]any{"personToken": "msp_forged"}}); !slices.Equal(resp.Codes(), []string{"UNAUTHENTICATED"}) {
			t.Fatalf("forged personToken: %+v", resp.Errors)
		}
		if resp := srv.Query(declare, map[string]any{"in": map[string]any{"person": resident.ID}}); !slices.Equal(resp.Codes(), []string{"UNAUTHENTICATED"}) {
			t.Fatalf("anonymous declaration by person id: %+v", resp.Errors)
		}

		// A test result by an official; the scanner may not add one.
		add := `mutation($in: TestResultInput!) { addTestResult(input: $in) { kind result } }`
		in := map[string]any{"person": resident.ID, "kind": "PCR", "result": "NEGATIVE", "sampledAt": time.Now().Add(-time.Hour).Format(time.RFC3339), "source": "区疾控中心"}
		if resp := srv.QueryAs(scanner.token, add, map[string]any{"in": in}); !slices.Equal(resp.Codes(), []string{"FORBIDDEN"}) {
			t.Fatalf("a scanner added a test result: %+v", resp.Errors)
		}
		var tr struct{ AddTestResult struct{ Kind, Result string } }
		srv.QueryAs(official.token, add, map[string]any{"in": in}).Decode(t, &tr)
		var p struct {
			Node struct{ ValidTestWithin7Days bool }
		}
		srv.QueryAs(official.token, `query($id: ID!) { node(id: $id) { ... on Person { validTestWithin7Days } } }`, map[string]any{"id": resident.ID}).Decode(t, &p)
		if tr.AddTestResult.Result != "NEGATIVE" || !p.Node.ValidTestWithin7Days {
			t.Fatalf("test %+v, valid %v", tr, p.Node.ValidTestWithin7Days)
		}

		// The site's code, then a batch: a self-scan, and one at 43.5 °C.
		var sc struct{ IssueSiteCode struct{ Token string } }
		srv.QueryAs(scanner.token, `mutation($s: ID!) { issueSiteCode(site: $s) { token } }`, map[string]any{"s": park}).Decode(t, &sc)
		var batch struct {
			RecordScans struct {
				Stored, Failed int
				Results        []struct {
					Index int
					Scan  *struct{ Method, Decision string }
					Error *struct{ Code, Field string }
				}
			}
		}
		code := issueCode(t, srv, resident.Token)
		srv.QueryAs(scanner.token, `mutation($in: [ScanInput!]!) { recordScans(input: $in) { stored failed results { index scan { method decision } error { code field } } } }`,
			map[string]any{"in": []map[string]any{
				{"clientId": "b-1", "site": park, "method": "SELF_SCAN", "token": code, "siteCode": sc.IssueSiteCode.Token, "temperature": 36.4, "latitude": 43.86, "longitude": 125.31},
				{"clientId": "b-2", "site": park, "method": "SCAN_CODE", "token": code, "temperature": 43.5, "latitude": 43.86, "longitude": 125.31},
			}}).Decode(t, &batch)
		rs := batch.RecordScans
		if rs.Stored != 1 || rs.Failed != 1 || rs.Results[0].Scan == nil || rs.Results[0].Scan.Method != "SELF_SCAN" ||
			rs.Results[1].Error == nil || rs.Results[1].Error.Code != "INVALID_INPUT" || rs.Results[1].Error.Field != "temperature" {
			t.Fatalf("batch %+v", rs)
		}

		// Pausing the district's pushes: the official may, the scanner may not.
		pause := `mutation($r: ID!, $p: Boolean!) { pauseAlerts(region: $r, paused: $p, reason: "导入错误") }`
		if resp := srv.QueryAs(scanner.token, pause, map[string]any{"r": district, "p": true}); !slices.Equal(resp.Codes(), []string{"FORBIDDEN"}) {
			t.Fatalf("a scanner paused alerts: %+v", resp.Errors)
		}
		var paused struct{ PauseAlerts bool }
		srv.QueryAs(official.token, pause, map[string]any{"r": district, "p": true}).Decode(t, &paused)
		var pauses struct {
			AlertPauses []struct {
				Reason string
				Region struct{ Code string }
			}
		}
		srv.QueryAs(official.token, `{ alertPauses { reason region { code } } }`, nil).Decode(t, &pauses)
		if !paused.PauseAlerts || len(pauses.AlertPauses) != 1 || pauses.AlertPauses[0].Region.Code != "220104" {
			t.Fatalf("pauses %+v", pauses)
		}
		// A fever scan while paused: the alert is recorded, not pushed.
		sub := subscribe(t, srv, official.token, `subscription { alertRaised { id } }`, nil)
		srv.WaitSubscribers(1)
		if _, resp := recordScan(t, srv, scanner.token, map[string]any{"clientId": "b-3", "site": park, "method": "SCAN_CODE",
			"token": code, "temperature": 38.2, "latitude": 43.86, "longitude": 125.31}); len(resp.Errors) > 0 {
			t.Fatalf("scan %+v", resp.Errors)
		}
		sub.nothing(400 * time.Millisecond)
		var al struct {
			Alerts struct {
				Edges []struct{ Node struct{ Pushed bool } }
			}
		}
		srv.QueryAs(official.token, `{ alerts(first: 10) { edges { node { pushed } } } }`, nil).Decode(t, &al)
		if len(al.Alerts.Edges) != 1 || al.Alerts.Edges[0].Node.Pushed {
			t.Fatalf("alerts while paused %+v", al)
		}
	})
}

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
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/stats/statstest"
)

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

		// The daily check-in: by the person's token; a second one the same day is a correction (issue 11, point 9).
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
		if resp := srv.Query(declare, map[string]any{"in": map[string]any{"personToken": resident.Token}}); len(resp.Errors) > 0 {
			t.Fatalf("a correction the same day: %+v", resp.Errors)
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
					Error *struct {
						Code, Field, Message, MessageKey string
						Params                           map[string]any
					}
				}
			}
		}
		code := issueCode(t, srv, resident.Token)
		srv.QueryAs(scanner.token, `mutation($in: [ScanInput!]!) { recordScans(input: $in) { stored failed results { index scan { method decision } error { code field message messageKey params } } } }`,
			map[string]any{"in": []map[string]any{
				{"clientId": "b-1", "site": park, "method": "SELF_SCAN", "token": code, "siteCode": sc.IssueSiteCode.Token, "temperature": 36.4, "latitude": 43.86, "longitude": 125.31},
				{"clientId": "b-2", "site": park, "method": "SCAN_CODE", "token": code, "temperature": 43.5, "latitude": 43.86, "longitude": 125.31},
			}}).Decode(t, &batch)
		rs := batch.RecordScans
		if rs.Stored != 1 || rs.Failed != 1 || rs.Results[0].Scan == nil || rs.Results[0].Scan.Method != "SELF_SCAN" ||
			rs.Results[1].Error == nil || rs.Results[1].Error.Code != "INVALID_INPUT" || rs.Results[1].Error.Field != "temperature" {
			t.Fatalf("batch %+v", rs)
		}
		// An item's error speaks like a GraphQL error: Chinese by default,
		// with its catalog key and arguments for clients that translate.
		if ie := rs.Results[1].Error; !isChinese(ie.Message) || ie.MessageKey == "" || ie.Params == nil {
			t.Fatalf("item error %+v: want a Chinese message, a messageKey and params", ie)
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
		// Issue 12: the statistics rollups equal a recount of the raw rows.
		statstest.MustVerify(t, db.Client, "scans", "registrations", "alerts", "colour changes", "control-list changes")
	})
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
// unmasking event (only the refused attempt: TestARefusedUnmaskIsAudited).
func TestOfficialWithoutPIIViewerGrantCannotUnmask(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		resp := w.srv.QueryAs(w.official.token, `query($id: ID!) { node(id: $id) { ... on Person { nameMasked identity(reason: "核实身份") { idNumber } } } }`,
			map[string]any{"id": w.resident.ID})
		wantCodes(t, resp, "FORBIDDEN")
		if strings.Contains(string(resp.Data), "19900307") {
			t.Fatalf("the ID number leaked: %s", resp.Data)
		}
		if n, err := db.Client.AuditEvent.Query().Where(auditevent.Action("unmaskPerson"), auditevent.OutcomeEQ(auditevent.OutcomeSUCCEEDED)).Count(context.Background()); err != nil || n != 0 {
			t.Fatalf("unmasking events %d %v", n, err)
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
		// Another region's alert answers like a missing one (issue 10 §9).
		wantCodes(t, w.srv.QueryAs(w.outsider.token, handle, map[string]any{"a": al.Alerts.Edges[0].Node.ID, "g": w.grid.ID}), "NOT_FOUND")
	})
}

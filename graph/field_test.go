package graph_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/auditevent"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/persons"
)

// importControlList imports a CSV as the account as and waits for the job.
func importControlList(t *testing.T, srv *apitest.Server, as, csv string) {
	t.Helper()
	var imp struct{ ImportControlList struct{ ID string } }
	srv.QueryAs(as, `mutation($f: String!, $c: String!) { importControlList(filename: $f, contentBase64: $c) { id } }`,
		map[string]any{"f": "管控名单.csv", "c": base64.StdEncoding.EncodeToString([]byte(csv))}).Decode(t, &imp)
	var job struct {
		ControlListImport struct {
			Status      string
			AppliedRows int
		}
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		srv.QueryAs(as, `query($id: ID!) { controlListImport(id: $id) { status appliedRows } }`,
			map[string]any{"id": imp.ImportControlList.ID}).Decode(t, &job)
		if s := job.ControlListImport.Status; s == "DONE" || s == "FAILED" || time.Now().After(deadline) {
			break
		}
	}
	if j := job.ControlListImport; j.Status != "DONE" || j.AppliedRows != 1 {
		t.Fatalf("import job %+v", j)
	}
}

// TestAnImportedPersonCanClaimTheirRecordAndKeepsTheirColour (issue 11,
// point 8): the province imports a CONFIRMED person who has not registered;
// their own registration (same name and document) claims the record and
// gets a personToken and a code, and the colour stays RED. A second claim,
// or a claim under another name, is the CONFLICT every taken document gets.
func TestAnImportedPersonCanClaimTheirRecordAndKeepsTheirColour(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		id := validID(t, "22010419700707041")
		importControlList(t, w.srv, w.initiator, "id_number,risk,name\n"+id+",CONFIRMED,孙七\n")

		const q = `mutation($in: RegisterPersonInput!) { registerPerson(input: $in) { person { id colour risk } personToken } }`
		in := map[string]any{"name": "孙七", "idNumber": id, "phone": "13812340001", "residenceRegion": w.community}
		var out struct {
			RegisterPerson struct {
				Person      struct{ ID, Colour, Risk string }
				PersonToken string
			}
		}
		w.srv.Query(q, map[string]any{"in": in}).Decode(t, &out)
		got := out.RegisterPerson
		if got.Person.Colour != "RED" || got.Person.Risk != "CONFIRMED" || !strings.HasPrefix(got.PersonToken, "msp_") {
			t.Fatalf("claim answered %+v, want the RED record with a personToken", got)
		}
		// Their own app now reads their record and gets a (RED) code.
		var me struct{ MyPerson struct{ ID, Colour string } }
		w.srv.Query(`query($t: String!) { myPerson(personToken: $t) { id colour } }`, map[string]any{"t": got.PersonToken}).Decode(t, &me)
		if me.MyPerson.ID != got.Person.ID || me.MyPerson.Colour != "RED" {
			t.Fatalf("myPerson %+v", me.MyPerson)
		}
		var code struct{ IssueCode struct{ Colour string } }
		w.srv.Query(`mutation($t: String!) { issueCode(input: {personToken: $t}) { colour } }`, map[string]any{"t": got.PersonToken}).Decode(t, &code)
		if code.IssueCode.Colour != "RED" {
			t.Fatalf("code colour %q, want RED", code.IssueCode.Colour)
		}
		// The claim gave the record its residence: the district's official sees it.
		if c := personColour(t, w.srv, w.official.token, got.Person.ID); c != "RED" {
			t.Fatalf("the official sees colour %q", c)
		}
		n, err := db.Client.AuditEvent.Query().Where(auditevent.Action("claimPerson"), auditevent.Target("person:"+got.Person.ID)).Count(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("%d claimPerson audit events (%v), want 1", n, err)
		}

		// Nobody takes the claimed record over, and a wrong name claims nothing.
		wantCodes(t, w.srv.Query(q, map[string]any{"in": in}), "CONFLICT")
		other := validID(t, "22010419700707042")
		importControlList(t, w.srv, w.initiator, "id_number,risk,name\n"+other+",SUSPECTED,周八\n")
		wantCodes(t, w.srv.Query(q, map[string]any{"in": map[string]any{"name": "吴九", "idNumber": other}}), "CONFLICT")
		taken := w.srv.Query(q, map[string]any{"in": map[string]any{"name": "赵六", "idNumber": validID(t, "22010419900307031")}})
		wantCodes(t, taken, "CONFLICT")
	})
}

// declare makes a check-in for the person of token.
func declare(t *testing.T, srv *apitest.Server, token string, extra map[string]any) *apitest.Response {
	t.Helper()
	in := map[string]any{"personToken": token}
	for k, v := range extra {
		in[k] = v
	}
	return srv.Query(`mutation($in: DeclareHealthInput!) { declareHealth(input: $in) { id revision } }`, map[string]any{"in": in})
}

type declarationPage struct {
	TotalCount int
	Edges      []struct {
		Node struct {
			Revision    int
			Symptoms    []string
			Temperature *float64
		}
	}
}

// TestAnOfficialOfAnotherDistrictCannotReadMyCheckIns (issue 11, point 9):
// a morning check-in and an afternoon correction are both kept, the latest
// counts (symptoms → ORANGE); the person reads them with their own token,
// newest first, and so does the official of their district; an official of
// another district and another person's token read none.
func TestAnOfficialOfAnotherDistrictCannotReadMyCheckIns(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		if resp := declare(t, w.srv, w.resident.Token, map[string]any{"temperature": 36.5}); len(resp.Errors) > 0 {
			t.Fatalf("morning check-in: %+v", resp.Errors)
		}
		resp := declare(t, w.srv, w.resident.Token, map[string]any{"temperature": 38.4, "symptoms": []string{"发热", "咳嗽"}})
		var corr struct{ DeclareHealth struct{ Revision int } }
		resp.Decode(t, &corr)
		if corr.DeclareHealth.Revision != 2 {
			t.Fatalf("the correction is revision %d, want 2", corr.DeclareHealth.Revision)
		}
		const symptomatic = `query($id: ID!) { node(id: $id) { ... on Person { symptomatic } } }`
		var p struct{ Node struct{ Symptomatic bool } }
		w.srv.QueryAs(w.official.token, symptomatic, map[string]any{"id": w.resident.ID}).Decode(t, &p)
		if !p.Node.Symptomatic {
			t.Fatal("after a correction with symptoms the person is not symptomatic: the latest check-in must count")
		}
		if resp := declare(t, w.srv, w.resident.Token, map[string]any{"temperature": 36.6}); len(resp.Errors) > 0 {
			t.Fatalf("second correction: %+v", resp.Errors)
		}
		w.srv.QueryAs(w.official.token, symptomatic, map[string]any{"id": w.resident.ID}).Decode(t, &p)
		if p.Node.Symptomatic {
			t.Fatal("a later correction without symptoms leaves the person symptomatic")
		}

		const own = `query($t: String!) { myPerson(personToken: $t) { declarations(personToken: $t, first: 10) { totalCount edges { node { revision symptoms temperature } } } } }`
		var mine struct {
			MyPerson struct{ Declarations declarationPage }
		}
		w.srv.Query(own, map[string]any{"t": w.resident.Token}).Decode(t, &mine)
		if d := mine.MyPerson.Declarations; d.TotalCount != 3 || d.Edges[0].Node.Revision != 3 || len(d.Edges[1].Node.Symptoms) != 2 || d.Edges[2].Node.Revision != 1 {
			t.Fatalf("own check-ins %+v, want both, newest first", d)
		}

		const byID = `query($id: ID!) { node(id: $id) { ... on Person { declarations(first: 10) { totalCount } } } }`
		var seen struct {
			Node *struct{ Declarations declarationPage }
		}
		w.srv.QueryAs(w.official.token, byID, map[string]any{"id": w.resident.ID}).Decode(t, &seen)
		if seen.Node == nil || seen.Node.Declarations.TotalCount != 3 {
			t.Fatalf("the district's official reads %+v, want 3 check-ins", seen.Node)
		}
		// An official of another district does not reach the person at all.
		wantCodes(t, w.srv.QueryAs(w.outsider.token, byID, map[string]any{"id": w.resident.ID}), "NOT_FOUND")
		// Another person's token reads nothing of the resident's.
		stranger := registerPerson(t, w.srv, "钱十", validID(t, "22010419910101051"), w.community)
		r := w.srv.Query(`query($t: String!, $s: String!) { myPerson(personToken: $t) { declarations(personToken: $s) { totalCount } } }`,
			map[string]any{"t": w.resident.Token, "s": stranger.Token})
		wantCodes(t, r, "FORBIDDEN")
	})
}

// TestTheDoorSeesTheSevenDayTestOnTheCodeAndTheScan (issue 11, point 10;
// seed 004 §二(五)): a negative PCR test in the last 7 days is signed into
// the person's code and shown in the scan's result; without one, both say
// false.
func TestTheDoorSeesTheSevenDayTestOnTheCodeAndTheScan(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		const issue = `mutation($t: String!) { issueCode(input: {personToken: $t}) { token recentTest } }`
		var code struct {
			IssueCode struct {
				Token      string
				RecentTest bool
			}
		}
		w.srv.Query(issue, map[string]any{"t": w.resident.Token}).Decode(t, &code)
		if code.IssueCode.RecentTest {
			t.Fatal("a code without any test says recentTest")
		}
		scan := func(n int, tok string) *bool {
			resp := w.srv.QueryAs(w.scanner.token, `mutation($in: ScanInput!) { recordScan(input: $in) { decision recentNegativeTest } }`,
				map[string]any{"in": map[string]any{"clientId": fmt.Sprintf("t7-%d", n), "site": w.park, "method": "SCAN_CODE", "token": tok,
					"temperature": 36.5, "latitude": 43.86, "longitude": 125.31}})
			var out struct {
				RecordScan struct{ RecentNegativeTest *bool }
			}
			resp.Decode(t, &out)
			return out.RecordScan.RecentNegativeTest
		}
		if got := scan(1, code.IssueCode.Token); got == nil || *got {
			t.Fatalf("scan without a test: recentNegativeTest %v, want false", got)
		}
		w.srv.QueryAs(w.official.token, `mutation($p: ID!, $at: Time!) { addTestResult(input: {person: $p, kind: PCR, result: NEGATIVE, sampledAt: $at, source: "市疾控中心"}) { id } }`,
			map[string]any{"p": w.resident.ID, "at": time.Now().Add(-48 * time.Hour).Format(time.RFC3339)}).Decode(t, &struct{}{})
		w.srv.Query(issue, map[string]any{"t": w.resident.Token}).Decode(t, &code)
		if !code.IssueCode.RecentTest {
			t.Fatal("the code of a person with a negative PCR test 2 days ago lacks recentTest")
		}
		if got := scan(2, code.IssueCode.Token); got == nil || !*got {
			t.Fatalf("scan after a test: recentNegativeTest %v, want true", got)
		}
		// A page of scans is answered by one batched lookup, each scan at
		// its own time: the test was sampled 2 days before both scans.
		var page struct {
			Scans struct {
				Edges []struct {
					Node struct{ RecentNegativeTest *bool }
				}
			}
		}
		w.srv.QueryAs(w.official.token, `{ scans(first: 10) { edges { node { recentNegativeTest } } } }`, nil).Decode(t, &page)
		if len(page.Scans.Edges) != 2 {
			t.Fatalf("scans %+v, want the 2", page.Scans.Edges)
		}
		for i, e := range page.Scans.Edges {
			if e.Node.RecentNegativeTest == nil || !*e.Node.RecentNegativeTest {
				t.Fatalf("listed scan %d: recentNegativeTest %v, want true (sampled 2 days before it)", i, e.Node.RecentNegativeTest)
			}
		}
	})
}

// keyAreaRules is the default rule set plus the travel rule of issue 11,
// point 11: a visit to a key area within 14 days without a valid 7-day test
// (seed 004 §二(五)) → YELLOW, recorded with its cause (a free test).
const keyAreaRules = `{"params": {"fever_c": 37.3, "key_days": 14}, "rules": [
	{"colour": "RED", "when": "person.risk == 'CONFIRMED' || person.risk == 'SUSPECTED'", "cause": "confirmed or suspected"},
	{"colour": "ORANGE", "when": "(person.risk == 'CLOSE_CONTACT' || person.risk == 'QUARANTINED') && (!person.has_quarantine_end || now < person.quarantine_ends || person.symptomatic)", "cause": "quarantine not ended"},
	{"colour": "YELLOW", "when": "person.has_temperature && person.temperature >= params.fever_c", "cause": "fever on site"},
	{"colour": "YELLOW", "when": "!person.valid_test_within_7_days && (under(person.region, key_areas) || person.visited.exists(v, v.days_ago <= params.key_days && under(v.region, key_areas)))", "cause": "key area within 14 days, no 7-day test: free test"}]}`

// TestOnlyTheProvincePublishesTheKeyAreasAndAVisitThereTurnsTheCodeYellow
// (issue 11, point 11): the key-area list is versioned data the INITIATOR
// publishes (an official cannot); a rule reads person.visited, person.region
// and key_areas; a check-in declaring a visit to a key area 3 days ago turns
// the code YELLOW, a visit 20 days ago does not, and a 7-day test turns it
// back GREEN at the door.
func TestOnlyTheProvincePublishesTheKeyAreasAndAVisitThereTurnsTheCodeYellow(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		const publish = `mutation($r: [String!]!) { publishKeyAreas(input: {regions: $r, note: "武汉市"}) { version inForce regions } }`
		wantCodes(t, w.srv.QueryAs(w.official.token, publish, map[string]any{"r": []string{"4201"}}), "FORBIDDEN")
		wantCodes(t, w.srv.QueryAs(w.initiator, publish, map[string]any{"r": []string{"湖北"}}), "INVALID_INPUT")
		for _, r := range [][]string{{"3401"}, {"4201", "4201", "3101"}} {
			w.srv.QueryAs(w.initiator, publish, map[string]any{"r": r}).Decode(t, &struct{}{})
		}
		var list struct {
			KeyAreas []struct {
				Version int
				InForce bool
				Regions []string
			}
		}
		w.srv.QueryAs(w.official.token, `{ keyAreas { version inForce regions } }`, nil).Decode(t, &list)
		if k := list.KeyAreas; len(k) != 2 || k[0].Version != 2 || !k[0].InForce || k[1].InForce || strings.Join(k[0].Regions, ",") != "3101,4201" {
			t.Fatalf("key areas %+v", k)
		}
		w.srv.QueryAs(w.initiator, `mutation($r: String!) { publishRuleSet(input: {rules: $r, note: "重点地区"}) { version } }`,
			map[string]any{"r": keyAreaRules}).Decode(t, &struct{}{})

		day := func(ago int) string { return time.Now().In(persons.Zone).AddDate(0, 0, -ago).Format("2006-01-02") }
		old := declare(t, w.srv, w.resident.Token, map[string]any{"visits": []map[string]any{{"region": "420102", "date": day(20)}}})
		if len(old.Errors) > 0 {
			t.Fatalf("check-in: %+v", old.Errors)
		}
		if c := personColour(t, w.srv, w.official.token, w.resident.ID); c != "GREEN" {
			t.Fatalf("a key-area visit 20 days ago makes the person %s, want GREEN", c)
		}
		wantCodes(t, declare(t, w.srv, w.resident.Token, map[string]any{"visits": []map[string]any{{"region": "武汉", "date": day(1)}}}), "INVALID_INPUT")
		recent := declare(t, w.srv, w.resident.Token, map[string]any{"visits": []map[string]any{{"region": "420102001", "date": day(3)}}})
		if len(recent.Errors) > 0 {
			t.Fatalf("check-in: %+v", recent.Errors)
		}
		if c := personColour(t, w.srv, w.official.token, w.resident.ID); c != "YELLOW" {
			t.Fatalf("a key-area visit 3 days ago without a test makes the person %s, want YELLOW", c)
		}
		var hist struct {
			Node struct {
				ColourHistory []struct{ Cause, CauseClass string }
			}
		}
		w.srv.QueryAs(w.official.token, `query($id: ID!) { node(id: $id) { ... on Person { colourHistory { cause causeClass } } } }`,
			map[string]any{"id": w.resident.ID}).Decode(t, &hist)
		if h := hist.Node.ColourHistory; len(h) == 0 || !strings.Contains(h[0].Cause, "free test") || h[0].CauseClass != "DECLARATION" {
			t.Fatalf("colour history %+v", h)
		}
		// A normal reading at the door does not clear it: the visit stands.
		code := issueCode(t, w.srv, w.resident.Token)
		s, resp := recordScan(t, w.srv, w.scanner.token, map[string]any{"clientId": "ka-1", "site": w.park, "method": "SCAN_CODE",
			"token": code, "temperature": 36.4, "latitude": 43.86, "longitude": 125.31})
		if len(resp.Errors) > 0 || s.Colour != "YELLOW" {
			t.Fatalf("scan %+v %+v, want YELLOW", s, resp.Errors)
		}
		w.srv.QueryAs(w.official.token, `mutation($p: ID!, $at: Time!) { addTestResult(input: {person: $p, kind: PCR, result: NEGATIVE, sampledAt: $at, source: "市疾控中心"}) { id } }`,
			map[string]any{"p": w.resident.ID, "at": time.Now().Add(-time.Hour).Format(time.RFC3339)}).Decode(t, &struct{}{})
		if c := personColour(t, w.srv, w.official.token, w.resident.ID); c != "GREEN" {
			t.Fatalf("after a negative test the person is %s, want GREEN", c)
		}
		// person.region: a resident of a key area is YELLOW at registration.
		w.srv.QueryAs(w.initiator, publish, map[string]any{"r": []string{"220104001001"}}).Decode(t, &struct{}{})
		var reg struct {
			RegisterPerson struct{ Person struct{ Colour string } }
		}
		w.srv.Query(`mutation($in: RegisterPersonInput!) { registerPerson(input: $in) { person { colour } } }`,
			map[string]any{"in": map[string]any{"name": "郑十一", "idNumber": validID(t, "22010419920202061"), "residenceRegion": w.community}}).Decode(t, &reg)
		if c := reg.RegisterPerson.Person.Colour; c != "YELLOW" {
			t.Fatalf("a resident of a key area registers %s, want YELLOW", c)
		}
	})
}

package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
)

// issue 11, point 14: seed 001 §9 (车站（含火车、长途客运）可设中级扫码员1名) is the
// default, with no MASHANG_SITE_QUOTAS at all.
func TestASecondIntermediateAtAStationIsRefusedByDefault(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		srv := apitest.New(t, db, httpserver.Config{})
		init := srv.LoginInitiator()
		var st struct{ CreateSite struct{ ID string } }
		srv.QueryAs(init, `mutation($in: CreateSiteInput!) { createSite(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"name": "长春站", "category": "TRANSPORT_HUB", "parentId": fmt.Sprint(f.chaoyangID)}}).Decode(t, &st)
		station := st.CreateSite.ID
		createAccount(t, srv, init, "INTERMEDIATE", station, "站长", "13600000041", "")
		resp := srv.QueryAs(init, `mutation($in: CreateAccountInput!) { createAccount(input: $in) { id } }`,
			map[string]any{"in": map[string]any{"role": "INTERMEDIATE", "scopeId": station,
				"holder": map[string]any{"name": "副站长", "phone": "13600000042", "password": "pass-13600000042"}}})
		wantCodes(t, resp, mashang.EQUOTA)
		// A park has no such cap (seed 001 §9 names none): two are accepted.
		park := fmt.Sprint(f.park.ID)
		createAccount(t, srv, init, "INTERMEDIATE", park, "园长", "13600000043", "")
		createAccount(t, srv, init, "INTERMEDIATE", park, "副园长", "13600000044", "")
	})
}

func holderCode(t *testing.T, srv *apitest.Server, as, id string) string {
	t.Helper()
	var out struct{ Node struct{ HolderCode string } }
	srv.QueryAs(as, `query($id: ID!) { node(id: $id) { ... on Account { holderCode } } }`, map[string]any{"id": id}).Decode(t, &out)
	return out.Node.HolderCode
}

// issue 11, point 16: seed 001 §7 (上岗前要确保本人“吉祥码”健康状态为绿色) is
// checked on the holder's own code, which the account links (or registers)
// when it is created; an account without an ID number is given one later.
func TestANewScannerCanScanWithoutSomeoneRegisteringTheirCode(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		srv := apitest.New(t, db, httpserver.Config{})
		init := srv.LoginInitiator()
		park := fmt.Sprint(f.park.ID)
		community := fmt.Sprint(f.tree.ByCode["220104001001"].ID)
		resident := registerPerson(t, srv, "赵六", validID(t, "22010419900307031"), community)
		scan := func(as, id string) []string {
			_, resp := recordScan(t, srv, as, map[string]any{"clientId": id, "site": park, "method": "SCAN_CODE",
				"token": issueCode(t, srv, resident.Token), "temperature": 36.5, "latitude": 43.86, "longitude": 125.31})
			return resp.Codes()
		}

		scannerID := validID(t, "22010419800101031")
		sc := createAccount(t, srv, init, "ORDINARY", park, "扫码员", "13600000051", scannerID)
		if c := holderCode(t, srv, init, sc.ID); c != "LINKED" {
			t.Fatalf("holderCode %s, want LINKED", c)
		}
		if codes := scan(sc.token, "n-1"); len(codes) != 0 {
			t.Fatalf("first scan of a new scanner answered %v", codes)
		}
		// The record made for the holder is theirs to claim from their app.
		registerPerson(t, srv, "扫码员", scannerID, community)

		// Without an ID number: the account says so, the door refuses, and
		// the holder gives the number themselves.
		bare := createAccount(t, srv, init, "ORDINARY", park, "新扫码员", "13600000052", "")
		if c := holderCode(t, srv, init, bare.ID); c != "NO_ID_NUMBER" {
			t.Fatalf("holderCode %s, want NO_ID_NUMBER", c)
		}
		if codes := scan(bare.token, "n-2"); !slices.Equal(codes, []string{mashang.ESCANNERNOCODE}) {
			t.Fatalf("scan without an ID number answered %v", codes)
		}
		var out struct{ SetAccountHolderIDNumber struct{ HolderCode string } }
		srv.QueryAs(bare.token, `mutation($id: ID!, $n: String!) { setAccountHolderIdNumber(id: $id, idNumber: $n) { holderCode } }`,
			map[string]any{"id": bare.ID, "n": validID(t, "22010419850505031")}).Decode(t, &out)
		if out.SetAccountHolderIDNumber.HolderCode != "LINKED" {
			t.Fatalf("after setAccountHolderIdNumber: %+v", out)
		}
		if codes := scan(bare.token, "n-3"); len(codes) != 0 {
			t.Fatalf("scan after the ID number answered %v", codes)
		}
	})
}

// SECURITY (issue 11, point 16): only the holder or a superior who may
// replace the holder gives an ID number.
func TestAnOrdinaryScannerCannotGiveAnotherScannerAnIdNumber(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		srv := apitest.New(t, db, httpserver.Config{})
		init := srv.LoginInitiator()
		park := fmt.Sprint(f.park.ID)
		a := createAccount(t, srv, init, "ORDINARY", park, "甲", "13600000061", validID(t, "22010419800101051"))
		b := createAccount(t, srv, init, "ORDINARY", park, "乙", "13600000062", "")
		resp := srv.QueryAs(a.token, `mutation($id: ID!, $n: String!) { setAccountHolderIdNumber(id: $id, idNumber: $n) { id } }`,
			map[string]any{"id": b.ID, "n": validID(t, "22010419850505051")})
		if codes := resp.Codes(); len(codes) != 1 || (codes[0] != mashang.EFORBIDDEN && codes[0] != mashang.ENOTFOUND) {
			t.Fatalf("answered %+v", resp.Errors)
		}
		if c := holderCode(t, srv, init, b.ID); c != "NO_ID_NUMBER" {
			t.Fatalf("holderCode %s after a refused attempt", c)
		}
	})
}

// north is the latitude metres north of the park (南湖公园, 43.86 N).
func north(metres float64) float64 { return 43.86 + metres/111195.0 }

type farScan struct {
	ID, Decision string
	FarFix       bool
}

func scanAt(t *testing.T, w *healthWorld, id string, metres, accuracy float64) (farScan, *apitest.Response) {
	t.Helper()
	resp := w.srv.QueryAs(w.scanner.token, `mutation($in: ScanInput!) { recordScan(input: $in) { id decision farFix } }`,
		map[string]any{"in": map[string]any{"clientId": id, "site": w.park, "method": "SCAN_CODE", "token": issueCode(t, w.srv, w.resident.Token),
			"temperature": 36.5, "latitude": north(metres), "longitude": 125.31, "accuracy": accuracy}})
	var out struct{ RecordScan farScan }
	if len(resp.Errors) == 0 {
		resp.Decode(t, &out)
	}
	return out.RecordScan, resp
}

func accountStatus(t *testing.T, w *healthWorld) string {
	t.Helper()
	var out struct {
		Node struct{ Status, DisabledReason string }
	}
	w.srv.QueryAs(w.initiator, `query($id: ID!) { node(id: $id) { ... on Account { status disabledReason } } }`,
		map[string]any{"id": w.scanner.ID}).Decode(t, &out)
	return out.Node.Status + "/" + out.Node.DisabledReason
}

// issue 11, point 15: seed 001 §7 disables on 较大偏离, a large deviation:
// one fix 334 m from a park of 200 m radius (accuracy 30 m, margin 100 m)
// lets the visitor through, is marked, and leaves the account active.
func TestOneBadGPSFixDoesNotDisableAScanner(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		s, resp := scanAt(t, w, "g-1", 334, 30)
		if len(resp.Errors) > 0 || s.Decision != "PASS" || !s.FarFix {
			t.Fatalf("far fix %+v %+v", s, resp.Errors)
		}
		if st := accountStatus(t, w); st != "ACTIVE/" {
			t.Fatalf("account %s after one far fix", st)
		}
		// A fix whose reported accuracy covers the distance is not far.
		if s, resp := scanAt(t, w, "g-2", 334, 80); len(resp.Errors) > 0 || s.FarFix || s.Decision != "PASS" {
			t.Fatalf("accurate-enough fix %+v %+v", s, resp.Errors)
		}
		if s, resp := scanAt(t, w, "g-3", 10, 10); len(resp.Errors) > 0 || s.FarFix {
			t.Fatalf("near fix %+v %+v", s, resp.Errors)
		}
	})
}

// issue 11, point 15: a second far fix among the account's last three scans
// within 30 minutes is refused GEOFENCE, says why, and disables the account
// (seed 001 §7: 账号将自动禁用).
func TestRepeatedFarFixesDisableTheScannerAndSayWhy(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		if s, resp := scanAt(t, w, "r-1", 1000, 20); len(resp.Errors) > 0 || !s.FarFix {
			t.Fatalf("first far fix %+v %+v", s, resp.Errors)
		}
		_, resp := scanAt(t, w, "r-2", 1200, 20)
		wantCodes(t, resp, mashang.EGEOFENCE)
		if p := resp.Errors[0].Extensions["params"]; fmt.Sprint(p) == "" || !strings.Contains(fmt.Sprint(p), "1200") {
			t.Fatalf("the refusal does not say how far: %+v", resp.Errors[0])
		}
		if st := accountStatus(t, w); st != "DISABLED/GEOFENCE" {
			t.Fatalf("account %s after two far fixes", st)
		}
		_, resp = scanAt(t, w, "r-3", 0, 10)
		wantCodes(t, resp, mashang.EACCOUNTDISABLED)
	})
}

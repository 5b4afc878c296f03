package graph_test

import (
	"fmt"
	"slices"
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

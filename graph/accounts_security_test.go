package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/internal/apitest"
)

// postIn posts an operation as token ("" for none) with an Accept-Language
// header and returns the raw answer and its decoding.
func postIn(t *testing.T, srv *apitest.Server, token, lang, query string, vars map[string]any) (string, *apitest.Response) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequest("POST", srv.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Language", lang)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := &apitest.Response{Status: resp.StatusCode}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("not GraphQL JSON: %s", raw)
	}
	return string(raw), out
}

var globalIDs = regexp.MustCompile(`"id":"[0-9]+"|"[0-9]{8,}"|\b[0-9]{8,}\b`)

// Issue 10 §2, through the API: an INTERMEDIATE that types the INITIATOR's
// own phone with a dummy name gets exactly the answer it gets for a phone
// nobody has, and reads no holder.
func TestAnIntermediateCannotReadTheInitiatorsDataThroughCreateAccount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		inter := createAccount(t, w.srv, w.initiator, "INTERMEDIATE", w.park, "中级扫码员", "13600000041", "")
		create := `mutation($in: CreateAccountInput!) { createAccount(input: $in) { id role status disabledReason holder { name phoneMasked idNumberMasked } } }`
		answer := func(phone, idNumber, password string) string {
			holder := map[string]any{"name": "某某", "phone": phone}
			if idNumber != "" {
				holder["idNumber"] = idNumber
			}
			if password != "" {
				holder["password"] = password
			}
			raw, _ := postIn(t, w.srv, inter.token, "zh-CN", create, map[string]any{"in": map[string]any{"role": "ORDINARY", "scopeId": w.park, "holder": holder}})
			return globalIDs.ReplaceAllString(raw, "ID")
		}
		fresh := 13700000100
		// Registered phones: the INITIATOR's own, then the official's and
		// the grid worker's, one per case.
		for _, c := range []struct{ name, known, idNumber, password string }{
			{"WithAPassword", apitest.InitiatorPhone, "", "a-fresh-passphrase-1"},
			{"WithoutAPassword", apitest.InitiatorPhone, "", ""},
			{"WithAnIDNumber", "13600000031", validID(t, "22010419800101991"), "a-fresh-passphrase-1"},
			{"WithTheScannersIDNumber", "13600000033", validID(t, "22010419800101031"), "a-fresh-passphrase-1"},
		} {
			t.Run(c.name, func(t *testing.T) {
				fresh++
				known, unknown := answer(c.known, c.idNumber, c.password), answer(fmt.Sprint(fresh), c.idNumber, c.password)
				if known != unknown {
					t.Fatalf("a registered phone answers\n%s\na new phone\n%s", known, unknown)
				}
				for _, shown := range []string{"发起扫码员", "139****0009", "朝阳区卫健局", "网格员", "136****00"} {
					if strings.Contains(known, shown) {
						t.Fatalf("the answer shows %q: %s", shown, known)
					}
				}
			})
		}
	})
}

// Issue 10 §8: the restricted session of a disabled INTERMEDIATE sees
// itself and its reactivation requests (with their state), and nothing of
// its subordinates, their holders or its unit's sites.
func TestADisabledIntermediateSeesOnlyItselfAndItsRequests(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		inter := createAccount(t, w.srv, w.initiator, "INTERMEDIATE", w.park, "中级扫码员", "13600000041", "")
		ord := createAccount(t, w.srv, inter.token, "ORDINARY", w.park, "下级扫码员", "13600000042", "")
		w.srv.QueryAs(w.initiator, `mutation($id: ID!) { disableAccount(id: $id) { __typename } }`, map[string]any{"id": inter.ID}).Decode(t, &struct{}{})

		var req struct{ RequestReactivation struct{ ID, Status string } }
		w.srv.QueryAs(inter.token, `mutation($id: ID!) { requestReactivation(id: $id, note: "请激活") { id status } }`,
			map[string]any{"id": inter.ID}).Decode(t, &req)

		var v struct {
			Viewer struct {
				Acting struct {
					ID           string
					Subordinates struct {
						Edges []struct{ Node struct{ ID string } }
					}
					ScopeSite *struct{ Name string }
					Unit      *struct{ Name string }
				}
			}
		}
		w.srv.QueryAs(inter.token, `{ viewer { acting { id subordinates(first: 10) { edges { node { id holder { name phoneMasked } } } } scopeSite { name } unit { name } } } }`, nil).Decode(t, &v)
		if a := v.Viewer.Acting; a.ID != inter.ID || len(a.Subordinates.Edges) != 0 || a.ScopeSite != nil || a.Unit != nil {
			t.Fatalf("the restricted session sees %+v; want itself only", a)
		}

		// Its request, with its state, by node(id).
		var n struct {
			Node struct {
				ID, Status string
				Account    struct{ ID string }
			}
		}
		w.srv.QueryAs(inter.token, `query($id: ID!) { node(id: $id) { id ... on ReactivationRequest { status account { id } } } }`,
			map[string]any{"id": req.RequestReactivation.ID}).Decode(t, &n)
		if n.Node.ID != req.RequestReactivation.ID || n.Node.Status != "PENDING" || n.Node.Account.ID != inter.ID {
			t.Fatalf("node(request) = %+v", n.Node)
		}
		// Nothing else by node(id): its subordinate, its site.
		for _, id := range []string{ord.ID, w.park} {
			resp := w.srv.QueryAs(inter.token, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
			if strings.Contains(string(resp.Data), id) {
				t.Fatalf("node(%s) answers %s", id, resp.Data)
			}
		}
		// Every other root field stays refused.
		wantCodes(t, w.srv.QueryAs(inter.token, `{ sites(first: 5) { edges { node { id } } } }`, nil), "ACCOUNT_DISABLED")
	})
}

// withCheck completes 17 digits with their check digit.
func withCheck(t *testing.T, first17 string) string { return validID(t, first17) }

// echo returns a part (4 characters or more) of secret found in msg, or "".
func echo(msg, secret string) string {
	r := []rune(secret)
	for i := 0; i+4 <= len(r); i++ {
		if p := string(r[i : i+4]); strings.Contains(msg, p) {
			return p
		}
	}
	return ""
}

// Issue 10 §15: no error message, in Chinese or English, contains any part
// (4 characters or more) of a submitted ID number or phone number, whatever
// mutation it was submitted to.
func TestAForgerSeesNoPartOfTheIDNumberOrPhoneItSubmittedInAnError(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		badIDs := []string{
			withCheck(t, "22010420991231357"), withCheck(t, "22010418000101357"), withCheck(t, "00000019800101357"),
			withCheck(t, "99010419800101357"),
			"22010419800101357", "2201041980A1013579", "220104198002301357", "22010419800101357Ｘ", "220104198001013579",
		}
		badPhones := []string{"1381234567a", "12812345678", "138 1234 567", "１３８１２３４５６７８", "0251234567"}
		good := "13700000555"
		goodID := validID(t, "22010419751111357")
		registerPerson(t, w.srv, "已登记", goodID, w.community)

		type call struct {
			name, token, query string
			vars               map[string]any
		}
		holder := func(phone, id string) map[string]any {
			h := map[string]any{"name": "某某", "phone": phone, "password": "a-fresh-passphrase-1"}
			if id != "" {
				h["idNumber"] = id
			}
			return h
		}
		calls := func(phone, id string) []call {
			return []call{
				{"createAccount", w.initiator, `mutation($h: HolderInput!) { createAccount(input: {role: ORDINARY, scopeId: "` + w.park + `", holder: $h}) { id } }`,
					map[string]any{"h": holder(phone, id)}},
				{"replaceAccount", w.initiator, `mutation($h: HolderInput!) { replaceAccount(id: "` + w.scanner.ID + `", holder: $h) { id } }`,
					map[string]any{"h": holder(phone, id)}},
				{"submitSeniorApplication", w.initiator, `mutation($h: HolderInput!) { submitSeniorApplication(input: {unitName: "某单位", uscc: "91350100M000100Y43", scopeId: "` + w.district + `", holder: $h}) { id } }`,
					map[string]any{"h": holder(phone, id)}},
				{"login", "", `mutation($p: String!) { login(phone: $p, password: "a-fresh-passphrase-1") { accessToken } }`,
					map[string]any{"p": phone}},
				{"registerPerson", "", `mutation($id: String!, $p: String) { registerPerson(input: {name: "某某", idNumber: $id, phone: $p}) { personToken } }`,
					map[string]any{"id": id, "p": phone}},
				{"recordScans", w.scanner.token, `mutation($id: String!, $p: String) { recordScans(input: [{clientId: "c-echo", site: "` + w.park + `", method: MANUAL, temperature: 36.5, manual: {name: "某某", idNumber: $id, phone: $p}}]) { results { error { code message params } } } }`,
					map[string]any{"id": id, "p": phone}},
			}
		}
		check := func(t *testing.T, c call, secret string) {
			t.Helper()
			for _, lang := range []string{"zh-CN", "en"} {
				_, resp := postIn(t, w.srv, c.token, lang, c.query, c.vars)
				var texts []string
				for _, e := range resp.Errors {
					params, _ := json.Marshal(e.Extensions["params"])
					texts = append(texts, e.Message, string(params))
				}
				var items struct {
					RecordScans struct {
						Results []struct {
							Error *struct {
								Code, Message string
								Params        map[string]any
							}
						}
					}
				}
				if json.Unmarshal(resp.Data, &items) == nil {
					for _, r := range items.RecordScans.Results {
						if r.Error != nil {
							params, _ := json.Marshal(r.Error.Params)
							texts = append(texts, r.Error.Message, string(params))
						}
					}
				}
				if len(texts) == 0 {
					t.Errorf("%s (%s) accepted %q", c.name, lang, secret)
				}
				for _, s := range texts {
					if p := echo(s, secret); p != "" {
						t.Errorf("%s (%s): the message echoes %q of %q: %s", c.name, lang, p, secret, s)
					}
				}
			}
		}
		for _, id := range badIDs {
			for _, c := range calls(good, id) {
				if c.name == "login" {
					continue
				}
				check(t, c, id)
			}
		}
		for _, phone := range badPhones {
			for _, c := range calls(phone, goodID) {
				if c.name == "registerPerson" {
					c.vars["id"] = validID(t, "22010419751112357")
				}
				check(t, c, phone)
			}
		}
		// A registered ID number: CONFLICT, without the number.
		for _, c := range calls(good, goodID) {
			if c.name == "registerPerson" {
				check(t, c, goodID)
			}
		}
	})
}

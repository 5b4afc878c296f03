package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/auditevent"
	"github.com/mashang/mashang/ent/persistedquery"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/persisted"
)

// residentsDoc counts the residents the caller sees: the 朝阳区 official
// sees those of 朝阳区, the 宁国市 official none of them.
const residentsDoc = `query Residents { persons(first: 10) { totalCount } }`

type trustedDoc struct {
	ID, Name, Status, DocumentID, Sha256 string
}

func registerDoc(t *testing.T, srv *apitest.Server, as, name, doc string) (trustedDoc, *apitest.Response) {
	t.Helper()
	resp := srv.QueryAs(as, `mutation($n: String!, $d: String!) { registerPersistedQuery(name: $n, document: $d) { id name status documentId sha256 } }`,
		map[string]any{"n": name, "d": doc})
	var out struct{ RegisterPersistedQuery trustedDoc }
	if len(resp.Errors) == 0 {
		resp.Decode(t, &out)
	}
	return out.RegisterPersistedQuery, resp
}

func decideDoc(srv *apitest.Server, as, id, decision, reason string) *apitest.Response {
	vars := map[string]any{"id": id, "d": decision}
	if reason != "" {
		vars["r"] = reason
	}
	return srv.QueryAs(as, `mutation($id: ID!, $d: PersistedQueryDecision!, $r: String) { decidePersistedQuery(id: $id, decision: $d, reason: $r) { id status } }`, vars)
}

// callByHash posts Apollo's extensions.persistedQuery without the text.
func callByHash(t *testing.T, srv *apitest.Server, as, hash string) *apitest.Response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}})
	return rawPost(t, srv, as, body)
}

func rawPost(t *testing.T, srv *apitest.Server, as string, body []byte) *apitest.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return do(t, req, as)
}

func do(t *testing.T, req *http.Request, as string) *apitest.Response {
	t.Helper()
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+as)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := &apitest.Response{Status: resp.StatusCode}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("not GraphQL JSON (%d): %s", resp.StatusCode, raw)
	}
	return out
}

func residentCount(t *testing.T, resp *apitest.Response) int {
	t.Helper()
	var out struct{ Persons struct{ TotalCount int } }
	resp.Decode(t, &out)
	return out.Persons.TotalCount
}

// TestAnUnapprovedDocumentCannotBeRunByID: a document waiting for the
// province, one it rejected and one it revoked answer by id exactly as an
// unknown id does; a text sent with its hash runs once but is not stored,
// so nobody registers a query by hash (gqlgen's APQ would).
func TestAnUnapprovedDocumentCannotBeRunByID(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		pending, resp := registerDoc(t, w.srv, w.official.token, "chaoyang-residents", residentsDoc)
		wantCodes(t, resp)
		if pending.Status != "PENDING" || pending.DocumentID != "sha256:"+persisted.ID(residentsDoc) {
			t.Fatalf("registered %+v", pending)
		}
		wantCodes(t, callByHash(t, w.srv, w.official.token, pending.Sha256), mashang.EPERSISTEDQUERYNOTFOUND)

		rejected, _ := registerDoc(t, w.srv, w.official.token, "chaoyang-residents-2", residentsDoc+" ")
		wantCodes(t, decideDoc(w.srv, w.initiator, rejected.ID, "REJECT", "重复"))
		wantCodes(t, callByHash(t, w.srv, w.official.token, rejected.Sha256), mashang.EPERSISTEDQUERYNOTFOUND)

		revoked, _ := registerDoc(t, w.srv, w.official.token, "chaoyang-residents-3", residentsDoc+"  ")
		wantCodes(t, decideDoc(w.srv, w.initiator, revoked.ID, "APPROVE", ""))
		if n := residentCount(t, callByHash(t, w.srv, w.official.token, revoked.Sha256)); n != 2 {
			t.Fatalf("approved document: %d residents, want 2", n)
		}
		wantCodes(t, decideDoc(w.srv, w.initiator, revoked.ID, "REVOKE", "停用"))
		wantCodes(t, callByHash(t, w.srv, w.official.token, revoked.Sha256), mashang.EPERSISTEDQUERYNOTFOUND)
		// Revoked is final: it cannot be approved again.
		wantCodes(t, decideDoc(w.srv, w.initiator, revoked.ID, "APPROVE", ""), mashang.ECONFLICT)

		// The text with its hash runs as any text; by hash alone it is
		// still unknown afterwards.
		text := `{ viewer { acting { role } } }`
		body, _ := json.Marshal(map[string]any{"query": text, "extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": persisted.ID(text)}}})
		wantCodes(t, rawPost(t, w.srv, w.official.token, body))
		wantCodes(t, callByHash(t, w.srv, w.official.token, persisted.ID(text)), mashang.EPERSISTEDQUERYNOTFOUND)
		// A text whose hash is not the one sent is refused.
		body, _ = json.Marshal(map[string]any{"query": text, "extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": pending.Sha256}}})
		wantCodes(t, rawPost(t, w.srv, w.official.token, body), mashang.EINVALID)
	})
}

// TestNobodyApprovesTheirOwnTrustedDocument: the INITIATOR cannot approve
// what it registered itself (a second pair of eyes), and the official who
// registered one cannot decide at all.
func TestNobodyApprovesTheirOwnTrustedDocument(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		own, resp := registerDoc(t, w.srv, w.initiator, "province-residents", residentsDoc)
		wantCodes(t, resp)
		wantCodes(t, decideDoc(w.srv, w.initiator, own.ID, "APPROVE", ""), mashang.EFORBIDDEN)

		theirs, _ := registerDoc(t, w.srv, w.official.token, "chaoyang-residents", residentsDoc+"\n")
		wantCodes(t, decideDoc(w.srv, w.official.token, theirs.ID, "APPROVE", ""), mashang.EFORBIDDEN)
		wantCodes(t, decideDoc(w.srv, w.outsider.token, theirs.ID, "APPROVE", ""), mashang.EFORBIDDEN)

		ctx := context.Background()
		for _, d := range []trustedDoc{own, theirs} {
			got, err := db.Client.PersistedQuery.Query().Where(persistedquery.Name(d.Name)).Only(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != persistedquery.StatusPENDING || got.DecidedByID != nil {
				t.Errorf("%s is %s after refused decisions", d.Name, got.Status)
			}
		}
		// The refused attempts decided nothing; the approval that counts is audited.
		wantCodes(t, decideDoc(w.srv, w.initiator, theirs.ID, "APPROVE", ""))
		n, err := db.Client.AuditEvent.Query().Where(auditevent.Action("decidePersistedQuery")).Count(ctx)
		if err != nil || n != 1 {
			t.Fatalf("%d decidePersistedQuery audit events (%v), want 1", n, err)
		}
	})
}

// TestATrustedDocumentRunsWithTheCallersScopeNotTheOwners: the 朝阳区
// official's approved document, called by the 宁国市 official, a scanner
// or nobody, shows them what their own text would: no 朝阳区 resident.
func TestATrustedDocumentRunsWithTheCallersScopeNotTheOwners(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		doc, resp := registerDoc(t, w.srv, w.official.token, "chaoyang-residents", residentsDoc)
		wantCodes(t, resp)
		wantCodes(t, decideDoc(w.srv, w.initiator, doc.ID, "APPROVE", ""))

		if n := residentCount(t, callByHash(t, w.srv, w.official.token, doc.Sha256)); n != 2 {
			t.Fatalf("the owner sees %d residents, want 2", n)
		}
		if n := residentCount(t, callByHash(t, w.srv, w.outsider.token, doc.Sha256)); n != 0 {
			t.Fatalf("the 宁国市 official sees %d 朝阳区 residents through the document", n)
		}
		if n := residentCount(t, callByHash(t, w.srv, w.scanner.token, doc.Sha256)); n != 0 {
			t.Fatalf("a scanner sees %d residents through the document", n)
		}
		wantCodes(t, callByHash(t, w.srv, "", doc.Sha256), mashang.EUNAUTHENTICATED)

		// documentId (GraphQL over HTTP), by POST and by GET.
		body, _ := json.Marshal(map[string]any{"documentId": doc.DocumentID, "operationName": "Residents"})
		if n := residentCount(t, rawPost(t, w.srv, w.outsider.token, body)); n != 0 {
			t.Fatalf("documentId POST: the 宁国市 official sees %d", n)
		}
		req, _ := http.NewRequest(http.MethodGet, w.srv.URL+"/graphql?documentId="+url.QueryEscape(doc.DocumentID), nil)
		if n := residentCount(t, do(t, req, w.official.token)); n != 2 {
			t.Fatalf("documentId GET: the owner sees %d, want 2", n)
		}
		// Metrics name the approved document, not the caller's operation.
		if _, metrics := w.srv.Get("/metrics"); !strings.Contains(metrics, `operation="persisted:chaoyang-residents"`) {
			t.Error("the metrics do not label the call by the document's name")
		}
		// Owners list their own documents; the province all.
		var list struct{ PersistedQueries struct{ TotalCount int } }
		w.srv.QueryAs(w.outsider.token, `{ persistedQueries { totalCount } }`, nil).Decode(t, &list)
		if list.PersistedQueries.TotalCount != 0 {
			t.Errorf("the 宁国市 official lists %d documents of others", list.PersistedQueries.TotalCount)
		}
		w.srv.QueryAs(w.initiator, `{ persistedQueries { totalCount } }`, nil).Decode(t, &list)
		if list.PersistedQueries.TotalCount != 1 {
			t.Errorf("the province lists %d documents, want 1", list.PersistedQueries.TotalCount)
		}
	})
}

// TestAScannerCannotRegisterATrustedDocument, nor anyone a document that
// is not queries, does not validate, or is too large.
func TestAScannerCannotRegisterATrustedDocument(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		_, resp := registerDoc(t, w.srv, w.scanner.token, "scanner-doc", residentsDoc)
		wantCodes(t, resp, mashang.EFORBIDDEN)
		_, resp = registerDoc(t, w.srv, w.grid.token, "grid-doc", residentsDoc)
		wantCodes(t, resp, mashang.EFORBIDDEN)
		_, resp = registerDoc(t, w.srv, "", "anonymous-doc", residentsDoc)
		wantCodes(t, resp, mashang.EUNAUTHENTICATED)

		_, resp = registerDoc(t, w.srv, w.official.token, "bad", `{ persons(first: 1) { noSuchField } }`)
		wantCodes(t, resp, mashang.EINVALID)
		if !strings.Contains(resp.Errors[0].Message, "noSuchField") {
			t.Errorf("the refusal does not name the problem: %+v", resp.Errors[0])
		}
		_, resp = registerDoc(t, w.srv, w.official.token, "mutation", `mutation { logout }`)
		wantCodes(t, resp, mashang.EINVALID)
		_, resp = registerDoc(t, w.srv, w.official.token, "big", `{ viewer { acting { role } } }`+strings.Repeat(" ", persisted.MaxDocumentBytes))
		wantCodes(t, resp, mashang.EINVALID)
		_, resp = registerDoc(t, w.srv, w.official.token, "名字 with spaces", residentsDoc)
		wantCodes(t, resp, mashang.EINVALID)
		_, resp = registerDoc(t, w.srv, w.official.token, "ok", residentsDoc)
		wantCodes(t, resp)
		_, resp = registerDoc(t, w.srv, w.outsider.token, "ok", residentsDoc+" ")
		wantCodes(t, resp, mashang.ECONFLICT)
		_, resp = registerDoc(t, w.srv, w.outsider.token, "same-text", residentsDoc)
		wantCodes(t, resp, mashang.ECONFLICT)
	})
}

// TestATrustedDocumentThatNoLongerFitsTheSchemaNamesItself: after the
// schema lost a field an approved document uses, a call by id is told
// which document no longer fits, and why.
func TestATrustedDocumentThatNoLongerFitsTheSchemaNamesItself(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		ctx := context.Background()
		old := `{ persons(first: 1) { totalCount removedLastYear } }`
		acct, err := db.Client.Account.Query().First(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Registered and approved when the field still existed.
		if _, err := db.Client.PersistedQuery.Create().SetName("old-dashboard").SetDocument(old).SetSha256(persisted.ID(old)).
			SetOwnerID(acct.ID).SetStatus(persistedquery.StatusAPPROVED).Save(ctx); err != nil {
			t.Fatal(err)
		}
		resp := callByHash(t, w.srv, w.official.token, persisted.ID(old))
		wantCodes(t, resp, mashang.EGRAPHQLVALIDATION)
		if msg := resp.Errors[0].Message; !strings.Contains(msg, "old-dashboard") || !strings.Contains(msg, "removedLastYear") {
			t.Errorf("the error does not name the document and the field: %q", msg)
		}
	})
}

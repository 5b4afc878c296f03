package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/persisted"
)

// trustedDocuments replaces gqlgen's automatic persisted queries, which
// store whatever text a client sends beside its hash: here only an
// APPROVED trusted document (package persisted) runs by id. A request
// with extensions.persistedQuery.sha256Hash (Apollo, POST and GET) or a
// documentId (GraphQL over HTTP; TrustedDocumentIDs rewrites it into the
// same extension) and no query runs the approved text of that id; one
// with a query too runs that query as any other, once its hash is checked,
// and stores nothing. The text runs like any other: the caller's session,
// the root-field guard, the scope filter, complexity and depth limits.
// SECURITY: an unknown, pending, rejected or revoked id answers
// PERSISTED_QUERY_NOT_FOUND alike (TestAnUnapprovedDocumentCannotBeRunByID).
type trustedDocuments struct{ docs *persisted.Service }

var _ interface {
	graphql.OperationParameterMutator
	graphql.HandlerExtension
} = trustedDocuments{}

func (trustedDocuments) ExtensionName() string                   { return "TrustedDocuments" }
func (trustedDocuments) Validate(graphql.ExecutableSchema) error { return nil }

// trustedDocumentStat is the operation statistic naming the document run.
const trustedDocumentStat = "TrustedDocument"

func (t trustedDocuments) MutateOperationParameters(ctx context.Context, raw *graphql.RawParams) *gqlerror.Error {
	ext, ok := raw.Extensions["persistedQuery"].(map[string]any)
	if !ok {
		if raw.Extensions["persistedQuery"] != nil {
			return gqlerror.Wrap(mashang.Errorf(mashang.EINVALID, `extensions.persistedQuery must be an object: {"version": 1, "sha256Hash": "<hex>"}.`))
		}
		return nil
	}
	hash, _ := ext["sha256Hash"].(string)
	if hash == "" {
		return gqlerror.Wrap(mashang.Errorf(mashang.EINVALID, `extensions.persistedQuery must be an object: {"version": 1, "sha256Hash": "<hex>"}.`))
	}
	if raw.Query != "" {
		// Text and hash: the text runs as sent; nothing is stored.
		if persisted.ID(raw.Query) != normalHash(hash) {
			return gqlerror.Wrap(mashang.Errorf(mashang.EINVALID, "The query's SHA-256 is not the hash sent beside it."))
		}
		return nil
	}
	doc, err := t.docs.Approved(ctx, hash)
	if err != nil {
		return gqlerror.Wrap(err)
	}
	if doc == nil {
		return gqlerror.Wrap(mashang.Errorf(mashang.EPERSISTEDQUERYNOTFOUND,
			"No approved trusted document has this id: send the query's text, or register it (registerPersistedQuery) and have it approved."))
	}
	if err := t.docs.Revalidate(doc); err != nil {
		return gqlerror.Wrap(err)
	}
	raw.Query = doc.Text
	graphql.GetOperationContext(ctx).Stats.SetExtension(trustedDocumentStat, doc.Name)
	return nil
}

// normalHash is a hash as persisted.ID spells it.
func normalHash(h string) string {
	if len(h) > 7 && h[:7] == "sha256:" {
		h = h[7:]
	}
	return string(bytes.ToLower([]byte(h)))
}

// TrustedDocumentName is the name of the approved trusted document an
// operation runs ("" for a text sent by the client). Metrics label
// operations with it: the names of approved documents are a set the
// province controls.
func TrustedDocumentName(oc *graphql.OperationContext) string {
	if oc == nil {
		return ""
	}
	name, _ := oc.Stats.GetExtension(trustedDocumentStat).(string)
	return name
}

// TrustedDocumentIDs lets clients call a trusted document by documentId,
// the GraphQL-over-HTTP convention ({"documentId": "sha256:<hex>"} in a
// JSON POST body, ?documentId=sha256:<hex> in a GET), by rewriting it into
// extensions.persistedQuery, which trustedDocuments reads. The POST body
// is in memory already (httpserver caps and reads it).
func TrustedDocumentIDs(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
			q := r.URL.Query()
			if id := q.Get("documentId"); id != "" {
				ext := map[string]any{}
				if e := q.Get("extensions"); e != "" && json.Unmarshal([]byte(e), &ext) != nil {
					break // gqlgen refuses the bad extensions itself
				}
				ext["persistedQuery"] = map[string]any{"version": 1, "sha256Hash": id}
				b, _ := json.Marshal(ext)
				q.Del("documentId")
				q.Set("extensions", string(b))
				r.URL.RawQuery = q.Encode()
			}
		case http.MethodPost:
			// JSON bodies only: a multipart upload streams on untouched.
			if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); r.Body != nil && mt == "application/json" {
				// A body in memory already (the HTTP server's) is taken as
				// it is, and left to be read when unchanged.
				if m, ok := r.Body.(interface{ Bytes() []byte }); ok {
					if body := m.Bytes(); bytes.Contains(body, []byte(`"documentId"`)) {
						r.Body = io.NopCloser(bytes.NewReader(withDocumentID(body)))
					}
					break
				}
				body, err := io.ReadAll(r.Body)
				if err == nil {
					body = withDocumentID(body)
				}
				r.Body = io.NopCloser(bytes.NewReader(body))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// withDocumentID rewrites a JSON body's documentId into
// extensions.persistedQuery; any other body is returned as it is.
func withDocumentID(body []byte) []byte {
	if !bytes.Contains(body, []byte(`"documentId"`)) {
		return body
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil {
		return body
	}
	var id string
	if json.Unmarshal(obj["documentId"], &id) != nil || id == "" {
		return body
	}
	ext := map[string]json.RawMessage{}
	if raw, ok := obj["extensions"]; ok && string(raw) != "null" && json.Unmarshal(raw, &ext) != nil {
		return body
	}
	pq, _ := json.Marshal(map[string]any{"version": 1, "sha256Hash": id})
	ext["persistedQuery"] = pq
	obj["extensions"], _ = json.Marshal(ext)
	delete(obj, "documentId")
	out, err := json.Marshal(obj)
	if err != nil {
		return body
	}
	return out
}

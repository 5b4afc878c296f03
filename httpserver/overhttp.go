package httpserver

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
)

// Media types of GraphQL over HTTP; gqlgen's POST and GET transports choose
// one from the Accept header (application/json when it is missing or */*).
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// withRequestErrorStatus makes gqlgen's answers to request errors (a
// document that does not parse or validate, variables that do not coerce)
// follow the GraphQL-over-HTTP spec, which gqlgen does not:
//   - with application/json the status is 200, not 422: a client of that
//     media type reads errors from the body, and a proxy must not take a
//     GraphQL error for a broken request;
//   - with application/graphql-response+json the status is 400, not 422;
//   - with either, the body has no "data" entry (gqlgen writes "data": null):
//     execution never started, and for application/graphql-response+json a
//     body without data is what tells a request error from a failed
//     execution.
//
// A body that is not JSON keeps its 400. Answers the transports stream
// (websockets, 200s) pass straight through; only a 400 or 422 is held back
// and rewritten.
func withRequestErrorStatus(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method != http.MethodPost && r.Method != http.MethodGet) || r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r)
			return
		}
		rw := &requestErrorWriter{ResponseWriter: w}
		next.ServeHTTP(rw, r)
		rw.flushHeld()
	})
}

type requestErrorWriter struct {
	http.ResponseWriter
	wroteHeader bool
	held        bool // a 400 or 422 answer is buffered to be rewritten
	status      int
	body        bytes.Buffer
}

func (w *requestErrorWriter) WriteHeader(code int) {
	if w.wroteHeader {
		return
	}
	w.wroteHeader = true
	media, _, _ := mime.ParseMediaType(w.Header().Get("Content-Type"))
	if (code == http.StatusUnprocessableEntity || code == http.StatusBadRequest) &&
		(media == mediaJSON || media == mediaGraphQLResponse) {
		w.held, w.status = true, code
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *requestErrorWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.held {
		return w.body.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *requestErrorWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush keeps streamed answers (incremental delivery) streaming.
func (w *requestErrorWriter) Flush() {
	if !w.held {
		_ = http.NewResponseController(w.ResponseWriter).Flush()
	}
}

func (w *requestErrorWriter) flushHeld() {
	if !w.held {
		return
	}
	status, body := w.status, w.body.Bytes()
	var resp map[string]json.RawMessage
	if json.Unmarshal(body, &resp) == nil && resp["errors"] != nil {
		if string(resp["data"]) == "null" {
			delete(resp, "data")
			if b, err := json.Marshal(resp); err == nil {
				body = b
			}
		}
		if status == http.StatusUnprocessableEntity {
			status = http.StatusOK
			if media, _, _ := mime.ParseMediaType(w.Header().Get("Content-Type")); media == mediaGraphQLResponse {
				status = http.StatusBadRequest
			}
		}
	}
	w.ResponseWriter.WriteHeader(status)
	_, _ = w.ResponseWriter.Write(body)
}

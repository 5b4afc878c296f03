package graph

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/mashang/mashang/graph/generated"
)

// DefaultMaxUploadBytes caps a multipart request: the documented 10 MiB
// control list (controllist.DefaultMaxBytes) plus room for the operation,
// the map and the part headers.
const DefaultMaxUploadBytes = 11 << 20

// uploadMemoryBytes is how much of a multipart request is held in memory;
// a larger request is spooled to a temporary file by gqlgen.
const uploadMemoryBytes = 1 << 20

// multipartForm is the graphql-multipart-request-spec transport that the
// Upload scalar needs (importControlList(file:)). Its cap is the larger one
// of multipart requests; JSON bodies keep the smaller cap of httpserver.
func multipartForm(maxBytes int64) transport.MultipartForm {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxUploadBytes
	}
	return transport.MultipartForm{MaxUploadSize: maxBytes, MaxMemory: uploadMemoryBytes}
}

// schemaWithoutDefer is the generated schema minus the @defer directive that
// gqlparser's prelude declares: no transport here streams incremental
// results, so advertising @defer would promise what the server ignores. A
// document using it fails validation (unknown directive) instead of being
// answered as if the directive were not there.
func schemaWithoutDefer() *ast.Schema {
	parsed := generated.NewExecutableSchema(generated.Config{}).Schema()
	s := *parsed
	s.Directives = maps.Clone(parsed.Directives)
	delete(s.Directives, "defer")
	return &s
}

// postJSON is gqlgen's POST transport, except that an executed operation's
// answer is written without passing its data through json.Marshal: gqlgen
// has written the data as JSON already, and json.Marshal validates and
// compacts a json.RawMessage byte by byte — 6 % of the server's CPU for
// the country tree (issue 15's profile). Everything else (reading and
// decoding the body, the content type, the errors and their status codes)
// is gqlgen's own transport.POST, which writes the answer of every request
// that is not executed.
type postJSON struct{ transport.POST }

func (p postJSON) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	out := &answerWriter{ResponseWriter: w}
	p.POST.Do(out, r, rawAnswers{GraphExecutor: exec, out: out})
}

// rawAnswers writes the answer of a dispatched operation itself, then lets
// gqlgen write an empty one that answerWriter drops.
type rawAnswers struct {
	graphql.GraphExecutor
	out *answerWriter
}

func (e rawAnswers) DispatchOperation(ctx context.Context, rc *graphql.OperationContext) (graphql.ResponseHandler, context.Context) {
	h, ctx := e.GraphExecutor.DispatchOperation(ctx, rc)
	return func(ctx context.Context) *graphql.Response {
		resp := h(ctx)
		if resp == nil || resp.Label != "" || resp.Path != nil || resp.HasNext != nil {
			return resp // not a plain answer: gqlgen writes it
		}
		body, err := appendAnswer(nil, resp)
		if err != nil {
			return resp
		}
		_, _ = e.out.ResponseWriter.Write(body)
		e.out.written = true
		return &graphql.Response{}
	}, ctx
}

// appendAnswer writes resp as json.Marshal would, in the same key order,
// with its data as it is.
func appendAnswer(b []byte, resp *graphql.Response) ([]byte, error) {
	b = append(b, '{')
	if len(resp.Errors) > 0 {
		errs, err := json.Marshal(resp.Errors)
		if err != nil {
			return nil, err
		}
		b = append(append(append(b, `"errors":`...), errs...), ',')
	}
	b = append(b, `"data":`...)
	if len(resp.Data) == 0 {
		b = append(b, "null"...)
	} else {
		b = append(b, resp.Data...)
	}
	if len(resp.Extensions) > 0 {
		ext, err := json.Marshal(resp.Extensions)
		if err != nil {
			return nil, err
		}
		b = append(append(b, `,"extensions":`...), ext...)
	}
	return append(b, '}'), nil
}

// answerWriter drops what gqlgen writes after rawAnswers wrote the answer.
type answerWriter struct {
	http.ResponseWriter
	written bool
}

func (w *answerWriter) Write(b []byte) (int, error) {
	if w.written {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

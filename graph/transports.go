package graph

import (
	"maps"

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

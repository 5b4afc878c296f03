// Command gqlgenpost adjusts gqlgen's generated executor after `gqlgen
// generate` (go generate runs it; make check-generated checks the result).
//
// Every object gqlgen marshals starts a group for @defer'd fragments, and
// starting one computes the object's path: a slice allocated and filled by
// walking up the field contexts. mashang serves a schema without @defer
// (graph/transports.go), so the group is never used; issue 15's profile of
// tree reads spent about a tenth of the server's CPU and of its allocations
// on those paths. The rewrite calls ec.newDeferredGroup
// (graph/generated/nodefer.go), which starts an empty group when the
// served schema has no @defer, and gqlgen's own otherwise.
package main

import (
	"bytes"
	"fmt"
	"os"
)

const (
	file = "graph/generated/generated.go"
	from = "deferred := graphql.NewDeferredGroup(ctx)"
	to   = "deferred := ec.newDeferredGroup(ctx)"
)

func main() {
	src, err := os.ReadFile(file)
	if err != nil {
		fail(err)
	}
	n := bytes.Count(src, []byte(from))
	if n == 0 && bytes.Contains(src, []byte(to)) {
		return // rewritten already
	}
	if n == 0 {
		// gqlgen changed its template: look at what it generates now.
		fail(fmt.Errorf("%s: %q not found; update cmd/gqlgenpost for this gqlgen", file, from))
	}
	if err := os.WriteFile(file, bytes.ReplaceAll(src, []byte(from), []byte(to)), 0o644); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gqlgenpost:", err)
	os.Exit(1)
}

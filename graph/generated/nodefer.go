package generated

// Written by hand: generated.go calls it once cmd/gqlgenpost has run.

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// newDeferredGroup starts the group of an object's @defer'd fields. The
// schema mashang serves has no @defer (graph/transports.go), so no field
// is ever deferred and the group stays empty: it is started without the
// object's path, which gqlgen's NewDeferredGroup computes (allocating) for
// every object. With a schema that has @defer, gqlgen's own is used.
func (ec *executionContext) newDeferredGroup(ctx context.Context) graphql.DeferredGroup {
	if s := ec.SchemaData; s == nil || s.Directives["defer"] != nil {
		return graphql.NewDeferredGroup(ctx)
	}
	return graphql.DeferredGroup{Context: ctx}
}

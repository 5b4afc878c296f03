package graph

import (
	"context"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
)

// requestedCostKey keeps, in the operation's stats, the complexity
// complexityLimit computed for it.
const requestedCostKey = "mashang.cost.requested"

// costReport puts the cost of every executed operation in its response's
// extensions, the way GitHub's and Shopify's APIs report theirs (issue 12
// point 6): extensions.cost = {requested, actual}. requested is the
// complexity priced before the operation ran (every field 1, a connection
// its children × its page size: limits.go), the figure MaxComplexity is
// compared with; actual is the number of fields really resolved, every
// element of every list counted — an operation asking for pages it does
// not fill costs less than requested, one served from the tree cache
// (respcache.go) 0. A subscription reports each event.
type costReport struct{}

func (costReport) ExtensionName() string                   { return "CostReport" }
func (costReport) Validate(graphql.ExecutableSchema) error { return nil }

type resolvedKey struct{}

// InterceptResponse counts the fields resolved under it and reports both
// figures.
func (costReport) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	var resolved atomic.Int64
	resp := next(context.WithValue(ctx, resolvedKey{}, &resolved))
	if resp == nil || !graphql.HasOperationContext(ctx) {
		return resp
	}
	requested, _ := graphql.GetOperationContext(ctx).Stats.GetExtension(requestedCostKey).(int)
	if resp.Extensions == nil {
		resp.Extensions = map[string]any{}
	}
	resp.Extensions["cost"] = map[string]any{"requested": requested, "actual": resolved.Load()}
	return resp
}

// countResolved counts one resolved field. mutateThenAnswer, the one field
// middleware, calls it: a second interceptor on every field cost a closure
// per field of every answer (issue 15's profile of tree reads).
func countResolved(ctx context.Context) {
	if n, ok := ctx.Value(resolvedKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
}

// cachedCost is the cost of an answer served from the tree cache: priced as
// any other, nothing resolved.
func cachedCost(oc *graphql.OperationContext) map[string]any {
	requested, _ := oc.Stats.GetExtension(requestedCostKey).(int)
	return map[string]any{"cost": map[string]any{"requested": requested, "actual": 0}}
}

package graph

import (
	"context"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/graph/generated"
)

// pageCost is the number of rows a connection may return: first or last, or
// DefaultPageSize when neither is given.
func pageCost(first, last *int) int {
	switch {
	case first != nil && *first > 0:
		return *first
	case last != nil && *last > 0:
		return *last
	case first != nil || last != nil:
		return 1
	}
	return DefaultPageSize
}

// setComplexity prices every connection as its children times its page size.
func setComplexity(c *generated.ComplexityRoot) {
	type cur = *entgql.Cursor[int]
	regions := func(child int, _ cur, first *int, _ cur, last *int, _ []*ent.RegionOrder, _ *ent.RegionWhereInput) int {
		return 1 + child*pageCost(first, last)
	}
	sites := func(child int, _ cur, first *int, _ cur, last *int, _ []*ent.SiteOrder, _ *ent.SiteWhereInput) int {
		return 1 + child*pageCost(first, last)
	}
	units := func(child int, _ cur, first *int, _ cur, last *int, _ []*ent.UnitOrder, _ *ent.UnitWhereInput) int {
		return 1 + child*pageCost(first, last)
	}
	c.Query.Regions, c.Query.Sites, c.Query.Units = regions, sites, units
	c.Region.Children, c.Region.Sites, c.Region.Units = regions, sites, units
	c.Site.Children = sites
	c.Unit.Sites = sites
	c.Query.Nodes = func(child int, ids []int) int { return 1 + child*len(ids) }
}

// complexityLimit refuses operations that cost more than max before any
// resolver runs. It replaces gqlgen's FixedComplexityLimit to answer with
// our code and an actionable message.
type complexityLimit struct {
	max    int
	schema graphql.ExecutableSchema
}

func (complexityLimit) ExtensionName() string { return "ComplexityLimit" }

func (c *complexityLimit) Validate(schema graphql.ExecutableSchema) error {
	c.schema = schema
	return nil
}

func (c *complexityLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	cost := complexity.Calculate(ctx, c.schema, oc.Operation, oc.Variables)
	oc.Stats.SetExtension(requestedCostKey, cost) // extensions.cost.requested (cost.go)
	if c.max > 0 && cost > c.max {
		err := gqlerror.WrapPath(nil, mashang.Errorf(mashang.ETOOCOMPLEX, "This query would cost %d, above the limit of %d: ask for smaller pages (first/last) or fewer nested connections.", cost, c.max))
		err.Extensions = map[string]any{"code": mashang.ETOOCOMPLEX, "cost": cost, "limit": c.max}
		return err
	}
	return nil
}

// DefaultMaxMutationFields is Limits.MaxMutationFields' default: a form
// sends one mutation; recordScans carries a whole batch in one field.
const DefaultMaxMutationFields = 5

// mutationLimit refuses, before any resolver runs, a mutation operation with
// more than max root fields: every alias of a mutation is one more run of
// it (an Argon2id hash for login, a signature for issueCode, a session).
// SECURITY: one request cannot multiply work by aliases
// (TestAnAttackerCannotMultiplyLoginsByAliases).
type mutationLimit struct{ max int }

func (mutationLimit) ExtensionName() string                   { return "MutationLimit" }
func (mutationLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (m mutationLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	limit := m.max
	if limit == 0 {
		limit = DefaultMaxMutationFields
	}
	if limit < 0 || oc.Operation == nil || oc.Operation.Operation != ast.Mutation {
		return nil
	}
	n := rootFieldCount(oc.Operation.SelectionSet, oc.Doc.Fragments, map[string]bool{})
	if n > limit {
		err := gqlerror.WrapPath(nil, mashang.Errorf(mashang.ETOOCOMPLEX, "This request runs %d mutations, above the limit of %d: send fewer per request (recordScans takes a whole batch in one).", n, limit))
		err.Extensions = map[string]any{"code": mashang.ETOOCOMPLEX, "mutations": n, "limit": limit}
		return err
	}
	return nil
}

// rootFieldCount counts the fields a selection set runs at its own level,
// through fragments: one per response key (fields of the same alias merge
// into one run); __typename costs nothing.
func rootFieldCount(set ast.SelectionSet, frags ast.FragmentDefinitionList, seen map[string]bool) int {
	keys := map[string]bool{}
	collectRootKeys(set, frags, seen, keys)
	return len(keys)
}

func collectRootKeys(set ast.SelectionSet, frags ast.FragmentDefinitionList, seen, keys map[string]bool) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name != "__typename" {
				key := s.Alias
				if key == "" {
					key = s.Name
				}
				keys[key] = true
			}
		case *ast.InlineFragment:
			collectRootKeys(s.SelectionSet, frags, seen, keys)
		case *ast.FragmentSpread:
			if f := frags.ForName(s.Name); f != nil && !seen[s.Name] {
				seen[s.Name] = true // validation rejects cycles; never loop here
				collectRootKeys(f.SelectionSet, frags, seen, keys)
			}
		}
	}
}

// depthLimit refuses selections nested deeper than max. Introspection
// (__schema, __type) is exempt: tools need it and it is bounded by the schema.
type depthLimit struct{ max int }

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (d depthLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if d.max <= 0 || oc.Operation == nil {
		return nil
	}
	depth := selectionDepth(oc.Operation.SelectionSet, oc.Doc.Fragments, 0, map[string]bool{})
	if depth > d.max {
		err := gqlerror.WrapPath(nil, mashang.Errorf(mashang.ETOODEEP, "This query nests %d levels deep, above the limit of %d: split it into several queries.", depth, d.max))
		err.Extensions = map[string]any{"code": mashang.ETOODEEP, "depth": depth, "limit": d.max}
		return err
	}
	return nil
}

func selectionDepth(set ast.SelectionSet, frags ast.FragmentDefinitionList, level int, seen map[string]bool) int {
	deepest := level
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			if level == 0 && (s.Name == "__schema" || s.Name == "__type") {
				continue
			}
			d = selectionDepth(s.SelectionSet, frags, level+1, seen)
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet, frags, level, seen)
		case *ast.FragmentSpread:
			if seen[s.Name] {
				continue // validation rejects cycles; never loop here
			}
			f := frags.ForName(s.Name)
			if f == nil {
				continue
			}
			seen[s.Name] = true
			d = selectionDepth(f.SelectionSet, frags, level, seen)
			delete(seen, s.Name)
		}
		if d > deepest {
			deepest = d
		}
	}
	return deepest
}

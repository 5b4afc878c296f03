package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/mashang/mashang"
)

// publicEdgePredicates are the has…/has…With filters that only reach into
// the public region tree.
var publicEdgePredicates = map[string]bool{
	"RegionWhereInput.hasParent": true, "RegionWhereInput.hasParentWith": true,
	"RegionWhereInput.hasChildren": true, "RegionWhereInput.hasChildrenWith": true,
	"SiteWhereInput.hasRegion": true, "SiteWhereInput.hasRegionWith": true,
	"UnitWhereInput.hasRegion": true, "UnitWhereInput.hasRegionWith": true,
	"AccountWhereInput.hasScopeRegion": true, "AccountWhereInput.hasScopeRegionWith": true,
	"ApplicationWhereInput.hasScopeRegion": true, "ApplicationWhereInput.hasScopeRegionWith": true,
}

// edgePredicateGuard refuses the where-input filters that test neighbouring
// rows (hasSitesWith, hasSuperiorWith, …) except those into the public tree.
// SECURITY: ent runs such a filter as a subquery on the neighbour's table,
// which the scope filter (authz.Filter) never sees; an anonymous caller
// could otherwise find a site by name through regions(where:
// {hasSitesWith: …}).
type edgePredicateGuard struct{ schema *ast.Schema }

func (*edgePredicateGuard) ExtensionName() string { return "EdgePredicateGuard" }

func (g *edgePredicateGuard) Validate(s graphql.ExecutableSchema) error {
	g.schema = s.Schema()
	return nil
}

func (g *edgePredicateGuard) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	if name := g.inSelections(oc.Operation.SelectionSet, oc, map[string]bool{}); name != "" {
		err := gqlerror.Errorf("Filtering by %s is not offered: it would test rows outside your scope. Filter by the fields of the rows themselves, or use within.", name)
		err.Extensions = map[string]any{"code": mashang.EINVALID}
		return err
	}
	return nil
}

func scopedPredicate(def *ast.Definition, field string) bool {
	return def != nil && strings.HasSuffix(def.Name, "WhereInput") && strings.HasPrefix(field, "has") &&
		!publicEdgePredicates[def.Name+"."+field]
}

func (g *edgePredicateGuard) inSelections(set ast.SelectionSet, oc *graphql.OperationContext, seen map[string]bool) string {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			for _, arg := range s.Arguments {
				if name := g.inValue(arg.Value, oc); name != "" {
					return name
				}
			}
			if name := g.inSelections(s.SelectionSet, oc, seen); name != "" {
				return name
			}
		case *ast.InlineFragment:
			if name := g.inSelections(s.SelectionSet, oc, seen); name != "" {
				return name
			}
		case *ast.FragmentSpread:
			if seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			if f := oc.Doc.Fragments.ForName(s.Name); f != nil {
				if name := g.inSelections(f.SelectionSet, oc, seen); name != "" {
					return name
				}
			}
		}
	}
	return ""
}

func (g *edgePredicateGuard) inValue(v *ast.Value, oc *graphql.OperationContext) string {
	if v == nil {
		return ""
	}
	switch v.Kind {
	case ast.ObjectValue:
		for _, c := range v.Children {
			if scopedPredicate(v.Definition, c.Name) {
				return v.Definition.Name + "." + c.Name
			}
			if name := g.inValue(c.Value, oc); name != "" {
				return name
			}
		}
	case ast.ListValue:
		for _, c := range v.Children {
			if name := g.inValue(c.Value, oc); name != "" {
				return name
			}
		}
	case ast.Variable:
		if v.ExpectedType != nil && g.schema != nil {
			return g.inGo(g.schema.Types[v.ExpectedType.Name()], oc.Variables[v.Raw])
		}
	}
	return ""
}

func (g *edgePredicateGuard) inGo(def *ast.Definition, v any) string {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			if scopedPredicate(def, k) {
				return def.Name + "." + k
			}
			if def == nil {
				continue
			}
			if f := def.Fields.ForName(k); f != nil {
				if name := g.inGo(g.schema.Types[f.Type.Name()], child); name != "" {
					return name
				}
			}
		}
	case []any:
		for _, c := range x {
			if name := g.inGo(def, c); name != "" {
				return name
			}
		}
	}
	return ""
}

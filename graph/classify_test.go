package graph_test

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/graph"
	"github.com/mashang/mashang/graph/generated"
)

// Every root field of the executable schema is classified in
// authz.RootFields (who may call it), every classification names a field
// that exists, and every Policy classification names a line of policy.csv
// (STYLE.md, after Chainloop's authz package).
func TestEveryRootFieldIsClassified(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{Resolvers: graph.NewResolver(graph.Deps{})}).Schema()
	roots := map[string]*ast.Definition{"Query": schema.Query, "Mutation": schema.Mutation, "Subscription": schema.Subscription}
	if schema.Query == nil {
		t.Fatal("the schema has no Query type")
	}

	fields := map[string]bool{}
	for typ, def := range roots {
		if def == nil {
			continue
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue // introspection
			}
			fields[typ+"."+f.Name] = true
		}
	}

	perms := authz.MustEnforcer().Permissions(authz.PolicyRoles...)
	var missing, stale, unmatched []string
	for name := range fields {
		c, ok := authz.RootFields[name]
		switch {
		case !ok:
			missing = append(missing, name)
		case c.Access == authz.Policy && !slices.ContainsFunc(perms, c.Matches):
			unmatched = append(unmatched, name+" ("+c.Object+" "+c.Action+")")
		}
	}
	for name := range authz.RootFields {
		if !fields[name] {
			stale = append(stale, name)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	sort.Strings(unmatched)
	if len(missing) > 0 {
		t.Errorf("root fields not classified in authz.RootFields (decide who may call them: Public, Authenticated, or Policy with the policy.csv object and action):\n  %s",
			strings.Join(missing, "\n  "))
	}
	if len(stale) > 0 {
		t.Errorf("authz.RootFields classifies fields the schema no longer has (remove them):\n  %s", strings.Join(stale, "\n  "))
	}
	if len(unmatched) > 0 {
		t.Errorf("Policy classifications whose object and action no line of policy.csv grants:\n  %s", strings.Join(unmatched, "\n  "))
	}
	t.Logf("%d root fields classified", len(fields))
}

package generated

import (
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// The list under regions.edges: in order when nothing under it may wait,
// concurrently when a field under it is a resolver (ancestors, children),
// sits on an interface, or comes through a fragment that has one.
func TestAListIsMarshalledInOrderOnlyWhenNoFieldUnderItMayWait(t *testing.T) {
	schema := NewExecutableSchema(Config{}).Schema()
	for _, c := range []struct {
		query string
		wait  bool
	}{
		{`{ regions(first: 2) { edges { cursor node { id code name childCount siteCount __typename } } } }`, false},
		{`{ regions(first: 2) { edges { node { id ... on Region { name } } } } }`, false},
		{`{ regions(first: 2) { edges { node { id ...F } } } } fragment F on Region { code }`, false},
		{`{ regions(first: 2) { edges { node { id ancestors { id } } } } }`, true},
		{`{ regions(first: 2) { edges { node { children(first: 2) { edges { node { id } } } } } } }`, true},
		{`{ regions(first: 2) { edges { node { id ...F } } } } fragment F on Region { parent { id } }`, true},
		{`{ nodes(ids: ["1"]) { id } }`, true},
	} {
		doc, errs := gqlparser.LoadQuery(schema, c.query)
		if errs != nil {
			t.Fatalf("%s: %v", c.query, errs)
		}
		list := findField(doc.Operations[0].SelectionSet, "edges")
		if list == nil {
			list = findField(doc.Operations[0].SelectionSet, "nodes")
		}
		if got := mayWait(list.SelectionSet); got != c.wait {
			t.Errorf("%s: mayWait = %v, want %v", c.query, got, c.wait)
		}
	}
}

func findField(sel ast.SelectionSet, name string) *ast.Field {
	for _, s := range sel {
		if f, ok := s.(*ast.Field); ok {
			if f.Name == name {
				return f
			}
			if found := findField(f.SelectionSet, name); found != nil {
				return found
			}
		}
	}
	return nil
}

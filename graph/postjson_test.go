package graph

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// appendAnswer writes what json.Marshal writes for the same answer: the same
// keys in the same order, the same values.
func TestAnAnswerWrittenAsIsReadsAsGqlgensOwn(t *testing.T) {
	for _, resp := range []*graphql.Response{
		{Data: json.RawMessage(`{"regionByCode":{"name":"<朝阳区> & \u2028","childCount":2}}`)},
		{Data: json.RawMessage(`{"a":null}`), Extensions: map[string]any{"cost": map[string]any{"requested": 3, "actual": 2}}},
		{Errors: gqlerror.List{{Message: "没有", Path: ast.Path{ast.PathName("regionByCode")}, Extensions: map[string]any{"code": "NOT_FOUND"}}},
			Extensions: map[string]any{"cost": 1}},
		{},
	} {
		want, err := json.Marshal(resp)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendAnswer(nil, resp)
		if err != nil {
			t.Fatal(err)
		}
		var w, g any
		if err := json.Unmarshal(want, &w); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("%s: %v", got, err)
		}
		if !reflect.DeepEqual(w, g) || keyOrder(t, got) != keyOrder(t, want) {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	}
}

// keyOrder lists the answer's top-level keys in the order written.
func keyOrder(t *testing.T, b []byte) string {
	dec := json.NewDecoder(bytes.NewReader(b))
	var keys string
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys += k.(string) + ","
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

package graph

import (
	"context"
	"errors"
	"math"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/graph/scalars"
)

// maxInputDepth bounds how deeply an argument's value may nest (input
// objects and lists): the deepest input of the schema (a where filter with
// and/or/not) needs a handful of levels; a `not` nested thousands deep
// only makes ent build (and the database plan) a predicate as deep.
const maxInputDepth = 20

// inputGuard checks every argument value of an operation, literal or from
// variables, before any resolver runs, so that an input the database or a
// resolver would fail on with an internal error is refused as a request
// error with INVALID_INPUT (issue 10 #13, #14) and nothing is written:
//   - a string holding a NUL character (PostgreSQL's text cannot store one);
//   - an input nested deeper than maxInputDepth;
//   - an Int or Float given as a string ("37"), or out of range: the
//     GraphQL specification's input coercion refuses them, and gqlparser's
//     variable coercion does not (graph/scalars refuses them again when
//     the argument is read);
//   - a cursor that is not one this API could have returned (not a list of
//     plain values).
type inputGuard struct{ schema *ast.Schema }

func (*inputGuard) ExtensionName() string { return "InputGuard" }

func (g *inputGuard) Validate(s graphql.ExecutableSchema) error {
	g.schema = s.Schema()
	return nil
}

func (g *inputGuard) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	if err := g.selections(oc, oc.Operation.SelectionSet, map[string]bool{}); err != nil {
		return gqlerror.WrapPath(nil, err)
	}
	return nil
}

func (g *inputGuard) selections(oc *graphql.OperationContext, set ast.SelectionSet, seen map[string]bool) *mashang.Error {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			for _, arg := range s.Arguments {
				if s.Definition == nil {
					continue
				}
				def := s.Definition.Arguments.ForName(arg.Name)
				if def == nil || arg.Value == nil {
					continue
				}
				v, err := arg.Value.Value(oc.Variables)
				if err != nil {
					continue // validation reported it
				}
				if err := g.value(v, def.Type, arg.Name, 1); err != nil {
					return err
				}
			}
			if err := g.selections(oc, s.SelectionSet, seen); err != nil {
				return err
			}
		case *ast.InlineFragment:
			if err := g.selections(oc, s.SelectionSet, seen); err != nil {
				return err
			}
		case *ast.FragmentSpread:
			if seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			if f := oc.Doc.Fragments.ForName(s.Name); f != nil {
				if err := g.selections(oc, f.SelectionSet, seen); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// value checks v, the value of an input of type t at path (the argument and
// its fields, as extensions.field names them).
func (g *inputGuard) value(v any, t *ast.Type, path string, depth int) *mashang.Error {
	if v == nil {
		return nil
	}
	if depth > maxInputDepth {
		return mashang.FieldErrorf(mashang.EINVALID, path,
			"%s nests deeper than %d levels: simplify the filter or input.", path, maxInputDepth)
	}
	if t.Elem != nil {
		items, ok := v.([]any)
		if !ok {
			return g.value(v, t.Elem, path, depth+1) // one value stands for a list of one
		}
		for _, item := range items {
			if err := g.value(item, t.Elem, path, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	def := g.schema.Types[t.NamedType]
	if def != nil && def.Kind == ast.InputObject {
		fields, _ := v.(map[string]any)
		for name, fv := range fields {
			if f := def.Fields.ForName(name); f != nil {
				if err := g.value(fv, f.Type, path+"."+name, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return g.scalar(v, t.NamedType, path, depth)
}

func (g *inputGuard) scalar(v any, typ, path string, depth int) *mashang.Error {
	switch typ {
	case "Int":
		if _, err := scalars.UnmarshalInt64(v); err != nil {
			return mashang.FieldErrorf(mashang.EINVALID, path,
				"%s must be a whole number between -2147483648 and 2147483647, not a string or a fraction.", path)
		}
		return nil
	case "Float":
		if _, err := scalars.UnmarshalFloat(v); err != nil {
			return mashang.FieldErrorf(mashang.EINVALID, path, "%s must be a number, not a string.", path)
		}
		return nil
	case "Cursor":
		if s, ok := v.(string); ok && !plausibleCursor(s) {
			return mashang.FieldErrorf(mashang.EINVALID, path,
				"Invalid cursor: pass the startCursor or endCursor of a page this API returned.")
		}
		return nil
	}
	if hasNUL(v, depth) {
		return mashang.FieldErrorf(mashang.EINVALID, path,
			"%s contains a NUL character (U+0000), which no text can hold: remove it.", path)
	}
	return nil
}

// hasNUL tells whether v (a string, or a JSON value of a custom scalar such
// as Map) holds a NUL character.
func hasNUL(v any, depth int) bool {
	if depth > maxInputDepth {
		return false
	}
	switch v := v.(type) {
	case string:
		return strings.IndexByte(v, 0) >= 0
	case []any:
		for _, x := range v {
			if hasNUL(x, depth+1) {
				return true
			}
		}
	case map[string]any:
		for k, x := range v {
			if strings.IndexByte(k, 0) >= 0 || hasNUL(x, depth+1) {
				return true
			}
		}
	}
	return false
}

// plausibleCursor tells whether s decodes as a cursor this API writes
// (ent's: an ID and the list of the ordered values, each a plain value).
// Whether the values fit the ordered columns is only known to the query; a
// value that does not is refused by the error presenter (cursorError).
func plausibleCursor(s string) bool {
	var c ent.Cursor
	if c.UnmarshalGQL(s) != nil {
		return false
	}
	if c.Value == nil {
		return true
	}
	values, ok := c.Value.([]any)
	if !ok || len(values) == 0 || len(values) > 8 {
		return false
	}
	for _, v := range values {
		switch v := v.(type) {
		case nil, bool, time.Time, int8, int16, int32, int64, uint8, uint16, uint32, int, uint:
		case uint64:
			if v > math.MaxInt64 {
				return false
			}
		case float32:
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return false
			}
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return false
			}
		case string:
			if strings.IndexByte(v, 0) >= 0 || len(v) > 1024 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// inputFault is the refusal of a resolver error that a well-formed input
// made, which inputGuard cannot tell beforehand (issue 10 #13); nil for any
// other error:
//   - ent's "empty predicate" of a where filter with an empty object inside
//     (`not: {}`, `and: [{}]`);
//   - a cursor whose values do not fit the ordering it is used with: ent's
//     own check, or the database refusing a value of the wrong type for the
//     column (PostgreSQL's data exceptions and type mismatches: typeFault).
func inputFault(ctx context.Context, err error) *mashang.Error {
	text := err.Error()
	if strings.Contains(text, "ent: empty predicate ") {
		return mashang.FieldErrorf(mashang.EINVALID, "where",
			"The filter holds an empty object ({}) inside not, and or or: leave it out, or give it a condition.")
	}
	cursor := cursorArgument(ctx)
	if cursor == "" {
		return nil
	}
	var pqErr *pq.Error
	if strings.Contains(text, "cursor ") || errors.As(err, &pqErr) && typeFault(pqErr.Code) {
		return mashang.FieldErrorf(mashang.EINVALID, cursor,
			"Invalid cursor: pass the startCursor or endCursor of a page this API returned.")
	}
	return nil
}

// cursorArgument names the cursor argument (after or before) given to the
// field being resolved, "" when there is none.
func cursorArgument(ctx context.Context) string {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return ""
	}
	for _, name := range []string{"after", "before"} {
		if c, ok := fc.Args[name].(*ent.Cursor); ok && c != nil {
			return name
		}
	}
	return ""
}

// typeFault tells the SQLSTATEs of a value that does not fit its column or
// operator: the data exceptions (class 22, e.g. 22007 "invalid input syntax
// for type timestamp"), datatype_mismatch (42804), undefined_function
// (42883, "operator does not exist") and cannot_coerce (42846). ent writes
// the SQL, so with a cursor given, only the cursor's values can cause them.
func typeFault(code pqerror.Code) bool {
	return code.Class() == "22" || code == "42804" || code == "42883" || code == "42846"
}

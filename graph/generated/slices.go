package generated

// Written by hand: generated.go calls it once cmd/gqlgenpost has run.

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// marshalSlice marshals a list's elements. gqlgen's own function gives each
// element a goroutine, so that elements whose fields wait (a resolver, a
// dataloader) wait together. When no field selected under the list may
// wait (mayWait), the elements are marshalled in order on this goroutine:
// the same answer and errors, without a goroutine per element and the
// stack it grows (issue 15: a quarter of the CPU of the country tree).
func (ec *executionContext) marshalSlice(ctx context.Context, sel ast.SelectionSet, length int, workerLimit int64,
	omitPanicHandler bool, marshalElement func(ctx context.Context, i int) graphql.Marshaler,
) graphql.Array {
	if length <= 1 || workerLimit > 0 || omitPanicHandler || mayWait(sel) {
		return graphql.MarshalSliceConcurrently(ctx, length, workerLimit, omitPanicHandler, marshalElement)
	}
	ret := make(graphql.Array, length)
	for i := range length {
		ret[i] = marshalOne(ctx, i, marshalElement)
	}
	return ret
}

// marshalOne marshals element i under its own field context, a panic
// becoming the element's error and null, as gqlgen does.
func marshalOne(ctx context.Context, i int, marshalElement func(ctx context.Context, i int) graphql.Marshaler) (ret graphql.Marshaler) {
	childCtx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
	defer func() {
		if r := recover(); r != nil {
			graphql.AddError(childCtx, graphql.Recover(childCtx, r))
			ret = graphql.Null
		}
	}()
	return marshalElement(childCtx, i)
}

// mayWait reports whether any field selected in sel, at any depth, is one
// gqlgen resolves concurrently (concurrentFields), or one whose type is not
// known here (a field of an interface or a union: the object behind it may
// have such fields).
func mayWait(sel ast.SelectionSet) bool {
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				if s.Name != "__typename" {
					return true
				}
				continue
			}
			od := s.ObjectDefinition
			if od == nil || od.Kind != ast.Object || concurrentFields[od.Name][s.Name] {
				return true
			}
			if mayWait(s.SelectionSet) {
				return true
			}
		case *ast.InlineFragment:
			if mayWait(s.SelectionSet) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Definition == nil || mayWait(s.Definition.SelectionSet) {
				return true
			}
		default:
			return true
		}
	}
	return false
}

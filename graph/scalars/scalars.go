// Package scalars holds strict marshallers for GraphQL's built-in Int and
// Float, bound in gqlgen.yml in place of gqlgen's own (the GraphQL names
// stay Int and Float).
//
// gqlgen's graphql.UnmarshalFloat and UnmarshalInt (and gqlparser's
// variable coercion before them) accept a string with numeric content, so
// {"temperature": "37"} was stored as 37 °C. The GraphQL specification
// (§3.5.1 Int, §3.5.2 Float, input coercion) says such a value must raise a
// request error: "all other input values, including strings with numeric
// content, must raise a request error". These accept numbers only, Int
// within the 32-bit range the specification gives it, Float finite.
package scalars

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
)

// MarshalFloatContext writes a Float (refusing NaN and infinities, which
// JSON cannot carry), as gqlgen does.
func MarshalFloatContext(f float64) graphql.ContextMarshaler {
	return graphql.MarshalFloatContext(f)
}

// UnmarshalFloatContext reads a Float input: a JSON or GraphQL number,
// never a string.
func UnmarshalFloatContext(_ context.Context, v any) (float64, error) {
	return UnmarshalFloat(v)
}

// UnmarshalFloat reads a Float input: a JSON or GraphQL number, never a
// string, and finite.
func UnmarshalFloat(v any) (float64, error) {
	var f float64
	switch v := v.(type) {
	case float64:
		f = v
	case float32:
		f = float64(v)
	case int:
		f = float64(v)
	case int32:
		f = float64(v)
	case int64:
		f = float64(v)
	case json.Number:
		var err error
		if f, err = strconv.ParseFloat(string(v), 64); err != nil {
			return 0, fmt.Errorf("a Float cannot represent %q", string(v))
		}
	default:
		return 0, fmt.Errorf("a Float cannot represent a non-numeric value of type %T", v)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("a Float cannot represent a non-finite value")
	}
	return f, nil
}

// MarshalInt writes an Int.
func MarshalInt(i int) graphql.Marshaler { return graphql.MarshalInt(i) }

// UnmarshalInt reads an Int input: an integral number within 32 bits,
// never a string.
func UnmarshalInt(v any) (int, error) {
	i, err := UnmarshalInt64(v)
	return int(i), err
}

// MarshalInt32 writes an Int.
func MarshalInt32(i int32) graphql.Marshaler { return graphql.MarshalInt32(i) }

// UnmarshalInt32 reads an Int input (see UnmarshalInt).
func UnmarshalInt32(v any) (int32, error) {
	i, err := UnmarshalInt64(v)
	return int32(i), err
}

// MarshalInt64 writes an Int.
func MarshalInt64(i int64) graphql.Marshaler { return graphql.MarshalInt64(i) }

// UnmarshalInt64 reads an Int input: an integral number within 32 bits
// (the range of GraphQL's Int, whatever Go type holds it), never a string.
func UnmarshalInt64(v any) (int64, error) {
	var i int64
	switch v := v.(type) {
	case int:
		i = int64(v)
	case int32:
		i = int64(v)
	case int64:
		i = v
	case json.Number:
		var err error
		if i, err = strconv.ParseInt(string(v), 10, 64); err != nil {
			return 0, fmt.Errorf("an Int cannot represent %q", string(v))
		}
	case float64:
		// A JSON number decoded without UseNumber: whole numbers only.
		if v != math.Trunc(v) || math.IsInf(v, 0) || math.Abs(v) > math.MaxInt32+1 {
			return 0, fmt.Errorf("an Int cannot represent a non-integer value")
		}
		i = int64(v)
	default:
		return 0, fmt.Errorf("an Int cannot represent a non-numeric value of type %T", v)
	}
	if i < math.MinInt32 || i > math.MaxInt32 {
		return 0, fmt.Errorf("an Int cannot represent a value outside the 32-bit range")
	}
	return i, nil
}

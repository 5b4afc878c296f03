package graph

import (
	"context"
	"errors"
	"strings"
	"sync"

	"entgo.io/ent/dialect/sql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/tree"
)

// Page sizes of connections. A connection asked without first/last returns
// DefaultPageSize rows; more than MaxPageSize is refused.
const (
	DefaultPageSize = 100
	MaxPageSize     = 1000
)

// pageFirst checks the page size a connection is asked for and returns the
// first to give ent's Paginate: first as given, or DefaultPageSize when
// neither first nor last is given.
func pageFirst(first, last *int) (*int, error) {
	for _, arg := range [...]struct {
		name string
		v    *int
	}{{"first", first}, {"last", last}} {
		name, v := arg.name, arg.v
		if v == nil {
			continue
		}
		if *v < 0 {
			return nil, mashang.FieldErrorf(mashang.EINVALID, name, "%s must not be negative.", name)
		}
		if *v > MaxPageSize {
			return nil, mashang.FieldErrorf(mashang.EINVALID, name, "Ask for at most %d rows a page (%s: %d); follow pageInfo.endCursor for more.", MaxPageSize, name, *v)
		}
	}
	if first == nil && last == nil {
		n := DefaultPageSize
		return &n, nil
	}
	return first, nil
}

// checkRegionCode accepts the code lengths of the five division levels.
func checkRegionCode(code string) error {
	switch len(code) {
	case 2, 4, 6, 9, 12:
	default:
		return mashang.FieldErrorf(mashang.EINVALID, "code", "A division code has 2, 4, 6, 9 or 12 digits; %q has %d characters.", code, len(code))
	}
	if strings.Trim(code, "0123456789") != "" {
		return mashang.FieldErrorf(mashang.EINVALID, "code", "A division code has digits only; got %q.", code)
	}
	return nil
}

// nodeError gives a node lookup that found nothing the NOT_FOUND the client
// can act on. An ID in no table's range is a not-found too: ent reports it as
// an *ent.NotFoundError wrapped in "cannot resolve table from id".
func nodeError(err error, id int) error {
	if err == nil {
		return nil
	}
	if ent.IsNotFound(err) {
		return mashang.FieldErrorf(mashang.ENOTFOUND, "id", "No node has the ID %d.", id)
	}
	return err
}

type pathCacheKey struct{}

// pathMemoKey names one lookup of pathOf.
type pathMemoKey struct {
	id           int
	sitesAllowed bool
}

// errPricing stops a `within` filter from resolving while gqlgen only
// prices the operation.
var errPricing = errors.New("within is not resolved while pricing")

// ignorePricing lets the arguments decode while pricing (the filter is
// left out of that throw-away decoding), so the price stays exact.
func ignorePricing(err error) error {
	if errors.Is(err, errPricing) {
		return nil
	}
	return err
}

// WithPathCache gives a request a memo of the node paths its `within`
// filters resolved: gqlgen decodes arguments twice (to price the operation,
// then to run it), and the second lookup would cost a statement again. The
// HTTP layer installs one per request; a context without it looks up each
// time.
func WithPathCache(ctx context.Context) context.Context {
	return context.WithValue(ctx, pathCacheKey{}, &sync.Map{})
}

// clientFrom is the one way resolvers reach the database: the client of the
// mutation's transaction while its resolver runs (mutateThenAnswer),
// or the root client outside one. Both carry the scope filter.
func (r *Resolver) clientFrom(ctx context.Context) *ent.Client {
	return database.ClientFrom(ctx, r.client)
}

// pathOf returns the path of the region (or, when sitesAllowed, the site)
// with this ID, for the `within` filters. The ID is resolved through the
// scoped client, so a node outside the caller's scope is NOT_FOUND. The
// path is then a literal in the query, which lets the database use the
// path index with a known range.
func (r *Resolver) pathOf(ctx context.Context, id int, sitesAllowed bool) (string, error) {
	if graphql.GetFieldContext(ctx) == nil {
		// Pricing the operation (complexity) decodes the arguments outside
		// any field: the filter's value does not change the price, so no
		// lookup is spent on it (a cached answer then costs no lookup).
		return "", errPricing
	}
	memo, _ := ctx.Value(pathCacheKey{}).(*sync.Map)
	key := pathMemoKey{id, sitesAllowed}
	if memo != nil {
		if p, ok := memo.Load(key); ok {
			return p.(string), nil
		}
	}
	// Get, not Noder: Noder selects only the columns the surrounding
	// GraphQL field asks for (a subscription's `{ id }` would leave the
	// path empty). Regions are public.
	// SECURITY: a site is looked up through the viewer's scope filter, so
	// `within` a site outside the scope is NOT_FOUND and reveals nothing
	// (TestWithinASiteOutsideScope).
	var p string
	reg, err := r.clientFrom(ctx).Region.Get(ctx, id)
	switch {
	case err == nil:
		p = reg.Path
	case !ent.IsNotFound(err):
		return "", err
	default:
		st, err := r.clientFrom(ctx).Site.Get(ctx, id)
		if ent.IsNotFound(err) {
			return "", mashang.FieldErrorf(mashang.ENOTFOUND, "within", "No region or site %d in your scope.", id)
		}
		if err != nil {
			return "", err
		}
		if sitesAllowed {
			p = st.Path
		}
	}
	if p == "" {
		what := "a region"
		if sitesAllowed {
			what = "a region or a site"
		}
		return "", mashang.FieldErrorf(mashang.EINVALID, "within", "within takes the ID of %s.", what)
	}
	if memo != nil {
		memo.Store(key, p)
	}
	return p, nil
}

// withoutPageCount hides the connection's pageInfo from ent's Paginate
// when totalCount is not asked for: entgql runs a COUNT whenever pageInfo
// is selected, although hasNextPage and the cursors come from fetching one
// row more than the page. Large tables (scans, alerts, persons) must not
// pay a COUNT on every page (issue 4: keyset pagination at 100 M rows).
// pageInfo is still answered: gqlgen reads it from the connection returned.
func withoutPageCount(ctx context.Context) context.Context {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) {
		return ctx
	}
	oc := graphql.GetOperationContext(ctx)
	var keep ast.SelectionSet
	for _, f := range graphql.CollectFields(oc, fc.Field.Selections, nil) {
		switch f.Name {
		case "totalCount":
			return ctx // asked for: it costs the COUNT
		case "pageInfo":
			continue
		}
		cp := *f.Field
		cp.SelectionSet = f.Selections
		keep = append(keep, &cp)
	}
	nfc := *fc
	nfc.Field.Selections = keep
	return graphql.WithFieldContext(ctx, &nfc)
}

// addWithin resolves the argument of a `within` filter to the path of the
// region (or, when sitesAllowed, site) it names and adds the subtree range
// on column to the where input (add is its AddPredicates). Nothing is added
// when no filter was given or while the operation is being priced (see
// pathOf).
func addWithin[P ~func(*sql.Selector)](ctx context.Context, r *Resolver, id *int, sitesAllowed bool, column string, add func(...P)) error {
	if id == nil {
		return nil
	}
	p, err := r.pathOf(ctx, *id, sitesAllowed)
	if err != nil {
		return ignorePricing(err)
	}
	add(P(tree.Within(column, p)))
	return nil
}

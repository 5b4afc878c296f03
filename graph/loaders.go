package graph

import (
	"context"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/ent/scan"
	"github.com/mashang/mashang/ent/site"
	"github.com/mashang/mashang/ent/user"
	"github.com/mashang/mashang/persons"
	"github.com/mashang/mashang/targets"
)

// loaders batch the lookups of custom resolvers that field collection does
// not cover. They are made per operation (see Loaders), so a cache never
// outlives a request nor crosses viewers.
type loaders struct {
	regionByCode *dataloadgen.Loader[string, *ent.Region]
	// The linked objects of scans and alerts (issue 9, point 5), read
	// through the request's scoped client: a row the viewer may not see is
	// simply absent, and its link answers null.
	site    *dataloadgen.Loader[int, *ent.Site]
	account *dataloadgen.Loader[int, *ent.Account]
	person  *dataloadgen.Loader[int, *ent.Person]
	scan    *dataloadgen.Loader[int, *ent.Scan]
	// Account.holder (null while the account waits for its holder's
	// consent: the scope filter hides that user, issue 10 §2).
	user *dataloadgen.Loader[int, *ent.User]
	// Scan.recentNegativeTest: one query of test results for a page of
	// scans instead of one per scan.
	recentTest *dataloadgen.Loader[*ent.Scan, *bool]
	// Region.registrationProgress: the counts and targets of a page of
	// regions in two statements (issue 12 point 2).
	progress *dataloadgen.Loader[targets.Key, *targets.Progress]
}

type loadersKey struct{}

// WithLoaders returns a context carrying fresh per-operation loaders.
func WithLoaders(ctx context.Context, client *ent.Client, people *persons.Service) context.Context {
	l := &loaders{
		regionByCode: dataloadgen.NewLoader(func(ctx context.Context, codes []string) ([]*ent.Region, []error) {
			rows, err := database.ClientFrom(ctx, client).Region.Query().Where(region.CodeIn(codes...)).All(ctx)
			if err != nil {
				return nil, []error{err}
			}
			byCode := make(map[string]*ent.Region, len(rows))
			for _, r := range rows {
				byCode[r.Code] = r
			}
			out := make([]*ent.Region, len(codes))
			errs := make([]error, len(codes))
			for i, c := range codes {
				if out[i] = byCode[c]; out[i] == nil {
					errs[i] = mashang.Errorf(mashang.ENOTFOUND, "Region %s is missing from the tree.", c)
				}
			}
			return out, errs
		}, loaderOptions...),
		site: byID(func(ctx context.Context, ids []int) ([]*ent.Site, error) {
			return database.ClientFrom(ctx, client).Site.Query().Where(site.IDIn(ids...)).All(ctx)
		}, func(x *ent.Site) int { return x.ID }),
		account: byID(func(ctx context.Context, ids []int) ([]*ent.Account, error) {
			return database.ClientFrom(ctx, client).Account.Query().Where(account.IDIn(ids...)).All(ctx)
		}, func(x *ent.Account) int { return x.ID }),
		person: byID(func(ctx context.Context, ids []int) ([]*ent.Person, error) {
			return database.ClientFrom(ctx, client).Person.Query().Where(person.IDIn(ids...)).All(ctx)
		}, func(x *ent.Person) int { return x.ID }),
		user: byID(func(ctx context.Context, ids []int) ([]*ent.User, error) {
			return database.ClientFrom(ctx, client).User.Query().Where(user.IDIn(ids...)).All(ctx)
		}, func(x *ent.User) int { return x.ID }),
		scan: byID(func(ctx context.Context, ids []int) ([]*ent.Scan, error) {
			return database.ClientFrom(ctx, client).Scan.Query().Where(scan.IDIn(ids...)).All(ctx)
		}, func(x *ent.Scan) int { return x.ID }),
		recentTest: dataloadgen.NewLoader(func(ctx context.Context, scans []*ent.Scan) ([]*bool, []error) {
			out, err := people.RecentTestsAtScans(ctx, scans)
			if err != nil {
				return nil, []error{err}
			}
			return out, nil
		}, loaderOptions...),
		progress: dataloadgen.NewLoader(func(ctx context.Context, keys []targets.Key) ([]*targets.Progress, []error) {
			// The rollups are read as the system: the resolver checked
			// the viewer may read each region's statistics first.
			out, err := targets.Load(authz.AsSystem(ctx), database.ClientFrom(ctx, client), keys)
			if err != nil {
				return nil, []error{err}
			}
			return out, nil
		}, loaderOptions...),
	}
	return context.WithValue(ctx, loadersKey{}, l)
}

var loaderOptions = []dataloadgen.Option{dataloadgen.WithWait(time.Millisecond), dataloadgen.WithBatchCapacity(1000)}

// byID makes a loader of rows by id over fetch, which reads through the
// scoped client. An id fetch does not return (deleted, or outside the
// viewer's scope) loads as nil without an error: the link is null.
func byID[T any](fetch func(context.Context, []int) ([]T, error), idOf func(T) int) *dataloadgen.Loader[int, T] {
	return dataloadgen.NewLoader(func(ctx context.Context, ids []int) ([]T, []error) {
		rows, err := fetch(ctx, ids)
		if err != nil {
			return nil, []error{err}
		}
		byID := make(map[int]T, len(rows))
		for _, r := range rows {
			byID[idOf(r)] = r
		}
		out := make([]T, len(ids))
		for i, id := range ids {
			out[i] = byID[id]
		}
		return out, nil
	}, loaderOptions...)
}

// linked loads the row id names through loader, nil for a nil id.
func linked[T any](ctx context.Context, loader *dataloadgen.Loader[int, T], id *int) (T, error) {
	if id == nil {
		var zero T
		return zero, nil
	}
	return loader.Load(ctx, *id)
}

func loadersFrom(ctx context.Context) *loaders {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		return l
	}
	panic("graph: no loaders in context; the server must install graph.Loaders")
}

func (l *loaders) regionsByCode(ctx context.Context, codes []string) ([]*ent.Region, error) {
	if len(codes) == 0 {
		return []*ent.Region{}, nil
	}
	return l.regionByCode.LoadAll(ctx, codes)
}

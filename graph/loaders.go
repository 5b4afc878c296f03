package graph

import (
	"context"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/region"
)

// loaders batch the lookups of custom resolvers that field collection does
// not cover. They are made per operation (see Loaders), so a cache never
// outlives a request nor crosses viewers.
type loaders struct {
	regionByCode *dataloadgen.Loader[string, *ent.Region]
}

type loadersKey struct{}

// WithLoaders returns a context carrying fresh per-operation loaders.
func WithLoaders(ctx context.Context, client *ent.Client) context.Context {
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
		}, dataloadgen.WithWait(time.Millisecond), dataloadgen.WithBatchCapacity(1000)),
	}
	return context.WithValue(ctx, loadersKey{}, l)
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

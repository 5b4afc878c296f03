package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/graph/model"
	"github.com/mashang/mashang/supervision"
	"github.com/mashang/mashang/targets"
)

func (r *Resolver) targetService() *targets.Service {
	return &targets.Service{Client: r.client, Enforcer: r.Enforcer, Now: r.Now}
}

func (r *Resolver) supervisionService() *supervision.Service {
	return &supervision.Service{Client: r.client, Enforcer: r.Enforcer, Now: r.Now}
}

// registrationProgress checks the viewer may read the region's statistics
// and loads its progress with the page's other regions (one batch). On a
// region beyond the viewer's statistics (the public tree shows every
// region, ancestors included) it answers null, as a link to a row the
// viewer may not see does; registrationRanking and supervision, which ask
// about one node, refuse instead.
func (r *Resolver) registrationProgress(ctx context.Context, obj *ent.Region, date *string) (*targets.Progress, error) {
	svc := r.targetService()
	if err := svc.CanRead(ctx, obj.Path); err != nil {
		return nil, nil // beyond the viewer's statistics: null, see above
	}
	day, err := targets.ParseDay(date, r.Now())
	if err != nil {
		return nil, err
	}
	l := loadersFrom(ctx).progress
	// Ask for the whole page at once: siblings resolved on other
	// goroutines then find their keys already in this batch, however late
	// they are scheduled (the loader's short wait alone splits a page on a
	// busy machine).
	if page := siblingRegions(ctx); len(page) > 1 {
		keys := make([]targets.Key, 0, len(page))
		for _, reg := range page {
			if svc.CanRead(ctx, reg.Path) == nil {
				keys = append(keys, targets.Key{Path: reg.Path, Day: day})
			}
		}
		_, _ = l.LoadAll(ctx, keys) // an error comes back from Load below
	}
	return l.Load(ctx, targets.Key{Path: obj.Path, Day: day})
}

// siblingRegions are the regions of the list the region being resolved
// belongs to (a connection's edges or a plain list), nil when it is alone.
func siblingRegions(ctx context.Context) []*ent.Region {
	fc := graphql.GetFieldContext(ctx)
	for i := 0; fc != nil && i < 4; i, fc = i+1, fc.Parent {
		switch res := fc.Result.(type) {
		case []*ent.Region:
			return res
		case []*ent.RegionEdge:
			out := make([]*ent.Region, 0, len(res))
			for _, e := range res {
				if e != nil && e.Node != nil {
					out = append(out, e.Node)
				}
			}
			return out
		}
	}
	return nil
}

func int64p(i *int) *int64 {
	if i == nil {
		return nil
	}
	v := int64(*i)
	return &v
}

// importPayload is an import's result with its row errors in the
// request's language.
func importPayload(ctx context.Context, res *targets.ImportResult) *model.ImportRegionPopulationsPayload {
	out := &model.ImportRegionPopulationsPayload{Rows: res.Rows, Updated: res.Updated, Errors: []*model.ImportRowError{}}
	for _, e := range res.Errors {
		out.Errors = append(out.Errors, &model.ImportRowError{Line: e.Line, Error: itemError(ctx, e.Err)})
	}
	return out
}

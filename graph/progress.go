package graph

import (
	"context"

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
// and loads its progress with the page's other regions (one batch).
func (r *Resolver) registrationProgress(ctx context.Context, obj *ent.Region, date *string) (*targets.Progress, error) {
	svc := r.targetService()
	if err := svc.CanRead(ctx, obj.Path); err != nil {
		return nil, err
	}
	day, err := targets.ParseDay(date, r.Now())
	if err != nil {
		return nil, err
	}
	return loadersFrom(ctx).progress.Load(ctx, targets.Key{Path: obj.Path, Day: day})
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

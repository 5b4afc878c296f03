package graph

import (
	"context"
)

// alertScope is the path of the region or site an alertRaised
// subscription follows, "" (all of the viewer's reach) when none is given.
// alerts.Service.Subscribe decides whether the viewer may follow it.
func (r *Resolver) alertScope(ctx context.Context, scope *int) (string, error) {
	if scope == nil {
		return "", nil
	}
	return r.pathOf(ctx, *scope, true)
}

package graph

import (
	"context"

	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/graph/model"
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

// visitContact is c in the API's shape; nil for nil.
func visitContact(c *alerts.Contact) *model.VisitContact {
	if c == nil {
		return nil
	}
	return &model.VisitContact{Phone: c.Phone, PhoneMasked: c.PhoneMasked, Address: c.Address, AddressMasked: c.AddressMasked}
}

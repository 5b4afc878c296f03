package graph

import (
	"context"

	"entgo.io/ent/dialect/sql"

	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/ent/alert"
	"github.com/mashang/mashang/ent/predicate"
	"github.com/mashang/mashang/graph/model"
	"github.com/mashang/mashang/tree"
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

// alertWithin restricts an alerts list to the subtree of the region or site
// id: the alerts raised there and those about a person who lives there
// (issue 11, point 12: alerts are routed to the residence as well).
func (r *Resolver) alertWithin(ctx context.Context, id *int, add func(...predicate.Alert)) error {
	if id == nil {
		return nil
	}
	p, err := r.pathOf(ctx, *id, true)
	if err != nil {
		return ignorePricing(err)
	}
	lo, hi := tree.Bounds(p)
	add(func(s *sql.Selector) {
		in := func(c string) *sql.Predicate { return sql.And(sql.GTE(s.C(c), lo), sql.LT(s.C(c), hi)) }
		s.Where(sql.Or(in(alert.FieldScopePath), in(alert.FieldResidencePath)))
	})
	return nil
}

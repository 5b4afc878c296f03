package graph

import (
	"context"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent/schema"
	"github.com/mashang/mashang/graph/model"
	"github.com/mashang/mashang/persons"
)

// limitRegistrations bounds anonymous registrations per client address.
// SECURITY: anonymous registrations are rate-limited per address (officials
// and grid workers registering residents are not).
func (r *Resolver) limitRegistrations(ctx context.Context) error {
	if mashang.ViewerFromContext(ctx) != nil {
		return nil
	}
	if ok, until := r.registrations.allow(remoteAddr(ctx), r.Now()); !ok {
		return mashang.Errorf(mashang.ERATELIMITED, "Too many registrations from this address; try again after %v.", until)
	}
	return nil
}

func registerInput(input model.RegisterPersonInput) persons.RegisterInput {
	in := persons.RegisterInput{Name: input.Name, IDType: input.IDType.String(), IDNumber: input.IDNumber}
	if input.Phone != nil {
		in.Phone = *input.Phone
	}
	if input.ResidenceRegion != nil {
		in.ResidenceRegionID = *input.ResidenceRegion
	}
	return in
}

// personRef is the person a citizen-facing call names: by its personToken
// or (for an official or grid worker) by id.
func personRef(token *string, id *int) persons.Ref {
	var ref persons.Ref
	if token != nil {
		ref.Token = *token
	}
	if id != nil {
		ref.ID = *id
	}
	return ref
}

// visitsIn is the structured travel of a check-in as persons takes it.
func visitsIn(in []*model.VisitInput) []schema.Visit {
	out := make([]schema.Visit, 0, len(in))
	for _, v := range in {
		out = append(out, schema.Visit{Region: v.Region, Date: v.Date})
	}
	return out
}

// visitsOut is the structured travel of a check-in as the API shows it.
func visitsOut(in []schema.Visit) []*model.Visit {
	out := make([]*model.Visit, 0, len(in))
	for _, v := range in {
		out = append(out, &model.Visit{Region: v.Region, Date: v.Date})
	}
	return out
}

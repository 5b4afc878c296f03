package graph

import (
	"context"
	"fmt"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent/schema"
	"github.com/mashang/mashang/graph/model"
	"github.com/mashang/mashang/persons"
	"github.com/mashang/mashang/ratelimit"
)

// limitRegistrations bounds registerPerson for every caller: an anonymous
// one per client address, a logged-in one per acting account. Every call
// counts, accepted or not.
// SECURITY: nobody registers persons in bulk, nor tests ID number after ID
// number who is registered (registerPerson answers CONFLICT for a known
// document): TestARegisteredCallerCannotProbeIDNumbersWithoutLimit.
func (r *Resolver) limitRegistrations(ctx context.Context) error {
	v := mashang.ViewerFromContext(ctx)
	key, limit := "register:addr:"+ratelimit.AddressKey(remoteAddr(ctx)), r.RegistrationsPerHour
	if v != nil {
		key, limit = fmt.Sprintf("register:account:%d", v.AccountID), r.ViewerRegistrationsPerHour
	}
	res, err := r.RateLimits.Allow(ctx, key, ratelimit.PerHour(limit), 1)
	if err != nil || res.Allowed {
		return mashang.Wrap(err, "graph.limitRegistrations")
	}
	until := r.Now().Add(res.RetryAfter).Truncate(time.Second)
	if v != nil {
		return ratelimit.After(res.RetryAfter, mashang.Errorf(mashang.ERATELIMITED, "Too many registrations from this account; try again after %v.", until))
	}
	return ratelimit.After(res.RetryAfter, mashang.Errorf(mashang.ERATELIMITED, "Too many registrations from this address; try again after %v.", until))
}

func registerInput(input model.RegisterPersonInput) persons.RegisterInput {
	in := persons.RegisterInput{Name: input.Name, IDType: input.IDType.String(), IDNumber: input.IDNumber}
	if input.Phone != nil {
		in.Phone = *input.Phone
	}
	if input.ResidenceRegion != nil {
		in.ResidenceRegionID = *input.ResidenceRegion
	}
	if input.Address != nil {
		in.Address = *input.Address
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

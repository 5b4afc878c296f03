package graph

import (
	"github.com/mashang/mashang/graph/model"
	"github.com/mashang/mashang/sites"
)

// siteService is the sites service acting for the request's viewer: it
// checks the caller itself (sites.Service).
func (r *Resolver) siteService() *sites.Service {
	return &sites.Service{Client: r.client, Enforcer: r.Enforcer, Now: r.Now, Rollups: r.Rollups}
}

// newSite is the site createSite asks for.
func newSite(input model.CreateSiteInput) sites.NewSite {
	in := sites.NewSite{ParentID: input.ParentID, Unit: input.UnitID, Input: sites.Input{
		Name: input.Name, Category: input.Category, Address: str(input.Address),
		Latitude: input.Latitude, Longitude: input.Longitude, GeofenceRadius: input.GeofenceRadius}}
	if input.Sector != nil {
		in.Sector = *input.Sector
	}
	if input.Built != nil {
		in.Built = *input.Built
	}
	if input.Enabled != nil {
		in.Enabled = *input.Enabled
	}
	return in
}

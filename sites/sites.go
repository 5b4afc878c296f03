// Package sites creates and moves sites while keeping the tree's invariants:
// every site's path is its parent's path plus its own key, and every region's
// site_count counts the sites of its whole subtree.
package sites

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/predicate"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/ent/site"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/stats"
	"github.com/mashang/mashang/tree"
	"github.com/mashang/mashang/validate"
)

// Input describes a new site. Exactly one of RegionID and ParentSiteID is
// set: a site hangs under a region, or under another site (a department,
// floor or entrance of it).
type Input struct {
	Name           string
	Category       scenario.Category
	Sector         scenario.Sector // "" means OTHER
	Address        string
	Latitude       *float64
	Longitude      *float64
	GeofenceRadius *int // metres; nil means the default (0 for vehicles)
	Built          bool
	Enabled        bool
	RegionID       int
	ParentSiteID   int
	UnitID         int
}

// DefaultGeofenceRadius is the radius in metres given to a fixed site when
// none is set.
const DefaultGeofenceRadius = 200

// Validate checks the input without touching the database.
func (in *Input) Validate() error {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		return mashang.FieldErrorf(mashang.EINVALID, "name", "Site name is required.")
	}
	info, ok := in.Category.Info()
	if !ok {
		return mashang.FieldErrorf(mashang.EINVALID, "category", "Unknown site category %q; query siteCategories for the list.", in.Category)
	}
	if (in.Latitude == nil) != (in.Longitude == nil) {
		return mashang.FieldErrorf(mashang.EINVALID, "latitude", "Give both latitude and longitude, or neither.")
	}
	if in.Latitude != nil {
		if err := validate.Latitude(*in.Latitude); err != nil {
			return mashang.FieldErrorf(mashang.EINVALID, "latitude", "%v.", err)
		}
		if err := validate.Longitude(*in.Longitude); err != nil {
			return mashang.FieldErrorf(mashang.EINVALID, "longitude", "%v.", err)
		}
	}
	if in.GeofenceRadius != nil && *in.GeofenceRadius < 0 {
		return mashang.FieldErrorf(mashang.EINVALID, "geofenceRadius", "Geofence radius cannot be negative; use 0 for no geofence.")
	}
	// Seed 003 §二(五): buses and taxis move, so they have no geofence.
	if info.IsVehicle && in.GeofenceRadius != nil && *in.GeofenceRadius != 0 {
		return mashang.FieldErrorf(mashang.EINVALID, "geofenceRadius", "A %s is a vehicle and has no geofence; leave the radius empty or 0.", info.Name)
	}
	// Seed 003 annex 2 (检查点核验表): a checkpoint not yet built (未建) is never in use (启用).
	if in.Enabled && !in.Built {
		return mashang.FieldErrorf(mashang.EINVALID, "enabled", "A site that is not built cannot be enabled; mark it built first.")
	}
	if (in.RegionID == 0) == (in.ParentSiteID == 0) {
		return mashang.FieldErrorf(mashang.EINVALID, "regionId", "Give either the region or the parent site the new site belongs to.")
	}
	if in.Sector == "" {
		in.Sector = scenario.SectorOther
	}
	return nil
}

// Create inserts a site, gives it its path and counts it in every region
// above it (site_count, and the site gauges through r: nil counts nothing),
// all in one transaction (database.InTx: the caller's, when ctx or client
// carries one).
func Create(ctx context.Context, client *ent.Client, r *stats.Rollups, in Input) (*ent.Site, error) {
	if err := in.Validate(); err != nil {
		return nil, mashang.Wrap(err, "sites.Create")
	}
	var created *ent.Site
	err := database.InTx(ctx, client, func(ctx context.Context, c *ent.Client) error {
		var (
			parentPath string
			regionID   = in.RegionID
		)
		if in.ParentSiteID != 0 {
			parent, err := siteInScope(ctx, c, in.ParentSiteID, "parentSiteId")
			if err != nil {
				return err
			}
			parentPath, regionID = parent.Path, parent.RegionID
		} else {
			r, err := c.Region.Get(ctx, in.RegionID)
			if ent.IsNotFound(err) {
				return mashang.FieldErrorf(mashang.ENOTFOUND, "regionId", "Region %d does not exist.", in.RegionID)
			} else if err != nil {
				return err
			}
			parentPath = r.Path
		}
		radius := DefaultGeofenceRadius
		if info, _ := in.Category.Info(); info.IsVehicle {
			radius = 0
		}
		if in.GeofenceRadius != nil {
			radius = *in.GeofenceRadius
		}
		// The id is known only after the insert: write a unique placeholder
		// path first, then the real one, inside the same transaction.
		var nonce [8]byte
		_, _ = rand.Read(nonce[:])
		create := c.Site.Create().
			SetName(in.Name).SetCategory(in.Category).SetSector(in.Sector).SetAddress(in.Address).
			SetNillableLatitude(in.Latitude).SetNillableLongitude(in.Longitude).
			SetGeofenceRadius(radius).SetBuilt(in.Built).SetEnabled(in.Enabled).
			SetRegionID(regionID).SetPath(parentPath + "pending-" + hex.EncodeToString(nonce[:]) + "/")
		if in.ParentSiteID != 0 {
			create.SetParentID(in.ParentSiteID)
		}
		if in.UnitID != 0 {
			create.SetUnitID(in.UnitID)
		}
		s, err := create.Save(ctx)
		if err != nil {
			return err
		}
		s, err = s.Update().SetPath(tree.SitePath(parentPath, s.ID)).Save(ctx)
		if err != nil {
			return err
		}
		codes := tree.RegionCodes(parentPath)
		if _, err := c.Region.Update().Where(region.CodeIn(codes...)).AddSiteCount(1).Save(ctx); err != nil {
			return err
		}
		created = s
		var d stats.Delta
		stats.AddSites(&d, []*ent.Site{s}, 1)
		return r.Apply(ctx, c, &d)
	})
	if err != nil {
		return nil, mashang.Wrap(err, "sites.Create")
	}
	return created.Unwrap(), nil
}

// siteInScope loads a site; one the caller cannot see (the scope filter
// hides it) is NOT_FOUND, named after the input field that gave its id.
func siteInScope(ctx context.Context, c *ent.Client, id int, field string) (*ent.Site, error) {
	s, err := c.Site.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, mashang.FieldErrorf(mashang.ENOTFOUND, field, "No site %d in your scope.", id)
	}
	return s, mashang.Wrap(err, "sites.siteInScope")
}

// Patch changes the descriptive fields of a site; nil fields stay as they are.
type Patch struct {
	Name           *string
	Category       *scenario.Category
	Sector         *scenario.Sector
	Address        *string
	Latitude       *float64
	Longitude      *float64
	GeofenceRadius *int
	UnitID         *int
	// SelfScanNeedsTemperature: a self-scan here must carry a temperature
	// (issue 11, point 6).
	SelfScanNeedsTemperature *bool
}

// Update applies a patch after validating the site as it would become; a
// change of category or sector moves the site in the gauges of r.
func Update(ctx context.Context, client *ent.Client, r *stats.Rollups, id int, p Patch) (*ent.Site, error) {
	var out *ent.Site
	err := database.InTx(ctx, client, func(ctx context.Context, c *ent.Client) error {
		s, err := siteInScope(ctx, c, id, "id")
		if err != nil {
			return err
		}
		in := Input{Name: s.Name, Category: s.Category, Sector: s.Sector, Address: s.Address,
			Latitude: s.Latitude, Longitude: s.Longitude, GeofenceRadius: &s.GeofenceRadius,
			Built: s.Built, Enabled: s.Enabled, RegionID: s.RegionID}
		if p.Name != nil {
			in.Name = *p.Name
		}
		if p.Category != nil {
			in.Category = *p.Category
			if info, ok := p.Category.Info(); ok && info.IsVehicle && p.GeofenceRadius == nil {
				zero := 0
				in.GeofenceRadius = &zero
			}
		}
		if p.Sector != nil {
			in.Sector = *p.Sector
		}
		if p.Address != nil {
			in.Address = *p.Address
		}
		if p.Latitude != nil || p.Longitude != nil {
			in.Latitude, in.Longitude = p.Latitude, p.Longitude
		}
		if p.GeofenceRadius != nil {
			in.GeofenceRadius = p.GeofenceRadius
		}
		if err := in.Validate(); err != nil {
			return err
		}
		upd := s.Update().SetName(in.Name).SetCategory(in.Category).SetSector(in.Sector).SetAddress(in.Address).
			SetGeofenceRadius(*in.GeofenceRadius).SetNillableSelfScanNeedsTemperature(p.SelfScanNeedsTemperature)
		if in.Latitude != nil {
			upd.SetLatitude(*in.Latitude).SetLongitude(*in.Longitude)
		} else {
			upd.ClearLatitude().ClearLongitude()
		}
		if p.UnitID != nil {
			if *p.UnitID == 0 {
				upd.ClearUnitID()
			} else {
				upd.SetUnitID(*p.UnitID)
			}
		}
		if out, err = upd.Save(ctx); err != nil {
			return err
		}
		return countChange(ctx, c, r, s, out)
	})
	if err != nil {
		return nil, mashang.Wrap(err, "sites.Update")
	}
	return out.Unwrap(), nil
}

// SetStatus records the checkpoint table's 建设情况 and 是否启用 (seed 003
// annex 2). Enabling an unbuilt site is refused; un-building an enabled site
// disables it too. The gauges of r follow.
func SetStatus(ctx context.Context, client *ent.Client, r *stats.Rollups, id int, built, enabled *bool) (*ent.Site, error) {
	var out *ent.Site
	err := database.InTx(ctx, client, func(ctx context.Context, c *ent.Client) error {
		s, err := siteInScope(ctx, c, id, "id")
		if err != nil {
			return err
		}
		b, e := s.Built, s.Enabled
		if built != nil {
			b = *built
			if !b && enabled == nil {
				e = false
			}
		}
		if enabled != nil {
			e = *enabled
		}
		if e && !b {
			return mashang.FieldErrorf(mashang.EINVALID, "enabled", "A site that is not built cannot be enabled; mark it built first.")
		}
		if out, err = s.Update().SetBuilt(b).SetEnabled(e).Save(ctx); err != nil {
			return err
		}
		return countChange(ctx, c, r, s, out)
	})
	if err != nil {
		return nil, mashang.Wrap(err, "sites.SetStatus")
	}
	return out.Unwrap(), nil
}

// Move hangs a site (and its whole subtree) under another region or site:
// every path of the subtree is rewritten and the site counts of the regions
// above the old and the new place are adjusted, in one transaction
// (DESIGN.md §4). Accounts scoped to the moved sites follow. The site
// gauges and the ACCOUNTS gauge of r move with them: -1 at the old nodes,
// +1 at the new (one Apply).
func Move(ctx context.Context, client *ent.Client, r *stats.Rollups, id, toRegionID, toSiteID int) (*ent.Site, error) {
	if (toRegionID == 0) == (toSiteID == 0) {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "regionId", "Give either the region or the site to move the site under.")
	}
	var out *ent.Site
	err := database.InTx(ctx, client, func(ctx context.Context, c *ent.Client) error {
		s, err := siteInScope(ctx, c, id, "id")
		if err != nil {
			return err
		}
		var newParentPath string
		regionID := toRegionID
		if toSiteID != 0 {
			p, err := siteInScope(ctx, c, toSiteID, "parentSiteId")
			if err != nil {
				return err
			}
			if tree.Contains(s.Path, p.Path) {
				return mashang.FieldErrorf(mashang.EINVALID, "parentSiteId", "A site cannot move under itself or one of its own sub-sites.")
			}
			newParentPath, regionID = p.Path, p.RegionID
		} else {
			r, err := c.Region.Get(ctx, toRegionID)
			if ent.IsNotFound(err) {
				return mashang.FieldErrorf(mashang.ENOTFOUND, "regionId", "No region %d.", toRegionID)
			} else if err != nil {
				return err
			}
			newParentPath = r.Path
		}
		oldPath := s.Path
		newPath := tree.SitePath(newParentPath, s.ID)
		if newPath == oldPath {
			out = s
			return nil
		}
		subtree, err := c.Site.Query().Where(predicate.Site(tree.Within(site.FieldPath, oldPath))).All(ctx)
		if err != nil {
			return err
		}
		var d stats.Delta
		if err := moveAccountsDelta(ctx, c, &d, oldPath, newPath); err != nil {
			return err
		}
		for _, n := range subtree {
			moved := *n
			moved.Path = tree.Rebase(n.Path, oldPath, newPath)
			stats.SiteChange(&d, n, &moved)
			upd := n.Update().SetPath(moved.Path)
			if n.RegionID == s.RegionID {
				upd.SetRegionID(regionID)
			}
			if n.ID == s.ID {
				if toSiteID != 0 {
					upd.SetParentID(toSiteID)
				} else {
					upd.ClearParentID()
				}
			}
			if _, err := upd.Save(ctx); err != nil {
				return err
			}
		}
		if _, err := c.Account.Update().Where(predicate.Account(tree.Within(account.FieldScopePath, oldPath))).
			Modify(func(u *entsql.UpdateBuilder) {
				// scope_path = newPath || substr(scope_path, len(oldPath)+1), same on both dialects.
				u.Set(account.FieldScopePath, entsql.ExprFunc(func(b *entsql.Builder) {
					b.WriteString("CAST(").Arg(newPath).WriteString(" AS TEXT) || substr(").Ident(account.FieldScopePath).
						WriteString(fmt.Sprintf(", %d)", len(oldPath)+1))
				}))
			}).Save(ctx); err != nil {
			return err
		}
		n := len(subtree)
		if _, err := c.Region.Update().Where(region.CodeIn(tree.RegionCodes(oldPath)...)).AddSiteCount(-n).Save(ctx); err != nil {
			return err
		}
		if _, err := c.Region.Update().Where(region.CodeIn(tree.RegionCodes(newPath)...)).AddSiteCount(n).Save(ctx); err != nil {
			return err
		}
		if err := r.Apply(ctx, c, &d); err != nil {
			return err
		}
		out, err = c.Site.Get(ctx, id)
		return err
	})
	if err != nil {
		return nil, mashang.Wrap(err, "sites.Move")
	}
	return out.Unwrap(), nil
}

// countChange moves a site from before to after in the gauges of r.
func countChange(ctx context.Context, c *ent.Client, r *stats.Rollups, before, after *ent.Site) error {
	var d stats.Delta
	stats.SiteChange(&d, before, after)
	return mashang.Wrap(r.Apply(ctx, c, &d), "sites.countChange")
}

// moveAccountsDelta adds to d the scanner accounts scoped within oldPath,
// taken from their nodes there and counted at newPath's (the ACCOUNTS
// gauge), read before Move rewrites their scope paths.
func moveAccountsDelta(ctx context.Context, c *ent.Client, d *stats.Delta, oldPath, newPath string) error {
	as, err := c.Account.Query().Where(predicate.Account(tree.Within(account.FieldScopePath, oldPath)),
		account.RoleIn(account.RoleSENIOR, account.RoleINTERMEDIATE, account.RoleORDINARY)).
		Select(account.FieldRole, account.FieldStatus, account.FieldDisabledReason, account.FieldScopePath).
		// The system counts every account the move rewrites, whether or not
		// the caller sees it; nothing read leaves this function.
		All(authz.AsSystem(ctx))
	if err != nil {
		return mashang.Wrap(err, "sites.moveAccountsDelta")
	}
	for _, a := range as {
		f := stats.FactsOfAccount(a)
		stats.AddAccount(d, f, -1)
		f.ScopePath = tree.Rebase(f.ScopePath, oldPath, newPath)
		stats.AddAccount(d, f, 1)
	}
	return nil
}

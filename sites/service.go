package sites

import (
	"context"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/stats"
)

// Service creates and changes sites on behalf of the viewer in the context
// (DESIGN.md §5: INITIATOR anywhere, SENIOR below its own scope; seed 001
// §6). It checks its caller, then calls the tree functions of this package
// (Create, Update, SetStatus, Move), which check nothing: those are for the
// system acting on its own (imports, the demo) and for this service.
//
// Every method reads through the client it is given, which has the scope
// filter installed (authz.Install): a site, parent or unit the viewer may
// not see is NOT_FOUND, never revealing that it exists. The work joins the
// transaction in ctx (a GraphQL mutation's) or opens one.
type Service struct {
	Client   *ent.Client
	Enforcer *authz.Enforcer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rollups keeps the site gauges (stats.Sites, …) and the ACCOUNTS
	// gauge of moved accounts in every write's transaction; nil counts
	// nothing (issue 12).
	Rollups *stats.Rollups
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// NewSite is a site a caller asks for: Input, hung under ParentID (a region
// or a site), with the unit Unit (nil: none). Input's RegionID,
// ParentSiteID and UnitID are set from them.
type NewSite struct {
	Input
	ParentID int
	Unit     *int
}

// Create creates a site under a parent the viewer may create sites under.
func (s *Service) Create(ctx context.Context, in NewSite) (*ent.Site, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "sites.Create")
	}
	var out *ent.Site
	err = database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		regionID, siteID, err := s.parent(ctx, c, v, in.ParentID)
		if err != nil {
			return err
		}
		in.RegionID, in.ParentSiteID = regionID, siteID
		if err := unitInScope(ctx, c, in.Unit); err != nil {
			return err
		}
		if in.Unit != nil {
			in.UnitID = *in.Unit
		}
		out, err = Create(ctx, c, s.Rollups, in.Input)
		return err
	})
	return out, mashang.Wrap(err, "sites.Create")
}

// Update applies a patch to a site the viewer may change.
func (s *Service) Update(ctx context.Context, id int, p Patch) (*ent.Site, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "sites.Update")
	}
	var out *ent.Site
	err = database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		if _, err := s.toChange(ctx, c, v, id); err != nil {
			return err
		}
		if err := unitInScope(ctx, c, p.UnitID); err != nil {
			return err
		}
		out, err = Update(ctx, c, s.Rollups, id, p)
		return err
	})
	return out, mashang.Wrap(err, "sites.Update")
}

// SetStatus records whether a site the viewer may change is built and
// enabled (see the function SetStatus).
func (s *Service) SetStatus(ctx context.Context, id int, built, enabled *bool) (*ent.Site, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "sites.SetStatus")
	}
	var out *ent.Site
	err = database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		if _, err := s.toChange(ctx, c, v, id); err != nil {
			return err
		}
		out, err = SetStatus(ctx, c, s.Rollups, id, built, enabled)
		return err
	})
	return out, mashang.Wrap(err, "sites.SetStatus")
}

// Move hangs a site the viewer may change under parentID (a region or a
// site), where the viewer may create sites.
func (s *Service) Move(ctx context.Context, id, parentID int) (*ent.Site, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "sites.Move")
	}
	var out *ent.Site
	err = database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		// SECURITY: the site must be changeable where it is (toChange) and
		// creatable where it goes (parent): a SENIOR cannot move a site
		// of its own out of its scope, nor another's into it.
		if _, err := s.toChange(ctx, c, v, id); err != nil {
			return err
		}
		regionID, siteID, err := s.parent(ctx, c, v, parentID)
		if err != nil {
			return err
		}
		out, err = Move(ctx, c, s.Rollups, id, regionID, siteID)
		return err
	})
	return out, mashang.Wrap(err, "sites.Move")
}

// toChange loads a site the viewer may update: NOT_FOUND outside the
// scope, FORBIDDEN without the policy line.
func (s *Service) toChange(ctx context.Context, c *ent.Client, v *mashang.Viewer, id int) (*ent.Site, error) {
	st, err := c.Site.Get(ctx, id)
	if err != nil {
		return nil, mashang.FieldErrorf(mashang.ENOTFOUND, "id", "No site %d in your scope.", id)
	}
	// SECURITY: keeps out every role but INITIATOR (anywhere) and SENIOR
	// (below its own scope, seed 001 §6): an INTERMEDIATE or ORDINARY
	// scanner, an OFFICIAL or a GRID_WORKER cannot change a site it sees,
	// and a SENIOR cannot change the site that is its own scope node.
	if err := s.Enforcer.Check(v, authz.ObjSite, authz.ActUpdate, st.Path, s.now()); err != nil {
		return nil, mashang.Wrap(err, "sites.toChange")
	}
	return st, nil
}

// parent resolves the node a site is created or moved under (a region or a
// site the viewer can see) and checks that the viewer may create a site
// there.
func (s *Service) parent(ctx context.Context, c *ent.Client, v *mashang.Viewer, parentID int) (regionID, siteID int, err error) {
	n, err := c.Noder(ctx, parentID)
	if err != nil {
		return 0, 0, mashang.FieldErrorf(mashang.ENOTFOUND, "parentId", "No region or site %d in your scope.", parentID)
	}
	var path string
	switch x := n.(type) {
	case *ent.Region:
		regionID, path = x.ID, x.Path
	case *ent.Site:
		siteID, path = x.ID, x.Path
	default:
		return 0, 0, mashang.FieldErrorf(mashang.EINVALID, "parentId", "parentId takes the ID of a region or a site.")
	}
	// SECURITY: keeps out every role but INITIATOR (anywhere) and SENIOR
	// (below its own scope; seed 001 §6: 高级扫码员负责创建本单位内设部门或直属机构
	// 站点): an ORDINARY scanner of the site cannot hang a site under it, a
	// SENIOR cannot create one beside its own scope. The target is the site
	// about to exist below the parent ("new/"), so a SENIOR's "below" reach
	// holds at its own scope node.
	if err := s.Enforcer.Check(v, authz.ObjSite, authz.ActCreate, path+"new/", s.now()); err != nil {
		return 0, 0, mashang.Wrap(err, "sites.parent")
	}
	return regionID, siteID, nil
}

// unitInScope refuses a site's unit outside the viewer's scope; nil is no
// unit.
func unitInScope(ctx context.Context, c *ent.Client, id *int) error {
	if id == nil {
		return nil
	}
	// SECURITY: a unit the scope filter hides is NOT_FOUND, so a SENIOR
	// cannot bind its site to another city's unit (nor learn it exists).
	if _, err := c.Unit.Get(ctx, *id); err != nil {
		return mashang.FieldErrorf(mashang.ENOTFOUND, "unitId", "No unit %d in your scope.", *id)
	}
	return nil
}

package accounts

import (
	"context"
	"strings"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/grant"
	"github.com/mashang/mashang/scenario"
)

// MaxGrantPeriod bounds how long an extra permission may last: grants are
// time-limited by design (seed 001 §11: 须经…授权后, 方可查阅相关人员的信息).
const MaxGrantPeriod = 90 * 24 * time.Hour

// GiveGrant gives an account a time-limited extra permission: PII_VIEWER
// (unmask personal data), TRACER (trajectories and contacts) or
// SECTOR_STATISTICS (statistics of one sector everywhere). Only the province
// INITIATOR gives grants (policy: grant give).
func (s *Service) GiveGrant(ctx context.Context, accountID int, kind, sector string, expiresAt time.Time, reason string) (*ent.Grant, error) {
	v := mashang.ViewerFromContext(ctx)
	if v == nil {
		return nil, unauthenticated()
	}
	// SECURITY: keeps out every role but the INITIATOR
	// (TestCallersKeptOut/AsASeniorGivingAGrant; graph: GrantsFromTheInitiatorOnly).
	if err := s.mayAtAll(v, authz.ObjGrant, authz.ActGive); err != nil {
		return nil, mashang.Wrap(err, "accounts.GiveGrant")
	}
	now := s.now()
	reason = strings.TrimSpace(reason)
	switch {
	case grant.KindValidator(grant.Kind(kind)) != nil:
		return nil, mashang.FieldErrorf(mashang.EINVALID, "kind", "Unknown grant kind %q: use PII_VIEWER, TRACER or SECTOR_STATISTICS.", kind)
	case reason == "":
		return nil, mashang.FieldErrorf(mashang.EINVALID, "reason", "Say why the grant is needed; it is kept with the grant.")
	case !expiresAt.After(now):
		return nil, mashang.FieldErrorf(mashang.EINVALID, "expiresAt", "The grant must expire in the future.")
	case expiresAt.Sub(now) > MaxGrantPeriod:
		return nil, mashang.FieldErrorf(mashang.EINVALID, "expiresAt", "A grant lasts at most %d days; give a new one when it ends.", int(MaxGrantPeriod.Hours()/24))
	case kind == mashang.GrantSectorStatistics && sector == "":
		return nil, mashang.FieldErrorf(mashang.EINVALID, "sector", "A SECTOR_STATISTICS grant names its sector.")
	case kind != mashang.GrantSectorStatistics && sector != "":
		return nil, mashang.FieldErrorf(mashang.EINVALID, "sector", "Only SECTOR_STATISTICS grants name a sector.")
	}
	var out *ent.Grant
	err := database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		actor, err := s.actor(ctx, c, v)
		if err != nil {
			return err
		}
		target, err := visibleAccount(ctx, c, accountID)
		if err != nil {
			return err
		}
		// SECURITY: the grant's target must be within the giver's reach
		// (the INITIATOR's is the province).
		if err := s.Enforcer.Check(v, authz.ObjGrant, authz.ActGive, target.ScopePath, now); err != nil {
			return err
		}
		create := c.Grant.Create().SetKind(grant.Kind(kind)).SetExpiresAt(expiresAt).SetReason(reason).
			SetAccountID(target.ID).SetGrantedByID(actor.ID)
		if sector != "" {
			create.SetSector(scenario.Sector(sector))
		}
		out, err = create.Save(ctx)
		return err
	})
	if err != nil {
		return nil, mashang.Wrap(err, "accounts.GiveGrant")
	}
	return out, nil
}

// RevokeGrant ends a grant at once.
func (s *Service) RevokeGrant(ctx context.Context, grantID int) (*ent.Grant, error) {
	v := mashang.ViewerFromContext(ctx)
	if v == nil {
		return nil, unauthenticated()
	}
	// SECURITY: keeps out every role but the INITIATOR
	// (TestCallersKeptOut/AsAnOfficialRevokingAGrant).
	if err := s.mayAtAll(v, authz.ObjGrant, authz.ActRevoke); err != nil {
		return nil, mashang.Wrap(err, "accounts.RevokeGrant")
	}
	var out *ent.Grant
	err := database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		if _, err := s.actor(ctx, c, v); err != nil {
			return err
		}
		g, err := c.Grant.Get(ctx, grantID)
		if ent.IsNotFound(err) {
			return mashang.FieldErrorf(mashang.ENOTFOUND, "id", "No grant %d in your scope.", grantID)
		} else if err != nil {
			return err
		}
		if g.RevokedAt != nil {
			return mashang.Errorf(mashang.ECONFLICT, "Grant %d was already revoked.", grantID)
		}
		out, err = g.Update().SetRevokedAt(s.now()).Save(ctx)
		return err
	})
	return out, mashang.Wrap(err, "accounts.RevokeGrant")
}

package accounts

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/grant"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/tree"
)

// MaxGrantPeriod bounds how long an extra permission may last: grants are
// time-limited by design (seed 001 §11: 须经…授权后, 方可查阅相关人员的信息).
const MaxGrantPeriod = 90 * 24 * time.Hour

// GrantInput is a grant the province gives.
type GrantInput struct {
	AccountID int
	Kind      string // PII_VIEWER, TRACER or SECTOR_STATISTICS
	Sector    string // SECTOR_STATISTICS only
	ExpiresAt time.Time
	// The purpose: why, in words, and — for PII_VIEWER and TRACER — exactly
	// one of the case (its number) or the alert the grant serves.
	Reason     string
	CaseNumber string
	AlertID    int
	// RegionID is the region a PII_VIEWER or TRACER grant covers; 0 means
	// the holder's scope.
	RegionID int
}

// MaxGrantReasonChars bounds a grant's reason, in characters.
const MaxGrantReasonChars = 500

var (
	// caseNumberPattern: letters of any script, digits and the punctuation
	// of Chinese document numbers (吉卫疾控〔2020〕17号, LD-2026-0117).
	caseNumberPattern = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N} _\-/#.:()（）〔〕\[\]【】：·]{1,63}$`)
	// longDigits is a run of digits as long as a phone number or longer: a
	// purpose must not carry a phone or ID number (it is shown and audited).
	longDigits = regexp.MustCompile(`[0-9０-９]{11,}`)
)

// checkGrantInput validates what GiveGrant is given (seed 001 §3, §11:
// a grant names its purpose; one that covers people names its region).
func checkGrantInput(in *GrantInput, now time.Time) error {
	in.Reason, in.CaseNumber = strings.TrimSpace(in.Reason), strings.TrimSpace(in.CaseNumber)
	bound := authz.RegionBound(in.Kind)
	switch n := utf8.RuneCountInString(in.Reason); {
	case grant.KindValidator(grant.Kind(in.Kind)) != nil:
		return mashang.FieldErrorf(mashang.EINVALID, "kind", "Unknown grant kind %q: use PII_VIEWER, TRACER or SECTOR_STATISTICS.", in.Kind)
	case n < 2:
		return mashang.FieldErrorf(mashang.EINVALID, "reason", "Say why the grant is needed; it is kept with the grant.")
	case n > MaxGrantReasonChars:
		return mashang.FieldErrorf(mashang.EINVALID, "reason", "Keep the reason to at most %d characters.", MaxGrantReasonChars)
	case longDigits.MatchString(in.Reason):
		return mashang.FieldErrorf(mashang.EINVALID, "reason", "The reason must not hold a phone or ID number (11 or more digits in a row); name the case instead.")
	case bound && (in.CaseNumber == "") == (in.AlertID == 0):
		return mashang.FieldErrorf(mashang.EINVALID, "caseNumber", "A PII_VIEWER or TRACER grant names its purpose: give either the case number or the alert it serves, not both.")
	case in.CaseNumber != "" && (!caseNumberPattern.MatchString(in.CaseNumber) || !strings.ContainsAny(in.CaseNumber, "0123456789")):
		return mashang.FieldErrorf(mashang.EINVALID, "caseNumber", "A case number is 2 to 64 letters, digits and - _ / # . : ( ) 〔 〕, with at least one digit, e.g. 吉卫疾控〔2020〕17号.")
	case longDigits.MatchString(in.CaseNumber):
		return mashang.FieldErrorf(mashang.EINVALID, "caseNumber", "The case number must not hold a phone or ID number (11 or more digits in a row); separate its parts with -.")
	case !bound && in.RegionID != 0:
		return mashang.FieldErrorf(mashang.EINVALID, "regionId", "Only PII_VIEWER and TRACER grants cover a region; SECTOR_STATISTICS covers its sector everywhere.")
	case !in.ExpiresAt.After(now):
		return mashang.FieldErrorf(mashang.EINVALID, "expiresAt", "The grant must expire in the future.")
	case in.ExpiresAt.Sub(now) > MaxGrantPeriod:
		return mashang.FieldErrorf(mashang.EINVALID, "expiresAt", "A grant lasts at most %d days; give a new one when it ends.", int(MaxGrantPeriod.Hours()/24))
	case in.Kind == mashang.GrantSectorStatistics && in.Sector == "":
		return mashang.FieldErrorf(mashang.EINVALID, "sector", "A SECTOR_STATISTICS grant names its sector.")
	case in.Kind != mashang.GrantSectorStatistics && in.Sector != "":
		return mashang.FieldErrorf(mashang.EINVALID, "sector", "Only SECTOR_STATISTICS grants name a sector.")
	}
	return nil
}

// GiveGrant gives an account a time-limited extra permission: PII_VIEWER
// (unmask personal data), TRACER (trajectories and contacts) or
// SECTOR_STATISTICS (statistics of one sector everywhere). Only the province
// INITIATOR gives grants (policy: grant give). A PII_VIEWER or TRACER grant
// covers the region given (default: the holder's scope) and names its
// purpose (checkGrantInput); an alert named as the purpose lies in that
// region.
func (s *Service) GiveGrant(ctx context.Context, in GrantInput) (*ent.Grant, error) {
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
	if err := checkGrantInput(&in, now); err != nil {
		return nil, mashang.Wrap(err, "accounts.GiveGrant")
	}
	var out *ent.Grant
	err := database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		actor, err := s.actor(ctx, c, v)
		if err != nil {
			return err
		}
		target, err := visibleAccount(ctx, c, in.AccountID)
		if err != nil {
			return err
		}
		// SECURITY: the grant's target must be within the giver's reach
		// (the INITIATOR's is the province).
		if err := s.Enforcer.Check(v, authz.ObjGrant, authz.ActGive, target.ScopePath, now); err != nil {
			return err
		}
		create := c.Grant.Create().SetKind(grant.Kind(in.Kind)).SetExpiresAt(in.ExpiresAt).SetReason(in.Reason).
			SetAccountID(target.ID).SetGrantedByID(actor.ID)
		if err := s.grantPurpose(ctx, c, v, in, target, create, now); err != nil {
			return err
		}
		out, err = create.Save(ctx)
		return err
	})
	if err != nil {
		return nil, mashang.Wrap(err, "accounts.GiveGrant")
	}
	return out, nil
}

// grantPurpose sets the region and the purpose of a grant being created.
func (s *Service) grantPurpose(ctx context.Context, c *ent.Client, v *mashang.Viewer, in GrantInput, target *ent.Account, create *ent.GrantCreate, now time.Time) error {
	if in.Sector != "" {
		create.SetSector(scenario.Sector(in.Sector))
	}
	if in.CaseNumber != "" {
		create.SetCaseNumber(in.CaseNumber)
	}
	if !authz.RegionBound(in.Kind) {
		create.SetScopePath(tree.Root)
		return nil
	}
	region, regionID := target.ScopePath, target.ScopeRegionID
	if in.RegionID != 0 {
		r, err := c.Region.Get(ctx, in.RegionID)
		if ent.IsNotFound(err) {
			return mashang.FieldErrorf(mashang.ENOTFOUND, "regionId", "No region %d: give the ID of a region of the division tree.", in.RegionID)
		} else if err != nil {
			return err
		}
		// SECURITY: the region must be within the giver's reach too.
		if err := s.Enforcer.Check(v, authz.ObjGrant, authz.ActGive, r.Path, now); err != nil {
			return err
		}
		region, regionID = r.Path, &r.ID
	}
	create.SetScopePath(region).SetNillableScopeRegionID(regionID)
	if in.AlertID == 0 {
		return nil
	}
	a, err := c.Alert.Get(ctx, in.AlertID)
	if ent.IsNotFound(err) {
		return mashang.FieldErrorf(mashang.ENOTFOUND, "alertId", "No alert %d within your reach.", in.AlertID)
	} else if err != nil {
		return err
	}
	if !tree.Contains(region, a.ScopePath) {
		return mashang.FieldErrorf(mashang.EINVALID, "alertId", "The alert lies outside the region the grant covers: choose the alert's region, or a region around it.")
	}
	create.SetAlertID(a.ID)
	return nil
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

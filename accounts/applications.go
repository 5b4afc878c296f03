package accounts

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/application"
	"github.com/mashang/mashang/ent/unit"
	"github.com/mashang/mashang/outbox"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/validate"
)

// ApplicationInput is a 《高级扫码员申请表》 (seed 001 §9). Exactly one of
// ScopeRegionID and ScopeSiteID is set. ReplacesAccountID names the SENIOR
// account it replaces, if any; then Reason is required (seed 001 §10).
type ApplicationInput struct {
	UnitName          string
	USCC              string
	ScopeRegionID     int
	ScopeSiteID       int
	Holder            Holder
	ReplacesAccountID int
	Reason            string
}

// DecideResult is the outcome of DecideApplication. InitialPassword is set
// only when approval created a user new to the platform: it is returned
// this once so the initiator can hand it over, and is stored nowhere but as
// the user's password hash.
type DecideResult struct {
	Application     *ent.Application
	Account         *ent.Account
	InitialPassword string
}

// SubmitSeniorApplication files an application for a SENIOR account bound
// to a unit's USCC (seed 001 §9: 须绑定本单位的社会信用代码证号，并向省政数局提交
// 《高级扫码员申请表》，经审核后开通). It may be filed by the INITIATOR anywhere, and
// by a SENIOR or OFFICIAL account within its scope (authz/policy.csv). The
// proposed holder's phone and ID number are stored sealed (pii.Box). A
// replacement of an existing senior must carry its reason (seed 001 §10:
// 相关单位更换现有高级扫码员，须向省政数局致函说明原因，并再次填写《高级扫码员申请表》),
// must name a SENIOR account within the submitter's scope, and keeps that
// senior's unit and scope.
func (s *Service) SubmitSeniorApplication(ctx context.Context, in ApplicationInput) (*ent.Application, error) {
	v := mashang.ViewerFromContext(ctx)
	if v == nil {
		return nil, unauthenticated()
	}
	// SECURITY: keeps out INTERMEDIATE, ORDINARY and GRID_WORKER
	// (TestCallersKeptOut/AsAnOrdinaryScannerSubmittingASeniorApplication).
	if err := s.mayAtAll(v, authz.ObjApplication, authz.ActSubmit); err != nil {
		return nil, mashang.Wrap(err, "accounts.SubmitSeniorApplication")
	}
	if s.Box == nil {
		return nil, errors.New("accounts: Service.Box is not set")
	}
	in.UnitName = strings.TrimSpace(in.UnitName)
	if in.UnitName == "" {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "unitName", "The unit's name is required.")
	}
	if utf8.RuneCountInString(in.UnitName) > 200 {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "unitName", "The unit's name may have at most 200 characters.")
	}
	in.USCC = strings.ToUpper(strings.TrimSpace(in.USCC))
	if err := validate.USCC(in.USCC); err != nil {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "uscc", "The %v.", err)
	}
	if (in.ScopeRegionID == 0) == (in.ScopeSiteID == 0) {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "scopeId", "Give the region or the site the senior will work in.")
	}
	h, err := in.Holder.normalize()
	if err != nil {
		return nil, mashang.Wrap(err, "accounts.SubmitSeniorApplication")
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if in.ReplacesAccountID != 0 && in.Reason == "" {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "reason", "Replacing an existing senior needs the reason (seed 001 §10: 相关单位更换现有高级扫码员，须向省政数局致函说明原因).")
	}
	if utf8.RuneCountInString(in.Reason) > 1000 {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "reason", "The reason may have at most 1000 characters.")
	}
	now := s.now()
	var out *ent.Application
	err = database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		if _, err := s.actor(ctx, c, v); err != nil {
			return err
		}
		n, err := scopeNode(ctx, c, in.ScopeRegionID, in.ScopeSiteID)
		if err != nil {
			return err
		}
		// SECURITY: keeps out a SENIOR or OFFICIAL applying outside its
		// scope (TestCallersKeptOut/AsASeniorSubmittingForAnotherCity).
		if err := s.Enforcer.Check(v, authz.ObjApplication, authz.ActSubmit, n.path, now); err != nil {
			return err
		}
		if in.ReplacesAccountID != 0 {
			if err := s.checkReplaceable(ctx, c, v, in, n); err != nil {
				return err
			}
		}
		create := c.Application.Create().
			SetUnitName(in.UnitName).SetUscc(in.USCC).SetStatus(application.StatusPENDING).
			SetScopePath(n.path).
			SetHolderName(h.Name).
			SetHolderPhoneSealed(s.Box.Seal(pii.FieldPhone, h.Phone)).
			SetHolderPhoneHash(s.Box.Hash(pii.FieldPhone, h.Phone)).
			SetHolderPhoneMasked(pii.MaskPhone(h.Phone)).
			SetSubmittedByID(v.AccountID).
			SetCreatedAt(now).SetUpdatedAt(now)
		if n.siteID != 0 {
			create.SetScopeSiteID(n.siteID)
		} else {
			create.SetScopeRegionID(n.regionID)
		}
		if h.IDNumber != "" {
			create.SetHolderIDNumberSealed(s.Box.Seal(pii.FieldIDNumber, h.IDNumber)).
				SetHolderIDNumberHash(s.Box.Hash(pii.FieldIDNumber, h.IDNumber)).
				SetHolderIDNumberMasked(pii.MaskID(h.IDNumber))
		}
		if in.ReplacesAccountID != 0 {
			create.SetReplacesAccountID(in.ReplacesAccountID).SetReplacementReason(in.Reason)
		}
		out, err = create.Save(ctx)
		return err
	})
	if err != nil {
		return nil, mashang.Wrap(err, "accounts.SubmitSeniorApplication")
	}
	return out.Unwrap(), nil
}

// checkReplaceable checks the senior a replacement application names. The
// submitter (e.g. a city's OFFICIAL, seed 001 §14) need not see that account
// through the account tree, so it is read without the filter and then held
// to the submitter's scope: outside it, NOT_FOUND.
func (s *Service) checkReplaceable(ctx context.Context, c *ent.Client, v *mashang.Viewer, in ApplicationInput, n node) error {
	sys := authz.AsSystem(ctx)
	old, err := c.Account.Get(sys, in.ReplacesAccountID)
	// SECURITY: keeps out a submitter naming a senior outside its scope,
	// answered like one that does not exist
	// (TestCallersKeptOut/AsAnOfficialReplacingASeniorOfAnotherCity).
	// An account of another role answers the same: the submitter, who does
	// not see it, learns nothing of its role (issue 10 §9,
	// TestAnOfficialCannotLearnAnAccountsRoleFromAReplacementApplication).
	if ent.IsNotFound(err) || (err == nil && (!s.Enforcer.Can(v, authz.ObjApplication, authz.ActSubmit, old.ScopePath, s.now()) || old.Role != account.RoleSENIOR)) {
		return mashang.FieldErrorf(mashang.ENOTFOUND, "replacesAccountId", "No SENIOR account %d in your scope; an application replaces only a SENIOR (others are replaced by their superior).", in.ReplacesAccountID)
	} else if err != nil {
		return mashang.Wrap(err, "accounts.checkReplaceable")
	}
	if old.ScopePath != n.path {
		return mashang.FieldErrorf(mashang.EINVALID, "scopeId", "A replacement keeps the senior's scope; give the scope of account %d.", old.ID)
	}
	if old.UnitID != nil {
		u, err := c.Unit.Get(sys, *old.UnitID)
		if err != nil {
			return mashang.Wrap(err, "accounts.checkReplaceable")
		}
		if u.Uscc != in.USCC {
			return mashang.FieldErrorf(mashang.EINVALID, "uscc", "Account %d belongs to another unit; a replacement is filed with that unit's USCC.", old.ID)
		}
	}
	dup, err := c.Application.Query().Where(application.ReplacesAccountID(old.ID), application.StatusEQ(application.StatusPENDING)).Exist(sys)
	if err != nil {
		return mashang.Wrap(err, "accounts.checkReplaceable")
	}
	if dup {
		return mashang.Errorf(mashang.ECONFLICT, "A replacement of account %d is already waiting for a decision.", old.ID)
	}
	return nil
}

// DecideApplication approves or rejects a pending senior application; only
// the INITIATOR decides (seed 001 §13: 依申请开通省内机关企事业单位的高级扫码员).
// A rejection needs a reason. Approval finds or creates the unit by its
// USCC (in the region of the scope), checks the quota of seniors per unit
// (QUOTA_EXCEEDED) and then either opens the SENIOR account below the
// initiator, or — for a replacement — hands the existing senior to the new
// holder, keeping its id, subordinates and records and ending the old
// holder's sessions. A holder new to the platform gets a random initial
// password, returned once in the result.
func (s *Service) DecideApplication(ctx context.Context, id int, approve bool, reason string) (*DecideResult, error) {
	v := mashang.ViewerFromContext(ctx)
	if v == nil {
		return nil, unauthenticated()
	}
	// SECURITY: keeps out every role but the INITIATOR
	// (TestCallersKeptOut/AsASeniorDecidingAnApplication).
	if err := s.mayAtAll(v, authz.ObjApplication, authz.ActDecide); err != nil {
		return nil, mashang.Wrap(err, "accounts.DecideApplication")
	}
	reason = strings.TrimSpace(reason)
	if !approve && reason == "" {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "reason", "Give the reason for rejecting the application; the unit needs it to apply again.")
	}
	if utf8.RuneCountInString(reason) > 1000 {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "reason", "The reason may have at most 1000 characters.")
	}
	if approve && s.Box == nil {
		return nil, errors.New("accounts: Service.Box is not set")
	}
	now := s.now()
	res := &DecideResult{}
	err := database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		actor, err := s.actor(ctx, c, v)
		if err != nil {
			return err
		}
		app, err := c.Application.Get(ctx, id)
		if ent.IsNotFound(err) {
			return mashang.Errorf(mashang.ENOTFOUND, "No application %d in your scope.", id)
		} else if err != nil {
			return err
		}
		// SECURITY: the application's scope must be within the decider's
		// reach (the INITIATOR's is the province).
		if err := s.Enforcer.Check(v, authz.ObjApplication, authz.ActDecide, app.ScopePath, now); err != nil {
			return err
		}
		if app.Status != application.StatusPENDING {
			return mashang.Errorf(mashang.ECONFLICT, "Application %d was already decided (%s).", app.ID, app.Status)
		}
		status := application.StatusREJECTED
		if approve {
			status = application.StatusAPPROVED
		}
		// Claim the application first: of two concurrent decisions one
		// wins, the other waits for its row lock and then sees it decided.
		upd := c.Application.Update().Where(application.ID(app.ID), application.StatusEQ(application.StatusPENDING)).
			SetStatus(status).SetDecidedByID(actor.ID).SetDecidedAt(now)
		if reason != "" {
			upd.SetDecisionReason(reason)
		}
		n, err := upd.Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return mashang.Errorf(mashang.ECONFLICT, "Application %d was already decided.", app.ID)
		}
		if approve {
			acct, password, err := s.approve(ctx, c, v, actor, app)
			if err != nil {
				return err
			}
			if err := c.Application.UpdateOneID(app.ID).SetAccountID(acct.ID).Exec(ctx); err != nil {
				return err
			}
			res.Account, res.InitialPassword = acct.Unwrap(), password
		}
		res.Application, err = c.Application.Get(ctx, app.ID)
		return err
	})
	if err != nil {
		return nil, mashang.Wrap(err, "accounts.DecideApplication")
	}
	res.Application = res.Application.Unwrap()
	return res, nil
}

// approve opens (or, for a replacement, re-assigns) the senior account of an
// approved application and returns it with the initial password of a new
// user ("" for a person already on the platform). Every check runs before
// the first write.
func (s *Service) approve(ctx context.Context, c *ent.Client, v *mashang.Viewer, actor *ent.Account, app *ent.Application) (*ent.Account, string, error) {
	now := s.now()
	old, n, err := s.approvedScope(ctx, c, v, app, now)
	if err != nil {
		return nil, "", mashang.Wrap(err, "accounts.approve")
	}
	u, err := s.checkApprovalQuotas(ctx, c, app, old, n)
	if err != nil {
		return nil, "", mashang.Wrap(err, "accounts.approve")
	}

	// Every check passed: write.
	if u == nil {
		if u, err = createUnit(ctx, c, app, n); err != nil {
			return nil, "", mashang.Wrap(err, "accounts.approve")
		}
	}
	usr, password, consent, err := s.approvedHolder(ctx, c, v, app)
	if err != nil {
		return nil, "", mashang.Wrap(err, "accounts.approve")
	}
	// issue 11, point 16: the new SENIOR can scan at once.
	if err := s.linkHolderCode(ctx, c, usr); err != nil {
		return nil, "", mashang.Wrap(err, "accounts.approve")
	}
	if old != nil {
		if usr.ID == old.HolderID {
			return nil, "", mashang.Errorf(mashang.ECONFLICT, "Account %d is already held by the proposed holder.", old.ID)
		}
		acct, err := s.replaceHolder(ctx, c, old, usr.ID, &u.ID, consent, now)
		return acct, password, mashang.Wrap(err, "accounts.approve")
	}
	acct, err := insertAccount(ctx, c, newAccount{
		role: mashang.RoleSenior, superior: actor, holderID: usr.ID, node: n, unitID: &u.ID, now: now, consent: consent,
	})
	if err != nil {
		return nil, "", mashang.Wrap(err, "accounts.approve")
	}
	if err := s.count(ctx, c, nil, []*ent.Account{acct}); err != nil {
		return nil, "", err
	}
	if err := s.notify(ctx, c, acct, acct.HolderID, outbox.StatusActive, outbox.ReasonCreated, now); err != nil {
		return nil, "", mashang.Wrap(err, "accounts.approve")
	}
	return acct, password, nil
}

// approvedScope is the scope node of an approved application and, for a
// replacement, the SENIOR account it replaces (nil otherwise).
func (s *Service) approvedScope(ctx context.Context, c *ent.Client, v *mashang.Viewer, app *ent.Application, now time.Time) (*ent.Account, node, error) {
	if app.ReplacesAccountID == nil {
		n, err := scopeNode(ctx, c, deref(app.ScopeRegionID), deref(app.ScopeSiteID))
		if err != nil {
			return nil, node{}, mashang.Errorf(mashang.ECONFLICT, "The scope of application %d no longer exists: %v", app.ID, err)
		}
		return nil, n, nil
	}
	old, err := c.Account.Get(authz.AsSystem(ctx), *app.ReplacesAccountID)
	if ent.IsNotFound(err) {
		return nil, node{}, mashang.Errorf(mashang.ENOTFOUND, "Account %d, which the application replaces, no longer exists.", *app.ReplacesAccountID)
	} else if err != nil {
		return nil, node{}, mashang.Wrap(err, "accounts.approvedScope")
	}
	if old.Role != account.RoleSENIOR {
		return nil, node{}, mashang.Errorf(mashang.ECONFLICT, "Account %d is no longer a SENIOR account.", old.ID)
	}
	// SECURITY: keeps out a decider whose policy does not reach the senior
	// being replaced (only the INITIATOR decides applications, and so
	// replaces a SENIOR, seed 001 §10; TestSeniorReplacementApplication),
	// even though the account was read without the scope filter. No policy
	// line replaces a SENIOR directly (replaceAccount refuses it).
	if err := s.Enforcer.Check(v, authz.ObjApplication, authz.ActDecide, old.ScopePath, now); err != nil {
		return nil, node{}, mashang.Wrap(err, "accounts.approvedScope")
	}
	n := node{path: old.ScopePath}
	if old.ScopeSiteID != nil {
		n.siteID = *old.ScopeSiteID
	}
	if old.ScopeRegionID != nil {
		n.regionID = *old.ScopeRegionID
	}
	return old, n, nil
}

// checkApprovalQuotas finds the application's unit by its USCC (nil when
// it is new) and checks the quotas: seniors per unit, and accounts per site
// for a new senior.
func (s *Service) checkApprovalQuotas(ctx context.Context, c *ent.Client, app *ent.Application, old *ent.Account, n node) (*ent.Unit, error) {
	u, err := c.Unit.Query().Where(unit.Uscc(app.Uscc)).Only(authz.AsSystem(ctx))
	if err != nil && !ent.IsNotFound(err) {
		return nil, mashang.Wrap(err, "accounts.checkApprovalQuotas")
	}
	exclude := 0
	if old != nil {
		exclude = old.ID
	}
	if u != nil {
		if err := s.checkSeniorQuota(ctx, c, u.ID, exclude); err != nil {
			return nil, mashang.Wrap(err, "accounts.checkApprovalQuotas")
		}
	}
	if old == nil {
		if err := s.checkSiteQuota(ctx, c, mashang.RoleSenior, n.siteID, 0); err != nil {
			return nil, mashang.Wrap(err, "accounts.checkApprovalQuotas")
		}
	}
	return u, nil
}

// createUnit creates the unit of an approved application in the region of
// its scope.
func createUnit(ctx context.Context, c *ent.Client, app *ent.Application, n node) (*ent.Unit, error) {
	sys := authz.AsSystem(ctx)
	regionID := n.regionID
	if regionID == 0 && n.siteID != 0 {
		st, err := c.Site.Get(sys, n.siteID)
		if err != nil {
			return nil, mashang.Wrap(err, "accounts.createUnit")
		}
		regionID = st.RegionID
	}
	r, err := c.Region.Get(sys, regionID)
	if err != nil {
		return nil, mashang.Wrap(err, "accounts.createUnit")
	}
	u, err := c.Unit.Create().SetName(app.UnitName).SetUscc(app.Uscc).
		SetRegionID(r.ID).SetRegionPath(r.Path).Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, mashang.Errorf(mashang.ECONFLICT, "The unit with USCC %s was created meanwhile; decide again.", app.Uscc)
	}
	return u, mashang.Wrap(err, "accounts.createUnit")
}

// approvedHolder finds or creates the proposed holder from the sealed data
// of the application; password is the initial password of a user new to
// the platform, "" otherwise; consent tells that the binding waits for the
// holder's consent (binding.go: a registered person whose name and ID
// number do not both match).
func (s *Service) approvedHolder(ctx context.Context, c *ent.Client, v *mashang.Viewer, app *ent.Application) (usr *ent.User, password string, consent bool, err error) {
	phone, err := s.Box.Open(pii.FieldPhone, app.HolderPhoneSealed)
	if err != nil {
		return nil, "", false, mashang.Wrap(err, "accounts.approvedHolder")
	}
	idNumber := ""
	if app.HolderIDNumberSealed != nil && len(*app.HolderIDNumberSealed) > 0 {
		if idNumber, err = s.Box.Open(pii.FieldIDNumber, *app.HolderIDNumberSealed); err != nil {
			return nil, "", false, mashang.Wrap(err, "accounts.approvedHolder")
		}
	}
	if password, err = InitialPassword(); err != nil {
		return nil, "", false, mashang.Wrap(err, "accounts.approvedHolder")
	}
	usr, created, matched, err := s.Identity.FindOrCreateHolder(ctx, c, app.HolderName, phone, idNumber, password)
	if err != nil {
		return nil, "", false, holderError(err)
	}
	if !created {
		password = ""
	}
	// SECURITY: a registered person is bound to the senior account only
	// with a matching name and ID number, or their consent
	// (TestAnApplicationCannotBindAStrangerByTheirPhone).
	return usr, password, v.Role != mashang.RoleInitiator || !(created || matched), nil
}

// checkSeniorQuota refuses one more SENIOR for a unit that has its quota
// (seed 001 §9: …设置高级扫码员1名; Quotas.SeniorsPerUnit).
func (s *Service) checkSeniorQuota(ctx context.Context, c *ent.Client, unitID, exclude int) error {
	limit := s.Quotas.SeniorsPerUnit
	if limit == 0 {
		limit = 1
	}
	if limit < 0 {
		return nil
	}
	sys := authz.AsSystem(ctx)
	// Serialise concurrent approvals for the unit (row lock until commit).
	if err := c.Unit.Update().Where(unit.ID(unitID)).SetUpdatedAt(s.now()).Exec(sys); err != nil {
		return mashang.Wrap(err, "accounts.checkSeniorQuota")
	}
	q := c.Account.Query().Where(account.UnitID(unitID), account.RoleEQ(account.RoleSENIOR))
	if exclude != 0 {
		q.Where(account.IDNEQ(exclude))
	}
	cnt, err := q.Count(sys)
	if err != nil {
		return mashang.Wrap(err, "accounts.checkSeniorQuota")
	}
	if cnt >= limit {
		return mashang.Errorf(mashang.EQUOTA, "Unit %d already has %d SENIOR account(s), its quota (seed 001 §9: 设置高级扫码员1名); file a replacement application instead.", unitID, cnt)
	}
	return nil
}

// InitialPassword returns a random password for a person new to the
// platform: 16 characters of letters and digits without look-alikes (0/O,
// 1/l/I), starting with a letter so it is never digits only.
func InitialPassword() (string, error) {
	const letters = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz"
	first, err := randomString(1, letters)
	if err != nil {
		return "", mashang.Wrap(err, "accounts.InitialPassword")
	}
	rest, err := randomString(15, letters+"23456789")
	if err != nil {
		return "", mashang.Wrap(err, "accounts.InitialPassword")
	}
	return first + rest, nil
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

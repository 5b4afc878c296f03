// Package accounts manages scanner accounts (扫码员账号, seed 001 §6–§12;
// DESIGN.md §5): creating them along the creation matrix, replacing their
// holder (更换), disabling and re-activating them, reactivation requests, and
// the senior applications (《高级扫码员申请表》) through which SENIOR accounts
// are opened.
//
// Every method acts as the viewer in its context and follows one order:
//
//  1. no viewer → UNAUTHENTICATED;
//  2. the acting role has no policy line for the action at all → FORBIDDEN
//     naming the rule (before anything is read);
//  3. input checks → INVALID_INPUT naming the field;
//  4. the target is read through the (scope-filtered) client: a target the
//     viewer may not see → NOT_FOUND, never revealing that it exists;
//  5. Casbin on the target's scope path, then the account-tree rule
//     (derived accounts, direct superior) → FORBIDDEN;
//  6. the target's state → CONFLICT; quotas → QUOTA_EXCEEDED;
//  7. the writes, and the SMS of every status change (outbox, seed 001 §10),
//     all in one transaction.
//
// Every refusal happens before the first write of the call, or rolls back
// the transaction the call opened, so nothing is written on any refusal.
// When the caller passes its own transaction in the context
// (ent.NewTxContext), the caller must roll it back on error.
package accounts

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"entgo.io/ent/dialect/sql"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/predicate"
	"github.com/mashang/mashang/ent/reactivationrequest"
	"github.com/mashang/mashang/ent/site"
	"github.com/mashang/mashang/ent/user"
	"github.com/mashang/mashang/outbox"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/stats"
	"github.com/mashang/mashang/tree"
	"github.com/mashang/mashang/validate"
)

// Identity is what this package needs from the authentication service
// (*auth.Service implements it). It looks users and sessions up as the
// system itself (the viewer's scope filter does not apply to them): callers
// pass their own context.
type Identity interface {
	// CreateUser finds the user with this phone, or creates one (then the
	// password is required and validated); created reports which.
	CreateUser(ctx context.Context, client *ent.Client, name, phone, idNumber, password string) (u *ent.User, created bool, err error)
	// FindOrCreateHolder finds the user with this phone, or creates one,
	// without refusing for what it found (so the answer does not tell who
	// is registered); matched reports that a found user's name and ID
	// number both match the ones given. A password given is validated (and
	// hashed) whether or not the user exists.
	FindOrCreateHolder(ctx context.Context, client *ent.Client, name, phone, idNumber, password string) (u *ent.User, created, matched bool, err error)
	// RevokeAccountSessions ends every session acting as the account at
	// once.
	RevokeAccountSessions(ctx context.Context, client *ent.Client, accountID int) error
}

// Quotas limit how many accounts may exist. Both count ACTIVE and DISABLED
// accounts: a disabled account still occupies its place until it is
// replaced (更换).
type Quotas struct {
	// SeniorsPerUnit is the number of SENIOR accounts one unit may have
	// (seed 001 §9: …设置高级扫码员1名). 0 means the seed's 1; negative means
	// unlimited.
	SeniorsPerUnit int
	// PerSite maps a role to the most accounts of that role whose scope is
	// exactly one site, whatever its category (MASHANG_SITE_QUOTAS). A role
	// it names overrides PerCategory; 0 means unlimited.
	PerSite map[string]int
	// PerCategory caps the accounts of a role on one site by the site's
	// category (seed 001 §9: 车站…可设中级扫码员1名; quotas.go). nil means
	// DefaultCategoryQuotas; a missing category or role, or 0, unlimited.
	PerCategory map[scenario.Category]map[string]int
}

// Service manages accounts.
type Service struct {
	// Client is the API's client, with the scope filter installed
	// (authz.Install).
	Client   *ent.Client
	Enforcer *authz.Enforcer
	Identity Identity
	// Box seals the proposed holder's data of senior applications.
	Box    *pii.Box
	Quotas Quotas
	// Codes links or registers a holder's own health code when an account
	// is given to them (holdercode.go); nil leaves it to the holder.
	Codes HolderCodes
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rollups keeps the ACCOUNTS gauge (stats.Accounts) in the transaction
	// of every create, status change and hand-over; nil counts nothing
	// (issue 12).
	Rollups *stats.Rollups
}

// count subtracts the accounts as they were (before) from the ACCOUNTS
// gauge and adds them as they are (after), in c's transaction: one Apply
// whatever their number.
func (s *Service) count(ctx context.Context, c *ent.Client, before, after []*ent.Account) error {
	var d stats.Delta
	stats.AddAccounts(&d, before, -1)
	stats.AddAccounts(&d, after, 1)
	return mashang.Wrap(s.Rollups.Apply(ctx, c, &d), "accounts.count")
}

// disabledAs is a as a disable leaves it: DISABLED for reason.
func disabledAs(a *ent.Account, reason account.DisabledReason) *ent.Account {
	out := *a
	out.Status, out.DisabledReason = account.StatusDISABLED, &reason
	return &out
}

// activeAs is a as an activation leaves it.
func activeAs(a *ent.Account) *ent.Account {
	out := *a
	out.Status, out.DisabledReason = account.StatusACTIVE, nil
	return &out
}

// Holder is the person an account is given to. Password is needed only for
// a person new to the platform.
type Holder struct {
	Name, Phone, IDNumber, Password string
}

// CreateInput describes a new account. Exactly one of ScopeRegionID and
// ScopeSiteID is set.
type CreateInput struct {
	Role          string
	ScopeRegionID int
	ScopeSiteID   int
	Holder        Holder
	// Sector limits an OFFICIAL account to one supervising sector; "" for
	// none. Only OFFICIAL accounts have one.
	Sector string
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// scannerRoles are the four scanner levels of seed 001 §6 below the
// initiator that record scans and belong to a unit.
var scannerRoles = []string{mashang.RoleSenior, mashang.RoleIntermediate, mashang.RoleOrdinary}

// allRoles in descending rank.
var allRoles = []string{mashang.RoleInitiator, mashang.RoleSenior, mashang.RoleIntermediate, mashang.RoleOrdinary, mashang.RoleOfficial, mashang.RoleGridWorker}

// Create opens an account below the acting account (DESIGN.md §5 matrix):
// the INITIATOR creates INTERMEDIATE, ORDINARY, OFFICIAL and GRID_WORKER
// anywhere; a SENIOR creates INTERMEDIATE and ORDINARY strictly below its
// scope; an INTERMEDIATE creates ORDINARY as its own subordinates within its
// scope. SENIOR accounts are opened only by approving an application
// (DecideApplication), and nobody creates a role at or above their own.
//
// The new account's superior is the acting account, its account_path the
// superior's plus "a<id>/", its scope_path the node's path; scanner roles
// inherit the superior's unit.
func (s *Service) Create(ctx context.Context, in CreateInput) (*ent.Account, error) {
	v := mashang.ViewerFromContext(ctx)
	if v == nil {
		return nil, unauthenticated()
	}
	if !slices.Contains(allRoles, in.Role) {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "role", "Unknown role %q; one of %s.", in.Role, strings.Join(allRoles, ", "))
	}
	if in.Role == mashang.RoleSenior {
		// SECURITY: keeps out everyone, the INITIATOR included, who would
		// open a SENIOR without an approved application
		// (TestInitiatorCannotCreateSeniorDirectly).
		// seed 001 §9: 高级扫码员…须绑定本单位的社会信用代码证号，并向省政数局提交《高级扫码员申请表》，经审核后开通.
		return nil, mashang.Errorf(mashang.EFORBIDDEN, "A SENIOR account is opened only by approving a senior application bound to the unit's USCC (seed 001 §9); use submitSeniorApplication and decideApplication.")
	}
	obj := authz.AccountObject(in.Role)
	// SECURITY: keeps out a role that creates no account of in.Role
	// anywhere (TestOrdinaryScannerCannotCreateAccounts, TestAccountMatrix).
	if err := s.mayAtAll(v, obj, authz.ActCreate); err != nil {
		return nil, mashang.Wrap(err, "accounts.Create")
	}
	if (in.ScopeRegionID == 0) == (in.ScopeSiteID == 0) {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "scopeId", "Give the region or the site the account works in.")
	}
	var sector *scenario.Sector
	if in.Sector != "" {
		if in.Role != mashang.RoleOfficial {
			return nil, mashang.FieldErrorf(mashang.EINVALID, "sector", "Only OFFICIAL accounts are limited to a sector.")
		}
		if !slices.Contains(scenario.Sector("").Values(), in.Sector) {
			return nil, mashang.FieldErrorf(mashang.EINVALID, "sector", "Unknown sector %q.", in.Sector)
		}
		sec := scenario.Sector(in.Sector)
		sector = &sec
	}
	h, err := in.Holder.normalize()
	if err != nil {
		return nil, mashang.Wrap(err, "accounts.Create")
	}
	now := s.now()
	var created *ent.Account
	err = database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		actor, err := s.actor(ctx, c, v)
		if err != nil {
			return err
		}
		node, err := scopeNode(ctx, c, in.ScopeRegionID, in.ScopeSiteID)
		if err != nil {
			return err
		}
		// SECURITY: keeps out a SENIOR or INTERMEDIATE creating outside
		// its own scope (TestSeniorCannotCreateOutsideItsScope).
		if err := s.Enforcer.Check(v, obj, authz.ActCreate, node.path, now); err != nil {
			return err
		}
		if err := s.checkSiteQuota(ctx, c, in.Role, node.siteID, 0); err != nil {
			return err
		}
		u, consent, err := s.holderFor(ctx, c, v, h)
		if err != nil {
			return err
		}
		// issue 11, point 16: the new scanner can scan at once.
		if err := s.linkHolderCode(ctx, c, u); err != nil {
			return err
		}
		dup, err := c.Account.Query().Where(account.HolderID(u.ID), account.RoleEQ(account.Role(in.Role)),
			account.ScopePath(node.path), account.SuperiorID(actor.ID)).Exist(authz.AsSystem(ctx))
		if err != nil {
			return err
		}
		if dup {
			return mashang.Errorf(mashang.ECONFLICT, "This person already holds a %s account of yours on this scope.", in.Role)
		}
		var unitID *int
		if slices.Contains(scannerRoles, in.Role) {
			unitID = actor.UnitID
		}
		created, err = insertAccount(ctx, c, newAccount{
			role: in.Role, superior: actor, holderID: u.ID, node: node, unitID: unitID, sector: sector, now: now, consent: consent,
		})
		if err != nil {
			return err
		}
		if err := s.count(ctx, c, nil, []*ent.Account{created}); err != nil {
			return err
		}
		status := outbox.StatusActive
		if consent {
			status = outbox.StatusDisabled
		}
		return s.notify(ctx, c, created, created.HolderID, status, outbox.ReasonCreated, now)
	})
	if err != nil {
		return nil, mashang.Wrap(err, "accounts.Create")
	}
	return created.Unwrap(), nil
}

// Replace hands an account to a new holder (更换, seed 001 §10: 高级、中级扫码员
// 可根据工作需要更换下一级扫码员对应账号): the account, its id, account_path,
// subordinates and records stay; the old holder's sessions end at once and
// both holders receive an SMS. The account must be derived from the acting
// account. A SENIOR is replaced only through an approved replacement
// application (DecideApplication), never directly.
//
// reason is not stored (the schema has no column for it); it is accepted so
// the API can require one later.
func (s *Service) Replace(ctx context.Context, accountID int, holder Holder, reason string) (*ent.Account, error) {
	v := mashang.ViewerFromContext(ctx)
	if v == nil {
		return nil, unauthenticated()
	}
	// SECURITY: keeps out the roles that replace no account at all
	// (ORDINARY, OFFICIAL, GRID_WORKER: TestAccountMatrix).
	if err := s.mayAnyRole(v, authz.ActReplace); err != nil {
		return nil, mashang.Wrap(err, "accounts.Replace")
	}
	h, err := holder.normalize()
	if err != nil {
		return nil, mashang.Wrap(err, "accounts.Replace")
	}
	if utf8.RuneCountInString(reason) > 1000 {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "reason", "The reason may have at most 1000 characters.")
	}
	now := s.now()
	var out *ent.Account
	err = database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		actor, err := s.actor(ctx, c, v)
		if err != nil {
			return err
		}
		target, err := visibleAccount(ctx, c, accountID)
		if err != nil {
			return err
		}
		if target.Role == account.RoleSENIOR {
			// SECURITY: keeps out everyone who would replace a SENIOR
			// without an application (TestInitiatorCannotReplaceSeniorDirectly).
			// seed 001 §10: 相关单位更换现有高级扫码员，须向省政数局致函说明原因，并再次填写《高级扫码员申请表》.
			return mashang.Errorf(mashang.EFORBIDDEN, "A SENIOR account is replaced only through an approved replacement application with its reason (seed 001 §10); submit one with replacesAccountId %d.", target.ID)
		}
		// SECURITY: keeps out a caller whose policy does not reach the
		// target's role and scope (TestAccountMatrix).
		if err := s.Enforcer.Check(v, authz.AccountObject(string(target.Role)), authz.ActReplace, target.ScopePath, now); err != nil {
			return err
		}
		// SECURITY: keeps out a caller that sees the target (as its holder's
		// other account) but did not derive it
		// (TestCallersKeptOut/AsASeniorReplacingItsHoldersAccountOfAnotherBranch).
		if !derived(actor, target) {
			return mashang.Errorf(mashang.EFORBIDDEN, "You may replace the holder only of accounts derived from yours (seed 001 §10: 更换下一级扫码员对应账号); account %d is not.", target.ID)
		}
		u, consent, err := s.holderFor(ctx, c, v, h)
		if err != nil {
			return err
		}
		if u.ID == target.HolderID {
			return mashang.Errorf(mashang.ECONFLICT, "Account %d is already held by this person.", target.ID)
		}
		// issue 11, point 16: the new holder can scan at once.
		if err := s.linkHolderCode(ctx, c, u); err != nil {
			return err
		}
		out, err = s.replaceHolder(ctx, c, target, u.ID, nil, consent, now)
		return err
	})
	if err != nil {
		return nil, mashang.Wrap(err, "accounts.Replace")
	}
	return out.Unwrap(), nil
}

// replaceHolder gives target to newHolder (and, when unitID is set, binds it
// to that unit), ends the old holder's sessions, supersedes the old holder's
// pending reactivation requests and tells both holders. With consent the
// account waits for the new holder's consent (binding.go); without, an
// account that waited for another's returns to its status before.
func (s *Service) replaceHolder(ctx context.Context, c *ent.Client, target *ent.Account, newHolder int, unitID *int, consent bool, now time.Time) (*ent.Account, error) {
	oldHolder := target.HolderID
	upd := c.Account.UpdateOneID(target.ID).SetHolderID(newHolder)
	if unitID != nil {
		upd.SetUnitID(*unitID)
	}
	switch {
	case consent:
		waitForConsent(upd, target, now)
	case pendingConsent(target):
		end := c.Account.Update().Where(account.ID(target.ID))
		endConsent(end, target, now)
		if err := end.Exec(ctx); err != nil {
			return nil, mashang.Wrap(err, "accounts.replaceHolder")
		}
	}
	out, err := upd.Save(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "accounts.replaceHolder")
	}
	// The holder does not count; a status the hand-over changes does.
	if err := s.count(ctx, c, []*ent.Account{target}, []*ent.Account{out}); err != nil {
		return nil, err
	}

	// DESIGN.md §5: the old holder loses access at once.
	if err := s.Identity.RevokeAccountSessions(ctx, c, target.ID); err != nil {
		return nil, mashang.Wrap(err, "accounts.replaceHolder")
	}
	if _, err := c.ReactivationRequest.Update().
		Where(reactivationrequest.AccountID(target.ID), reactivationrequest.StatusEQ(reactivationrequest.StatusPENDING)).
		SetStatus(reactivationrequest.StatusSUPERSEDED).SetDecidedAt(now).Save(ctx); err != nil {
		return nil, mashang.Wrap(err, "accounts.replaceHolder")
	}
	status := outbox.StatusActive
	if out.Status == account.StatusDISABLED {
		status = outbox.StatusDisabled
	}
	if err := s.notify(ctx, c, out, newHolder, status, outbox.ReasonHolderAssigned, now); err != nil {
		return nil, mashang.Wrap(err, "accounts.replaceHolder")
	}
	if err := s.notify(ctx, c, out, oldHolder, status, outbox.ReasonHolderReplaced, now); err != nil {
		return nil, mashang.Wrap(err, "accounts.replaceHolder")
	}
	return out, nil
}

// newAccount is what insertAccount needs.
type newAccount struct {
	role     string
	superior *ent.Account
	holderID int
	node     node
	unitID   *int
	sector   *scenario.Sector
	now      time.Time
	// consent: the account waits for its holder's consent (binding.go).
	consent bool
}

// insertAccount writes an account and gives it its account_path. The id is
// known only after the insert, so a unique placeholder path is written first
// and replaced in the same transaction (as sites.Create does).
func insertAccount(ctx context.Context, c *ent.Client, n newAccount) (*ent.Account, error) {
	nonce, err := randomString(12, "abcdefghijklmnopqrstuvwxyz0123456789")
	if err != nil {
		return nil, mashang.Wrap(err, "accounts.insertAccount")
	}
	create := c.Account.Create().
		SetRole(account.Role(n.role)).
		SetStatus(account.StatusACTIVE).
		SetScopePath(n.node.path).
		SetAccountPath(n.superior.AccountPath + "pending-" + nonce + "/").
		SetSuperiorID(n.superior.ID).
		SetHolderID(n.holderID).
		SetNillableUnitID(n.unitID).
		SetNillableSector(n.sector).
		// The silence period (seed 001 §10) counts from the opening.
		SetLastActiveAt(n.now)
	if n.consent {
		create.SetStatus(account.StatusDISABLED).SetDisabledReason(account.DisabledReasonPENDING_CONSENT).SetDisabledAt(n.now)
	}
	if n.node.siteID != 0 {
		create.SetScopeSiteID(n.node.siteID)
	} else {
		create.SetScopeRegionID(n.node.regionID)
	}
	a, err := create.Save(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "accounts.insertAccount")
	}
	return a.Update().SetAccountPath(AccountPath(n.superior.AccountPath, a.ID)).Save(ctx)
}

// AccountPath is the account_path of account id below a superior's path
// ("/a1/" for a root account when superiorPath is "" or "/").
func AccountPath(superiorPath string, id int) string {
	if superiorPath == "" {
		superiorPath = "/"
	}
	return fmt.Sprintf("%sa%d/", superiorPath, id)
}

// derived reports whether target is strictly below actor in the account
// tree (seed 001 §10: 下一级扫码员或其衍生的全部扫码员账号).
func derived(actor, target *ent.Account) bool {
	return target.AccountPath != actor.AccountPath && tree.Contains(actor.AccountPath, target.AccountPath)
}

// node is a scope node: a region or a site.
type node struct {
	path     string
	regionID int // the region itself, or the site's region
	siteID   int // 0 for a region
}

// scopeNode reads the scope node through the filtered client: regions are
// public, sites outside the viewer's scope come back NOT_FOUND.
func scopeNode(ctx context.Context, c *ent.Client, regionID, siteID int) (node, error) {
	if siteID != 0 {
		st, err := c.Site.Get(ctx, siteID)
		if ent.IsNotFound(err) {
			return node{}, mashang.FieldErrorf(mashang.ENOTFOUND, "scopeId", "No site %d in your scope.", siteID)
		} else if err != nil {
			return node{}, mashang.Wrap(err, "accounts.scopeNode")
		}
		return node{path: st.Path, regionID: st.RegionID, siteID: st.ID}, nil
	}
	r, err := c.Region.Get(ctx, regionID)
	if ent.IsNotFound(err) {
		return node{}, mashang.FieldErrorf(mashang.ENOTFOUND, "scopeId", "No region %d.", regionID)
	} else if err != nil {
		return node{}, mashang.Wrap(err, "accounts.scopeNode")
	}
	return node{path: r.Path, regionID: r.ID}, nil
}

// checkSiteQuota refuses one more account of role on a site when its
// quota (Quotas.PerSite, else the cap of the site's category, seed 001 §9)
// says the site is full; exclude is an account not counted (the one being
// replaced).
func (s *Service) checkSiteQuota(ctx context.Context, c *ent.Client, role string, siteID, exclude int) error {
	if siteID == 0 {
		return nil
	}
	sys := authz.AsSystem(ctx)
	st, err := c.Site.Query().Where(site.ID(siteID)).Select(site.FieldCategory).Only(sys)
	if err != nil {
		return mashang.Wrap(err, "accounts.checkSiteQuota")
	}
	limit := s.Quotas.siteLimit(st.Category, role)
	if limit <= 0 {
		return nil
	}
	// Serialise concurrent creations on this site: the row lock taken by
	// this no-op update is held until commit (PostgreSQL; SQLite
	// transactions are IMMEDIATE and serialise anyway).
	if err := c.Site.Update().Where(site.ID(siteID)).SetUpdatedAt(s.now()).Exec(sys); err != nil {
		return mashang.Wrap(err, "accounts.checkSiteQuota")
	}
	q := c.Account.Query().Where(account.ScopeSiteID(siteID), account.RoleEQ(account.Role(role)))
	if exclude != 0 {
		q.Where(account.IDNEQ(exclude))
	}
	n, err := q.Count(sys)
	if err != nil {
		return mashang.Wrap(err, "accounts.checkSiteQuota")
	}
	if n >= limit {
		return mashang.Errorf(mashang.EQUOTA, "Site %d (%s) already has %d %s account(s), its quota (seed 001 §9); replace or remove one first.", siteID, st.Category, n, role)
	}
	return nil
}

// actor loads the acting account, the single source of truth for its role
// and paths, and refuses a disabled one.
func (s *Service) actor(ctx context.Context, c *ent.Client, v *mashang.Viewer) (*ent.Account, error) {
	a, err := c.Account.Get(ctx, v.AccountID)
	if ent.IsNotFound(err) {
		return nil, unauthenticated()
	} else if err != nil {
		return nil, mashang.Wrap(err, "accounts.actor")
	}

	// SECURITY: keeps out a viewer whose account lost the role it acts with
	// (TestCallersKeptOut/AsAViewerClaimingARoleItsAccountNoLongerHas), and
	// a disabled account (TestDisabledAccountCannotManageAccounts).
	if string(a.Role) != v.Role {
		return nil, mashang.Errorf(mashang.EUNAUTHENTICATED, "Your account changed; log in again.")
	}
	if a.Status == account.StatusDISABLED {
		// seed 001 §10: 任何扫码员账号被禁用，均须向上一级扫码员提出申请，由上一级扫码员对其账号进行激活.
		return nil, mashang.Errorf(mashang.EACCOUNTDISABLED, "Your account %d is disabled; ask your superior to activate it (requestReactivation).", a.ID)
	}
	return a, nil
}

// visibleAccount reads a target account through the filtered client; one
// the viewer may not see is NOT_FOUND, exactly like one that does not exist.
func visibleAccount(ctx context.Context, c *ent.Client, id int) (*ent.Account, error) {
	// SECURITY: the scope filter hides accounts outside the viewer's branch:
	// a SENIOR of another city gets NOT_FOUND (TestAccountMatrix ".../out").
	a, err := c.Account.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, notFound(id)
	}
	return a, mashang.Wrap(err, "accounts.visibleAccount")
}

func notFound(id int) error {
	return mashang.Errorf(mashang.ENOTFOUND, "No account %d in your scope.", id)
}

func unauthenticated() error { return mashang.Errorf(mashang.EUNAUTHENTICATED, "Log in first.") }

// probePath is a synthetic node: with scope "/" every reach of the policy but
// "own" holds for it (any, subtree, below), with scope probePath "own" does.
// roleMay asks both, so it answers "does the role have any line at all".
const probePath = "/probe/"

// mayAtAll refuses, before anything is read, a role that has no policy line
// for (obj, act) whatever the target: the refusal names the rule.
// SECURITY: the first check of every method: keeps out a role with no line
// for the action at all before anything is read (TestAccountMatrix,
// TestCallersKeptOut).
func (s *Service) mayAtAll(v *mashang.Viewer, obj, act string) error {
	if s.roleMay(v, obj, act) {
		return nil
	}
	p := *v
	p.ScopePath, p.Grants = tree.Root, nil
	// SECURITY: a role without any policy line for the action is refused
	// before anything is read (TestCallersKeptOut).
	return s.Enforcer.Check(&p, obj, act, probePath, s.now())
}

func (s *Service) roleMay(v *mashang.Viewer, obj, act string) bool {
	return s.Enforcer.Allowed(v.Role, tree.Root, probePath, obj, act) ||
		s.Enforcer.Allowed(v.Role, probePath, probePath, obj, act)
}

// mayAnyRole is mayAtAll for an action on accounts of any role (replace).
// SECURITY: keeps out a role with no line for the action on any account
// (TestAccountMatrix).
func (s *Service) mayAnyRole(v *mashang.Viewer, act string) error {
	for _, r := range allRoles {
		if s.roleMay(v, authz.AccountObject(r), act) {
			return nil
		}
	}
	return mashang.Errorf(mashang.EFORBIDDEN, "A %s account may not %s accounts (policy: no line for %s, account:*, %s).", v.Role, act, v.Role, act)
}

// normalize checks a holder: name, mainland mobile phone and, when given,
// resident ID number (GB 11643). The password is checked by Identity, and
// only for a person new to the platform.
func (h Holder) normalize() (Holder, error) {
	h.Name = strings.TrimSpace(h.Name)
	if h.Name == "" {
		return h, mashang.FieldErrorf(mashang.EINVALID, "holder.name", "The holder's name is required.")
	}
	if utf8.RuneCountInString(h.Name) > 100 {
		return h, mashang.FieldErrorf(mashang.EINVALID, "holder.name", "The holder's name may have at most 100 characters.")
	}
	p, err := validate.NormalizePhone(h.Phone)
	if err != nil {
		return h, mashang.FieldErrorf(mashang.EINVALID, "holder.phone", "The holder's %v.", err)
	}
	h.Phone = p
	h.IDNumber = strings.ToUpper(strings.TrimSpace(h.IDNumber))
	if h.IDNumber != "" {
		if err := validate.ResidentID(h.IDNumber); err != nil {
			return h, mashang.FieldErrorf(mashang.EINVALID, "holder.idNumber", "The holder's %v.", err)
		}
	}
	return h, nil
}

// holderError names the holder's fields in an input error of Identity.
func holderError(err error) error {
	var e *mashang.Error
	if errors.As(err, &e) && e.Field != "" && !strings.HasPrefix(e.Field, "holder.") {
		cp := *e
		cp.Field = "holder." + e.Field
		return &cp
	}
	return mashang.Wrap(err, "accounts.holderError")
}

// notify enqueues the SMS about a status change of a (the holder's phone,
// seed 001 §10: 任何扫码员账号状态发生变化，平台都会向其预留的手机号发送状态变更的提醒短信),
// in the transaction of the change.
func (s *Service) notify(ctx context.Context, c *ent.Client, a *ent.Account, holderID int, status, reason string, at time.Time) error {
	return s.notifyMany(ctx, c, []*ent.Account{a}, map[int]int{a.ID: holderID}, status, reason, at)
}

// notifyMany enqueues one SMS per account; holders maps an account to the
// user to tell (nil: the account's holder).
func (s *Service) notifyMany(ctx context.Context, c *ent.Client, accts []*ent.Account, holders map[int]int, status, reason string, at time.Time) error {
	if len(accts) == 0 {
		return nil
	}
	holderOf := func(a *ent.Account) int {
		if h, ok := holders[a.ID]; ok {
			return h
		}
		return a.HolderID
	}
	ids := make([]int, 0, len(accts))
	for _, a := range accts {
		ids = append(ids, holderOf(a))
	}
	// The outbox is the platform's own business: read the phones without the
	// viewer's filter (they never leave the server unsealed).
	sys := authz.AsSystem(ctx)
	users, err := c.User.Query().Where(user.IDIn(ids...)).All(sys)
	if err != nil {
		return mashang.Wrap(err, "accounts.notifyMany")
	}
	byID := make(map[int]*ent.User, len(users))
	for _, u := range users {
		byID[u.ID] = u
	}
	event := reason
	if event == "" {
		event = status
	}
	msgs := make([]outbox.Message, 0, len(accts))
	for _, a := range accts {
		u := byID[holderOf(a)]
		if u == nil {
			return fmt.Errorf("accounts: holder %d of account %d not found", holderOf(a), a.ID)
		}
		msgs = append(msgs, outbox.Message{
			Key:             outbox.StatusChangeKey(a.ID, event, at),
			RecipientSealed: u.PhoneSealed,
			RecipientMasked: u.PhoneMasked,
			Body:            outbox.StatusChangeSMS(a.ID, string(a.Role), status, reason),
		})
	}
	// One multi-row INSERT per thousand holders: a cascade over 10,000
	// accounts stays well under a second (bench: BenchmarkAccounts).
	return outbox.EnqueueMany(sys, c, msgs)
}

// within is a predicate on account_path: the subtree of p, p included.
func within(p string) predicate.Account {
	return predicate.Account(func(s *sql.Selector) { tree.Within(account.FieldAccountPath, p)(s) })
}

// randomString draws n characters of alphabet from crypto/rand.
func randomString(n int, alphabet string) (string, error) {
	b := make([]byte, n)
	max := big.NewInt(int64(len(alphabet)))
	for i := range b {
		k, err := rand.Int(rand.Reader, max)
		if err != nil {
			return "", mashang.Wrap(err, "accounts.randomString")
		}
		b[i] = alphabet[k.Int64()]
	}
	return string(b), nil
}

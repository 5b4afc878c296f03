package accounts

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/reactivationrequest"
	"github.com/mashang/mashang/outbox"
)

// Disable disables an account derived from the acting account, alone or
// with every account derived from it (seed 001 §10: 可禁用下一级扫码员或其衍生的
// 全部扫码员账号). The target gets reason MANUAL; with cascade, each of its
// still active descendants gets reason CASCADE and cascade_root_id = the
// target, so Activate can re-enable exactly this cascade later. Descendants
// already disabled keep their own reason. Every disabled holder gets an SMS.
// It returns the target and the ids disabled, the target first.
//
// Sessions are not revoked: the holder of a disabled account must still be
// able to ask for its reactivation; the viewer loader refuses the disabled
// account everything else.
func (s *Service) Disable(ctx context.Context, accountID int, cascade bool) (*ent.Account, []int, error) {
	v := mashang.ViewerFromContext(ctx)
	if v == nil {
		return nil, nil, unauthenticated()
	}
	// SECURITY: keeps out ORDINARY, OFFICIAL and GRID_WORKER (TestAccountMatrix).
	if err := s.mayAtAll(v, authz.ObjAccount, authz.ActDisable); err != nil {
		return nil, nil, mashang.Wrap(err, "accounts.Disable")
	}
	now := s.now()
	var (
		out *ent.Account
		ids []int
	)
	err := database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		actor, err := s.actor(ctx, c, v)
		if err != nil {
			return err
		}
		target, err := visibleAccount(ctx, c, accountID)
		if err != nil {
			return err
		}
		// SECURITY: keeps out a caller whose scope does not reach the target
		// (TestAccountMatrix).
		if err := s.Enforcer.Check(v, authz.ObjAccount, authz.ActDisable, target.ScopePath, now); err != nil {
			return err
		}
		// SECURITY: keeps out a scanner disabling itself, its superior
		// (TestScannerCannotDisableItselfOrItsSuperior) or its holder's
		// account of another branch
		// (TestCallersKeptOut/AsASeniorDisablingItsHoldersAccountOfAnotherBranch).
		if !derived(actor, target) {
			return mashang.Errorf(mashang.EFORBIDDEN, "You may disable only accounts derived from yours (seed 001 §10: 禁用下一级扫码员或其衍生的全部扫码员账号); account %d is not.", target.ID)
		}
		if target.Status == account.StatusDISABLED {
			return mashang.Errorf(mashang.ECONFLICT, "Account %d is already disabled.", target.ID)
		}
		// Conditional on ACTIVE, so of two concurrent disables one wins and
		// the other answers CONFLICT.
		n, err := c.Account.Update().Where(account.ID(target.ID), account.StatusEQ(account.StatusACTIVE)).
			SetStatus(account.StatusDISABLED).SetDisabledReason(account.DisabledReasonMANUAL).
			SetDisabledAt(now).SetDisabledByID(actor.ID).ClearCascadeRootID().Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return mashang.Errorf(mashang.ECONFLICT, "Account %d is already disabled.", target.ID)
		}
		changed := []*ent.Account{target}
		after := []*ent.Account{disabledAs(target, account.DisabledReasonMANUAL)}
		if cascade {
			desc, err := c.Account.Query().
				Where(within(target.AccountPath), account.IDNEQ(target.ID), account.StatusEQ(account.StatusACTIVE)).
				Order(ent.Asc(account.FieldAccountPath)).All(ctx)
			if err != nil {
				return err
			}
			if len(desc) > 0 {
				descIDs := idsOf(desc)
				n, err := c.Account.Update().Where(account.IDIn(descIDs...), account.StatusEQ(account.StatusACTIVE)).
					SetStatus(account.StatusDISABLED).SetDisabledReason(account.DisabledReasonCASCADE).
					SetDisabledAt(now).SetDisabledByID(actor.ID).SetCascadeRootID(target.ID).Save(ctx)
				if err != nil {
					return err
				}
				// Every account read was disabled here, so the gauge moves
				// exactly these (issue 12); one changed meanwhile retries.
				if n != len(desc) {
					return mashang.Errorf(mashang.ECONFLICT, "Accounts below account %d changed meanwhile; disable it again.", target.ID)
				}
				changed = append(changed, desc...)
				for _, a := range desc {
					after = append(after, disabledAs(a, account.DisabledReasonCASCADE))
				}
			}
		}
		if err := s.count(ctx, c, changed, after); err != nil {
			return err
		}
		if err := s.notifyMany(ctx, c, changed[:1], nil, outbox.StatusDisabled, outbox.ReasonManual, now); err != nil {
			return err
		}
		if err := s.notifyMany(ctx, c, changed[1:], nil, outbox.StatusDisabled, outbox.ReasonCascade, now); err != nil {
			return err
		}
		ids = idsOf(changed)
		out, err = c.Account.Get(ctx, target.ID)
		return err
	})
	if err != nil {
		return nil, nil, mashang.Wrap(err, "accounts.Disable")
	}
	return out.Unwrap(), ids, nil
}

// Activate re-enables a disabled account. Only its direct superior may
// (seed 001 §7: 须上一级扫码员对其账号进行激活; §10: 由上一级扫码员对其账号进行激活),
// so the initiator for a SENIOR; the superior's superior is refused with
// FORBIDDEN (it can see the account, so NOT_FOUND would be a lie), anyone
// outside the account's branch gets NOT_FOUND. With cascade, the
// descendants that the target's cascade disabled (reason CASCADE,
// cascade_root_id = target) are re-enabled too — and no others. Pending
// reactivation requests of the re-enabled accounts become GRANTED; their
// last_active_at is set to now so the silence rule does not fire again at
// once. It returns the target and the ids re-enabled, the target first.
func (s *Service) Activate(ctx context.Context, accountID int, cascade bool) (*ent.Account, []int, error) {
	v := mashang.ViewerFromContext(ctx)
	if v == nil {
		return nil, nil, unauthenticated()
	}
	// SECURITY: keeps out ORDINARY, OFFICIAL and GRID_WORKER (TestAccountMatrix).
	if err := s.mayAtAll(v, authz.ObjAccount, authz.ActActivate); err != nil {
		return nil, nil, mashang.Wrap(err, "accounts.Activate")
	}
	now := s.now()
	var (
		out *ent.Account
		ids []int
	)
	err := database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		actor, err := s.actor(ctx, c, v)
		if err != nil {
			return err
		}
		target, err := visibleAccount(ctx, c, accountID)
		if err != nil {
			return err
		}
		// SECURITY: keeps out a caller whose scope does not reach the target
		// (TestAccountMatrix).
		if err := s.Enforcer.Check(v, authz.ObjAccount, authz.ActActivate, target.ScopePath, now); err != nil {
			return err
		}
		// SECURITY: keeps out the superior's superior
		// (TestSuperiorsSuperiorCannotActivate).
		if target.SuperiorID == nil || *target.SuperiorID != actor.ID {
			return mashang.Errorf(mashang.EFORBIDDEN, "Only the direct superior of account %d may activate it (seed 001 §10: 由上一级扫码员对其账号进行激活).", target.ID)
		}
		if target.Status == account.StatusACTIVE {
			return mashang.Errorf(mashang.ECONFLICT, "Account %d is already active.", target.ID)
		}
		// SECURITY: keeps out a superior activating an account its holder
		// has not accepted (TestASuperiorCannotActivateAnAccountItsHolderHasNotAccepted).
		if pendingConsent(target) {
			return mashang.Errorf(mashang.ECONFLICT, "Account %d waits for its holder's consent; only they can accept it.", target.ID)
		}
		n, err := c.Account.Update().Where(account.ID(target.ID), account.StatusEQ(account.StatusDISABLED),
			account.DisabledReasonNEQ(account.DisabledReasonPENDING_CONSENT)).
			SetStatus(account.StatusACTIVE).ClearDisabledReason().ClearDisabledAt().ClearDisabledByID().
			ClearCascadeRootID().SetLastActiveAt(now).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return mashang.Errorf(mashang.ECONFLICT, "Account %d is already active.", target.ID)
		}
		changed := []*ent.Account{target}
		if cascade {
			desc, err := c.Account.Query().
				Where(within(target.AccountPath), account.IDNEQ(target.ID), account.StatusEQ(account.StatusDISABLED),
					account.DisabledReasonEQ(account.DisabledReasonCASCADE), account.CascadeRootID(target.ID)).
				Order(ent.Asc(account.FieldAccountPath)).All(ctx)
			if err != nil {
				return err
			}
			if len(desc) > 0 {
				n, err := c.Account.Update().Where(account.IDIn(idsOf(desc)...), account.StatusEQ(account.StatusDISABLED)).
					SetStatus(account.StatusACTIVE).ClearDisabledReason().ClearDisabledAt().ClearDisabledByID().
					ClearCascadeRootID().SetLastActiveAt(now).Save(ctx)
				if err != nil {
					return err
				}
				if n != len(desc) {
					return mashang.Errorf(mashang.ECONFLICT, "Accounts below account %d changed meanwhile; activate it again.", target.ID)
				}
				changed = append(changed, desc...)
			}
		}
		after := make([]*ent.Account, len(changed))
		for i, a := range changed {
			after[i] = activeAs(a)
		}
		if err := s.count(ctx, c, changed, after); err != nil {
			return err
		}
		ids = idsOf(changed)
		if _, err := c.ReactivationRequest.Update().
			Where(reactivationrequest.AccountIDIn(ids...), reactivationrequest.StatusEQ(reactivationrequest.StatusPENDING)).
			SetStatus(reactivationrequest.StatusGRANTED).SetDecidedAt(now).Save(ctx); err != nil {
			return err
		}
		if err := s.notifyMany(ctx, c, changed, nil, outbox.StatusActive, outbox.ReasonActivated, now); err != nil {
			return err
		}
		out, err = c.Account.Get(ctx, target.ID)
		return err
	})
	if err != nil {
		return nil, nil, mashang.Wrap(err, "accounts.Activate")
	}
	return out.Unwrap(), ids, nil
}

// Automatic disabling reasons.
var automaticReasons = map[string][]string{
	// seed 001 §10: 中级扫码员和普通扫码员15天内未进行登录等任何操作的为静默扫码员，平台自动禁用该扫码员账号.
	outbox.ReasonSilent: {mashang.RoleIntermediate, mashang.RoleOrdinary},
	// seed 001 §7: 高级、中级和普通扫码员须进行定点扫码，如扫码位置与注册时提交的单位地址发生较大偏离，账号将自动禁用.
	outbox.ReasonGeofence: scannerRoles,
	// seed 001 §7: 所有扫码员上岗前要确保本人"吉祥码"健康状态为绿色.
	outbox.ReasonCodeNotGreen: scannerRoles,
}

// DisableAutomatically disables one account for a reason the platform
// detects itself — SILENT (INTERMEDIATE and ORDINARY only), GEOFENCE or
// CODE_NOT_GREEN (scanner roles) — with no cascade (seed 001 §10: 如中级扫码员
// 账号因静默被自动禁用，不影响下一级普通扫码员正常使用) and no acting account, and
// enqueues the holder's SMS. It is for the scan and scheduler code, never
// for a resolver: it does no authorization. client may be a transactional
// client (tx.Client()) or ctx may carry the transaction; otherwise it opens
// its own. An account already disabled answers CONFLICT and is left as it
// is.
func (s *Service) DisableAutomatically(ctx context.Context, client *ent.Client, accountID int, reason string) error {
	roles, ok := automaticReasons[reason]
	if !ok {
		return mashang.FieldErrorf(mashang.EINVALID, "reason", "%q is not an automatic disabling reason (SILENT, GEOFENCE, CODE_NOT_GREEN).", reason)
	}
	if client == nil {
		client = s.Client
	}
	now := s.now()
	sys := authz.AsSystem(ctx)
	return database.InTx(sys, client, func(ctx context.Context, c *ent.Client) error {
		a, err := c.Account.Get(ctx, accountID)
		if ent.IsNotFound(err) {
			return mashang.Errorf(mashang.ENOTFOUND, "No account %d.", accountID)
		} else if err != nil {
			return err
		}
		if !slices.Contains(roles, string(a.Role)) {
			return mashang.Errorf(mashang.EINVALID, "A %s account is not disabled for %s.", a.Role, reason)
		}
		n, err := c.Account.Update().Where(account.ID(a.ID), account.StatusEQ(account.StatusACTIVE)).
			SetStatus(account.StatusDISABLED).SetDisabledReason(account.DisabledReason(reason)).
			SetDisabledAt(now).ClearDisabledByID().ClearCascadeRootID().Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return mashang.Errorf(mashang.ECONFLICT, "Account %d is already disabled.", a.ID)
		}
		if err := s.count(ctx, c, []*ent.Account{a}, []*ent.Account{disabledAs(a, account.DisabledReason(reason))}); err != nil {
			return err
		}
		return s.notify(ctx, c, a, a.HolderID, outbox.StatusDisabled, reason, now)
	})
}

// RequestReactivation files the request of a disabled account's holder to
// its superior (seed 001 §10: 任何扫码员账号被禁用，均须向上一级扫码员提出申请).
// Only the holder may file it, whichever of their accounts they act as; one
// request per account may be pending.
func (s *Service) RequestReactivation(ctx context.Context, accountID int, note string) (*ent.ReactivationRequest, error) {
	v := mashang.ViewerFromContext(ctx)
	if v == nil {
		return nil, unauthenticated()
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 500 {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "note", "The note may have at most 500 characters.")
	}
	now := s.now()
	var out *ent.ReactivationRequest
	err := database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		a, err := visibleAccount(ctx, c, accountID)
		if err != nil {
			return err
		}
		// SECURITY: keeps out the account's superior and anyone else who
		// sees it (TestNonHolderCannotRequestReactivation).
		if a.HolderID != v.UserID {
			return mashang.Errorf(mashang.EFORBIDDEN, "Only the holder of account %d may ask for its reactivation.", a.ID)
		}
		if a.Status == account.StatusACTIVE {
			return mashang.Errorf(mashang.ECONFLICT, "Account %d is active; there is nothing to reactivate.", a.ID)
		}
		if pendingConsent(a) {
			return mashang.Errorf(mashang.ECONFLICT, "Account %d waits for your consent: accept it (acceptAccountBinding) or refuse it.", a.ID)
		}
		if a.SuperiorID == nil {
			return mashang.Errorf(mashang.ECONFLICT, "Account %d has no superior to ask.", a.ID)
		}
		sys := authz.AsSystem(ctx)
		// Serialise concurrent requests for the account (row lock until
		// commit on PostgreSQL; SQLite transactions are IMMEDIATE).
		if err := c.Account.Update().Where(account.ID(a.ID)).SetUpdatedAt(now).Exec(sys); err != nil {
			return err
		}
		pending, err := c.ReactivationRequest.Query().
			Where(reactivationrequest.AccountID(a.ID), reactivationrequest.StatusEQ(reactivationrequest.StatusPENDING)).
			Exist(sys)
		if err != nil {
			return err
		}
		if pending {
			return mashang.Errorf(mashang.ECONFLICT, "A reactivation request for account %d is already waiting for its superior.", a.ID)
		}
		out, err = c.ReactivationRequest.Create().SetAccountID(a.ID).SetSuperiorID(*a.SuperiorID).
			SetNote(note).SetCreatedAt(now).SetUpdatedAt(now).Save(ctx)
		return err
	})
	if err != nil {
		return nil, mashang.Wrap(err, "accounts.RequestReactivation")
	}
	return out.Unwrap(), nil
}

// PendingReactivations lists the pending requests waiting for the acting
// account (their direct superior), oldest first.
func (s *Service) PendingReactivations(ctx context.Context) ([]*ent.ReactivationRequest, error) {
	q, err := s.PendingReactivationsQuery(ctx)
	if err != nil {
		return nil, err
	}
	return q.Order(ent.Asc(reactivationrequest.FieldCreatedAt), ent.Asc(reactivationrequest.FieldID)).All(ctx)
}

// PendingReactivationsQuery selects the pending requests waiting for the
// acting account, for the pendingReactivations connection to page through.
func (s *Service) PendingReactivationsQuery(ctx context.Context) (*ent.ReactivationRequestQuery, error) {
	v := mashang.ViewerFromContext(ctx)
	if v == nil {
		return nil, unauthenticated()
	}
	// SECURITY: only the requests addressed to the acting account: the
	// superior's superior and other branches see none (TestRequestReactivation).
	return database.ClientFrom(ctx, s.Client).ReactivationRequest.Query().
		Where(reactivationrequest.SuperiorID(v.AccountID), reactivationrequest.StatusEQ(reactivationrequest.StatusPENDING)), nil
}

func idsOf(as []*ent.Account) []int {
	out := make([]int, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

package accounts

import (
	"context"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/application"
	"github.com/mashang/mashang/ent/grant"
	"github.com/mashang/mashang/ent/session"
	"github.com/mashang/mashang/outbox"
)

// Binding a person to an account (issue 10 §2). A phone number alone does
// not bind anyone: an account opened for, or handed to, a person waits for
// their consent — DISABLED with reason PENDING_CONSENT, its holder hidden
// from everyone but the INITIATOR (authz filter) — until they accept it in
// their own session (AcceptBinding) or refuse it (DeclineBinding).
//
// Whatever the caller, the answer must not tell whether the phone was
// registered: so every binding made by a SENIOR or INTERMEDIATE waits for
// consent, a new person's too, and such a caller always gives the initial
// password (used only for a new person). Only the province's INITIATOR,
// who reads every account and holder anyway, binds at once — a person new
// to the platform, or one whose name and ID number both match the stored
// ones (seed 001 §6: 发起扫码员具有最高管理权限); any other binding waits
// for consent as well.

// pendingConsent reports whether a waits for its holder's consent.
func pendingConsent(a *ent.Account) bool {
	return a.Status == account.StatusDISABLED && a.DisabledReason != nil && *a.DisabledReason == account.DisabledReasonPENDING_CONSENT
}

// holderFor finds or creates the user h names and decides whether binding
// them waits for their consent.
func (s *Service) holderFor(ctx context.Context, c *ent.Client, v *mashang.Viewer, h Holder) (u *ent.User, consent bool, err error) {
	initiator := v.Role == mashang.RoleInitiator
	// SECURITY: the password is asked of everyone but the INITIATOR before
	// the phone is looked up, so its absence does not tell whether the phone
	// is registered
	// (TestAnIntermediateCannotTellARegisteredPhoneFromANewOne).
	if !initiator && h.Password == "" {
		return nil, false, mashang.FieldErrorf(mashang.EINVALID, "holder.password", "Give an initial password for the holder; it is used only if they are new to the platform.")
	}
	u, created, matched, err := s.Identity.FindOrCreateHolder(ctx, c, h.Name, h.Phone, h.IDNumber, h.Password)
	if err != nil {
		return nil, false, holderError(err)
	}
	// SECURITY: nobody is bound by a phone number alone
	// (TestAnIntermediateCannotReadAStrangersHolderByGuessingTheirPhone).
	return u, !initiator || !(created || matched), nil
}

// waitForConsent sets upd so that the account, given to a new holder, waits
// for their consent; a is the account before (nil for a new one). What it
// returns to afterwards is kept: the previous holder (for a refusal) and
// its status.
func waitForConsent(upd *ent.AccountUpdateOne, a *ent.Account, now time.Time) {
	if a != nil && pendingConsent(a) {
		return // already waiting: it returns to what it was before the first hand-over
	}
	upd.SetStatus(account.StatusDISABLED).SetDisabledReason(account.DisabledReasonPENDING_CONSENT)
	if a == nil {
		upd.SetDisabledAt(now)
		return
	}
	upd.SetConsentPreviousHolderID(a.HolderID)
	if a.Status == account.StatusACTIVE {
		upd.SetDisabledAt(now).SetConsentRestoreReason("")
	} else if a.DisabledReason != nil {
		upd.SetConsentRestoreReason(string(*a.DisabledReason))
	}
}

// endConsent sets upd so that a, which waited for consent, returns to the
// status it had before.
func endConsent(upd *ent.AccountUpdate, a *ent.Account, now time.Time) {
	if a.ConsentRestoreReason != nil && *a.ConsentRestoreReason != "" {
		upd.SetDisabledReason(account.DisabledReason(*a.ConsentRestoreReason))
	} else {
		// The silence period (seed 001 §10) counts from the acceptance.
		upd.SetStatus(account.StatusACTIVE).ClearDisabledReason().ClearDisabledAt().ClearDisabledByID().
			ClearCascadeRootID().SetLastActiveAt(now)
	}
	upd.ClearConsentPreviousHolderID().ClearConsentRestoreReason()
}

// pendingFor reads the account accountID that waits for v's consent; any
// other answers NOT_FOUND alike.
func pendingFor(ctx context.Context, c *ent.Client, v *mashang.Viewer, accountID int) (*ent.Account, error) {
	a, err := c.Account.Get(ctx, accountID)
	if err != nil && !ent.IsNotFound(err) {
		return nil, mashang.Wrap(err, "accounts.pendingFor")
	}
	// SECURITY: only the person the account waits for accepts or refuses
	// it; its superior and everyone else get NOT_FOUND
	// (TestASuperiorCannotAcceptABindingForItsHolder).
	if ent.IsNotFound(err) || a.HolderID != v.UserID || !pendingConsent(a) {
		return nil, mashang.Errorf(mashang.ENOTFOUND, "No account %d waits for your consent.", accountID)
	}
	return a, nil
}

// AcceptBinding is the holder's consent to an account that waits for it:
// the account becomes what it was before it was handed over (ACTIVE for a
// new one).
func (s *Service) AcceptBinding(ctx context.Context, accountID int) (*ent.Account, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out *ent.Account
	err = database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		a, err := pendingFor(ctx, c, v, accountID)
		if err != nil {
			return err
		}
		upd := c.Account.Update().Where(account.ID(a.ID), account.DisabledReasonEQ(account.DisabledReasonPENDING_CONSENT))
		endConsent(upd, a, now)
		if n, err := upd.Save(authz.AsSystem(ctx)); err != nil {
			return err
		} else if n == 0 {
			return mashang.Errorf(mashang.ECONFLICT, "Account %d changed meanwhile; reload it.", a.ID)
		}
		if out, err = c.Account.Get(ctx, a.ID); err != nil {
			return err
		}
		return s.count(ctx, c, []*ent.Account{a}, []*ent.Account{out})
	})
	if err != nil {
		return nil, mashang.Wrap(err, "accounts.AcceptBinding")
	}
	return out.Unwrap(), nil
}

// DeclineBinding is the holder's refusal of an account that waits for their
// consent: a new account is deleted (it never served), a replaced one
// returns to its previous holder and status, who is told by SMS.
func (s *Service) DeclineBinding(ctx context.Context, accountID int) error {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	err = database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		a, err := pendingFor(ctx, c, v, accountID)
		if err != nil {
			return err
		}
		sys := authz.AsSystem(ctx)
		if a.ConsentPreviousHolderID == nil {
			if err := deleteUnused(sys, c, a.ID); err != nil {
				return err
			}
			return s.count(ctx, c, []*ent.Account{a}, nil)
		}
		upd := c.Account.Update().Where(account.ID(a.ID), account.DisabledReasonEQ(account.DisabledReasonPENDING_CONSENT)).
			SetHolderID(*a.ConsentPreviousHolderID)
		endConsent(upd, a, now)
		if n, err := upd.Save(sys); err != nil {
			return err
		} else if n == 0 {
			return mashang.Errorf(mashang.ECONFLICT, "Account %d changed meanwhile; reload it.", a.ID)
		}
		if err := s.Identity.RevokeAccountSessions(ctx, c, a.ID); err != nil {
			return err
		}
		back, err := c.Account.Get(sys, a.ID)
		if err != nil {
			return err
		}
		if err := s.count(ctx, c, []*ent.Account{a}, []*ent.Account{back}); err != nil {
			return err
		}
		status := outbox.StatusActive
		if back.Status == account.StatusDISABLED {
			status = outbox.StatusDisabled
		}
		return s.notify(ctx, c, back, back.HolderID, status, outbox.ReasonHolderAssigned, now)
	})
	return mashang.Wrap(err, "accounts.DeclineBinding")
}

// deleteUnused deletes a new account its holder refused, with what may
// point at it: the sessions acting as it, grants given to it meanwhile,
// and the link from the senior application that opened it.
func deleteUnused(ctx context.Context, c *ent.Client, id int) error {
	if _, err := c.Session.Delete().Where(session.AccountID(id)).Exec(ctx); err != nil {
		return mashang.Wrap(err, "accounts.deleteUnused")
	}
	if _, err := c.Grant.Delete().Where(grant.AccountID(id)).Exec(ctx); err != nil {
		return mashang.Wrap(err, "accounts.deleteUnused")
	}
	if err := c.Application.Update().Where(application.AccountID(id)).ClearAccountID().Exec(ctx); err != nil {
		return mashang.Wrap(err, "accounts.deleteUnused")
	}
	return mashang.Wrap(c.Account.DeleteOneID(id).Exec(ctx), "accounts.deleteUnused")
}

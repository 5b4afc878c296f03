package accounts

import (
	"context"
	"strconv"
	"strings"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/audit"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/user"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/validate"
)

// HolderCodes is what this package needs from the persons service
// (*persons.Service implements it): a scanner's own health code is the
// person registered with their resident ID number (seed 001 §7: 所有扫码员
// 上岗前要确保本人“吉祥码”健康状态为绿色).
type HolderCodes interface {
	// HasResident reports whether a person is registered with this resident
	// ID number.
	HasResident(ctx context.Context, c *ent.Client, idNumber string) (bool, error)
	// EnsureResident registers the person with this resident ID number
	// unless one is registered already (then it is linked as it is: its
	// colour is never touched). The record waits for its holder to claim it
	// from their own app (registerPerson with the same name and number).
	EnsureResident(ctx context.Context, c *ent.Client, name, idNumber, phone string, regionID int) error
}

// Holder code states (Account.holderCode).
const (
	// HolderCodeLinked: the holder's ID number names a registered person,
	// whose colour the door checks (seed 001 §7).
	HolderCodeLinked = "LINKED"
	// HolderCodeNoIDNumber: the holder has no ID number on the platform:
	// their first scan answers SCANNER_NO_CODE until one is given
	// (setAccountHolderIdNumber).
	HolderCodeNoIDNumber = "NO_ID_NUMBER"
	// HolderCodeNotRegistered: the ID number names nobody registered (a
	// deployment without HolderCodes).
	HolderCodeNotRegistered = "NOT_REGISTERED"
)

// linkHolderCode links the holder u's health code to their new account, or
// registers it (issue 11, point 16). A new record has no residence (where
// an account works says nothing about where its holder lives): the holder
// gives it when they claim the record. A holder without an ID number is
// left as is: HolderCode says so.
func (s *Service) linkHolderCode(ctx context.Context, c *ent.Client, u *ent.User) error {
	if s.Codes == nil || u.IDNumberSealed == nil || len(*u.IDNumberSealed) == 0 {
		return nil
	}
	id, err := s.Box.Open(pii.FieldIDNumber, *u.IDNumberSealed)
	if err != nil {
		return mashang.Wrap(err, "accounts.linkHolderCode")
	}
	phone, err := s.Box.Open(pii.FieldPhone, u.PhoneSealed)
	if err != nil {
		return mashang.Wrap(err, "accounts.linkHolderCode")
	}
	return mashang.Wrap(s.Codes.EnsureResident(authz.AsSystem(ctx), c, u.Name, id, phone, 0), "accounts.linkHolderCode")
}

// HolderCode says whether the holder of a (an account the caller sees)
// has a health code the door can check: LINKED, NO_ID_NUMBER or
// NOT_REGISTERED; "" while the holder is hidden from the caller (an
// account waiting for its holder's consent, seen by someone else than the
// holder or the INITIATOR, like Account.holder).
func (s *Service) HolderCode(ctx context.Context, a *ent.Account) (string, error) {
	v := mashang.ViewerFromContext(ctx)
	// SECURITY: says nothing about a holder who has not consented yet
	// (TestANewScannerCanScanWithoutSomeoneRegisteringTheirCode; as
	// Account.holder, TestAnIntermediateCannotReadTheInitiatorsDataThroughCreateAccount).
	if v == nil || (pendingConsent(a) && v.UserID != a.HolderID && v.Role != mashang.RoleInitiator) {
		return "", nil
	}
	c := database.ClientFrom(ctx, s.Client)
	u, err := c.User.Query().Where(user.ID(a.HolderID)).Only(authz.AsSystem(ctx))
	if err != nil {
		return "", mashang.Wrap(err, "accounts.HolderCode")
	}
	if u.IDNumberSealed == nil || len(*u.IDNumberSealed) == 0 {
		return HolderCodeNoIDNumber, nil
	}
	if s.Codes == nil {
		return HolderCodeNotRegistered, nil
	}
	id, err := s.Box.Open(pii.FieldIDNumber, *u.IDNumberSealed)
	if err != nil {
		return "", mashang.Wrap(err, "accounts.HolderCode")
	}
	ok, err := s.Codes.HasResident(authz.AsSystem(ctx), c, id)
	if err != nil || !ok {
		return HolderCodeNotRegistered, mashang.Wrap(err, "accounts.HolderCode")
	}
	return HolderCodeLinked, nil
}

// SetHolderIDNumber gives the holder of an account, created without one,
// their resident ID number, and links or registers their health code with
// it (issue 11, point 16). The holder may do it, and so may whoever may
// replace the holder (a superior the account is derived from). An ID
// number once given is never changed here. Audited with the mask only.
func (s *Service) SetHolderIDNumber(ctx context.Context, accountID int, idNumber string) (*ent.Account, error) {
	v := mashang.ViewerFromContext(ctx)
	if v == nil {
		return nil, unauthenticated()
	}
	idNumber = strings.ToUpper(strings.TrimSpace(idNumber))
	if err := validate.ResidentID(idNumber); err != nil {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "idNumber", "The holder's %v.", err)
	}
	now := s.now()
	var out *ent.Account
	err := database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		target, err := visibleAccount(ctx, c, accountID)
		if err != nil {
			return err
		}
		if target.HolderID != v.UserID {
			actor, err := s.actor(ctx, c, v)
			if err != nil {
				return err
			}
			// SECURITY: keeps out everyone but the holder and a superior who
			// may replace the holder of the account
			// (TestAnOrdinaryScannerCannotGiveAnotherScannerAnIdNumber).
			if err := s.Enforcer.Check(v, authz.AccountObject(string(target.Role)), authz.ActReplace, target.ScopePath, now); err != nil {
				return err
			}
			if !derived(actor, target) {
				return mashang.Errorf(mashang.EFORBIDDEN, "Only the holder or a superior of account %d may give its holder an ID number.", target.ID)
			}
		}
		sys := authz.AsSystem(ctx)
		u, err := c.User.Get(sys, target.HolderID)
		if err != nil {
			return mashang.Wrap(err, "accounts.SetHolderIDNumber")
		}
		if u.IDNumberHash != nil {
			return mashang.FieldErrorf(mashang.ECONFLICT, "idNumber", "The holder of account %d already has an ID number; it is not changed.", target.ID)
		}
		hash := s.Box.Hash(pii.FieldIDNumber, idNumber)
		if taken, err := c.User.Query().Where(user.IDNumberHash(hash)).Exist(sys); err != nil {
			return mashang.Wrap(err, "accounts.SetHolderIDNumber")
		} else if taken {
			return mashang.FieldErrorf(mashang.ECONFLICT, "idNumber", "This ID number belongs to another user of the platform; check it.")
		}
		if u, err = u.Update().Where(user.IDNumberHashIsNil()).SetIDNumberSealed(s.Box.Seal(pii.FieldIDNumber, idNumber)).
			SetIDNumberHash(hash).SetIDNumberMasked(pii.MaskID(idNumber)).Save(sys); err != nil {
			return mashang.Wrap(err, "accounts.SetHolderIDNumber")
		}
		if err := s.linkHolderCode(ctx, c, u); err != nil {
			return err
		}
		acct := v.AccountID
		if err := audit.Record(sys, c, audit.Event{AccountID: &acct, Action: "setHolderIdNumber",
			Target: "account:" + strconv.Itoa(target.ID), Detail: map[string]any{"idNumberMasked": pii.MaskID(idNumber)}}, now); err != nil {
			return mashang.Wrap(err, "accounts.SetHolderIDNumber")
		}
		out = target
		return nil
	})
	if err != nil {
		return nil, mashang.Wrap(err, "accounts.SetHolderIDNumber")
	}
	return out.Unwrap(), nil
}

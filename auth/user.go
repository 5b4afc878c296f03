package auth

import (
	"context"
	"strings"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/ent/user"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/validate"
)

// CreateUser finds the user with the phone number (by its keyed hash) or
// creates one, through client (which may be a transaction's client). It
// returns the user and whether it was created.
//
// A new user needs a password that passes ValidatePassword; phone and ID
// number are stored sealed, hashed and masked, never in plain text. For an
// existing user the password is ignored (opening an account for someone
// must not reset their password), a missing ID number is filled in, and a
// different ID number is a CONFLICT.
func (s *Service) CreateUser(ctx context.Context, client *ent.Client, name, phone, idNumber, password string) (*ent.User, bool, error) {
	ctx = systemContext(ctx)
	if client == nil {
		client = s.conn(ctx)
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, false, mashang.FieldErrorf(mashang.EINVALID, "name", "Name is required.")
	}
	if n := len([]rune(name)); n > 100 {
		return nil, false, mashang.FieldErrorf(mashang.EINVALID, "name", "Name must have at most 100 characters; it has %d.", n)
	}
	p, err := validate.NormalizePhone(phone)
	if err != nil {
		return nil, false, mashang.FieldErrorf(mashang.EINVALID, "phone", "Phone number is not valid: %v.", err)
	}
	idNumber = strings.ToUpper(strings.TrimSpace(idNumber))
	var idHash string
	if idNumber != "" {
		if err := validate.ResidentID(idNumber); err != nil {
			return nil, false, mashang.FieldErrorf(mashang.EINVALID, "idNumber", "ID number is not valid: %v.", err)
		}
		if err := knownRegion(ctx, client, idNumber); err != nil {
			return nil, false, err
		}
		idHash = s.box.Hash(pii.FieldIDNumber, idNumber)
	}
	phoneHash := s.box.Hash(pii.FieldPhone, p)

	existing, err := client.User.Query().Where(user.PhoneHash(phoneHash)).Only(ctx)
	switch {
	case err == nil:
		if idNumber == "" {
			return existing, false, nil
		}
		if existing.IDNumberHash != nil {
			if *existing.IDNumberHash != idHash {
				return nil, false, mashang.FieldErrorf(mashang.ECONFLICT, "idNumber", "A user with this phone number is already registered with a different ID number; check both numbers.")
			}
			return existing, false, nil
		}
		if err := s.idNumberFree(ctx, client, idHash); err != nil {
			return nil, false, mashang.Wrap(err, "auth.CreateUser")
		}
		u, err := existing.Update().
			SetIDNumberSealed(s.box.Seal(pii.FieldIDNumber, idNumber)).
			SetIDNumberHash(idHash).
			SetIDNumberMasked(pii.MaskID(idNumber)).
			Save(ctx)
		if err != nil {
			return nil, false, conflictOr(err)
		}
		return u, false, nil
	case !ent.IsNotFound(err):
		return nil, false, mashang.Wrap(err, "auth.CreateUser")
	}

	if err := ValidatePassword(password); err != nil {
		return nil, false, mashang.Wrap(err, "auth.CreateUser")
	}
	if idNumber != "" {
		if err := s.idNumberFree(ctx, client, idHash); err != nil {
			return nil, false, mashang.Wrap(err, "auth.CreateUser")
		}
	}
	pwHash, err := HashPassword(password)
	if err != nil {
		return nil, false, mashang.Wrap(err, "auth.CreateUser")
	}
	create := s.newUser(client, name, p, phoneHash, pwHash, idNumber, idHash)
	u, err := create.Save(ctx)
	if err != nil {
		return nil, false, conflictOr(err)
	}
	return u, true, nil
}

// idNumberFree refuses an ID number another user (with another phone)
// already has: one natural person is one user.
func (s *Service) idNumberFree(ctx context.Context, client *ent.Client, idHash string) error {
	taken, err := client.User.Query().Where(user.IDNumberHash(idHash)).Exist(ctx)
	if err != nil {
		return mashang.Wrap(err, "auth.idNumberFree")
	}
	if taken {
		return mashang.FieldErrorf(mashang.ECONFLICT, "idNumber", "This ID number is already registered with another phone number; use that phone number, or check the ID number.")
	}
	return nil
}

// conflictOr turns a unique-constraint violation (a concurrent registration
// of the same phone or ID number) into a CONFLICT without echoing the values.
func conflictOr(err error) error {
	if ent.IsConstraintError(err) {
		return mashang.Errorf(mashang.ECONFLICT, "This phone number or ID number was registered at the same moment by someone else; try again.")
	}
	return mashang.Wrap(err, "auth.conflictOr")
}

// FindOrCreateHolder finds the user with the phone number, or creates one,
// for binding to an account (accounts.Identity). Unlike CreateUser it never
// refuses for what it found — a different ID number, an ID number another
// user holds — since that would tell the caller who is registered (issue 10
// §2); instead it reports what only the accounts service may act on:
// whether the user was created, and whether name and ID number both match
// the stored ones (matched is false for a created user).
//
// A password that is given is validated and hashed whether or not the
// user exists, so neither the answer nor its time depends on it; a user
// created needs one. A user created with an ID number that another user
// already holds is created without it (one natural person is one user).
func (s *Service) FindOrCreateHolder(ctx context.Context, client *ent.Client, name, phone, idNumber, password string) (u *ent.User, created, matched bool, err error) {
	ctx = systemContext(ctx)
	if client == nil {
		client = s.conn(ctx)
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, false, false, mashang.FieldErrorf(mashang.EINVALID, "name", "Name is required.")
	}
	if n := len([]rune(name)); n > 100 {
		return nil, false, false, mashang.FieldErrorf(mashang.EINVALID, "name", "Name must have at most 100 characters; it has %d.", n)
	}
	p, err := validate.NormalizePhone(phone)
	if err != nil {
		return nil, false, false, mashang.FieldErrorf(mashang.EINVALID, "phone", "Phone number is not valid: %v.", err)
	}
	idNumber = strings.ToUpper(strings.TrimSpace(idNumber))
	var idHash string
	if idNumber != "" {
		if err := validate.ResidentID(idNumber); err != nil {
			return nil, false, false, mashang.FieldErrorf(mashang.EINVALID, "idNumber", "ID number is not valid: %v.", err)
		}
		if err := knownRegion(ctx, client, idNumber); err != nil {
			return nil, false, false, err
		}
		idHash = s.box.Hash(pii.FieldIDNumber, idNumber)
	}
	var pwHash string
	if password != "" {
		if err := ValidatePassword(password); err != nil {
			return nil, false, false, mashang.Wrap(err, "auth.FindOrCreateHolder")
		}
		// SECURITY: hashed for a registered phone too, so the time of the
		// answer does not tell whether the phone is registered.
		if pwHash, err = HashPassword(password); err != nil {
			return nil, false, false, mashang.Wrap(err, "auth.FindOrCreateHolder")
		}
	}
	phoneHash := s.box.Hash(pii.FieldPhone, p)
	existing, err := client.User.Query().Where(user.PhoneHash(phoneHash)).Only(ctx)
	switch {
	case err == nil:
		matched = idHash != "" && existing.IDNumberHash != nil && *existing.IDNumberHash == idHash && existing.Name == name
		return existing, false, matched, nil
	case !ent.IsNotFound(err):
		return nil, false, false, mashang.Wrap(err, "auth.FindOrCreateHolder")
	}
	if pwHash == "" {
		return nil, false, false, mashang.FieldErrorf(mashang.EINVALID, "password", "Give an initial password for a person new to the platform.")
	}
	if idHash != "" {
		taken, err := client.User.Query().Where(user.IDNumberHash(idHash)).Exist(ctx)
		if err != nil {
			return nil, false, false, mashang.Wrap(err, "auth.FindOrCreateHolder")
		}
		if taken {
			idNumber, idHash = "", ""
		}
	}
	create := s.newUser(client, name, p, phoneHash, pwHash, idNumber, idHash)
	u, err = create.Save(ctx)
	if err != nil {
		return nil, false, false, conflictOr(err)
	}
	return u, true, false, nil
}

// knownRegion refuses a resident ID number whose region (digits 1–6) the
// division table does not hold, where the table holds its province's
// districts (validate.ResidentID checks the province itself always). Note:
// a number issued in a region abolished since keeps the old code, so such
// a person is refused until the division table holds that code too.
func knownRegion(ctx context.Context, client *ent.Client, idNumber string) error {
	code := validate.RegionPrefix(idNumber)
	known, err := client.Region.Query().Where(region.Code(code)).Exist(ctx)
	if err != nil || known {
		return mashang.Wrap(err, "auth.knownRegion")
	}
	loaded, err := client.Region.Query().Where(region.LevelEQ(region.LevelDISTRICT), region.CodeHasPrefix(code[:2])).Exist(ctx)
	if err != nil {
		return mashang.Wrap(err, "auth.knownRegion")
	}
	if loaded {
		return mashang.FieldErrorf(mashang.EINVALID, "idNumber", "ID number is not valid: its region (digits 1–6) is not in the division table; check the number for a typing error.")
	}
	return nil
}

// newUser prepares a user row: the phone and the ID number (when given)
// sealed, with their lookup hashes and masks beside them (DESIGN §8).
func (s *Service) newUser(client *ent.Client, name, phone, phoneHash, pwHash, idNumber, idHash string) *ent.UserCreate {
	create := client.User.Create().
		SetName(name).
		SetPhoneSealed(s.box.Seal(pii.FieldPhone, phone)).
		SetPhoneHash(phoneHash).
		SetPhoneMasked(pii.MaskPhone(phone)).
		SetPasswordHash(pwHash)
	if idNumber != "" {
		create.SetIDNumberSealed(s.box.Seal(pii.FieldIDNumber, idNumber)).
			SetIDNumberHash(idHash).
			SetIDNumberMasked(pii.MaskID(idNumber))
	}
	return create
}

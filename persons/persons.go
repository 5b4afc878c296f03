// Package persons is the registry of health-code holders: registration with
// sealed personal data (DESIGN.md §8), the versioned colour rule set
// (DESIGN.md §6; seed 003 §五(二) 实时调整规则) and every change of a person's
// colour (seed 001 §4 “吉祥码”健康状态: 绿、黄、橙、红).
//
// Colours are never set directly: a fact about the person changes (an
// official's risk change, an on-site temperature, a test result, a daily
// declaration, the end of a quarantine) and the person is re-evaluated by
// the rule set in force (health.Transition), which records a ColourChange
// with its cause whenever the colour changes.
//
// Every method that serves a caller checks that caller itself (access.go:
// the personToken, the scope filter, Casbin on the person's residence, the
// PII_VIEWER grant); the methods the system calls on its own (sweeps, scans'
// readings, control-list jobs, the demo) say so. Every call runs in one
// transaction (database.InTx): the one in the context when there is one,
// else its own. Errors never carry an unmasked name, ID or phone number.
package persons

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/audit"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/health"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/stats"
	"github.com/mashang/mashang/validate"
)

// Zone is the province's time zone (China Standard Time, no daylight
// saving): the day of a health declaration is a day in this zone.
var Zone = time.FixedZone("CST", 8*60*60)

// Service registers persons and keeps their colours.
type Service struct {
	Client *ent.Client
	// Enforcer decides the callers' actions (access.go); nil means the
	// embedded policy.
	Enforcer *authz.Enforcer
	Box      *pii.Box
	Now      func() time.Time // time.Now when nil
	// OnColourChange, when set, is called in the transaction that changes a
	// person's colour, after the change is written (the alerts of seed 004
	// annex note 3 hook in here). An error rolls the change back.
	OnColourChange func(ctx context.Context, c *ent.Client, p *ent.Person, from, to, cause string) error
	// Rollups keeps the statistics of registrations, residence changes and
	// colour changes (issue 12), in the transaction of the write; nil keeps
	// none.
	Rollups *stats.Rollups

	// Dialect is dialect.SQLite or dialect.Postgres; found by asking the
	// database when empty.
	Dialect string

	// RuleCacheTTL is how long the rule version in force is remembered
	// between lookups: 0 means DefaultRuleCacheTTL, negative never.
	RuleCacheTTL time.Duration

	// PreviewPersons is how many persons PreviewRuleSet re-evaluates (the
	// most recently registered); 0 means DefaultPreviewPersons.
	PreviewPersons int

	mu            sync.Mutex
	probed        string
	active        *health.Program
	activeVersion int
	activeAt      time.Time
	programs      map[int]*health.Program // compiled rule sets by version
	keys          []string                // the key-area list in force
	keysAt        time.Time               // when keys was read; zero: read again
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// client is the client a call works with when the caller gives none:
// client itself, else s.Client. database.InTx and database.ClientFrom prefer
// the transaction in the context to either.
func (s *Service) client(client *ent.Client) *ent.Client {
	if client == nil {
		return s.Client
	}
	return client
}

// RegisterInput is a person to register. IDType is one of RESIDENT_ID,
// PASSPORT, HK_MACAO_PERMIT, TAIWAN_PERMIT, FOREIGN_PERMANENT_RESIDENT, OTHER.
// Phone is optional. ResidenceRegionID 0 means unknown.
type RegisterInput struct {
	Name, IDType, IDNumber, Phone string
	ResidenceRegionID             int
	// Address is the residence address (optional): sealed, masked in the
	// API, read in full only by the grid worker of an open visit (issue 11,
	// point 13; alerts.Service.Contact).
	Address string
}

// maxAddress bounds an address, in characters.
const maxAddress = 200

// address validates and trims an address; "" when none is given.
func address(a string) (string, error) {
	a = strings.Join(strings.Fields(a), " ")
	if utf8.RuneCountInString(a) > maxAddress {
		return "", mashang.FieldErrorf(mashang.EINVALID, "address", "The address may have at most %d characters.", maxAddress)
	}
	return a, nil
}

// otherDocument is the format of a document number other than a resident ID.
var otherDocument = regexp.MustCompile(`^[A-Z0-9]{5,20}$`)

// NormalizeDocument validates a document number for its type and returns it
// normalised (upper case, no spaces). A resident ID is checked by GB 11643
// (birth date and check digit); other documents by format only: 5–20
// letters or digits. Errors name the field idNumber and never echo the number.
func NormalizeDocument(idType, number string) (string, error) {
	if err := person.IDTypeValidator(person.IDType(idType)); err != nil {
		return "", mashang.FieldErrorf(mashang.EINVALID, "idType", "Document type %q is not one of RESIDENT_ID, PASSPORT, HK_MACAO_PERMIT, TAIWAN_PERMIT, FOREIGN_PERMANENT_RESIDENT, OTHER.", idType)
	}
	n := strings.ToUpper(strings.Join(strings.Fields(number), ""))
	if n == "" {
		return "", mashang.FieldErrorf(mashang.EINVALID, "idNumber", "Give the document number.")
	}
	if idType == person.IDTypeRESIDENT_ID.String() {
		if err := validate.ResidentID(n); err != nil {
			return "", mashang.FieldErrorf(mashang.EINVALID, "idNumber", "%v", err)
		}
		return n, nil
	}
	if !otherDocument.MatchString(n) {
		return "", mashang.FieldErrorf(mashang.EINVALID, "idNumber", "A %s number must be 5 to 20 letters or digits.", idType)
	}
	return n, nil
}

// DocumentHash is the keyed lookup hash of a document: over
// id_type + ":" + normalised number, so a passport and a resident ID with
// the same characters are different documents.
func (s *Service) DocumentHash(idType, normalised string) string {
	return s.Box.Hash(pii.FieldIDNumber, idType+":"+normalised)
}

// Register creates a person. The ID number (and phone, when given) are
// sealed with a keyed hash and a mask beside them (DESIGN.md §8); the colour
// is evaluated at once by the rule set in force (GREEN for a person with
// nothing abnormal) and its version recorded. A document registered before
// is a CONFLICT.
// SECURITY: anyone may register (a resident's own app, an official for a
// resident, a scanner for a MANUAL visitor); the system writes the person,
// and the caller learns nothing but the new person's masked data. The API
// limits anonymous registrations per address.
func (s *Service) Register(ctx context.Context, in RegisterInput) (*ent.Person, error) {
	name := strings.TrimSpace(in.Name)
	if name == "" {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "name", "Give the person's name.")
	}
	if utf8.RuneCountInString(name) > 100 {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "name", "The name may have at most 100 characters.")
	}
	number, err := NormalizeDocument(in.IDType, in.IDNumber)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.Register")
	}
	var phone string
	if strings.TrimSpace(in.Phone) != "" {
		if phone, err = validate.NormalizePhone(in.Phone); err != nil {
			return nil, mashang.FieldErrorf(mashang.EINVALID, "phone", "%v", err)
		}
	}
	addr, err := address(in.Address)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.Register")
	}
	hash := s.DocumentHash(in.IDType, number)
	now := s.now()
	var out *ent.Person
	err = database.InTx(asSystem(ctx), s.Client, func(ctx context.Context, c *ent.Client) error {
		taken, err := c.Person.Query().Where(person.IDNumberHash(hash)).Exist(ctx)
		if err != nil {
			return err
		}
		if taken {
			return mashang.FieldErrorf(mashang.ECONFLICT, "idNumber", "This %s document is already registered.", in.IDType)
		}
		create := c.Person.Create().
			SetName(name).SetNameMasked(pii.MaskName(name)).
			SetIDType(person.IDType(in.IDType)).
			SetIDNumberSealed(s.Box.Seal(pii.FieldIDNumber, number)).
			SetIDNumberHash(hash).
			SetIDNumberMasked(pii.MaskID(number))
		if phone != "" {
			create.SetPhoneSealed(s.Box.Seal(pii.FieldPhone, phone)).
				SetPhoneHash(s.Box.Hash(pii.FieldPhone, phone)).
				SetPhoneMasked(pii.MaskPhone(phone))
		}
		if addr != "" {
			create.SetAddressSealed(s.Box.Seal(pii.FieldAddress, addr)).SetAddressMasked(pii.MaskAddress(addr))
		}
		code := ""
		if in.ResidenceRegionID != 0 {
			r, err := c.Region.Get(ctx, in.ResidenceRegionID)
			if ent.IsNotFound(err) {
				return mashang.FieldErrorf(mashang.EINVALID, "residenceRegionId", "No region %d.", in.ResidenceRegionID)
			}
			if err != nil {
				return err
			}
			create.SetResidenceRegionID(r.ID).SetResidencePath(r.Path)
			code = r.Code
		}
		prg, version, err := s.activeProgram(ctx, c)
		if err != nil {
			return err
		}
		keys, err := s.keyAreas(ctx, c)
		if err != nil {
			return err
		}
		colour, _, err := prg.Evaluate(health.Facts{Risk: health.RiskNone, Region: code, KeyAreas: keys, Now: now})
		if err != nil {
			return fmt.Errorf("persons: evaluate rules v%d: %w", version, err)
		}
		p, err := create.SetColour(scenario.Colour(colour)).SetRuleVersion(version).Save(ctx)
		if ent.IsConstraintError(err) {
			return mashang.FieldErrorf(mashang.ECONFLICT, "idNumber", "This %s document is already registered.", in.IDType)
		}
		if err != nil {
			return err
		}
		out = p
		return s.Rollups.Apply(ctx, c, stats.RegistrationDelta(p.CreatedAt, p.ResidencePath, 1))
	})
	if err != nil {
		return nil, mashang.Wrap(err, "persons.Register")
	}
	return out, nil
}

// RegisterWithToken registers a person (Register), or lets them claim the
// record a control list or a door made for them before they registered
// (claim), and issues the credential of their own app (IssueSecret), in
// one transaction.
func (s *Service) RegisterWithToken(ctx context.Context, in RegisterInput) (*ent.Person, string, error) {
	var (
		p      *ent.Person
		secret string
	)
	err := database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		claimed, err := s.claim(ctx, c, in)
		if err != nil {
			return err
		}
		if p = claimed; p == nil {
			if p, err = s.Register(ctx, in); err != nil {
				return err
			}
		}
		secret, err = s.IssueSecret(ctx, p)
		return err
	})
	if err != nil {
		return nil, "", mashang.Wrap(err, "persons.RegisterWithToken")
	}
	return p, secret, nil
}

// Get returns a person by id, NOT_FOUND when there is none.
func (s *Service) get(ctx context.Context, c *ent.Client, id int) (*ent.Person, error) {
	p, err := c.Person.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, mashang.FieldErrorf(mashang.ENOTFOUND, "personId", "No person %d.", id)
	}
	return p, mashang.Wrap(err, "persons.get")
}

// claim returns the person of in's document when that record was made
// without its holder (by a control-list import or a MANUAL registration at
// a door: it has no personToken yet) and in gives the name it was made
// with, after handing it to the holder: the phone is set when given, the
// residence when the record has none. The colour, the risk and every other
// fact stay as the province set them: a claim never lowers a colour (issue
// 11, point 8). nil, nil when the document is not registered; the same
// CONFLICT as Register when it is registered to someone holding a token, or
// under another name. The claim is audited.
// SECURITY: the proof asked is registration's own (name and document); a
// record already claimed is never taken over (the update is conditional on
// it having no token, so two claims at once cannot both win).
func (s *Service) claim(ctx context.Context, c *ent.Client, in RegisterInput) (*ent.Person, error) {
	number, err := NormalizeDocument(in.IDType, in.IDNumber)
	if err != nil {
		return nil, nil // Register reports it
	}
	sys := asSystem(ctx)
	p, err := c.Person.Query().Where(person.IDNumberHash(s.DocumentHash(in.IDType, number))).Only(sys)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, mashang.Wrap(err, "persons.claim")
	}
	taken := mashang.FieldErrorf(mashang.ECONFLICT, "idNumber", "This document (%s %s) is already registered.", in.IDType, pii.MaskID(number))
	if p.SecretHash != nil || strings.TrimSpace(in.Name) != p.Name {
		return nil, taken
	}
	upd := c.Person.Update().Where(person.ID(p.ID), person.SecretHashIsNil())
	if strings.TrimSpace(in.Phone) != "" {
		phone, err := validate.NormalizePhone(in.Phone)
		if err != nil {
			return nil, mashang.FieldErrorf(mashang.EINVALID, "phone", "%v", err)
		}
		upd.SetPhoneSealed(s.Box.Seal(pii.FieldPhone, phone)).SetPhoneHash(s.Box.Hash(pii.FieldPhone, phone)).SetPhoneMasked(pii.MaskPhone(phone))
	}
	if addr, err := address(in.Address); err != nil {
		return nil, err
	} else if addr != "" {
		upd.SetAddressSealed(s.Box.Seal(pii.FieldAddress, addr)).SetAddressMasked(pii.MaskAddress(addr))
	}
	if in.ResidenceRegionID != 0 && p.ResidenceRegionID == nil {
		r, err := c.Region.Get(sys, in.ResidenceRegionID)
		if ent.IsNotFound(err) {
			return nil, mashang.FieldErrorf(mashang.EINVALID, "residenceRegionId", "No region %d.", in.ResidenceRegionID)
		}
		if err != nil {
			return nil, mashang.Wrap(err, "persons.claim")
		}
		upd.SetResidenceRegionID(r.ID).SetResidencePath(r.Path)
	}
	// A placeholder hash marks the record claimed within this statement;
	// IssueSecret replaces it with the credential's.
	n, err := upd.SetSecretHash("claimed").Save(sys)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.claim")
	}
	if n != 1 {
		return nil, taken
	}
	now := s.now()
	if err := audit.Record(sys, c, audit.Event{Action: "claimPerson", Target: "person:" + strconv.Itoa(p.ID),
		Detail: map[string]any{"colour": p.Colour.String()}}, now); err != nil {
		return nil, mashang.Wrap(err, "persons.claim")
	}
	before := p.ResidencePath
	if p, err = c.Person.Get(sys, p.ID); err != nil {
		return nil, mashang.Wrap(err, "persons.claim")
	}
	// The residence the claim gives moves the registration's count there.
	return p, mashang.Wrap(s.Rollups.Apply(sys, c, stats.ResidenceDelta(p.CreatedAt, before, p.ResidencePath)), "persons.claim")
}

// HasResident reports whether a person is registered with this resident ID
// number (accounts.HolderCodes).
func (s *Service) HasResident(ctx context.Context, c *ent.Client, idNumber string) (bool, error) {
	ok, err := c.Person.Query().Where(person.IDNumberHash(s.DocumentHash(person.IDTypeRESIDENT_ID.String(), idNumber))).Exist(asSystem(ctx))
	return ok, mashang.Wrap(err, "persons.HasResident")
}

// EnsureResident registers the holder of a scanner account with their
// resident ID number unless a person has it already (accounts.HolderCodes,
// issue 11 point 16). The new record has no personToken: its holder claims
// it from their own app like any record made for them (claim); regionID 0
// leaves the residence to that claim.
func (s *Service) EnsureResident(ctx context.Context, c *ent.Client, name, idNumber, phone string, regionID int) error {
	ok, err := s.HasResident(ctx, c, idNumber)
	if err != nil || ok {
		return err
	}
	_, err = s.Register(ctx, RegisterInput{Name: name, IDType: person.IDTypeRESIDENT_ID.String(), IDNumber: idNumber, Phone: phone, ResidenceRegionID: regionID})
	return mashang.Wrap(err, "persons.EnsureResident")
}

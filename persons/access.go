package persons

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/audit"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/colourchange"
	"github.com/mashang/mashang/pii"
)

// Who may do what with a person (DESIGN.md §5 and §8). Every method that
// serves a caller settles this itself, first:
//
//   - whoever holds a person's personToken acts for that person (the
//     resident's own app: declarations, codes); logged-in officials and grid
//     workers act for the residents their scope filter shows (Holder);
//   - risk changes and test results need the Casbin line person/setrisk or
//     person/test at the person's residence (SetRisk, AddTestResult);
//   - the rules are published by whom Casbin lets publish ruleset (the
//     INITIATOR, PublishRuleSet) and read by any logged-in account;
//   - personal data in clear needs a live PII_VIEWER grant whose region holds
//     the person's residence, and every use is audited with the grant's
//     purpose (Unmask; seed 001 §3, §11).
//
// Once the caller is settled, the service reads and writes as the system
// (asSystem): the scope filter (authz.Filter) limits what a request may
// list, not the rows the colour rules need to decide (a person's tests,
// the rule set in force, colour changes), which belong to no caller's
// scope. What a method returns is only what its check allowed.

// asSystem is ctx for the service's own reads and writes after the caller's
// check: the system keeps the person's colour, not the caller.
func asSystem(ctx context.Context) context.Context { return authz.AsSystem(ctx) }

// enforcer is Service.Enforcer, or the embedded policy when unset.
func (s *Service) enforcer() *authz.Enforcer { return authz.OrDefault(s.Enforcer) }

// Ref names the person a citizen-facing call acts for: the personToken given
// at registration, or (for a logged-in official or grid worker) the id of a
// resident. The token wins when both are given.
type Ref struct {
	Token string
	ID    int
}

// Holder returns the person a citizen-facing call acts for (declarations,
// codes).
// SECURITY: an anonymous caller reaches a person only through its token
// (BySecret, the system establishing who acts); a logged-in caller reaches
// only the residents its scope filter shows — officials and grid workers
// where the person lives, nobody else — any other id is NOT_FOUND.
func (s *Service) Holder(ctx context.Context, ref Ref) (*ent.Person, error) {
	if ref.Token != "" {
		return s.BySecret(ctx, ref.Token)
	}
	if ref.ID == 0 {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "personToken", "Give the personToken from registration, or (as an official or grid worker) the person's id.")
	}
	if mashang.ViewerFromContext(ctx) == nil {
		return nil, mashang.Errorf(mashang.EUNAUTHENTICATED, "Give the personToken from registration, or log in to act for a resident.")
	}
	p, err := database.ClientFrom(ctx, s.Client).Person.Get(ctx, ref.ID) // filtered by the viewer's scope
	if ent.IsNotFound(err) {
		return nil, mashang.FieldErrorf(mashang.ENOTFOUND, "person", "No person %d among the residents you may see.", ref.ID)
	}
	return p, mashang.Wrap(err, "persons.Holder")
}

// checked loads the person an action of the viewer in ctx is about and
// asks Casbin whether the viewer may act (obj, act) at the person's
// residence. The person is read unfiltered (as the system): Casbin, not the
// scope filter, decides, so a person outside the viewer's reach is
// FORBIDDEN like any other refused action.
func (s *Service) checked(ctx context.Context, c *ent.Client, personID int, obj, act string) (*mashang.Viewer, *ent.Person, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, nil, mashang.Wrap(err, "persons.checked")
	}
	p, err := c.Person.Get(asSystem(ctx), personID)
	if ent.IsNotFound(err) {
		return nil, nil, mashang.FieldErrorf(mashang.ENOTFOUND, "person", "No person %d.", personID)
	}
	if err != nil {
		return nil, nil, mashang.Wrap(err, "persons.checked")
	}

	// SECURITY: the person's residence must be within the viewer's reach
	// for this action (officials: their region's subtree; the INITIATOR:
	// anywhere); scanners and grid workers have no line at all.
	if err := s.enforcer().Check(v, obj, act, p.ResidencePath, s.now()); err != nil {
		return nil, nil, mashang.Wrap(err, "persons.checked")
	}
	return v, p, nil
}

// Identity is a person's personal data in clear.
type Identity struct {
	Name, IDNumber string
	Phone          *string
	// RecordedAt and Reason are those of the read's audit event.
	RecordedAt time.Time
	Reason     string
}

// digitRun: a run of digits, perhaps ending in X (an ID number's check
// character); viewReason masks those of an ID number's or a phone's length.
var digitRun = regexp.MustCompile(`[0-9]+[Xx]?`)

// MaxViewReason is the longest reason for a read in clear, in characters.
const MaxViewReason = 200

// viewReason is reason on one line (runs of white space and control
// characters as one space), with what looks like an ID number or a phone
// masked, or INVALID_INPUT when it is empty or too long. The error never
// repeats the reason: it may hold personal data.
func viewReason(reason string) (string, error) {
	r := strings.Join(strings.FieldsFunc(reason, func(c rune) bool { return unicode.IsSpace(c) || unicode.IsControl(c) }), " ")
	// SECURITY: the reason goes into the hash-chained audit log, which
	// cannot be cleaned afterwards; an ID number or phone typed into it is
	// stored masked as everywhere else (seed 001 §3: 敏感数据一律脱敏)
	// (TestAReasonNamingAnIDNumberIsAuditedMasked).
	r = digitRun.ReplaceAllStringFunc(r, func(m string) string {
		switch {
		case len(m) == 11 && m[0] == '1':
			return pii.MaskPhone(m)
		case len(m) == 15 || len(m) == 18:
			return pii.MaskID(m)
		}
		return m
	})
	if r == "" {
		return "", mashang.FieldErrorf(mashang.EINVALID, "reason", "Say why you read this person's data in clear (the reason is recorded with the read).")
	}
	if n := utf8.RuneCountInString(r); n > MaxViewReason {
		return "", mashang.FieldErrorf(mashang.EINVALID, "reason", "The reason has %d characters; at most %d.", n, MaxViewReason)
	}
	return r, nil
}

// Unmask returns p's name, ID number and phone in clear for a viewer with
// an unexpired PII_VIEWER grant whose region holds p's residence, and
// audits the read with the grant's purpose and the viewer's reason for this
// read (DESIGN §8: unmasking needs a grant and writes an audit event; seed
// 001 §3, §11: for the purpose the province gave it).
// SECURITY: the only way personal data leaves in clear; without a grant
// covering the person it is FORBIDDEN, whatever the caller's role, and
// without a reason it is INVALID_INPUT
// (TestAnOfficialWithAGrantCannotUnmaskWithoutAReason).
func (s *Service) Unmask(ctx context.Context, p *ent.Person, reason string) (*Identity, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.Unmask")
	}
	reason, err = viewReason(reason)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.Unmask")
	}
	now := s.now()
	c := database.ClientFrom(ctx, s.Client)
	gs, err := authz.LiveGrants(ctx, c, v, mashang.GrantPIIViewer, 0, now)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.Unmask")
	}
	// SECURITY: only a PII_VIEWER grant has the line person/unmask, asked
	// with the grant's region: a grant of another region does not reach p
	// (TestAPiiViewerCannotUnmaskOutsideTheGrantRegion).
	g := s.enforcer().Covering(v, gs, authz.ObjPerson, authz.ActUnmask, p.ResidencePath)
	if g == nil {
		return nil, mashang.Errorf(mashang.EFORBIDDEN, "Personal data in clear needs a PII_VIEWER grant from the province (giveGrant) for the region where the person lives; yours is missing, has expired or covers another region.")
	}
	sys := asSystem(ctx)
	full, err := c.Person.Get(sys, p.ID) // the sealed columns are not in every loaded row
	if err != nil {
		return nil, mashang.Wrap(err, "persons.Unmask")
	}
	id, err := s.Box.Open(pii.FieldIDNumber, full.IDNumberSealed)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.Unmask")
	}
	out := &Identity{Name: full.Name, IDNumber: id, RecordedAt: now.UTC().Truncate(time.Microsecond), Reason: reason}
	if full.PhoneSealed != nil && len(*full.PhoneSealed) > 0 {
		ph, err := s.Box.Open(pii.FieldPhone, *full.PhoneSealed)
		if err != nil {
			return nil, mashang.Wrap(err, "persons.Unmask")
		}
		out.Phone = &ph
	}
	acct := v.AccountID
	detail := authz.GrantPurpose(g, v)
	detail["fields"] = []string{"name", "idNumber", "phone"}
	detail["viewReason"] = reason
	if err := audit.Record(sys, c, audit.Event{AccountID: &acct, Action: "unmaskPerson",
		Target: "person:" + strconv.Itoa(p.ID), Detail: detail}, now); err != nil {
		return nil, mashang.Wrap(err, "persons.Unmask")
	}
	return out, nil
}

// ColourHistory returns the latest 200 colour changes of p, newest first.
// p is a person the caller has already reached (through its token or its
// scope filter); its changes are read as the system, as colour changes are
// no type a scope covers.
func (s *Service) ColourHistory(ctx context.Context, p *ent.Person) ([]*ent.ColourChange, error) {
	return database.ClientFrom(ctx, s.Client).ColourChange.Query().Where(colourchange.PersonID(p.ID)).
		Order(ent.Desc(colourchange.FieldAt), ent.Desc(colourchange.FieldID)).Limit(200).All(asSystem(ctx))
}

// HasValidTest reports whether p, a person the caller has already reached,
// has a test valid now (ValidTestWithin7Days), read as the system.
func (s *Service) HasValidTest(ctx context.Context, p *ent.Person) (bool, error) {
	return s.ValidTestWithin7Days(asSystem(ctx), nil, p.ID, s.now())
}

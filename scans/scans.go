// Package scans records scans at the door (recordScan, recordScans): it
// verifies the codes, applies the on-site temperature to the person's
// colour, decides with package door, disables a scanner off duty (seed 001
// §7), stores the scans in bulk, raises the alerts of seed 004 annex note 3
// and publishes them after the transaction commits.
//
// A batch is one transaction: every good item is stored, every bad one is
// reported by index with its code and nothing of it is stored (never half an
// item). A retry with the same client id returns the first result and stores
// nothing new. Refusals that disable the scanner (GEOFENCE, CODE_NOT_GREEN)
// commit the disabling even though the scan itself is refused.
package scans

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"entgo.io/ent/dialect/sql/sqlgraph"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/door"
	"github.com/mashang/mashang/ent"
	entperson "github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/ent/user"
	"github.com/mashang/mashang/persons"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/stats"
	"github.com/mashang/mashang/token"
)

// MaxBatch is the most items one recordScans call takes.
const MaxBatch = 500

// ManualPerson is a person's identity as the door records it: a person
// without a code (seed 001 §5: 无码人员…测温登记), or the one shown with a
// code whose holder the platform cannot name (seed 004 §二(二): 现场核验人员
// 记录其身份信息; annex note 2).
type ManualPerson struct {
	Name, IDType, IDNumber, Phone string
}

// Item is one scan as the device reports it.
type Item struct {
	ClientID string
	SiteID   int
	Method   door.Method
	// Token is the person's code (SCAN_CODE, SELF_SCAN), or the signed
	// content of a shown code the device captured (SHOW_CODE).
	Token string
	// SiteCode is the site's code the person scanned (SELF_SCAN).
	SiteCode string
	// PersonID is a bare person id, which a door device may never send:
	// any item naming one is refused (issue 11; DESIGN §6).
	PersonID int
	// Colour is the colour read off a shown code whose content was not
	// captured (SHOW_CODE).
	Colour string
	// Manual is the identity the door records: the person of a MANUAL
	// registration, or the identity shown with a code (SHOW_CODE without
	// captured content, another province's code).
	Manual               *ManualPerson
	Temperature          float64
	DeviceLat, DeviceLng *float64
	// DeviceAccuracy is the accuracy the device reports for its fix,
	// metres; nil when it reports none.
	DeviceAccuracy *float64
	ClientTime     *time.Time
}

// Result is the outcome of one item: the stored scan (Replayed when it was
// stored by an earlier call with the same client id) or the error.
type Result struct {
	Index    int
	ClientID string
	Scan     *ent.Scan
	Replayed bool
	Err      error
}

// Count tallies a batch's results: the scans stored by this call, those an
// earlier call stored (replayed) and the items refused.
func Count(res []Result) (stored, replayed, failed int) {
	for _, x := range res {
		switch {
		case x.Err != nil:
			failed++
		case x.Replayed:
			replayed++
		default:
			stored++
		}
	}
	return stored, replayed, failed
}

// Disabler disables an account automatically (accounts.Service).
type Disabler interface {
	DisableAutomatically(ctx context.Context, client *ent.Client, accountID int, reason string) error
}

// Service records scans.
type Service struct {
	Client   *ent.Client
	Enforcer *authz.Enforcer
	Persons  *persons.Service
	Box      *pii.Box
	Trust    *token.TrustList
	Issuer   string // this province's issuer; "" when no signer is configured
	Alerts   *alerts.Service
	Accounts Disabler
	Now      func() time.Time
	// FeverThreshold in °C; 0 means door.DefaultFeverThreshold.
	FeverThreshold float64
	// Geofence is when far fixes disable a scanner (seed 001 §7 较大偏离);
	// zero fields take door.DefaultGeofence's.
	Geofence door.Geofence
	// Dialect is dialect.Postgres for the bulk insert of PostgreSQL; any
	// other value uses ent's bulk create.
	Dialect string
	// AttestationsPerHour bounds the scans one account may record of
	// registered persons named without a code (presence ATTESTED) in any
	// hour: 0 means DefaultAttestationsPerHour, negative no limit.
	AttestationsPerHour int
	// SiteCodeRotate is the life of a site's rotating code: a self-scan of
	// a site code living no longer needs no location fix; 0 means
	// DefaultSiteCodeRotate (MASHANG_SITE_CODE_ROTATE_MINUTES).
	SiteCodeRotate time.Duration
	// SelfScansPerHour bounds one person's self-scans in any hour: 0 means
	// DefaultSelfScansPerHour, negative no limit.
	SelfScansPerHour int
	// Rollups keeps the statistics of the scans stored (issue 12), in
	// their transaction; nil keeps none.
	Rollups *stats.Rollups

	holders sync.Map // user id → holder, once the holder's own code is found
}

// holder is what a batch needs of the acting account's holder: the person
// of their own code (seed 001 §7), 0 when they have none registered, and
// their masked name for the scan list (seed 004 annex note 2: 扫码员).
type holder struct {
	personID int
	name     string
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

var clientIDPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

// DefaultAttestationsPerHour is how many registered persons one scanner
// account may name without a code (MANUAL, or a shown code with the
// identity typed in) in any hour (issue 11): enough for a door's codeless
// visitors, too few to walk the register by ID number.
const DefaultAttestationsPerHour = 30

// Presence says how a scan shows that the person was at the door (issue
// 11; DESIGN §6): only PresenceCode lets a reading change a colour freely.
const (
	// PresenceCode: a signed code was verified (SCAN_CODE, SELF_SCAN, or
	// SHOW_CODE with the content captured).
	PresenceCode = "CODE"
	// PresenceShown: a code's colour was read by eye (SHOW_CODE without
	// content) and it names no registered person.
	PresenceShown = "SHOWN"
	// PresenceAttested: the scanner's word names a registered person (MANUAL,
	// or SHOW_CODE with the identity typed in): the reading never lowers the
	// colour, the scan is rate-limited and audited, and flagged for review
	// when the person lives outside the site's district.
	PresenceAttested = "ATTESTED"
	// PresenceRegistered: a MANUAL registration of a person seen for the
	// first time (seed 001 §5).
	PresenceRegistered = "REGISTERED"
)

// Review reasons of an attestation (carried by its alert, never shown to
// the door).
const (
	ReviewResidesElsewhere = "RESIDES_ELSEWHERE"
	ReviewResidenceUnknown = "RESIDENCE_UNKNOWN"
)

// IdentityField is the label bound into the sealed identity of a scan.
const IdentityField = "scan_identity"

// item is an Item on its way through a batch.
type item struct {
	Item
	res        *Result
	site       *ent.Site
	personID   int    // registered person (own token, SHOW_CODE, MANUAL)
	colour     string // colour before the reading
	issuer     string
	subject    string
	idHash     *string
	nameMask   string
	idMask     string
	manualType string // document type of the identity captured, RESIDENT_ID when not given
	manualDoc  string // normalised document of the identity captured
	presence   string // PresenceCode, …
	review     []string
}

func fail(it *item, err error) {
	if it.res.Err == nil {
		it.res.Err = err
	}
}

func (it *item) ok() bool { return it.res.Err == nil && it.res.Scan == nil }

// Record records a batch of scans by the acting account v. The error is
// for the batch as a whole (no viewer, too many items, the database);
// item errors are in the results.
func (s *Service) Record(ctx context.Context, v *mashang.Viewer, in []Item) ([]Result, error) {
	// SECURITY: keeps out an anonymous caller (TestCallersKeptOut/AsAnonymous).
	if v == nil {
		return nil, mashang.Errorf(mashang.EUNAUTHENTICATED, "Log in with a scanner account to record scans.")
	}
	if len(in) == 0 {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "scans", "Send at least one scan.")
	}
	if len(in) > MaxBatch {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "scans", "A batch takes at most %d scans; split the %d into several calls.", MaxBatch, len(in))
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	results := make([]Result, len(in))
	items := make([]*item, len(in))
	seen := map[string]int{}
	for i := range in {
		results[i] = Result{Index: i, ClientID: in[i].ClientID}
		it := &item{Item: in[i], res: &results[i]}
		items[i] = it
		if !clientIDPattern.MatchString(it.ClientID) {
			fail(it, mashang.FieldErrorf(mashang.EINVALID, "clientId", "Give each scan a client id of 1 to 64 letters, digits, '.', '_', ':' or '-' (a UUID is best), so a retry is recognised."))
			continue
		}
		if j, dup := seen[it.ClientID]; dup {
			fail(it, mashang.FieldErrorf(mashang.EINVALID, "clientId", "Client id %q is used twice in this batch (items %d and %d); every scan needs its own.", it.ClientID, j, i))
			continue
		}
		seen[it.ClientID] = i
	}

	// The batch's lookups (the holder, persons by document, the rule set)
	// are the platform's own business and run unfiltered; what the caller
	// gets back are the scans it recorded. The caller's right to record is
	// checked per site (checkSite).
	sys := authz.AsSystem(ctx)
	var msgs []alerts.Message
	// A concurrent retry of the same client id makes the insert fail on the
	// unique (account, client id) index: run the batch again, and the
	// replay check then finds the other attempt's scan.
	for attempt := 0; ; attempt++ {
		saved := make([]Result, len(results))
		copy(saved, results)
		// A transaction of its own (Fresh), not the caller's: the retry
		// needs one to roll back, and PostgreSQL aborts a transaction on the
		// unique violation it retries.
		err := database.InTx(sys, s.Client, func(ctx context.Context, c *ent.Client) error {
			var err error
			msgs, err = s.record(ctx, c, v, items, now, attempt > 0)
			return err
		}, database.Fresh())
		if err == nil {
			break
		}
		if !(ent.IsConstraintError(err) || sqlgraph.IsUniqueConstraintError(err)) || attempt == 2 {
			return nil, mashang.Wrap(err, "scans.Record")
		}
		copy(results, saved)
		for i := range items {
			*items[i] = item{Item: in[i], res: &results[i]}
		}
	}
	if s.Alerts != nil && len(msgs) > 0 {
		s.Alerts.Publish(ctx, msgs)
	}
	return results, nil
}

// isVehicle: buses and taxis move, so they have no geofence (seed 003
// §二(五) 在公交车、出租车实行扫码乘车; door.Site.Vehicle).
func isVehicle(c scenario.Category) bool {
	info, ok := c.Info()
	return ok && info.IsVehicle
}

// reasonsOf is the alert's reasons: the scan's, or DENY when a scan was
// denied for no listed reason.
func reasonsOf(row *ent.Scan) []string {
	if len(row.AlertReasons) > 0 {
		return row.AlertReasons
	}
	return []string{"DENY"}
}

// checkSite says whether v may record scans at st.
// SECURITY: a scanner records only at sites within its scope (seed 001 §6:
// 普通扫码员…在指定扫码区域…扫码; DESIGN.md §5), and only scanner roles record.
func (s *Service) checkSite(v *mashang.Viewer, st *ent.Site, now time.Time) error {
	// SECURITY: keeps out an ORDINARY scanner of another site
	// (TestCallersKeptOut/AsAnOrdinaryScannerOfAnotherSite) and every role
	// that does not record (the next check names which).
	if s.Enforcer.Can(v, authz.ObjScan, authz.ActRecord, st.Path, now) {
		return nil
	}
	// SECURITY: keeps out OFFICIAL and GRID_WORKER, who record nowhere
	// (TestCallersKeptOut/AsAnOfficial, AsAGridWorker).
	if !s.Enforcer.Can(v, authz.ObjScan, authz.ActRecord, v.ScopePath, now) {
		return mashang.FieldErrorf(mashang.EFORBIDDEN, "siteId", "A %s account may not record scans: switch to a SENIOR, INTERMEDIATE or ORDINARY scanner account (switchAccount).", v.Role)
	}
	return mashang.FieldErrorf(mashang.EFORBIDDEN, "siteId", "Site %q is outside your scope: you may record scans only at sites under your own.", st.Name)
}

func foreign(issuer, own string) string {
	if issuer == "" || issuer == own {
		return ""
	}
	return issuer
}

// identify reads who the scan is of: verifies a token (own or a trusted
// province's), or takes the shown colour, and captures the identity the
// door recorded.
// SECURITY: a bare person id is never accepted from a door device (issue
// 11: a scanner wrote readings onto persons it named by id), so a reading
// reaches a registered person only through their verified code or the
// document typed in, which the rest of the batch treats as an attestation
// (TestScannerCannotChangeTheColourOfAPersonWhoseCodeWasNotPresented).
func (s *Service) identify(it *item, now time.Time) {
	if it.PersonID != 0 {
		fail(it, mashang.FieldErrorf(mashang.EFORBIDDEN, "person", "A door device never names a person by id: scan or capture the person's code, or register them by hand (MANUAL)."))
		return
	}
	switch it.Method {
	case door.MethodScanCode, door.MethodSelfScan:
		if it.Token == "" {
			fail(it, mashang.FieldErrorf(mashang.EINVALID, "token", "Method %s needs the person's code (token).", it.Method))
			return
		}
		if it.Method == door.MethodSelfScan && !s.siteCodeOK(it, now) {
			return
		}
		s.identifyToken(it, now)
	case door.MethodShowCode:
		if it.Token != "" { // the shown code's signed content, captured
			s.identifyToken(it, now)
			return
		}
		it.issuer, it.colour, it.presence = s.Issuer, it.Colour, PresenceShown
		if it.Colour == "" {
			fail(it, mashang.FieldErrorf(mashang.EINVALID, "colour", "Method SHOW_CODE needs the colour read off the shown code, or its captured content (token)."))
			return
		}
		if it.Manual == nil && (it.Colour == "ORANGE" || it.Colour == "RED") {
			fail(it, mashang.FieldErrorf(mashang.EINVALID, "manual", "Record the identity of a person showing an orange or red code (seed 004 §二(二): 现场核验人员记录其身份信息), or capture the code's content."))
			return
		}
		if it.Manual != nil {
			s.captureIdentity(it)
		}
	case door.MethodManual:
		if it.Manual == nil {
			fail(it, mashang.FieldErrorf(mashang.EINVALID, "manual", "A MANUAL registration needs the person's name, document type and number (seed 001 §5)."))
			return
		}
		it.presence = PresenceRegistered // ATTESTED once the document is found registered
		s.captureIdentity(it)
	default:
		fail(it, mashang.FieldErrorf(mashang.EINVALID, "method", "Method %q is not one of SCAN_CODE, SHOW_CODE, SELF_SCAN, MANUAL.", it.Method))
	}
}

// siteCodeOK checks the site code of a SELF_SCAN.
func (s *Service) siteCodeOK(it *item, now time.Time) bool {
	sc, err := s.verify(it.SiteCode, now)
	if err != nil {
		fail(it, fieldOf(err, "siteCode"))
		return false
	}
	if sc.Kind != token.KindSite || sc.Issuer != s.Issuer || sc.Subject != uint64(it.SiteID) {
		fail(it, mashang.FieldErrorf(mashang.ETOKENWRONGKIND, "siteCode", "The site code scanned is not this site's code."))
		return false
	}
	return true
}

// identifyToken verifies a person's code: this province's names a
// registered person (whose record, not the token, holds the colour);
// another province's keeps its colour and issuer (DESIGN §7) and may come
// with the identity shown beside it.
func (s *Service) identifyToken(it *item, now time.Time) {
	cl, err := s.verify(it.Token, now)
	if err != nil {
		fail(it, fieldOf(err, "token"))
		return
	}
	if cl.Kind != token.KindPerson {
		fail(it, mashang.FieldErrorf(mashang.ETOKENWRONGKIND, "token", "This is a site's code, not a person's."))
		return
	}
	// DESIGN §7: a person's code lives minutes, never more than
	// token.MaxPersonTTL, so a colour it carries is never hours stale.
	if cl.ExpiresAt.Sub(cl.IssuedAt) > token.MaxPersonTTL {
		fail(it, mashang.FieldErrorf(mashang.ETOKENEXPIRED, "token", "This code was issued to live longer than %d minutes, so its colour may be stale: ask the holder to refresh their code.", int(token.MaxPersonTTL/time.Minute)))
		return
	}
	it.issuer, it.colour, it.presence = cl.Issuer, cl.Colour.String(), PresenceCode
	if cl.Issuer != s.Issuer {
		// DESIGN §7: a foreign code keeps its colour and issuer.
		it.subject = strconv.FormatUint(cl.Subject, 10)
		if it.Manual != nil {
			s.captureIdentity(it)
		}
		return
	}
	if cl.Subject == 0 || cl.Subject > 1<<62 {
		fail(it, mashang.FieldErrorf(mashang.ETOKENMALFORMED, "token", "The code names no person."))
		return
	}
	if it.Manual != nil {
		fail(it, mashang.FieldErrorf(mashang.EINVALID, "manual", "This province's code names a registered person: leave the identity (manual) empty."))
		return
	}
	it.personID = int(cl.Subject)
	it.colour = "" // this province's record is the truth, not the token's copy
}

// captureIdentity normalises the identity the door recorded and keeps its
// lookup hash and masks (the sealed value is made with the row).
func (s *Service) captureIdentity(it *item) {
	m := it.Manual
	idType := m.IDType // the caller's ManualPerson is left as it was given
	if idType == "" {
		idType = entperson.IDTypeRESIDENT_ID.String()
	}
	doc, err := persons.NormalizeDocument(idType, m.IDNumber)
	if err != nil {
		fail(it, err)
		return
	}
	if len([]rune(strings.TrimSpace(m.Name))) == 0 {
		fail(it, mashang.FieldErrorf(mashang.EINVALID, "manual.name", "The identity recorded needs the person's name."))
		return
	}
	h := s.Persons.DocumentHash(idType, doc)
	it.manualType, it.manualDoc, it.idHash = idType, doc, &h
	it.nameMask, it.idMask = pii.MaskName(strings.TrimSpace(m.Name)), pii.MaskID(doc)
}

// sealIdentity is the identity captured at the door, sealed as one value.
func (s *Service) sealIdentity(it *item) []byte {
	m := it.Manual
	// A map of strings always marshals.
	b, _ := json.Marshal(map[string]string{"name": strings.TrimSpace(m.Name), "idType": it.manualType, "idNumber": it.manualDoc, "phone": strings.TrimSpace(m.Phone)})
	return s.Box.Seal(IdentityField, string(b))
}

func (s *Service) verify(tok string, now time.Time) (token.Claims, error) {
	if s.Trust == nil {
		return token.Claims{}, mashang.Errorf(mashang.ETOKENUNKNOWNISSUER, "This deployment has no code keys configured, so it cannot verify codes.")
	}
	return s.Trust.Verify(tok, now)
}

func fieldOf(err error, field string) error {
	var me *mashang.Error
	if errors.As(err, &me) {
		cp := *me
		cp.Field = field
		return &cp
	}
	return mashang.Wrap(err, "scans.fieldOf")
}

// holder looks up the acting account's holder: one query of the user row
// (name and sealed ID number) and one of the person by document hash. It
// is cached once the person is found; a holder without a registered code
// is looked up again next batch (they may register any moment).
func (s *Service) holder(ctx context.Context, c *ent.Client, userID int) (holder, error) {
	if h, ok := s.holders.Load(userID); ok {
		return h.(holder), nil
	}
	u, err := c.User.Query().Where(user.ID(userID)).Select(user.FieldName, user.FieldIDNumberSealed).Only(ctx)
	if err != nil {
		return holder{}, mashang.Wrap(err, "scans.holder")
	}
	h := holder{name: pii.MaskName(u.Name)}
	// ent scans a NULL bytes column into a non-nil pointer to an empty
	// slice: a holder without an ID number has nothing to open.
	if u.IDNumberSealed == nil || len(*u.IDNumberSealed) == 0 {
		return h, nil
	}
	n, err := s.Box.Open(pii.FieldIDNumber, *u.IDNumberSealed)
	if err != nil {
		return holder{}, fmt.Errorf("scans: open holder id: %w", err)
	}
	p, err := c.Person.Query().Where(entperson.IDNumberHash(s.Persons.DocumentHash(entperson.IDTypeRESIDENT_ID.String(), n))).
		Select(entperson.FieldID).Only(ctx)
	if ent.IsNotFound(err) {
		return h, nil
	}
	if err != nil {
		return holder{}, mashang.Wrap(err, "scans.holder")
	}
	h.personID = p.ID
	s.holders.Store(userID, h)
	return h, nil
}

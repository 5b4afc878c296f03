package scans

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/audit"
	"github.com/mashang/mashang/door"
	"github.com/mashang/mashang/ent"
	entperson "github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/ent/scan"
	"github.com/mashang/mashang/ent/site"
	"github.com/mashang/mashang/persons"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/stats"
)

// batch is one attempt at recording a batch, in one transaction: the items,
// who records them, and what each step finds for the next. Its steps run in
// the order record lists them; every step skips the items an earlier one
// failed (item.ok).
type batch struct {
	s     *Service
	ctx   context.Context
	c     *ent.Client
	v     *mashang.Viewer
	items []*item
	now   time.Time
	// checkReplays: look for scans an earlier attempt stored (see
	// findReplays).
	checkReplays bool

	// personIDs are the persons whose readings the batch loads: those the
	// codes name, the MANUAL persons already registered and the holder.
	personIDs []int
	// holder is the acting account's holder; active is false once the
	// scanner is disabled, which a refusal may do halfway through.
	holder    holder
	active    bool
	readings  *persons.Readings
	threshold float64 // the fever line, °C
	ownColour string  // the holder's own colour; "" when not registered
	// registered maps a document hash to the person a MANUAL item of this
	// batch registered.
	registered map[string]int

	// recentFar are the far_fix flags of the account's latest scans within
	// the geofence window, newest first, with this batch's queued ones;
	// loaded when a far fix first needs them (nil: not loaded).
	recentFar []bool

	rows   []*ent.Scan // the scans to store
	stored []*item     // the item of each row
	msgs   []alerts.Message
	// counted is what the batch adds to the statistics besides its scans:
	// its colour changes and alerts raised, applied with the scans in one
	// statement (rollups).
	counted stats.Delta
}

// record runs the steps of a batch, in order, in the transaction of c and
// returns the alerts to publish once it commits.
func (s *Service) record(ctx context.Context, c *ent.Client, v *mashang.Viewer, items []*item, now time.Time, checkReplays bool) ([]alerts.Message, error) {
	b := &batch{s: s, ctx: ctx, c: c, v: v, items: items, now: now, checkReplays: checkReplays,
		active: !v.Disabled, registered: map[string]int{}}
	for _, step := range []func() error{
		b.findReplays,       // 1. a retried client id returns the stored scan
		b.checkSites,        // 2. the sites, and the scanner's right to record there
		b.identifyPersons,   // 3. the codes: who each scan is of
		b.limitAttestations, // 4. the scanner's word about registered persons, rate-limited
		b.loadScanner,       // 5. the scanner's holder and the batch's persons
		b.decideAll,         // 6. the decision at the door, item by item
		b.store,             // 7. the readings and the scans
		b.raiseAlerts,       // 8. the alerts of seed 004 annex note 3
		b.rollups,           // 9. the statistics of all of it (issue 12)
		b.audit,             // 10. the audit events
	} {
		if err := step(); err != nil {
			return nil, mashang.Wrap(err, "scans.record")
		}
	}
	return b.msgs, nil
}

// findReplays: a retry with a client id already stored returns that scan.
// Retries are rare, so the first attempt does not look: a stored client id
// then fails the insert on the unique (account, client id) index, the
// transaction rolls back, and the second attempt looks first.
func (b *batch) findReplays() error {
	if !b.checkReplays {
		return nil
	}
	var ids []string
	for _, it := range b.items {
		if it.ok() {
			ids = append(ids, it.ClientID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	prior, err := b.c.Scan.Query().Where(scan.AccountID(b.v.AccountID), scan.ClientIDIn(ids...)).All(b.ctx)
	if err != nil {
		return mashang.Wrap(err, "scans.findReplays")
	}
	byID := make(map[string]*ent.Scan, len(prior))
	for _, p := range prior {
		byID[p.ClientID] = p
	}
	for _, it := range b.items {
		if p := byID[it.ClientID]; p != nil && it.ok() {
			it.res.Scan, it.res.Replayed = p, true
		}
	}
	return nil
}

// checkSites loads the items' sites in one query and checks the scope once
// per site: a batch is usually many scans at the same door.
func (b *batch) checkSites() error {
	var siteIDs []int
	sites := map[int]*ent.Site{}
	for _, it := range b.items {
		if _, dup := sites[it.SiteID]; it.ok() && !dup {
			sites[it.SiteID] = nil
			siteIDs = append(siteIDs, it.SiteID)
		}
	}
	if len(siteIDs) > 0 {
		ss, err := b.c.Site.Query().Where(site.IDIn(siteIDs...)).All(b.ctx)
		if err != nil {
			return mashang.Wrap(err, "scans.checkSites")
		}
		for _, st := range ss {
			sites[st.ID] = st
		}
	}
	refusedAt := map[int]error{} // site id → why v may not record there; nil: may
	for _, it := range b.items {
		if !it.ok() {
			continue
		}
		st := sites[it.SiteID]
		if st == nil {
			fail(it, mashang.FieldErrorf(mashang.ENOTFOUND, "siteId", "No site %d: scan the site's registered id.", it.SiteID))
			continue
		}
		err, checked := refusedAt[st.ID]
		if !checked {
			err = b.s.checkSite(b.v, st, b.now)
			refusedAt[st.ID] = err
		}
		if err != nil {
			fail(it, err)
			continue
		}
		it.site = st
	}
	return nil
}

// identifyPersons verifies the codes and finds the registered persons, the
// MANUAL ones by their document in one query.
func (b *batch) identifyPersons() error {
	var manualHashes []string
	for _, it := range b.items {
		if !it.ok() {
			continue
		}
		b.s.identify(it, b.now)
		if it.personID != 0 {
			b.personIDs = append(b.personIDs, it.personID)
		}
		if it.names() {
			manualHashes = append(manualHashes, *it.idHash)
		}
	}
	if len(manualHashes) == 0 {
		return nil
	}
	known, err := b.c.Person.Query().Where(entperson.IDNumberHashIn(manualHashes...)).
		Select(entperson.FieldID, entperson.FieldIDNumberHash).All(b.ctx)
	if err != nil {
		return mashang.Wrap(err, "scans.identifyPersons")
	}
	byHash := map[string]int{}
	for _, p := range known {
		byHash[p.IDNumberHash] = p.ID
	}
	for _, it := range b.items {
		if it.ok() && it.names() {
			if id := byHash[*it.idHash]; id != 0 {
				// issue 11: the scanner's word names a registered person.
				it.personID, it.presence = id, PresenceAttested
				b.personIDs = append(b.personIDs, id)
			}
		}
	}
	return nil
}

// names reports whether the item names a person by the document typed in
// (MANUAL, or a shown code with its identity), which may be registered.
// Another province's code names its own subject, never one of ours.
func (it *item) names() bool {
	return it.manualDoc != "" && (it.presence == PresenceRegistered || it.presence == PresenceShown)
}

// limitAttestations refuses the attestations beyond the account's hourly
// allowance, counting those it recorded in the last hour.
// SECURITY: keeps a scanner from walking the register by ID number (each
// attestation answers whether the person may pass) and from writing
// readings onto many persons it names
// (TestAScannerCannotWalkTheRegisterByTypingIdNumbers).
func (b *batch) limitAttestations() error {
	limit := b.s.AttestationsPerHour
	if limit == 0 {
		limit = DefaultAttestationsPerHour
	}
	if limit < 0 {
		return nil
	}
	n := -1
	for _, it := range b.items {
		if !it.ok() || it.presence != PresenceAttested {
			continue
		}
		if n < 0 {
			c, err := b.c.Scan.Query().Where(scan.AccountID(b.v.AccountID), scan.PresenceEQ(scan.PresenceATTESTED),
				scan.ServerTimeGT(b.now.Add(-time.Hour))).Count(b.ctx)
			if err != nil {
				return mashang.Wrap(err, "scans.limitAttestations")
			}
			n = c
		}
		if n >= limit {
			fail(it, mashang.Errorf(mashang.ERATELIMITED, "This account has named %d registered persons without their code in the last hour, the most allowed: ask the person to show their code, or try again later.", limit))
			continue
		}
		n++
	}
	return nil
}

// reviewOf is why an attestation at st of p needs review: the person
// lives outside the site's district (or nobody knows where).
func reviewOf(st *ent.Site, p *ent.Person) []string {
	if p.ResidencePath == "" {
		return []string{ReviewResidenceUnknown}
	}
	if !strings.HasPrefix(p.ResidencePath, districtOf(st.Path)) {
		return []string{ReviewResidesElsewhere}
	}
	return nil
}

// districtOf is the path of the district (or the deepest region above it)
// a site's path lies in: /22/2201/220104/ for a site anywhere under 朝阳区.
func districtOf(sitePath string) string {
	var b strings.Builder
	b.WriteByte('/')
	for i, seg := range strings.Split(strings.Trim(sitePath, "/"), "/") {
		if i == 3 || seg == "" || !isDigits(seg) {
			break
		}
		b.WriteString(seg)
		b.WriteByte('/')
	}
	return b.String()
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// loadScanner loads the scanner's holder and their own code (seed 001 §7)
// with the batch's persons, and the fever line.
func (b *batch) loadScanner() error {
	var err error
	if b.holder, err = b.s.holder(b.ctx, b.c, b.v.UserID); err != nil {
		return mashang.Wrap(err, "scans.loadScanner")
	}
	if b.holder.personID != 0 {
		b.personIDs = append(b.personIDs, b.holder.personID)
	}
	if b.readings, err = b.s.Persons.Readings(b.ctx, b.c, b.personIDs, b.now); err != nil {
		return mashang.Wrap(err, "scans.loadScanner")
	}

	// One fever line for the decision at the door and the colour: the rule
	// set's params.fever_c when it has one (the province changes it by
	// publishing rules), else the configured threshold.
	b.threshold = b.s.FeverThreshold
	if f, ok := b.readings.FeverC(); ok {
		b.threshold = f
	} else if b.threshold > 0 {
		b.readings.Threshold = b.threshold
	}
	if hp := b.readings.Person(b.holder.personID); hp != nil {
		b.ownColour = hp.Colour.String()
	} else if b.holder.personID != 0 {
		b.s.holders.Delete(b.v.UserID) // the person is gone
	}
	return nil
}

// decideAll decides each item in order; an error is the batch's.
func (b *batch) decideAll() error {
	for _, it := range b.items {
		if !it.ok() {
			continue
		}
		if err := b.decide(it); err != nil {
			return mashang.Wrap(err, "scans.decideAll")
		}
	}
	return nil
}

// decide decides one item at the door and, when it is let through or
// denied (not refused), queues its scan.
func (b *batch) decide(it *item) error {
	if b.ownColour == "" && b.active {
		fail(it, mashang.Errorf(mashang.ESCANNERNOCODE, "Your own health code is not registered, so the platform cannot check that it is green (seed 001 §7): register it with the ID number of your account (registerPerson), then scan."))
		return nil
	}
	p := b.readings.Person(it.personID)
	if it.personID != 0 && p == nil {
		fail(it, mashang.FieldErrorf(mashang.ENOTFOUND, "token", "The code names person %d, who is not registered here.", it.personID))
		return nil
	}
	if p != nil && it.presence == PresenceCode {
		it.nameMask, it.idMask = p.NameMasked, p.IDNumberMasked
		h := p.IDNumberHash
		it.idHash = &h
	}
	siteInfo := door.Site{Latitude: it.site.Latitude, Longitude: it.site.Longitude,
		GeofenceRadius: it.site.GeofenceRadius, Vehicle: isVehicle(it.site.Category), Enabled: it.site.Enabled}
	input := door.Input{Method: it.Method, Temperature: it.Temperature, DeviceLat: it.DeviceLat, DeviceLng: it.DeviceLng,
		PersonColour: it.colour, ForeignIssuer: foreign(it.issuer, b.s.Issuer), FeverThreshold: b.threshold, Now: b.now,
		DeviceAccuracy: it.DeviceAccuracy, Geofence: b.s.Geofence}
	if siteInfo.FarFixAt(input) {
		n, err := b.priorFarFixes()
		if err != nil {
			return err
		}
		input.PriorFarFixes = n
	}
	if p != nil && it.presence == PresenceCode {
		input.PersonColour = p.Colour.String()
	}
	if p != nil && it.presence == PresenceAttested {
		// seed 001 §4: a red person is not let through, however they are
		// registered; the door sees the decision, not the colour.
		input.RecordedColour = p.Colour.String()
		it.review = reviewOf(it.site, p)
	}
	o := door.Decide(siteInfo, b.scanner(), input)
	if o.Refused != nil {
		return b.refuse(it, o)
	}
	p, ok := b.registerManual(it, p)
	if !ok {
		return nil
	}
	// The reading first: the scan is decided on the colour after it
	// (YELLOW → GREEN on a normal temperature, GREEN → YELLOW on a fever).
	o, err := b.read(it, p, siteInfo, input, o)
	if err != nil {
		return err
	}
	b.rows = append(b.rows, b.row(it, o, siteInfo))
	b.stored = append(b.stored, it)
	if b.recentFar != nil {
		b.recentFar = append([]bool{o.FarFix}, b.recentFar...)
	}
	it.res.Err = nil
	return nil
}

// read applies the item's reading to its registered person, as far as the
// proof of presence allows, and decides again on the colour after it:
//   - a verified code of this province: the reading applies (seed 001 §4);
//   - a person registered by this very item: the reading applies;
//   - an attestation (the scanner's word, issue 11): the reading only ever
//     raises the colour through the same rules, and not at all when the
//     person lives outside the site's district (flagged for review);
//   - anything else (a colour read by eye, another province's code): no
//     registered person's colour changes.
func (b *batch) read(it *item, p *ent.Person, siteInfo door.Site, input door.Input, o door.Outcome) (door.Outcome, error) {
	if p == nil {
		return o, nil
	}
	switch it.presence {
	case PresenceCode:
		after, err := b.readings.Apply(b.ctx, p.ID, it.Temperature, b.now)
		if err != nil {
			return o, mashang.Wrap(err, "scans.read")
		}
		input.PersonColour = after
	case PresenceRegistered:
		if _, err := b.readings.Apply(b.ctx, p.ID, it.Temperature, b.now); err != nil {
			return o, mashang.Wrap(err, "scans.read")
		}
		return o, nil // a MANUAL registration passes on its temperature (seed 001 §5)
	case PresenceAttested:
		if len(it.review) > 0 {
			return o, nil
		}
		after, _, err := b.readings.ApplyRaising(b.ctx, p.ID, it.Temperature, b.now)
		if err != nil {
			return o, mashang.Wrap(err, "scans.read")
		}
		input.RecordedColour = after
	default:
		return o, nil
	}
	return door.Decide(siteInfo, b.scanner(), input), nil
}

// priorFarFixes counts the far fixes among the account's last
// Geofence.Of-1 scans within Geofence.Window (seed 001 §7 较大偏离, issue 11
// point 15), this batch's queued scans first.
func (b *batch) priorFarFixes() (int, error) {
	g := b.s.Geofence.WithDefaults()
	if b.recentFar == nil {
		prior, err := b.c.Scan.Query().Where(scan.AccountID(b.v.AccountID), scan.ServerTimeGT(b.now.Add(-g.Window))).
			Order(ent.Desc(scan.FieldServerTime), ent.Desc(scan.FieldID)).Limit(g.Of - 1).Select(scan.FieldFarFix).All(b.ctx)
		if err != nil {
			return 0, mashang.Wrap(err, "scans.priorFarFixes")
		}
		b.recentFar = make([]bool, 0, len(prior)+1)
		for _, p := range prior {
			b.recentFar = append(b.recentFar, p.FarFix)
		}
	}
	n := 0
	for i, far := range b.recentFar {
		if i < g.Of-1 && far {
			n++
		}
	}
	return n, nil
}

func (b *batch) scanner() door.Scanner {
	return door.Scanner{OwnColour: b.ownColour, Active: b.active}
}

// refuse fails an item the door refuses and, when the refusal says so
// (GEOFENCE, CODE_NOT_GREEN, seed 001 §7), disables the scanner: once, and
// committed with the batch although the scan itself is refused.
func (b *batch) refuse(it *item, o door.Outcome) error {
	if o.DisableScanner != "" && b.active {
		if err := b.s.Accounts.DisableAutomatically(b.ctx, b.c, b.v.AccountID, o.DisableScanner); err != nil && mashang.ErrorCode(err) != mashang.ECONFLICT {
			return mashang.Wrap(err, "scans.refuse")
		}
		b.active = false
	}
	fail(it, o.Refused)
	return nil
}

// registerManual returns the person of a MANUAL item, registering one seen
// for the first time (seed 001 §5); false when the registration failed the
// item. Other items return p as given.
func (b *batch) registerManual(it *item, p *ent.Person) (*ent.Person, bool) {
	if it.presence != PresenceRegistered || it.personID != 0 {
		return p, true
	}
	// A person registered by an earlier item of this batch (the lookup by
	// document ran before it): the same person, not a second registration,
	// which would be refused as a CONFLICT.
	if id := b.registered[*it.idHash]; id != 0 {
		// Known since that item: this one is the scanner's word about a
		// registered person (issue 11), like any other.
		it.personID, it.presence = id, PresenceAttested
		p := b.readings.Person(id)
		it.review = reviewOf(it.site, p)
		return p, true
	}
	np, err := b.s.Persons.Register(b.ctx, persons.RegisterInput{
		Name: it.Manual.Name, IDType: it.manualType, IDNumber: it.Manual.IDNumber, Phone: it.Manual.Phone,
		ResidenceRegionID: it.site.RegionID})
	if err != nil {
		fail(it, err)
		return nil, false
	}
	it.personID = np.ID
	b.registered[*it.idHash] = np.ID
	b.readings.Add(np)
	return np, true
}

// row is the scan of a decided item.
func (b *batch) row(it *item, o door.Outcome, siteInfo door.Site) *ent.Scan {
	row := &ent.Scan{
		ClientID: it.ClientID, AccountID: b.v.AccountID, AccountPath: b.v.AccountPath,
		ScannerName: b.holder.name,
		SiteID:      it.site.ID, SitePath: it.site.Path, SiteName: it.site.Name, Sector: it.site.Sector,
		Category:   categoryOf(it.site),
		Method:     scan.Method(it.Method),
		NameMasked: it.nameMask, IDNumberMasked: it.idMask, IDNumberHash: it.idHash,
		Issuer: it.issuer, Subject: it.subject,
		Temperature: it.Temperature, Fever: o.Fever, Decision: scan.Decision(o.Decision),
		AlertReasons:   o.AlertReasons,
		DeviceLatitude: it.DeviceLat, DeviceLongitude: it.DeviceLng, DeviceAccuracy: it.DeviceAccuracy, FarFix: o.FarFix,
		ClientTime: it.ClientTime, ServerTime: b.now,
		IdentityCaptured: it.personID != 0 || it.manualDoc != "",
		ReviewReasons:    it.review,
	}
	if it.presence != "" {
		pr := scan.Presence(it.presence)
		row.Presence = &pr
	}
	if it.personID != 0 {
		pid := it.personID
		row.PersonID = &pid
	} else if it.manualDoc != "" {
		// seed 004 §二(二), annex note 2: the identity shown at the door,
		// sealed (DESIGN §8); a registered person's is in their record.
		sealed := b.s.sealIdentity(it)
		row.IdentitySealed = &sealed
	}
	if o.Colour != "" {
		col := scenario.Colour(o.Colour)
		row.Colour = &col
	}
	if it.site.Latitude != nil && it.DeviceLat != nil {
		d := o.DistanceMetres
		if !siteInfo.Geofenced() {
			d = door.DistanceMetres(*it.site.Latitude, *it.site.Longitude, *it.DeviceLat, *it.DeviceLng)
		}
		row.DistanceMetres = &d
	}
	return row
}

// store writes the readings' colour changes and the scans, and gives each
// stored item its scan.
func (b *batch) store() error {
	// The colour changes are counted with the scans (rollups), not by Flush.
	if !b.perStep() {
		b.counted.Merge(b.readings.TakeCounted())
	}
	if err := b.readings.Flush(b.ctx); err != nil {
		return mashang.Wrap(err, "scans.store")
	}
	if len(b.rows) == 0 {
		return nil
	}
	if err := b.s.insertRows(b.ctx, b.c, b.rows); err != nil {
		return mashang.Wrap(err, "scans.store")
	}
	for i, row := range b.rows {
		b.stored[i].res.Scan = row
	}
	return nil
}

// raiseAlerts: seed 004 annex note 3 (异常提醒: 健康码为橙码或体温异常时…标红单独展示)
// and DESIGN.md §6: every denied scan or abnormal colour or temperature
// raises an alert for the site's region.
func (b *batch) raiseAlerts() error {
	var raises []alerts.Raise
	for _, row := range b.rows {
		if len(row.AlertReasons) == 0 && row.Decision == scan.DecisionPASS && len(row.ReviewReasons) == 0 {
			continue
		}
		scanID, siteID := row.ID, row.SiteID
		sector := row.Sector
		temp := row.Temperature
		r := alerts.Raise{Kind: "SCAN", ScopePath: row.SitePath, Place: row.SiteName, Sector: &sector,
			ScanID: &scanID, SiteID: &siteID, PersonID: row.PersonID,
			NameMasked: row.NameMasked, IDNumberMasked: row.IDNumberMasked,
			Reasons: append(reasonsOf(row), row.ReviewReasons...), Temperature: &temp}
		if row.Colour != nil {
			col := row.Colour.String()
			r.Colour = &col
		}
		if row.PersonID != nil && !b.perStep() {
			// The residence the alert also concerns, from the person the
			// batch loaded (RaiseMany would read it again).
			if p := b.readings.Person(*row.PersonID); p != nil {
				r.ResidencePath = p.ResidencePath
			}
		}
		raises = append(raises, r)
	}
	if len(raises) == 0 || b.s.Alerts == nil {
		return nil
	}
	raised, msgs, err := b.s.Alerts.RaiseMany(b.ctx, b.c, raises)
	if err != nil {
		return mashang.Wrap(err, "scans.raiseAlerts")
	}
	b.msgs = msgs
	if b.perStep() {
		return mashang.Wrap(b.s.Rollups.ApplyAlertsRaised(b.ctx, b.c, raised), "scans.raiseAlerts")
	}
	stats.AddAlertsRaised(&b.counted, raised)
	return nil
}

// perStep: the rollups written as issue 12 did (stats.Rollups.PerStep, for
// the benchmark's side-by-side runs only).
func (b *batch) perStep() bool { return b.s.Rollups != nil && b.s.Rollups.PerStep }

// rollups counts the batch's scans, colour changes and alerts raised in the
// statistics, in its transaction: one statement on PostgreSQL
// (stats.Rollups.ApplyScans).
func (b *batch) rollups() error {
	return mashang.Wrap(b.s.Rollups.ApplyScans(b.ctx, b.c, b.rows, &b.counted), "scans.rollups")
}

// audit records the batch (how many items, how many stored) when it stored
// anything, and each attestation on its own: a scanner's word about a
// registered person is kept as theirs (issue 11).
func (b *batch) audit() error {
	if len(b.rows) == 0 {
		return nil
	}
	stats := map[string]any{"stored": len(b.rows), "items": len(b.items)}
	acct := b.v.AccountID
	if err := audit.Record(b.ctx, b.c, audit.Event{AccountID: &acct, Action: "recordScans",
		Target: "account:" + strconv.Itoa(b.v.AccountID), Detail: stats}, b.now); err != nil {
		return mashang.Wrap(err, "scans.audit")
	}
	for _, row := range b.rows {
		if row.Presence == nil || *row.Presence != scan.PresenceATTESTED {
			continue
		}
		detail := map[string]any{"scan": row.ID, "person": *row.PersonID, "site": row.SiteID, "method": row.Method.String(),
			"idNumberMasked": row.IDNumberMasked, "decision": row.Decision.String(), "temperature": row.Temperature}
		if len(row.ReviewReasons) > 0 {
			detail["review"] = row.ReviewReasons
		}
		if err := audit.Record(b.ctx, b.c, audit.Event{AccountID: &acct, Action: "attestPerson",
			Target: "person:" + strconv.Itoa(*row.PersonID), Detail: detail}, b.now); err != nil {
			return mashang.Wrap(err, "scans.audit")
		}
	}
	return nil
}

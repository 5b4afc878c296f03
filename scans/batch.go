package scans

import (
	"context"
	"strconv"
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

	rows   []*ent.Scan // the scans to store
	stored []*item     // the item of each row
	msgs   []alerts.Message
}

// record runs the steps of a batch, in order, in the transaction of c and
// returns the alerts to publish once it commits.
func (s *Service) record(ctx context.Context, c *ent.Client, v *mashang.Viewer, items []*item, now time.Time, checkReplays bool) ([]alerts.Message, error) {
	b := &batch{s: s, ctx: ctx, c: c, v: v, items: items, now: now, checkReplays: checkReplays,
		active: !v.Disabled, registered: map[string]int{}}
	for _, step := range []func() error{
		b.findReplays,     // 1. a retried client id returns the stored scan
		b.checkSites,      // 2. the sites, and the scanner's right to record there
		b.identifyPersons, // 3. the codes: who each scan is of
		b.loadScanner,     // 4. the scanner's holder and the batch's persons
		b.decideAll,       // 5. the decision at the door, item by item
		b.store,           // 6. the readings and the scans
		b.raiseAlerts,     // 7. the alerts of seed 004 annex note 3
		b.audit,           // 8. the audit event
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
		if it.manualDoc != "" {
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
		if it.ok() && it.manualDoc != "" {
			if id := byHash[*it.idHash]; id != 0 {
				it.personID = id
				b.personIDs = append(b.personIDs, id)
			}
		}
	}
	return nil
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
	if it.personID != 0 && p == nil && it.manualDoc == "" {
		fail(it, mashang.FieldErrorf(mashang.ENOTFOUND, "personId", "The code names person %d, who is not registered here.", it.personID))
		return nil
	}
	if p != nil && it.colour == "" {
		it.colour = p.Colour.String()
	}
	if p != nil && it.Method != door.MethodManual {
		it.nameMask, it.idMask = p.NameMasked, p.IDNumberMasked
		h := p.IDNumberHash
		it.idHash = &h
	}
	siteInfo := door.Site{Latitude: it.site.Latitude, Longitude: it.site.Longitude,
		GeofenceRadius: it.site.GeofenceRadius, Vehicle: isVehicle(it.site.Category), Enabled: it.site.Enabled}
	input := door.Input{Method: it.Method, Temperature: it.Temperature, DeviceLat: it.DeviceLat, DeviceLng: it.DeviceLng,
		PersonColour: it.colour, ForeignIssuer: foreign(it.issuer, b.s.Issuer), FeverThreshold: b.threshold, Now: b.now}
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
	if p != nil {
		after, err := b.readings.Apply(b.ctx, p.ID, it.Temperature, b.now)
		if err != nil {
			return mashang.Wrap(err, "scans.decide")
		}
		if it.Method != door.MethodManual && it.issuer == b.s.Issuer {
			input.PersonColour = after
			o = door.Decide(siteInfo, b.scanner(), input)
		}
	}
	b.rows = append(b.rows, b.row(it, o, siteInfo))
	b.stored = append(b.stored, it)
	it.colour = o.Colour
	it.res.Err = nil
	return nil
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
	if it.Method != door.MethodManual || it.personID != 0 {
		return p, true
	}
	// A person registered by an earlier item of this batch (the lookup by
	// document ran before it): the same person, not a second registration,
	// which would be refused as a CONFLICT.
	if id := b.registered[*it.idHash]; id != 0 {
		it.personID = id
		return b.readings.Person(id), true
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
		Method:     scan.Method(it.Method),
		NameMasked: it.nameMask, IDNumberMasked: it.idMask, IDNumberHash: it.idHash,
		Issuer: it.issuer, Subject: it.subject,
		Temperature: it.Temperature, Fever: o.Fever, Decision: scan.Decision(o.Decision),
		AlertReasons:   o.AlertReasons,
		DeviceLatitude: it.DeviceLat, DeviceLongitude: it.DeviceLng,
		ClientTime: it.ClientTime, ServerTime: b.now,
	}
	if it.personID != 0 {
		pid := it.personID
		row.PersonID = &pid
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
	if err := b.readings.Flush(b.ctx); err != nil {
		return mashang.Wrap(err, "scans.store")
	}
	if len(b.rows) == 0 {
		return nil
	}
	if err := b.s.insert(b.ctx, b.c, b.rows); err != nil {
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
		if len(row.AlertReasons) == 0 && row.Decision == scan.DecisionPASS {
			continue
		}
		scanID, siteID := row.ID, row.SiteID
		sector := row.Sector
		temp := row.Temperature
		r := alerts.Raise{Kind: "SCAN", ScopePath: row.SitePath, Place: row.SiteName, Sector: &sector,
			ScanID: &scanID, SiteID: &siteID, PersonID: row.PersonID,
			NameMasked: row.NameMasked, IDNumberMasked: row.IDNumberMasked,
			Reasons: reasonsOf(row), Temperature: &temp}
		if row.Colour != nil {
			col := row.Colour.String()
			r.Colour = &col
		}
		raises = append(raises, r)
	}
	if len(raises) == 0 || b.s.Alerts == nil {
		return nil
	}
	var err error
	_, b.msgs, err = b.s.Alerts.RaiseMany(b.ctx, b.c, raises)
	return mashang.Wrap(err, "scans.raiseAlerts")
}

// audit records the batch (how many items, how many stored) when it stored
// anything.
func (b *batch) audit() error {
	if len(b.rows) == 0 {
		return nil
	}
	stats := map[string]any{"stored": len(b.rows), "items": len(b.items)}
	acct := b.v.AccountID
	return audit.Record(b.ctx, b.c, audit.Event{AccountID: &acct, Action: "recordScans",
		Target: "account:" + strconv.Itoa(b.v.AccountID), Detail: stats}, b.now)
}

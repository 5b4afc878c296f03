package scans

import (
	"context"
	"strconv"
	"time"

	"entgo.io/ent/dialect/sql/sqlgraph"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/audit"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/door"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/auditevent"
	"github.com/mashang/mashang/ent/scan"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/token"
	"github.com/mashang/mashang/validate"
)

// Self-scan (seed 003 §二(一): 张贴专属核验码…自助扫码+体温测量; issue 11,
// points 6 and 7): a resident scans the site's code with their own app,
// acting with their personToken, and the scan is recorded against the site
// with no scanner account. The site code and the personToken together are
// the proof of presence (CODE); against a forwarded picture of the code,
// a code that lives longer than a rotating one (a printed poster's) is
// accepted only with the phone's location within the site's geofence.

const (
	// DefaultSiteCodeRotate is the life of a site's rotating code (a
	// screen at the door) when SiteCodeRotate is 0: a site code that lives
	// no longer is accepted without the phone's location.
	DefaultSiteCodeRotate = 5 * time.Minute
	// DefaultSelfScansPerHour is how many self-scans one person may record
	// in any hour when SelfScansPerHour is 0: a day of doors, not a script.
	DefaultSelfScansPerHour = 20
	// FarSelfScansFlagged is how many self-scans of far-away sites one
	// person may try in 24 hours before they are flagged for review.
	FarSelfScansFlagged = 3
	// MaxFixAccuracyMetres is the least precise location fix a poster's
	// code is checked against: a coarser one proves nothing about presence.
	MaxFixAccuracyMetres = 500.0
	// ReviewFarSelfScans is the reason of the alert raised on repeated
	// self-scans of far-away sites (a forwarded site code).
	ReviewFarSelfScans = "SELF_SCAN_FAR_AWAY"
	// actionFarSelfScan is the audit action of a self-scan refused as made
	// far from the site; counted for the flag.
	actionFarSelfScan = "selfScanFarAway"
	// selfScanAccount is the account id of a self-scan: no scanner account.
	selfScanAccount = 0
)

// SelfScanInput is a self-scan as the resident's app reports it.
type SelfScanInput struct {
	ClientID, SiteCode, PersonToken string
	Temperature                     *float64 // °C; nil when not measured
	Lat, Lng                        *float64
	Accuracy                        float64 // metres; 0 when not known
	ClientTime                      *time.Time
}

func (s *Service) siteCodeRotate() time.Duration {
	if s.SiteCodeRotate > 0 {
		return s.SiteCodeRotate
	}
	return DefaultSiteCodeRotate
}

func (s *Service) selfScansPerHour() int {
	if s.SelfScansPerHour != 0 {
		return s.SelfScansPerHour
	}
	return DefaultSelfScansPerHour
}

// selfScan is a SelfScanInput on its way to a scan.
type selfScan struct {
	SelfScanInput
	person   *ent.Person
	site     *ent.Site
	rotating bool // the site code is a screen's rotating code
	key      string
	res      Result
	msgs     []alerts.Message
}

// SelfScan records the self-scan of the person whose personToken in names.
// The error is the call's (the database); a refused scan is in Result.Err.
// SECURITY: the personToken is the only credential (persons.BySecret), and
// the site is the one the verified site code names: nobody records a scan
// for someone else, nor at a site whose code they did not scan
// (TestAResidentCanSelfScanAPostedSiteCodeWithTheirOwnApp).
func (s *Service) SelfScan(ctx context.Context, in SelfScanInput) (Result, error) {
	now := s.now().UTC().Truncate(time.Microsecond)
	ss := &selfScan{SelfScanInput: in, res: Result{ClientID: in.ClientID}}
	if !clientIDPattern.MatchString(in.ClientID) || len(in.ClientID) > 40 {
		ss.res.Err = mashang.FieldErrorf(mashang.EINVALID, "clientId", "Give each self-scan a client id of 1 to 40 letters, digits, '.', '_', ':' or '-' (a UUID is best), so a retry is recognised.")
		return ss.res, nil
	}
	sys := authz.AsSystem(ctx)
	p, err := s.Persons.BySecret(sys, in.PersonToken)
	if err != nil {
		if mashang.ErrorCode(err) == mashang.EINTERNAL {
			return Result{}, mashang.Wrap(err, "scans.SelfScan")
		}
		ss.res.Err = err
		return ss.res, nil
	}
	ss.person, ss.key = p, "self:"+strconv.Itoa(p.ID)+":"+in.ClientID
	if !s.selfSiteCode(ss, now) {
		return ss.res, nil
	}
	for attempt := 0; ; attempt++ {
		ss.res, ss.msgs = Result{ClientID: in.ClientID}, nil
		err = database.InTx(sys, s.Client, func(ctx context.Context, c *ent.Client) error {
			return s.selfScanTx(ctx, c, ss, now)
		}, database.Fresh())
		// A concurrent retry of the same client id: the second attempt
		// finds the other's scan.
		if err == nil || !(ent.IsConstraintError(err) || sqlgraph.IsUniqueConstraintError(err)) || attempt == 1 {
			break
		}
	}
	if err != nil {
		return Result{}, mashang.Wrap(err, "scans.SelfScan")
	}
	if s.Alerts != nil && len(ss.msgs) > 0 {
		s.Alerts.Publish(ctx, ss.msgs)
	}
	return ss.res, nil
}

// selfSiteCode verifies the site code: this province's, of a site, and
// says whether it is a screen's rotating code (it lives no longer than
// SiteCodeRotate); an expired one is TOKEN_EXPIRED.
func (s *Service) selfSiteCode(ss *selfScan, now time.Time) bool {
	sc, err := s.verify(ss.SiteCode, now)
	if err != nil {
		ss.res.Err = fieldOf(err, "siteCode")
		return false
	}
	if sc.Kind != token.KindSite || sc.Issuer != s.Issuer || sc.Subject == 0 || sc.Subject > 1<<62 {
		ss.res.Err = mashang.FieldErrorf(mashang.ETOKENWRONGKIND, "siteCode", "This is not a site's code of this province: scan the code posted at the site.")
		return false
	}
	ss.site = &ent.Site{ID: int(sc.Subject)}
	ss.rotating = sc.ExpiresAt.Sub(sc.IssuedAt) <= s.siteCodeRotate()
	return true
}

// selfScanTx records the self-scan in the transaction of c, or refuses it;
// a refusal for a far-away site is audited (and flagged) all the same.
func (s *Service) selfScanTx(ctx context.Context, c *ent.Client, ss *selfScan, now time.Time) error {
	prior, err := c.Scan.Query().Where(scan.AccountID(selfScanAccount), scan.ClientID(ss.key)).Only(ctx)
	if err == nil {
		ss.res.Scan, ss.res.Replayed = prior, true
		return nil
	}
	if !ent.IsNotFound(err) {
		return mashang.Wrap(err, "scans.selfScanTx")
	}
	if ss.site, err = c.Site.Get(ctx, ss.site.ID); ent.IsNotFound(err) {
		ss.res.Err = mashang.FieldErrorf(mashang.ENOTFOUND, "siteCode", "The site of this code no longer exists.")
		return nil
	} else if err != nil {
		return mashang.Wrap(err, "scans.selfScanTx")
	}
	if ss.res.Err = s.selfScanInput(ss); ss.res.Err != nil {
		return nil
	}
	if err := s.limitSelfScans(ctx, c, ss, now); err != nil || ss.res.Err != nil {
		return mashang.Wrap(err, "scans.selfScanTx")
	}
	if far, dist := s.farFromSite(ss); far {
		return s.refuseFar(ctx, c, ss, dist, now)
	}
	return s.storeSelfScan(ctx, c, ss, now)
}

// selfScanInput checks what the app sent against what the site asks.
func (s *Service) selfScanInput(ss *selfScan) error {
	if ss.Temperature != nil {
		if err := validate.Temperature(*ss.Temperature); err != nil {
			return mashang.FieldErrorf(mashang.EINVALID, "temperature", "%v", err)
		}
	} else if ss.site.SelfScanNeedsTemperature {
		// seed 003 §二(一): 自助扫码+体温测量, where the site demands it.
		return mashang.FieldErrorf(mashang.EINVALID, "temperature", "This site asks for your temperature with a self-scan: measure it at the door and enter it.")
	}
	if (ss.Lat == nil) != (ss.Lng == nil) {
		return mashang.FieldErrorf(mashang.EINVALID, "location", "The location needs both latitude and longitude, or neither.")
	}
	if ss.Lat != nil {
		if validate.Latitude(*ss.Lat) != nil || validate.Longitude(*ss.Lng) != nil || ss.Accuracy < 0 {
			return mashang.FieldErrorf(mashang.EINVALID, "location", "The location is not a valid position on the earth.")
		}
	}
	if !ss.rotating && ss.geofenced() {
		if ss.Lat == nil {
			return mashang.FieldErrorf(mashang.EINVALID, "location", "A poster's site code is checked against where you are: turn on your phone's location, or scan the code on the site's screen.")
		}
		if ss.Accuracy > MaxFixAccuracyMetres {
			return mashang.FieldErrorf(mashang.EINVALID, "location", "Your phone's location is only known to %.0f m: move into the open and scan again, or scan the code on the site's screen.", ss.Accuracy)
		}
	}
	return nil
}

func (ss *selfScan) geofenced() bool {
	return door.Site{Latitude: ss.site.Latitude, Longitude: ss.site.Longitude, GeofenceRadius: ss.site.GeofenceRadius,
		Vehicle: isVehicle(ss.site.Category)}.Geofenced()
}

// limitSelfScans refuses a self-scan beyond the person's hourly allowance.
// SECURITY: keeps a script holding a personToken from writing scans (and
// readings) at site after site (TestAResidentCanSelfScanAPostedSiteCodeWithTheirOwnApp).
func (s *Service) limitSelfScans(ctx context.Context, c *ent.Client, ss *selfScan, now time.Time) error {
	limit := s.selfScansPerHour()
	if limit < 0 {
		return nil
	}
	n, err := c.Scan.Query().Where(scan.PersonID(ss.person.ID), scan.MethodEQ(scan.MethodSELF_SCAN),
		scan.ServerTimeGT(now.Add(-time.Hour))).Count(ctx)
	if err != nil {
		return mashang.Wrap(err, "scans.limitSelfScans")
	}
	if n >= limit {
		ss.res.Err = mashang.Errorf(mashang.ERATELIMITED, "You have self-scanned %d times in the last hour, the most allowed: try again later, or show your code at the door.", limit)
	}
	return nil
}

// farFromSite reports whether the phone's fix lies beyond the site's
// geofence plus the fix's accuracy plus the geofence margin (the same
// Geofence.MarginMetres as a scanner's fix, seed 001 §7), and the
// distance. A rotating code is checked too when a fix comes with it.
func (s *Service) farFromSite(ss *selfScan) (bool, float64) {
	if !ss.geofenced() || ss.Lat == nil {
		return false, 0
	}
	d := door.DistanceMetres(*ss.site.Latitude, *ss.site.Longitude, *ss.Lat, *ss.Lng)
	return d > float64(ss.site.GeofenceRadius)+min(ss.Accuracy, MaxFixAccuracyMetres)+s.Geofence.WithDefaults().MarginMetres, d
}

// refuseFar refuses a self-scan made far from the site (a forwarded site
// code, issue 11 point 7), audits the attempt and, at the
// FarSelfScansFlagged-th in 24 hours, raises an alert for review where the
// person lives (and the site's region when the residence is not known).
// SECURITY: TestAForwardedPosterCodeScannedFarAwayIsRefused,
// TestRepeatedFarAwaySelfScansAreFlagged.
func (s *Service) refuseFar(ctx context.Context, c *ent.Client, ss *selfScan, dist float64, now time.Time) error {
	ss.res.Err = mashang.FieldErrorf(mashang.EGEOFENCE, "location", "You are %.0f m from this site, beyond its %d m area: a self-scan is recorded only at the site. Scan the code posted there.", dist, ss.site.GeofenceRadius)
	target := "person:" + strconv.Itoa(ss.person.ID)
	n, err := c.AuditEvent.Query().Where(auditevent.Action(actionFarSelfScan), auditevent.Target(target),
		auditevent.AtGT(now.Add(-24*time.Hour))).Count(ctx)
	if err != nil {
		return mashang.Wrap(err, "scans.refuseFar")
	}
	if n+1 == FarSelfScansFlagged && s.Alerts != nil {
		scope := ss.person.ResidencePath
		if scope == "" {
			scope = ss.site.Path
		}
		pid, siteID := ss.person.ID, ss.site.ID
		raised, msgs, err := s.Alerts.RaiseMany(ctx, c, []alerts.Raise{{Kind: "SCAN", ScopePath: scope, Place: ss.site.Name,
			SiteID: &siteID, PersonID: &pid, NameMasked: ss.person.NameMasked, IDNumberMasked: ss.person.IDNumberMasked,
			Reasons: []string{ReviewFarSelfScans}}})
		if err == nil {
			err = s.Rollups.ApplyAlertsRaised(ctx, c, raised)
		}
		if err != nil {
			return mashang.Wrap(err, "scans.refuseFar")
		}
		ss.msgs = msgs
	}
	detail := map[string]any{"site": ss.site.ID, "distanceMetres": int(dist), "accuracy": int(ss.Accuracy),
		"rotating": ss.rotating, "inLast24h": n + 1}
	if n+1 >= FarSelfScansFlagged {
		detail["review"] = []string{ReviewFarSelfScans}
	}
	return mashang.Wrap(audit.Record(ctx, c, audit.Event{Action: actionFarSelfScan, Target: target, Detail: detail,
		Refused: mashang.EGEOFENCE}, now), "scans.refuseFar")
}

// storeSelfScan applies the reading (when a temperature was measured),
// decides at the door as every scan is decided, and stores the scan.
func (s *Service) storeSelfScan(ctx context.Context, c *ent.Client, ss *selfScan, now time.Time) error {
	rd, err := s.Persons.Readings(ctx, c, []int{ss.person.ID}, now)
	if err != nil {
		return mashang.Wrap(err, "scans.storeSelfScan")
	}
	threshold := s.FeverThreshold
	if f, ok := rd.FeverC(); ok {
		threshold = f
	} else if threshold > 0 {
		rd.Threshold = threshold
	}
	p := rd.Person(ss.person.ID)
	colour := p.Colour.String()
	// A temperature not measured is no reading: it changes no colour and
	// the door decides on the colour alone (a normal placeholder is only
	// what door.Decide validates; the scan stores 0, not measured).
	temp, measured := 36.5, ss.Temperature != nil
	if measured {
		temp = *ss.Temperature
		if colour, err = rd.Apply(ctx, p.ID, temp, now); err != nil {
			return mashang.Wrap(err, "scans.storeSelfScan")
		}
	}
	// The geofence was checked above, against the fix's accuracy; no
	// scanner acts, so none is disabled.
	siteInfo := door.Site{Vehicle: isVehicle(ss.site.Category), Enabled: ss.site.Enabled}
	o := door.Decide(siteInfo, door.Scanner{OwnColour: "GREEN", Active: true}, door.Input{Method: door.MethodSelfScan,
		Temperature: temp, DeviceLat: ss.Lat, DeviceLng: ss.Lng, PersonColour: colour, FeverThreshold: threshold, Now: now})
	if o.Refused != nil {
		ss.res.Err = o.Refused
		return nil
	}
	if !measured {
		temp = 0
	}
	row := s.selfScanRow(ss, p, o, temp, now)
	if err := rd.Flush(ctx); err != nil {
		return mashang.Wrap(err, "scans.storeSelfScan")
	}
	rows := []*ent.Scan{row}
	if err := s.insert(ctx, c, rows); err != nil {
		return mashang.Wrap(err, "scans.storeSelfScan")
	}
	row = rows[0] // the stored row, with its id
	ss.res.Scan = row
	return s.selfScanAftermath(ctx, c, ss, row, now)
}

// selfScanRow is the scan of a decided self-scan.
func (s *Service) selfScanRow(ss *selfScan, p *ent.Person, o door.Outcome, temp float64, now time.Time) *ent.Scan {
	pid, hash, pr := p.ID, p.IDNumberHash, scan.PresenceCODE
	row := &ent.Scan{
		ClientID: ss.key, AccountID: selfScanAccount,
		SiteID: ss.site.ID, SitePath: ss.site.Path, SiteName: ss.site.Name, Sector: ss.site.Sector,
		Category: categoryOf(ss.site),
		PersonID: &pid, Method: scan.MethodSELF_SCAN,
		NameMasked: p.NameMasked, IDNumberMasked: p.IDNumberMasked, IDNumberHash: &hash,
		Issuer: s.Issuer, Temperature: temp, Fever: o.Fever, Decision: scan.Decision(o.Decision),
		AlertReasons: o.AlertReasons, DeviceLatitude: ss.Lat, DeviceLongitude: ss.Lng,
		ClientTime: ss.ClientTime, ServerTime: now, Presence: &pr, IdentityCaptured: true,
	}
	if o.Colour != "" {
		col := scenario.Colour(o.Colour)
		row.Colour = &col
	}
	if ss.Lat != nil && ss.site.Latitude != nil && ss.site.Longitude != nil {
		d := door.DistanceMetres(*ss.site.Latitude, *ss.site.Longitude, *ss.Lat, *ss.Lng)
		row.DistanceMetres = &d
	}
	return row
}

// selfScanAftermath raises the alert of an abnormal self-scan (seed 004
// annex note 3, as every scan) and audits it.
func (s *Service) selfScanAftermath(ctx context.Context, c *ent.Client, ss *selfScan, row *ent.Scan, now time.Time) error {
	if (len(row.AlertReasons) > 0 || row.Decision != scan.DecisionPASS) && s.Alerts != nil {
		scanID, siteID, sector := row.ID, row.SiteID, row.Sector
		r := alerts.Raise{Kind: "SCAN", ScopePath: row.SitePath, Place: row.SiteName, Sector: &sector,
			ScanID: &scanID, SiteID: &siteID, PersonID: row.PersonID, NameMasked: row.NameMasked,
			IDNumberMasked: row.IDNumberMasked, Reasons: reasonsOf(row)}
		if ss.Temperature != nil {
			r.Temperature = ss.Temperature
		}
		if row.Colour != nil {
			col := row.Colour.String()
			r.Colour = &col
		}
		raised, msgs, err := s.Alerts.RaiseMany(ctx, c, []alerts.Raise{r})
		if err == nil {
			err = s.Rollups.ApplyAlertsRaised(ctx, c, raised)
		}
		if err != nil {
			return mashang.Wrap(err, "scans.selfScanAftermath")
		}
		ss.msgs = msgs
	}
	return mashang.Wrap(audit.Record(ctx, c, audit.Event{Action: "selfScan", Target: "person:" + strconv.Itoa(ss.person.ID),
		Detail: map[string]any{"scan": row.ID, "site": row.SiteID, "rotating": ss.rotating, "decision": row.Decision.String()}}, now),
		"scans.selfScanAftermath")
}

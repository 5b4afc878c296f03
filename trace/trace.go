// Package trace follows a person through the scans (DESIGN.md §5: trace
// trajectories only with a time-limited TRACER grant given by the province,
// every use audited with both; seed 001 §11 须经省“数字吉林”建设领导小组办公室授权):
// a person's trajectory (every scan of the person in a time range) and the
// persons scanned at the same sites close in time (co-location), each with
// a CSV export for the health authorities.
//
// A tracer follows only the residents of the region its grant covers, and
// sees only the scans made in that region (issue 10 #18: purpose
// limitation). Once the grant is checked, the scans and persons are read
// as the system (authz.AsSystem), bounded by the grant's region rather
// than the tracer's own scope. Names and ID numbers stay masked; unmasking
// is persons.Service.Unmask's, with its own grant. The CSV exports go
// through csvsafe: no cell runs as a formula in a spreadsheet.
package trace

import (
	"context"
	"strconv"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/audit"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/csvsafe"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/predicate"
	"github.com/mashang/mashang/ent/scan"
	"github.com/mashang/mashang/tree"
)

// MaxRows bounds a trajectory's scans and a co-location's contacts.
const MaxRows = 5000

// MaxRange is the longest time range traced at once.
const MaxRange = 62 * 24 * time.Hour

// DefaultWindow is how close in time two scans at one site must be to make
// a contact when the caller gives no window.
const DefaultWindow = 30 * time.Minute

// Service traces persons.
type Service struct {
	// Client is the API's client (with the scope filter installed); the
	// request's transaction in the context is preferred (database.ClientFrom).
	Client   *ent.Client
	Enforcer *authz.Enforcer
	Now      func() time.Time // time.Now when nil
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Trajectory is a person's scans in a time range, oldest first.
type Trajectory struct {
	Person *ent.Person
	Grant  *ent.Grant // the TRACER grant used; its region bounds Scans
	Scans  []*ent.Scan
	CSV    string // the same rows as CSV, header line first
}

// Trajectory returns the scans of the person (registered, or scanned with
// the person's document) in [from, to) made within the region of the
// TRACER grant used (grantID, or 0 for the narrowest of the caller's grants
// covering the person), at most MaxRows, and audits the use as
// "personTrajectory" with the grant's purpose.
func (s *Service) Trajectory(ctx context.Context, personID, grantID int, from, to time.Time) (*Trajectory, error) {
	u, err := s.traced(ctx, "personTrajectory", personID, grantID, from, to, nil)
	if err != nil {
		return nil, mashang.Wrap(err, "trace.Trajectory")
	}
	rows, err := s.scansOf(ctx, u, from, to)
	if err != nil {
		return nil, mashang.Wrap(err, "trace.Trajectory")
	}
	return &Trajectory{Person: u.person, Grant: u.grant, Scans: rows, CSV: trajectoryCSV(rows)}, nil
}

// use is one checked use of a TRACER grant: the person traced, the grant
// and the region it covers.
type use struct {
	person *ent.Person
	grant  *ent.Grant
	region string
}

// traced checks the TRACER grant and the time range, loads the person
// (as the system: the grant's region decides, not the tracer's scope) and
// audits the use with the range and the grant's purpose.
//
// Purpose limitation (seed 001 §3, §11): the person must live within the
// region of a live TRACER grant of the caller, and only the scans made
// within that region are read (scansOf). A person who does not exist and a
// person living outside every grant's region get the same NOT_FOUND, so
// the answer tells nothing about who lives where.
func (s *Service) traced(ctx context.Context, action string, personID, grantID int, from, to time.Time, extra map[string]any) (*use, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	c := database.ClientFrom(ctx, s.Client)
	gs, err := authz.LiveGrants(ctx, c, v, mashang.GrantTracer, grantID, now)
	if err != nil {
		return nil, mashang.Wrap(err, "trace.traced")
	}
	// SECURITY: tracing needs a live TRACER grant (seed 001 §11), whatever
	// the caller's role — the INITIATOR included (TestTraceCallers).
	if len(gs) == 0 {
		return nil, mashang.Errorf(mashang.EFORBIDDEN, "Tracing needs a TRACER grant from the province (giveGrant); yours is missing, has expired or was revoked.")
	}
	if !to.After(from) || to.Sub(from) > MaxRange {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "to", "Give a time range of at most 62 days with from before to.")
	}
	sys := authz.AsSystem(ctx)
	p, err := c.Person.Get(sys, personID)
	if err != nil && !ent.IsNotFound(err) {
		return nil, mashang.Wrap(err, "trace.traced")
	}
	var g *ent.Grant
	if p != nil {
		// SECURITY: the person must live in the grant's region: a TRACER of
		// 宁国市 does not follow a resident of 朝阳区
		// (TestATracerOfNingguoCannotReadAChaoyangResidentsTrajectory).
		g = s.enforcer().Covering(v, gs, authz.ObjPerson, authz.ActTrace, p.ResidencePath)
	}
	if g == nil {
		return nil, mashang.FieldErrorf(mashang.ENOTFOUND, "person", "No person %d lives in the region of your TRACER grant.", personID)
	}
	detail := authz.GrantPurpose(g, v)
	detail["from"], detail["to"] = from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339)
	for k, val := range extra {
		detail[k] = val
	}
	acct := v.AccountID
	if err := audit.Record(sys, c, audit.Event{AccountID: &acct, Action: action,
		Target: "person:" + strconv.Itoa(p.ID), Detail: detail}, now); err != nil {
		return nil, mashang.Wrap(err, "trace.traced")
	}
	return &use{person: p, grant: g, region: authz.GrantRegion(g, v)}, nil
}

// enforcer is Service.Enforcer, or the embedded policy when unset.
func (s *Service) enforcer() *authz.Enforcer { return authz.OrDefault(s.Enforcer) }

// scansOf reads the traced person's scans in [from, to) made within the
// grant's region, as the system (after traced).
func (s *Service) scansOf(ctx context.Context, u *use, from, to time.Time) ([]*ent.Scan, error) {
	return database.ClientFrom(ctx, s.Client).Scan.Query().Where(
		scan.Or(scan.PersonID(u.person.ID), scan.IDNumberHash(u.person.IDNumberHash)),
		scan.ServerTimeGTE(from), scan.ServerTimeLT(to), inRegion(u.region),
	).Order(ent.Asc(scan.FieldServerTime), ent.Asc(scan.FieldID)).Limit(MaxRows).All(authz.AsSystem(ctx))
}

// inRegion keeps the scans made at sites within region ("/": everywhere).
func inRegion(region string) predicate.Scan {
	return predicate.Scan(tree.Within(scan.FieldSitePath, region))
}

func trajectoryCSV(rows []*ent.Scan) string {
	records := [][]string{{"time", "site", "method", "colour", "temperature", "decision", "scanner", "issuer"}}
	for _, s := range rows {
		colour := ""
		if s.Colour != nil {
			colour = s.Colour.String()
		}
		records = append(records, []string{s.ServerTime.UTC().Format(time.RFC3339), s.SiteName, s.Method.String(), colour,
			strconv.FormatFloat(s.Temperature, 'f', 1, 64), s.Decision.String(), s.ScannerName, s.Issuer})
	}
	return csvText(records)
}

// csvText renders the records of a tracing export as CSV text, every cell
// neutralised against formulas (csvsafe: a site named =HYPERLINK(…) stays
// text in Excel and WPS).
func csvText(records [][]string) string { return csvsafe.String(records) }

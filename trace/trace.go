// Package trace follows a person through the scans (DESIGN.md §5: trace
// trajectories only with a time-limited TRACER grant given by the province,
// every use audited with both; seed 001 §11 须经省“数字吉林”建设领导小组办公室授权):
// a person's trajectory (every scan of the person in a time range) and the
// persons scanned at the same sites close in time (co-location), each with
// a CSV export for the health authorities.
//
// A tracer follows a person anywhere in the province: once the grant is
// checked, the scans and persons are read as the system (authz.AsSystem),
// not through the tracer's own scope filter. Names and ID numbers stay
// masked; unmasking is persons.Service.Unmask's, with its own grant.
package trace

import (
	"context"
	"encoding/csv"
	"strconv"
	"strings"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/audit"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/scan"
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
// the person's document) in [from, to), at most MaxRows, and audits the
// use as "personTrajectory".
func (s *Service) Trajectory(ctx context.Context, personID int, from, to time.Time) (*Trajectory, error) {
	p, err := s.traced(ctx, "personTrajectory", personID, from, to, nil)
	if err != nil {
		return nil, mashang.Wrap(err, "trace.Trajectory")
	}
	rows, err := s.scansOf(ctx, p, from, to)
	if err != nil {
		return nil, mashang.Wrap(err, "trace.Trajectory")
	}
	return &Trajectory{Person: p, Scans: rows, CSV: trajectoryCSV(rows)}, nil
}

// traced checks the TRACER grant and the time range, loads the person
// unfiltered (a tracer follows a person anywhere in the province) and
// audits the use with the range.
func (s *Service) traced(ctx context.Context, action string, personID int, from, to time.Time, extra map[string]any) (*ent.Person, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	// SECURITY: tracing needs an unexpired TRACER grant (seed 001 §11),
	// whatever the caller's role — the INITIATOR included.
	if err := s.Enforcer.Check(v, authz.ObjPerson, authz.ActTrace, "", now); err != nil {
		return nil, mashang.Errorf(mashang.EFORBIDDEN, "Tracing needs a TRACER grant from the province (giveGrant); yours is missing or has expired.")
	}
	if !to.After(from) || to.Sub(from) > MaxRange {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "to", "Give a time range of at most 62 days with from before to.")
	}
	sys := authz.AsSystem(ctx)
	c := database.ClientFrom(ctx, s.Client)
	p, err := c.Person.Get(sys, personID)
	if ent.IsNotFound(err) {
		return nil, mashang.FieldErrorf(mashang.ENOTFOUND, "person", "No person %d.", personID)
	}
	if err != nil {
		return nil, mashang.Wrap(err, "trace.traced")
	}
	detail := map[string]any{"from": from.UTC().Format(time.RFC3339), "to": to.UTC().Format(time.RFC3339)}
	for k, val := range extra {
		detail[k] = val
	}
	acct := v.AccountID
	if err := audit.Record(sys, c, audit.Event{AccountID: &acct, Action: action,
		Target: "person:" + strconv.Itoa(p.ID), Detail: detail}, now); err != nil {
		return nil, mashang.Wrap(err, "trace.traced")
	}
	return p, nil
}

// scansOf reads p's scans in [from, to) as the system (after traced).
func (s *Service) scansOf(ctx context.Context, p *ent.Person, from, to time.Time) ([]*ent.Scan, error) {
	return database.ClientFrom(ctx, s.Client).Scan.Query().Where(
		scan.Or(scan.PersonID(p.ID), scan.IDNumberHash(p.IDNumberHash)),
		scan.ServerTimeGTE(from), scan.ServerTimeLT(to),
	).Order(ent.Asc(scan.FieldServerTime), ent.Asc(scan.FieldID)).Limit(MaxRows).All(authz.AsSystem(ctx))
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

// csvText renders the records of a tracing export as CSV text.
func csvText(records [][]string) string {
	var b strings.Builder
	_ = csv.NewWriter(&b).WriteAll(records) // a strings.Builder does not fail
	return b.String()
}

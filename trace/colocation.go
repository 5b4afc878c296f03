package trace

import (
	"context"
	"strconv"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/ent/predicate"
	"github.com/mashang/mashang/ent/scan"
)

// Contact is a scan of someone else at a site where the person was
// scanned, close in time.
type Contact struct {
	// The contact's masked name and ID number as scanned.
	NameMasked, IDNumberMasked string
	// The registered person scanned, when known.
	Person   *ent.Person
	SiteName string
	// When the contact was scanned, and the person's scan it overlaps.
	At, PersonAt time.Time
	MinutesApart float64

	personID int // of Person, before loadPersons; 0 when none
}

// CoLocation is the contacts of a person in a time range.
type CoLocation struct {
	Person   *ent.Person
	Grant    *ent.Grant // the TRACER grant used; its region bounds the scans
	Contacts []*Contact
	CSV      string // the same rows as CSV, header line first
}

// CoLocated returns the scans of others at the sites where the person was
// scanned in [from, to), within windowMinutes (1 to 1440; nil means
// DefaultWindow) of the person's scan, at most MaxRows, and audits the use
// as "coLocated" with the grant's purpose. As for Trajectory, the person
// lives in the region of the TRACER grant used (grantID, or 0 for the
// narrowest covering one), and only scans made within it are read: the
// person's own, and so the contacts at the same sites.
func (s *Service) CoLocated(ctx context.Context, personID, grantID int, from, to time.Time, windowMinutes *int) (*CoLocation, error) {
	window := DefaultWindow
	if windowMinutes != nil {
		if w := *windowMinutes; w < 1 || w > 24*60 {
			return nil, mashang.FieldErrorf(mashang.EINVALID, "windowMinutes", "The window is 1 to 1440 minutes.")
		}
		window = time.Duration(*windowMinutes) * time.Minute
	}
	u, err := s.traced(ctx, "coLocated", personID, grantID, from, to, map[string]any{"windowMinutes": int(window / time.Minute)})
	if err != nil {
		return nil, mashang.Wrap(err, "trace.CoLocated")
	}
	own, err := s.scansOf(ctx, u, from, to)
	if err != nil {
		return nil, mashang.Wrap(err, "trace.CoLocated")
	}
	cs, err := s.contacts(authz.AsSystem(ctx), database.ClientFrom(ctx, s.Client), u, own, window)
	if err != nil {
		return nil, mashang.Wrap(err, "trace.CoLocated")
	}
	return &CoLocation{Person: u.person, Grant: u.grant, Contacts: cs, CSV: contactsCSV(cs)}, nil
}

// contacts finds the scans of others near own, read as the system (sys).
func (s *Service) contacts(sys context.Context, c *ent.Client, u *use, own []*ent.Scan, window time.Duration) ([]*Contact, error) {
	p := u.person
	bySite := map[int][]*ent.Scan{}
	for _, sc := range own {
		bySite[sc.SiteID] = append(bySite[sc.SiteID], sc)
	}
	var out []*Contact
	seen := map[int]bool{}
	// One query per 100 of the person's scans: each a range on the
	// (site_id, server_time) index.
	for start := 0; start < len(own) && len(out) < MaxRows; start += 100 {
		others, err := c.Scan.Query().Where(
			around(own[start:min(start+100, len(own))], window), inRegion(u.region),
			scan.Or(scan.PersonIDIsNil(), scan.PersonIDNEQ(p.ID)),
			scan.Or(scan.IDNumberHashIsNil(), scan.IDNumberHashNEQ(p.IDNumberHash)),
		).Order(ent.Asc(scan.FieldServerTime), ent.Asc(scan.FieldID)).Limit(MaxRows).All(sys)
		if err != nil {
			return nil, mashang.Wrap(err, "trace.contacts")
		}
		for _, o := range others {
			if seen[o.ID] {
				continue
			}
			near := nearest(bySite[o.SiteID], o.ServerTime)
			if near == nil || absDuration(o.ServerTime.Sub(near.ServerTime)) > window {
				continue
			}
			seen[o.ID] = true
			out = append(out, &Contact{NameMasked: o.NameMasked, IDNumberMasked: o.IDNumberMasked, SiteName: o.SiteName,
				At: o.ServerTime, PersonAt: near.ServerTime, MinutesApart: absMinutes(o.ServerTime.Sub(near.ServerTime))})
			if o.PersonID != nil {
				out[len(out)-1].personID = *o.PersonID
			}
			if len(out) >= MaxRows {
				break
			}
		}
	}
	return out, loadPersons(sys, c, out)
}

// around matches the scans at the sites of chunk within window of them.
func around(chunk []*ent.Scan, window time.Duration) predicate.Scan {
	ps := make([]predicate.Scan, len(chunk))
	for i, sc := range chunk {
		ps[i] = scan.And(scan.SiteID(sc.SiteID),
			scan.ServerTimeGTE(sc.ServerTime.Add(-window)), scan.ServerTimeLTE(sc.ServerTime.Add(window)))
	}
	return scan.Or(ps...)
}

// nearest is the scan of scans nearest in time to at, nil when none.
func nearest(scans []*ent.Scan, at time.Time) *ent.Scan {
	var near *ent.Scan
	for _, sc := range scans {
		if near == nil || absDuration(at.Sub(sc.ServerTime)) < absDuration(at.Sub(near.ServerTime)) {
			near = sc
		}
	}
	return near
}

// loadPersons sets the registered person of each contact that has one, in
// one query.
func loadPersons(sys context.Context, c *ent.Client, cs []*Contact) error {
	var ids []int
	for _, x := range cs {
		if x.personID != 0 {
			ids = append(ids, x.personID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	ps, err := c.Person.Query().Where(person.IDIn(ids...)).All(sys)
	if err != nil {
		return mashang.Wrap(err, "trace.loadPersons")
	}
	byID := make(map[int]*ent.Person, len(ps))
	for _, x := range ps {
		byID[x.ID] = x
	}
	for _, x := range cs {
		x.Person = byID[x.personID]
	}
	return nil
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func absMinutes(d time.Duration) float64 {
	return float64(absDuration(d).Round(time.Second)) / float64(time.Minute)
}

func contactsCSV(cs []*Contact) string {
	records := [][]string{{"name", "id_number", "site", "contact_time", "person_time", "minutes_apart"}}
	for _, c := range cs {
		records = append(records, []string{c.NameMasked, c.IDNumberMasked, c.SiteName, c.At.UTC().Format(time.RFC3339),
			c.PersonAt.UTC().Format(time.RFC3339), strconv.FormatFloat(c.MinutesApart, 'f', 1, 64)})
	}
	return csvText(records)
}

package stats

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent"
)

// The scans' metrics (seed 000 §四.1 and §五.1: 汇总全区每天…扫码人数;
// §五.3: 实时监控全区扫码情况):
//   - SCANS and FEVERS at every node of the scan's site path (the regions
//     and the sites) [category, sector, method, decision, colour];
//   - PEOPLE_SCANNED, the distinct persons scanned at a node on a day, at
//     every node (member "p:<person key>" at the node). A person's visits
//     are kept as members too, (day, "p:<person key>", site path): only a
//     scan whose visit is new that day (ApplyScans) tries the members of
//     its site's nodes, so the scans of a person at a door they passed
//     already that day write one member row, not one a node;
//   - SITES_SCANNING, the distinct sites with a scan that day, at the region
//     nodes above the site [category, sector] (member "s:<site id>/<category>/<sector>",
//     so a site whose category changes during a day is counted, exactly, in
//     both).
//
// The day is the local day (Zone) of the scan's server time.
//
// A person is known by their registration (person id), else by the keyed
// hash of the document typed or shown at the door, else by the issuer and
// subject of another province's code. A scan that names nobody (a colour
// read by eye with no identity) counts in SCANS but in no PEOPLE_SCANNED: it
// cannot tell whether it is someone already counted.

// ScanFacts is what the rollups need of one scan: the live path takes it
// from the stored row, the recount from the raw columns.
type ScanFacts struct {
	SiteID       int
	SitePath     string
	Category     string
	Sector       string
	Method       string
	Decision     string
	Colour       string
	Fever        bool
	ServerTime   time.Time
	PersonID     int // 0: none
	IDNumberHash string
	Issuer       string
	Subject      string
}

// FactsOfScan returns the facts of a stored scan.
func FactsOfScan(s *ent.Scan) ScanFacts {
	f := ScanFacts{SiteID: s.SiteID, SitePath: s.SitePath, Sector: string(s.Sector), Method: s.Method.String(),
		Decision: s.Decision.String(), Fever: s.Fever, ServerTime: s.ServerTime, Issuer: s.Issuer, Subject: s.Subject}
	if s.Category != nil {
		f.Category = string(*s.Category)
	}
	if s.Colour != nil {
		f.Colour = string(*s.Colour)
	}
	if s.PersonID != nil {
		f.PersonID = *s.PersonID
	}
	if s.IDNumberHash != nil {
		f.IDNumberHash = *s.IDNumberHash
	}
	return f
}

// PersonKey is who a scan is of, for PEOPLE_SCANNED: "" when it names
// nobody.
func (f ScanFacts) PersonKey() string {
	switch {
	case f.PersonID != 0:
		return strconv.Itoa(f.PersonID)
	case f.IDNumberHash != "":
		return "h" + f.IDNumberHash
	case f.Subject != "":
		return "f" + f.Issuer + ":" + f.Subject
	}
	return ""
}

// ScanDelta is what stored scans add to the rollups, but for
// PEOPLE_SCANNED, which needs to know the visits already stored
// (ApplyScans).
func ScanDelta(rows []*ent.Scan) *Delta {
	// The scans of a batch share their site, day and most dimensions: they
	// are counted by group first and each group spread over its nodes once
	// (as the recount does), not each scan (issue 15 point 3).
	counts := make(map[scanGroup]int64)
	sites := make(map[siteDay]struct{})
	var days lastDay
	for _, r := range rows {
		f := FactsOfScan(r)
		day := days.of(f.ServerTime)
		k := scanKey(f)
		k.Day = day
		counts[scanGroup{sitePath: f.SitePath, key: k, fever: f.Fever}]++
		sites[siteDay{day: day, path: f.SitePath, id: f.SiteID, category: f.Category, sector: f.Sector}] = struct{}{}
	}
	var d Delta
	for g, n := range counts {
		addScans(&d, g, n)
	}
	for sd := range sites {
		addSiteScanning(&d, sd)
	}
	return &d
}

// siteDay is a site with a scan on a day, in a category and sector.
type siteDay struct {
	day, path string
	id        int
	category  string
	sector    string
}

// lastDay gives the local day of a time, formatting it only when the time
// differs from the last one (a batch's scans share their server time).
type lastDay struct {
	t   time.Time
	day string
}

func (l *lastDay) of(t time.Time) string {
	if l.day == "" || !t.Equal(l.t) {
		l.t, l.day = t, Day(t)
	}
	return l.day
}

// ApplyScans adds stored scans to the rollups through c, the client of the
// transaction that inserts them, with extra (what else the batch counts in
// the same transaction: its colour changes, its alerts raised; nil entries
// are skipped): one call a batch. On PostgreSQL that is two statements
// whatever the batch's size (the visits, then the members and counters in
// one, applyBatch, issue 15); elsewhere three (on SQLite, chunks of 500
// rows): the visits (day, person, site) go first; for
// each new one, the person is a member of every node of the site, and
// Apply counts the nodes where they are new (the unique members make
// concurrent batches count a person once).
func (r *Rollups) ApplyScans(ctx context.Context, c *ent.Client, rows []*ent.Scan, extra ...*Delta) error {
	if r == nil || r.Off {
		return nil
	}
	d := ScanDelta(rows)
	for _, e := range extra {
		if e != nil {
			d.Merge(e)
		}
	}
	// The visits (day, "p:<person>", site path); a person is tried as a
	// member of the site's nodes only once their visit proves new.
	visits := make(map[memberKey][]Key)
	var days lastDay
	for _, row := range rows {
		f := FactsOfScan(row)
		if pk := f.PersonKey(); pk != "" {
			visits[memberKey{Day: days.of(f.ServerTime), Node: "p:" + pk, Member: f.SitePath}] = nil
		}
	}
	if len(visits) == 0 && d.Empty() {
		return nil
	}
	if len(visits) > 0 {
		fresh, err := r.insertMembers(ctx, c, sortedMembers(visits))
		if err != nil {
			return mashang.Wrap(err, "stats.ApplyScans")
		}
		for _, v := range fresh {
			for _, n := range Nodes(v.Member) {
				d.Distinct(v.Node, Key{Day: v.Day, Node: n.Path, Metric: PeopleScanned})
			}
		}
	}
	if r.oneStatement() {
		// The members and the counters in one statement: the visits' gating
		// is resolved above, so that only the members of new visits are
		// built, sorted and sent (a batch whose persons were all seen at
		// that door today sends none).
		return mashang.Wrap(r.applyBatch(ctx, c, d), "stats.ApplyScans")
	}
	return mashang.Wrap(r.Apply(ctx, c, d), "stats.ApplyScans")
}

// scanKey is the SCANS counter of a scan (node and day aside).
func scanKey(f ScanFacts) Key {
	return Key{Metric: Scans, Category: f.Category, Sector: f.Sector, Method: f.Method, Decision: f.Decision, Colour: f.Colour}
}

// siteMember is the SITES_SCANNING member of a scan's site.
func siteMember(f ScanFacts) string {
	return "s:" + strconv.Itoa(f.SiteID) + "/" + f.Category + "/" + f.Sector
}

// siteTotal is the member of a scan's site for the total SITES_SCANNING
// counter (all categories and sectors): the site alone, so that a site
// whose category changed during the day counts once.
func siteTotal(f ScanFacts) string {
	return "s:" + strconv.Itoa(f.SiteID)
}

// addScans adds n scans of group g (its key with its day) at every node of
// its site: SCANS, and FEVERS when they had a fever.
func addScans(d *Delta, g scanGroup, n int64) {
	k := g.key
	nodes := Nodes(g.sitePath)
	d.AddAt(nodes, k, n)
	if g.fever {
		k.Metric = Fevers
		d.AddAt(nodes, k, n)
	}
}

// addSiteScanning adds the SITES_SCANNING members of a site scanning on a
// day, at the region nodes above it.
func addSiteScanning(d *Delta, sd siteDay) {
	f := ScanFacts{SiteID: sd.id, Category: sd.category, Sector: sd.sector}
	sm, st := siteMember(f), siteTotal(f)
	for _, n := range Nodes(sd.path) {
		if n.Level != Site {
			d.Distinct(sm, Key{Day: sd.day, Node: n.Path, Metric: SitesScanning, Category: sd.category, Sector: sd.sector})
			d.Distinct(st, Total(Key{Day: sd.day, Node: n.Path, Metric: SitesScanning}))
		}
	}
}

func init() {
	Register(Recount{Name: "scans", Metrics: []Metric{Scans, Fevers, PeopleScanned, SitesScanning}, Count: recountScans})
}

// recountScans streams the scans from the local day `from` on and adds
// them to d as the live path does. Scans are aggregated per day, site and
// dimensions before they are spread over the nodes, and distinct members
// are resolved per day. On PostgreSQL the rows come in the order of their
// time, so a day is spread out as soon as the next begins and the memory
// is that of a day, not of every scan; SQLite (tests, small databases)
// keeps every day until the end, as it stores times as text that does not
// sort across time zone offsets.
func recountScans(ctx context.Context, c *ent.Client, from string, d *Delta) error {
	start, err := dayStart(from)
	if err != nil {
		return mashang.Wrap(err, "stats.recountScans")
	}
	ordered, err := isPostgres(ctx, c)
	if err != nil {
		return mashang.Wrap(err, "stats.recountScans")
	}
	q := `SELECT site_id, site_path, COALESCE(category, ''), sector, method, decision,
 COALESCE(colour, ''), fever, server_time, COALESCE(person_id, 0), COALESCE(id_number_hash, ''), issuer, subject FROM scans`
	var args []any
	if ordered {
		q += ` WHERE server_time >= $1 ORDER BY server_time`
		args = append(args, start)
	}
	rows, err := c.QueryContext(ctx, q, args...)
	if err != nil {
		return mashang.Wrap(err, "stats.recountScans")
	}
	defer rows.Close()
	days := newScanDays(d, ordered)
	var cache dayCache
	for rows.Next() {
		var f ScanFacts
		if err := rows.Scan(&f.SiteID, &f.SitePath, &f.Category, &f.Sector, &f.Method, &f.Decision, &f.Colour, &f.Fever,
			&f.ServerTime, &f.PersonID, &f.IDNumberHash, &f.Issuer, &f.Subject); err != nil {
			return mashang.Wrap(err, "stats.recountScans")
		}
		if day := cache.day(f.ServerTime); day >= from {
			days.add(day, f)
		}
	}
	if err := rows.Err(); err != nil {
		return mashang.Wrap(err, "stats.recountScans")
	}
	days.flushAll()
	return nil
}

// scanDays are the days of a recount not yet spread over the nodes, and
// the sites and nodes met so far, numbered (a day's distinct persons are
// resolved on these numbers, not on strings).
type scanDays struct {
	out     *Delta
	ordered bool
	last    string
	byDay   map[string]*scanDay

	siteIdx   map[string]int32
	sitePaths []string
	siteNodes [][]int32 // the nodes of each site
	nodeIdx   map[string]int32
	nodePaths []string
}

func newScanDays(out *Delta, ordered bool) *scanDays {
	return &scanDays{out: out, ordered: ordered, byDay: map[string]*scanDay{}, siteIdx: map[string]int32{}, nodeIdx: map[string]int32{}}
}

// site numbers a site path (and its nodes) the first time it is met.
func (s *scanDays) site(path string) int32 {
	if i, ok := s.siteIdx[path]; ok {
		return i
	}
	i := int32(len(s.sitePaths))
	s.siteIdx[path] = i
	s.sitePaths = append(s.sitePaths, path)
	var nodes []int32
	for _, n := range Nodes(path) {
		ni, ok := s.nodeIdx[n.Path]
		if !ok {
			ni = int32(len(s.nodePaths))
			s.nodeIdx[n.Path] = ni
			s.nodePaths = append(s.nodePaths, n.Path)
		}
		nodes = append(nodes, ni)
	}
	s.siteNodes = append(s.siteNodes, nodes)
	return i
}

func (s *scanDays) add(day string, f ScanFacts) {
	if s.ordered && day != s.last {
		s.flushAll() // the rows come in order: the days before are complete
		s.last = day
	}
	sd := s.byDay[day]
	if sd == nil {
		sd = &scanDay{day: day, counts: map[scanGroup]int64{}, people: map[string][]int32{}, sites: map[[2]string]Key{}}
		s.byDay[day] = sd
	}
	sd.counts[scanGroup{sitePath: f.SitePath, key: scanKey(f), fever: f.Fever}]++
	if pk := f.PersonKey(); pk != "" {
		si := s.site(f.SitePath)
		if visited := sd.people[pk]; !slices.Contains(visited, si) {
			sd.people[pk] = append(visited, si)
		}
	}
	sd.sites[[2]string{f.SitePath, siteMember(f)}] = Key{Metric: SitesScanning, Category: f.Category, Sector: f.Sector}
	sd.sites[[2]string{f.SitePath, siteTotal(f)}] = Total(Key{Metric: SitesScanning})
}

func (s *scanDays) flushAll() {
	for day, sd := range s.byDay {
		sd.flush(s)
		delete(s.byDay, day)
	}
}

// scanDay gathers one day's scans of a recount: the counters by site and
// dimensions, and the distinct persons and sites.
type scanDay struct {
	day    string
	counts map[scanGroup]int64
	people map[string][]int32 // person key → the sites they were scanned at
	sites  map[[2]string]Key  // (site path, member) → SITES_SCANNING key
}

// scanGroup is the scans sharing one site and all the dimensions.
type scanGroup struct {
	sitePath string
	key      Key // metric SCANS, no node or day
	fever    bool
}

// flush spreads the day over the nodes into s.out. Distinct persons
// become plain counts (each person once a node of the sites they were
// scanned at), except on the days live writes still reach (keepMembers),
// whose members and visits are kept in the delta so that a rebuild writes
// them.
func (sd *scanDay) flush(s *scanDays) {
	out := s.out
	for g, n := range sd.counts {
		k := g.key
		k.Day = sd.day
		nodes := Nodes(g.sitePath)
		out.AddAt(nodes, k, n)
		if g.fever {
			k.Metric = Fevers
			out.AddAt(nodes, k, n)
		}
	}
	keep := keepMembers(sd.day)
	perNode := make([]int64, len(s.nodePaths))
	var union []int32
	for pk, visited := range sd.people {
		union = union[:0]
		for _, si := range visited {
			if keep {
				out.Member(sd.day, "p:"+pk, s.sitePaths[si]) // the visit
			}
			for _, ni := range s.siteNodes[si] {
				if !slices.Contains(union, ni) {
					union = append(union, ni)
				}
			}
		}
		for _, ni := range union {
			if keep {
				out.Distinct("p:"+pk, Key{Day: sd.day, Node: s.nodePaths[ni], Metric: PeopleScanned})
			} else {
				perNode[ni]++
			}
		}
	}
	for ni, n := range perNode {
		out.Add(Key{Day: sd.day, Node: s.nodePaths[ni], Metric: PeopleScanned}, n)
	}
	seen := make(map[memberKey]struct{}, len(sd.sites))
	for sm, k := range sd.sites {
		k.Day = sd.day
		for _, n := range RegionNodes(sm[0]) {
			mk := memberKey{Day: sd.day, Node: n.Path, Member: sm[1]}
			if _, dup := seen[mk]; dup {
				continue
			}
			seen[mk] = struct{}{}
			k.Node = n.Path
			out.countMember(keep, mk, k)
		}
	}
}

// dayCache gives the local day of a time, formatting it only when the time
// leaves the last day found (a recount's rows come day by day).
type dayCache struct {
	lo, hi time.Time
	last   string
}

func (c *dayCache) day(t time.Time) string {
	if c.last != "" && !t.Before(c.lo) && t.Before(c.hi) {
		return c.last
	}
	c.last = Day(t)
	lo, err := time.ParseInLocation(DayLayout, c.last, Zone)
	if err != nil {
		c.last = ""
		return Day(t)
	}
	c.lo, c.hi = lo, lo.AddDate(0, 0, 1)
	return c.last
}

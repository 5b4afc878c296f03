package stats

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/tree"
)

// Query answers Query.stats (issue 12 point 3): counts from stat_counts
// only, grouped by the dimensions asked, within the caller's scope, refused
// before it runs when its estimated size is above MaxRows.
type Query struct {
	Client   *ent.Client
	Enforcer *authz.Enforcer
	Dialect  string
	Now      func() time.Time
	// MaxRows caps the estimated rows a query reads (MASHANG_STATS_MAX_ROWS;
	// 0 means DefaultMaxRows).
	MaxRows int
}

// DefaultMaxRows is Query.MaxRows' default: a province by district over a
// year, or by street over a month, fits.
const DefaultMaxRows = 100_000

// Dimension is a value of the GraphQL enum StatsDimension.
type Dimension string

// The dimensions.
const (
	DimRegion   Dimension = "REGION"
	DimSite     Dimension = "SITE"
	DimDay      Dimension = "DAY"
	DimWeek     Dimension = "WEEK"
	DimMonth    Dimension = "MONTH"
	DimCategory Dimension = "SITE_CATEGORY"
	DimSector   Dimension = "SECTOR"
	DimMethod   Dimension = "METHOD"
	DimColour   Dimension = "COLOUR"
	DimDecision Dimension = "DECISION"
)

// cardinality is the number of values an enum dimension takes, for the cost.
var cardinality = map[Dimension]int{DimCategory: 25, DimSector: 13, DimMethod: 4, DimColour: 4, DimDecision: 2}

func (d Dimension) isTime() bool { return d == DimDay || d == DimWeek || d == DimMonth }
func (d Dimension) isNode() bool { return d == DimRegion || d == DimSite }

// Measure is a value of the GraphQL enum StatsMeasure.
type Measure string

// The measures that are not the plain sum of one metric.
const (
	MeanVisitMinutes Measure = "MEAN_VISIT_MINUTES"
	AccountsActive   Measure = "ACCOUNTS_ACTIVE"
	AccountsDisabled Measure = "ACCOUNTS_DISABLED"
)

// measureInfo says what a measure reads and which dimensions it carries
// (the dimensions its metric is counted by, ent/schema/stat.go; see the
// comments of the metrics in stats.go).
type measureInfo struct {
	metrics []Metric
	dims    []Dimension
	gauge   bool // current state (day ""): no time dimension, no period
	noSites bool // counted at region nodes only (residence, sites' regions)
}

var (
	scanDims  = []Dimension{DimCategory, DimSector, DimMethod, DimDecision, DimColour, DimSite}
	alertDims = []Dimension{DimSector, DimColour, DimSite}
	siteDims  = []Dimension{DimCategory, DimSector}
)

var measures = map[Measure]measureInfo{
	Measure(Registrations):      {metrics: []Metric{Registrations}, noSites: true},
	Measure(Scans):              {metrics: []Metric{Scans}, dims: scanDims},
	Measure(Fevers):             {metrics: []Metric{Fevers}, dims: scanDims},
	Measure(PeopleScanned):      {metrics: []Metric{PeopleScanned}, dims: []Dimension{DimSite}},
	Measure(AlertsRaised):       {metrics: []Metric{AlertsRaised}, dims: alertDims},
	Measure(AlertsAssigned):     {metrics: []Metric{AlertsAssigned}, dims: alertDims},
	Measure(AlertsVisited):      {metrics: []Metric{AlertsVisited}, dims: alertDims},
	Measure(AlertsClosed):       {metrics: []Metric{AlertsClosed}, dims: alertDims},
	MeanVisitMinutes:            {metrics: []Metric{VisitSeconds, AlertsVisited}, dims: alertDims},
	Measure(ControlListChanges): {metrics: []Metric{ControlListChanges}, noSites: true},
	Measure(ColourChanges):      {metrics: []Metric{ColourChanges}, dims: []Dimension{DimColour}, noSites: true},
	AccountsActive:              {metrics: []Metric{Accounts}, dims: []Dimension{DimSite}, gauge: true},
	AccountsDisabled:            {metrics: []Metric{Accounts}, dims: []Dimension{DimSite}, gauge: true},
	Measure(Sites):              {metrics: []Metric{Sites}, dims: siteDims, gauge: true, noSites: true},
	Measure(SitesBuilt):         {metrics: []Metric{SitesBuilt}, dims: siteDims, gauge: true, noSites: true},
	Measure(SitesEnabled):       {metrics: []Metric{SitesEnabled}, dims: siteDims, gauge: true, noSites: true},
	Measure(SitesScanning):      {metrics: []Metric{SitesScanning}, dims: siteDims, noSites: true},
}

// carries reports whether the measure can be grouped or filtered by d.
func (m measureInfo) carries(d Dimension) bool {
	switch {
	case d == DimRegion:
		return true
	case d.isTime():
		return !m.gauge
	}
	return slices.Contains(m.dims, d)
}

// Period is a value of the GraphQL enum StatsPeriod: days relative to
// today in Zone.
type Period string

// Where is what a query counts.
type Where struct {
	// UnderPath is the path of the region or site counted under ("": the
	// caller's scope).
	UnderPath string
	// Level is the level of the REGION rows ("": the children of UnderPath).
	Level Level
	// From and To are local days (YYYY-MM-DD, inclusive), or Period is set;
	// neither means TODAY.
	From, To string
	Period   Period
	Category string
	Sector   string
	Colour   string
}

// Request is one stats query.
type Request struct {
	Where    Where
	GroupBy  []Dimension
	Measures []Measure
}

// NodeInfo names a region or a site of a row.
type NodeInfo struct {
	ID    int
	Path  string
	Code  string // a region's code; "" for a site
	Name  string
	Level Level
}

// Row is one group: its dimension values (those grouped by) and one value
// per measure, in the order asked.
type Row struct {
	Node                                       *NodeInfo
	Day, Week, Month                           string
	Category, Sector, Method, Colour, Decision string
	Values                                     []float64
}

// Result is the answer of a query.
type Result struct {
	Request
	// Under is the node counted under; From and To the days counted.
	Under    NodeInfo
	From, To string
	Rows     []Row
	// Totals are the measures over the whole where, read at the Under node
	// (not the sum of the rows: a person scanned in two districts is one
	// person at the province). Distinct measures (PEOPLE_SCANNED,
	// SITES_SCANNING) summed over several days are person-days, site-days.
	Totals []float64
	// EstimatedRows is what the cost check estimated.
	EstimatedRows int
}

// Run checks, prices and answers a query as the viewer in ctx.
func (q *Query) Run(ctx context.Context, req Request) (*Result, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	p, err := q.plan(ctx, v, req)
	if err != nil {
		return nil, err
	}
	return q.exec(ctx, p)
}

// exec reads a checked plan: the rows, the totals, the under node's name.
func (q *Query) exec(ctx context.Context, p *plan) (*Result, error) {
	res := &Result{Request: p.req, From: p.from, To: p.to, EstimatedRows: p.estimate}
	sys := authz.AsSystem(ctx) // SECURITY: within the scope checked by plan
	var err error
	if res.Rows, err = q.read(sys, p, true); err != nil {
		return nil, err
	}
	totals, err := q.read(sys, p, false)
	if err != nil {
		return nil, err
	}
	res.Totals = make([]float64, len(p.req.Measures))
	if len(totals) > 0 {
		res.Totals = totals[0].Values
	}
	under, err := q.names(sys, []string{p.under})
	if err != nil {
		return nil, err
	}
	if n := under[p.under]; n != nil {
		res.Under = *n
	} else {
		res.Under = NodeInfo{Path: p.under, Level: LevelOfPath(p.under)}
	}
	return res, nil
}

// plan is a checked query: what to read and where.
type plan struct {
	req      Request
	under    string
	level    Level // of the node rows when grouped by REGION or SITE
	from, to string
	days     int
	estimate int
}

func (q *Query) plan(ctx context.Context, v *mashang.Viewer, req Request) (*plan, error) {
	p := &plan{req: req, under: req.Where.UnderPath}
	if p.under == "" {
		p.under = defaultUnder(v)
	}
	// Scope first: a sector-limited caller learns why it is refused.
	if err := q.checkScope(v, req, p.under); err != nil {
		return nil, err
	}
	if err := validate(req); err != nil {
		return nil, err
	}
	var err error
	if p.from, p.to, p.days, err = days(req.Where, q.now()); err != nil {
		return nil, err
	}
	if p.level, err = nodeLevel(req, p.under); err != nil {
		return nil, err
	}
	if p.estimate, err = q.estimate(ctx, p); err != nil {
		return nil, err
	}
	if max := q.maxRows(); p.estimate > max {
		return nil, mashang.Errorf(mashang.ETOOCOMPLEX, "This stats query would read about %d rows, above the limit of %d: ask for a shorter period, a higher level, a narrower under, or fewer dimensions.", p.estimate, max)
	}
	return p, nil
}

func (q *Query) now() time.Time {
	if q.Now == nil {
		return time.Now()
	}
	return q.Now()
}

func (q *Query) maxRows() int {
	if q.MaxRows > 0 {
		return q.MaxRows
	}
	return DefaultMaxRows
}

// validate refuses what no caller may ask: unknown names, a dimension twice,
// a measure grouped or filtered by a dimension it does not carry.
func validate(req Request) error {
	if len(req.Measures) == 0 {
		return mashang.FieldErrorf(mashang.EINVALID, "measures", "Ask for at least one measure.")
	}
	nodeDims, timeDims := 0, 0
	for i, d := range req.GroupBy {
		if slices.Contains(req.GroupBy[:i], d) {
			return mashang.FieldErrorf(mashang.EINVALID, "groupBy", "Group by %s only once.", d)
		}
		if d.isNode() {
			nodeDims++
		}
		if d.isTime() {
			timeDims++
		}
	}
	if nodeDims > 1 || timeDims > 1 {
		return mashang.FieldErrorf(mashang.EINVALID, "groupBy", "Group by at most one of REGION and SITE, and one of DAY, WEEK and MONTH.")
	}
	filters := map[Dimension]string{DimCategory: req.Where.Category, DimSector: req.Where.Sector, DimColour: req.Where.Colour}
	for _, m := range req.Measures {
		info, ok := measures[m]
		if !ok {
			return mashang.FieldErrorf(mashang.EINVALID, "measures", "Unknown measure %s.", m)
		}
		for _, d := range req.GroupBy {
			if !info.carries(d) {
				return mashang.FieldErrorf(mashang.EINVALID, "groupBy", "%s cannot be grouped or filtered by %s: it is not counted by that dimension.", m, d)
			}
		}
		for _, d := range []Dimension{DimCategory, DimSector, DimColour} {
			if filters[d] != "" && !info.carries(d) {
				return mashang.FieldErrorf(mashang.EINVALID, "where", "%s cannot be grouped or filtered by %s: it is not counted by that dimension.", m, d)
			}
		}
		if info.gauge && (req.Where.From != "" || req.Where.To != "" || req.Where.Period != "") {
			return mashang.FieldErrorf(mashang.EINVALID, "where", "%s is the current state: ask for it without a period.", m)
		}
	}
	return nil
}

// defaultUnder is the node a query without under counts under: the
// caller's scope, the province for a SECTOR_STATISTICS grant.
func defaultUnder(v *mashang.Viewer) string {
	if v.Role != mashang.RoleInitiator && v.Role != mashang.RoleOrdinary && v.ScopePath != "" {
		return v.ScopePath
	}
	return tree.Root
}

// nodeLevel is the level of the node rows: the level asked, or the one
// below under's (the children of under); Site for SITE.
func nodeLevel(req Request, under string) (Level, error) {
	switch {
	case slices.Contains(req.GroupBy, DimSite):
		if req.Where.Level != "" && req.Where.Level != Site {
			return "", mashang.FieldErrorf(mashang.EINVALID, "where.level", "Group by SITE without a level, or with level SITE.")
		}
		return Site, nil
	case !slices.Contains(req.GroupBy, DimRegion):
		return "", nil
	}
	underLevel := LevelOfPath(under)
	if under == tree.Root {
		underLevel = ""
	}
	order := []Level{"", Province, City, District, Street, Community}
	at := slices.Index(order, underLevel)
	if req.Where.Level == "" {
		if at < 0 || at == len(order)-1 {
			return "", mashang.FieldErrorf(mashang.EINVALID, "groupBy", "The node under has no child regions: group by SITE instead.")
		}
		return order[at+1], nil
	}
	lv := slices.Index(order, req.Where.Level)
	if lv <= 0 || at < 0 || lv <= at {
		return "", mashang.FieldErrorf(mashang.EINVALID, "where.level", "Level %s is not below the node under.", req.Where.Level)
	}
	return req.Where.Level, nil
}

// Periods, relative to today in Zone.
const (
	Today      Period = "TODAY"
	Yesterday  Period = "YESTERDAY"
	Last7Days  Period = "LAST_7_DAYS"
	Last14Days Period = "LAST_14_DAYS"
	Last30Days Period = "LAST_30_DAYS"
	ThisWeek   Period = "THIS_WEEK"
	ThisMonth  Period = "THIS_MONTH"
	LastMonth  Period = "LAST_MONTH"
)

// days resolves the where's period to its first and last local day, and
// the number of days.
func days(w Where, now time.Time) (from, to string, n int, err error) {
	local := now.In(Zone)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, Zone)
	var f, t time.Time
	switch {
	case w.Period != "" && (w.From != "" || w.To != ""):
		return "", "", 0, mashang.FieldErrorf(mashang.EINVALID, "where.period", "Give either a period or from and to, not both.")
	case w.Period != "":
		if f, t, err = periodDays(w.Period, today); err != nil {
			return "", "", 0, err
		}
	case w.From == "" && w.To == "":
		f, t = today, today
	default:
		if f, err = parseDay("where.from", w.From, today); err != nil {
			return "", "", 0, err
		}
		if t, err = parseDay("where.to", w.To, today); err != nil {
			return "", "", 0, err
		}
		if t.Before(f) {
			return "", "", 0, mashang.FieldErrorf(mashang.EINVALID, "where.to", "to is before from.")
		}
	}
	n = int(t.Sub(f).Hours()/24+0.5) + 1
	return f.Format(DayLayout), t.Format(DayLayout), n, nil
}

func periodDays(p Period, today time.Time) (time.Time, time.Time, error) {
	switch p {
	case Today:
		return today, today, nil
	case Yesterday:
		y := today.AddDate(0, 0, -1)
		return y, y, nil
	case Last7Days:
		return today.AddDate(0, 0, -6), today, nil
	case Last14Days:
		return today.AddDate(0, 0, -13), today, nil
	case Last30Days:
		return today.AddDate(0, 0, -29), today, nil
	case ThisWeek:
		return Monday(today), today, nil
	case ThisMonth:
		return today.AddDate(0, 0, 1-today.Day()), today, nil
	case LastMonth:
		first := today.AddDate(0, 0, 1-today.Day())
		return first.AddDate(0, -1, 0), first.AddDate(0, 0, -1), nil
	}
	return time.Time{}, time.Time{}, mashang.FieldErrorf(mashang.EINVALID, "where.period", "Unknown period %s.", p)
}

// parseDay reads a YYYY-MM-DD day; "" is today.
func parseDay(field, s string, today time.Time) (time.Time, error) {
	if s == "" {
		return today, nil
	}
	t, err := time.ParseInLocation(DayLayout, s, Zone)
	if err != nil {
		return time.Time{}, mashang.FieldErrorf(mashang.EINVALID, field, "%s is not a day: write it YYYY-MM-DD.", field)
	}
	return t, nil
}

// Monday returns the Monday of t's ISO week.
func Monday(t time.Time) time.Time {
	return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
}

// checkScope refuses a query beyond the caller's scope; it never trims one.
// SECURITY: statistics are read as the system once this passed
// (TestAnOfficialOfAnotherDistrictCannotReadItsStats,
// TestAnOrdinaryScannerCannotReadStats,
// TestASectorOfficialCannotReadStatsWithoutItsSector,
// TestASectorStatisticsGrantReadsItsSectorOnly).
func (q *Query) checkScope(v *mashang.Viewer, req Request, under string) error {
	e := authz.OrDefault(q.Enforcer)
	now := q.now()
	if e.Allowed(v.Role, v.ScopePath, under, authz.ObjStatistics, authz.ActRead) {
		if v.Role == mashang.RoleOfficial && v.Sector != "" {
			return sectorOnly(req, v.Sector)
		}
		return nil
	}
	granted := false
	for _, g := range v.Grants {
		if g.Kind != mashang.GrantSectorStatistics || !now.Before(g.ExpiresAt) ||
			!e.Allowed(g.Kind, v.ScopePath, under, authz.ObjStatistics, authz.ActRead) {
			continue
		}
		if g.Sector == req.Where.Sector {
			return sectorOnly(req, g.Sector)
		}
		granted = true
	}
	if granted {
		return mashang.FieldErrorf(mashang.EFORBIDDEN, "where.sector", "Your statistics cover one sector only: filter by your sector (where.sector).")
	}
	return mashang.Errorf(mashang.EFORBIDDEN, "A %s account may not read these statistics: they lie outside your scope (policy: statistics, read within your scope).", v.Role)
}

// sectorOnly lets an account limited to a sector read that sector only:
// the filter must name it, and every measure must be counted by sector.
func sectorOnly(req Request, sector string) error {
	if req.Where.Sector != sector {
		return mashang.FieldErrorf(mashang.EFORBIDDEN, "where.sector", "Your statistics cover one sector only: filter by your sector (where.sector).")
	}
	for _, m := range req.Measures {
		if !measures[m].carries(DimSector) {
			return mashang.FieldErrorf(mashang.EFORBIDDEN, "measures", "%s is not counted by sector, so an account limited to a sector may not read it.", m)
		}
	}
	return nil
}

// String shows a request in logs and export headers.
func (r Request) String() string {
	var ms, gs []string
	for _, m := range r.Measures {
		ms = append(ms, string(m))
	}
	for _, g := range r.GroupBy {
		gs = append(gs, string(g))
	}
	return fmt.Sprintf("%s by [%s]", strings.Join(ms, ","), strings.Join(gs, ","))
}

package stats

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/ent/site"
	"github.com/mashang/mashang/tree"
)

// estimate is the cost check's guess of the rollup rows a query reads:
// the nodes at the level under `under` (1 without REGION or SITE) × the
// days (1 for gauges only) × the cardinality of every enum dimension
// grouped by.
func (q *Query) estimate(ctx context.Context, p *plan) (int, error) {
	nodes := 1
	if p.level != "" {
		n, err := q.countNodes(ctx, p.level, p.under)
		if err != nil {
			return 0, err
		}
		nodes = max(n, 1)
	}
	days := 1
	for _, m := range p.req.Measures {
		if !measures[m].gauge {
			days = p.days
		}
	}
	est := nodes * days
	for _, d := range p.req.GroupBy {
		if c := cardinality[d]; c > 0 {
			est *= c
		}
	}
	return est, nil
}

// countNodes counts the regions (or sites) of a level under a path, in the
// tree tables (a few thousand rows at most), never in the rollups.
func (q *Query) countNodes(ctx context.Context, level Level, under string) (int, error) {
	if level == Site {
		n, err := q.Client.Site.Query().Where(site.PathGTE(under), site.PathLT(under+"~")).Count(ctx)
		return n, mashang.Wrap(err, "stats.countNodes")
	}
	n, err := q.Client.Region.Query().Where(region.LevelEQ(region.Level(level)), region.PathGTE(under), region.PathLT(under+"~")).Count(ctx)
	return n, mashang.Wrap(err, "stats.countNodes")
}

// group is one row under construction: its dimension values and the sums
// of the metrics it read.
type group struct {
	key      groupKey
	sums     map[Metric]int64
	active   int64 // ACCOUNTS rows whose detail is ROLE/ACTIVE
	disabled int64 // ACCOUNTS rows whose detail is ROLE/DISABLED[/REASON]
}

type groupKey struct {
	node, time                                 string
	category, sector, method, colour, decision string
}

// read runs the one statement of a query: the rows when grouped, the
// totals (at the under node, no dimension) otherwise.
func (q *Query) read(ctx context.Context, p *plan, grouped bool) ([]Row, error) {
	var dims []Dimension
	if grouped {
		dims = p.req.GroupBy
	}
	stmt, args := q.statement(p, dims)
	groups := map[groupKey]*group{}
	var order []groupKey
	scan := func(ctx context.Context, c *ent.Client) error {
		rows, err := c.QueryContext(ctx, stmt, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var metric, detail string
			var k groupKey
			var value int64
			if err := rows.Scan(&metric, &k.node, &k.time, &k.category, &k.sector, &k.method, &k.colour, &k.decision, &detail, &value); err != nil {
				return err
			}
			k.time = bucket(dims, k.time)
			g := groups[k]
			if g == nil {
				g = &group{key: k, sums: map[Metric]int64{}}
				groups[k] = g
				order = append(order, k)
			}
			g.sums[Metric(metric)] += value
			if Metric(metric) == Accounts {
				if strings.Contains(detail, "/DISABLED") {
					g.disabled += value
				} else {
					g.active += value
				}
			}
		}
		return rows.Err()
	}
	var err error
	if q.Dialect == dialect.Postgres {
		// The planner overestimates the rows of the total counters (several
		// times) and then JIT-compiles a query that reads a few thousand
		// rows: the compilation cost more than the query
		// (BenchmarkStatsQuery). A transaction of its own (Fresh): an export
		// reads after its request's transaction has ended.
		err = database.InTx(ctx, q.Client, func(ctx context.Context, c *ent.Client) error {
			if _, err := c.ExecContext(ctx, "SET LOCAL jit = off"); err != nil {
				return err
			}
			return scan(ctx, c)
		}, database.Fresh())
	} else {
		err = scan(ctx, q.Client)
	}
	if err != nil {
		return nil, mashang.Wrap(err, "stats.read")
	}
	if !grouped {
		return []Row{toRow(p.req, dims, groups[groupKey{}], nil)}, nil
	}
	return q.rows(ctx, p, dims, groups, order)
}

// rows types the groups: node names (one query), zero rows for the nodes
// without counts when grouped by REGION or SITE alone, a stable order.
func (q *Query) rows(ctx context.Context, p *plan, dims []Dimension, groups map[groupKey]*group, order []groupKey) ([]Row, error) {
	var names map[string]*NodeInfo
	if p.level != "" {
		var err error
		if names, err = q.nodesAt(ctx, p.level, p.under); err != nil {
			return nil, err
		}
		if len(dims) == 1 {
			for path := range names {
				if k := (groupKey{node: path}); groups[k] == nil {
					groups[k] = &group{key: k, sums: map[Metric]int64{}}
					order = append(order, k)
				}
			}
		}
	}
	slices.SortFunc(order, func(a, b groupKey) int {
		return strings.Compare(a.node+"\x00"+a.time+"\x00"+a.category+a.sector+a.method+a.colour+a.decision,
			b.node+"\x00"+b.time+"\x00"+b.category+b.sector+b.method+b.colour+b.decision)
	})
	out := make([]Row, 0, len(order))
	for _, k := range order {
		out = append(out, toRow(p.req, dims, groups[k], names))
	}
	return out, nil
}

// toRow computes a group's measures.
func toRow(req Request, dims []Dimension, g *group, names map[string]*NodeInfo) Row {
	if g == nil {
		g = &group{sums: map[Metric]int64{}}
	}
	r := Row{Category: g.key.category, Sector: g.key.sector, Method: g.key.method, Colour: g.key.colour, Decision: g.key.decision}
	if g.key.node != "" {
		r.Node = names[g.key.node]
		if r.Node == nil {
			r.Node = &NodeInfo{Path: g.key.node, Level: LevelOfPath(g.key.node)}
		}
	}
	switch {
	case slices.Contains(dims, DimDay):
		r.Day = g.key.time
	case slices.Contains(dims, DimWeek):
		r.Week = g.key.time
	case slices.Contains(dims, DimMonth):
		r.Month = g.key.time
	}
	for _, m := range req.Measures {
		var v float64
		switch m {
		case MeanVisitMinutes:
			if n := g.sums[AlertsVisited]; n > 0 {
				v = float64(g.sums[VisitSeconds]) / float64(n) / 60
			}
		case AccountsActive:
			v = float64(g.active)
		case AccountsDisabled:
			v = float64(g.disabled)
		default:
			v = float64(g.sums[Metric(m)])
		}
		r.Values = append(r.Values, v)
	}
	return r
}

// bucket maps a day to its group of the time dimension asked.
func bucket(dims []Dimension, day string) string {
	if day == "" {
		return ""
	}
	switch {
	case slices.Contains(dims, DimWeek):
		t, err := time.ParseInLocation(DayLayout, day, Zone)
		if err != nil {
			return day
		}
		return Monday(t).Format(DayLayout)
	case slices.Contains(dims, DimMonth):
		return day[:7]
	}
	return day
}

// statement builds the one SELECT … GROUP BY of a read. The rows of a
// level under a node are a range of node_path on the index (level,
// metric, node_path, day); without a node dimension it reads the under
// node itself (the provinces, under the root).
func (q *Query) statement(p *plan, dims []Dimension) (string, []any) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "?" }
	col := func(d Dimension, expr string) string {
		if slices.Contains(dims, d) {
			return expr
		}
		return "''"
	}
	nodeExpr := "''"
	level, exact := LevelOfPath(p.under), p.under != tree.Root
	if slices.ContainsFunc(dims, Dimension.isNode) {
		nodeExpr, level, exact = "node_path", p.level, false
	}
	if !exact && level == None {
		level = Province
	}
	dayExpr := "''"
	if slices.ContainsFunc(dims, Dimension.isTime) {
		dayExpr = "day"
	}
	var metrics, flows, gauges []string
	accounts := false
	for _, m := range p.req.Measures {
		for _, mt := range measures[m].metrics {
			if !slices.Contains(metrics, string(mt)) {
				metrics = append(metrics, string(mt))
				if measures[m].gauge {
					gauges = append(gauges, string(mt))
				} else {
					flows = append(flows, string(mt))
				}
			}
			accounts = accounts || mt == Accounts
		}
	}
	detailExpr := "''"
	if accounts {
		detailExpr = "CASE WHEN metric = 'ACCOUNTS' THEN detail ELSE '' END"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "SELECT metric, %s, %s, %s, %s, %s, %s, %s, %s, CAST(SUM(value) AS BIGINT) FROM stat_counts WHERE level = %s",
		nodeExpr, dayExpr, col(DimCategory, "category"), col(DimSector, "sector"), col(DimMethod, "method"),
		col(DimColour, "colour"), col(DimDecision, "decision"), detailExpr, arg(string(level)))
	b.WriteString(" AND " + metricsClause(p.req.Where, dims, metrics, arg))
	if exact {
		b.WriteString(" AND node_path = " + arg(p.under))
	} else {
		b.WriteString(" AND node_path >= " + arg(p.under) + " AND node_path < " + arg(p.under+"~"))
	}
	var days []string
	if len(flows) > 0 {
		days = append(days, "day >= "+arg(p.from)+" AND day <= "+arg(p.to))
	}
	if len(gauges) > 0 {
		days = append(days, "day = ''")
	}
	b.WriteString(" AND (" + strings.Join(days, " OR ") + ")")
	for _, f := range []struct {
		column, value string
	}{{"category", p.req.Where.Category}, {"sector", p.req.Where.Sector}, {"colour", p.req.Where.Colour}} {
		if f.value != "" {
			b.WriteString(" AND " + f.column + " = " + arg(f.value))
		}
	}
	b.WriteString(" GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9")
	return q.rebind(b.String()), args
}

// metricsClause selects the metrics' rows. Without an enum dimension
// grouped or filtered by, a metric with total counters (stats/delta.go
// Total) is read from its one total row a node and day; otherwise, and
// for ACCOUNTS (whose detail tells active from disabled), from its
// counters by dimension, never from the totals, which would count it twice.
func metricsClause(w Where, dims []Dimension, metrics []string, arg func(any) string) string {
	byDim := w.Category != "" || w.Sector != "" || w.Colour != "" || slices.ContainsFunc(dims, func(d Dimension) bool {
		return d == DimCategory || d == DimSector || d == DimMethod || d == DimColour || d == DimDecision
	})
	var totals, counters []string
	for _, m := range metrics {
		if !byDim && Metric(m) != Accounts && Metric(m) != Registrations && Metric(m) != PeopleScanned {
			totals = append(totals, m)
		} else {
			counters = append(counters, m)
		}
	}
	var arms []string
	if len(totals) > 0 {
		arms = append(arms, "metric IN ("+placeholders(totals, arg)+") AND category = '*'") // the index statcount_totals (level, metric, category, …)
	}
	if len(counters) > 0 {
		arms = append(arms, "metric IN ("+placeholders(counters, arg)+") AND category <> '*'")
	}
	return "(" + strings.Join(arms, " OR ") + ")"
}

func placeholders(vals []string, arg func(any) string) string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = arg(v)
	}
	return strings.Join(out, ", ")
}

// rebind turns ? into PostgreSQL's $n (the statement has no literal ?).
func (q *Query) rebind(s string) string {
	if q.Dialect != dialect.Postgres {
		return s
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// nodesAt names the regions (or sites) of a level under a path: one query.
func (q *Query) nodesAt(ctx context.Context, level Level, under string) (map[string]*NodeInfo, error) {
	out := map[string]*NodeInfo{}
	if level == Site {
		ss, err := q.Client.Site.Query().Where(site.PathGTE(under), site.PathLT(under+"~")).
			Select(site.FieldID, site.FieldPath, site.FieldName).All(ctx)
		if err != nil {
			return nil, mashang.Wrap(err, "stats.nodesAt")
		}
		for _, s := range ss {
			out[s.Path] = &NodeInfo{ID: s.ID, Path: s.Path, Name: s.Name, Level: Site}
		}
		return out, nil
	}
	rs, err := q.Client.Region.Query().Where(region.LevelEQ(region.Level(level)), region.PathGTE(under), region.PathLT(under+"~")).
		Select(region.FieldID, region.FieldPath, region.FieldName, region.FieldCode).All(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "stats.nodesAt")
	}
	for _, r := range rs {
		out[r.Path] = &NodeInfo{ID: r.ID, Path: r.Path, Code: r.Code, Name: r.Name, Level: level}
	}
	return out, nil
}

// names names the nodes of some paths (regions and sites): two queries.
func (q *Query) names(ctx context.Context, paths []string) (map[string]*NodeInfo, error) {
	out := map[string]*NodeInfo{}
	rs, err := q.Client.Region.Query().Where(region.PathIn(paths...)).
		Select(region.FieldID, region.FieldPath, region.FieldName, region.FieldCode, region.FieldLevel).All(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "stats.names")
	}
	for _, r := range rs {
		out[r.Path] = &NodeInfo{ID: r.ID, Path: r.Path, Code: r.Code, Name: r.Name, Level: Level(r.Level)}
	}
	ss, err := q.Client.Site.Query().Where(site.PathIn(paths...)).Select(site.FieldID, site.FieldPath, site.FieldName).All(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "stats.names")
	}
	for _, s := range ss {
		out[s.Path] = &NodeInfo{ID: s.ID, Path: s.Path, Name: s.Name, Level: Site}
	}
	return out, nil
}

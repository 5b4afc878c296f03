package graph

import (
	"context"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/scan"
	"github.com/mashang/mashang/graph/model"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/stats"
)

// StatsExportPath is where a finished export is downloaded, its job id
// appended (httpserver; the same Authorization header as /graphql).
const StatsExportPath = "/exports/stats/"

// statsRequest turns Query.stats' arguments into a stats.Request, the
// under ID into its path.
func (r *Resolver) statsRequest(ctx context.Context, where model.StatsWhere, groupBy []stats.Dimension, measures []stats.Measure) (stats.Request, error) {
	req := stats.Request{GroupBy: groupBy, Measures: measures}
	w := &req.Where
	if where.Under != nil {
		path, err := r.statsUnder(ctx, *where.Under)
		if err != nil {
			return req, err
		}
		w.UnderPath = path
	}
	w.Level = deref(where.Level)
	w.From, w.To, w.Period = deref(where.From), deref(where.To), deref(where.Period)
	w.Category, w.Sector, w.Colour = string(deref(where.Category)), string(deref(where.Sector)), string(deref(where.Colour))
	return req, nil
}

// statsUnder returns the path of a region or site. It is read as the
// system: whether the caller may count under it is stats.Query's to decide,
// with FORBIDDEN (never trimmed, never hidden as NOT_FOUND).
func (r *Resolver) statsUnder(ctx context.Context, id int) (string, error) {
	// Get, not Noder: Noder selects only the columns the surrounding
	// field asks for (helpers.go, pathOf).
	sys := authz.AsSystem(ctx)
	reg, err := r.clientFrom(ctx).Region.Get(sys, id)
	if err == nil {
		return reg.Path, nil
	}
	if !ent.IsNotFound(err) {
		return "", err
	}
	st, err := r.clientFrom(ctx).Site.Get(sys, id)
	if ent.IsNotFound(err) {
		return "", mashang.FieldErrorf(mashang.ENOTFOUND, "where.under", "No region or site %d.", id)
	}
	if err != nil {
		return "", err
	}
	return st.Path, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// statsResult types a stats.Result for the API.
func statsResult(res *stats.Result) *model.StatsResult {
	out := &model.StatsResult{Under: statsNode(&res.Under), From: res.From, To: res.To, GroupBy: res.GroupBy,
		Measures: res.Measures, Totals: res.Totals, EstimatedRows: res.EstimatedRows, Rows: make([]*model.StatsRow, len(res.Rows))}
	if out.GroupBy == nil {
		out.GroupBy = []stats.Dimension{}
	}
	for i, row := range res.Rows {
		out.Rows[i] = &model.StatsRow{Node: statsNode(row.Node), Day: opt(row.Day), Week: opt(row.Week), Month: opt(row.Month),
			Category: optAs[scenario.Category](row.Category), Sector: optAs[scenario.Sector](row.Sector),
			Method: optAs[scan.Method](row.Method), Colour: optAs[scenario.Colour](row.Colour),
			Decision: optAs[scan.Decision](row.Decision), Values: row.Values}
	}
	return out
}

func statsNode(n *stats.NodeInfo) *model.StatsNode {
	if n == nil {
		return nil
	}
	out := &model.StatsNode{Code: opt(n.Code), Path: n.Path, Name: n.Name, Level: n.Level}
	if n.ID != 0 {
		id := n.ID
		out.ID = &id
	}
	return out
}

func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optAs[T ~string](s string) *T {
	if s == "" {
		return nil
	}
	v := T(s)
	return &v
}

// Package statstest compares the statistics rollups with a recount of the
// raw rows, for the tests of the packages that keep them (issue 12). It
// runs only the recounts it is asked for, by name (stats.Recount.Name), so
// a package's test checks the metrics it maintains whatever else its
// fixtures wrote without counting.
package statstest

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"testing"

	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/statcount"
	"github.com/mashang/mashang/stats"
)

// Rollups returns the rollups of db, as the app wires them.
func Rollups(db *database.DB) *stats.Rollups { return &stats.Rollups{Dialect: db.Dialect} }

// recount runs the named recounts over every day and returns the counters
// they give (no zeros) and their metrics.
func recount(t testing.TB, c *ent.Client, names []string) (map[stats.Key]int64, []string) {
	t.Helper()
	ctx := context.Background()
	var d stats.Delta
	var metrics []string
	found := 0
	for _, r := range stats.Recounts() {
		if !slices.Contains(names, r.Name) {
			continue
		}
		found++
		// In a transaction: a statement-counting driver streams only there.
		if err := database.InTx(ctx, c, func(ctx context.Context, tc *ent.Client) error {
			return r.Count(ctx, tc, "", &d)
		}); err != nil {
			t.Fatalf("recount %s: %v", r.Name, err)
		}
		for _, m := range r.Metrics {
			metrics = append(metrics, string(m))
		}
	}
	if found != len(names) {
		t.Fatalf("recounts %v: found %d registered", names, found)
	}
	out := map[stats.Key]int64{}
	for k, n := range d.Counts() {
		if n != 0 {
			out[k] = n
		}
	}
	return out, metrics
}

// Seed writes the named recounts into the rollups, which must hold none of
// their metrics yet: a fixture built without counting then starts from
// rollups that agree with its rows.
func Seed(t testing.TB, db *database.DB, names ...string) {
	t.Helper()
	want, _ := recount(t, db.Client, names)
	var d stats.Delta
	for k, n := range want {
		if k.IsTotal() && stats.HasTotal(k.Metric) {
			continue // Add writes it again from the counters by dimension
		}
		d.Add(k, n)
	}
	ctx := context.Background()
	if err := database.InTx(ctx, db.Client, func(ctx context.Context, c *ent.Client) error {
		return Rollups(db).Apply(ctx, c, &d)
	}); err != nil {
		t.Fatal(err)
	}
}

// Stored returns the stored counters of the metrics (no zeros).
func Stored(t testing.TB, c *ent.Client, metrics ...string) map[stats.Key]int64 {
	t.Helper()
	rows, err := c.StatCount.Query().Where(statcount.MetricIn(metrics...)).All(authz.AsSystem(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	out := map[stats.Key]int64{}
	for _, r := range rows {
		if r.Value != 0 {
			out[stats.Key{Day: r.Day, Node: r.NodePath, Metric: stats.Metric(r.Metric), Category: r.Category, Sector: r.Sector,
				Method: r.Method, Decision: r.Decision, Colour: r.Colour, Detail: r.Detail}] = r.Value
		}
	}
	return out
}

// Check fails t when the stored counters of the named recounts' metrics
// differ from what the recounts give, listing every difference.
func Check(t testing.TB, db *database.DB, names ...string) {
	t.Helper()
	want, metrics := recount(t, db.Client, names)
	have := Stored(t, db.Client, metrics...)
	var diffs []string
	for k, n := range want {
		if have[k] != n {
			diffs = append(diffs, k.String()+": stored "+itoa(have[k])+", recount "+itoa(n))
		}
	}
	for k, n := range have {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, k.String()+": stored "+itoa(n)+", recount 0")
		}
	}
	sort.Strings(diffs)
	for _, d := range diffs {
		t.Error(d)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

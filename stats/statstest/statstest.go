// Package statstest holds the test helper that checks the statistics
// rollups against a recount of the raw rows (issue 12: the tests run
// verify after every scenario).
package statstest

import (
	"context"
	"testing"

	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/stats"
)

// MustVerify fails the test when a stored rollup differs from a recount of
// the raw rows (stats.Verify over every day), listing the differences.
// With names, only the metrics of those recounts ("scans", "alerts", …)
// are compared: a fixture that writes other rows directly (sites, accounts)
// does not count them.
func MustVerify(t testing.TB, c *ent.Client, names ...string) {
	t.Helper()
	all, err := stats.Verify(context.Background(), c, "")
	if err != nil {
		t.Fatalf("stats verify: %v", err)
	}
	diffs := all
	if len(names) > 0 {
		keep := map[stats.Metric]bool{}
		for _, r := range stats.Recounts() {
			for _, n := range names {
				if r.Name == n {
					for _, m := range r.Metrics {
						keep[m] = true
					}
				}
			}
		}
		diffs = diffs[:0:0]
		for _, d := range all {
			if keep[d.Key.Metric] {
				diffs = append(diffs, d)
			}
		}
	}
	for i, d := range diffs {
		if i == 20 {
			t.Errorf("stats verify: … %d more", len(diffs)-i)
			break
		}
		t.Errorf("stats verify: %s", d)
	}
}

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
func MustVerify(t testing.TB, c *ent.Client) {
	t.Helper()
	diffs, err := stats.Verify(context.Background(), c, "")
	if err != nil {
		t.Fatalf("stats verify: %v", err)
	}
	for i, d := range diffs {
		if i == 20 {
			t.Errorf("stats verify: … %d more", len(diffs)-i)
			break
		}
		t.Errorf("stats verify: %s", d)
	}
}

package stats_test

import (
	"context"
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/statcount"
	"github.com/mashang/mashang/stats"
)

func TestNodesOfAPath(t *testing.T) {
	got := stats.Nodes("/22/2201/220104/220104001/220104001001/s7/s9/")
	want := []stats.Level{stats.Province, stats.City, stats.District, stats.Street, stats.Community, stats.Site, stats.Site}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i, n := range got {
		if n.Level != want[i] {
			t.Errorf("node %d %s: level %s, want %s", i, n.Path, n.Level, want[i])
		}
	}
	if got[2].Path != "/22/2201/220104/" || got[6].Path != "/22/2201/220104/220104001/220104001001/s7/s9/" {
		t.Errorf("paths %v", got)
	}
	if len(stats.RegionNodes("/22/2201/s5/")) != 2 || len(stats.Nodes("")) != 0 {
		t.Error("RegionNodes or an empty path")
	}
}

// TestApplyCountsEachDistinctMemberOnce applies the same delta twice: the
// counters double, the distinct counters do not.
func TestApplyCountsEachDistinctMemberOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		r := &stats.Rollups{Dialect: db.Dialect}
		nodes := stats.Nodes("/22/2201/s3/")
		var d stats.Delta
		for i := 0; i < 3; i++ {
			d.AddAt(nodes, stats.Key{Day: "2026-12-05", Metric: stats.Scans, Method: "SCAN_CODE"}, 1)
		}
		for _, n := range nodes {
			d.Distinct("p:1", stats.Key{Day: "2026-12-05", Node: n.Path, Metric: stats.PeopleScanned})
			d.Distinct("p:2", stats.Key{Day: "2026-12-05", Node: n.Path, Metric: stats.PeopleScanned})
		}
		for i := 0; i < 2; i++ {
			if err := database.InTx(ctx, db.Client, func(ctx context.Context, c *ent.Client) error {
				return r.Apply(ctx, c, &d)
			}); err != nil {
				t.Fatal(err)
			}
		}
		value := func(node string, m stats.Metric) int64 {
			row, err := db.Client.StatCount.Query().Where(statcount.NodePath(node), statcount.Metric(string(m)), statcount.CategoryNEQ(stats.All)).Only(ctx)
			if err != nil {
				t.Fatalf("%s %s: %v", node, m, err)
			}
			return row.Value
		}
		for _, n := range nodes {
			if got := value(n.Path, stats.Scans); got != 6 {
				t.Errorf("scans at %s = %d, want 6", n.Path, got)
			}
			total, err := db.Client.StatCount.Query().Where(statcount.NodePath(n.Path), statcount.Metric("SCANS"), statcount.Category(stats.All)).Only(ctx)
			if err != nil || total.Value != 6 || total.Method != stats.All {
				t.Errorf("total scans at %s = %+v (%v), want 6", n.Path, total, err)
			}
			if n, _ := db.Client.StatCount.Query().Where(statcount.Metric("PEOPLE_SCANNED"), statcount.Category(stats.All)).Count(ctx); n != 0 {
				t.Errorf("%d PEOPLE_SCANNED totals, want none (one counter a node already)", n)
			}
			if got := value(n.Path, stats.PeopleScanned); got != 2 {
				t.Errorf("people at %s = %d, want 2", n.Path, got)
			}
		}
		row, _ := db.Client.StatCount.Query().Where(statcount.NodePath("/22/2201/s3/"), statcount.Metric("SCANS"), statcount.CategoryNEQ(stats.All)).Only(ctx)
		if row == nil || row.Level != statcount.LevelSITE {
			t.Errorf("site row %+v", row)
		}
	})
}

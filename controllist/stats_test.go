package controllist_test

import (
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/internal/statstest"
	"github.com/mashang/mashang/stats"
)

// TestControlListChangesAreCounted (issue 12; seed 000 §五.2): a list's
// applied rows count CONTROL_LIST_CHANGES by the risk set at the nodes of
// the person's residence, its unchanged and invalid rows nothing, and the
// colour changes it causes count as CONTROL_LIST; both equal a recount.
// Uploading the same list again changes, and counts, nothing.
func TestControlListChangesAreCounted(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		r := statstest.Rollups(db)
		e.svc.Rollups, e.persons.Rollups = r, r
		chaoyang := e.regions["220104"].Path
		idA, idB, idC := idFor(t, "220104", 1), idFor(t, "220104", 2), idFor(t, "220104", 3)
		e.register(t, "张三", "RESIDENT_ID", idA, "220104")
		e.register(t, "李四", "RESIDENT_ID", idB, "220104")
		e.register(t, "王五", "RESIDENT_ID", idC, "220104")
		file, _ := csvFile(
			"姓名,身份证号,管控类型,隔离截止",
			"张三,"+idA+",隔离,2026-11-30",                   // applied: QUARANTINED
			"李四,"+idB+",确诊,",                             // applied: CONFIRMED
			"王五,"+idC+",解除,",                             // already NONE: unchanged
			"赵六,"+idFor(t, "220104", 4)+",隔离,2026-13-45", // invalid
		)
		e.submitRun(t, "管控名单.csv", file, chaoyang)
		statstest.Check(t, db, "control-list changes", "colour changes")
		stored := statstest.Stored(t, db.Client, string(stats.ControlListChanges), string(stats.ColourChanges))
		day := stats.Day(e.clk.Now())
		for _, c := range []struct {
			key  stats.Key
			want int64
		}{
			{stats.Key{Day: day, Node: chaoyang, Metric: stats.ControlListChanges, Detail: "QUARANTINED"}, 1},
			{stats.Key{Day: day, Node: "/22/", Metric: stats.ControlListChanges, Detail: "CONFIRMED"}, 1},
			{stats.Key{Day: day, Node: chaoyang, Metric: stats.ControlListChanges, Detail: "NONE"}, 0},
			{stats.Key{Day: day, Node: chaoyang, Metric: stats.ColourChanges, Colour: "RED", Detail: stats.CauseControlList}, 1},
		} {
			if got := stored[c.key]; got != c.want {
				t.Errorf("%s = %d, want %d", c.key, got, c.want)
			}
		}
		before := statstest.Stored(t, db.Client, string(stats.ControlListChanges))
		e.submitRun(t, "管控名单.csv", file, chaoyang)
		statstest.Check(t, db, "control-list changes", "colour changes")
		after := statstest.Stored(t, db.Client, string(stats.ControlListChanges))
		dimensioned := 0 // the total counters (category '*') aside
		for k := range after {
			if !k.IsTotal() {
				dimensioned++
			}
		}
		if len(after) != len(before) || dimensioned != 6 {
			t.Errorf("after the same list again: %v, before %v", after, before)
		}
		for k, n := range before {
			if after[k] != n {
				t.Errorf("%s: %d after the same list again, %d before", k, after[k], n)
			}
		}
	})
}

package stats_test

import (
	"testing"
	"time"

	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/scan"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/stats"
)

// TestScanDeltaCountsAtEveryNodeOnTheLocalDay: a scan at 16:30 UTC on
// 4 December counts on 5 December (Asia/Shanghai) at each of its site's
// nodes, its person once a node, its site once a region node.
func TestScanDeltaCountsAtEveryNodeOnTheLocalDay(t *testing.T) {
	pid := 42
	cat, col := scenario.Park, scenario.Colour("GREEN")
	row := &ent.Scan{SiteID: 7, SitePath: "/22/2201/220104/s7/", Sector: "OTHER", Category: &cat, Method: scan.MethodSCAN_CODE,
		Decision: scan.DecisionPASS, Colour: &col, Fever: true, PersonID: &pid,
		ServerTime: time.Date(2026, 12, 4, 16, 30, 0, 0, time.UTC)}
	d := stats.ScanDelta([]*ent.Scan{row, row})
	counts := d.Counts()
	for _, node := range []string{"/22/", "/22/2201/", "/22/2201/220104/", "/22/2201/220104/s7/"} {
		k := stats.Key{Day: "2026-12-05", Node: node, Metric: stats.Scans, Category: "PARK", Sector: "OTHER",
			Method: "SCAN_CODE", Decision: "PASS", Colour: "GREEN"}
		if counts[k] != 2 {
			t.Errorf("SCANS at %s = %d, want 2", node, counts[k])
		}
		k.Metric = stats.Fevers
		if counts[k] != 2 {
			t.Errorf("FEVERS at %s = %d, want 2", node, counts[k])
		}
		if tot := counts[stats.Total(k)]; tot != 2 {
			t.Errorf("FEVERS total at %s = %d, want 2", node, tot)
		}
		k.Metric = stats.Scans
		if tot := counts[stats.Total(k)]; tot != 2 {
			t.Errorf("SCANS total at %s = %d, want 2", node, tot)
		}
	}
	if len(counts) != 16 { // SCANS and FEVERS, each with its total, at 4 nodes
		t.Errorf("%d counters, want 16: %v", len(counts), counts)
	}
}

func TestPersonKeys(t *testing.T) {
	for _, tc := range []struct {
		f    stats.ScanFacts
		want string
	}{
		{stats.ScanFacts{PersonID: 3, IDNumberHash: "ab"}, "3"},
		{stats.ScanFacts{IDNumberHash: "ab", Issuer: "11", Subject: "9"}, "hab"},
		{stats.ScanFacts{Issuer: "11", Subject: "9"}, "f11:9"},
		{stats.ScanFacts{Issuer: "22"}, ""},
	} {
		if got := tc.f.PersonKey(); got != tc.want {
			t.Errorf("%+v: key %q, want %q", tc.f, got, tc.want)
		}
	}
}

// TestRegistrationsFollowTheResidence: a person with no residence counts
// at the node "" (level NONE); given one, they move there.
func TestRegistrationsFollowTheResidence(t *testing.T) {
	at := time.Date(2026, 12, 4, 16, 30, 0, 0, time.UTC)
	reg := stats.RegistrationDelta(at, "", 1).Counts()
	if len(reg) != 1 || reg[stats.Key{Day: "2026-12-05", Node: "", Metric: stats.Registrations}] != 1 {
		t.Errorf("registration without residence: %v", reg)
	}
	move := stats.ResidenceDelta(at, "", "/22/2201/").Counts()
	want := map[string]int64{"": -1, "/22/": 1, "/22/2201/": 1}
	if len(move) != len(want) {
		t.Errorf("move: %v", move)
	}
	for node, n := range want {
		if move[stats.Key{Day: "2026-12-05", Node: node, Metric: stats.Registrations}] != n {
			t.Errorf("move at %q: %v", node, move)
		}
	}
	if !stats.ResidenceDelta(at, "/22/", "/22/").Empty() {
		t.Error("no move is no change")
	}
}

package stats

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkRecountScansInMemory is the Go side of a recount: one op is one
// scan row through the per-day aggregation and its day's flush (no
// database), with the shape of bench's BenchmarkStatsRebuild (1,000 sites,
// 200,000 persons, 30 days).
func BenchmarkRecountScansInMemory(b *testing.B) {
	start := time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC)
	step := 30 * 24 * time.Hour / time.Duration(b.N+1)
	paths := make([]string, 1000)
	for k := range paths {
		c := k / 5
		d := fmt.Sprintf("2201%02d", 1+c/20)
		st := fmt.Sprintf("%s%03d", d, 1+(c/4)%5)
		paths[k] = fmt.Sprintf("/22/2201/%s/%s/%s%03d/s%d/", d, st, st, 1+c%4, k+1)
	}
	var d Delta
	days := newScanDays(&d, true)
	var cache dayCache
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := (i * 31) % 1000
		f := ScanFacts{SiteID: k + 1, SitePath: paths[k], Category: "PARK", Sector: "OTHER", Method: "SCAN_CODE",
			Decision: "PASS", Colour: "GREEN", Fever: i%50 == 0, ServerTime: start.Add(time.Duration(i) * step),
			PersonID: 1 + (i*7919)%200000}
		days.add(cache.day(f.ServerTime), f)
	}
	days.flushAll()
}

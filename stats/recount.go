package stats

import (
	"context"

	"github.com/mashang/mashang/ent"
)

// Recount recomputes some metrics from the raw rows, for `mashang stats
// verify` and `mashang stats rebuild`. Each metric's live delta function
// and its recount sit side by side in this package, so they cannot drift.
type Recount struct {
	// Name names the recount in verify's report ("scans", "alerts", …).
	Name string
	// Metrics are the metrics it recomputes, all of their rows: verify
	// compares exactly these metrics' stored rows with what Count gives.
	Metrics []Metric
	// Count adds to d what the raw rows give for the days from `from`
	// (YYYY-MM-DD) on, or all days when from is "". Gauges (day "") are
	// always recounted whole. Distinct members go through d.Distinct as in
	// the live path.
	Count func(ctx context.Context, c *ent.Client, from string, d *Delta) error
}

var recounts []Recount

// Register adds a recount; each metric's file registers its own in init.
func Register(r Recount) { recounts = append(recounts, r) }

// Recounts returns the registered recounts, in registration order.
func Recounts() []Recount { return recounts }

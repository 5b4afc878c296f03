package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"
	_ "time/tzdata" // MASHANG_TIMEZONE needs no time zone database on the host

	"github.com/mashang/mashang/health"
	"github.com/mashang/mashang/persons"
	"github.com/mashang/mashang/stats"
)

// The statistics commands (issue 12): `mashang stats verify [--from DATE]`
// recounts every rollup from the raw rows and compares, `mashang stats
// rebuild [--from DATE]` rewrites them from the recount.

// errStatsDiffer makes `mashang stats verify` exit non-zero after the
// differences were printed.
var errStatsDiffer = errors.New("the statistics rollups differ from a recount of the raw rows")

func statsFromFlag(fs *flag.FlagSet) *string {
	return fs.String("from", "", "the first local day (YYYY-MM-DD) to recount; every day when empty (gauges are always recounted whole)")
}

func statsVerifyFlags(fs *flag.FlagSet) runFunc {
	from := statsFromFlag(fs)
	return func(ctx context.Context, e *env) error { return statsVerify(ctx, e, *from) }
}

func statsVerify(ctx context.Context, e *env, from string) error {
	diffs, err := stats.Verify(ctx, e.db.Client, from)
	if err != nil {
		return err
	}
	for _, d := range diffs {
		fmt.Fprintln(e.stdout, d)
	}
	if len(diffs) > 0 {
		fmt.Fprintf(e.stdout, "%d difference(s): run `mashang stats rebuild` to rewrite the rollups from the raw rows\n", len(diffs))
		return errStatsDiffer
	}
	fmt.Fprintln(e.stdout, "OK — the rollups match a recount of the raw rows")
	return nil
}

func statsRebuildFlags(fs *flag.FlagSet) runFunc {
	from := statsFromFlag(fs)
	return func(ctx context.Context, e *env) error {
		start := time.Now()
		n, err := stats.Rebuild(ctx, e.db.Client, *from)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "rebuilt %d counter(s) in %s\n", n, time.Since(start).Round(time.Millisecond))
		return nil
	}
}

// DefaultTimezone is the province's time zone when MASHANG_TIMEZONE is unset.
const DefaultTimezone = "Asia/Shanghai"

// setZone makes name the zone of every local day: the statistics' days,
// the persons' (daily check-in, key-area visits) and the rules' days_ago.
func setZone(name string) error {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return fmt.Errorf("time zone %q (MASHANG_TIMEZONE): %w", name, err)
	}
	if stats.Zone.String() != loc.String() { // once: later commands of a test run find it set
		stats.Zone, persons.Zone, health.Zone = loc, loc, loc
	}
	return nil
}

// Package targets keeps the registration targets of the regions and the
// progress towards them (issue 12 point 2; seed 003 annex 1
// 各乡镇街道安康码申领任务表: 目标任务量 = 辖区总人数 × 90 %).
//
// A region's target is, in this order:
//  1. its registrationTarget when one is set (the task a document gives,
//     which may differ from the rule: annex 1 row 6 南极乡 says 10162 where
//     11289 × 90 % rounds up to 10161 — demo/RECONCILIATION.md);
//  2. else its population × 90 %, rounded up (annex 1's 备注; every other
//     row of the annex is the product rounded up, e.g. 中溪镇 24606 × 0.9 =
//     22145.4 → 22146);
//  3. else the sum of its children's targets, each found by the same rule
//     (a city with no figures of its own has the sum of its districts');
//  4. else none: the rate is then unknown (null), never 0 or 100 %.
//
// Registered counts come from the REGISTRATIONS rollup of the region's own
// node (stat_counts; a SUM over the days of one node, never a COUNT over
// persons): every person registered up to and including the local day,
// counted at the nodes of their residence.
package targets

import (
	"context"
	"sort"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/ent/statcount"
	"github.com/mashang/mashang/stats"
	"github.com/mashang/mashang/tree"
)

// Progress is a region's registrations against its target on a day.
type Progress struct {
	Date       string
	Registered int64
	// Target is nil when neither the region nor anything below it has a
	// population or a target.
	Target *int64
	// Rate is Registered / Target, nil without a (positive) target.
	Rate *float64
}

// NinetyPercent is seed 003 annex 1's rule: 目标任务量 = 辖区总人数 × 90 %,
// rounded up as the annex rounds.
func NinetyPercent(population int64) int64 { return (population*9 + 9) / 10 }

// OwnTarget is the target a region's own figures give (rules 1 and 2), nil
// when it has none.
func OwnTarget(population, target *int64) *int64 {
	switch {
	case target != nil:
		t := *target
		return &t
	case population != nil:
		t := NinetyPercent(*population)
		return &t
	}
	return nil
}

// ParseDay checks a day argument ("YYYY-MM-DD"); nil or "" is today in the
// province's zone (stats.Zone).
func ParseDay(day *string, now time.Time) (string, error) {
	if day == nil || *day == "" {
		return stats.Day(now), nil
	}
	if _, err := time.ParseInLocation(stats.DayLayout, *day, stats.Zone); err != nil {
		return "", mashang.FieldErrorf(mashang.EINVALID, "date", "The date %s is not a day of the form 2020-03-25.", *day)
	}
	return *day, nil
}

// Key asks for the progress of the region at Path on Day.
type Key struct{ Path, Day string }

// Load returns the progress of each key, in order, with two statements
// whatever the number of keys (one per distinct day for the counts, one for
// the targets): the batch function of the Region.registrationProgress
// dataloader. c must read stat_counts unfiltered (the caller checked the
// viewer may read statistics at every path).
func Load(ctx context.Context, c *ent.Client, keys []Key) ([]*Progress, error) {
	byDay := map[string][]string{}
	paths := make([]string, 0, len(keys))
	for _, k := range keys {
		byDay[k.Day] = append(byDay[k.Day], k.Path)
		paths = append(paths, k.Path)
	}
	registered := map[Key]int64{}
	for day, ps := range byDay {
		sums, err := registeredUpTo(ctx, c, ps, day)
		if err != nil {
			return nil, err
		}
		for p, n := range sums {
			registered[Key{p, day}] = n
		}
	}
	tgts, err := Targets(ctx, c, paths)
	if err != nil {
		return nil, err
	}
	out := make([]*Progress, len(keys))
	for i, k := range keys {
		out[i] = newProgress(k.Day, registered[k], tgts[k.Path])
	}
	return out, nil
}

func newProgress(day string, registered int64, target *int64) *Progress {
	p := &Progress{Date: day, Registered: registered, Target: target}
	if target != nil && *target > 0 {
		r := float64(registered) / float64(*target)
		p.Rate = &r
	}
	return p
}

// registeredUpTo sums the REGISTRATIONS counters of each node on the days
// up to and including day (one statement over the counters' unique index:
// node_path, day, metric, …).
func registeredUpTo(ctx context.Context, c *ent.Client, paths []string, day string) (map[string]int64, error) {
	var rows []struct {
		NodePath string `json:"node_path"`
		Sum      int64  `json:"sum"`
	}
	err := c.StatCount.Query().
		Where(statcount.NodePathIn(dedupe(paths)...), statcount.Metric(string(stats.Registrations)),
			statcount.DayNEQ(""), statcount.DayLTE(day)).
		GroupBy(statcount.FieldNodePath).Aggregate(ent.Sum(statcount.FieldValue)).Scan(ctx, &rows)
	if err != nil {
		return nil, mashang.Wrap(err, "targets: registered")
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.NodePath] = r.Sum
	}
	return out, nil
}

// Targets returns the target of each region path (rules 1–4 above) with one
// statement: the regions with figures of their own in the subtrees asked
// about, in path order, so that a region's figures hide those below it.
func Targets(ctx context.Context, c *ent.Client, paths []string) (map[string]*int64, error) {
	roots := topmost(dedupe(paths))
	if len(roots) == 0 {
		return map[string]*int64{}, nil
	}
	within := make([]*sql.Predicate, len(roots))
	for i, p := range roots {
		lo, hi := tree.Bounds(p)
		within[i] = sql.And(sql.GTE(region.FieldPath, lo), sql.LT(region.FieldPath, hi))
	}
	rows, err := c.Region.Query().
		Where(func(s *sql.Selector) { s.Where(sql.Or(within...)) },
			region.Or(region.PopulationNotNil(), region.RegistrationTargetNotNil())).
		Order(ent.Asc(region.FieldPath)).
		Select(region.FieldPath, region.FieldPopulation, region.FieldRegistrationTarget).
		All(authz.AsSystem(ctx))
	if err != nil {
		return nil, mashang.Wrap(err, "targets: figures")
	}
	out := make(map[string]*int64, len(paths))
	for _, p := range paths {
		out[p] = sumTopmost(p, rows)
	}
	return out, nil
}

// sumTopmost adds the own targets of the regions of rows (sorted by path)
// in p's subtree that no other region of rows between them and p covers.
func sumTopmost(p string, rows []*ent.Region) *int64 {
	var total *int64
	covered := ""
	for _, r := range rows {
		if !strings.HasPrefix(r.Path, p) || (covered != "" && strings.HasPrefix(r.Path, covered)) {
			continue
		}
		t := OwnTarget(r.Population, r.RegistrationTarget)
		if t == nil {
			continue
		}
		covered = r.Path
		if total == nil {
			total = new(int64)
		}
		*total += *t
	}
	return total
}

func dedupe(paths []string) []string {
	seen := make(map[string]bool, len(paths))
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// topmost drops the paths inside another path's subtree.
func topmost(paths []string) []string {
	s := append([]string(nil), paths...)
	sort.Strings(s)
	var out []string
	for _, p := range s {
		if len(out) > 0 && strings.HasPrefix(p, out[len(out)-1]) {
			continue
		}
		out = append(out, p)
	}
	return out
}

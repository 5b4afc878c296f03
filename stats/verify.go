package stats

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
)

// Verify and Rebuild (issue 12: `mashang stats verify` and `mashang stats
// rebuild [--from DATE]`) recount every registered metric from the raw rows
// with the same key functions as the live path (each metric's file
// registers its Recount in init), and compare the recount with the stored
// counters or rewrite them.

// Difference is a counter whose stored value is not what the raw rows give.
type Difference struct {
	Key       Key
	Stored    int64
	Recounted int64
}

// String shows a difference in verify's report.
func (d Difference) String() string {
	return fmt.Sprintf("%s: stored %d, recounted %d", d.Key, d.Stored, d.Recounted)
}

// MemberWindow is how far back from now a rebuild writes the distinct
// members: the members of the local days from Day(now - MemberWindow) on,
// that is today, and yesterday during the first hour of today. A write's
// day is the day of its own time, which is at most one transaction old
// when it commits, so live writes reach only those days; older days never
// need their members again, and a rebuild of months of scans does not
// rewrite tens of millions of them.
var MemberWindow = time.Hour

// keepMembers tells whether a recount keeps the members of day.
func keepMembers(day string) bool {
	return day >= Day(time.Now().Add(-MemberWindow))
}

// countMember counts a recounted distinct member: as a member of d when
// keep, else as a plain increment of k (each member is resolved once by
// the recount itself).
func (d *Delta) countMember(keep bool, mk memberKey, k Key) {
	if keep {
		d.Distinct(mk.Member, k)
		return
	}
	d.Add(k, 1)
}

// dayStart is the first instant of the local day `from`, or the zero time
// when from is "".
func dayStart(from string) (time.Time, error) {
	if from == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(DayLayout, from, Zone)
	if err != nil {
		return time.Time{}, mashang.FieldErrorf(mashang.EINVALID, "from", "The day %q is not a date of the form YYYY-MM-DD.", from)
	}
	return t, nil
}

// isPostgres tells whether c speaks to PostgreSQL (asked of ent's
// selector; no statement fails, so it is safe inside a transaction).
func isPostgres(ctx context.Context, c *ent.Client) (bool, error) {
	var name string
	_, err := c.StatCount.Query().Where(func(s *entsql.Selector) {
		name = s.Dialect()
		s.Where(entsql.False())
	}).Exist(ctx)
	return name == dialect.Postgres, err
}

// recountAll runs every registered recount into one delta and returns it
// with the metrics it covers.
func recountAll(ctx context.Context, c *ent.Client, from string) (*Delta, []Metric, error) {
	if _, err := dayStart(from); err != nil {
		return nil, nil, err
	}
	var d Delta
	var metrics []Metric
	for _, r := range Recounts() {
		if err := r.Count(ctx, c, from, &d); err != nil {
			return nil, nil, fmt.Errorf("stats: recount %s: %w", r.Name, err)
		}
		metrics = append(metrics, r.Metrics...)
	}
	return &d, metrics, nil
}

// resolve is the counters a delta amounts to on empty rollups: every
// distinct member increments its keys once.
func (d *Delta) resolve(from string) map[Key]int64 {
	out := make(map[Key]int64, len(d.counts))
	for k, n := range d.counts {
		out[k] += n
	}
	for _, ks := range d.members {
		for _, k := range ks {
			out[k]++
		}
	}
	for k, n := range out {
		if n == 0 || (k.Day != "" && k.Day < from) {
			delete(out, k)
		}
	}
	return out
}

// Verify recounts every registered metric from the raw rows of the days
// from `from` on (every day when ""; gauges always) and returns the
// counters whose stored value differs, in key order.
//
// It reads in one REPEATABLE READ transaction, so that on PostgreSQL the
// raw rows and the counters are one snapshot while writes go on.
func Verify(ctx context.Context, c *ent.Client, from string) ([]Difference, error) {
	var want, have map[Key]int64
	pg, err := isPostgres(ctx, c)
	if err != nil {
		return nil, mashang.Wrap(err, "stats.Verify")
	}
	var opts []database.TxOption
	if pg {
		opts = append(opts, database.Isolation(sql.LevelRepeatableRead))
	}
	err = database.InTx(ctx, c, func(ctx context.Context, tx *ent.Client) error {
		d, metrics, err := recountAll(ctx, tx, from)
		if err != nil {
			return err
		}
		want = d.resolve(from)
		have, err = storedCounts(ctx, tx, metrics, from)
		return err
	}, opts...)
	if err != nil {
		return nil, mashang.Wrap(err, "stats.Verify")
	}
	var diffs []Difference
	for k, n := range want {
		if have[k] != n {
			diffs = append(diffs, Difference{Key: k, Stored: have[k], Recounted: n})
		}
	}
	for k, n := range have {
		if _, ok := want[k]; !ok && n != 0 {
			diffs = append(diffs, Difference{Key: k, Stored: n})
		}
	}
	sort.Slice(diffs, func(i, j int) bool { return keyLess(diffs[i].Key, diffs[j].Key) })
	return diffs, nil
}

// metricsWhere is the WHERE clause of the rows of metrics on the days from
// `from` on and the gauges, with its arguments.
func metricsWhere(pg bool, metrics []Metric, from string) (string, []any) {
	ph := func(i int) string {
		if pg {
			return fmt.Sprintf("$%d", i)
		}
		return "?"
	}
	var marks []string
	var args []any
	for _, m := range metrics {
		args = append(args, string(m))
		marks = append(marks, ph(len(args)))
	}
	args = append(args, from)
	return "metric IN (" + strings.Join(marks, ", ") + ") AND (day >= " + ph(len(args)) + " OR day = '')", args
}

// storedCounts reads the stored counters of metrics (days from `from` on,
// and gauges), streaming the rows.
func storedCounts(ctx context.Context, c *ent.Client, metrics []Metric, from string) (map[Key]int64, error) {
	out := map[Key]int64{}
	if len(metrics) == 0 {
		return out, nil
	}
	pg, err := isPostgres(ctx, c)
	if err != nil {
		return nil, err
	}
	where, args := metricsWhere(pg, metrics, from)
	rows, err := c.QueryContext(ctx, `SELECT day, node_path, metric, category, sector, method, decision, colour, detail, value
FROM stat_counts WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k Key
		var n int64
		if err := rows.Scan(&k.Day, &k.Node, &k.Metric, &k.Category, &k.Sector, &k.Method, &k.Decision, &k.Colour, &k.Detail, &n); err != nil {
			return nil, err
		}
		if n != 0 {
			out[k] += n
		}
	}
	return out, rows.Err()
}

// Rebuild rewrites, in one transaction, the counters of every registered
// metric for the days from `from` on (every day when "") and the gauges,
// from the raw rows: it deletes them and the distinct members of those
// days, and writes the recount, with the members of the days live writes
// still reach (MemberWindow) so that later live writes stay exact. It
// returns how many counters it wrote.
func Rebuild(ctx context.Context, c *ent.Client, from string) (int, error) {
	written := 0
	err := database.InTx(ctx, c, func(ctx context.Context, tx *ent.Client) error {
		d, metrics, err := recountAll(ctx, tx, from)
		if err != nil {
			return err
		}
		pg, err := isPostgres(ctx, tx)
		if err != nil {
			return err
		}
		if len(metrics) > 0 {
			where, args := metricsWhere(pg, metrics, from)
			if _, err := tx.ExecContext(ctx, `DELETE FROM stat_counts WHERE `+where, args...); err != nil {
				return err
			}
		}
		q := `DELETE FROM stat_members WHERE day >= ?`
		if pg {
			q = `DELETE FROM stat_members WHERE day >= $1`
		}
		if _, err := tx.ExecContext(ctx, q, from); err != nil {
			return err
		}
		d.dropBefore(from)
		written = len(d.resolve(from))
		r := &Rollups{Dialect: dialect.SQLite}
		if pg {
			r.Dialect = dialect.Postgres
		}
		return r.Apply(ctx, tx, d)
	})
	return written, mashang.Wrap(err, "stats.Rebuild")
}

// dropBefore removes from d what lies on days before from (gauges stay).
func (d *Delta) dropBefore(from string) {
	for k := range d.counts {
		if k.Day != "" && k.Day < from {
			delete(d.counts, k)
		}
	}
	for mk := range d.members {
		if mk.Day != "" && mk.Day < from {
			delete(d.members, mk)
		}
	}
}

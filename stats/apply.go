package stats

import (
	"context"
	"fmt"
	"strings"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent"
)

// Rollups writes deltas into the rollup tables. A nil *Rollups, or one
// that is Off, writes nothing (benchmarks compare ingest with and without).
type Rollups struct {
	// Dialect is the database's: dialect.Postgres uses unnest arrays,
	// anything else multi-row VALUES.
	Dialect string
	// Off disables the rollups (benchmarks only: verify then fails).
	Off bool
	// PerStep writes a batch of scans as issue 12 did, for the benchmark's
	// side-by-side runs only: three statements for the scans (visits,
	// members, counters), and the alerts raised and colour changes each
	// applied apart, instead of one statement (stats/batch.go).
	PerStep bool
}

// sqliteChunk is the rows of one multi-row statement on SQLite (11
// parameters a row, far below its limit of 32,766).
const sqliteChunk = 500

// Apply adds d to the rollups through c, which must be the client of the
// transaction of the write d counts: the members first (one INSERT … ON
// CONFLICT DO NOTHING RETURNING, which tells the new ones), then every
// counter (one upsert), whatever the size of d. Keys are written in one
// fixed order so that concurrent writers cannot deadlock.
func (r *Rollups) Apply(ctx context.Context, c *ent.Client, d *Delta) error {
	if r == nil || r.Off || d == nil || d.Empty() {
		return nil
	}
	counts := make(map[Key]int64, len(d.counts)+len(d.members))
	for k, n := range d.counts {
		counts[k] += n
	}
	if len(d.members) > 0 {
		fresh, err := r.insertMembers(ctx, c, sortedMembers(d.members))
		if err != nil {
			return mashang.Wrap(err, "stats.Apply")
		}
		for _, mk := range fresh {
			for _, k := range d.members[mk] {
				counts[k]++
			}
		}
	}
	if err := r.upsertCounts(ctx, c, counts); err != nil {
		return mashang.Wrap(err, "stats.Apply")
	}
	return nil
}

// insertMembers inserts the members and returns those that were new.
func (r *Rollups) insertMembers(ctx context.Context, c *ent.Client, ms []memberKey) ([]memberKey, error) {
	var fresh []memberKey
	collect := func(q string, args []any) error {
		rows, err := c.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var mk memberKey
			if err := rows.Scan(&mk.Day, &mk.Node, &mk.Member); err != nil {
				return err
			}
			fresh = append(fresh, mk)
		}
		return rows.Err()
	}
	if r.Dialect == dialect.Postgres {
		days, nodes, members := make([]string, len(ms)), make([]string, len(ms)), make([]string, len(ms))
		for i, m := range ms {
			days[i], nodes[i], members[i] = m.Day, m.Node, m.Member
		}
		const q = `INSERT INTO stat_members (day, node_path, member)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
ON CONFLICT (day, node_path, member) DO NOTHING RETURNING day, node_path, member`
		return fresh, collect(q, []any{pq.Array(days), pq.Array(nodes), pq.Array(members)})
	}
	for start := 0; start < len(ms); start += sqliteChunk {
		part := ms[start:min(start+sqliteChunk, len(ms))]
		var b strings.Builder
		b.WriteString("INSERT INTO stat_members (day, node_path, member) VALUES ")
		args := make([]any, 0, 3*len(part))
		for i, m := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?)")
			args = append(args, m.Day, m.Node, m.Member)
		}
		b.WriteString(" ON CONFLICT (day, node_path, member) DO NOTHING RETURNING day, node_path, member")
		if err := collect(b.String(), args); err != nil {
			return nil, err
		}
	}
	return fresh, nil
}

// countColumns are the columns of a counter, in the order of the upserts.
const countColumns = "day, node_path, level, metric, category, sector, method, decision, colour, detail, value"

// conflictTarget is the counter's key (the unique index of StatCount).
const conflictTarget = "(node_path, day, metric, category, sector, method, decision, colour, detail)"

// upsertCounts adds every non-zero increment to its counter.
func (r *Rollups) upsertCounts(ctx context.Context, c *ent.Client, counts map[Key]int64) error {
	keys := sortedKeys(counts)
	if len(keys) == 0 {
		return nil
	}
	if r.Dialect == dialect.Postgres {
		cols := make([][]string, 10)
		for i := range cols {
			cols[i] = make([]string, len(keys))
		}
		values := make([]int64, len(keys))
		for i, k := range keys {
			for j, v := range keyColumns(k) {
				cols[j][i] = v
			}
			values[i] = counts[k]
		}
		args := make([]any, 0, 11)
		for _, col := range cols {
			args = append(args, pq.Array(col))
		}
		args = append(args, pq.Array(values))
		q := `INSERT INTO stat_counts (` + countColumns + `)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bigint[])
ON CONFLICT ` + conflictTarget + ` DO UPDATE SET value = stat_counts.value + excluded.value`
		_, err := c.ExecContext(ctx, q, args...)
		return err
	}
	for start := 0; start < len(keys); start += sqliteChunk {
		part := keys[start:min(start+sqliteChunk, len(keys))]
		var b strings.Builder
		b.WriteString("INSERT INTO stat_counts (" + countColumns + ") VALUES ")
		args := make([]any, 0, 11*len(part))
		for i, k := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			for _, v := range keyColumns(k) {
				args = append(args, v)
			}
			args = append(args, counts[k])
		}
		b.WriteString(" ON CONFLICT " + conflictTarget + " DO UPDATE SET value = stat_counts.value + excluded.value")
		if _, err := c.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// keyColumns are a counter's key columns in countColumns' order (value aside).
func keyColumns(k Key) [10]string {
	return [10]string{k.Day, k.Node, string(LevelOfPath(k.Node)), string(k.Metric),
		k.Category, k.Sector, k.Method, k.Decision, k.Colour, k.Detail}
}

// String shows a key in verify's report.
func (k Key) String() string {
	s := fmt.Sprintf("%s %s %s", k.Metric, k.Node, k.Day)
	for _, d := range [...]struct{ n, v string }{{"category", k.Category}, {"sector", k.Sector}, {"method", k.Method},
		{"decision", k.Decision}, {"colour", k.Colour}, {"detail", k.Detail}} {
		if d.v != "" {
			s += " " + d.n + "=" + d.v
		}
	}
	return s
}

package stats

import (
	"context"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent"
)

// A batch of scans on PostgreSQL writes its members and counters in one
// statement (issue 15 point 3: the members and the counters, and the
// alerts' and colour changes' own upserts, cost a fifth of recordScans'
// throughput as statements of their own). The statement inserts the
// members, ON CONFLICT DO NOTHING, and keeps the new ones; then upserts
// every counter: its increment (scans, fevers, the batch's colour changes
// and alerts raised) plus one for each new member that counts in it.
//
// ApplyScans inserts the visits in a statement of its own first. A variant
// that also inserted the visits here, each gating its six candidate members,
// was measured side by side on 2026-12-05 and cost more (building, sorting
// and encoding 3,000 members a batch of 500, most of them never new) than
// the round trip it saved.
//
// Rows are written in one fixed order each (members, counters, each sorted
// as Apply sorts them), so concurrent batches lock in the same order and
// cannot deadlock. The joins are on the arrays' ordinal numbers.
const batchRollup = `WITH mi AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS u(day, node_path, member, i)
), m AS (
  INSERT INTO stat_members (day, node_path, member) SELECT day, node_path, member FROM mi ORDER BY i
  ON CONFLICT (day, node_path, member) DO NOTHING RETURNING day, node_path, member
), mnew AS (
  SELECT mi.i FROM mi JOIN m USING (day, node_path, member)
), kin AS (
  SELECT * FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
    $11::text[], $12::text[], $13::text[], $14::bigint[])
    WITH ORDINALITY AS u(day, node_path, level, metric, category, sector, method, decision, colour, detail, value, i)
), inc AS (
  SELECT i, value AS n FROM kin WHERE value <> 0
  UNION ALL
  SELECT mk.k, 1 FROM unnest($15::bigint[], $16::bigint[]) AS mk(m, k) JOIN mnew ON mnew.i = mk.m
), agg AS (
  SELECT i, sum(n)::bigint AS n FROM inc GROUP BY i
)
INSERT INTO stat_counts (` + countColumns + `)
SELECT kin.day, kin.node_path, kin.level, kin.metric, kin.category, kin.sector, kin.method, kin.decision, kin.colour, kin.detail, agg.n
FROM agg JOIN kin USING (i) WHERE agg.n <> 0 ORDER BY kin.i
ON CONFLICT ` + conflictTarget + ` DO UPDATE SET value = stat_counts.value + excluded.value`

// applyBatch writes d's members and counters in one statement
// (batchRollup).
func (r *Rollups) applyBatch(ctx context.Context, c *ent.Client, d *Delta) error {
	ms := sortedMembers(d.members)
	// The counters: every one with an increment or counted by a member.
	counts := make(map[Key]int64, len(d.counts)+len(ms))
	for k, n := range d.counts {
		counts[k] += n
	}
	for _, ks := range d.members {
		for _, k := range ks {
			if _, ok := counts[k]; !ok {
				counts[k] = 0
			}
		}
	}
	keys := make([]Key, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sortKeys(keys)
	kIdx := make(map[Key]int64, len(keys))
	cols := make([][]string, 10)
	for i := range cols {
		cols[i] = make([]string, len(keys))
	}
	values := make([]int64, len(keys))
	for i, k := range keys {
		kIdx[k] = int64(i + 1)
		for j, v := range keyColumns(k) {
			cols[j][i] = v
		}
		values[i] = counts[k]
	}
	mDay, mNode, mMember := make([]string, len(ms)), make([]string, len(ms)), make([]string, len(ms))
	var mkM, mkK []int64
	for i, mk := range ms {
		mDay[i], mNode[i], mMember[i] = mk.Day, mk.Node, mk.Member
		for _, k := range d.members[mk] {
			mkM, mkK = append(mkM, int64(i+1)), append(mkK, kIdx[k])
		}
	}
	args := make([]any, 0, 16)
	args = append(args, pq.Array(mDay), pq.Array(mNode), pq.Array(mMember))
	for _, col := range cols {
		args = append(args, pq.Array(col))
	}
	args = append(args, pq.Array(values), pq.Array(mkM), pq.Array(mkK))
	_, err := c.ExecContext(ctx, batchRollup, args...)
	return mashang.Wrap(err, "stats.applyBatch")
}

// oneStatement tells whether the rollups of a batch go in one statement.
func (r *Rollups) oneStatement() bool { return r.Dialect == dialect.Postgres && !r.PerStep }

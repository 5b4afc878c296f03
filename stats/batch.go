package stats

import (
	"context"
	"errors"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent"
)

// A batch of scans on PostgreSQL writes its members and counters in one
// statement (issue 15 point 3: the three statements of issue 12 — the
// visits, the members, the counters — and the alerts' and colour changes'
// own upserts cost a fifth of recordScans' throughput). The statement:
//
//  1. inserts visits (day, "p:<person>", site path), ON CONFLICT DO NOTHING,
//     and keeps the new ones;
//  2. inserts the members: those always tried and those gated by a visit
//     that is new (a member may be gated by several visits); keeps the new
//     ones;
//  3. upserts every counter: its increment (scans, fevers, the batch's
//     colour changes and alerts raised) plus one for each new member that
//     counts in it.
//
// ApplyScans inserts the visits in a statement of its own first and passes
// no gated members (steps 1 and 2's gating then do nothing): measured side
// by side on 2026-12-05, sending every visit's six candidate members with
// their gates cost more (building, sorting and encoding 3,000 members a
// batch of 500, most of them never new) than the round trip it saved.
//
// Rows are written in one fixed order each (visits, members, counters, each
// sorted as Apply sorts them), so concurrent batches lock in the same order
// and cannot deadlock. The joins are on the arrays' ordinal numbers.
const batchRollup = `WITH vin AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS u(day, node_path, member, i)
), v AS (
  INSERT INTO stat_members (day, node_path, member) SELECT day, node_path, member FROM vin ORDER BY i
  ON CONFLICT (day, node_path, member) DO NOTHING RETURNING day, node_path, member
), vnew AS (
  SELECT vin.i FROM vin JOIN v USING (day, node_path, member)
), mi AS (
  SELECT * FROM unnest($4::text[], $5::text[], $6::text[], $7::bool[]) WITH ORDINALITY AS u(day, node_path, member, always, i)
), want AS (
  SELECT i FROM mi WHERE always
  UNION
  SELECT g.m FROM unnest($8::bigint[], $9::bigint[]) AS g(m, v) JOIN vnew ON vnew.i = g.v
), m AS (
  INSERT INTO stat_members (day, node_path, member)
  SELECT mi.day, mi.node_path, mi.member FROM mi JOIN want USING (i) ORDER BY mi.i
  ON CONFLICT (day, node_path, member) DO NOTHING RETURNING day, node_path, member
), mnew AS (
  SELECT mi.i FROM mi JOIN m USING (day, node_path, member)
), kin AS (
  SELECT * FROM unnest($10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[],
    $17::text[], $18::text[], $19::text[], $20::bigint[])
    WITH ORDINALITY AS u(day, node_path, level, metric, category, sector, method, decision, colour, detail, value, i)
), inc AS (
  SELECT i, value AS n FROM kin WHERE value <> 0
  UNION ALL
  SELECT mk.k, 1 FROM unnest($21::bigint[], $22::bigint[]) AS mk(m, k) JOIN mnew ON mnew.i = mk.m
), agg AS (
  SELECT i, sum(n)::bigint AS n FROM inc GROUP BY i
)
INSERT INTO stat_counts (` + countColumns + `)
SELECT kin.day, kin.node_path, kin.level, kin.metric, kin.category, kin.sector, kin.method, kin.decision, kin.colour, kin.detail, agg.n
FROM agg JOIN kin USING (i) WHERE agg.n <> 0 ORDER BY kin.i
ON CONFLICT ` + conflictTarget + ` DO UPDATE SET value = stat_counts.value + excluded.value`

// gated are the members a new visit tries: visit → the members (a person
// at each node of the visit's site) and the counter each counts in.
type gated map[memberKey][]gatedMember

type gatedMember struct {
	mk  memberKey
	key Key
}

// errOverlap: a member both gated by a visit and always tried, which the
// one statement cannot express (ApplyScans then takes the three).
var errOverlap = errors.New("stats: a gated member is also always tried")

// applyBatch writes visits, their gated members and d in one statement
// (batchRollup).
func (r *Rollups) applyBatch(ctx context.Context, c *ent.Client, g gated, d *Delta) error {
	visits := make(map[memberKey][]Key, len(g))
	for v := range g {
		visits[v] = nil
	}
	vs := sortedMembers(visits)
	vIdx := make(map[memberKey]int64, len(vs))
	vDay, vNode, vMember := make([]string, len(vs)), make([]string, len(vs)), make([]string, len(vs))
	for i, v := range vs {
		vIdx[v] = int64(i + 1)
		vDay[i], vNode[i], vMember[i] = v.Day, v.Node, v.Member
	}

	// The members: always tried (d's) and gated; each with the counters it
	// counts in and the visits that gate it.
	members := make(map[memberKey][]Key, len(d.members)+len(g)*6)
	gates := map[memberKey][]int64{}
	for mk, ks := range d.members {
		members[mk] = ks
	}
	for v, gms := range g {
		for _, gm := range gms {
			if _, always := d.members[gm.mk]; always {
				return errOverlap
			}
			ks := members[gm.mk]
			if !containsKey(ks, gm.key) {
				members[gm.mk] = append(ks, gm.key)
			}
			gates[gm.mk] = append(gates[gm.mk], vIdx[v])
		}
	}
	ms := sortedMembers(members)

	// The counters: every one with an increment or counted by a member.
	counts := make(map[Key]int64, len(d.counts)+len(ms))
	for k, n := range d.counts {
		counts[k] += n
	}
	for _, ks := range members {
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
	always := make([]bool, len(ms))
	var gm, gv, mkM, mkK []int64
	for i, mk := range ms {
		mDay[i], mNode[i], mMember[i] = mk.Day, mk.Node, mk.Member
		idx := int64(i + 1)
		if vis, ok := gates[mk]; ok {
			for _, v := range vis {
				gm, gv = append(gm, idx), append(gv, v)
			}
		} else {
			always[i] = true
		}
		for _, k := range members[mk] {
			mkM, mkK = append(mkM, idx), append(mkK, kIdx[k])
		}
	}
	args := make([]any, 0, 22)
	args = append(args, pq.Array(vDay), pq.Array(vNode), pq.Array(vMember),
		pq.Array(mDay), pq.Array(mNode), pq.Array(mMember), pq.Array(always), pq.Array(gm), pq.Array(gv))
	for _, col := range cols {
		args = append(args, pq.Array(col))
	}
	args = append(args, pq.Array(values), pq.Array(mkM), pq.Array(mkK))
	_, err := c.ExecContext(ctx, batchRollup, args...)
	return mashang.Wrap(err, "stats.applyBatch")
}

func containsKey(ks []Key, k Key) bool {
	for _, have := range ks {
		if have == k {
			return true
		}
	}
	return false
}

// oneStatement tells whether the rollups of a batch go in one statement.
func (r *Rollups) oneStatement() bool { return r.Dialect == dialect.Postgres && !r.PerStep }

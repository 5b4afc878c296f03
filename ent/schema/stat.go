package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// StatCount is one counter of the statistics rollups (DESIGN.md §11, issue
// 12): the value of a metric for one node of the tree (a region at any
// level, or a site) on one local day, broken down by the dimensions that
// apply to the metric ("" where one does not). Gauges (current state, such
// as enabled sites) have day "". Rows are only ever changed by stats.Apply,
// in the transaction of the write they count; `mashang stats verify`
// recounts them from the raw rows.
type StatCount struct{ ent.Schema }

// Annotations of the StatCount: not in the generated API (Query.stats reads it).
func (StatCount) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.Annotation{Table: "stat_counts"}, entgql.Skip(entgql.SkipAll)}
}

// Fields of the StatCount.
func (StatCount) Fields() []ent.Field {
	return []ent.Field{
		field.String("day").MaxRuneLen(10),        // YYYY-MM-DD in MASHANG_TIMEZONE; "" for a gauge
		field.String("node_path").MaxRuneLen(512), // the region's or site's path
		field.Enum("level").Values("PROVINCE", "CITY", "DISTRICT", "STREET", "COMMUNITY", "SITE", "NONE"),
		field.String("metric").MaxRuneLen(32),
		field.String("category").MaxRuneLen(40).Default(""),
		field.String("sector").MaxRuneLen(40).Default(""),
		field.String("method").MaxRuneLen(16).Default(""),
		field.String("decision").MaxRuneLen(8).Default(""),
		field.String("colour").MaxRuneLen(8).Default(""),
		field.String("detail").MaxRuneLen(64).Default(""),
		field.Int64("value"),
	}
}

// Indexes of the StatCount: the key of a counter (the upsert's conflict
// target), and the one analytics reads: a level, a subtree and a day range.
func (StatCount) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("node_path", "day", "metric", "category", "sector", "method", "decision", "colour", "detail").Unique(),
		index.Fields("level", "metric", "node_path", "day"),
		// The total counters (category '*', stats.Total), which a query
		// neither grouped nor filtered by a dimension reads: one entry a
		// node, day and metric. Not a partial index: PostgreSQL rewrites
		// a predicate into a form SQLite cannot parse, so one predicate
		// cannot serve both dialects' migrations.
		index.Fields("level", "metric", "category", "node_path", "day").StorageKey("statcount_totals"),
	}
}

// StatMember records that a member (a person, a site) was counted once for
// a node and a day, so distinct counts (people scanned, sites scanning)
// stay exact: a member is counted when its row is inserted, never again.
// Rows of past days are only needed by verify and may be pruned.
type StatMember struct{ ent.Schema }

// Annotations of the StatMember.
func (StatMember) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.Annotation{Table: "stat_members"}, entgql.Skip(entgql.SkipAll)}
}

// Fields of the StatMember.
func (StatMember) Fields() []ent.Field {
	return []ent.Field{
		field.String("day").MaxRuneLen(10),
		field.String("node_path").MaxRuneLen(512),
		field.String("member").MaxRuneLen(80),
	}
}

// Indexes of the StatMember.
func (StatMember) Indexes() []ent.Index {
	return []ent.Index{index.Fields("day", "node_path", "member").Unique()}
}

package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/mashang/mashang/scenario"
)

// Grant is a time-limited extra permission given by the province INITIATOR
// (seed 001 §11: 须经省"数字吉林"建设领导小组办公室授权后, 方可查阅相关人员的信息).
type Grant struct{ ent.Schema }

// Mixin of the Grant.
func (Grant) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Grant.
func (Grant) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").Values("PII_VIEWER", "TRACER", "SECTOR_STATISTICS"),
		field.Enum("sector").GoType(scenario.Sector("")).Optional().Nillable().Annotations(entgql.Type("Sector")),
		field.Time("expires_at"),
		field.Time("revoked_at").Optional().Nillable(),
		field.String("reason").MaxRuneLen(500),
		field.Int("account_id").Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("granted_by_id").Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Edges of the Grant.
func (Grant) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("account", Account.Type).Unique().Required().Field("account_id"),
		// Not in the API: the granter is the province INITIATOR, whom the
		// grant holder cannot see (the scope filter would hide it).
		edge.To("granted_by", Account.Type).Unique().Required().Field("granted_by_id").Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the Grant.
func (Grant) Indexes() []ent.Index {
	return []ent.Index{index.Fields("account_id", "expires_at")}
}

// Annotations of the Grant.
func (Grant) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.MultiOrder(), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}

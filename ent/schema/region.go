package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Region is a node of the administrative division tree (GB/T 2260 plus the
// statistical division codes): province (2 digits), city (4), district (6),
// street/town (9), community/village (12).
type Region struct{ ent.Schema }

// Mixin of the Region.
func (Region) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Region.
func (Region) Fields() []ent.Field {
	return []ent.Field{
		field.String("code").NotEmpty().MaxRuneLen(12).Immutable().Unique().
			Annotations(entgql.OrderField("CODE")),
		field.String("name").NotEmpty().MaxRuneLen(100).
			Annotations(entgql.OrderField("NAME")),
		field.Enum("level").Values("PROVINCE", "CITY", "DISTRICT", "STREET", "COMMUNITY").
			Annotations(entgql.OrderField("LEVEL")),
		pathField("path", true),
		// Seed 003 annex 1: 辖区总人数 and 目标任务量 (= population × 90 %).
		field.Int("parent_id").Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int64("population").Optional().Nillable().NonNegative(),
		field.Int64("registration_target").Optional().Nillable().NonNegative(),
		// Denormalised counts so a tree view costs no extra statement per node;
		// kept exact by the importer and by every site write.
		field.Int("child_count").Default(0).NonNegative().
			Annotations(entgql.OrderField("CHILD_COUNT"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.Int("site_count").Default(0).NonNegative().
			Annotations(entgql.OrderField("SITE_COUNT"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// Edges of the Region.
func (Region) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("children", Region.Type).
			Annotations(entgql.RelayConnection()).
			From("parent").Unique().Field("parent_id").Immutable(),
		edge.To("sites", Site.Type).Annotations(entgql.RelayConnection()),
		edge.To("units", Unit.Type).Annotations(entgql.RelayConnection()),
	}
}

// Indexes of the Region.
func (Region) Indexes() []ent.Index {
	return []ent.Index{
		index.Edges("parent"),
		index.Fields("level", "code"),
	}
}

// Annotations of the Region.
func (Region) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField("regions"),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
	}
}

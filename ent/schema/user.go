package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// User is a natural person who operates the system (a scanner, an official).
// Phone and ID numbers are sealed (package pii) with a keyed hash beside
// them for lookups and a masked form for display (DESIGN.md §8).
type User struct{ ent.Schema }

// Mixin of the User.
func (User) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the User.
func (User) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxRuneLen(100).Annotations(entgql.OrderField("NAME")),
		field.Bytes("phone_sealed").Sensitive(),
		field.String("phone_hash").Unique().Sensitive(),
		field.String("phone_masked").MaxRuneLen(32).Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Bytes("id_number_sealed").Optional().Nillable().Sensitive(),
		field.String("id_number_hash").Optional().Nillable().Unique().Sensitive(),
		field.String("id_number_masked").Optional().Nillable().MaxRuneLen(32).Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.String("password_hash").Sensitive(),
	}
}

// Edges of the User.
func (User) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("accounts", Account.Type).Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Annotations of the User.
func (User) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput, entgql.SkipOrderField)}
}

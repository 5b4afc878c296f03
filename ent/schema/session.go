package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Session is a login: the bearer token (stored only as its SHA-256), its
// refresh token, the acting account and their expiries.
type Session struct{ ent.Schema }

// Fields of the Session.
func (Session) Fields() []ent.Field {
	return []ent.Field{
		field.String("token_hash").Unique().Sensitive(),
		field.String("refresh_hash").Unique().Sensitive(),
		field.Time("created_at").Immutable(),
		field.Time("expires_at"),
		field.Time("refresh_expires_at"),
		field.Time("revoked_at").Optional().Nillable(),
		field.Int("user_id"),
		field.Int("account_id"),
	}
}

// Edges of the Session.
func (Session) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("user", User.Type).Unique().Required().Field("user_id"),
		edge.To("account", Account.Type).Unique().Required().Field("account_id"),
	}
}

// Indexes of the Session.
func (Session) Indexes() []ent.Index {
	return []ent.Index{index.Edges("user"), index.Edges("account")}
}

// Annotations of the Session.
func (Session) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// PersistedQueryMaxRunes bounds a trusted document (persisted.MaxDocumentBytes
// is the byte limit the service checks first; a byte is at most one rune).
const PersistedQueryMaxRunes = 16384

// PersistedQuery is a trusted document (issue 12, point 6): a GraphQL query
// a ministry registers by name for its dashboard, that the province
// INITIATOR approves, and that clients then call by its SHA-256 id instead
// of sending the text. It runs with the caller's own permissions; approval
// only lets the text be called by id.
type PersistedQuery struct{ ent.Schema }

// Mixin of the PersistedQuery.
func (PersistedQuery) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the PersistedQuery.
func (PersistedQuery) Fields() []ent.Field {
	return []ent.Field{
		// The name metrics label the operation with once approved: one
		// series per approved document, never per caller's text.
		field.String("name").NotEmpty().MaxRuneLen(100).Unique().Immutable(),
		field.Text("document").NotEmpty().MaxRuneLen(PersistedQueryMaxRunes).Immutable(),
		// Hex SHA-256 of document, the id clients call it by
		// (extensions.persistedQuery.sha256Hash, or documentId "sha256:<hex>").
		field.String("sha256").MaxRuneLen(64).Unique().Immutable(),
		field.Enum("status").Values("PENDING", "APPROVED", "REJECTED", "REVOKED").Default("PENDING").
			Annotations(entgql.OrderField("STATUS")),
		field.Int("owner_id").Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("decided_by_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("decided_at").Optional().Nillable(),
		field.String("decision_reason").Optional().Nillable().MaxRuneLen(1000),
	}
}

// Edges of the PersistedQuery.
func (PersistedQuery) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("owner", Account.Type).Unique().Required().Immutable().Field("owner_id"),
		// Not in the API: the decider is the province INITIATOR, whom the
		// owner cannot see (the scope filter would hide it).
		edge.To("decided_by", Account.Type).Unique().Field("decided_by_id").Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the PersistedQuery.
func (PersistedQuery) Indexes() []ent.Index {
	return []ent.Index{index.Fields("status", "created_at"), index.Fields("owner_id")}
}

// Annotations of the PersistedQuery.
func (PersistedQuery) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField("persistedQueries"),
		entgql.RelayConnection(),
		readOnlyNode,
	}
}

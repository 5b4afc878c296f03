package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ReactivationRequest is a disabled account's request to its superior
// (seed 001 §10: 任何扫码员账号被禁用, 均须向上一级扫码员提出申请).
type ReactivationRequest struct{ ent.Schema }

// Mixin of the ReactivationRequest.
func (ReactivationRequest) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the ReactivationRequest.
func (ReactivationRequest) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("status").Values("PENDING", "GRANTED", "SUPERSEDED").Default("PENDING"),
		field.String("note").MaxRuneLen(500).Default(""),
		field.Int("account_id").Annotations(entgql.Skip(entgql.SkipAll)),
		// The superior who must decide; kept so a request stays with the
		// superior in office when it was filed.
		field.Int("superior_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("decided_at").Optional().Nillable(),
	}
}

// Edges of the ReactivationRequest.
func (ReactivationRequest) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("account", Account.Type).Unique().Required().Field("account_id"),
		edge.To("superior", Account.Type).Unique().Field("superior_id"),
	}
}

// Indexes of the ReactivationRequest.
func (ReactivationRequest) Indexes() []ent.Index {
	return []ent.Index{index.Fields("superior_id", "status"), index.Fields("account_id", "status")}
}

// Annotations of the ReactivationRequest.
func (ReactivationRequest) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.MultiOrder(), readOnlyNode}
}

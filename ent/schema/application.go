package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Application is a unit's request for a SENIOR scanner account
// (《高级扫码员申请表》, seed 001 §9), bound to the unit's USCC; a replacement
// of an existing senior carries its reason (seed 001 §10).
type Application struct{ ent.Schema }

// Mixin of the Application.
func (Application) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Application.
func (Application) Fields() []ent.Field {
	return []ent.Field{
		field.String("unit_name").NotEmpty().MaxRuneLen(200),
		field.String("uscc").MaxRuneLen(18),
		field.Enum("status").Values("PENDING", "APPROVED", "REJECTED").Default("PENDING").Annotations(entgql.OrderField("STATUS")),
		pathField("scope_path", false),
		field.Int("scope_region_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("scope_site_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
		// The proposed holder, sealed like a User's data.
		field.String("holder_name").NotEmpty().MaxRuneLen(100),
		field.Bytes("holder_phone_sealed").Sensitive(),
		field.String("holder_phone_hash").Sensitive(),
		field.String("holder_phone_masked").MaxRuneLen(32),
		field.Bytes("holder_id_number_sealed").Optional().Nillable().Sensitive(),
		field.String("holder_id_number_hash").Optional().Nillable().Sensitive(),
		field.String("holder_id_number_masked").Optional().Nillable().MaxRuneLen(32),
		field.Int("replaces_account_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("replacement_reason").Optional().Nillable().MaxRuneLen(1000),
		field.Int("submitted_by_id").Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("decided_by_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("decided_at").Optional().Nillable(),
		field.String("decision_reason").Optional().Nillable().MaxRuneLen(1000),
		field.Int("account_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Edges of the Application.
func (Application) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("replaces_account", Account.Type).Unique().Field("replaces_account_id"),
		edge.To("submitted_by", Account.Type).Unique().Required().Field("submitted_by_id"),
		edge.To("decided_by", Account.Type).Unique().Field("decided_by_id"),
		edge.To("account", Account.Type).Unique().Field("account_id"),
		edge.To("scope_region", Region.Type).Unique().Field("scope_region_id"),
		edge.To("scope_site", Site.Type).Unique().Field("scope_site_id"),
	}
}

// Indexes of the Application.
func (Application) Indexes() []ent.Index {
	return []ent.Index{index.Fields("status", "created_at"), index.Fields("uscc")}
}

// Annotations of the Application.
func (Application) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField("applications"),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}

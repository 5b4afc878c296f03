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
		// The purpose (seed 001 §3 仅限此次防疫期间使用, §11 须经…授权): why the
		// grant is given, in words (at most 500 characters, counted by
		// accounts.GiveGrant), and for PII_VIEWER and TRACER the case or the
		// alert it serves. Every use is audited with them.
		field.String("reason").MaxRuneLen(500),
		field.String("case_number").Optional().Nillable().MaxRuneLen(256).Immutable(),
		field.Int("alert_id").Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		// The region the grant covers: a PII_VIEWER or TRACER grant is used
		// only for persons living in its subtree, and shows only scans made
		// in it. Chosen by the province when it gives the grant, otherwise
		// the holder's scope ("" on grants older than the field: read as the
		// holder's scope, authz.CheckGrant). SECTOR_STATISTICS covers "/".
		field.String("scope_path").MaxRuneLen(512).Default("").Immutable().
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput)),
		field.Int("scope_region_id").Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
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
		// The region chosen by the province; none when the grant covers the
		// holder's scope (a site) or everything.
		edge.To("scope_region", Region.Type).Unique().Field("scope_region_id").Immutable(),
		// The alert the grant serves, when its purpose is an alert.
		edge.To("alert", Alert.Type).Unique().Field("alert_id").Immutable(),
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

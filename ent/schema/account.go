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

// Account is one role a user holds (扫码员 account, seed 001 §6): the four
// scanner levels, plus OFFICIAL (region or sector staff) and GRID_WORKER
// (community workers, seed 003 §五(五)). Accounts form a tree of their own
// (superior → subordinates) with account_path "/a1/a5/a9/".
type Account struct{ ent.Schema }

// Mixin of the Account.
func (Account) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Account.
func (Account) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("role").Values("INITIATOR", "SENIOR", "INTERMEDIATE", "ORDINARY", "OFFICIAL", "GRID_WORKER").
			Annotations(entgql.OrderField("ROLE")),
		field.Enum("status").Values("ACTIVE", "DISABLED").Default("ACTIVE").Annotations(entgql.OrderField("STATUS")),
		// PENDING_CONSENT: the account waits for its new holder to accept
		// it in their own session (issue 10 §2; accounts.AcceptBinding).
		field.Enum("disabled_reason").Values("MANUAL", "CASCADE", "SILENT", "GEOFENCE", "CODE_NOT_GREEN", "PENDING_CONSENT").Optional().Nillable(),
		field.Time("disabled_at").Optional().Nillable(),
		field.Int("disabled_by_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
		// The cascade that disabled this account: the id of the account the
		// superior disabled with cascade. Activation with cascade re-enables
		// exactly the accounts of that cascade (seed 001 §10).
		field.Int("cascade_root_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
		// While the account waits for its holder's consent: the holder it
		// had before (nil for a new account, deleted on a refusal) and the
		// disabled_reason it returns to ("" for ACTIVE).
		field.Int("consent_previous_holder_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("consent_restore_reason").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("last_active_at").Optional().Nillable().Annotations(entgql.OrderField("LAST_ACTIVE_AT")),
		// The scope node: a region or a site; its path is denormalised here.
		pathField("scope_path", false),
		field.Int("scope_region_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("scope_site_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
		// Position in the account tree, e.g. "/a1/a5/a9/".
		pathField("account_path", true),
		field.Int("superior_id").Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("holder_id").Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("unit_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
		// OFFICIAL accounts may be limited to one supervising sector (行业主管部门).
		field.Enum("sector").GoType(scenario.Sector("")).Optional().Nillable().Annotations(entgql.Type("Sector")),
	}
}

// Edges of the Account.
func (Account) Edges() []ent.Edge {
	return []ent.Edge{
		// The GraphQL field is schema/accounts.graphqls's nullable holder:
		// null while the account waits for its holder's consent (issue 10 §2).
		edge.From("holder", User.Type).Ref("accounts").Unique().Required().Field("holder_id").
			Annotations(entgql.Skip(entgql.SkipType)),
		edge.To("subordinates", Account.Type).Annotations(entgql.RelayConnection()).
			From("superior").Unique().Field("superior_id").Immutable(),
		edge.To("scope_region", Region.Type).Unique().Field("scope_region_id"),
		edge.To("scope_site", Site.Type).Unique().Field("scope_site_id"),
		edge.To("unit", Unit.Type).Unique().Field("unit_id"),
	}
}

// Indexes of the Account.
func (Account) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("scope_path"),
		index.Fields("status", "role", "last_active_at"),
		index.Edges("holder"),
		index.Edges("superior"),
		index.Edges("unit"),
	}
}

// Annotations of the Account.
func (Account) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField("accounts"),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}

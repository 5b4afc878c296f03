package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/validate"
)

// Unit is an organisation (单位) identified by its unified social credit
// code; units apply for senior scanner accounts and own sites.
type Unit struct{ ent.Schema }

// Mixin of the Unit.
func (Unit) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Unit.
func (Unit) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxRuneLen(200).Annotations(entgql.OrderField("NAME")),
		// GB 32100-2015: 18 characters, the last a check character.
		field.String("uscc").MaxRuneLen(18).Unique().Validate(validate.USCC).
			Annotations(entgql.OrderField("USCC")),
		field.Enum("sector").GoType(scenario.Sector("")).Default(string(scenario.SectorOther)).
			Annotations(entgql.OrderField("SECTOR"), entgql.Type("Sector")),
		// Path of the unit's region, denormalised for scope filters (DESIGN.md §4).
		pathField("region_path", false),
		field.Int("region_id").Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Edges of the Unit.
func (Unit) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("region", Region.Type).Ref("units").Unique().Required().Field("region_id"),
		edge.To("sites", Site.Type).Annotations(entgql.RelayConnection()),
	}
}

// Indexes of the Unit.
func (Unit) Indexes() []ent.Index {
	return []ent.Index{index.Fields("region_path")}
}

// Annotations of the Unit.
func (Unit) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField("units"),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
	}
}

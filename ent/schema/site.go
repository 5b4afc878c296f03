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

// Site is a place where codes are verified (站点/检查点/扫码点). Sites hang
// under a region and may nest (unit → department/floor/entrance).
type Site struct{ ent.Schema }

// Mixin of the Site.
func (Site) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Site.
func (Site) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxRuneLen(200).Annotations(entgql.OrderField("NAME")),
		field.Enum("category").GoType(scenario.Category("")).Annotations(entgql.OrderField("CATEGORY")),
		field.Enum("sector").GoType(scenario.Sector("")).Default(string(scenario.SectorOther)).Annotations(entgql.Type("Sector")),
		field.String("address").MaxRuneLen(300).Default(""),
		field.Float("latitude").Optional().Nillable().Validate(validate.Latitude),
		field.Float("longitude").Optional().Nillable().Validate(validate.Longitude),
		// Metres; 0 means no geofence (vehicles, seed 003 §二(五)).
		field.Int("geofence_radius").Default(200).NonNegative(),
		// Seed 003 annex 2 (检查点核验表): 建设情况 已建/未建 and 是否启用.
		field.Bool("built").Default(false),
		field.Bool("enabled").Default(false),
		// seed 003 §二(一) (张贴专属核验码…自助扫码+体温测量): a self-scan here
		// must carry the temperature the resident measured; elsewhere it may
		// come without one (issue 11, point 6).
		field.Bool("self_scan_needs_temperature").Default(false),
		pathField("path", true),
		field.Int("region_id").Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("parent_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("unit_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Edges of the Site.
func (Site) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("region", Region.Type).Ref("sites").Unique().Required().Field("region_id"),
		edge.From("unit", Unit.Type).Ref("sites").Unique().Field("unit_id"),
		edge.To("children", Site.Type).Annotations(entgql.RelayConnection()).
			From("parent").Unique().Field("parent_id"),
	}
}

// Indexes of the Site.
func (Site) Indexes() []ent.Index {
	return []ent.Index{
		index.Edges("region"),
		index.Edges("parent"),
		index.Edges("unit"),
		index.Fields("category"),
	}
}

// Annotations of the Site.
func (Site) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField("sites"),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
	}
}

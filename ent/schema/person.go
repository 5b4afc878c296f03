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

// Person is a resident holding a health code (健康码), or a person without a
// code registered manually (seed 001 §5). ID and phone numbers are sealed
// like a User's (DESIGN.md §8); the API shows only the masks.
type Person struct{ ent.Schema }

// Mixin of the Person.
func (Person) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Person.
func (Person) Fields() []ent.Field {
	return []ent.Field{
		// The name is sealed like the numbers: only the mask is in the API.
		field.String("name").NotEmpty().MaxRuneLen(100).Sensitive(),
		field.String("name_masked").MaxRuneLen(100).Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Enum("id_type").Values("RESIDENT_ID", "PASSPORT", "HK_MACAO_PERMIT", "TAIWAN_PERMIT", "FOREIGN_PERMANENT_RESIDENT", "OTHER"),
		field.Bytes("id_number_sealed").Sensitive(),
		// Keyed hash of id_type + number: one person per document.
		field.String("id_number_hash").Unique().Sensitive(),
		field.String("id_number_masked").MaxRuneLen(32).Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Bytes("phone_sealed").Optional().Nillable().Sensitive(),
		field.String("phone_hash").Optional().Nillable().Sensitive(),
		field.String("phone_masked").Optional().Nillable().MaxRuneLen(32).Annotations(entgql.Skip(entgql.SkipWhereInput)),
		// The residence address, for the grid worker's visit at the door
		// (issue 11, point 13): sealed like the numbers, masked in the API.
		field.Bytes("address_sealed").Optional().Nillable().Sensitive(),
		field.String("address_masked").Optional().Nillable().MaxRuneLen(200).Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Int("residence_region_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("residence_path").Default("").MaxRuneLen(512).Annotations(entgql.Skip(entgql.SkipAll)),
		// seed 001 §4: 绿 / 黄 / 橙 / 红.
		// In the API as a nullable Colour (schema/persons.graphqls), so that
		// selecting colour on a Person and on a Scan (whose colour may be
		// unknown) under one node merges (issue 9, point 7).
		field.Enum("colour").GoType(scenario.Colour("")).Default(string(scenario.ColourGreen)).
			Annotations(entgql.OrderField("COLOUR"), colourEnum, entgql.Skip(entgql.SkipType)),
		field.Enum("risk").Values("NONE", "CLOSE_CONTACT", "QUARANTINED", "SUSPECTED", "CONFIRMED").Default("NONE"),
		field.Time("quarantine_ends").Optional().Nillable(),
		field.Bool("symptomatic").Default(false),
		field.Float("last_temperature").Optional().Nillable(),
		field.Time("last_temperature_at").Optional().Nillable(),
		field.Int("rule_version").Default(0),
		// Keyed hash of the self-service credential (msp_…) handed out once
		// at registration: the citizen's app proves with it that it acts for
		// this person (declareHealth, issueCode).
		field.String("secret_hash").Optional().Nillable().Sensitive(),
		// The regions visited, by code, with dates, from the latest daily
		// check-in of each of the last VisitWindowDays days (issue 11,
		// point 11; seed 004 §二(五) 重点地区来泉人员): kept on the person so
		// that every colour decision, a batch of scans included, sees them
		// without another query. The check-ins themselves keep the history.
		field.JSON("visits", []Visit{}).Optional().Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Visit is one region a person declared they visited on a day: Region is a
// region code (GB/T 2260 and below: 2, 4, 6, 9 or 12 digits), Date the day
// YYYY-MM-DD in the province's time zone.
type Visit struct {
	Region string `json:"region"`
	Date   string `json:"date"`
}

// Edges of the Person.
func (Person) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("residence_region", Region.Type).Unique().Field("residence_region_id"),
		// Connections (issue 9, point 5): a person's history is short (a
		// declaration a day), so the count entgql runs for pageInfo is cheap.
		edge.To("colour_changes", ColourChange.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipWhereInput)),
		// Person.declarations is schema/persons.graphqls's own field (the
		// person's own token may read it: issue 11, point 9).
		edge.To("declarations", HealthDeclaration.Type).Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("test_results", TestResult.Type).Annotations(entgql.RelayConnection(), entgql.Skip(entgql.SkipWhereInput)),
	}
}

// Indexes of the Person.
func (Person) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("phone_hash"),
		index.Fields("colour"),
		index.Fields("risk", "quarantine_ends"),
		index.Fields("residence_path"),
		index.Fields("secret_hash"),
	}
}

// Annotations of the Person.
func (Person) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField("persons"),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}

// ColourChange records every change of a person's colour with its cause
// (the rule that fired, the reading, the official's risk change).
type ColourChange struct{ ent.Schema }

// Fields of the ColourChange.
func (ColourChange) Fields() []ent.Field {
	return []ent.Field{
		field.Int("person_id").Annotations(entgql.Skip(entgql.SkipAll)),
		field.Enum("from_colour").GoType(scenario.Colour("")).Annotations(colourEnum, entgql.MapsTo("from")),
		field.Enum("to_colour").GoType(scenario.Colour("")).Annotations(colourEnum, entgql.MapsTo("to")),
		field.String("cause").MaxRuneLen(500),
		field.Int("rule_version"),
		field.Int("by_account_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("at").Annotations(entgql.OrderField("AT")),
		// The class of the cause (stats.CauseRisk, …), fixed when the change
		// is written: the statistics count colour changes by it (issue 12),
		// and the free-text cause cannot be mapped back reliably.
		field.String("cause_class").MaxRuneLen(24).Default("OTHER").Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		// Where the person lived when the colour changed ("" unknown): the
		// change is counted there, whatever later becomes of the residence.
		field.String("residence_path").MaxRuneLen(512).Default("").Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Edges of the ColourChange.
func (ColourChange) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("person", Person.Type).Ref("colour_changes").Unique().Required().Field("person_id").Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the ColourChange.
func (ColourChange) Indexes() []ent.Index {
	return []ent.Index{index.Fields("person_id", "at")}
}

// Annotations of the ColourChange.
func (ColourChange) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.MultiOrder(), readOnlyNode}
}

// HealthDeclaration is a daily check-in (每日健康打卡, seed 001 §1).
type HealthDeclaration struct{ ent.Schema }

// Fields of the HealthDeclaration.
func (HealthDeclaration) Fields() []ent.Field {
	return []ent.Field{
		field.Int("person_id").Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("day").MaxRuneLen(10).Annotations(entgql.OrderField("DAY")), // YYYY-MM-DD in the province's time zone
		// 1 for the day's first check-in, 2 for its first correction, …:
		// every one is kept, the latest of the day counts (issue 11, point 9).
		field.Int("revision").Default(1).Positive(),
		field.Strings("symptoms").Optional(),
		field.Float("temperature").Optional().Nillable(),
		field.String("travel").MaxRuneLen(500).Default(""),
		// The regions visited, by code, with dates (structured travel).
		field.JSON("visits", []Visit{}).Optional().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("created_at").Annotations(entgql.OrderField("CREATED_AT")),
	}
}

// Edges of the HealthDeclaration.
func (HealthDeclaration) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("person", Person.Type).Ref("declarations").Unique().Required().Field("person_id").Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the HealthDeclaration.
func (HealthDeclaration) Indexes() []ent.Index {
	return []ent.Index{index.Fields("person_id", "day", "revision").Unique(), index.Fields("person_id", "created_at")}
}

// Annotations of the HealthDeclaration.
func (HealthDeclaration) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.MultiOrder(), readOnlyNode}
}

// TestResult is a nucleic-acid (PCR) or antibody test (seed 004 §二(五)).
type TestResult struct{ ent.Schema }

// Fields of the TestResult.
func (TestResult) Fields() []ent.Field {
	return []ent.Field{
		field.Int("person_id").Annotations(entgql.Skip(entgql.SkipAll)),
		field.Enum("kind").Values("PCR", "ANTIBODY"),
		field.Time("sampled_at").Annotations(entgql.OrderField("SAMPLED_AT")),
		field.Enum("result").Values("NEGATIVE", "POSITIVE"),
		field.String("source").MaxRuneLen(200),
		field.Time("created_at"),
	}
}

// Edges of the TestResult.
func (TestResult) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("person", Person.Type).Ref("test_results").Unique().Required().Field("person_id").Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the TestResult.
func (TestResult) Indexes() []ent.Index {
	return []ent.Index{index.Fields("person_id", "sampled_at")}
}

// Annotations of the TestResult.
func (TestResult) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.MultiOrder(), readOnlyNode}
}

// RuleSetVersion is one published version of the colour rules (seed 003
// §五(二): 实时调整规则); every version is kept, the highest is in force.
type RuleSetVersion struct{ ent.Schema }

// Fields of the RuleSetVersion.
func (RuleSetVersion) Fields() []ent.Field {
	return []ent.Field{
		field.Int("version").Unique().Positive(),
		field.Text("rules"), // health.RuleSet as JSON
		field.String("note").MaxRuneLen(500).Default(""),
		field.Int("published_by_id").Optional().Nillable(),
		field.Time("published_at"),
	}
}

// Annotations of the RuleSetVersion.
func (RuleSetVersion) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// KeyAreaVersion is one published version of the key-area list (重点地区,
// seed 004 §二(五)): region codes the rules may name as key_areas. Like the
// rule sets, every version is kept and the highest is in force.
type KeyAreaVersion struct{ ent.Schema }

// Fields of the KeyAreaVersion.
func (KeyAreaVersion) Fields() []ent.Field {
	return []ent.Field{
		field.Int("version").Unique().Positive(),
		field.Strings("regions"),
		field.String("note").MaxRuneLen(500).Default(""),
		field.Int("published_by_id").Optional().Nillable(),
		field.Time("published_at"),
	}
}

// Annotations of the KeyAreaVersion.
func (KeyAreaVersion) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
)

// Revision is a counter bumped in the same transaction as every change of
// a body of data (e.g. "tree": regions and their counts), so every replica
// can tell whether a cached answer built from that data is still current.
type Revision struct{ ent.Schema }

// Fields of the Revision.
func (Revision) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").Unique().MaxRuneLen(64),
		field.Int64("value").Default(0),
	}
}

// Annotations of the Revision.
func (Revision) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

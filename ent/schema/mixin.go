package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"
)

// TimeMixin records when a row was created and last changed.
type TimeMixin struct{ mixin.Schema }

// Fields of the TimeMixin.
func (TimeMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").Immutable().Default(time.Now).
			Annotations(entgql.OrderField("CREATED_AT"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now).
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// pathField is the materialised path of a node in the jurisdiction tree
// (DESIGN.md §4): "/22/2201/220104/". Subtree queries are range scans
// `path >= P AND path < P || '~'` on a plain B-tree index; on PostgreSQL the
// migration generator gives these columns COLLATE "C" so the range follows
// byte order whatever the database's default collation is.
func pathField(name string, unique bool) ent.Field {
	// Not in the where inputs: their generated prefix filter is a LIKE, which
	// defeats the index; clients filter subtrees with `within` instead.
	f := field.String(name).NotEmpty().MaxRuneLen(512).
		Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput))
	if unique {
		f = f.Unique().Annotations(entgql.OrderField("PATH"))
	}
	return f
}

// colourEnum names the GraphQL enum of every colour field: they all share
// the Go type scenario.Colour, so a client selecting colour on a Scan and
// on a Person under one node gets one type (issue 9, point 7).
var colourEnum = entgql.Type("Colour")

// readOnlyNode is the annotation of a type the API shows but never
// creates, updates or filters through generated inputs.
var readOnlyNode = entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput)

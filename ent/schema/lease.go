package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
)

// Lease elects one replica to run a scheduled job: the holder renews it
// before it expires; another replica takes it over only after expiry.
type Lease struct{ ent.Schema }

// Fields of the Lease.
func (Lease) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").Unique().MaxRuneLen(64),
		field.String("holder").MaxRuneLen(128),
		field.Time("expires_at"),
	}
}

// Annotations of the Lease.
func (Lease) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

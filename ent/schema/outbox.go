package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// OutboxMessage is an SMS waiting to be sent, written in the same
// transaction as the change it reports (transactional outbox): a crash
// between commit and send delays the message but never loses it, and the
// key lets the provider drop a duplicate when a send is retried.
type OutboxMessage struct{ ent.Schema }

// Fields of the OutboxMessage.
func (OutboxMessage) Fields() []ent.Field {
	return []ent.Field{
		field.String("key").Unique().MaxRuneLen(64),
		field.Enum("channel").Values("SMS").Default("SMS"),
		field.Bytes("recipient_sealed").Sensitive(),
		field.String("recipient_masked").MaxRuneLen(32),
		field.String("body").MaxRuneLen(500),
		field.Enum("status").Values("PENDING", "SENT", "FAILED").Default("PENDING"),
		field.Int("attempts").Default(0),
		field.Time("next_attempt_at"),
		field.String("last_error").MaxRuneLen(500).Default(""),
		field.Time("created_at").Immutable(),
		field.Time("sent_at").Optional().Nillable(),
	}
}

// Indexes of the OutboxMessage.
func (OutboxMessage) Indexes() []ent.Index {
	return []ent.Index{index.Fields("status", "next_attempt_at")}
}

// Annotations of the OutboxMessage.
func (OutboxMessage) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

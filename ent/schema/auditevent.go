package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// AuditEvent is one entry of the audit log (DESIGN §8; seed 003 §六(三)
// 防篡改): every mutation, every use of personal data, and every refused
// attempt at a sensitive action. audit.Record chains each row as it is
// written, in the transaction of the audited action: seq is the row's place
// in the chain (1, 2, … without gaps), prev_hash the hash of the row before
// and hash its own, so a later change, deletion or insertion anywhere
// breaks the chain (`mashang audit verify`).
type AuditEvent struct{ ent.Schema }

// Fields of the AuditEvent.
func (AuditEvent) Fields() []ent.Field {
	return []ent.Field{
		field.Time("at"),
		field.Int("account_id").Optional().Nillable().Annotations(entgql.Type("ID"), entgql.MapsTo("accountId")),
		field.String("action").MaxRuneLen(100),
		field.String("target").MaxRuneLen(200).Default(""),
		// JSON object; never personal data in clear (masks only).
		field.Text("detail").Default("{}"),
		// Whether the action was done or refused (an attempt is audited too).
		field.Enum("outcome").Values("SUCCEEDED", "REFUSED").Default("SUCCEEDED").
			Comment("SUCCEEDED: the action was done; REFUSED: the attempt was refused (errorCode says how). Refused attempts are audited for grants, unmasking, tracing, setRisk, disabling and activating accounts."),
		// The error code a refused attempt was answered with ("" when it
		// succeeded): an ErrorCode value, never a message.
		field.String("error_code").MaxRuneLen(50).Default("").Annotations(entgql.MapsTo("errorCode")).
			Comment("The ErrorCode a refused attempt was answered with (FORBIDDEN, NOT_FOUND, ACCOUNT_DISABLED, …); empty when it succeeded."),
		// Place in the hash chain, from 1 without gaps; null only for rows
		// written before chaining at insert (adopted by `mashang audit seal`)
		// or inserted behind audit.Record's back.
		field.Int64("seq").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
		// Hash chain: hex SHA-256 over the previous hash and this row.
		field.String("prev_hash").MaxRuneLen(64).Default("").Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("hash").MaxRuneLen(64).Default("").Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the AuditEvent.
func (AuditEvent) Indexes() []ent.Index {
	return []ent.Index{
		// Unique: two writers can never both chain after the same head.
		index.Fields("seq").Unique(),
		index.Fields("hash"), index.Fields("account_id", "at"), index.Fields("action", "at"),
	}
}

// Annotations of the AuditEvent.
func (AuditEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), readOnlyNode, entgql.Skip(entgql.SkipOrderField)}
}

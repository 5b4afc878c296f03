package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/mashang/mashang/scenario"
)

// Scan is one registration at a site's door (扫码测温登记): who, where, when,
// temperature, colour, pass or deny (seed 004 annex note 2). A scan is a
// record: it is never updated. The site's and the scanner account's paths
// are denormalised so every list filters by scope without joins (DESIGN §4),
// and the names shown in the list are kept as they were when scanned.
type Scan struct{ ent.Schema }

// Fields of the Scan.
func (Scan) Fields() []ent.Field {
	return []ent.Field{
		// Client-generated id: a retry with the same id by the same account
		// returns the first result and stores nothing new.
		field.String("client_id").NotEmpty().MaxRuneLen(64).Immutable().
			Annotations(entgql.MapsTo("clientId"), entgql.Skip(entgql.SkipWhereInput)),
		field.Int("account_id").Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("account_path").MaxRuneLen(512).Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("scanner_name").MaxRuneLen(100).Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Int("site_id").Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("site_path").MaxRuneLen(512).Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("site_name").MaxRuneLen(200).Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Enum("sector").GoType(scenario.Sector("")).Immutable().Annotations(entgql.Type("Sector")),
		// The site's category when scanned, for the statistics (issue 12:
		// scans by category); null only on rows older than the column that
		// the migration's backfill found no site for.
		field.Enum("category").GoType(scenario.Category("")).Optional().Nillable().Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("person_id").Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Enum("method").Values("SCAN_CODE", "SHOW_CODE", "SELF_SCAN", "MANUAL").Immutable(),
		// seed 004 annex note 2: 姓名、身份证号 — masked; the keyed hash
		// finds a MANUAL or foreign person's scans for tracing.
		field.String("name_masked").MaxRuneLen(100).Default("").Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.String("id_number_masked").MaxRuneLen(32).Default("").Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.String("id_number_hash").Optional().Nillable().Immutable().Sensitive(),
		// The issuer of the code: this province's, or another's from the
		// trust list (DESIGN §7); "" for MANUAL.
		field.String("issuer").MaxRuneLen(32).Default("").Immutable(),
		// A foreign token's subject (its issuer's person number).
		field.String("subject").MaxRuneLen(32).Default("").Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Enum("colour").GoType(scenario.Colour("")).Optional().Nillable().Immutable().Annotations(colourEnum),
		field.Float("temperature").Immutable(),
		field.Bool("fever").Immutable(),
		field.Enum("decision").Values("PASS", "DENY").Immutable(),
		field.Strings("alert_reasons").Optional().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Float("device_latitude").Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Float("device_longitude").Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Float("distance_metres").Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		// The accuracy the device reported for its fix, metres.
		field.Float("device_accuracy").Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		// The fix was farther from the site than its radius, the fix's
		// accuracy and the margin (seed 001 §7 较大偏离; issue 11 point 15):
		// a warning to the scanner, the scan itself stands. A second one
		// among the account's last scans disables the account (GEOFENCE).
		field.Bool("far_fix").Default(false).Immutable().
			Comment("True when the device's fix was farther from the site than its radius plus the fix's accuracy plus the margin (seed 001 §7 较大偏离): a warning to the scanner; the scan stands. A second far fix among the account's last scans within the window disables the account (GEOFENCE)."),
		field.Time("client_time").Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Time("server_time").Immutable().Annotations(entgql.OrderField("SERVER_TIME")),
		// How the person was shown to be at the door (issue 11, DESIGN §6):
		// CODE a verified signed code; SHOWN a code's colour read by eye;
		// ATTESTED the scanner's word naming a registered person; REGISTERED
		// a person registered by hand for the first time. Null on scans
		// recorded before it was kept.
		field.Enum("presence").Values("CODE", "SHOWN", "ATTESTED", "REGISTERED").Optional().Nillable().Immutable(),
		// seed 004 annex note 2 (姓名、证件号码): the record holds the
		// person's identity, from their registration or captured at the door.
		field.Bool("identity_captured").Default(false).Immutable(),
		// The identity captured at the door for a person not registered here
		// (a shown code, another province's code): name, document type and
		// number, sealed as one value (DESIGN §8); only the masks are shown.
		field.Bytes("identity_sealed").Optional().Nillable().Immutable().Sensitive(),
		// Why an attestation was flagged for review (RESIDES_ELSEWHERE,
		// RESIDENCE_UNKNOWN): carried by the alert, not shown to the door.
		field.Strings("review_reasons").Optional().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the Scan: each list is a range on one of them, newest first.
func (Scan) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("account_id", "client_id").Unique(),
		index.Fields("site_path", "server_time"),
		index.Fields("account_path", "server_time"),
		index.Fields("person_id", "server_time"),
		index.Fields("id_number_hash", "server_time"),
		index.Fields("site_id", "server_time"),
		index.Fields("server_time"),
		// The attestations of an account in the last hour (the rate limit).
		index.Fields("account_id", "presence", "server_time"),
	}
}

// Annotations of the Scan.
func (Scan) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField("scans"),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}

// Alert is an abnormal reminder (异常提醒, seed 004 annex note 3) for a
// site's region or a person's residence, handled by the community's grid
// worker (seed 003 §五: 网格员上门核实): OPEN → ASSIGNED → VISITED → CLOSED.
type Alert struct{ ent.Schema }

// Fields of the Alert.
func (Alert) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").Values("SCAN", "COLOUR_CHANGE").Immutable(),
		// Where the alert belongs: the site's path, or the person's residence.
		field.String("scope_path").MaxRuneLen(512).Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("place").MaxRuneLen(200).Default("").Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Enum("sector").GoType(scenario.Sector("")).Optional().Nillable().Immutable().Annotations(entgql.Type("Sector")),
		field.Int("scan_id").Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("site_id").Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("person_id").Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		// The residence of the person the alert is about, "" when unknown:
		// the alert is routed there as well as to scope_path, so the grid
		// worker of the community where the person lives can be assigned
		// (issue 11, point 12; seed 003 §五(五)).
		field.String("residence_path").MaxRuneLen(512).Default("").Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("name_masked").MaxRuneLen(100).Default("").Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.String("id_number_masked").MaxRuneLen(32).Default("").Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Strings("reasons").Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Enum("colour").GoType(scenario.Colour("")).Optional().Nillable().Immutable().Annotations(colourEnum),
		field.Float("temperature").Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Enum("status").Values("OPEN", "ASSIGNED", "VISITED", "CLOSED").Default("OPEN").Annotations(entgql.OrderField("STATUS")),
		field.Int("assignee_id").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("assignee_path").Optional().Nillable().MaxRuneLen(512).Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("note").MaxRuneLen(1000).Default("").Annotations(entgql.Skip(entgql.SkipWhereInput)),
		// false when the region's alert pushes were paused: kept, not pushed.
		field.Bool("pushed").Default(true),
		field.Time("raised_at").Immutable().Annotations(entgql.OrderField("RAISED_AT")),
		field.Time("updated_at").Annotations(entgql.Skip(entgql.SkipWhereInput)),
	}
}

// Indexes of the Alert.
func (Alert) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("scope_path", "raised_at"),
		index.Fields("status", "raised_at"),
		index.Fields("assignee_id", "status"),
		index.Fields("person_id"),
		index.Fields("residence_path", "raised_at"),
	}
}

// Annotations of the Alert.
func (Alert) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField("alerts"),
		entgql.RelayConnection(),
		entgql.MultiOrder(),
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}

// AlertStep is one step of an alert's handling, kept for the record.
type AlertStep struct{ ent.Schema }

// Fields of the AlertStep.
func (AlertStep) Fields() []ent.Field {
	return []ent.Field{
		field.Int("alert_id").Immutable(),
		field.Enum("from_status").Values("OPEN", "ASSIGNED", "VISITED", "CLOSED").Immutable(),
		field.Enum("to_status").Values("OPEN", "ASSIGNED", "VISITED", "CLOSED").Immutable(),
		field.Int("by_account_id").Immutable(),
		field.Int("assignee_id").Optional().Nillable().Immutable(),
		field.String("note").MaxRuneLen(1000).Default("").Immutable(),
		field.Time("at").Immutable(),
	}
}

// Indexes of the AlertStep.
func (AlertStep) Indexes() []ent.Index {
	return []ent.Index{index.Fields("alert_id", "at")}
}

// Annotations of the AlertStep.
func (AlertStep) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// AlertPause stops new alert pushes for a region's subtree (alerts are still
// recorded), e.g. while a bad import floods them.
type AlertPause struct{ ent.Schema }

// Fields of the AlertPause.
func (AlertPause) Fields() []ent.Field {
	return []ent.Field{
		field.Int("region_id").Unique(),
		field.String("path").MaxRuneLen(512),
		field.String("reason").MaxRuneLen(500).Default(""),
		field.Int("by_account_id"),
		field.Time("at"),
	}
}

// Annotations of the AlertPause.
func (AlertPause) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// ImportJob is an uploaded control list (管控名单, seed 000 §五.2) being
// applied: its progress and every invalid row with its line and reason.
type ImportJob struct{ ent.Schema }

// Fields of the ImportJob.
func (ImportJob) Fields() []ent.Field {
	return []ent.Field{
		field.String("filename").MaxRuneLen(255),
		field.Enum("format").Values("CSV", "XLSX"),
		// SHA-256 of the content, hex.
		field.String("content_hash").MaxRuneLen(64).Annotations(entgql.Skip(entgql.SkipAll)),
		field.Bytes("content").Sensitive().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Enum("status").Values("PENDING", "RUNNING", "DONE", "FAILED").Default("PENDING"),
		field.Int("total_rows").Default(0),
		field.Int("processed_rows").Default(0),
		field.Int("applied_rows").Default(0),
		field.Int("unchanged_rows").Default(0),
		field.Int("invalid_rows").Default(0),
		// JSON array of {line, reason}.
		field.Text("row_errors").Default("[]").Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("failure").MaxRuneLen(1000).Default(""),
		field.Int("submitted_by_id").Annotations(entgql.Skip(entgql.SkipAll)),
		// The submitter's scope: rows for persons outside it are refused.
		field.String("scope_path").MaxRuneLen(512).Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("created_at"),
		field.Time("started_at").Optional().Nillable(),
		field.Time("finished_at").Optional().Nillable(),
		// Lease of the replica running it, so a crashed run is taken over.
		field.Time("heartbeat_at").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the ImportJob.
func (ImportJob) Indexes() []ent.Index {
	return []ent.Index{index.Fields("status"), index.Fields("submitted_by_id", "created_at")}
}

// Annotations of the ImportJob: a Node named ControlListImport in the API.
func (ImportJob) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Type("ControlListImport"), entgql.RelayConnection(), readOnlyNode, entgql.Skip(entgql.SkipOrderField)}
}

// ControlListChange records a person a control-list import changed (issue
// 12: control-list changes are counted per day at the nodes of the person's
// residence, by the risk set). Rows are written with the change, in its
// transaction, and never changed: `mashang stats verify` recounts from them.
type ControlListChange struct{ ent.Schema }

// Annotations of the ControlListChange: not in the API.
func (ControlListChange) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Fields of the ControlListChange.
func (ControlListChange) Fields() []ent.Field {
	return []ent.Field{
		field.Int("job_id").Immutable(),
		field.Int("person_id").Immutable(),
		// The risk the row set (NONE for a release).
		field.String("risk").MaxRuneLen(16).Immutable(),
		// The person's residence when the list changed them ("" unknown).
		field.String("residence_path").MaxRuneLen(512).Default("").Immutable(),
		field.Time("at").Immutable(),
	}
}

// Indexes of the ControlListChange.
func (ControlListChange) Indexes() []ent.Index {
	return []ent.Index{index.Fields("at"), index.Fields("job_id")}
}

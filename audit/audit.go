// Package audit keeps the audit log as a hash chain (DESIGN §8: "Every
// mutation writes an audit event into a hash chain that a command can
// verify"; seed 003 §六(三) asks for tamper evidence: 创新区块链应用, 实现
// “安康码”申领核验网上固证).
//
// Every event is chained as it is written, in the transaction of the
// audited action (Record):
//
//   - The writer serialises on the chain head: on PostgreSQL a
//     transaction-scoped advisory lock (pg_advisory_xact_lock), held until
//     the transaction commits or rolls back; on SQLite the single writer
//     (every transaction begins IMMEDIATE). It then reads the head (the
//     event with the highest seq) and inserts the event with seq = head's
//     seq + 1, prev_hash = head's hash ("GENESIS" for seq 1) and hash =
//     hex(SHA-256(prev_hash "\n" canonical(event))), where canonical(event)
//     is seq, `at` in UTC RFC 3339 with nanoseconds, the account id or "-",
//     the action, the target, the outcome, the error code and the detail
//     JSON, joined by "\n". A unique index on seq makes a fork impossible
//     even for a writer that bypassed the lock.
//   - A transaction that rolls back takes its event with it and leaves no
//     gap: the next writer reads the same head. A refused attempt at a
//     sensitive action is written after the rollback, in a transaction of
//     its own (Event.Refused).
//   - Verify walks the chain in seq order: seqs 1..n without gap, every
//     prev_hash the hash of the event before, every hash recomputed; an
//     event without a seq was not written by Record.
//
// What the chain proves, and what it does not:
//
//   - A change to any event, a deletion in the middle or an insertion
//     anywhere breaks a hash, a pointer or the seq order; Verify reports
//     the event concerned.
//   - Deleting the newest events (the tail), or rewriting every event from
//     one on and recomputing the hashes (there is no secret key), leaves a
//     chain that is itself consistent. Both are caught only against an
//     anchor kept outside the database: Report.Head (seq and hash, printed
//     by `mashang audit verify` and `mashang audit seal`, and logged by the
//     hourly audit-seal job) is what an operator records elsewhere; later
//     the event with that seq must still have that hash (`mashang audit
//     verify --anchor SEQ:HASH`).
//
// Detail is never personal data in clear: masks only (seed 001 §3: 个人隐私等
// 敏感数据一律脱敏后再进行前后台显示).
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/auditevent"
	"github.com/mashang/mashang/validate"
)

// Genesis is the prev_hash of the first event (seq 1), and the hash of the
// head of an empty chain.
const Genesis = "GENESIS"

// Field limits of the audit_events table.
const (
	MaxActionLen = 100 // bytes (ent's MaxLen counts bytes)
	MaxTargetLen = 200 // characters; longer targets are truncated
	MaxCodeLen   = 50  // bytes
)

// advisoryLock is the PostgreSQL advisory lock key writers of the chain
// serialise on ("audit").
const advisoryLock = 0x6175646974

// Event is one audited action, or one refused attempt at it.
type Event struct {
	AccountID *int           // the acting account; nil for the system
	Action    string         // e.g. "recordScans", "handleAlert"
	Target    string         // e.g. a global id or "person:123"
	Detail    map[string]any // never personal data in clear: masks only
	// Refused is the error code a refused attempt was answered with
	// (FORBIDDEN, NOT_FOUND, …); "" for an action that was done.
	Refused string
}

// Record chains e as the next event of the log, with client c at time at.
// Use the client of the transaction making the audited change so the event
// commits or rolls back with it (DESIGN §8); with a client outside a
// transaction Record runs a transaction of its own. Record takes the chain
// lock (see the package comment), held until that transaction ends: call it
// last in the transaction, so the lock is held for no more than the commit.
// On PostgreSQL the transaction must be READ COMMITTED (the default), so
// that the head is read after the lock is granted.
//
// The action must be non-empty UTF-8, at most MaxActionLen bytes and without
// line breaks, and so must Refused (MaxCodeLen); the target is truncated to
// MaxTargetLen characters and its line breaks replaced by spaces (a line break
// would make the canonical form of the chain ambiguous); the detail must
// marshal to JSON (nil is stored as {}). at is stored in UTC truncated to
// microseconds, the precision PostgreSQL keeps, so the hash covers exactly
// what the database holds on either dialect.
func Record(ctx context.Context, c *ent.Client, e Event, at time.Time) error {
	if c == nil {
		return errors.New("audit: no client")
	}
	row, err := newRow(e, at)
	if err != nil {
		return err
	}
	// The chain is the platform's own: read and written unfiltered.
	sys := authz.AsSystem(ctx)
	if unchained.Load() {
		return insertUnchained(sys, c, row)
	}
	return database.InTx(sys, c, func(ctx context.Context, c *ent.Client) error {
		return appendRow(ctx, c, row)
	})
}

// unchained is the benchmark's switch (SetUnchainedForBenchmark).
var unchained atomic.Bool

// SetUnchainedForBenchmark makes Record insert events without chaining
// them (no lock, no seq, no hash), as the hourly sealer's version did, and
// returns a function that restores chaining. It exists only so that
// bench/audit_bench_test.go can measure what chaining costs the scan path
// in one run; nothing else may call it (Verify reports every event written
// meanwhile).
func SetUnchainedForBenchmark() (restore func()) {
	unchained.Store(true)
	return func() { unchained.Store(false) }
}

func insertUnchained(ctx context.Context, c *ent.Client, row *ent.AuditEvent) error {
	return c.AuditEvent.Create().SetAt(row.At).SetAction(row.Action).SetTarget(row.Target).
		SetDetail(row.Detail).SetOutcome(row.Outcome).SetErrorCode(row.ErrorCode).
		SetNillableAccountID(row.AccountID).Exec(ctx)
}

// newRow checks e and makes the row Record stores (without its chain
// fields).
func newRow(e Event, at time.Time) (*ent.AuditEvent, error) {
	if err := checkLine("action", e.Action, MaxActionLen); err != nil {
		return nil, err
	}
	if e.Refused != "" {
		if err := checkLine("error code", e.Refused, MaxCodeLen); err != nil {
			return nil, err
		}
	}
	if at.IsZero() {
		return nil, fmt.Errorf("audit: event %q has no time", e.Action)
	}
	detail := "{}"
	if e.Detail != nil {
		b, err := json.Marshal(e.Detail) // map keys come out sorted
		if err != nil {
			return nil, fmt.Errorf("audit: detail of %q: %w", e.Action, err)
		}
		detail = string(b)
	}
	row := &ent.AuditEvent{At: at.UTC().Truncate(time.Microsecond), AccountID: e.AccountID,
		Action: e.Action, Target: cleanTarget(e.Target), Detail: detail,
		Outcome: auditevent.OutcomeSUCCEEDED}
	if e.Refused != "" {
		row.Outcome, row.ErrorCode = auditevent.OutcomeREFUSED, e.Refused
	}
	return row, nil
}

// appendRow chains row after the head, in the transaction of c.
func appendRow(ctx context.Context, c *ent.Client, row *ent.AuditEvent) error {
	if c.Dialect() == dialect.Postgres {
		done, err := appendPostgres(ctx, c, row)
		if done || err != nil {
			return err
		}
		// An empty chain: the path below adopts the older events (the
		// lock, taken again, is held already).
	}
	seq, prev, err := lockHead(ctx, c)
	if err != nil {
		return err
	}
	if seq == 0 {
		// The first event chained: events written before chaining at
		// insert go first.
		if seq, prev, err = adopt(ctx, c); err != nil {
			return err
		}
	}
	seq++
	row.Seq, row.PrevHash = &seq, prev
	row.Hash = chainHash(prev, row)
	create := c.AuditEvent.Create().
		SetAt(row.At).
		SetAction(row.Action).
		SetTarget(row.Target).
		SetDetail(row.Detail).
		SetOutcome(row.Outcome).
		SetErrorCode(row.ErrorCode).
		SetSeq(seq).
		SetPrevHash(prev).
		SetHash(row.Hash).
		SetNillableAccountID(row.AccountID)
	if err := create.Exec(ctx); err != nil {
		return fmt.Errorf("audit: record %q: %w", row.Action, err)
	}
	return nil
}

// appendAfterHead is appendRow's insert on PostgreSQL, run once the chain
// lock is held: it reads the head and inserts the event after it in one
// statement, with the hash chainHash computes (prev "\n" seq "\n" the
// rest of canonical(row), $8, which Go joins), so that a batch of scans
// spends two statements on its event instead of four (issue 15 point 3).
// It inserts nothing on an empty chain.
const appendAfterHead = `INSERT INTO "audit_events" ("at", "account_id", "action", "target", "detail", "outcome", "error_code", "seq", "prev_hash", "hash")
SELECT $1, $2, $3, $4, $5, $6, $7, h."seq" + 1, h."hash",
 encode(sha256(convert_to(h."hash" || E'\n' || (h."seq" + 1)::text || E'\n' || $8, 'UTF8')), 'hex')
FROM (SELECT "seq", "hash" FROM "audit_events" WHERE "seq" IS NOT NULL ORDER BY "seq" DESC LIMIT 1) AS h
RETURNING "seq", "prev_hash", "hash"`

// appendPostgres takes the chain lock and appends row after the head read
// by the next statement (READ COMMITTED: a snapshot taken after the lock
// was granted); false when the chain is empty (nothing inserted).
func appendPostgres(ctx context.Context, c *ent.Client, row *ent.AuditEvent) (bool, error) {
	if _, err := c.ExecContext(ctx, fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", advisoryLock)); err != nil {
		return false, fmt.Errorf("audit: wait for the chain lock: %w", err)
	}
	var account any
	if row.AccountID != nil {
		account = int64(*row.AccountID)
	}
	rows, err := c.QueryContext(ctx, appendAfterHead, row.At, account, row.Action, row.Target, row.Detail,
		string(row.Outcome), row.ErrorCode, canonicalRest(row))
	if err != nil {
		return false, fmt.Errorf("audit: record %q: %w", row.Action, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return false, fmt.Errorf("audit: record %q: %w", row.Action, err)
		}
		return false, nil
	}
	var seq int64
	if err := rows.Scan(&seq, &row.PrevHash, &row.Hash); err != nil {
		return false, fmt.Errorf("audit: record %q: %w", row.Action, err)
	}
	row.Seq = &seq
	return true, mashang.Wrap(rows.Close(), "audit.appendPostgres")
}

// lockHead takes the chain lock for the transaction of c and returns the
// head's seq and hash (0 and Genesis for an empty chain). On SQLite the
// transaction holds the write lock already; on PostgreSQL the advisory lock
// is taken and the head read again by a statement that begins after it
// was granted (READ COMMITTED: a fresh snapshot per statement), so it sees
// what the previous holder committed. The first read tells the dialect.
func lockHead(ctx context.Context, c *ent.Client) (int64, string, error) {
	var name string
	seq, hash, err := readHead(ctx, c, &name)
	if err != nil || name != dialect.Postgres {
		return seq, hash, err
	}
	if _, err := c.ExecContext(ctx, fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", advisoryLock)); err != nil {
		return 0, "", fmt.Errorf("audit: wait for the chain lock: %w", err)
	}
	return readHead(ctx, c, nil)
}

// readHead returns the seq and hash of the chained event with the highest
// seq (through the unique index on seq), or 0 and Genesis; it sets *name,
// when not nil, to the dialect of c.
func readHead(ctx context.Context, c *ent.Client, name *string) (int64, string, error) {
	head, err := c.AuditEvent.Query().
		Where(auditevent.SeqNotNil(), func(s *sql.Selector) {
			if name != nil {
				*name = s.Dialect()
			}
		}).
		Order(ent.Desc(auditevent.FieldSeq)).
		First(ctx)
	if ent.IsNotFound(err) {
		return 0, Genesis, nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("audit: read the chain head: %w", err)
	}
	return *head.Seq, head.Hash, nil
}

// adoptPage is how many unchained events adopt reads at once.
const adoptPage = 1000

// adopt chains, in id order, the events written before events were chained
// at insert (they have no seq), and returns the new head. It runs only on
// an empty chain, under the chain lock: once one event is chained, an event
// without a seq can only have been inserted behind Record's back, and
// Verify reports it instead.
func adopt(ctx context.Context, c *ent.Client) (int64, string, error) {
	seq, h := int64(0), Genesis
	after := 0
	for {
		rows, err := c.AuditEvent.Query().
			Where(auditevent.SeqIsNil(), auditevent.IDGT(after)).
			Order(ent.Asc(auditevent.FieldID)).
			Limit(adoptPage).
			All(ctx)
		if err != nil {
			return 0, "", fmt.Errorf("audit: adopt events: %w", err)
		}
		for _, r := range rows {
			seq++
			r.Seq = &seq
			next := chainHash(h, r)
			if err := c.AuditEvent.UpdateOneID(r.ID).SetSeq(seq).SetPrevHash(h).SetHash(next).Exec(ctx); err != nil {
				return 0, "", fmt.Errorf("audit: adopt event %d: %w", r.ID, err)
			}
			h = next
		}
		if len(rows) < adoptPage {
			return seq, h, nil
		}
		after = rows[len(rows)-1].ID
	}
}

// checkLine checks a one-line field: non-empty UTF-8 of at most max bytes.
func checkLine(what, a string, max int) error {
	switch {
	case a == "":
		return fmt.Errorf("audit: empty %s", what)
	case !utf8.ValidString(a):
		return fmt.Errorf("audit: %s %q is not UTF-8", what, a)
	case len(a) > max:
		return fmt.Errorf("audit: %s %.20q… is longer than %d bytes", what, a, max)
	case strings.ContainsAny(a, "\r\n"):
		return fmt.Errorf("audit: %s %q contains a line break", what, a)
	}
	return nil
}

// cleanTarget makes a target storable: valid UTF-8, no line breaks, at most
// MaxTargetLen characters.
func cleanTarget(t string) string {
	t = strings.ToValidUTF8(t, "\uFFFD")
	t = strings.NewReplacer("\r", " ", "\n", " ").Replace(t)
	return validate.Clip(t, MaxTargetLen)
}

// chainHash is the hash of row when chained after prev: hex(SHA-256(prev
// "\n" canonical(row))). canonical(row) is seq, at (UTC, RFC 3339 with
// nanoseconds), account id or "-", action, target, outcome, error code and
// detail joined by "\n". Only the detail may contain a line break (Record
// keeps them out of the other fields, Verify reports rows that have one),
// so the canonical form reads back into fields one way only. The row id is
// not covered: seq is the event's place. seed 003 §六(三).
func chainHash(prev string, row *ent.AuditEvent) string {
	seq := "-"
	if row.Seq != nil {
		seq = strconv.FormatInt(*row.Seq, 10)
	}
	sum := sha256.Sum256([]byte(prev + "\n" + seq + "\n" + canonicalRest(row)))
	return hex.EncodeToString(sum[:])
}

// canonicalRest is canonical(row) after its seq: at, account id or "-",
// action, target, outcome, error code and detail joined by "\n".
func canonicalRest(row *ent.AuditEvent) string {
	account := "-"
	if row.AccountID != nil {
		account = strconv.Itoa(*row.AccountID)
	}
	return strings.Join([]string{
		row.At.UTC().Format(time.RFC3339Nano),
		account,
		row.Action,
		row.Target,
		string(row.Outcome),
		row.ErrorCode,
		row.Detail,
	}, "\n")
}

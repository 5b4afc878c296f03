// Package audit keeps the audit log as a hash chain (DESIGN §8: "Every
// mutation writes an audit event into a hash chain that a command can
// verify"; seed 003 §六(三) asks for tamper evidence: 创新区块链应用, 实现
// “安康码”申领核验网上固证).
//
// Writing and chaining are separate so that writers never contend:
//
//   - Record inserts an unsealed event (hash "") with the caller's client,
//     usually the client of the transaction making the change, so the event
//     commits or rolls back with it.
//   - A Sealer, run on one replica at a time by the scheduler's lease but
//     safe when two run at once, appends the unsealed events to the chain in
//     id order: prev_hash is the hash of the chain head (the literal
//     "GENESIS" for the first event) and hash is
//     hex(SHA-256(prev_hash "\n" canonical(event))), where canonical(event)
//     is the id, `at` in UTC RFC 3339 with nanoseconds, the account id or
//     "-", the action, the target and the detail JSON, joined by "\n".
//   - Verify recomputes every hash and checks that the prev_hash pointers
//     form one chain from "GENESIS" through every sealed event.
//
// The chain order is the sealing order, defined by the prev_hash pointers,
// not the id order: a transaction that commits late may leave an event with
// a lower id than events already sealed; it is sealed later and appended.
// The sealer waits until events are MinAge old (2 s by default) so that this
// is rare.
//
// What the chain proves, and what it does not:
//
//   - A change to a sealed event's fields, or to its hash, breaks its hash
//     or the next event's pointer; deleting an event in the middle leaves
//     the next event's prev_hash pointing at nothing. Verify reports the
//     event concerned.
//   - Deleting the newest sealed events (the tail) leaves a shorter chain
//     that is itself consistent: it cannot be detected from the database
//     alone. Nor can a rewrite by someone with write access who recomputes
//     every hash from the changed event on (there is no secret key). Both
//     are detected only against an anchor kept outside the database:
//     Report.Head, the hash of the chain head, is what an operator records
//     elsewhere (a ticket, a signed log, another system) after each
//     verification; later the recorded hash must still be the hash of a
//     sealed event (`mashang audit verify --anchor HASH`).
//   - Unsealed events carry no protection until the sealer has run.
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
	"time"
	"unicode/utf8"

	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/validate"
)

// Genesis is the prev_hash of the first sealed event, and the Head of an
// empty chain.
const Genesis = "GENESIS"

// Field limits of the audit_events table.
const (
	MaxActionLen = 100 // bytes (ent's MaxLen counts bytes)
	MaxTargetLen = 200 // characters; longer targets are truncated
)

// Event is one audited action.
type Event struct {
	AccountID *int           // the acting account; nil for the system
	Action    string         // e.g. "recordScans", "handleAlert"
	Target    string         // e.g. a global id or "person:123"
	Detail    map[string]any // never personal data in clear: masks only
}

// Record inserts e, unsealed, with client c at time at. Use the client of
// the transaction making the audited change so the event commits or rolls
// back with it (DESIGN §8).
//
// The action must be non-empty UTF-8, at most MaxActionLen bytes and without
// line breaks; the target is truncated to MaxTargetLen characters and its
// line breaks replaced by spaces (a line break would make the canonical
// form of the chain ambiguous); the detail must marshal to JSON (nil is
// stored as {}). at is stored in UTC truncated to microseconds, the
// precision PostgreSQL keeps, so the sealed hash covers exactly what the
// database holds on either dialect.
func Record(ctx context.Context, c *ent.Client, e Event, at time.Time) error {
	if c == nil {
		return errors.New("audit: no client")
	}
	if err := checkAction(e.Action); err != nil {
		return err
	}
	if at.IsZero() {
		return fmt.Errorf("audit: event %q has no time", e.Action)
	}
	detail := "{}"
	if e.Detail != nil {
		b, err := json.Marshal(e.Detail) // map keys come out sorted
		if err != nil {
			return fmt.Errorf("audit: detail of %q: %w", e.Action, err)
		}
		detail = string(b)
	}
	create := c.AuditEvent.Create().
		SetAt(at.UTC().Truncate(time.Microsecond)).
		SetAction(e.Action).
		SetTarget(cleanTarget(e.Target)).
		SetDetail(detail)
	if e.AccountID != nil {
		create.SetAccountID(*e.AccountID)
	}
	if err := create.Exec(ctx); err != nil {
		return fmt.Errorf("audit: record %q: %w", e.Action, err)
	}
	return nil
}

func checkAction(a string) error {
	switch {
	case a == "":
		return errors.New("audit: empty action")
	case !utf8.ValidString(a):
		return fmt.Errorf("audit: action %q is not UTF-8", a)
	case len(a) > MaxActionLen:
		return fmt.Errorf("audit: action %.20q… is longer than %d bytes", a, MaxActionLen)
	case strings.ContainsAny(a, "\r\n"):
		return fmt.Errorf("audit: action %q contains a line break", a)
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
// "\n" canonical(row))). canonical(row) is id, at (UTC, RFC 3339 with
// nanoseconds), account id or "-", action, target and detail joined by
// "\n". Only the detail may contain a line break (Record keeps them out of
// action and target, Verify reports rows that have one), so the canonical
// form reads back into fields one way only. seed 003 §六(三).
func chainHash(prev string, row *ent.AuditEvent) string {
	account := "-"
	if row.AccountID != nil {
		account = strconv.Itoa(*row.AccountID)
	}
	s := strings.Join([]string{
		prev,
		strconv.Itoa(row.ID),
		row.At.UTC().Format(time.RFC3339Nano),
		account,
		row.Action,
		row.Target,
		row.Detail,
	}, "\n")
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

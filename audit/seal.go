package audit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/auditevent"
	"github.com/mashang/mashang/ent/predicate"
)

// Sealer defaults.
const (
	// DefaultMinAge leaves young events unsealed for a while, so that a
	// transaction still in flight with a lower id has usually committed
	// before the events after it are sealed.
	DefaultMinAge = 2 * time.Second
	// DefaultBatchSize is how many events one sealing transaction chains.
	DefaultBatchSize = 1000
)

// advisoryLock is the PostgreSQL advisory lock key sealers serialise on
// ("audit").
const advisoryLock = 0x6175646974

// Sealer appends unsealed audit events to the hash chain (DESIGN §8;
// seed 003 §六(三)). The scheduler runs it on one replica at a time, but two
// sealers at once are safe: on PostgreSQL each sealing transaction takes an
// advisory lock first, on SQLite the write transaction serialises them, so
// the chain never forks.
type Sealer struct {
	Client *ent.Client
	// MinAge: events whose `at` is less than MinAge before now are left for
	// a later run. Zero means DefaultMinAge; a negative value seals every
	// unsealed event, whatever its time.
	MinAge time.Duration
	// BatchSize is the number of events sealed per transaction; zero or
	// less means DefaultBatchSize.
	BatchSize int
}

// Seal chains every unsealed event at least MinAge old at now, in id order,
// a batch per transaction, after the current chain head, and returns how
// many it sealed. An event committed late with a lower id than events
// already sealed is simply appended: the chain order is the sealing order.
// Its signature fits scheduler.Job.Run.
func (s *Sealer) Seal(ctx context.Context, now time.Time) (int, error) {
	if s == nil || s.Client == nil {
		return 0, errors.New("audit: sealer without a client")
	}
	minAge := s.MinAge
	if minAge == 0 {
		minAge = DefaultMinAge
	}
	size := s.BatchSize
	if size <= 0 {
		size = DefaultBatchSize
	}
	due := []predicate.AuditEvent{auditevent.Hash("")}
	if minAge > 0 {
		due = append(due, auditevent.AtLTE(now.UTC().Add(-minAge)))
	}
	name, err := dialectOf(ctx, s.Client)
	if err != nil {
		return 0, err
	}
	total := 0
	for {
		n, err := sealBatch(ctx, s.Client, name == dialect.Postgres, due, size)
		total += n
		if err != nil || n < size {
			return total, err
		}
	}
}

// sealBatch seals up to size due events in one transaction.
func sealBatch(ctx context.Context, c *ent.Client, pg bool, due []predicate.AuditEvent, size int) (int, error) {
	tx, err := c.Tx(ctx)
	if err != nil {
		return 0, fmt.Errorf("audit: seal: begin: %w", err)
	}
	// After Commit this is a no-op; on every error path it undoes the batch.
	defer tx.Rollback()
	if pg {
		// Held until the transaction ends: a second sealer reads the head
		// only after this one's batch committed. (SQLite: the write
		// transaction is begun IMMEDIATE and already excludes other writers.)
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", advisoryLock)); err != nil {
			return 0, fmt.Errorf("audit: seal: wait for other sealers: %w", err)
		}
	}
	rows, err := tx.AuditEvent.Query().
		Where(due...).
		Order(ent.Asc(auditevent.FieldID)).
		Limit(size).
		All(ctx)
	if err != nil {
		return 0, fmt.Errorf("audit: seal: list unsealed events: %w", err)
	}
	if len(rows) == 0 {
		return 0, nil
	}
	h, err := head(ctx, tx.Client())
	if err != nil {
		return 0, err
	}
	for _, r := range rows {
		next := chainHash(h, r)
		err := tx.AuditEvent.UpdateOneID(r.ID).
			Where(auditevent.Hash("")).
			SetPrevHash(h).
			SetHash(next).
			Exec(ctx)
		if ent.IsNotFound(err) {
			return 0, fmt.Errorf("audit: seal: event %d was sealed or deleted meanwhile by another writer", r.ID)
		}
		if err != nil {
			return 0, fmt.Errorf("audit: seal event %d: %w", r.ID, err)
		}
		h = next
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("audit: seal: commit: %w", err)
	}
	return len(rows), nil
}

// head returns the hash of the chain head, the sealed event whose hash no
// sealed event has as prev_hash, or Genesis when nothing is sealed. The
// chain is defined by its prev_hash pointers, not by ids (an event sealed
// late has a lower id than events before it in the chain), so the walk
// starts at the sealed event with the highest id, which is on the chain,
// and follows the pointers forward: usually no step, one step per batch
// sealed after it otherwise.
//
// Each step looks up prev_hash through its index.
// A fork or a loop is tamper evidence; sealing stops rather than extend a
// broken chain.
func head(ctx context.Context, c *ent.Client) (string, error) {
	last, err := c.AuditEvent.Query().
		Where(auditevent.HashNEQ("")).
		Order(ent.Desc(auditevent.FieldID)).
		First(ctx)
	if ent.IsNotFound(err) {
		return Genesis, nil
	}
	if err != nil {
		return "", fmt.Errorf("audit: seal: find the chain head: %w", err)
	}
	seen := map[int]bool{last.ID: true}
	h := last.Hash
	for {
		next, err := c.AuditEvent.Query().
			Where(auditevent.PrevHash(h), auditevent.HashNEQ("")).
			Order(ent.Asc(auditevent.FieldID)).
			Limit(2).
			All(ctx)
		if err != nil {
			return "", fmt.Errorf("audit: seal: find the chain head: %w", err)
		}
		switch {
		case len(next) == 0:
			return h, nil
		case len(next) > 1:
			return "", fmt.Errorf("audit: seal: the chain forks after hash %s (events %d and %d); run `mashang audit verify`", h, next[0].ID, next[1].ID)
		case seen[next[0].ID]:
			return "", fmt.Errorf("audit: seal: the chain loops at event %d; run `mashang audit verify`", next[0].ID)
		}
		seen[next[0].ID] = true
		h = next[0].Hash
	}
}

// dialectOf returns the SQL dialect the client speaks ("sqlite3" or
// "postgres"): the ent client does not expose its driver, but every
// selector it builds carries the dialect. The query is a primary-key probe
// for an id that is never used.
func dialectOf(ctx context.Context, c *ent.Client) (string, error) {
	var name string
	if _, err := c.AuditEvent.Query().
		Where(func(s *sql.Selector) { name = s.Dialect() }, auditevent.ID(0)).
		IDs(ctx); err != nil {
		return "", fmt.Errorf("audit: probe the database: %w", err)
	}
	if name == "" {
		return "", errors.New("audit: unknown SQL dialect")
	}
	return name, nil
}

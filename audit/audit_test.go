package audit_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"entgo.io/ent/dialect"

	"github.com/mashang/mashang/audit"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/auditevent"
)

// t0 is a time with nanoseconds in a zone other than UTC: Record must store
// it in UTC at microsecond precision on both dialects.
var t0 = time.Date(2026, 11, 1, 8, 0, 0, 123456789, time.FixedZone("CST", 8*3600))

func intp(i int) *int { return &i }

func record(t *testing.T, c *ent.Client, action string, at time.Time) {
	t.Helper()
	err := audit.Record(context.Background(), c, audit.Event{
		AccountID: intp(42),
		Action:    action,
		Target:    "person:" + action,
		Detail:    map[string]any{"n": action, "phone": "139****0001"},
	}, at)
	if err != nil {
		t.Fatalf("record %s: %v", action, err)
	}
}

// events returns all audit events in id order.
func events(t *testing.T, c *ent.Client) []*ent.AuditEvent {
	t.Helper()
	all, err := c.AuditEvent.Query().Order(ent.Asc(auditevent.FieldID)).All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func byAction(t *testing.T, c *ent.Client, action string) *ent.AuditEvent {
	t.Helper()
	e, err := c.AuditEvent.Query().Where(auditevent.Action(action)).Only(context.Background())
	if err != nil {
		t.Fatalf("event %s: %v", action, err)
	}
	return e
}

func seal(t *testing.T, s *audit.Sealer, now time.Time, want int) {
	t.Helper()
	n, err := s.Seal(context.Background(), now)
	if err != nil {
		t.Fatalf("seal: %v", err)
	}
	if n != want {
		t.Fatalf("sealed %d events, want %d", n, want)
	}
}

func verify(t *testing.T, c *ent.Client) audit.Report {
	t.Helper()
	rep, err := audit.Verify(context.Background(), c)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return rep
}

func mustOK(t *testing.T, rep audit.Report, sealed, unsealed int) {
	t.Helper()
	if !rep.OK || len(rep.Problems) != 0 || rep.Sealed != sealed || rep.Unsealed != unsealed {
		t.Fatalf("report %+v; want OK with %d sealed, %d unsealed", rep, sealed, unsealed)
	}
}

// hasProblem reports whether rep lists a problem for the event.
func hasProblem(rep audit.Report, id int) bool {
	for _, p := range rep.Problems {
		if p.EventID == id {
			return true
		}
	}
	return false
}

// expectHash recomputes an event's hash from the documented formula,
// independently of the package: hex(SHA-256(prev "\n" id "\n" at "\n"
// account "\n" action "\n" target "\n" detail)).
func expectHash(prev string, e *ent.AuditEvent) string {
	account := "-"
	if e.AccountID != nil {
		account = strconv.Itoa(*e.AccountID)
	}
	s := prev + "\n" + strconv.Itoa(e.ID) + "\n" + e.At.UTC().Format(time.RFC3339Nano) + "\n" +
		account + "\n" + e.Action + "\n" + e.Target + "\n" + e.Detail
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func exec(t *testing.T, db *database.DB, q string) {
	t.Helper()
	if _, err := db.Client.ExecContext(context.Background(), q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func TestRecordValidates(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx, c := context.Background(), db.Client
		bad := []struct {
			name string
			e    audit.Event
			at   time.Time
		}{
			{"empty action", audit.Event{}, t0},
			{"long action", audit.Event{Action: strings.Repeat("a", 101)}, t0},
			{"long action in bytes", audit.Event{Action: strings.Repeat("行", 34)}, t0},
			{"line break in action", audit.Event{Action: "a\nb"}, t0},
			{"no time", audit.Event{Action: "x"}, time.Time{}},
			{"detail not JSON", audit.Event{Action: "x", Detail: map[string]any{"c": make(chan int)}}, t0},
		}
		for _, b := range bad {
			if err := audit.Record(ctx, c, b.e, b.at); err == nil {
				t.Errorf("%s: accepted", b.name)
			}
		}
		if n := c.AuditEvent.Query().CountX(ctx); n != 0 {
			t.Fatalf("%d events stored by rejected calls", n)
		}

		if err := audit.Record(ctx, c, audit.Event{Action: strings.Repeat("行", 33), Target: "a" + strings.Repeat("é", 300) + "\nx"}, t0); err != nil {
			t.Fatal(err)
		}
		if err := audit.Record(ctx, c, audit.Event{Action: "detail", Target: "a\nb", AccountID: intp(7),
			Detail: map[string]any{"z": 1, "a": "x", "m": map[string]any{"b": true, "a": nil}}}, t0); err != nil {
			t.Fatal(err)
		}
		all := events(t, c)
		if len(all) != 2 {
			t.Fatalf("%d events", len(all))
		}
		long, det := all[0], all[1]
		// Truncated to 200 characters (issue 10 #14: limits count characters), valid UTF-8.
		if long.Target != "a"+strings.Repeat("é", 199) || !utf8.ValidString(long.Target) {
			t.Errorf("target not truncated to 200 characters: %d characters", utf8.RuneCountInString(long.Target))
		}
		if long.Detail != "{}" || long.AccountID != nil || long.Hash != "" || long.PrevHash != "" {
			t.Errorf("defaults: %+v", long)
		}
		if det.Target != "a b" {
			t.Errorf("line break kept in target: %q", det.Target)
		}
		if want := `{"a":"x","m":{"a":null,"b":true},"z":1}`; det.Detail != want {
			t.Errorf("detail %s, want sorted keys %s", det.Detail, want)
		}
		if det.AccountID == nil || *det.AccountID != 7 {
			t.Errorf("account %v", det.AccountID)
		}
		want := t0.UTC().Truncate(time.Microsecond)
		if !det.At.Equal(want) || det.At.Nanosecond() != 123456000 {
			t.Errorf("at %v, want %v (UTC, microseconds)", det.At, want)
		}
	})
}

func TestSealAndVerify(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		mustOK(t, verify(t, c), 0, 0)
		if rep := verify(t, c); rep.Head != audit.Genesis {
			t.Fatalf("head of an empty chain %q", rep.Head)
		}
		for i := range 5 {
			record(t, c, fmt.Sprint("a", i), t0.Add(time.Duration(i)*time.Second))
		}
		if err := audit.Record(context.Background(), c, audit.Event{Action: "system"}, t0); err != nil {
			t.Fatal(err)
		}
		s := &audit.Sealer{Client: c}
		seal(t, s, t0.Add(time.Hour), 6)
		seal(t, s, t0.Add(time.Hour), 0)

		all := events(t, c)
		prev := audit.Genesis
		for _, e := range all {
			if e.PrevHash != prev || e.Hash != expectHash(prev, e) {
				t.Fatalf("event %d: prev %s hash %s; want prev %s hash %s", e.ID, e.PrevHash, e.Hash, prev, expectHash(prev, e))
			}
			prev = e.Hash
		}
		rep := verify(t, c)
		mustOK(t, rep, 6, 0)
		if rep.Head != all[len(all)-1].Hash {
			t.Fatalf("head %s, want the last sealed event's hash %s", rep.Head, all[len(all)-1].Hash)
		}
	})
}

func TestMinAge(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		now := time.Now()
		record(t, c, "old", now.Add(-10*time.Second))
		record(t, c, "young", now.Add(-500*time.Millisecond))
		s := &audit.Sealer{Client: c} // DefaultMinAge: 2 s
		seal(t, s, now, 1)
		if byAction(t, c, "young").Hash != "" || byAction(t, c, "old").Hash == "" {
			t.Fatal("the young event was sealed, or the old one was not")
		}
		mustOK(t, verify(t, c), 1, 1)
		seal(t, &audit.Sealer{Client: c, MinAge: time.Minute}, now.Add(3*time.Second), 0)
		seal(t, s, now.Add(3*time.Second), 1)
		mustOK(t, verify(t, c), 2, 0)
		// A negative MinAge seals whatever is unsealed, even events dated
		// in the future.
		record(t, c, "future", now.Add(time.Hour))
		seal(t, &audit.Sealer{Client: c, MinAge: -1}, now, 1)
		mustOK(t, verify(t, c), 3, 0)
	})
}

// An event with a lower id sealed after higher ones is appended: the chain
// follows the sealing order, and sealing continues from it.
func TestLateEventAppended(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		record(t, c, "late", t0.Add(10*time.Second)) // lowest id, too young at the first run
		record(t, c, "b", t0)
		record(t, c, "c", t0)
		s := &audit.Sealer{Client: c, MinAge: 2 * time.Second}
		seal(t, s, t0.Add(5*time.Second), 2)
		late, cEv := byAction(t, c, "late"), byAction(t, c, "c")
		if late.Hash != "" {
			t.Fatal("the young event was sealed")
		}
		seal(t, s, t0.Add(time.Minute), 1)
		late = byAction(t, c, "late")
		if late.PrevHash != cEv.Hash {
			t.Fatalf("late event chained after %s, want after the head %s", late.PrevHash, cEv.Hash)
		}
		rep := verify(t, c)
		mustOK(t, rep, 3, 0)
		if rep.Head != late.Hash {
			t.Fatalf("head %s, want the late event %s", rep.Head, late.Hash)
		}
		// The head is not the highest id: the next event chains after the
		// late one.
		record(t, c, "d", t0)
		seal(t, s, t0.Add(time.Minute), 1)
		if d := byAction(t, c, "d"); d.PrevHash != late.Hash {
			t.Fatalf("d chained after %s, want after the late event %s", d.PrevHash, late.Hash)
		}
		mustOK(t, verify(t, c), 4, 0)
	})
}

// A transaction that commits after later events were sealed.
func TestLateCommitPostgres(t *testing.T) {
	db := dbtest.Open(t, dialect.Postgres, database.Options{})
	ctx, c := context.Background(), db.Client
	tx, err := c.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	record(t, tx.Client(), "in-flight", t0)
	for i := range 3 {
		record(t, c, fmt.Sprint("committed", i), t0)
	}
	s := &audit.Sealer{Client: c, MinAge: -1}
	seal(t, s, t0, 3)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	seal(t, s, t0, 1)
	all := events(t, c)
	if all[0].Action != "in-flight" || all[0].PrevHash != all[3].Hash {
		t.Fatalf("in-flight event %d (%s) chained after %s, want after event %d", all[0].ID, all[0].Action, all[0].PrevHash, all[3].ID)
	}
	rep := verify(t, c)
	mustOK(t, rep, 4, 0)
	if rep.Head != all[0].Hash {
		t.Fatalf("head %s, want %s", rep.Head, all[0].Hash)
	}
}

// sealedFive records and seals five events a0…a4 and returns them.
func sealedFive(t *testing.T, c *ent.Client) []*ent.AuditEvent {
	t.Helper()
	for i := range 5 {
		record(t, c, fmt.Sprint("a", i), t0)
	}
	seal(t, &audit.Sealer{Client: c, MinAge: -1}, t0, 5)
	mustOK(t, verify(t, c), 5, 0)
	return events(t, c)
}

func TestTamperDetected(t *testing.T) {
	cases := []struct {
		name string
		// tamper changes the sealed events e and returns the ids Verify
		// must name.
		tamper func(t *testing.T, db *database.DB, e []*ent.AuditEvent) []int
	}{
		{"detail changed", func(t *testing.T, db *database.DB, e []*ent.AuditEvent) []int {
			db.Client.AuditEvent.UpdateOneID(e[2].ID).SetDetail(`{"n":"forged"}`).ExecX(context.Background())
			return []int{e[2].ID}
		}},
		{"time changed", func(t *testing.T, db *database.DB, e []*ent.AuditEvent) []int {
			db.Client.AuditEvent.UpdateOneID(e[1].ID).SetAt(e[1].At.Add(-time.Hour)).ExecX(context.Background())
			return []int{e[1].ID}
		}},
		{"account cleared", func(t *testing.T, db *database.DB, e []*ent.AuditEvent) []int {
			db.Client.AuditEvent.UpdateOneID(e[3].ID).ClearAccountID().ExecX(context.Background())
			return []int{e[3].ID}
		}},
		{"middle deleted", func(t *testing.T, db *database.DB, e []*ent.AuditEvent) []int {
			exec(t, db, fmt.Sprintf("DELETE FROM audit_events WHERE id = %d", e[2].ID))
			return []int{e[3].ID} // its prev_hash now points at nothing
		}},
		{"first deleted", func(t *testing.T, db *database.DB, e []*ent.AuditEvent) []int {
			exec(t, db, fmt.Sprintf("DELETE FROM audit_events WHERE id = %d", e[0].ID))
			return []int{e[1].ID, 0}
		}},
		{"hash changed", func(t *testing.T, db *database.DB, e []*ent.AuditEvent) []int {
			exec(t, db, fmt.Sprintf("UPDATE audit_events SET hash = '%s' WHERE id = %d", strings.Repeat("0", 64), e[2].ID))
			return []int{e[2].ID, e[3].ID}
		}},
		{"hash cleared", func(t *testing.T, db *database.DB, e []*ent.AuditEvent) []int {
			exec(t, db, fmt.Sprintf("UPDATE audit_events SET hash = '' WHERE id = %d", e[1].ID))
			return []int{e[1].ID, e[2].ID}
		}},
		{"forked by a rehashed event", func(t *testing.T, db *database.DB, e []*ent.AuditEvent) []int {
			// Knowing the formula, chain a4 after a2 as well: every hash
			// recomputes, but a2 now has two successors.
			e4 := *e[4]
			e4.PrevHash = e[2].Hash
			e4.Hash = expectHash(e4.PrevHash, &e4)
			db.Client.AuditEvent.UpdateOneID(e4.ID).SetPrevHash(e4.PrevHash).SetHash(e4.Hash).ExecX(context.Background())
			return []int{e[3].ID, e[4].ID}
		}},
		{"line break in a field, rehashed", func(t *testing.T, db *database.DB, e []*ent.AuditEvent) []int {
			// Record keeps line breaks out of action and target, so the
			// canonical form reads back one way only; a row with one was
			// written around Record, even if its hash recomputes.
			e1 := *e[1]
			e1.Action, e1.Target = "a1\nperson:a1", "x"
			db.Client.AuditEvent.UpdateOneID(e1.ID).SetAction(e1.Action).SetTarget(e1.Target).
				SetHash(expectHash(e1.PrevHash, &e1)).ExecX(context.Background())
			return []int{e1.ID}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Run(t, func(t *testing.T, db *database.DB) {
				e := sealedFive(t, db.Client)
				want := tc.tamper(t, db, e)
				rep := verify(t, db.Client)
				if rep.OK || len(rep.Problems) == 0 {
					t.Fatalf("tampering not detected: %+v", rep)
				}
				for _, id := range want {
					if !hasProblem(rep, id) {
						t.Errorf("no problem for event %d in %+v", id, rep.Problems)
					}
				}
			})
		})
	}
}

// Deleting the tail leaves a consistent, shorter chain: only an anchor kept
// outside the database shows it (documented in the package comment).
func TestDeletedTailNeedsAnchor(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := sealedFive(t, db.Client)
		anchor := verify(t, db.Client).Head
		if anchor != e[4].Hash {
			t.Fatalf("head %s, want %s", anchor, e[4].Hash)
		}
		exec(t, db, fmt.Sprintf("DELETE FROM audit_events WHERE id = %d", e[4].ID))
		rep := verify(t, db.Client)
		mustOK(t, rep, 4, 0)
		if rep.Head == anchor || rep.Head != e[3].Hash {
			t.Fatalf("head %s after the tail was deleted; anchor %s", rep.Head, anchor)
		}
	})
}

func TestVerifyPagesAndBatches(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx, c := context.Background(), db.Client
		const n = 2500 // more than one Verify page and one sealing batch
		tx, err := c.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			record(t, tx.Client(), fmt.Sprint("bulk", i), t0)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		seal(t, &audit.Sealer{Client: c, MinAge: -1}, t0, n)
		mustOK(t, verify(t, c), n, 0)
		victim := byAction(t, c, "bulk2100")
		c.AuditEvent.UpdateOneID(victim.ID).SetTarget("person:someone-else").ExecX(ctx)
		rep := verify(t, c)
		if rep.OK || !hasProblem(rep, victim.ID) || len(rep.Problems) != 1 {
			t.Fatalf("change to event %d on the third page: %+v", victim.ID, rep)
		}
	})
}

func TestProblemsCapped(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx, c := context.Background(), db.Client
		tx, err := c.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 150 {
			record(t, tx.Client(), fmt.Sprint("e", i), t0)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		seal(t, &audit.Sealer{Client: c, MinAge: -1}, t0, 150)
		exec(t, db, `UPDATE audit_events SET detail = '{"forged":true}'`)
		rep := verify(t, c)
		if rep.OK || len(rep.Problems) != audit.MaxProblems+1 || rep.Problems[audit.MaxProblems].EventID != 0 {
			t.Fatalf("%d problems, want %d and a note", len(rep.Problems), audit.MaxProblems+1)
		}
	})
}

// Sealers running at once (two replicas) build one chain: no fork, every
// event sealed once.
func TestConcurrentSealers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx, c := context.Background(), db.Client
		const n, sealers = 300, 4
		tx, err := c.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			record(t, tx.Client(), fmt.Sprint("c", i), t0)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			total int
			errs  []error
		)
		start := make(chan struct{})
		for range sealers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				s := &audit.Sealer{Client: c, MinAge: -1, BatchSize: 7}
				k, err := s.Seal(ctx, t0)
				mu.Lock()
				defer mu.Unlock()
				total += k
				if err != nil {
					errs = append(errs, err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if len(errs) > 0 {
			t.Fatalf("sealers failed: %v", errs)
		}
		if total != n {
			t.Fatalf("sealers sealed %d events in all, want %d", total, n)
		}
		rep := verify(t, c)
		mustOK(t, rep, n, 0)
		// Independently of Verify: the prev_hash values are all distinct and
		// walk from GENESIS through every event.
		next := map[string]*ent.AuditEvent{}
		for _, e := range events(t, c) {
			if other, dup := next[e.PrevHash]; dup {
				t.Fatalf("fork: events %d and %d follow %s", other.ID, e.ID, e.PrevHash)
			}
			next[e.PrevHash] = e
		}
		h, seen := audit.Genesis, 0
		for e := next[h]; e != nil; e = next[h] {
			if e.Hash != expectHash(h, e) {
				t.Fatalf("event %d hash", e.ID)
			}
			h, seen = e.Hash, seen+1
		}
		if seen != n || h != rep.Head {
			t.Fatalf("walked %d events to %s, want %d to the head %s", seen, h, n, rep.Head)
		}
	})
}

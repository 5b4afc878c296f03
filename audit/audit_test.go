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

func verify(t *testing.T, c *ent.Client, anchors ...audit.Anchor) audit.Report {
	t.Helper()
	rep, err := audit.Verify(context.Background(), c, anchors...)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return rep
}

func mustOK(t *testing.T, rep audit.Report, chained, unchained int) {
	t.Helper()
	if !rep.OK || len(rep.Problems) != 0 || rep.Chained != chained || rep.Unchained != unchained {
		t.Fatalf("report %+v; want OK with %d chained, %d unchained", rep, chained, unchained)
	}
}

// mustCatch fails unless rep is not OK and names every event in ids.
func mustCatch(t *testing.T, rep audit.Report, ids ...int) {
	t.Helper()
	if rep.OK {
		t.Fatalf("verify passed a tampered log: %+v", rep)
	}
	for _, id := range ids {
		if !hasProblem(rep, id) {
			t.Fatalf("verify did not name event %d: %+v", id, rep.Problems)
		}
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
// independently of the package: hex(SHA-256(prev "\n" seq "\n" at "\n"
// account "\n" action "\n" target "\n" outcome "\n" code "\n" detail)).
func expectHash(prev string, e *ent.AuditEvent) string {
	account := "-"
	if e.AccountID != nil {
		account = strconv.Itoa(*e.AccountID)
	}
	s := prev + "\n" + strconv.FormatInt(*e.Seq, 10) + "\n" + e.At.UTC().Format(time.RFC3339Nano) + "\n" +
		account + "\n" + e.Action + "\n" + e.Target + "\n" + string(e.Outcome) + "\n" + e.ErrorCode + "\n" + e.Detail
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
			{"line break in code", audit.Event{Action: "x", Refused: "FORBIDDEN\n"}, t0},
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
		if long.Detail != "{}" || long.AccountID != nil || long.Outcome != "SUCCEEDED" || long.ErrorCode != "" || *long.Seq != 1 || long.PrevHash != audit.Genesis {
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

// mustChain checks, independently of Verify, that the events have the seqs
// 1..n in id order and that each hash follows the documented formula.
func mustChain(t *testing.T, c *ent.Client, n int) []*ent.AuditEvent {
	t.Helper()
	all := events(t, c)
	if len(all) != n {
		t.Fatalf("%d events, want %d", len(all), n)
	}
	prev := audit.Genesis
	for i, e := range all {
		if e.Seq == nil || *e.Seq != int64(i+1) || e.PrevHash != prev || e.Hash != expectHash(prev, e) {
			t.Fatalf("event %d (%s): seq %v prev %s hash %s; want seq %d prev %s", e.ID, e.Action, e.Seq, e.PrevHash, e.Hash, i+1, prev)
		}
		prev = e.Hash
	}
	return all
}

// Every event is chained as it is written: no sealing step, no window.
func TestEventsAreChainedAsTheyAreWritten(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		rep := verify(t, c)
		mustOK(t, rep, 0, 0)
		if rep.Head != (audit.Anchor{Seq: 0, Hash: audit.Genesis}) {
			t.Fatalf("head of an empty chain %v", rep.Head)
		}
		for i := range 5 {
			record(t, c, fmt.Sprint("a", i), t0.Add(time.Duration(i)*time.Second))
		}
		if err := audit.Record(context.Background(), c, audit.Event{Action: "giveGrant", Refused: "FORBIDDEN"}, t0); err != nil {
			t.Fatal(err)
		}
		all := mustChain(t, c, 6)
		if r := all[5]; r.Outcome != "REFUSED" || r.ErrorCode != "FORBIDDEN" {
			t.Fatalf("refusal stored as %s %q", r.Outcome, r.ErrorCode)
		}
		rep = verify(t, c)
		mustOK(t, rep, 6, 0)
		if rep.Head != (audit.Anchor{Seq: 6, Hash: all[5].Hash}) {
			t.Fatalf("head %v, want 6:%s", rep.Head, all[5].Hash)
		}
		// The anchor of the head, and of any event before it, passes.
		mustOK(t, verify(t, c, rep.Head, audit.Anchor{Seq: 2, Hash: all[1].Hash}), 6, 0)
	})
}

// An event of a transaction that rolls back goes with it and leaves no gap.
func TestARolledBackEventLeavesNoGap(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx, c := context.Background(), db.Client
		record(t, c, "first", t0)
		tx, err := c.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		record(t, tx.Client(), "undone", t0)
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		record(t, c, "second", t0)
		mustChain(t, c, 2)
		mustOK(t, verify(t, c), 2, 0)
	})
}

// chainedFive records five events a0…a4 and returns them.
func chainedFive(t *testing.T, c *ent.Client) []*ent.AuditEvent {
	t.Helper()
	for i := range 5 {
		record(t, c, fmt.Sprint("a", i), t0)
	}
	mustOK(t, verify(t, c), 5, 0)
	return events(t, c)
}

// An insider with write access to the database edits a row minutes after
// it was written (the hourly sealer used to seal such a row as genuine).
func TestAnInsiderEditingAnAuditRowBeforeSealingIsCaught(t *testing.T) {
	cases := []struct {
		name string
		sql  func(e []*ent.AuditEvent) string
		who  func(e []*ent.AuditEvent) []int
	}{
		{"detail", func(e []*ent.AuditEvent) string {
			return fmt.Sprintf(`UPDATE audit_events SET detail = '{"n":"forged"}' WHERE id = %d`, e[2].ID)
		}, func(e []*ent.AuditEvent) []int { return []int{e[2].ID} }},
		{"account", func(e []*ent.AuditEvent) string {
			return fmt.Sprintf(`UPDATE audit_events SET account_id = 1 WHERE id = %d`, e[4].ID)
		}, func(e []*ent.AuditEvent) []int { return []int{e[4].ID} }},
		{"outcome", func(e []*ent.AuditEvent) string {
			return fmt.Sprintf(`UPDATE audit_events SET outcome = 'REFUSED', error_code = 'FORBIDDEN' WHERE id = %d`, e[0].ID)
		}, func(e []*ent.AuditEvent) []int { return []int{e[0].ID} }},
		{"hash recomputed", func(e []*ent.AuditEvent) string {
			// The edited row's own hash made to fit: the next row's pointer
			// still names the old one.
			f := *e[1]
			f.Action = "forged"
			return fmt.Sprintf(`UPDATE audit_events SET action = 'forged', hash = '%s' WHERE id = %d`, expectHash(f.PrevHash, &f), e[1].ID)
		}, func(e []*ent.AuditEvent) []int { return []int{e[2].ID} }},
		{"seq swapped", func(e []*ent.AuditEvent) string {
			return fmt.Sprintf("UPDATE audit_events SET seq = -1 WHERE id = %d;\nUPDATE audit_events SET seq = %d WHERE id = %d;\nUPDATE audit_events SET seq = %d WHERE id = %d",
				e[1].ID, *e[1].Seq, e[3].ID, *e[3].Seq, e[1].ID)
		}, func(e []*ent.AuditEvent) []int { return []int{e[1].ID, e[3].ID} }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Run(t, func(t *testing.T, db *database.DB) {
				e := chainedFive(t, db.Client)
				for _, q := range strings.Split(tc.sql(e), ";\n") {
					exec(t, db, q)
				}
				mustCatch(t, verify(t, db.Client), tc.who(e)...)
			})
		})
	}
}

func TestAnInsiderDeletingAnAuditRowBeforeSealingIsCaught(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := chainedFive(t, db.Client)
		exec(t, db, fmt.Sprintf("DELETE FROM audit_events WHERE id = %d", e[2].ID))
		// The event after the gap is named.
		mustCatch(t, verify(t, db.Client), e[3].ID)

		// The first event deleted: the chain no longer starts at seq 1.
		exec(t, db, fmt.Sprintf("DELETE FROM audit_events WHERE id = %d", e[0].ID))
		mustCatch(t, verify(t, db.Client), e[1].ID, e[3].ID)
	})
}

func TestAnInsiderInsertingAnAuditRowBeforeSealingIsCaught(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx, c := context.Background(), db.Client
		e := chainedFive(t, c)
		// A row written as the old code wrote it, without a seq: the old
		// sealer would have chained it at its next run.
		forged := c.AuditEvent.Create().SetAt(t0).SetAction("handleAlert").SetAccountID(7).SaveX(ctx)
		mustCatch(t, verify(t, c), forged.ID)
		// The sealer no longer adopts it once anything is chained.
		if n, _, err := (&audit.Sealer{Client: c}).SealHead(ctx); err != nil || n != 0 {
			t.Fatalf("seal adopted %d events (%v)", n, err)
		}
		mustCatch(t, verify(t, c), forged.ID)
		// Genuine events written afterwards are still chained.
		record(t, c, "after", t0)
		mustCatch(t, verify(t, c), forged.ID)
		c.AuditEvent.DeleteOneID(forged.ID).ExecX(ctx)
		mustOK(t, verify(t, c), 6, 0)

		// A row given the next seq by hand, with a made-up hash.
		extra := c.AuditEvent.Create().SetAt(t0).SetAction("forged").SetSeq(7).SetPrevHash(events(t, c)[5].Hash).SetHash(strings.Repeat("ab", 32)).SaveX(ctx)
		mustCatch(t, verify(t, c), extra.ID)
		c.AuditEvent.DeleteOneID(extra.ID).ExecX(ctx)

		// A row slipped in between: every later seq moved up by one (so the
		// unique index lets it in), the later hashes left as they were.
		exec(t, db, fmt.Sprintf("UPDATE audit_events SET seq = seq + 100 WHERE seq >= %d", *e[2].Seq))
		exec(t, db, "UPDATE audit_events SET seq = seq - 99 WHERE seq >= 100")
		mid := c.AuditEvent.Create().SetAt(t0).SetAction("forged").SetSeq(*e[2].Seq).SetPrevHash(e[1].Hash).SaveX(ctx)
		f := *mid
		exec(t, db, fmt.Sprintf("UPDATE audit_events SET hash = '%s' WHERE id = %d", expectHash(e[1].Hash, &f), mid.ID))
		// Its own hash fits; the event after it no longer does (its seq is
		// in its hash, and it does not point at the inserted row).
		mustCatch(t, verify(t, c), e[2].ID)
	})
}

// An anchor recorded earlier (seq and hash of the head then) reveals what
// the chain alone cannot: a deleted tail, or a chain rewritten with every
// hash recomputed.
func TestAStaleAnchorFailsVerify(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx, c := context.Background(), db.Client
		e := chainedFive(t, c)
		anchor := verify(t, c).Head
		if anchor.Seq != 5 || anchor.Hash != e[4].Hash {
			t.Fatalf("head %v", anchor)
		}
		if a, err := audit.ParseAnchor(anchor.String()); err != nil || a != anchor {
			t.Fatalf("anchor %q reads back as %v (%v)", anchor.String(), a, err)
		}
		for _, bad := range []string{"", "abc", "5", "x:" + e[4].Hash, "5:" + e[4].Hash[:10], "-1:GENESIS", "0:abc"} {
			if _, err := audit.ParseAnchor(bad); err == nil {
				t.Errorf("anchor %q accepted", bad)
			}
		}

		// The tail deleted: consistent on its own, not against the anchor.
		exec(t, db, fmt.Sprintf("DELETE FROM audit_events WHERE id IN (%d, %d)", e[3].ID, e[4].ID))
		mustOK(t, verify(t, c), 3, 0)
		if rep := verify(t, c, anchor); rep.OK {
			t.Fatalf("a deleted tail passed against the anchor %v", anchor)
		}
		// And written again with new content after it: seq 5 exists again,
		// with another hash.
		record(t, c, "x", t0)
		record(t, c, "y", t0)
		mustOK(t, verify(t, c), 5, 0)
		if rep := verify(t, c, anchor); rep.OK {
			t.Fatalf("a rewritten tail passed against the anchor %v", anchor)
		}

		// Every event from the second on rewritten with recomputed hashes.
		all := events(t, c)
		prev := all[0].Hash
		for _, r := range all[1:] {
			r.Detail = `{"n":"rewritten"}`
			h := expectHash(prev, r)
			c.AuditEvent.UpdateOneID(r.ID).SetDetail(r.Detail).SetPrevHash(prev).SetHash(h).ExecX(ctx)
			prev = h
		}
		mustOK(t, verify(t, c), 5, 0)
		head := audit.Anchor{Seq: 5, Hash: all[4].Hash}
		if rep := verify(t, c, head); rep.OK || !hasProblem(rep, all[4].ID) {
			t.Fatalf("a rewritten chain passed against the anchor %v: %+v", head, rep)
		}
		// An anchor from before the rewrite still matches.
		mustOK(t, verify(t, c, audit.Anchor{Seq: 1, Hash: all[0].Hash}), 5, 0)
	})
}

// Events written before chaining at insert (an upgraded database) are
// chained once, in id order, by the first event or `mashang audit seal`.
func TestEventsOfAnOlderVersionAreAdoptedOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx, c := context.Background(), db.Client
		for i := range 3 {
			c.AuditEvent.Create().SetAt(t0).SetAction(fmt.Sprint("old", i)).SetHash(fmt.Sprint("oldhash", i)).ExecX(ctx)
		}
		mustOK(t, verify(t, c), 0, 3)
		n, head, err := (&audit.Sealer{Client: c}).SealHead(ctx)
		if err != nil || n != 3 || head.Seq != 3 {
			t.Fatalf("seal adopted %d, head %v (%v)", n, head, err)
		}
		mustChain(t, c, 3)
		record(t, c, "new", t0)
		mustChain(t, c, 4)
		mustOK(t, verify(t, c), 4, 0)
	})
}

func TestTheFirstChainedEventAdoptsTheOlderOnes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx, c := context.Background(), db.Client
		c.AuditEvent.Create().SetAt(t0).SetAction("old").ExecX(ctx)
		record(t, c, "new", t0)
		if all := mustChain(t, c, 2); all[0].Action != "old" {
			t.Fatalf("first in the chain: %s", all[0].Action)
		}
	})
}

// Writers in many transactions at once build one chain: no fork, no gap.
func TestConcurrentWritersBuildOneChain(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx, c := context.Background(), db.Client
		const writers, each = 8, 20
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		start := make(chan struct{})
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for i := range each {
					err := database.InTx(ctx, c, func(ctx context.Context, tc *ent.Client) error {
						// Some other work in the transaction first.
						if _, err := tc.AuditEvent.Query().Count(ctx); err != nil {
							return err
						}
						return audit.Record(ctx, tc, audit.Event{Action: fmt.Sprint("w", w, "-", i)}, t0)
					})
					if err != nil {
						errs <- err
					}
				}
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		mustChain(t, c, writers*each)
		mustOK(t, verify(t, c), writers*each, 0)
	})
}

// Verify reads in pages; a chain longer than one page is walked whole.
func TestVerifyPages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx, c := context.Background(), db.Client
		const n = 1203
		err := database.InTx(ctx, c, func(ctx context.Context, tc *ent.Client) error {
			for i := range n {
				if err := audit.Record(ctx, tc, audit.Event{Action: fmt.Sprint("p", i)}, t0); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		mustOK(t, verify(t, c), n, 0)
		all := events(t, c)
		exec(t, db, fmt.Sprintf("DELETE FROM audit_events WHERE id = %d", all[1100].ID))
		mustCatch(t, verify(t, c), all[1101].ID)
	})
}

func TestProblemsCapped(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		for i := range audit.MaxProblems + 10 {
			record(t, c, fmt.Sprint("m", i), t0)
		}
		exec(t, db, `UPDATE audit_events SET detail = '{"forged":true}'`)
		rep := verify(t, c)
		if rep.OK || len(rep.Problems) != audit.MaxProblems+1 || rep.Problems[audit.MaxProblems].EventID != 0 {
			t.Fatalf("%d problems, last %+v", len(rep.Problems), rep.Problems[len(rep.Problems)-1])
		}
	})
}

// On PostgreSQL the hash of every event after the first is computed in SQL
// (audit.go): it must equal Go's for any text — Chinese, line breaks and
// quotes in the detail, no account, a time with nanoseconds in another
// zone — or verify would report the chain broken.
func TestEventsHashedInSQLVerifyLikeThoseHashedInGo(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		c := db.Client
		record(t, c, "first", t0)
		at := t0.Add(1234567891 * time.Nanosecond).In(time.FixedZone("CST", 8*3600))
		acct := 7
		for _, e := range []audit.Event{
			{Action: "handleAlert", Target: "alert:1", Detail: map[string]any{"note": "王大爷\n说“已核实” ‘ok’ \\ \t ✓", "n": 1.5}},
			{AccountID: &acct, Action: "recordScans", Target: "account:7", Detail: map[string]any{"stored": 3, "items": []any{"a", nil, true}}},
			{Action: "giveGrant", Target: "account:7", Refused: "FORBIDDEN"},
		} {
			if err := audit.Record(context.Background(), c, e, at); err != nil {
				t.Fatal(err)
			}
		}
		mustChain(t, c, 4)
		mustOK(t, verify(t, c), 4, 0)
	})
}

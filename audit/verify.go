package audit

import (
	"context"
	stdsql "database/sql"
	"fmt"
	"strings"

	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/auditevent"
)

// MaxProblems caps Report.Problems; when more are found, one last entry
// (EventID 0) says so.
const MaxProblems = 100

// verifyPage is how many events Verify holds in memory at once.
const verifyPage = 1000

// Problem is one piece of tamper evidence. EventID is the row id of the
// event concerned, 0 when the problem is with the chain as a whole.
type Problem struct {
	EventID int
	Reason  string
}

// Report is the result of Verify.
type Report struct {
	// Chained events; Unchained: events without a seq (written before
	// chaining at insert and not yet adopted, or inserted behind Record's
	// back).
	Chained, Unchained int
	// Head is the last event of the chain (0:GENESIS when it is empty).
	// Recorded outside the database it is the anchor that makes a deleted
	// tail or a rewritten chain detectable later.
	Head     Anchor
	OK       bool
	Problems []Problem
}

// Verify checks the audit chain (DESIGN §8; seed 003 §六(三)), and the
// anchors given, in one read-only snapshot (a transaction of its own,
// REPEATABLE READ, so events chained meanwhile do not make it see half a
// chain):
//
//   - the chained events have the seqs 1..n, without a gap (a deleted
//     event) or a repeat (the unique index forbids one);
//   - every event's prev_hash is the hash of the event before it (Genesis
//     for seq 1), and its hash recomputes from prev_hash and its fields
//     (a changed event, or one inserted with a seq of its own);
//   - once anything is chained, no event is without a seq (an event
//     inserted behind Record's back); on an empty chain such events are
//     those written before chaining at insert, counted as Unchained until
//     the first event or `mashang audit seal` adopts them;
//   - every anchor is still there: the event with its seq has its hash
//     (a deleted tail, or a chain rewritten from an event before the
//     anchor on).
//
// Events are read in seq-order pages, so memory does not grow with the log.
// An error is returned only when the database cannot be read; tamper
// evidence is in the report.
func Verify(ctx context.Context, c *ent.Client, anchors ...Anchor) (Report, error) {
	var rep Report
	if c == nil {
		return rep, fmt.Errorf("audit: verify: no client")
	}
	ctx = authz.AsSystem(ctx)
	// (SQLite: a read-only transaction begins DEFERRED and takes no write
	// lock.)
	tx, err := c.BeginTx(ctx, &stdsql.TxOptions{Isolation: stdsql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return rep, fmt.Errorf("audit: verify: begin: %w", err)
	}
	defer tx.Rollback()
	var p problems
	want := map[int64]string{}
	for _, a := range anchors {
		if a.Seq > 0 {
			want[a.Seq] = a.Hash
		}
	}
	if err := verifyChain(ctx, tx.Client(), &rep, &p, want); err != nil {
		return rep, err
	}
	for _, a := range anchors {
		if a.Seq > rep.Head.Seq {
			p.add(0, fmt.Sprintf("the anchor %s is beyond the head %s: the events after seq %d were deleted", a, rep.Head, rep.Head.Seq))
		}
	}
	if err := verifyUnchained(ctx, tx.Client(), &rep, &p); err != nil {
		return rep, err
	}
	rep.Problems = p.done()
	rep.OK = len(rep.Problems) == 0
	return rep, nil
}

// verifyChain walks the chained events in seq order and checks each against
// the one before, and the anchors in want as it passes their seq.
func verifyChain(ctx context.Context, c *ent.Client, rep *Report, p *problems, want map[int64]string) error {
	rep.Head = Anchor{Seq: 0, Hash: Genesis}
	for {
		rows, err := c.AuditEvent.Query().
			Where(auditevent.SeqGT(rep.Head.Seq)).
			Order(ent.Asc(auditevent.FieldSeq)).
			Limit(verifyPage).
			All(ctx)
		if err != nil {
			return fmt.Errorf("audit: verify: read events: %w", err)
		}
		for _, r := range rows {
			rep.Chained++
			seq := *r.Seq
			if seq != rep.Head.Seq+1 {
				p.add(r.ID, fmt.Sprintf("seq %d follows seq %d: the events in between were deleted", seq, rep.Head.Seq))
			}
			if r.PrevHash != rep.Head.Hash {
				p.add(r.ID, fmt.Sprintf("prev_hash is not the hash of the event before it (seq %d): an event before it was deleted, inserted or changed", rep.Head.Seq))
			}
			if strings.ContainsAny(r.Action, "\r\n") || strings.ContainsAny(r.Target, "\r\n") || strings.ContainsAny(r.ErrorCode, "\r\n") {
				p.add(r.ID, "a one-line field contains a line break: not written by audit.Record, and its canonical form is ambiguous")
			}
			if chainHash(r.PrevHash, r) != r.Hash {
				p.add(r.ID, "hash does not match the event and its prev_hash: the event or its hash was changed")
			}
			if h, ok := want[seq]; ok && h != r.Hash {
				p.add(r.ID, fmt.Sprintf("the anchor %s no longer matches: the event with seq %d now has the hash %.16s…, so the chain was rewritten from it or before", Anchor{seq, h}, seq, r.Hash))
			}
			rep.Head = Anchor{Seq: seq, Hash: r.Hash}
		}
		if len(rows) < verifyPage {
			return nil
		}
	}
}

// verifyUnchained counts the events without a seq; once anything is
// chained, each is a problem.
func verifyUnchained(ctx context.Context, c *ent.Client, rep *Report, p *problems) error {
	n, err := c.AuditEvent.Query().Where(auditevent.SeqIsNil()).Count(ctx)
	if err != nil {
		return fmt.Errorf("audit: verify: count unchained events: %w", err)
	}
	rep.Unchained = n
	// A repeated seq (possible only with the unique index dropped) hides
	// from a walk that pages by seq; the count does not.
	all, err := c.AuditEvent.Query().Where(auditevent.SeqNotNil()).Count(ctx)
	if err != nil {
		return fmt.Errorf("audit: verify: count chained events: %w", err)
	}
	if all != rep.Chained {
		p.add(0, fmt.Sprintf("%d events have a seq but the chain holds %d: seqs are repeated", all, rep.Chained))
	}
	if n == 0 || rep.Chained == 0 {
		return nil
	}
	ids, err := c.AuditEvent.Query().Where(auditevent.SeqIsNil()).
		Order(ent.Asc(auditevent.FieldID)).Limit(MaxProblems + 1).IDs(ctx)
	if err != nil {
		return fmt.Errorf("audit: verify: read unchained events: %w", err)
	}
	for _, id := range ids {
		p.add(id, "not in the chain (no seq): inserted behind audit.Record's back")
	}
	return nil
}

// problems collects at most MaxProblems problems.
type problems struct {
	list []Problem
	more bool
}

func (p *problems) full() bool { return len(p.list) >= MaxProblems }

func (p *problems) add(id int, reason string) {
	if p.full() {
		p.more = true
		return
	}
	p.list = append(p.list, Problem{EventID: id, Reason: reason})
}

func (p *problems) done() []Problem {
	if p.more {
		return append(p.list, Problem{Reason: fmt.Sprintf("more problems not listed: only the first %d are", MaxProblems)})
	}
	return p.list
}

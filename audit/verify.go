package audit

import (
	"context"
	stdsql "database/sql"
	"fmt"
	"strings"

	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/auditevent"
)

// MaxProblems caps Report.Problems; when more are found, one last entry
// (EventID 0) says so.
const MaxProblems = 100

// verifyPage is how many events Verify holds in memory at once.
const verifyPage = 1000

// Problem is one piece of tamper evidence. EventID is 0 when the problem is
// with the chain as a whole.
type Problem struct {
	EventID int
	Reason  string
}

// Report is the result of Verify.
type Report struct {
	Sealed, Unsealed int
	// Head is the hash of the chain head, the last event sealed: Genesis when
	// nothing is sealed, "" when the chain has no single end. Recorded
	// outside the database it is the anchor that makes a deleted tail
	// detectable: it must still be the hash of a sealed event later.
	Head     string
	OK       bool
	Problems []Problem
}

// Verify checks the audit chain (DESIGN §8; seed 003 §六(三)) in one
// read-only snapshot:
//
//   - every sealed event's hash recomputes from its prev_hash and fields;
//   - no two sealed events share a prev_hash (no fork);
//   - every sealed event's prev_hash is Genesis or the hash of a sealed
//     event (no orphan: else an event was deleted or its hash changed);
//   - exactly one sealed event starts at Genesis and exactly one ends the
//     chain.
//
// Together these mean that following the prev_hash pointers from Genesis
// visits every sealed event exactly once: the pointers form one path from
// Genesis plus, at most, loops, and a loop of events whose hashes all
// recompute would need a SHA-256 cycle through them.
//
// Events are read in id-order pages, and the pointer checks are set queries
// run by the database, so memory does not grow with the log. An error is
// returned only when the database cannot be read; tamper evidence is in the
// report.
func Verify(ctx context.Context, c *ent.Client) (Report, error) {
	var rep Report
	if c == nil {
		return rep, fmt.Errorf("audit: verify: no client")
	}
	// One snapshot: a sealer running meanwhile cannot make the checks see
	// half a batch. (SQLite: a read-only transaction begins DEFERRED and
	// takes no write lock.)
	tx, err := c.BeginTx(ctx, &stdsql.TxOptions{Isolation: stdsql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return rep, fmt.Errorf("audit: verify: begin: %w", err)
	}
	defer tx.Rollback()
	var p problems
	if err := verifyRows(ctx, tx, &rep, &p); err != nil {
		return rep, err
	}
	if rep.Sealed == 0 {
		rep.Head = Genesis
	} else if err := verifyLinks(ctx, tx, &rep, &p); err != nil {
		return rep, err
	}
	rep.Problems = p.done()
	rep.OK = len(rep.Problems) == 0
	return rep, nil
}

// verifyRows reads every event in id order and checks each on its own.
func verifyRows(ctx context.Context, tx *ent.Tx, rep *Report, p *problems) error {
	after, first := 0, true
	for {
		q := tx.AuditEvent.Query().Order(ent.Asc(auditevent.FieldID)).Limit(verifyPage)
		if !first {
			q.Where(auditevent.IDGT(after))
		}
		rows, err := q.All(ctx)
		if err != nil {
			return fmt.Errorf("audit: verify: read events: %w", err)
		}
		for _, r := range rows {
			if r.Hash == "" {
				rep.Unsealed++
				if r.PrevHash != "" {
					p.add(r.ID, "unsealed but has a prev_hash: its hash was cleared after sealing")
				}
				continue
			}
			rep.Sealed++
			if strings.ContainsAny(r.Action, "\r\n") || strings.ContainsAny(r.Target, "\r\n") {
				p.add(r.ID, "action or target contains a line break: not written by audit.Record, and its canonical form is ambiguous")
			}
			if chainHash(r.PrevHash, r) != r.Hash {
				p.add(r.ID, "hash does not match the event and its prev_hash: the event or its hash was changed after sealing")
			}
		}
		if len(rows) < verifyPage {
			return nil
		}
		after, first = rows[len(rows)-1].ID, false
	}
}

// The pointer checks, as set queries over the sealed events. Constants only:
// no placeholders, so the text is the same on both dialects.
const (
	forksQuery = `SELECT prev_hash FROM audit_events WHERE hash <> ''
GROUP BY prev_hash HAVING COUNT(*) > 1 ORDER BY prev_hash`
	// b.hash = a.prev_hash is a lookup in the index on hash.
	orphansQuery = `SELECT a.id FROM audit_events a
WHERE a.hash <> '' AND a.prev_hash <> 'GENESIS'
AND NOT EXISTS (SELECT 1 FROM audit_events b WHERE b.hash = a.prev_hash AND b.hash <> '')
ORDER BY a.id`
	startsQuery = `SELECT COUNT(*) FROM audit_events WHERE hash <> '' AND prev_hash = 'GENESIS'`
	// The ends: sealed events whose hash no sealed event points at.
	endsQuery = `SELECT id, hash FROM audit_events WHERE hash IN (
SELECT hash FROM audit_events WHERE hash <> ''
EXCEPT
SELECT prev_hash FROM audit_events WHERE hash <> '')
ORDER BY id`
)

// verifyLinks checks the prev_hash pointers and finds the head.
func verifyLinks(ctx context.Context, tx *ent.Tx, rep *Report, p *problems) error {
	var forks []string
	err := query(ctx, tx, "forks", forksQuery, func(rows *stdsql.Rows) error {
		var prev string
		if err := rows.Scan(&prev); err != nil {
			return err
		}
		forks = append(forks, prev)
		return nil
	})
	if err != nil {
		return err
	}
	for _, prev := range forks {
		if p.full() {
			p.more = true
			break
		}
		ids, err := tx.AuditEvent.Query().
			Where(auditevent.PrevHash(prev), auditevent.HashNEQ("")).
			Order(ent.Asc(auditevent.FieldID)).
			IDs(ctx)
		if err != nil {
			return fmt.Errorf("audit: verify: read a fork: %w", err)
		}
		for _, id := range ids {
			p.add(id, fmt.Sprintf("the chain forks: %d sealed events have the prev_hash %.16s…", len(ids), prev))
		}
	}

	err = query(ctx, tx, "orphans", orphansQuery, func(rows *stdsql.Rows) error {
		var id int
		if err := rows.Scan(&id); err != nil {
			return err
		}
		p.add(id, "prev_hash is the hash of no sealed event: the event before it was deleted, or its hash changed")
		return nil
	})
	if err != nil {
		return err
	}

	var starts int
	err = query(ctx, tx, "starts", startsQuery, func(rows *stdsql.Rows) error { return rows.Scan(&starts) })
	if err != nil {
		return err
	}
	if starts == 0 {
		p.add(0, "no sealed event has prev_hash GENESIS: the first event of the chain was deleted or changed")
	}

	type end struct {
		id   int
		hash string
	}
	var ends []end
	err = query(ctx, tx, "ends", endsQuery, func(rows *stdsql.Rows) error {
		var e end
		if err := rows.Scan(&e.id, &e.hash); err != nil {
			return err
		}
		ends = append(ends, e)
		return nil
	})
	if err != nil {
		return err
	}
	switch len(ends) {
	case 1:
		rep.Head = ends[0].hash
	case 0:
		p.add(0, "the chain has no end: its prev_hash pointers loop")
	default:
		for _, e := range ends {
			p.add(e.id, fmt.Sprintf("the chain has %d ends, not one: it is broken or forks; this event is one end", len(ends)))
		}
	}
	return nil
}

// query runs a constant query in the transaction and calls each for every
// row. Its errors, each's included, name the query.
func query(ctx context.Context, tx *ent.Tx, name, q string, each func(*stdsql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("audit: verify: %s: %w", name, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return fmt.Errorf("audit: verify: %s: %w", name, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("audit: verify: %s: %w", name, err)
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

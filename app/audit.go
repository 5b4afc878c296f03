package app

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/mashang/mashang/audit"
)

// The audit commands: `mashang audit verify` and `mashang audit seal`
// (DESIGN §8; seed 003 §六(三)).

// errAuditBroken makes `mashang audit verify` exit non-zero after the report
// was printed.
var errAuditBroken = errors.New("the audit chain is broken or its anchor is missing")

func auditVerifyFlags(fs *flag.FlagSet) runFunc {
	anchor := fs.String("anchor", envString("MASHANG_AUDIT_ANCHOR", ""), "a head recorded earlier, SEQ:HASH as printed here; the event with that seq must still have that hash (env MASHANG_AUDIT_ANCHOR)")
	return func(ctx context.Context, e *env) error { return auditVerify(ctx, e, *anchor) }
}

func auditVerify(ctx context.Context, e *env, anchor string) error {
	db, stdout := e.db, e.stdout
	var anchors []audit.Anchor
	if anchor != "" {
		a, err := audit.ParseAnchor(anchor)
		if err != nil {
			return err
		}
		anchors = append(anchors, a)
	}
	// Verify reads in a read-only transaction of its own.
	rep, err := audit.Verify(ctx, db.Client, anchors...)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "audit chain: %d chained, %d unchained event(s)\n", rep.Chained, rep.Unchained)
	fmt.Fprintf(stdout, "head: %s\n", rep.Head)
	for _, p := range rep.Problems {
		if p.EventID == 0 {
			fmt.Fprintf(stdout, "problem: %s\n", p.Reason)
		} else {
			fmt.Fprintf(stdout, "problem: event %d: %s\n", p.EventID, p.Reason)
		}
	}
	if !rep.OK {
		fmt.Fprintln(stdout, "NOT OK")
		return errAuditBroken
	}
	fmt.Fprintln(stdout, "OK — record the head outside the database as an anchor for later checks")
	return nil
}

// auditSeal chains the events of an upgraded database that predate
// chaining at insert (once) and prints the head to record as an anchor.
// It runs in a transaction of its own, under the chain lock.
func auditSeal(ctx context.Context, e *env) error {
	s := &audit.Sealer{Client: e.db.Client}
	n, head, err := s.SealHead(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "adopted %d audit event(s) written before chaining at insert\n", n)
	fmt.Fprintf(e.stdout, "head: %s\n", head)
	return nil
}

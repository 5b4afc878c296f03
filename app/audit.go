package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/mashang/mashang/audit"
	"github.com/mashang/mashang/ent/auditevent"
)

// The audit commands: `mashang audit verify` and `mashang audit seal`
// (DESIGN §8; seed 003 §六(三)).

// errAuditBroken makes `mashang audit verify` exit non-zero after the report
// was printed.
var errAuditBroken = errors.New("the audit chain is broken or its anchor is missing")

func auditVerifyFlags(fs *flag.FlagSet) runFunc {
	anchor := fs.String("anchor", envString("MASHANG_AUDIT_ANCHOR", ""), "a head hash recorded earlier; it must still be the hash of a sealed event (env MASHANG_AUDIT_ANCHOR)")
	return func(ctx context.Context, e *env) error { return auditVerify(ctx, e, *anchor) }
}

func auditVerify(ctx context.Context, e *env, anchor string) error {
	db, stdout := e.db, e.stdout
	rep, err := audit.Verify(ctx, db.Client)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "audit chain: %d sealed, %d unsealed event(s)\n", rep.Sealed, rep.Unsealed)
	fmt.Fprintf(stdout, "head: %s\n", rep.Head)
	for _, p := range rep.Problems {
		if p.EventID == 0 {
			fmt.Fprintf(stdout, "problem: %s\n", p.Reason)
		} else {
			fmt.Fprintf(stdout, "problem: event %d: %s\n", p.EventID, p.Reason)
		}
	}
	ok := rep.OK
	if anchor != "" && anchor != audit.Genesis {
		// Only an anchor kept outside the database reveals a deleted tail.
		found, err := db.Client.AuditEvent.Query().Where(auditevent.Hash(anchor)).Exist(ctx)
		if err != nil {
			return err
		}
		if !found {
			fmt.Fprintf(stdout, "problem: the anchor %s is the hash of no sealed event: the events from it on were deleted or rewritten\n", anchor)
			ok = false
		}
	}
	if !ok {
		fmt.Fprintln(stdout, "NOT OK")
		return errAuditBroken
	}
	fmt.Fprintln(stdout, "OK — record the head outside the database as an anchor for later checks")
	return nil
}

func auditSeal(ctx context.Context, e *env) error {
	// Everything recorded so far, whatever its age.
	s := &audit.Sealer{Client: e.db.Client, MinAge: -1}
	n, err := s.Seal(ctx, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "sealed %d audit event(s)\n", n)
	return nil
}

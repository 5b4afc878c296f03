package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/mashang/mashang/audit"
	"github.com/mashang/mashang/ent/auditevent"
)

const auditUsage = `Usage:
  mashang audit verify [--anchor HASH] [flags]
                        check the audit hash chain; exit status 1 when broken
  mashang audit seal   [flags]
                        seal every audit event recorded so far

Run "mashang audit verify -h" for the flags.
`

// errAuditBroken makes `mashang audit verify` exit non-zero after the report
// was printed.
var errAuditBroken = errors.New("the audit chain is broken or its anchor is missing")

// auditCmd runs `mashang audit verify|seal` (DESIGN §8; seed 003 §六(三)).
func auditCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, auditUsage)
		return ErrUsage
	}
	switch args[0] {
	case "verify":
		return auditVerify(ctx, args[1:], stdout, stderr)
	case "seal":
		return auditSeal(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, auditUsage)
		return nil
	}
	fmt.Fprintf(stderr, "unknown audit command %q\n\n%s", args[0], auditUsage)
	return ErrUsage
}

func auditVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	anchor := fs.String("anchor", envString("MASHANG_AUDIT_ANCHOR", ""), "a head hash recorded earlier; it must still be the hash of a sealed event (env MASHANG_AUDIT_ANCHOR)")
	if err := fs.Parse(args); err != nil {
		return ErrUsage
	}
	_, db, err := c.start(ctx, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
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
	if *anchor != "" && *anchor != audit.Genesis {
		// Only an anchor kept outside the database reveals a deleted tail.
		found, err := db.Client.AuditEvent.Query().Where(auditevent.Hash(*anchor)).Exist(ctx)
		if err != nil {
			return err
		}
		if !found {
			fmt.Fprintf(stdout, "problem: the anchor %s is the hash of no sealed event: the events from it on were deleted or rewritten\n", *anchor)
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

func auditSeal(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("audit seal", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return ErrUsage
	}
	_, db, err := c.start(ctx, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	// Everything recorded so far, whatever its age.
	s := &audit.Sealer{Client: db.Client, MinAge: -1}
	n, err := s.Seal(ctx, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "sealed %d audit event(s)\n", n)
	return nil
}

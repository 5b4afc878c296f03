package audit_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang/app"
	"github.com/mashang/mashang/database"
)

// `mashang audit seal` and `mashang audit verify`, on an SQLite file.
func TestCommands(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cli.db")
	run := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := app.Run(ctx, append(args, "--database", path, "--log-format", "text"), &out, &errOut)
		return out.String() + errOut.String(), err
	}

	if _, err := run("audit"); !errors.Is(err, app.ErrUsage) {
		t.Fatalf("audit without a command: %v", err)
	}
	if _, err := run("audit", "bogus"); !errors.Is(err, app.ErrUsage) {
		t.Fatalf("audit bogus: %v", err)
	}
	out, err := run("audit", "verify")
	if err != nil || !strings.Contains(out, "0 chained, 0 unchained") || !strings.Contains(out, "head: 0:GENESIS") {
		t.Fatalf("verify of an empty log: %v\n%s", err, out)
	}

	db, err := database.Open(ctx, path, database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := range 3 {
		record(t, db.Client, fmt.Sprint("cli", i), time.Now())
	}
	// Nothing to seal: seal prints the head to record as an anchor.
	out, err = run("audit", "seal")
	if err != nil || !strings.Contains(out, "adopted 0 audit event(s)") {
		t.Fatalf("seal: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`head: (3:[0-9a-f]{64})`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no head in\n%s", out)
	}
	out, err = run("audit", "verify")
	if err != nil || !strings.Contains(out, "3 chained, 0 unchained") || !strings.Contains(out, "head: "+m[1]) || !strings.Contains(out, "OK") {
		t.Fatalf("verify: %v\n%s", err, out)
	}
	if out, err := run("audit", "verify", "--anchor", m[1]); err != nil {
		t.Fatalf("verify with the current head as anchor: %v\n%s", err, out)
	}
	if out, err := run("audit", "verify", "--anchor", "3"); err == nil {
		t.Fatalf("verify with a malformed anchor: %v\n%s", err, out)
	}

	// The anchor reveals a deleted tail, which the chain alone cannot:
	// exit status non-zero.
	last := events(t, db.Client)[2]
	exec(t, db, fmt.Sprintf("DELETE FROM audit_events WHERE id = %d", last.ID))
	if out, err := run("audit", "verify"); err != nil {
		t.Fatalf("a deleted tail is not detectable without an anchor, yet: %v\n%s", err, out)
	}
	out, err = run("audit", "verify", "--anchor", m[1])
	if err == nil || errors.Is(err, app.ErrUsage) || !strings.Contains(out, "NOT OK") {
		t.Fatalf("deleted tail with an anchor: %v\n%s", err, out)
	}

	mid := events(t, db.Client)[1]
	db.Client.AuditEvent.UpdateOneID(mid.ID).SetAction("forged").ExecX(ctx)
	out, err = run("audit", "verify")
	if err == nil || !strings.Contains(out, "NOT OK") || !strings.Contains(out, fmt.Sprintf("event %d:", mid.ID)) {
		t.Fatalf("verify after tampering: %v\n%s", err, out)
	}
	if rep := verify(t, db.Client); rep.OK || !hasProblem(rep, mid.ID) {
		t.Fatalf("report %+v", rep)
	}
}

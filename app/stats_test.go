package app_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/stats"
)

// TestStatsVerifyExitsNonZeroOnADifference: `mashang stats verify` prints
// a counter the raw rows do not give and fails (exit status 1);
// `mashang stats rebuild` rewrites it, and verify passes again.
func TestStatsVerifyExitsNonZeroOnADifference(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stats.db")
	if _, stderr, err := run(t, "migrate", "--database="+path, "--log-format=text"); err != nil {
		t.Fatalf("migrate: %v\n%s", err, stderr)
	}
	ctx := context.Background()
	db, err := database.Open(ctx, path, database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Scans counted on a day when nothing was scanned.
	if err := db.Client.StatCount.Create().SetDay("2026-12-05").SetNodePath("/22/").SetLevel("PROVINCE").
		SetMetric(string(stats.Scans)).SetValue(7).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	db.Close()

	stdout, _, err := run(t, "stats", "verify", "--database="+path)
	if err == nil || !strings.Contains(stdout, "SCANS /22/ 2026-12-05: stored 7, recounted 0") {
		t.Fatalf("verify = %v\n%s", err, stdout)
	}
	if stdout, _, err := run(t, "stats", "verify", "--database="+path, "--from=2026-12-06"); err != nil {
		t.Fatalf("verify from the next day = %v\n%s", err, stdout)
	}
	if stdout, _, err := run(t, "stats", "rebuild", "--database="+path, "--from=2026-12-01"); err != nil {
		t.Fatalf("rebuild = %v\n%s", err, stdout)
	}
	if stdout, _, err := run(t, "stats", "verify", "--database="+path); err != nil || !strings.HasPrefix(stdout, "OK") {
		t.Fatalf("verify after rebuild = %v\n%s", err, stdout)
	}
	if _, _, err := run(t, "stats", "verify", "--database="+path, "--from=5 December"); err == nil {
		t.Fatal("verify accepted a day that is no date")
	}
	if _, _, err := run(t, "stats", "verify", "--database="+path, "--timezone=Mars/Olympus"); err == nil {
		t.Fatal("an unknown MASHANG_TIMEZONE was accepted")
	}
}

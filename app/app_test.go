package app_test

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mashang/mashang/app"
)

func TestParseSiteQuotas(t *testing.T) {
	got, err := app.ParseSiteQuotas(" ORDINARY=20, intermediate=1 ")
	if err != nil || got["ORDINARY"] != 20 || got["INTERMEDIATE"] != 1 || len(got) != 2 {
		t.Fatalf("ParseSiteQuotas = %v, %v", got, err)
	}
	for _, bad := range []string{"ORDINARY", "ORDINARY=x", "ORDINARY=-1", "KING=1"} {
		if _, err := app.ParseSiteQuotas(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestLoadPIIKey(t *testing.T) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	dbPath := filepath.Join(t.TempDir(), "m.db")
	k1, err := app.LoadPIIKey("", dbPath, logger)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(dbPath + ".key")
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("SECURITY: development key file %v, mode %v; want 0600", err, info.Mode())
	}
	k2, err := app.LoadPIIKey("", dbPath, logger)
	if err != nil || string(k1) != string(k2) {
		t.Fatal("the development key is not reused: data sealed before would be lost")
	}
	if _, err := app.LoadPIIKey("", "postgres://x@127.0.0.1/db", logger); err == nil || !strings.Contains(err.Error(), "MASHANG_PII_KEY") {
		t.Fatalf("PostgreSQL without a key: %v", err)
	}
	if _, err := app.LoadPIIKey(strings.Repeat("0f", 32), "postgres://x@127.0.0.1/db", logger); err != nil {
		t.Fatal(err)
	}
}

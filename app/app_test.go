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
	if err != nil {
		t.Fatalf("development key file: %v", err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("SECURITY: development key file mode %v; want 0600", info.Mode())
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

func TestLoadSigner(t *testing.T) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	dbPath := filepath.Join(t.TempDir(), "m.db")
	s1, err := app.LoadSigner("22", "", "", dbPath, logger)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := app.LoadSigner("22", "", "", dbPath, logger)
	if err != nil || s1.Current.ID != s2.Current.ID || !s1.Current.Public.Equal(s2.Current.Public) {
		t.Fatal("the development signing key is not reused: codes issued before a restart would stop verifying")
	}
	if info, err := os.Stat(dbPath + ".signing"); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("SECURITY: signing key file %v", err)
	}
	seed := strings.Repeat("A", 43) // 32 zero bytes, base64url without padding
	s, err := app.LoadSigner("22", "3:"+seed, "2:"+seed+":2030-01-02T03:04:05Z", "postgres://x@127.0.0.1/db", logger)
	if err != nil || s.Current.ID != 3 || len(s.Previous) != 1 || s.Previous[0].ID != 2 || s.Previous[0].NotAfter.Year() != 2030 {
		t.Fatalf("configured signer %+v, %v", s, err)
	}
	if _, err := app.LoadSigner("22", "3:"+seed, "3:"+seed+":2030-01-02T03:04:05Z", "postgres://x@127.0.0.1/db", logger); err == nil {
		t.Fatal("a retired key with the current key's id was accepted")
	}
	if _, err := app.LoadSigner("22", "", "", "postgres://x@127.0.0.1/db", logger); err == nil || !strings.Contains(err.Error(), "MASHANG_CODE_SIGNING_KEY") {
		t.Fatalf("PostgreSQL without a signing key: %v", err)
	}
	for _, bad := range []string{"x:" + seed, "0:" + seed, "3", "3:notbase64!"} {
		if _, err := app.LoadSigner("22", bad, "", "postgres://x@127.0.0.1/db", logger); err == nil {
			t.Errorf("key spec %q accepted", bad)
		} else if strings.Contains(err.Error(), seed) {
			t.Errorf("SECURITY: the error repeats the seed: %v", err)
		}
	}
}

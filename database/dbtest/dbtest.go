// Package dbtest opens fresh, migrated databases for tests and benchmarks:
// an SQLite file in a temporary directory, and a PostgreSQL schema of its own
// per test (TEST_DATABASE_URL, default the local server) so parallel runs
// never collide. With CI=true an unreachable PostgreSQL fails the test
// instead of skipping it.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/mashang/mashang/database"
)

// DefaultPostgresURL is used when TEST_DATABASE_URL is not set.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Dialects under test, in the order Run runs them.
var Dialects = []string{dialect.SQLite, dialect.Postgres}

// Run runs fn once per dialect as subtests named "sqlite3" and "postgres",
// each with a fresh migrated database.
func Run(t *testing.T, fn func(t *testing.T, db *database.DB)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) {
			fn(t, Open(t, d, database.Options{}))
		})
	}
}

// PostgresURL returns the PostgreSQL server tests use.
func PostgresURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

// Open returns a fresh migrated database of the dialect, dropped when the
// test ends.
func Open(tb testing.TB, dialectName string, opts database.Options) *database.DB {
	tb.Helper()
	ctx := context.Background()
	var dsn string
	switch dialectName {
	case dialect.SQLite:
		dsn = filepath.Join(tb.TempDir(), "test.db")
	case dialect.Postgres:
		dsn = postgresSchema(tb)
	default:
		tb.Fatalf("unknown dialect %q", dialectName)
	}
	db, err := database.Open(ctx, dsn, opts)
	if err != nil {
		tb.Fatalf("open %s: %v", dialectName, err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		tb.Fatalf("migrate %s: %v", dialectName, err)
	}
	return db
}

var pgUnreachable atomic.Bool

// postgresSchema creates a schema of its own for the test and returns a URL
// whose connections use it.
func postgresSchema(tb testing.TB) string {
	tb.Helper()
	base := PostgresURL()
	if pgUnreachable.Load() {
		unreachable(tb, base, nil)
	}
	admin, err := sql.Open("postgres", base)
	if err == nil {
		err = admin.Ping()
	}
	if err != nil {
		pgUnreachable.Store(true)
		unreachable(tb, base, err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		tb.Fatalf("create test schema: %v", err)
	}
	tb.Cleanup(func() {
		admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func unreachable(tb testing.TB, base string, err error) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("PostgreSQL at %s is unreachable (%v); on CI this is a failure: start it or set TEST_DATABASE_URL", redact(base), err)
	}
	tb.Skipf("PostgreSQL at %s is unreachable (%v); set TEST_DATABASE_URL or start it (CI=true makes this a failure)", redact(base), err)
}

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

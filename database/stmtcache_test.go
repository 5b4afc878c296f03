package database_test

import (
	"context"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
)

func preparedCount(t *testing.T, db *database.DB) int {
	t.Helper()
	var n int
	if err := db.SQL.QueryRow(`SELECT count(*) FROM pg_prepared_statements`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func addOne(t *testing.T, db *database.DB, q string, v int) int {
	t.Helper()
	var got int
	if err := db.SQL.QueryRowContext(context.Background(), q, v).Scan(&got); err != nil {
		t.Fatal(err)
	}
	return got
}

// A connection prepares a statement with arguments once, reuses it, and
// keeps no more than its cache's size (issue 15: prepared statements).
func TestAConnectionPreparesAStatementOnceAndKeepsAtMostItsCache(t *testing.T) {
	db := dbtest.Open(t, dialect.Postgres, database.Options{MaxOpenConns: 1, StatementCache: 3})
	// Opening migrated the schema through this one connection: one slot
	// may hold a statement of that already.
	base := preparedCount(t, db)
	for i := range 3 {
		if got := addOne(t, db, `SELECT $1::int + 1`, i); got != i+1 {
			t.Fatalf("got %d, want %d", got, i+1)
		}
	}
	if n := preparedCount(t, db) - base; n != 1 {
		t.Fatalf("%d statements prepared for one text run three times, want 1", n)
	}
	addOne(t, db, `SELECT $1::int + 2`, 0)
	addOne(t, db, `SELECT $1::int + 3`, 0)
	addOne(t, db, `SELECT $1::int + 4`, 0)
	if n := preparedCount(t, db); n != 3 {
		t.Fatalf("%d statements prepared with a cache of 3", n)
	}
	// An evicted statement is prepared again and still answers.
	if got := addOne(t, db, `SELECT $1::int + 1`, 41); got != 42 {
		t.Fatalf("got %d after eviction, want 42", got)
	}
	// A failing execution leaves the connection and its statements usable,
	// in a transaction too.
	var x int
	if err := db.SQL.QueryRow(`SELECT 1 / $1::int`, 0).Scan(&x); err == nil {
		t.Fatal("division by zero did not fail")
	}
	tx, err := db.SQL.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`CREATE TEMP TABLE t (v int)`); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO t VALUES ($1)`, 7); err != nil {
		t.Fatal(err)
	}
	if err := tx.QueryRow(`SELECT v + $1 FROM t`, 1).Scan(&x); err != nil || x != 8 {
		t.Fatalf("in a transaction: %d, %v", x, err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if got := addOne(t, db, `SELECT $1::int + 1`, 1); got != 2 {
		t.Fatalf("got %d after a rollback, want 2", got)
	}
}

func TestANegativeStatementCacheKeepsNoStatements(t *testing.T) {
	db := dbtest.Open(t, dialect.Postgres, database.Options{MaxOpenConns: 1, StatementCache: -1})
	addOne(t, db, `SELECT $1::int + 1`, 0)
	if n := preparedCount(t, db); n != 0 {
		t.Fatalf("%d statements prepared with the cache off", n)
	}
}

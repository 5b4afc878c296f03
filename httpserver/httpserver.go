// Package httpserver assembles the HTTP endpoints: /graphql (POST, GET and
// websocket), /graphiql, /healthz, /readyz, /metrics and the admin SPA at /.
// It adds what every request needs: a request id, a body-size cap (a larger
// one for multipart uploads), a JSON access log without personal data, and
// Prometheus metrics; the API endpoints also get CORS for the allowed origins.
// GraphQL requests pass admission control (admission.go): past the requests
// in flight their class may have, they are answered 503 OVERLOADED at once.
package httpserver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/auth"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/graph"
	"github.com/mashang/mashang/i18n"
	webadmin "github.com/mashang/mashang/web-admin"
	webgraphiql "github.com/mashang/mashang/web-graphiql"
)

// Config of the HTTP layer.
type Config struct {
	// MaxBodyBytes caps a request body (GraphQL documents and variables);
	// a multipart upload has its own cap, Limits.MaxUploadBytes.
	MaxBodyBytes int64
	Limits       graph.Limits
	// TrustedProxies are the proxies whose X-Forwarded-For names the
	// client (clientip.go); empty: the socket peer is the client.
	TrustedProxies []netip.Prefix
	// Admission bounds the GraphQL requests in flight per class
	// (admission.go); zero fields are sized from GOMAXPROCS and the
	// database pool.
	Admission Admission
}

// DefaultConfig is used for zero fields of Config.
var DefaultConfig = Config{MaxBodyBytes: 1 << 20, Limits: graph.DefaultLimits}

// New returns the handler of every endpoint. The registry receives the
// server's metrics (use a fresh one per server in tests).
func New(db *database.DB, deps graph.Deps, cfg Config, logger *slog.Logger, reg *prometheus.Registry) http.Handler {
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = DefaultConfig.MaxBodyBytes
	}
	if cfg.Limits.MaxComplexity == 0 && cfg.Limits.MaxDepth == 0 {
		limits := DefaultConfig.Limits
		limits.AllowedOrigins, limits.MaxUploadBytes = cfg.Limits.AllowedOrigins, cfg.Limits.MaxUploadBytes
		cfg.Limits = limits
	}
	if cfg.Limits.MaxUploadBytes == 0 {
		cfg.Limits.MaxUploadBytes = graph.DefaultMaxUploadBytes
	}
	m := newMetrics(reg)
	reg.MustRegister(collectors.NewDBStatsCollector(db.SQL, "main"))
	registerAlertMetrics(reg, deps)
	registerBuildInfo(reg, mashang.ReadBuild())

	gql := graph.NewServer(deps, cfg.Limits, logger)
	gql.Use(m)

	adm := newAdmission(AdmissionDefaults(cfg.Admission, runtime.GOMAXPROCS(0), db.SQL.Stats().MaxOpenConnections), reg)

	mux := http.NewServeMux()
	api := func(h http.Handler) http.Handler { return withCORS(cfg.Limits.AllowedOrigins, h) }
	mux.Handle("/graphql", api(withBodyCap(cfg.MaxBodyBytes, cfg.Limits.MaxUploadBytes, checkJSONBody(adm.wrap(withClientIP(cfg.TrustedProxies, withViewer(deps.Auth, withRequestErrorStatus(graph.TrustedDocumentIDs(gql)))))))))
	// Finished stats exports (issue 12): the same bearer token as /graphql.
	mux.Handle("GET "+graph.StatsExportPath+"{id}", api(withViewer(deps.Auth, statsDownload(deps))))
	mux.Handle("GET /graphiql", webgraphiql.Page())
	mux.Handle("GET /graphiql/assets/", webgraphiql.Assets("/graphiql/assets/"))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := db.Ping(ctx); err != nil {
			logger.WarnContext(r.Context(), "readiness check failed", "error", err.Error())
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("database unreachable\n"))
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	keys := api(publishedKeys(deps))
	mux.Handle("GET /.well-known/health-code-keys", keys)
	mux.Handle("OPTIONS /.well-known/health-code-keys", keys)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	mux.Handle("/", webadmin.Handler())

	return withRequestID(withLanguage(withAccessLog(logger, m, mux)))
}

// statsDownload serves the XLSX of a finished export to the account that
// started it (stats.Exports.Download); anyone else finds nothing.
func statsDownload(deps graph.Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.Atoi(r.PathValue("id"))
		if err != nil || deps.Exports == nil {
			writeError(r.Context(), w, http.StatusNotFound, mashang.Errorf(mashang.ENOTFOUND, "Not found."))
			return
		}
		name, file, err := deps.Exports.Download(r.Context(), id)
		if err != nil {
			status := http.StatusNotFound
			if mashang.ErrorCode(err) == mashang.EUNAUTHENTICATED {
				status = http.StatusUnauthorized
			}
			writeError(r.Context(), w, status, err)
			return
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
		w.Header().Set("Cache-Control", "no-store")
		defer func() { _ = file.Close() }()
		if st, err := file.Stat(); err == nil {
			w.Header().Set("Content-Length", strconv.FormatInt(st.Size(), 10))
		}
		_, _ = io.Copy(w, file)
	})
}

// publishedKeys serves the public keys other provinces (and offline
// scanners) verify this deployment's codes with (DESIGN.md §7).
func publishedKeys(deps graph.Deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if deps.Signer == nil {
			writeError(r.Context(), w, http.StatusNotFound, mashang.Errorf(mashang.EUNAVAILABLE,
				"This deployment has no code signing key configured (MASHANG_CODE_SIGNING_KEY)."))
			return
		}
		body, err := json.Marshal(deps.Signer.PublishedKeys())
		if err != nil {
			writeError(r.Context(), w, http.StatusInternalServerError, mashang.Errorf(mashang.EINTERNAL, "Internal error."))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age=300")
		_, _ = w.Write(body)
	})
}

// withViewer authenticates the bearer token of a request, if any, and marks
// the context as an API request so every query is filtered by the viewer's
// scope (authz.Filter). A request without a token is anonymous; one with a
// bad or expired token is refused with 401 and a GraphQL error.
// SECURITY: this is the only place an HTTP request becomes a viewer.
func withViewer(a *auth.Service, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := graph.WithPathCache(authz.WithRequest(r.Context()))
		if token := auth.BearerToken(r.Header.Get("Authorization")); token != "" {
			v, err := a.Authenticate(ctx, token)
			if err != nil {
				writeAuthError(ctx, w, err)
				return
			}
			ctx = mashang.NewContextWithViewer(ctx, v)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// writeAuthError answers a bearer token that does not authenticate: 401
// with the challenge, or 500 when the check itself failed.
func writeAuthError(ctx context.Context, w http.ResponseWriter, err error) {
	if mashang.ErrorCode(err) == mashang.EINTERNAL {
		writeError(ctx, w, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="mashang"`)
	writeError(ctx, w, http.StatusUnauthorized, err)
}

// withLanguage puts the language of the request's Accept-Language in its
// context: messages are Chinese unless the client prefers English.
func withLanguage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := i18n.Match(r.Header.Get("Accept-Language"))
		w.Header().Add("Vary", "Accept-Language")
		next.ServeHTTP(w, r.WithContext(i18n.WithLanguage(r.Context(), lang)))
	})
}

type ctxKey int

const (
	requestIDKey ctxKey = iota
	requestInfoKey
)

// RequestID returns the id of the request being served ("" outside one).
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// requestInfo is filled while the request is served and read by the access log.
type requestInfo struct{ operation string }

func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 || strings.ContainsAny(id, "\r\n\"") {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey, id)))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController and the websocket upgrade reach the
// underlying writer (Hijacker, Flusher).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// withAccessLog writes one line per request: method, route, status, bytes,
// duration, request id and GraphQL operation name. Never the query string,
// the variables or the body: they may hold personal data.
func withAccessLog(logger *slog.Logger, m *metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{}
		rec := &statusRecorder{ResponseWriter: w}
		ctx := context.WithValue(r.Context(), requestInfoKey, info)
		next.ServeHTTP(rec, r.WithContext(ctx))
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		route := routeOf(r.URL.Path)
		elapsed := time.Since(start)
		m.observeHTTP(route, r.Method, rec.status, elapsed)
		if route == "/healthz" || route == "/readyz" || route == "/metrics" {
			return // probes would drown the log
		}
		attrs := []slog.Attr{
			slog.String("request_id", RequestID(ctx)),
			slog.String("method", r.Method),
			slog.String("route", route),
			slog.Int("status", rec.status),
			slog.Int("bytes", rec.bytes),
			slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
		}
		if info.operation != "" {
			attrs = append(attrs, slog.String("operation", info.operation))
		}
		logger.LogAttrs(ctx, slog.LevelInfo, "request", attrs...)
	})
}

// routeOf maps a path to a bounded set of labels for logs and metrics.
func routeOf(p string) string {
	switch p {
	case "/graphql", "/graphiql", "/healthz", "/readyz", "/metrics":
		return p
	}
	if strings.HasPrefix(p, "/.well-known/") {
		return p
	}
	if strings.HasPrefix(p, "/graphiql/assets/") {
		return "/graphiql/assets/"
	}
	return "/"
}

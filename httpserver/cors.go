package httpserver

import (
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/rs/cors"
)

// corsMaxAge is how long, in seconds, a browser may reuse a preflight answer.
const corsMaxAge = 600

// withCORS lets the pages of the allowed origins (MASHANG_ALLOWED_ORIGINS,
// the same host patterns that may open websockets) call the API from their
// own origin: a ministry's dashboard. Preflights are answered here (204);
// Access-Control-Allow-Origin echoes only an allowed origin, with
// Vary: Origin. No credentials: the API authenticates with a bearer token in
// the Authorization header, never with cookies, so a cross-site page can only
// act with a token it already holds.
// SECURITY: an origin outside the list gets no CORS headers, so the browser
// keeps its page from reading any answer (TestCORS/Disallowed).
func withCORS(patterns []string, next http.Handler) http.Handler {
	c := cors.New(cors.Options{
		AllowOriginFunc: func(origin string) bool { return originAllowed(patterns, origin) },
		AllowedMethods:  []string{http.MethodGet, http.MethodPost},
		AllowedHeaders:  []string{"Authorization", "Content-Type", "Accept", "Accept-Language", "X-Request-Id"},
		ExposedHeaders:  []string{"X-Request-Id", "WWW-Authenticate"},
		MaxAge:          corsMaxAge,
	})
	return c.Handler(next)
}

// originAllowed matches an Origin header against the host patterns exactly
// as the websocket transport does (coder/websocket AcceptOptions.OriginPatterns):
// path.Match syntax, case-insensitive, against the origin's host — or against
// scheme://host when the pattern names a scheme.
func originAllowed(patterns []string, origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	for _, p := range patterns {
		target := u.Host
		if strings.Contains(p, "://") {
			target = u.Scheme + "://" + u.Host
		}
		if ok, err := path.Match(strings.ToLower(p), strings.ToLower(target)); err == nil && ok {
			return true
		}
	}
	return false
}

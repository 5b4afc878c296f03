package webadmin_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	webadmin "github.com/mashang/mashang/web-admin"
)

func get(t *testing.T, h http.Handler, method, target string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec.Result()
}

// Deep links of the SPA's routes load index.html; the router decides.
func TestDeepLinksServeTheApp(t *testing.T) {
	h := webadmin.Handler()
	for _, p := range []string{"/", "/tree", "/tree/220104", "/sites/12", "/login?next=%2Ftree", "/index.html"} {
		t.Run(p, func(t *testing.T) {
			res := get(t, h, http.MethodGet, p)
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `<div id="root">`) {
				t.Fatalf("GET %s: %d %q, want index.html", p, res.StatusCode, body)
			}
			if res.Header.Get("Cache-Control") != "no-cache" {
				t.Errorf("GET %s: Cache-Control %q, want no-cache", p, res.Header.Get("Cache-Control"))
			}
			if !strings.Contains(res.Header.Get("Content-Security-Policy"), "connect-src 'self'") {
				t.Errorf("GET %s: no same-origin CSP: %q", p, res.Header.Get("Content-Security-Policy"))
			}
		})
	}
}

// A file that does not exist is a 404, not the app (a stale asset must
// fail loudly, not be parsed as HTML).
func TestMissingFilesAreNotFound(t *testing.T) {
	h := webadmin.Handler()
	for _, p := range []string{"/assets/gone-123.js", "/favicon.ico", "/tree/x.png"} {
		if res := get(t, h, http.MethodGet, p); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, res.StatusCode)
		}
	}
	if res := get(t, h, http.MethodPost, "/tree"); res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /tree: %d, want 405", res.StatusCode)
	}
}

// The built assets are served with a long cache life (their names carry
// their content hash).
func TestAssetsAreServedAndCached(t *testing.T) {
	h := webadmin.Handler()
	res := get(t, h, http.MethodGet, "/")
	body, _ := io.ReadAll(res.Body)
	i := strings.Index(string(body), `src="/assets/`)
	if i < 0 {
		t.Fatalf("index.html names no script under /assets/: %s", body)
	}
	src := string(body[i+len(`src="`):])
	src = src[:strings.IndexByte(src, '"')]
	res = get(t, h, http.MethodGet, src)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "javascript") {
		t.Fatalf("GET %s: %d %s", src, res.StatusCode, res.Header.Get("Content-Type"))
	}
	if !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("GET %s: Cache-Control %q", src, res.Header.Get("Cache-Control"))
	}
}

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

// The scan station's PWA files (issue 14) are served as themselves, not
// swallowed by the SPA fallback, with their types, and revalidated on
// every load: a service worker cached forever would pin an old build.
func TestStationPWAFilesAreServed(t *testing.T) {
	h := webadmin.Handler()
	for p, want := range map[string]string{
		"/sw.js":                "text/javascript",
		"/manifest.webmanifest": "application/manifest+json",
		"/station-icon-192.png": "image/png",
		"/station-icon-512.png": "image/png",
		"/station-icon.svg":     "image/svg+xml",
	} {
		res := get(t, h, http.MethodGet, p)
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK || strings.Contains(string(body), `<div id="root">`) {
			t.Errorf("GET %s: %d, want the file itself", p, res.StatusCode)
			continue
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, want) {
			t.Errorf("GET %s: Content-Type %q, want %s", p, ct, want)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", p, cc)
		}
	}
	// The service worker precaches the app and answers /station offline.
	res := get(t, h, http.MethodGet, "/sw.js")
	body, _ := io.ReadAll(res.Body)
	for _, want := range []string{"index.html", "/station"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("sw.js does not mention %q", want)
		}
	}
	// The manifest names the station and its icons.
	res = get(t, h, http.MethodGet, "/manifest.webmanifest")
	body, _ = io.ReadAll(res.Body)
	for _, want := range []string{"码上扫码工作台", `"start_url":"/station"`, "station-icon-192.png"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("manifest.webmanifest does not contain %q: %s", want, body)
		}
	}
}

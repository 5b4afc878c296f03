// Package webadmin serves the admin single-page application built into
// dist/ by `make web` (Vite; sources in src/). dist/ is committed, so the
// binary needs no Node to build.
package webadmin

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed dist
var dist embed.FS

// contentSecurityPolicy keeps the SPA on its own origin: scripts, styles,
// fonts, images and API calls (websocket included) come from the server
// only, never a CDN or a map-tile host. antd writes its CSS-in-JS into
// <style> elements, hence 'unsafe-inline' for styles (never for scripts);
// the site-code poster's QR image is a data: URL.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; " +
	"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// rootTypes are content types Go's mime table may not know, or may know
// differently per system (/etc/mime.types): the service worker must be
// JavaScript, the manifest application/manifest+json.
var rootTypes = map[string]string{
	".js":          "text/javascript; charset=utf-8",
	".webmanifest": "application/manifest+json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
}

// Handler serves the SPA: a file of dist/ when the path names one, and
// index.html for any other path without a file extension, so that deep
// links (/tree/220104, /sites/12) load the app and its router decides what
// they show. A missing file (/assets/gone.js) is a 404, not the app.
// Content-hashed files under /assets/ are cached for a year; index.html is
// revalidated on every load so a new binary's build is picked up at once.
//
// The scan station's PWA files (issue 14; vite.config.ts) sit at the root:
// the service worker /sw.js and the web manifest are served with their
// proper types and revalidated on every load (a service worker cached for
// long would keep serving an old build), and so are the other files at the
// root (the icons), whose names carry no hash.
func Handler() http.Handler {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err)
	}
	index, err := fs.ReadFile(sub, "index.html")
	if err != nil {
		panic("web-admin/dist/index.html is missing: run make web")
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if name != "" && name != "index.html" {
			if st, err := fs.Stat(sub, name); err == nil && !st.IsDir() {
				if strings.HasPrefix(name, "assets/") {
					w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				} else {
					w.Header().Set("Cache-Control", "no-cache")
				}
				if ct, ok := rootTypes[path.Ext(name)]; ok {
					w.Header().Set("Content-Type", ct)
				}
				files.ServeHTTP(w, r)
				return
			}
			if path.Ext(name) != "" {
				http.NotFound(w, r)
				return
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(index)
	})
}

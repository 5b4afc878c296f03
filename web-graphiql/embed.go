// Package webgraphiql serves GraphiQL from the binary: the page in src/ and
// the pinned GraphiQL, React and ReactDOM builds, copied into dist/ by
// `make graphiql` from package-lock.json. No file comes from a CDN, so
// GraphiQL works on a network without internet.
package webgraphiql

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed dist
var dist embed.FS

// Page serves GraphiQL's page (dist/index.html).
func Page() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := dist.ReadFile("dist/index.html")
		if err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(body)
	})
}

// Assets serves the scripts and style sheet the page loads, under prefix
// (e.g. "/graphiql/assets/").
func Assets(prefix string) http.Handler {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err)
	}
	return http.StripPrefix(prefix, http.FileServerFS(sub))
}

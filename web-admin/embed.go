// Package webadmin serves the admin single-page application built into dist/.
// Until the SPA issue lands, dist/ holds a small page that browses the
// jurisdiction tree through the GraphQL API.
package webadmin

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed dist
var dist embed.FS

// Handler serves the SPA's files.
func Handler() http.Handler {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err)
	}
	return http.FileServerFS(sub)
}

package httpserver_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
)

// GraphiQL's page loads nothing from another host, and every file it loads
// is served from the binary. (internal/httpaudit opens it in Chromium with
// the network off.)
func TestGraphiQLServedFromTheBinary(t *testing.T) {
	srv := apitest.New(t, dbtest.Open(t, "sqlite3", database.Options{}), httpserver.Config{})
	status, page := srv.Get("/graphiql")
	if status != http.StatusOK || !strings.Contains(page, `id="graphiql"`) {
		t.Fatalf("GET /graphiql = %d %.200s", status, page)
	}
	refs := regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(refs) < 4 {
		t.Fatalf("the page loads %d files, want GraphiQL, its style sheet, React and ReactDOM:\n%s", len(refs), page)
	}
	for _, ref := range refs {
		if !strings.HasPrefix(ref[1], "/graphiql/assets/") {
			t.Errorf("the page loads %s from outside the binary", ref[1])
			continue
		}
		if status, body := srv.Get(ref[1]); status != http.StatusOK || len(body) == 0 {
			t.Errorf("GET %s = %d (%d bytes)", ref[1], status, len(body))
		}
	}
	status, body := srv.Get("/graphiql/assets/manifest.json")
	var manifest struct {
		Files map[string]struct{ Package, Version string } `json:"files"`
	}
	if status != http.StatusOK || json.Unmarshal([]byte(body), &manifest) != nil {
		t.Fatalf("GET /graphiql/assets/manifest.json = %d %.200s", status, body)
	}
	if v := manifest.Files["graphiql.min.js"]; v.Package != "graphiql" || v.Version == "" {
		t.Errorf("manifest does not pin graphiql.min.js: %+v", manifest.Files)
	}
}

package httpaudit_test

import (
	"os"
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
)

// GraphiQL works without internet: every file it loads comes from the
// server, so in Chromium with all requests off localhost refused it renders
// its editor and runs { __typename }. Served from the binary, it needs no
// database of its own: SQLite only.
func TestGraphiQLWorksOffline(t *testing.T) {
	chromium := os.Getenv("MASHANG_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium is required on CI (apt-get install chromium): %v", err)
		}
		t.Skipf("no chromium at %s (set MASHANG_CHROMIUM): %v", chromium, err)
	}
	srv := apitest.New(t, dbtest.Open(t, "sqlite3", database.Options{}), httpserver.Config{})
	t.Log(runNode(t, "graphiql.mjs", srv.URL, chromium))
}

package httpserver_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
)

func TestEndpoints(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		srv := apitest.New(t, db, httpserver.Config{})
		for path, want := range map[string]string{
			"/healthz":  "ok",
			"/readyz":   "ready",
			"/graphiql": "<html",
			"/":         "码上",
		} {
			status, body := srv.Get(path)
			if status != http.StatusOK || !strings.Contains(body, want) {
				t.Errorf("GET %s = %d %.80q, want 200 containing %q", path, status, body, want)
			}
		}

		// A named operation shows up in the metrics and the access log, but
		// its variables never reach the log.
		const secret = "110105194912310025"
		resp := srv.Query(`query LookUpRegion($c: String!) { regionByCode(code: $c) { name } }`, map[string]any{"c": secret})
		if len(resp.Errors) == 0 {
			t.Fatal("expected NOT_FOUND for an unknown code")
		}
		_, metrics := srv.Get("/metrics")
		for _, want := range []string{
			`mashang_graphql_operations_total{operation="LookUpRegion",outcome="error",type="query"} 1`,
			`mashang_http_requests_total{code="200",method="POST",route="/graphql"}`,
			`go_sql_open_connections{db_name="main"}`,
		} {
			if !strings.Contains(metrics, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
		logs := srv.Logs()
		if !strings.Contains(logs, `"operation":"LookUpRegion"`) || !strings.Contains(logs, `"request_id":"`) {
			t.Errorf("access log lacks operation or request id:\n%s", logs)
		}
		if strings.Contains(logs, secret[:12]) {
			t.Errorf("SECURITY: the access log holds request variables:\n%s", logs)
		}
	})
}

func TestReadyzReportsDatabaseDown(t *testing.T) {
	db := dbtest.Open(t, "sqlite3", database.Options{})
	srv := apitest.New(t, db, httpserver.Config{})
	db.SQL.Close()
	status, body := srv.Get("/readyz")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "database") {
		t.Fatalf("readyz with a closed database = %d %q", status, body)
	}
}

func TestRequestIDEchoed(t *testing.T) {
	db := dbtest.Open(t, "sqlite3", database.Options{})
	srv := apitest.New(t, db, httpserver.Config{})
	req, _ := http.NewRequest("GET", srv.URL+"/healthz", nil)
	req.Header.Set("X-Request-Id", "abc123")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("X-Request-Id"); got != "abc123" {
		t.Fatalf("X-Request-Id = %q", got)
	}
}

package httpserver_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/token"
)

func TestEndpoints(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		srv := apitest.New(t, db, httpserver.Config{})
		for path, want := range map[string]string{
			"/healthz":     "ok",
			"/readyz":      "ready",
			"/graphiql":    "<html",
			"/":            "码上",
			"/tree/220104": `<div id="root">`, // a deep link of the SPA (web-admin/embed.go)
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
		b := mashang.ReadBuild()
		if !strings.HasPrefix(b.GoVersion, "go") {
			t.Errorf("build info without a Go version: %+v", b)
		}
		for _, want := range []string{
			`mashang_graphql_operations_total{operation="regionByCode",outcome="error",type="query"} 1`,
			`mashang_http_requests_total{code="200",method="POST",route="/graphql"}`,
			`go_sql_open_connections{db_name="main"}`,
			`mashang_alert_subscribers 0`,
			`mashang_alert_pushes_dropped_total 0`,
			// Labels in alphabetical order, as the exposition format writes them.
			fmt.Sprintf(`mashang_build_info{goversion=%q,revision=%q,version=%q} 1`, b.GoVersion, b.Revision, b.Version),
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

// Another province verifies this deployment's codes offline with nothing but
// the published keys (DESIGN.md §7).
func TestPublishedCodeKeysVerifyIssuedCodes(t *testing.T) {
	db := dbtest.Open(t, "sqlite3", database.Options{})
	srv := apitest.New(t, db, httpserver.Config{})
	status, body := srv.Get("/.well-known/health-code-keys")
	if status != http.StatusOK {
		t.Fatalf("GET /.well-known/health-code-keys = %d %s", status, body)
	}
	set, err := token.ParseKeySet([]byte(body))
	if err != nil || set.Issuer != "22" || len(set.Keys) != 1 {
		t.Fatalf("published set %+v, %v", set, err)
	}
	now := time.Now()
	code, _, err := srv.Services.Signer.Issue(token.KindPerson, 42, token.ColourGreen, 5*time.Minute, now)
	if err != nil {
		t.Fatal(err)
	}
	elsewhere := token.NewTrustList(nil)
	if err := elsewhere.AddKeySet(set); err != nil {
		t.Fatal(err)
	}
	claims, err := elsewhere.Verify(code, now)
	if err != nil || claims.Subject != 42 || claims.Colour != token.ColourGreen || claims.Issuer != "22" {
		t.Fatalf("verify with the published keys: %+v, %v", claims, err)
	}
	if strings.Contains(body, "\"d\"") || strings.Contains(strings.ToLower(body), "private") {
		t.Fatalf("SECURITY: the published key set holds private material: %s", body)
	}
}

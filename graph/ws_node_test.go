package graph_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/internal/apitest"
)

// graphqlWSClient installs the npm graphql-ws client pinned in
// testdata/graphql-ws (once, into the user's cache folder) and returns the
// folder holding it and client.cjs. Without node and npm the test fails on
// CI and is skipped elsewhere.
func graphqlWSClient(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is needed to run the graphql-ws client: %v", tool, err)
			}
			t.Skipf("%s not found: the graphql-ws client test runs on CI", tool)
		}
	}
	pkg, err := os.ReadFile("testdata/graphql-ws/package.json")
	if err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile("testdata/graphql-ws/client.cjs")
	if err != nil {
		t.Fatal(err)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	sum := sha256.Sum256(pkg)
	dir := filepath.Join(cache, "mashang-test", "graphql-ws-"+hex.EncodeToString(sum[:8]))
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "graphql-ws", "package.json")); err != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "package.json"), pkg, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("npm", "install", "--no-audit", "--no-fund", "--no-package-lock")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm install: %v\n%s", err, out)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "client.cjs"), script, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// graphqlWSResult is what client.cjs reports.
type graphqlWSResult struct {
	Connects int
	Closes   []struct {
		Code   int
		Reason string
	}
	Ended string
}

// runGraphqlWS runs client.cjs against srv with token; connected runs when
// the connection is acknowledged.
func runGraphqlWS(t *testing.T, dir string, srv *apitest.Server, token string, wait time.Duration, connected func()) graphqlWSResult {
	t.Helper()
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/graphql"
	cmd := exec.Command("node", "client.cjs", url, token, itoaMillis(wait))
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var res graphqlWSResult
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		line := lines.Text()
		switch {
		case line == "connected" && connected != nil:
			connected()
		case strings.HasPrefix(line, "{"):
			if err := json.Unmarshal([]byte(line), &res); err != nil {
				t.Fatalf("client.cjs printed %q: %v", line, err)
			}
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("client.cjs: %v", err)
	}
	return res
}

func itoaMillis(d time.Duration) string {
	b, _ := json.Marshal(d.Milliseconds())
	return string(b)
}

func closeCodes(r graphqlWSResult) []int {
	var codes []int
	for _, c := range r.Closes {
		codes = append(codes, c.Code)
	}
	return codes
}

// The reference client (npm graphql-ws, default retry rules) with a bad
// token is refused once, with a reason, and gives up: no reconnection
// storm. A session that ends while subscribed closes with 4403; the one
// retry the client allows itself for 4403 meets 4401 and it stops.
func TestGraphqlWSClientDoesNotStormForAnonymousCaller(t *testing.T) {
	dir := graphqlWSClient(t)
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		srv := apitest.New(t, db, fastWebsocket)
		t.Run("BadToken", func(t *testing.T) {
			res := runGraphqlWS(t, dir, srv, "msa_not-a-token", 8*time.Second, nil)
			if res.Connects != 1 || len(res.Closes) != 1 || res.Closes[0].Code != 4401 || res.Closes[0].Reason == "" ||
				res.Ended != "error 4401" {
				t.Fatalf("the graphql-ws client with a bad token: %+v", res)
			}
		})
		t.Run("SessionEndsWhileSubscribed", func(t *testing.T) {
			tok := srv.LoginInitiator()
			res := runGraphqlWS(t, dir, srv, tok, 20*time.Second, func() {
				srv.QueryAs(tok, `mutation { logout }`, nil).Decode(t, &struct{}{})
			})
			if res.Connects != 2 || len(res.Closes) != 2 || res.Ended != "error 4401" ||
				res.Closes[0].Code != 4403 || !strings.Contains(res.Closes[0].Reason, "logged out") || res.Closes[1].Code != 4401 {
				t.Fatalf("the graphql-ws client whose session ended: %+v (codes %v)", res, closeCodes(res))
			}
		})
	})
}

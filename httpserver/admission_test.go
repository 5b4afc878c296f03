package httpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/scan"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/sites"
	"github.com/mashang/mashang/validate"
)

// Issue 15 point 4: past the requests in flight its class may have, a
// request is answered at once with 503, Retry-After and OVERLOADED, and
// nothing of it is done; a scan is still admitted while reads are full;
// a scan that was admitted is stored. The slots are filled by requests
// held (deterministically) inside the server.
func TestAFullClassIsAnsweredOverloadedWhileScansStillPass(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		srv := apitest.New(t, db, httpserver.Config{Admission: httpserver.Admission{
			Scans: 1, Reads: 1, Analytics: 1, Total: -1, Wait: -1, RetryAfter: 2 * time.Second}})
		scanner, site := newDoor(t, srv)
		h := holdRequests(t)

		readDone := h.send(srv, "", `{ viewer { id } }`, nil)
		if c := <-h.held; c != httpserver.ClassRead {
			t.Fatalf("held a %v, want a read", c)
		}
		shed := post(t, srv, "", `{ __typename }`, nil, "")
		wantOverloaded(t, "a second read", shed, "2 秒")
		if en := post(t, srv, "", `{ __typename }`, nil, "en"); !strings.Contains(en.message(), "try again in 2 seconds") {
			t.Errorf("the English message is %q", en.message())
		}
		for _, path := range []string{"/healthz", "/metrics"} {
			if status, _ := srv.Get(path); status != http.StatusOK {
				t.Errorf("%s answered %d while reads are full", path, status)
			}
		}
		// A websocket (subscriptions) is not shed.
		ws, _, err := websocket.Dial(context.Background(), "ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql",
			&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
		if err != nil {
			t.Errorf("a websocket was refused while reads are full: %v", err)
		} else {
			ws.Close(websocket.StatusNormalClosure, "")
		}

		// Reads are full: a scan still passes, and is stored.
		if a := post(t, srv, scanner, recordScan, scanVars(site, "adm-1"), ""); a.status != http.StatusOK || len(a.Errors) > 0 {
			t.Fatalf("a scan while reads are full: %d %+v", a.status, a.Errors)
		}
		wantStored(t, db, "adm-1", 1)

		// Scans full: the next scan is shed and nothing of it is stored;
		// the one held, once it answers, is stored.
		scanDone := h.send(srv, scanner, recordScan, scanVars(site, "adm-2"))
		if c := <-h.held; c != httpserver.ClassScan {
			t.Fatalf("held a %v, want a scan", c)
		}
		wantOverloaded(t, "a second scan", post(t, srv, scanner, recordScan, scanVars(site, "adm-3"), ""), "2 秒")
		wantStored(t, db, "adm-3", 0)
		close(h.release)
		if a := <-scanDone; a.status != http.StatusOK || len(a.Errors) > 0 || !strings.Contains(string(a.Data["recordScan"]), `"id"`) {
			t.Fatalf("the held scan answered %d %s %+v", a.status, a.Data["recordScan"], a.Errors)
		}
		wantStored(t, db, "adm-2", 1)
		if a := <-readDone; a.status != http.StatusOK {
			t.Errorf("the held read answered %d %+v", a.status, a.Errors)
		}
		if a := post(t, srv, "", `{ __typename }`, nil, ""); a.status != http.StatusOK {
			t.Errorf("a read after the slots came free: %d %+v", a.status, a.Errors)
		}
		_, metrics := srv.Get("/metrics")
		for _, want := range []string{`mashang_requests_shed_total{class="read"} 2`, `mashang_requests_shed_total{class="scan"} 1`,
			`mashang_requests_shed_total{class="analytics"} 0`} {
			if !strings.Contains(metrics, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
	})
}

const recordScan = `mutation($in: ScanInput!) { recordScan(input: $in) { id decision } }`

func scanVars(site int, clientID string) map[string]any {
	return map[string]any{"in": map[string]any{"clientId": clientID, "site": site, "method": "MANUAL",
		"manual": map[string]any{"name": "张三", "idNumber": "11010519491231002X"}, "temperature": 36.5,
		"latitude": 43.86, "longitude": 125.31}}
}

func wantOverloaded(t *testing.T, what string, a answer, zh string) {
	t.Helper()
	if a.status != http.StatusServiceUnavailable || a.retryAfter != "2" || len(a.Errors) != 1 || a.Errors[0].Code() != mashang.EOVERLOADED {
		t.Fatalf("%s: answered %d, Retry-After %q, %+v; want 503, 2, OVERLOADED", what, a.status, a.retryAfter, a.Errors)
	}
	if secs, _ := a.Errors[0].Extensions["retryAfterSeconds"].(float64); secs != 2 {
		t.Errorf("%s: retryAfterSeconds %v", what, a.Errors[0].Extensions["retryAfterSeconds"])
	}
	if !strings.Contains(a.message(), zh) {
		t.Errorf("%s: message %q, want Chinese naming %s", what, a.message(), zh)
	}
	if a.Data != nil {
		t.Errorf("%s: data %v in an answer to a request never executed", what, a.Data)
	}
}

func wantStored(t *testing.T, db *database.DB, clientID string, n int) {
	t.Helper()
	got, err := db.Client.Scan.Query().Where(scan.ClientID(clientID)).Count(context.Background())
	if err != nil || got != n {
		t.Errorf("scans of client id %s: %d (%v), want %d", clientID, got, err, n)
	}
}

// holder holds requests sent with X-Test-Hold inside the server, their
// admission slot taken, until release is closed.
type holder struct {
	t       *testing.T
	held    chan httpserver.Class
	release chan struct{}
}

func holdRequests(t *testing.T) *holder {
	h := &holder{t: t, held: make(chan httpserver.Class), release: make(chan struct{})}
	restore := httpserver.OnAdmit(func(r *http.Request, c httpserver.Class) {
		if r.Header.Get("X-Test-Hold") != "" {
			h.held <- c
			<-h.release
		}
	})
	t.Cleanup(func() {
		select {
		case <-h.release:
		default:
			close(h.release)
		}
		restore()
	})
	return h
}

// send posts a held request; its answer comes on the channel.
func (h *holder) send(srv *apitest.Server, token, query string, vars map[string]any) <-chan answer {
	done := make(chan answer, 1)
	go func() {
		a, err := exchange(srv, token, query, vars, "", true)
		if err != nil {
			h.t.Error(err)
		}
		done <- a
	}()
	return done
}

type answer struct {
	status     int
	retryAfter string
	Data       map[string]json.RawMessage `json:"data"`
	Errors     []apitest.Error            `json:"errors"`
}

func (a answer) message() string {
	if len(a.Errors) == 0 {
		return ""
	}
	return a.Errors[0].Message
}

func post(t *testing.T, srv *apitest.Server, token, query string, vars map[string]any, lang string) answer {
	t.Helper()
	a, err := exchange(srv, token, query, vars, lang, false)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func exchange(srv *apitest.Server, token, query string, vars map[string]any, lang string, hold bool) (answer, error) {
	var a answer
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		return a, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	if hold {
		req.Header.Set("X-Test-Hold", "1")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return a, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a.status, a.retryAfter = resp.StatusCode, resp.Header.Get("Retry-After")
	if err := json.Unmarshal(raw, &a); err != nil {
		return a, fmt.Errorf("status %d, not GraphQL JSON: %s", resp.StatusCode, raw)
	}
	return a, nil
}

// newDoor makes an enabled site and an ORDINARY scanner of it (with its
// own green code, seed 001 §7) and returns the scanner's access token and
// the site's id.
func newDoor(t *testing.T, srv *apitest.Server) (string, int) {
	t.Helper()
	ctx := context.Background()
	tr := apitest.NewTree(t, srv.DB.Client)
	tr.Add("", "22", "吉林省")
	tr.Add("22", "2201", "长春市")
	tr.Add("2201", "220104", "朝阳区")
	tr.Add("220104", "220104001", "前进街道")
	community := tr.Add("220104001", "220104001001", "前进社区")
	acct, _, err := srv.Services.Auth.BootstrapInitiator(ctx, "发起扫码员", apitest.InitiatorPhone, apitest.InitiatorPassword)
	if err != nil {
		t.Fatal(err)
	}
	asInitiator := mashang.NewContextWithViewer(ctx, &mashang.Viewer{UserID: acct.HolderID, AccountID: acct.ID,
		Role: mashang.RoleInitiator, ScopePath: acct.ScopePath, AccountPath: acct.AccountPath})
	lat, lng := 43.86, 125.31
	site, err := sites.Create(ctx, srv.DB.Client, nil, sites.Input{Name: "超市", Category: scenario.ShoppingDining,
		Built: true, Enabled: true, Latitude: &lat, Longitude: &lng, RegionID: community.ID})
	if err != nil {
		t.Fatal(err)
	}
	first17 := "22010419800101001"
	d, err := validate.ResidentIDCheckDigit(first17)
	if err != nil {
		t.Fatal(err)
	}
	const phone, password = "13700000001", "scanner-test-pass"
	if _, err := srv.Services.Accounts.Create(asInitiator, accounts.CreateInput{Role: mashang.RoleOrdinary, ScopeSiteID: site.ID,
		Holder: accounts.Holder{Name: "扫码员", Phone: phone, IDNumber: first17 + string(d), Password: password}}); err != nil {
		t.Fatal(err)
	}
	return srv.Login(phone, password), site.ID
}

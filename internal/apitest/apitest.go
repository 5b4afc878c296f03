// Package apitest runs the real HTTP handler over a test database and sends
// GraphQL requests to it, for the integration tests of every package.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/app"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/token"
	"github.com/mashang/mashang/tree"
)

// Server is a running test server.
type Server struct {
	*httptest.Server
	DB       *database.DB
	Services *app.Services
	log      *syncWriter
	t        testing.TB
	box      *pii.Box
	signer   *token.Signer
}

// New starts the real handler over db, with the services a server builds
// (a random personal-data key; the scope filter installed on db.Client).
func New(t testing.TB, db *database.DB, cfg httpserver.Config) *Server {
	t.Helper()
	logs := &syncWriter{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	box, err := pii.NewBox(pii.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	key := token.GenerateKey()
	key.ID = 7
	return start(t, db, cfg, box, &token.Signer{Issuer: "22", Current: key}, logs, logger)
}

func start(t testing.TB, db *database.DB, cfg httpserver.Config, box *pii.Box, signer *token.Signer, logs *syncWriter, logger *slog.Logger) *Server {
	t.Helper()
	svc, err := app.NewServices(db, box, app.ServiceConfig{Signer: signer}, logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Alerts.Broker.Close() })
	h := httpserver.New(db, svc.Deps(db), cfg, logger, prometheus.NewRegistry())
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &Server{Server: srv, DB: db, Services: svc, log: logs, t: t, box: box, signer: signer}
}

// Replica starts a second server over the same database as another replica
// of the deployment would run: its own connections, services and alert
// broker, the same keys. Only for PostgreSQL (an SQLite file has one
// process).
func (s *Server) Replica(cfg httpserver.Config) *Server {
	s.t.Helper()
	db, err := database.Open(context.Background(), s.DB.URL, database.Options{})
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { db.Close() })
	logs := &syncWriter{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return start(s.t, db, cfg, s.box, s.signer, logs, logger)
}

// Login logs in and returns the access token.
func (s *Server) Login(phone, password string) string {
	s.t.Helper()
	var got struct{ Login struct{ AccessToken string } }
	s.Query(`mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { accessToken } }`,
		map[string]any{"p": phone, "w": password}).Decode(s.t, &got)
	return got.Login.AccessToken
}

// QueryAs posts an operation with a bearer token ("" for none).
func (s *Server) QueryAs(token, query string, vars map[string]any) *Response {
	s.t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		s.t.Fatal(err)
	}
	return s.post(token, body)
}

// Error is one GraphQL error.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Code returns extensions.code.
func (e Error) Code() string { s, _ := e.Extensions["code"].(string); return s }

// Response is a decoded GraphQL response.
type Response struct {
	Status int
	Data   json.RawMessage `json:"data"`
	Errors []Error         `json:"errors"`
	// Extensions is the response's extensions (cost: graph/cost.go).
	Extensions map[string]any `json:"extensions"`
}

// Decode unmarshals data into v, failing the test on errors.
func (r *Response) Decode(t testing.TB, v any) {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("unexpected GraphQL errors: %+v", r.Errors)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("decode data %s: %v", r.Data, err)
	}
}

// Codes lists the extensions.code of every error.
func (r *Response) Codes() []string {
	out := make([]string, len(r.Errors))
	for i, e := range r.Errors {
		out[i] = e.Code()
	}
	return out
}

// Query posts a GraphQL operation anonymously and decodes the answer.
func (s *Server) Query(query string, vars map[string]any) *Response {
	s.t.Helper()
	return s.QueryAs("", query, vars)
}

// Post sends a raw request body to /graphql.
func (s *Server) Post(body []byte) *Response {
	s.t.Helper()
	return s.post("", body)
}

func (s *Server) post(token string, body []byte) *Response {
	s.t.Helper()
	req, err := http.NewRequest("POST", s.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := &Response{Status: resp.StatusCode}
	if err := json.Unmarshal(raw, out); err != nil {
		s.t.Fatalf("response is not GraphQL JSON (status %d): %s", resp.StatusCode, raw)
	}
	return out
}

// Get fetches a path and returns status and body.
func (s *Server) Get(path string) (int, string) {
	s.t.Helper()
	resp, err := http.Get(s.URL + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Logs returns everything the server logged so far.
func (s *Server) Logs() string {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	return s.log.buf.String()
}

type syncWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

// Tree builds regions directly through ent, keeping path and child_count as
// the importer does; tests use it where the real division data is not needed.
type Tree struct {
	t      testing.TB
	client *ent.Client
	ByCode map[string]*ent.Region
}

// NewTree returns an empty tree builder.
func NewTree(t testing.TB, client *ent.Client) *Tree {
	return &Tree{t: t, client: client, ByCode: map[string]*ent.Region{}}
}

var levelByLen = map[int]region.Level{2: region.LevelPROVINCE, 4: region.LevelCITY, 6: region.LevelDISTRICT, 9: region.LevelSTREET, 12: region.LevelCOMMUNITY}

// Add creates a region under the region with parentCode ("" for a province).
func (tr *Tree) Add(parentCode, code, name string) *ent.Region {
	tr.t.Helper()
	ctx := context.Background()
	parentPath := ""
	create := tr.client.Region.Create().SetCode(code).SetName(name).SetLevel(levelByLen[len(code)])
	if parentCode != "" {
		p := tr.ByCode[parentCode]
		if p == nil {
			tr.t.Fatalf("parent %s not added yet", parentCode)
			return nil
		}
		parentPath = p.Path
		create.SetParentID(p.ID)
		if err := tr.client.Region.UpdateOneID(p.ID).AddChildCount(1).Exec(ctx); err != nil {
			tr.t.Fatal(err)
		}
	}
	r, err := create.SetPath(tree.RegionPath(parentPath, code)).Save(ctx)
	if err != nil {
		tr.t.Fatalf("add region %s: %v", code, err)
	}
	tr.ByCode[code] = r
	return r
}

// Fan adds n children named after their parent under parentCode, with codes
// parentCode + a zero-padded index of width digits.
func (tr *Tree) Fan(parentCode string, n, width int) []*ent.Region {
	tr.t.Helper()
	out := make([]*ent.Region, 0, n)
	for i := 1; i <= n; i++ {
		code := parentCode + fmt.Sprintf("%0*d", width, i)
		out = append(out, tr.Add(parentCode, code, tr.ByCode[parentCode].Name+"-"+strings.TrimPrefix(code, parentCode)))
	}
	return out
}

// Test logins of the province INITIATOR made by LoginInitiator.
const (
	InitiatorPhone    = "13900000009"
	InitiatorPassword = "initiator-test-pass"
)

// LoginInitiator creates the province INITIATOR (once) and logs in as it.
func (s *Server) LoginInitiator() string {
	s.t.Helper()
	if _, _, err := s.Services.Auth.BootstrapInitiator(context.Background(), "发起扫码员", InitiatorPhone, InitiatorPassword); err != nil {
		s.t.Fatal(err)
	}
	return s.Login(InitiatorPhone, InitiatorPassword)
}

// WaitSubscribers waits until at least n alert subscriptions are open on
// this server (a websocket subscription starts asynchronously).
func (s *Server) WaitSubscribers(n int) {
	s.t.Helper()
	c, ok := s.Services.Alerts.Broker.(alerts.SubscriberCounter)
	if !ok {
		s.t.Fatal("the alert broker does not count its subscribers")
	}
	deadline := time.Now().Add(10 * time.Second)
	for c.Subscribers() < n {
		if time.Now().After(deadline) {
			s.t.Fatalf("%d alert subscriptions open after 10 s, want %d", c.Subscribers(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

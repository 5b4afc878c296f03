package httpserver_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/netip"
	"strconv"
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
)

type limitAnswer struct {
	code       string
	retryAfter string // the HTTP header
	retrySecs  float64
}

// guess posts a wrong login for phone with an X-Forwarded-For of xff ("":
// none).
func guess(t *testing.T, srv *apitest.Server, phone, xff string) limitAnswer {
	t.Helper()
	body, _ := json.Marshal(map[string]any{
		"query":     `mutation($p: String!) { login(phone: $p, password: "wrong password!") { accessToken } }`,
		"variables": map[string]any{"p": phone},
	})
	req, _ := http.NewRequest("POST", srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Errors []struct {
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Errors) != 1 {
		t.Fatalf("answer: %+v %v", out, err)
	}
	a := limitAnswer{retryAfter: resp.Header.Get("Retry-After")}
	a.code, _ = out.Errors[0].Extensions["code"].(string)
	a.retrySecs, _ = out.Errors[0].Extensions["retryAfterSeconds"].(float64)
	return a
}

const guessedPhone = "13500135000"

// TestAProxyForwardedClientGetsItsOwnLimit: behind a trusted load balancer
// every client is counted on its own address, not the proxy's: one
// guesser's lock leaves the next client alone, and the locked one is told
// when to retry (Retry-After and extensions.retryAfterSeconds).
func TestAProxyForwardedClientGetsItsOwnLimit(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		srv := apitest.New(t, db, httpserver.Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}})
		for i := range 5 {
			if a := guess(t, srv, guessedPhone, "203.0.113.5"); a.code != "UNAUTHENTICATED" || a.retryAfter != "" {
				t.Fatalf("guess %d: %+v", i+1, a)
			}
		}
		a := guess(t, srv, guessedPhone, "203.0.113.5")
		if a.code != "RATE_LIMITED" {
			t.Fatalf("the sixth guess from one forwarded client: %+v, want RATE_LIMITED", a)
		}
		secs, err := strconv.Atoi(a.retryAfter)
		if err != nil || secs < 1 || secs > 60 || float64(secs) != a.retrySecs {
			t.Fatalf("Retry-After %q, extensions.retryAfterSeconds %v: want the same whole seconds, at most a minute", a.retryAfter, a.retrySecs)
		}
		if a := guess(t, srv, guessedPhone, "198.51.100.9"); a.code != "UNAUTHENTICATED" {
			t.Fatalf("another client behind the same proxy is limited too: %+v", a)
		}
	})
}

// TestASpoofedForwardedForFromAnUntrustedPeerIsIgnored: a client talking
// to the server directly cannot escape its limit by writing a new
// X-Forwarded-For on every request.
func TestASpoofedForwardedForFromAnUntrustedPeerIsIgnored(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		srv := apitest.New(t, db, httpserver.Config{})
		spoofed := []string{"203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5", "203.0.113.6"}
		for i, xff := range spoofed {
			a := guess(t, srv, guessedPhone, xff)
			want := "UNAUTHENTICATED"
			if i == 5 {
				want = "RATE_LIMITED"
			}
			if a.code != want {
				t.Fatalf("guess %d claiming to come from %s: %+v, want %s", i+1, xff, a, want)
			}
		}
	})
}

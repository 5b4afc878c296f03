package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/mashang/mashang/app"
)

// The whole of `mashang serve --demo` on an SQLite file: Run opens
// everything and serves, Close shuts it down.
func TestServer(t *testing.T) {
	var out bytes.Buffer
	s := app.NewServer(app.Config{
		Database:   filepath.Join(t.TempDir(), "serve.db"),
		Addr:       "127.0.0.1:0",
		Demo:       true,
		CodeIssuer: "22",
	}, slog.New(slog.NewTextHandler(io.Discard, nil)), &out)
	if err := s.Run(context.Background()); err != nil {
		s.Close()
		t.Fatal(err)
	}
	closed := false
	defer func() {
		if !closed {
			s.Close()
		}
	}()
	for _, want := range []string{"demo login (province INITIATOR)", "demo people:", "demo history:", "mashang is serving on " + s.URL() + "/"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("start-up output lacks %q:\n%s", want, out.String())
		}
	}
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(s.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if status, body := get("/readyz"); status != http.StatusOK {
		t.Fatalf("readyz = %d %s", status, body)
	}
	_, metrics := get("/metrics")
	if !strings.Contains(metrics, `mashang_build_info{goversion="`+runtime.Version()+`",`) || !strings.Contains(metrics, "go_goroutines") {
		t.Errorf("metrics lack the build info or the Go collector:\n%.2000s", metrics)
	}

	closed = true
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := http.Get(s.URL() + "/healthz"); err == nil {
		t.Error("still serving after Close")
	}
	select {
	case err := <-s.Stopped():
		t.Errorf("Stopped after Close: %v", err)
	default:
	}
}

// Run reports a start-up failure; Close then releases what was opened.
func TestServerRunFails(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	s := app.NewServer(app.Config{
		Database:   filepath.Join(t.TempDir(), "serve.db"),
		Addr:       busy.Addr().String(),
		CodeIssuer: "22",
	}, slog.New(slog.NewTextHandler(io.Discard, nil)), io.Discard)
	err = s.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "listen on "+busy.Addr().String()) {
		t.Fatalf("Run on a busy address = %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close after a failed Run: %v", err)
	}
}

package app

import (
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"testing"
)

// An operator who sets the profiler to a public address would publish the
// server's internals without a login: it does not start.
func TestAProfilerOnAPublicAddressIsRefused(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:6060", "example.com:6060"} {
		s := NewServer(Config{PprofAddr: addr}, slog.New(slog.NewTextHandler(io.Discard, nil)), io.Discard)
		err := s.startPprof()
		if err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("%s: got %v, want a refusal naming loopback", addr, err)
		}
		if s.pprof != nil {
			t.Errorf("%s: a profiler was started", addr)
		}
	}
}

func TestTheProfilerServesOnLoopbackUntilClosed(t *testing.T) {
	s := NewServer(Config{PprofAddr: "127.0.0.1:0"}, slog.New(slog.NewTextHandler(io.Discard, nil)), io.Discard)
	if err := s.startPprof(); err != nil {
		t.Fatal(err)
	}
	url := "http://" + s.pprofAddr + "/debug/pprof/cmdline"
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, res.Status)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if res, err := http.Get(url); err == nil {
		res.Body.Close()
		t.Fatalf("the profiler still answers after Close: %s", res.Status)
	}
}

func TestTheServerSetsItsCollectorTargetUnlessGOGCIsSet(t *testing.T) {
	t.Setenv("GOGC", "")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	s := NewServer(Config{GCPercent: 250}, slog.New(slog.NewTextHandler(io.Discard, nil)), io.Discard)
	s.tuneGC()
	if got := debug.SetGCPercent(100); got != 250 {
		t.Fatalf("GC percent %d, want 250", got)
	}
	t.Setenv("GOGC", "150")
	s.tuneGC()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GOGC is set, yet the server changed the GC percent to %d", got)
	}
}

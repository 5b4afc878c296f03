package app

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime/debug"
	"time"
)

// startPprof serves Go's profiler on its own loopback listener (issue 15:
// profile the read path of a running server). It is off unless PprofAddr
// is set.
func (s *Server) startPprof() error {
	if s.PprofAddr == "" {
		return nil
	}
	// SECURITY: a profile is no API: it answers without a login. Only a
	// loopback address keeps it to the machine (or an SSH tunnel).
	host, _, err := net.SplitHostPort(s.PprofAddr)
	if err != nil {
		return fmt.Errorf("--pprof-addr %q: %w", s.PprofAddr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--pprof-addr %q: the profiler listens on a loopback address only (127.0.0.1:PORT or [::1]:PORT)", s.PprofAddr)
	}
	ln, err := net.Listen("tcp", s.PprofAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (set MASHANG_PPROF_ADDR or --pprof-addr to another address)", s.PprofAddr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	s.pprof = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	s.pprofAddr = ln.Addr().String()
	s.logger.Info("profiler listening", "addr", ln.Addr().String())
	go func() {
		if err := s.pprof.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.logger.Warn("profiler stopped", "err", err)
		}
	}()
	return nil
}

// DefaultGCPercent is the collector's target of `mashang serve`: measured
// with BenchmarkPeer, GOGC=100 spent about a quarter of the CPU of a tree
// read collecting short-lived answer objects; 400 took most of that back
// for a few hundred MB more under 32 concurrent tree reads.
const DefaultGCPercent = 400

// tuneGC sets the collector's target unless the operator set GOGC.
func (s *Server) tuneGC() {
	if os.Getenv("GOGC") != "" || s.GCPercent == 0 {
		return
	}
	old := debug.SetGCPercent(s.GCPercent)
	s.logger.Debug("garbage collector", "gc_percent", s.GCPercent, "was", old)
}

package bench_test

import (
	"os"
	"runtime/debug"
	"testing"

	"github.com/mashang/mashang/app"
)

// TestMain runs the in-process benchmarks (the handler and the clients in
// one process) with the collector target `mashang serve` sets for itself
// (app.DefaultGCPercent), so they measure the server as it is deployed;
// GOGC, when set, wins as it does for the server.
func TestMain(m *testing.M) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(app.DefaultGCPercent)
	}
	os.Exit(m.Run())
}

package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
)

// Overload bench settings; BENCH_OVERLOAD_SECONDS and BENCH_OVERLOAD_FACTOR
// change the run's length and the offered load.
const (
	unloadedScans  = 300             // sequential scans: the unloaded latency
	phaseLength    = 6 * time.Second // of the capacity and the overload runs
	overloadFactor = 10              // offered load, times the capacity
	maxOutstanding = 4000            // requests the load generator keeps open at once
	// Connections to the server: without a cap, a starved machine makes
	// the generator open thousands, and the kernel's SYN retries (1 s,
	// 3 s, 7 s) become the latency measured. A request waits in the
	// client for one of these; its latency runs from when it has one.
	maxConns = 256
)

// BenchmarkOverload is issue 15 point 4's benchmark on PostgreSQL: the
// server's admission control at its defaults (from GOMAXPROCS and a pool
// of 20 connections) takes single recordScans, first one at a time
// (unloaded latency), then from a closed loop of as many clients as it has
// scan slots (its capacity: every scan admitted, none waiting), then at overloadFactor × that capacity from an open loop
// (fixed arrival rate, a goroutine per request, real HTTP over loopback).
// Latency runs from when the request has a connection (the generator keeps
// at most maxConns) to its answer. It reports accepted scans' p50/p99 against the unloaded p99, the share
// answered 503 OVERLOADED with Retry-After, the accepted throughput against
// the capacity, and the acknowledged scans missing from the database.
func BenchmarkOverload(b *testing.B) {
	sb := setupScans(b)
	seconds := phaseLength
	if s, err := strconv.Atoi(os.Getenv("BENCH_OVERLOAD_SECONDS")); err == nil && s > 0 {
		seconds = time.Duration(s) * time.Second
	}
	factor := float64(overloadFactor)
	if f, err := strconv.ParseFloat(os.Getenv("BENCH_OVERLOAD_FACTOR"), 64); err == nil && f > 0 {
		factor = f
	}
	// BENCH_OVERLOAD_SLOTS="4,2,1" runs the phases once for each number of
	// scan slots (MASHANG_MAX_INFLIGHT_SCANS), one after another in the
	// same run: the default first, then the others (tuning, measured).
	slotsList := []int{0}
	for _, f := range strings.Split(os.Getenv("BENCH_OVERLOAD_SLOTS"), ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
			slotsList = append(slotsList, n)
		}
	}
	// BENCH_OVERLOAD_WAIT (a duration; negative: none) sets the admission
	// wait (MASHANG_ADMISSION_WAIT) of every server of the run.
	wait, _ := time.ParseDuration(os.Getenv("BENCH_OVERLOAD_WAIT"))
	for i := 0; i < b.N; i++ {
		for _, want := range slotsList {
			// A second server over the same database with admission control
			// on (setupScans' own is off, for the engine benchmarks).
			srv := sb.srv.Replica(httpserver.Config{MaxBodyBytes: 4 << 20, Admission: httpserver.Admission{Scans: want, Wait: wait}})
			ob := &overloadBench{sb: sb, srv: srv, client: &http.Client{Timeout: 30 * time.Second,
				Transport: &http.Transport{MaxIdleConns: maxConns, MaxIdleConnsPerHost: maxConns, MaxConnsPerHost: maxConns}}}
			slots := httpserver.AdmissionDefaults(httpserver.Admission{Scans: want}, runtime.GOMAXPROCS(0), srv.DB.SQL.Stats().MaxOpenConnections).Scans
			ob.run = int(runSeq.Add(1))
			unloaded := ob.closedLoop(b, 1, unloadedScans, 0)
			capacity := ob.closedLoop(b, slots, 0, seconds)
			rate := factor * capacity.acceptedPerSecond()
			over := ob.openLoop(b, rate, seconds)
			lost := ob.lost(b, over.acked)
			ob.report(b, slots, unloaded, capacity, over, rate, lost, want == 0)
		}
	}
}

type overloadBench struct {
	sb     *scanBench
	srv    *apitest.Server
	client *http.Client
	run    int
	seq    atomic.Int64
}

// phase is what one load phase saw.
type phase struct {
	mu                       sync.Mutex
	accepted                 []time.Duration // latency of each acknowledged scan
	acked                    []string        // their client ids
	rejected, failed, unsent int
	rejectedNoRetryAfter     int
	elapsed                  time.Duration
	rejectedLatency          []time.Duration
	firstFailure             string
}

func (p *phase) acceptedPerSecond() float64 { return float64(len(p.accepted)) / p.elapsed.Seconds() }

func (p *phase) total() int { return len(p.accepted) + p.rejected + p.failed }

// scan sends one recordScan and files its outcome.
func (ob *overloadBench) scan(p *phase) {
	k := int(ob.seq.Add(1))
	c := k % len(ob.sb.scanners)
	clientID := fmt.Sprintf("o%d-%d", ob.run, k)
	payload, _ := json.Marshal(map[string]any{"query": recordScanMutation,
		"variables": map[string]any{"in": ob.sb.item(c, c, clientID, 7919*k+ob.run)}})
	req, _ := http.NewRequest(http.MethodPost, ob.srv.URL+"/graphql", bytes.NewReader(payload))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+ob.sb.scanners[c])
	t0 := time.Now()
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { t0 = time.Now() }}))
	resp, err := ob.client.Do(req)
	var out struct {
		Data struct {
			RecordScan *struct{ ID string }
		}
		Errors []apitest.Error
	}
	var status int
	if err == nil {
		status = resp.StatusCode
		raw, rerr := io.ReadAll(resp.Body)
		resp.Body.Close()
		if rerr == nil {
			err = json.Unmarshal(raw, &out)
		} else {
			err = rerr
		}
	}
	d := time.Since(t0)
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case err == nil && status == http.StatusOK && out.Data.RecordScan != nil && out.Data.RecordScan.ID != "":
		p.accepted = append(p.accepted, d)
		p.acked = append(p.acked, clientID)
	case err == nil && status == http.StatusServiceUnavailable && len(out.Errors) == 1 && out.Errors[0].Code() == mashang.EOVERLOADED:
		p.rejected++
		p.rejectedLatency = append(p.rejectedLatency, d)
		if resp.Header.Get("Retry-After") == "" {
			p.rejectedNoRetryAfter++
		}
	default:
		p.failed++
		if p.firstFailure == "" {
			p.firstFailure = fmt.Sprintf("status %d, error %v, errors %+v", status, err, out.Errors)
		}
	}
}

// closedLoop runs clients that each send their next scan when the last is
// answered: n scans in all, or for length when n is 0.
func (ob *overloadBench) closedLoop(b *testing.B, clients, n int, length time.Duration) *phase {
	p := &phase{}
	var sent atomic.Int64
	deadline := time.Now().Add(length)
	start := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for {
				if n > 0 && sent.Add(1) > int64(n) || n == 0 && time.Now().After(deadline) {
					return
				}
				ob.scan(p)
			}
		})
	}
	wg.Wait()
	p.elapsed = time.Since(start)
	if p.failed > 0 {
		b.Fatalf("closed loop of %d: %d scans failed: %s", clients, p.failed, p.firstFailure)
	}
	return p
}

// openLoop offers rate scans a second for length, each sent on time in its
// own goroutine whatever the server's answers (at most maxOutstanding open;
// a scan due beyond that is counted unsent).
func (ob *overloadBench) openLoop(b *testing.B, rate float64, length time.Duration) *phase {
	p := &phase{}
	slots := make(chan struct{}, maxOutstanding)
	interval := time.Duration(float64(time.Second) / rate)
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; ; i++ {
		due := start.Add(time.Duration(i) * interval)
		if due.Sub(start) >= length {
			break
		}
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		select {
		case slots <- struct{}{}:
			wg.Go(func() {
				defer func() { <-slots }()
				ob.scan(p)
			})
		default:
			p.mu.Lock()
			p.unsent++
			p.mu.Unlock()
		}
	}
	wg.Wait()
	p.elapsed = time.Since(start)
	if p.failed > 0 {
		b.Logf("overload: %d scans failed otherwise than OVERLOADED: %s", p.failed, p.firstFailure)
	}
	return p
}

// lost counts the acknowledged client ids that have no row.
func (ob *overloadBench) lost(b *testing.B, acked []string) int {
	stored := 0
	for chunk := range slices.Chunk(acked, 5000) {
		var n int
		err := ob.sb.db.SQL.QueryRowContext(context.Background(),
			`SELECT count(*) FROM scans WHERE client_id = ANY(string_to_array($1, ','))`, joinIDs(chunk)).Scan(&n)
		if err != nil {
			b.Fatal(err)
		}
		stored += n
	}
	return len(acked) - stored
}

func joinIDs(ids []string) string {
	var buf bytes.Buffer
	for i, id := range ids {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString(id)
	}
	return buf.String()
}

func pctMS(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return float64(s[int(p*float64(len(s)-1))].Microseconds()) / 1000
}

func (ob *overloadBench) report(b *testing.B, slots int, unloaded, capacity, over *phase, rate float64, lost int, metrics bool) {
	unloadedP99 := pctMS(unloaded.accepted, 0.99)
	overP99 := pctMS(over.accepted, 0.99)
	offered := over.total() + over.unsent
	if metrics {
		b.ReportMetric(pctMS(unloaded.accepted, 0.50), "unloaded-p50-ms")
		b.ReportMetric(unloadedP99, "unloaded-p99-ms")
		b.ReportMetric(capacity.acceptedPerSecond(), "capacity-scans/s")
		b.ReportMetric(rate, "offered-scans/s")
		b.ReportMetric(pctMS(over.accepted, 0.50), "accepted-p50-ms")
		b.ReportMetric(overP99, "accepted-p99-ms")
		b.ReportMetric(overP99/unloadedP99, "p99-to-unloaded")
		b.ReportMetric(over.acceptedPerSecond(), "accepted-scans/s")
		b.ReportMetric(over.acceptedPerSecond()/capacity.acceptedPerSecond(), "throughput-to-capacity")
		b.ReportMetric(float64(over.rejected)/float64(max(offered, 1)), "rejected-share")
		b.ReportMetric(float64(lost), "acked-lost")
		b.ReportMetric(0, "ns/op")
	}
	load, _ := os.ReadFile("/proc/loadavg")
	// Printed, not logged: `make bench` shows the table as it is.
	fmt.Printf(`
BenchmarkOverload: overload (GOMAXPROCS %d, %d scan slots, load average %s)
| phase | scans sent | accepted | 503 OVERLOADED | other failures | accepted/s | p50 ms | p99 ms |
|---|---|---|---|---|---|---|---|
| unloaded (1 client, closed loop) | %d | %d | %d | %d | %.0f | %.2f | %.2f |
| capacity (%d clients = scan slots, closed loop) | %d | %d | %d | %d | %.0f | %.2f | %.2f |
| overload (%.0f/s offered, open loop) | %d | %d | %d | %d | %.0f | %.2f | %.2f |
accepted p99 / unloaded p99 = %.2f (target ≤ 2); throughput under overload / capacity = %.2f;
rejected share %.1f%% (503 without Retry-After: %d; rejected p99 %.2f ms); not sent by the generator: %d;
acknowledged scans: %d, missing from the database: %d

`,
		runtime.GOMAXPROCS(0), slots, bytes.TrimSpace(load),
		unloaded.total(), len(unloaded.accepted), unloaded.rejected, unloaded.failed, unloaded.acceptedPerSecond(), pctMS(unloaded.accepted, 0.5), unloadedP99,
		slots, capacity.total(), len(capacity.accepted), capacity.rejected, capacity.failed, capacity.acceptedPerSecond(), pctMS(capacity.accepted, 0.5), pctMS(capacity.accepted, 0.99),
		rate, over.total(), len(over.accepted), over.rejected, over.failed, over.acceptedPerSecond(), pctMS(over.accepted, 0.5), overP99,
		overP99/unloadedP99, over.acceptedPerSecond()/capacity.acceptedPerSecond(),
		100*float64(over.rejected)/float64(max(offered, 1)), over.rejectedNoRetryAfter, pctMS(over.rejectedLatency, 0.99), over.unsent,
		len(over.acked), lost)
}

package bench_test

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mashang/mashang/audit"
)

const (
	auditRounds  = 3  // pairs of runs (chained, unchained) per b.N iteration
	auditBatches = 60 // batches of 500 per run: 30,000 scans
)

// BenchmarkAuditChain measures what chaining every audit event as it is
// written (issue 10 #7) costs the scan path: recordScans throughput,
// batches of 500 from 4 scanners at once through the HTTP handler on
// PostgreSQL, with the chain on (the advisory lock, the head read and the
// chained insert in each batch's transaction) and off (the event inserted
// unchained, as before), in the same run on the same database, the two
// interleaved (on-off, off-on, on-off) so that drift on a shared machine
// falls on both. Each batch writes one audit event.
//
//	go test -run '^$' -bench AuditChain -count 5 ./bench/
func BenchmarkAuditChain(b *testing.B) {
	sb := setupScans(b)
	var on, off []float64
	for i := 0; i < b.N; i++ {
		for r := 0; r < auditRounds; r++ {
			if r%2 == 0 {
				on = append(on, sb.batchRate(b, auditBatches))
				off = append(off, sb.unchainedRate(b))
			} else {
				off = append(off, sb.unchainedRate(b))
				on = append(on, sb.batchRate(b, auditBatches))
			}
		}
	}
	slices.Sort(on)
	slices.Sort(off)
	med := func(xs []float64) float64 { return xs[len(xs)/2] }
	b.ReportMetric(med(on), "chained-scans/s")
	b.ReportMetric(med(off), "unchained-scans/s")
	b.ReportMetric(med(on)/med(off), "chained/unchained")
	b.ReportMetric(0, "ns/op")
}

func (sb *scanBench) unchainedRate(b *testing.B) float64 {
	restore := audit.SetUnchainedForBenchmark()
	defer restore()
	return sb.batchRate(b, auditBatches)
}

// batchRate sends batches batches of 500 from batchClients scanners at once
// and returns scans per second.
func (sb *scanBench) batchRate(b *testing.B, batches int) float64 {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: batchClients}}
	n := int(runSeq.Add(1))
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failed error
	next := make(chan int)
	start := time.Now()
	for c := 0; c < batchClients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for batch := range next {
				items := make([]map[string]any, batchSize)
				for i := range items {
					items[i] = sb.item(c, c, fmt.Sprintf("a%d-b%d-%d", n, batch, i), batch*batchSize+i)
				}
				var out struct {
					Data struct {
						RecordScans struct{ Stored, Failed int }
					}
				}
				err := postAs(client, sb.srv.URL, sb.scanners[c], recordScansMutation, map[string]any{"in": items}, &out)
				if err == nil && out.Data.RecordScans.Stored != batchSize {
					err = fmt.Errorf("batch %d stored %d of %d (failed %d)", batch, out.Data.RecordScans.Stored, batchSize, out.Data.RecordScans.Failed)
				}
				if err != nil {
					mu.Lock()
					failed = err
					mu.Unlock()
				}
			}
		}(c)
	}
	for batch := 0; batch < batches; batch++ {
		next <- batch
	}
	close(next)
	wg.Wait()
	elapsed := time.Since(start)
	if failed != nil {
		b.Fatal(failed)
	}
	return float64(batches*batchSize) / elapsed.Seconds()
}

// auditSinglePerClient is how many recordScan calls each of the 64 clients
// makes per run (1,920 in all).
const auditSinglePerClient = 30

// BenchmarkAuditChainSingle is BenchmarkAuditChain for the single path:
// recordScan, one scan per call and so one audit event per scan, 64 clients
// in a closed loop. Every call takes the chain lock, so this is where
// chaining serialises writers most: their commits queue behind it.
//
//	go test -run '^$' -bench AuditChainSingle -count 5 ./bench/
func BenchmarkAuditChainSingle(b *testing.B) {
	sb := setupScans(b)
	var on, off []float64
	for i := 0; i < b.N; i++ {
		for r := 0; r < auditRounds; r++ {
			if r%2 == 0 {
				on = append(on, sb.singleRate(b))
				off = append(off, sb.unchainedSingleRate(b))
			} else {
				off = append(off, sb.unchainedSingleRate(b))
				on = append(on, sb.singleRate(b))
			}
		}
	}
	slices.Sort(on)
	slices.Sort(off)
	med := func(xs []float64) float64 { return xs[len(xs)/2] }
	b.ReportMetric(med(on), "chained-scans/s")
	b.ReportMetric(med(off), "unchained-scans/s")
	b.ReportMetric(med(on)/med(off), "chained/unchained")
	b.ReportMetric(0, "ns/op")
}

func (sb *scanBench) unchainedSingleRate(b *testing.B) float64 {
	restore := audit.SetUnchainedForBenchmark()
	defer restore()
	return sb.singleRate(b)
}

// singleRate runs 64 clients each sending auditSinglePerClient recordScan
// calls one after another and returns scans per second.
func (sb *scanBench) singleRate(b *testing.B) float64 {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: singleClients, MaxConnsPerHost: singleClients}}
	n := int(runSeq.Add(1))
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failed error
	start := time.Now()
	for c := 0; c < singleClients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := 0; i < auditSinglePerClient; i++ {
				k := c*auditSinglePerClient + i
				var out struct {
					Data struct{ RecordScan struct{ ID string } }
				}
				err := postAs(client, sb.srv.URL, sb.scanners[c], recordScanMutation,
					map[string]any{"in": sb.item(c, c, fmt.Sprintf("as%d-%d-%d", n, c, i), 7919*k+n)}, &out)
				if err == nil && out.Data.RecordScan.ID == "" {
					err = fmt.Errorf("no scan recorded")
				}
				if err != nil {
					mu.Lock()
					failed = err
					mu.Unlock()
				}
			}
		}(c)
	}
	wg.Wait()
	elapsed := time.Since(start)
	if failed != nil {
		b.Fatal(failed)
	}
	return float64(singleClients*auditSinglePerClient) / elapsed.Seconds()
}

package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/sites"
	"github.com/mashang/mashang/token"
	"github.com/mashang/mashang/validate"
)

const (
	scanPersons       = 20_000
	scanSites         = 64
	batchSize         = 500
	batchClients      = 4
	batchesPerRun     = 200 // 100 000 scans per b.N iteration
	singleClients     = 64
	singlePerClient   = 100
	feverEvery        = 50 // one scan in 50 is at 37.8 °C: YELLOW and an alert
	siteLat, siteLng  = 43.86, 125.31
	scanCodeTTL       = 30 * time.Minute
	benchScannerPass  = "scanner-bench-pass"
	benchInitiatorPwd = "initiator-bench-pass"
)

// runSeq makes every benchmark invocation's client ids new (the testing
// package calls a benchmark more than once, and a repeated id is a replay).
var runSeq atomic.Int64

type scanBench struct {
	// stmts counts the SQL statements the server sends (statements per
	// batch, issue 15 point 3).
	stmts    *dbtest.Counter
	srv      *apitest.Server
	db       *database.DB
	sites    []int
	scanners []string // access tokens, one per site
	codes    []string // a person's code each
}

// BenchmarkScans measures issue 4's targets on PostgreSQL with the colour
// rules, alerts, audit and every index on: batched recordScans (500 per
// call) in scans per second and as a ratio to a raw COPY of the same rows
// into the same table in the same run; and single recordScan latency at 64
// concurrent clients. Everything goes through the real HTTP handler.
func BenchmarkScans(b *testing.B) {
	sb := setupScans(b)
	// BENCH_ONLY_SINGLE / BENCH_ONLY_BATCH run one half (profiling aids);
	// BENCH_ONLY_SIDE_BY_SIDE only the batches before and after issue 15's
	// one rollup statement (sideBySide).
	if os.Getenv("BENCH_ONLY_SINGLE") != "" {
		b.Run("RecordScanSingle64", func(b *testing.B) { sb.single(b, 0) })
		return
	}
	if os.Getenv("BENCH_ONLY_SIDE_BY_SIDE") != "" {
		b.Run("RecordScansBatchBeforeAfter", sb.sideBySide)
		return
	}
	b.Run("RecordScansBatch", sb.batched)
	// The same without the verified-code cache: every code's signature is
	// checked (each code is scanned 5 times in a run above).
	b.Run("RecordScansBatchNoCodeCache", func(b *testing.B) {
		sb.srv.Services.Trust.CacheSize = -1
		defer func() { sb.srv.Services.Trust.CacheSize = 0 }()
		sb.batched(b)
	})
	if os.Getenv("BENCH_ONLY_BATCH") == "" {
		// Closed loop: each of the 64 clients sends its next scan as soon as
		// the last one is answered (latency = 64 / throughput).
		b.Run("RecordScanSingle64", func(b *testing.B) { sb.single(b, 0) })
		// Paced: each of the 64 clients sends one scan every 125 ms (512/s
		// in all), about half of what the closed loop sustains here.
		b.Run("RecordScanSingle64Paced512", func(b *testing.B) { sb.single(b, 125*time.Millisecond) })
	}
}

func setupScans(b *testing.B) *scanBench {
	b.Helper()
	ctx := context.Background()
	// BENCH_SCAN_STATEMENTS=1 keeps the statements' text and logs them by
	// kind after the batches (what a batch sends).
	stmts := &dbtest.Counter{Keep: os.Getenv("BENCH_SCAN_STATEMENTS") != ""}
	db := dbtest.Open(b, "postgres", database.Options{MaxOpenConns: 24, WrapDriver: stmts.Wrap})
	srv := apitest.New(b, db, httpserver.Config{MaxBodyBytes: 4 << 20, Admission: httpserver.AdmissionOff})
	svc := srv.Services
	tr := apitest.NewTree(b, db.Client)
	tr.Add("", "22", "吉林省")
	tr.Add("22", "2201", "长春市")
	tr.Add("2201", "220104", "朝阳区")
	tr.Add("220104", "220104001", "前进街道")
	community := tr.Add("220104001", "220104001001", "前进社区")

	acct, _, err := svc.Auth.BootstrapInitiator(ctx, "发起扫码员", "13900000008", benchInitiatorPwd)
	if err != nil {
		b.Fatal(err)
	}
	asInitiator := mashang.NewContextWithViewer(ctx, &mashang.Viewer{UserID: acct.HolderID, AccountID: acct.ID,
		Role: mashang.RoleInitiator, ScopePath: acct.ScopePath, AccountPath: acct.AccountPath})
	sb := &scanBench{srv: srv, db: db, stmts: stmts}
	lat, lng := siteLat, siteLng
	for i := 0; i < scanSites; i++ {
		s, err := sites.Create(ctx, db.Client, nil, sites.Input{Name: fmt.Sprintf("超市%02d", i), Category: scenario.ShoppingDining,
			Built: true, Enabled: true, Latitude: &lat, Longitude: &lng, RegionID: community.ID})
		if err != nil {
			b.Fatal(err)
		}
		sb.sites = append(sb.sites, s.ID)
		id := benchResidentID(b, 100_000+i)
		phone := fmt.Sprintf("1370000%04d", i)
		a, err := svc.Accounts.Create(asInitiator, accounts.CreateInput{Role: mashang.RoleOrdinary, ScopeSiteID: s.ID,
			Holder: accounts.Holder{Name: fmt.Sprintf("扫码员%02d", i), Phone: phone, IDNumber: id, Password: benchScannerPass}})
		if err != nil {
			b.Fatal(err)
		}
		// seed 001 §7: scanners on duty hold a green code of their own;
		// creating the account registered it (issue 11 #16), and a scan by
		// a scanner without one would answer SCANNER_NO_CODE.
		tok, err := svc.Auth.Login(ctx, phone, benchScannerPass, "127.0.0.1:1", a.ID)
		if err != nil {
			b.Fatal(err)
		}
		sb.scanners = append(sb.scanners, tok.AccessToken)
	}

	// The residents, inserted in bulk with their sealed documents, and a
	// code each.
	box := svc.Box
	if _, _, err := svc.Persons.ActiveProgram(ctx); err != nil {
		b.Fatal(err)
	}
	var ids []int
	for start := 0; start < scanPersons; start += 1000 {
		creates := make([]*ent.PersonCreate, 0, 1000)
		for i := start; i < start+1000 && i < scanPersons; i++ {
			doc := benchResidentID(b, i)
			name := fmt.Sprintf("居民%05d", i)
			creates = append(creates, db.Client.Person.Create().SetName(name).SetNameMasked(pii.MaskName(name)).
				SetIDType(person.IDTypeRESIDENT_ID).SetIDNumberSealed(box.Seal(pii.FieldIDNumber, doc)).
				SetIDNumberHash(svc.Persons.DocumentHash("RESIDENT_ID", doc)).SetIDNumberMasked(pii.MaskID(doc)).
				SetResidenceRegionID(community.ID).SetResidencePath(community.Path).SetRuleVersion(1))
		}
		ps, err := db.Client.Person.CreateBulk(creates...).Save(ctx)
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
	}
	now := time.Now()
	for _, id := range ids {
		tok, _, err := svc.Signer.Issue(token.KindPerson, uint64(id), token.ColourGreen, scanCodeTTL, now)
		if err != nil {
			b.Fatal(err)
		}
		sb.codes = append(sb.codes, tok)
	}
	if _, err := db.SQL.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	return sb
}

// benchResidentID is a valid GB 11643 number, distinct for every n < 10^6.
func benchResidentID(b *testing.B, n int) string {
	birth := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n/1000)
	first17 := "220104" + birth.Format("20060102") + fmt.Sprintf("%03d", n%1000)
	d, err := validate.ResidentIDCheckDigit(first17)
	if err != nil {
		b.Fatal(err)
	}
	return first17 + string(d)
}

func (sb *scanBench) item(client, site int, clientID string, n int) map[string]any {
	temp := 36.0 + float64(n%10)/10
	if n%feverEvery == 0 {
		temp = 37.8
	}
	return map[string]any{"clientId": clientID, "site": sb.sites[site], "method": "SCAN_CODE",
		"token": sb.codes[n%len(sb.codes)], "temperature": temp, "latitude": siteLat, "longitude": siteLng}
}

const recordScansMutation = `mutation($in: [ScanInput!]!) { recordScans(input: $in) { stored replayed failed results { error { code message } } } }`

// batched sends batchesPerRun batches of 500 from batchClients scanners at
// once, then COPYs the same number of rows into the same table.
func (sb *scanBench) batched(b *testing.B) {
	var rates, copyRates []float64
	var statements int64
	for i := 0; i < b.N; i++ {
		n := int(runSeq.Add(1))
		rate, st := sb.batchRun(b, n)
		rates, statements = append(rates, rate), statements+st
		copyRates = append(copyRates, sb.copyRate(b, n, batchesPerRun*batchSize))
	}
	b.ReportMetric(median(rates), "scans/s")
	b.ReportMetric(median(copyRates), "copy-rows/s")
	b.ReportMetric(median(rates)/median(copyRates), "ratio-to-copy")
	// Every statement of a batch's transaction (BEGIN and COMMIT are not
	// statements of the driver) and the authentication lookup.
	b.ReportMetric(float64(statements)/float64(b.N*batchesPerRun), "stmts/batch")
	b.ReportMetric(0, "ns/op")
	if sb.stmts.Keep {
		logStatements(b, sb.stmts.Statements(), b.N*batchesPerRun)
	}
}

// sideBySide runs, in each iteration, the batches with the rollups written
// as issue 12 did (stats.Rollups.PerStep: three statements, alerts and
// colour changes apart), then as now (one statement), then a COPY of the
// same rows: before and after in the same run, each against the COPY.
func (sb *scanBench) sideBySide(b *testing.B) {
	r := sb.srv.Services.Scans.Rollups
	var before, after, copies []float64
	var stBefore, stAfter int64
	var cpuAfter time.Duration // this process's CPU (server and client) in the "after" runs
	var kept []string          // the statements of the "after" runs (BENCH_SCAN_STATEMENTS)
	for i := 0; i < b.N; i++ {
		for _, perStep := range []bool{true, false} {
			r.PerStep = perStep
			n := int(runSeq.Add(1))
			sb.stmts.Reset()
			cpu0 := processCPU()
			rate, st := sb.batchRun(b, n)
			cpu := processCPU() - cpu0
			if perStep {
				before, stBefore = append(before, rate), stBefore+st
			} else {
				after, stAfter, cpuAfter = append(after, rate), stAfter+st, cpuAfter+cpu
				kept = append(kept, sb.stmts.Statements()...)
				copies = append(copies, sb.copyRate(b, n, batchesPerRun*batchSize))
			}
		}
	}
	r.PerStep = false
	batches := float64(b.N * batchesPerRun)
	b.ReportMetric(median(before), "scans/s-before")
	b.ReportMetric(median(after), "scans/s-after")
	b.ReportMetric(median(copies), "copy-rows/s")
	b.ReportMetric(median(before)/median(copies), "ratio-before")
	b.ReportMetric(median(after)/median(copies), "ratio-after")
	b.ReportMetric(float64(stBefore)/batches, "stmts/batch-before")
	b.ReportMetric(float64(stAfter)/batches, "stmts/batch-after")
	// The Go process's CPU a batch of the "after" runs (the HTTP server and
	// the benchmark's clients; PostgreSQL's own is not in it): unlike the
	// rates, it hardly moves with what else the machine is running.
	b.ReportMetric(float64(cpuAfter.Microseconds())/1000/batches, "go-cpu-ms/batch-after")
	b.ReportMetric(0, "ns/op")
	load, _ := os.ReadFile("/proc/loadavg")
	b.Logf("load average %s; before %v, after %v, copy %v", bytes.TrimSpace(load), before, after, copies)
	if sb.stmts.Keep {
		logStatements(b, kept, b.N*batchesPerRun)
	}
}

// processCPU is the CPU time (user and system) this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// batchRun records batchesPerRun batches of 500 (run n) and returns scans
// per second and the statements sent.
func (sb *scanBench) batchRun(b *testing.B, n int) (float64, int64) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: batchClients}}
	stmts0 := sb.stmts.Count()
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
					k := batch*batchSize + i
					items[i] = sb.item(c, c, fmt.Sprintf("r%d-b%d-%d", n, batch, i), k)
				}
				var out struct {
					Data struct {
						RecordScans struct{ Stored, Replayed, Failed int }
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
	for batch := 0; batch < batchesPerRun; batch++ {
		next <- batch
	}
	close(next)
	wg.Wait()
	elapsed := time.Since(start)
	if failed != nil {
		b.Fatal(failed)
	}
	return float64(batchesPerRun*batchSize) / elapsed.Seconds(), sb.stmts.Count() - stmts0
}

// logStatements logs how many statements of each kind (their first 70
// characters) a batch sent, on average over batches.
func logStatements(b *testing.B, qs []string, batches int) {
	kinds := map[string]int{}
	for _, q := range qs {
		q = strings.Join(strings.Fields(q), " ")
		if len(q) > 70 {
			q = q[:70]
		}
		kinds[q]++
	}
	var lines []string
	for q, n := range kinds {
		lines = append(lines, fmt.Sprintf("%8.2f  %s", float64(n)/float64(batches), q))
	}
	slices.Sort(lines)
	slices.Reverse(lines)
	b.Logf("statements a batch, by kind:\n%s", strings.Join(lines, "\n"))
}

// copyRate COPYs rows rows (the ones just recorded, with new client ids)
// into scans and returns rows per second.
func (sb *scanBench) copyRate(b *testing.B, n, rows int) float64 {
	ctx := context.Background()
	cols := []string{"client_id", "account_id", "account_path", "scanner_name", "site_id", "site_path", "site_name", "sector",
		"person_id", "method", "name_masked", "id_number_masked", "id_number_hash", "issuer", "subject", "colour",
		"temperature", "fever", "decision", "alert_reasons", "device_latitude", "device_longitude", "distance_metres",
		"client_time", "server_time"}
	src, err := sb.db.SQL.QueryContext(ctx, `SELECT client_id, account_id, account_path, scanner_name, site_id, site_path, site_name, sector,
		person_id, method, name_masked, id_number_masked, id_number_hash, issuer, subject, colour, temperature, fever, decision,
		alert_reasons, device_latitude, device_longitude, distance_metres, client_time, server_time
		FROM scans WHERE client_id LIKE $1 ORDER BY id LIMIT $2`, fmt.Sprintf("r%d-%%", n), rows)
	if err != nil {
		b.Fatal(err)
	}
	var data [][]any
	for src.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := src.Scan(ptrs...); err != nil {
			b.Fatal(err)
		}
		vals[0] = fmt.Sprintf("copy-%s", vals[0])
		for i, v := range vals {
			if bs, ok := v.([]byte); ok { // jsonb and text come back as bytes
				vals[i] = string(bs)
			}
		}
		data = append(data, vals)
	}
	src.Close()
	if len(data) != rows {
		b.Fatalf("read back %d rows, want %d", len(data), rows)
	}
	start := time.Now()
	tx, err := sb.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.Prepare("COPY scans (" + strings.Join(cols, ", ") + ") FROM STDIN")
	if err != nil {
		b.Fatal(err)
	}
	for _, vals := range data {
		if _, err := stmt.Exec(vals...); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := stmt.Exec(); err != nil {
		b.Fatal(err)
	}
	if err := stmt.Close(); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return float64(rows) / time.Since(start).Seconds()
}

const recordScanMutation = `mutation($in: ScanInput!) { recordScan(input: $in) { id decision } }`

// single runs 64 scanners each sending recordScan one after another, or
// one every interval (started at a random phase) when interval > 0.
func (sb *scanBench) single(b *testing.B, interval time.Duration) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: singleClients, MaxConnsPerHost: singleClients}}
	var all []time.Duration
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		n := int(runSeq.Add(1))
		lat := make([]time.Duration, singleClients*singlePerClient)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var failed error
		start := time.Now()
		for c := 0; c < singleClients; c++ {
			wg.Add(1)
			go func(c int) {
				defer wg.Done()
				var tick *time.Ticker
				if interval > 0 {
					time.Sleep(time.Duration(c) * interval / singleClients)
					tick = time.NewTicker(interval)
					defer tick.Stop()
				}
				for i := 0; i < singlePerClient; i++ {
					if tick != nil && i > 0 {
						<-tick.C
					}
					k := c*singlePerClient + i
					var out struct {
						Data struct{ RecordScan struct{ ID, Decision string } }
					}
					t0 := time.Now()
					err := postAs(client, sb.srv.URL, sb.scanners[c], recordScanMutation,
						map[string]any{"in": sb.item(c, c, fmt.Sprintf("s%d-%d-%d-%d", interval.Milliseconds(), n, c, i), 7919*k+n)}, &out)
					lat[k] = time.Since(t0)
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
		elapsed += time.Since(start)
		if failed != nil {
			b.Fatal(failed)
		}
		all = append(all, lat...)
	}
	slices.Sort(all)
	pct := func(p float64) float64 { return float64(all[int(p*float64(len(all)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
	b.ReportMetric(0, "ns/op")
}

func postAs(client *http.Client, url, tok, query string, vars map[string]any, out any) error {
	payload, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(payload))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || bytes.Contains(buf.Bytes(), []byte(`"errors"`)) {
		return fmt.Errorf("status %d: %.400s", resp.StatusCode, buf.Bytes())
	}
	return json.Unmarshal(buf.Bytes(), out)
}

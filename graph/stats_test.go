package graph_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/stats"
)

// statsWorld is the fixture tree with rollups written directly: residents
// registered in 朝阳区 and 南关区 today and yesterday, scans at 南湖公园, one
// person scanned in both districts today.
type statsWorld struct {
	f          *fixture
	srv        *apitest.Server
	initiator  string
	chaoyang   account // OFFICIAL of 朝阳区
	nanguan    account // OFFICIAL of 南关区
	sectorOff  account // OFFICIAL of 朝阳区 limited to CULTURE_TOURISM
	grid       account
	ordinary   account
	today, yst string
}

func newStatsWorld(t *testing.T, db *database.DB) *statsWorld {
	t.Helper()
	f := newFixture(t, db)
	w := &statsWorld{f: f, srv: apitest.New(t, db, httpserver.Config{})}
	w.initiator = w.srv.LoginInitiator()
	cy, ng := fmt.Sprint(f.chaoyangID), fmt.Sprint(f.tree.ByCode["220102"].ID)
	w.chaoyang = createAccount(t, w.srv, w.initiator, "OFFICIAL", cy, "朝阳区卫健局", "13600000041", "")
	w.nanguan = createAccount(t, w.srv, w.initiator, "OFFICIAL", ng, "南关区卫健局", "13600000042", "")
	w.grid = createAccount(t, w.srv, w.initiator, "GRID_WORKER", fmt.Sprint(f.tree.ByCode["220104001001"].ID), "网格员", "13600000043", "")
	w.ordinary = createAccount(t, w.srv, w.initiator, "ORDINARY", fmt.Sprint(f.park.ID), "扫码员", "13600000044", validID(t, "22010419800101041"))
	var acc struct{ CreateAccount struct{ ID string } }
	w.srv.QueryAs(w.initiator, `mutation($in: CreateAccountInput!) { createAccount(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"role": "OFFICIAL", "scopeId": cy, "sector": "CULTURE_TOURISM",
		"holder": map[string]any{"name": "朝阳区文旅局", "phone": "13600000045", "password": "pass-13600000045"}}}).Decode(t, &acc)
	w.sectorOff = account{ID: acc.CreateAccount.ID, token: w.srv.Login("13600000045", "pass-13600000045")}

	now := time.Now()
	w.today, w.yst = stats.Day(now), stats.Day(now.AddDate(0, 0, -1))
	community := f.tree.ByCode["220104001001"].Path
	nanguan := f.tree.ByCode["220102"].Path
	var d stats.Delta
	reg := func(path, day string, n int64) {
		d.AddAt(stats.RegionNodes(path), stats.Key{Day: day, Metric: stats.Registrations}, n)
	}
	reg(community, w.today, 3)
	reg(community, w.yst, 2)
	reg(nanguan, w.today, 4)
	scan := func(path, sector, colour, decision string, n int64) {
		d.AddAt(stats.Nodes(path), stats.Key{Day: w.today, Metric: stats.Scans, Category: "PARK", Sector: sector,
			Method: "SHOW_CODE", Decision: decision, Colour: colour}, n)
	}
	scan(f.park.Path, "CULTURE_TOURISM", "GREEN", "PASS", 5)
	scan(f.park.Path, "CULTURE_TOURISM", "RED", "DENY", 2)
	for _, p := range []struct{ person, path string }{{"p1", f.park.Path}, {"p2", f.park.Path}, {"p1", nanguan + "s999/"}} {
		for _, n := range stats.Nodes(p.path) {
			d.Distinct("p:"+p.person, stats.Key{Day: w.today, Node: n.Path, Metric: stats.PeopleScanned})
		}
	}
	if err := database.InTx(context.Background(), db.Client, func(ctx context.Context, c *ent.Client) error {
		return (&stats.Rollups{Dialect: db.Dialect}).Apply(ctx, c, &d)
	}); err != nil {
		t.Fatal(err)
	}
	return w
}

const statsQuery = `query($w: StatsWhere!, $g: [StatsDimension!]!, $m: [StatsMeasure!]!) {
  stats(where: $w, groupBy: $g, measures: $m) {
    under { name } from to totals estimatedRows
    rows { node { id code name level } day colour values }
  } }`

type statsAnswer struct {
	Stats struct {
		Under         struct{ Name string }
		From, To      string
		Totals        []float64
		EstimatedRows int
		Rows          []struct {
			Node *struct {
				ID, Code, Name, Level string
			}
			Day, Colour *string
			Values      []float64
		}
	}
}

func (w *statsWorld) ask(t *testing.T, token string, where map[string]any, groupBy, measures []string) *apitest.Response {
	t.Helper()
	if groupBy == nil {
		groupBy = []string{}
	}
	return w.srv.QueryAs(token, statsQuery, map[string]any{"w": where, "g": groupBy, "m": measures})
}

// TestStatsProvinceByDistrict: rows per district, and totals read at the
// province — a person scanned in two districts counts once there.
func TestStatsProvinceByDistrict(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newStatsWorld(t, db)
		var got statsAnswer
		w.ask(t, w.initiator, map[string]any{"under": fmt.Sprint(w.f.tree.ByCode["22"].ID), "level": "DISTRICT", "period": "LAST_7_DAYS"},
			[]string{"REGION"}, []string{"REGISTRATIONS", "SCANS", "PEOPLE_SCANNED"}).Decode(t, &got)
		rows := map[string][]float64{}
		for _, r := range got.Stats.Rows {
			rows[r.Node.Name+" "+r.Node.Code+" "+r.Node.Level] = r.Values
		}
		want := map[string][]float64{"朝阳区 220104 DISTRICT": {5, 7, 2}, "南关区 220102 DISTRICT": {4, 0, 1}}
		if fmt.Sprint(rows) != fmt.Sprint(want) {
			t.Fatalf("rows %v, want %v", rows, want)
		}
		if fmt.Sprint(got.Stats.Totals) != fmt.Sprint([]float64{9, 7, 2}) || got.Stats.Under.Name != "吉林省" {
			t.Fatalf("totals %v under %q, want [9 7 2] under 吉林省", got.Stats.Totals, got.Stats.Under.Name)
		}
		if got.Stats.To != w.today {
			t.Fatalf("to %s, want today %s", got.Stats.To, w.today)
		}
	})
}

// TestStatsDistrictByDayAndColour: a district's own official by day, and
// the colour distribution of its scans.
func TestStatsDistrictByDayAndColour(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newStatsWorld(t, db)
		var byDay statsAnswer
		w.ask(t, w.chaoyang.token, map[string]any{"from": w.yst, "to": w.today}, []string{"DAY"}, []string{"REGISTRATIONS"}).Decode(t, &byDay)
		var days []string
		for _, r := range byDay.Stats.Rows {
			days = append(days, fmt.Sprint(*r.Day, r.Values))
		}
		if want := []string{w.yst + "[2]", w.today + "[3]"}; fmt.Sprint(days) != fmt.Sprint(want) || byDay.Stats.Under.Name != "朝阳区" {
			t.Fatalf("by day %v under %q, want %v under 朝阳区", days, byDay.Stats.Under.Name, want)
		}
		var byColour statsAnswer
		w.ask(t, w.chaoyang.token, map[string]any{"period": "TODAY"}, []string{"COLOUR"}, []string{"SCANS"}).Decode(t, &byColour)
		var colours []string
		for _, r := range byColour.Stats.Rows {
			colours = append(colours, fmt.Sprint(*r.Colour, r.Values))
		}
		if fmt.Sprint(colours) != "[GREEN[5] RED[2]]" {
			t.Fatalf("colours %v", colours)
		}
		// The grid worker of 前进社区 reads its community.
		var grid statsAnswer
		w.ask(t, w.grid.token, map[string]any{"from": w.yst, "to": w.today}, nil, []string{"REGISTRATIONS"}).Decode(t, &grid)
		if fmt.Sprint(grid.Stats.Totals) != "[5]" {
			t.Fatalf("grid worker totals %v, want [5]", grid.Stats.Totals)
		}
	})
}

// TestStatsRefusesAMeasureByADimensionItIsNotCountedBy names both.
func TestStatsRefusesAMeasureByADimensionItIsNotCountedBy(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newStatsWorld(t, db)
		resp := w.ask(t, w.initiator, map[string]any{}, []string{"METHOD"}, []string{"REGISTRATIONS"})
		wantCodes(t, resp, "INVALID_INPUT")
		if p := fmt.Sprint(resp.Errors[0].Extensions["params"]); !strings.Contains(p, "REGISTRATIONS") || !strings.Contains(p, "METHOD") {
			t.Fatalf("the refusal names neither measure nor dimension: %v", resp.Errors[0].Extensions)
		}
	})
}

func TestAnOfficialOfAnotherDistrictCannotReadItsStats(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newStatsWorld(t, db)
		cy := fmt.Sprint(w.f.chaoyangID)
		wantCodes(t, w.ask(t, w.nanguan.token, map[string]any{"under": cy}, nil, []string{"REGISTRATIONS"}), "FORBIDDEN")
		// Nor the province above it: never trimmed to its own district.
		wantCodes(t, w.ask(t, w.chaoyang.token, map[string]any{"under": fmt.Sprint(w.f.tree.ByCode["22"].ID), "level": "DISTRICT"},
			[]string{"REGION"}, []string{"REGISTRATIONS"}), "FORBIDDEN")
		// The grid worker of 前进社区 not its district.
		wantCodes(t, w.ask(t, w.grid.token, map[string]any{"under": cy}, nil, []string{"REGISTRATIONS"}), "FORBIDDEN")
	})
}

func TestAnOrdinaryScannerCannotReadStats(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newStatsWorld(t, db)
		wantCodes(t, w.ask(t, w.ordinary.token, map[string]any{}, nil, []string{"SCANS"}), "FORBIDDEN")
		wantCodes(t, w.ask(t, w.ordinary.token, map[string]any{"under": fmt.Sprint(w.f.park.ID)}, nil, []string{"SCANS"}), "FORBIDDEN")
		wantCodes(t, w.ask(t, "", map[string]any{}, nil, []string{"SCANS"}), "UNAUTHENTICATED")
	})
}

func TestASectorOfficialCannotReadStatsWithoutItsSector(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newStatsWorld(t, db)
		wantCodes(t, w.ask(t, w.sectorOff.token, map[string]any{}, nil, []string{"SCANS"}), "FORBIDDEN")
		wantCodes(t, w.ask(t, w.sectorOff.token, map[string]any{"sector": "HEALTH"}, nil, []string{"SCANS"}), "FORBIDDEN")
		resp := w.ask(t, w.sectorOff.token, map[string]any{"sector": "CULTURE_TOURISM"}, nil, []string{"REGISTRATIONS"})
		wantCodes(t, resp, "FORBIDDEN") // not counted by sector: why is said
		var got statsAnswer
		w.ask(t, w.sectorOff.token, map[string]any{"sector": "CULTURE_TOURISM"}, nil, []string{"SCANS"}).Decode(t, &got)
		if fmt.Sprint(got.Stats.Totals) != "[7]" {
			t.Fatalf("sector totals %v, want [7]", got.Stats.Totals)
		}
	})
}

// TestASectorStatisticsGrantReadsItsSectorOnly: seed 002 统计权限, a sector
// province-wide.
func TestASectorStatisticsGrantReadsItsSectorOnly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newStatsWorld(t, db)
		w.srv.QueryAs(w.initiator, `mutation($a: ID!, $e: Time!) { giveGrant(accountId: $a, kind: SECTOR_STATISTICS, sector: CULTURE_TOURISM, expiresAt: $e, reason: "统计权限") { kind } }`,
			map[string]any{"a": w.nanguan.ID, "e": time.Now().Add(time.Hour).Format(time.RFC3339)}).Decode(t, &struct{}{})
		province := fmt.Sprint(w.f.tree.ByCode["22"].ID)
		var got statsAnswer
		w.ask(t, w.nanguan.token, map[string]any{"under": province, "sector": "CULTURE_TOURISM"}, nil, []string{"SCANS"}).Decode(t, &got)
		if fmt.Sprint(got.Stats.Totals) != "[7]" {
			t.Fatalf("grant totals %v, want [7]", got.Stats.Totals)
		}
		wantCodes(t, w.ask(t, w.nanguan.token, map[string]any{"under": province}, nil, []string{"SCANS"}), "FORBIDDEN")
		wantCodes(t, w.ask(t, w.nanguan.token, map[string]any{"under": province, "sector": "CULTURE_TOURISM"}, nil, []string{"PEOPLE_SCANNED"}), "FORBIDDEN")
	})
}

// TestStatsCostRefusal: priced before it runs, refused above the cap.
func TestStatsCostRefusal(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newStatsWorld(t, db)
		resp := w.ask(t, w.initiator, map[string]any{"period": "LAST_30_DAYS"},
			[]string{"SITE_CATEGORY", "SECTOR", "METHOD", "COLOUR", "DECISION"}, []string{"SCANS"})
		wantCodes(t, resp, "QUERY_TOO_COMPLEX")
	})
}

// TestEveryResponseCarriesItsCost: extensions.cost {requested, actual}.
func TestEveryResponseCarriesItsCost(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newStatsWorld(t, db)
		for _, resp := range []*apitest.Response{
			w.ask(t, w.initiator, map[string]any{"under": fmt.Sprint(w.f.tree.ByCode["22"].ID), "level": "DISTRICT"}, []string{"REGION"}, []string{"SCANS"}),
			w.srv.Query(`{ regions(first: 5) { edges { node { name } } } }`, nil),
		} {
			cost, _ := resp.Extensions["cost"].(map[string]any)
			requested, _ := cost["requested"].(float64)
			actual, _ := cost["actual"].(float64)
			if requested < 1 || actual < 1 {
				t.Fatalf("extensions %v: want cost.requested and cost.actual", resp.Extensions)
			}
		}
		// A cached tree answer carries it too (nothing resolved).
		again := w.srv.Query(`{ regions(first: 5) { edges { node { name } } } }`, nil)
		if cost, _ := again.Extensions["cost"].(map[string]any); cost == nil || cost["requested"].(float64) < 1 {
			t.Fatalf("cached answer extensions %v", again.Extensions)
		}
		// regions(first: 5) over two provinces: priced for 5, resolved 2.
		cost := w.srv.Query(`{ regions(first: 5, where: {level: PROVINCE}) { edges { node { name } } } }`, nil).Extensions["cost"].(map[string]any)
		if cost["actual"].(float64) >= cost["requested"].(float64) {
			t.Fatalf("cost %v: a half-empty page should cost less than priced", cost)
		}
	})
}

// TestStatsExportHoldsTheQuerysNumbers: the XLSX of startStatsExport and
// the daily report form hold what Query.stats answers.
func TestStatsExportHoldsTheQuerysNumbers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newStatsWorld(t, db)
		province := fmt.Sprint(w.f.tree.ByCode["22"].ID)
		var started struct{ StartStatsExport struct{ ID string } }
		w.srv.QueryAs(w.initiator, `mutation($w: StatsWhere!) { startStatsExport(where: $w, groupBy: [REGION], measures: [REGISTRATIONS, SCANS]) { id } }`,
			map[string]any{"w": map[string]any{"under": province, "level": "DISTRICT", "period": "LAST_7_DAYS"}}).Decode(t, &started)
		f := w.download(t, w.initiator, started.StartStatsExport.ID)
		rows := sheetText(t, f, "统计数据")
		for _, want := range []string{"地区|代码|注册人数|扫码次数", "南关区|220102|4|0", "朝阳区|220104|5|7", "统计范围|吉林省"} {
			if !strings.Contains(rows, want) {
				t.Fatalf("rows sheet lacks %q:\n%s", want, rows)
			}
		}
		if totals := sheetText(t, f, "合计"); !strings.Contains(totals, "注册人数|扫码次数\n9|7") {
			t.Fatalf("totals sheet:\n%s", totals)
		}

		var daily struct{ StartDailyReport struct{ ID string } }
		w.srv.QueryAs(w.chaoyang.token, `mutation { startDailyReport { id } }`, nil).Decode(t, &daily)
		report := sheetText(t, w.download(t, w.chaoyang.token, daily.StartDailyReport.ID), "每日注册人数和扫码人数统计表")
		for _, want := range []string{"前进街道|220104001|3|5|7|2|0", "永昌街道|220104002|0|0|0|0|0", "合计|220104|3|5|7|2|0"} {
			if !strings.Contains(report, want) {
				t.Fatalf("daily report lacks %q:\n%s", want, report)
			}
		}
	})
}

func TestAnotherAccountCannotReadMyStatsExport(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newStatsWorld(t, db)
		var started struct{ StartDailyReport struct{ ID string } }
		w.srv.QueryAs(w.chaoyang.token, `mutation { startDailyReport { id } }`, nil).Decode(t, &started)
		w.download(t, w.chaoyang.token, started.StartDailyReport.ID)
		var job struct{ StatsExportJob *struct{ ID string } }
		w.srv.QueryAs(w.nanguan.token, `query($id: ID!) { statsExportJob(id: $id) { id } }`, map[string]any{"id": started.StartDailyReport.ID}).Decode(t, &job)
		if job.StatsExportJob != nil {
			t.Fatal("another account sees the export job")
		}
		if status, _ := w.get(t, w.nanguan.token, "/exports/stats/"+started.StartDailyReport.ID); status != http.StatusNotFound {
			t.Fatalf("another account downloads the export: status %d", status)
		}
		if status, _ := w.get(t, "", "/exports/stats/"+started.StartDailyReport.ID); status != http.StatusUnauthorized {
			t.Fatalf("an anonymous caller downloads the export: status %d", status)
		}
	})
}

// download polls a job until DONE and opens its file.
func (w *statsWorld) download(t *testing.T, token, id string) *excelize.File {
	t.Helper()
	var job struct {
		StatsExportJob struct {
			Status      string
			Progress    float64
			DownloadURL *string
		}
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		w.srv.QueryAs(token, `query($id: ID!) { statsExportJob(id: $id) { status progress downloadUrl } }`, map[string]any{"id": id}).Decode(t, &job)
		if job.StatsExportJob.Status != "RUNNING" || time.Now().After(deadline) {
			break
		}
	}
	if job.StatsExportJob.Status != "DONE" || job.StatsExportJob.DownloadURL == nil || job.StatsExportJob.Progress != 1 {
		t.Fatalf("export job %+v", job.StatsExportJob)
	}
	status, body := w.get(t, token, *job.StatsExportJob.DownloadURL)
	if status != http.StatusOK {
		t.Fatalf("download: status %d %s", status, body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (w *statsWorld) get(t *testing.T, token, path string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", w.srv.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// sheetText is a sheet's cells, "|" between cells and a line per row.
func sheetText(t *testing.T, f *excelize.File, sheet string) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "|") + "\n")
	}
	return b.String()
}

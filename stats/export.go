package stats

import (
	"context"
	"errors"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
)

// ExportKind is a value of the GraphQL enum StatsExportKind.
type ExportKind string

// ExportStatus is a value of the GraphQL enum StatsExportStatus.
type ExportStatus string

// Export kinds and statuses.
const (
	ExportStats       ExportKind   = "STATS"
	ExportDailyReport ExportKind   = "DAILY_REPORT"
	ExportScans       ExportKind   = "SCANS"
	ExportRunning     ExportStatus = "RUNNING"
	ExportDone        ExportStatus = "DONE"
	ExportFailed      ExportStatus = "FAILED"
)

// ExportJob is a snapshot of an export (GraphQL StatsExportJob).
type ExportJob struct {
	ID          int
	Kind        ExportKind
	Status      ExportStatus
	Progress    float64
	Rows        int
	Total       *int
	DownloadURL *string
	Failure     *string
	CreatedAt   time.Time
}

type exportJob struct {
	ExportJob
	accountID int
	filename  string
	// file holds the finished XLSX on disk (os.TempDir), not in memory: a
	// scans export may be large; it is removed when the job expires.
	file string
}

// Exports runs XLSX exports as background jobs (issue 12 point 5: big
// exports never time out a request). Jobs live in this process for TTL:
// the download must reach the replica that ran the job (sticky sessions,
// or a single replica).
type Exports struct {
	Query *Query
	// DownloadPrefix is the path of the download endpoint, the job id
	// appended (httpserver serves GET /exports/stats/{id}).
	DownloadPrefix string
	TTL            time.Duration // 0: an hour
	// MaxRows caps the records one export of records (StartScans) holds
	// (MASHANG_EXPORT_MAX_ROWS; 0: DefaultExportMaxRows).
	MaxRows int

	mu   sync.Mutex
	next int
	jobs map[int]*exportJob
}

// StartStats checks a stats query like Query.Run (scope, cost) and starts
// writing its XLSX in the background.
func (x *Exports) StartStats(ctx context.Context, req Request) (*ExportJob, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	p, err := x.Query.plan(ctx, v, req)
	if err != nil {
		return nil, err
	}
	return x.start(ctx, v, ExportStats, "统计数据", func(ctx context.Context, progress func(float64, int)) (*excelize.File, error) {
		res, err := x.Query.exec(ctx, p)
		if err != nil {
			return nil, err
		}
		progress(0.5, 0)
		return statsWorkbook(res, x.Query.now(), progress)
	})
}

// StartDailyReport checks and starts the daily report form of a node
// (underPath "": the caller's scope) for a day ("": today).
func (x *Exports) StartDailyReport(ctx context.Context, underPath, day string) (*ExportJob, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	build, err := x.Query.dailyReport(ctx, v, underPath, day)
	if err != nil {
		return nil, err
	}
	return x.start(ctx, v, ExportDailyReport, "每日注册人数和扫码人数统计表", build)
}

type buildFunc func(ctx context.Context, progress func(float64, int)) (*excelize.File, error)

// jobSpec is what start runs: the build reads as the system once its
// caller was checked (statistics), or through the caller's own scope
// filter when scoped (records: exactly what the caller reads).
type jobSpec struct {
	kind   ExportKind
	name   string
	total  *int
	scoped bool
	build  buildFunc
}

func (x *Exports) start(ctx context.Context, v *mashang.Viewer, kind ExportKind, name string, build buildFunc) (*ExportJob, error) {
	return x.startJob(ctx, v, jobSpec{kind: kind, name: name, build: build})
}

func (x *Exports) startJob(ctx context.Context, v *mashang.Viewer, spec jobSpec) (*ExportJob, error) {
	now := x.Query.now()
	x.mu.Lock()
	x.gc(now)
	x.next++
	j := &exportJob{ExportJob: ExportJob{ID: x.next, Kind: spec.kind, Status: ExportRunning, Total: spec.total, CreatedAt: now}, accountID: v.AccountID,
		filename: spec.name + "-" + now.In(Zone).Format("20060102-150405") + ".xlsx"}
	if x.jobs == nil {
		x.jobs = map[int]*exportJob{}
	}
	x.jobs[j.ID] = j
	snap := j.ExportJob
	x.mu.Unlock()
	// The job outlives the request: its viewer and language stay, its
	// cancellation does not.
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Minute)
	if !spec.scoped {
		bg = authz.AsSystem(bg)
	}
	go func() {
		defer cancel()
		f, err := spec.build(bg, func(p float64, rows int) {
			x.mu.Lock()
			j.Progress, j.Rows = p, rows
			x.mu.Unlock()
		})
		var file string
		if err == nil {
			file, err = saveTemp(f)
		}
		x.mu.Lock()
		defer x.mu.Unlock()
		if err != nil {
			msg := "internal error"
			var e *mashang.Error
			if errors.As(err, &e) {
				msg = e.Code
			}
			j.Status, j.Failure = ExportFailed, &msg
			return
		}
		url := x.DownloadPrefix + strconv.Itoa(j.ID)
		j.Status, j.Progress, j.DownloadURL, j.file = ExportDone, 1, &url, file
	}()
	return &snap, nil
}

// saveTemp writes a workbook to a file of its own and closes the workbook
// (a stream writer's spill files go with it).
func saveTemp(f *excelize.File) (string, error) {
	defer func() { _ = f.Close() }()
	out, err := os.CreateTemp("", "mashang-export-*.xlsx")
	if err != nil {
		return "", err
	}
	if _, err = f.WriteTo(out); err == nil {
		err = out.Close()
	} else {
		_ = out.Close()
	}
	if err != nil {
		_ = os.Remove(out.Name())
		return "", err
	}
	return out.Name(), nil
}

// gc forgets jobs older than TTL; x.mu is held.
func (x *Exports) gc(now time.Time) {
	ttl := x.TTL
	if ttl <= 0 {
		ttl = time.Hour
	}
	for id, j := range x.jobs {
		if now.Sub(j.CreatedAt) > ttl && j.Status != ExportRunning {
			if j.file != "" {
				_ = os.Remove(j.file)
			}
			delete(x.jobs, id)
		}
	}
}

// Close removes the files of every finished export: they hold (masked)
// records meant for this epidemic's work only (seed 001 §3: 仅限此次防疫期间
// 使用), not for the machine's temporary folder after the server stopped.
// A job still running writes its file after Close; the process is ending.
func (x *Exports) Close() {
	x.mu.Lock()
	defer x.mu.Unlock()
	for id, j := range x.jobs {
		if j.file != "" {
			_ = os.Remove(j.file)
		}
		delete(x.jobs, id)
	}
}

// Job returns a job of the caller's, nil when there is none (another
// account's job is none).
// SECURITY: an export is read by the account that started it only
// (TestAnotherAccountCannotReadMyStatsExport).
func (x *Exports) Job(ctx context.Context, id int) (*ExportJob, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.gc(x.Query.now()) // files past their time go when anyone looks, not only at the next export
	j := x.jobs[id]
	if j == nil || j.accountID != v.AccountID {
		return nil, nil
	}
	snap := j.ExportJob
	return &snap, nil
}

// Download opens the file of a finished job of the caller's; the caller
// closes it.
// SECURITY: as Job, the starting account only.
func (x *Exports) Download(ctx context.Context, id int) (filename string, file *os.File, err error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return "", nil, err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.gc(x.Query.now())
	j := x.jobs[id]
	if j == nil || j.accountID != v.AccountID || j.Status != ExportDone {
		return "", nil, mashang.Errorf(mashang.ENOTFOUND, "Not found.")
	}
	// Opened under the lock: gc may remove the name, not an open file.
	f, err := os.Open(j.file)
	if err != nil {
		return "", nil, mashang.Errorf(mashang.ENOTFOUND, "Not found.")
	}
	return j.filename, f, nil
}

// header writes the lines above a sheet's table: the title, the scope, the
// days and the generation time; it returns the next row.
func header(f *excelize.File, sheet, title string, res *Result, now time.Time) int {
	scope := res.Under.Name
	if scope == "" {
		scope = "全省"
	}
	lines := [][2]string{{"", title}, {"统计范围", scope + "（" + res.Under.Path + "）"},
		{"统计日期", res.From + " 至 " + res.To}, {"生成时间", now.In(Zone).Format("2006-01-02 15:04:05")}}
	if p := res.Where.Period; p != "" {
		lines[2][1] += "（" + periodLabels[p] + "）"
	}
	for _, f2 := range []struct{ name, v string }{{"场所类别", categoryLabel(res.Where.Category)}, {"行业主管部门", label(sectorLabels, res.Where.Sector)}, {"颜色", label(colourLabels, res.Where.Colour)}} {
		if f2.v != "" {
			lines = append(lines, [2]string{"筛选：" + f2.name, f2.v})
		}
	}
	for i, l := range lines {
		_ = f.SetSheetRow(sheet, cell(1, i+1), &[]any{l[0], l[1]})
	}
	return len(lines) + 2
}

func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

// statsWorkbook writes a stats answer: a sheet of rows, one of totals.
func statsWorkbook(res *Result, now time.Time, progress func(float64, int)) (*excelize.File, error) {
	f := excelize.NewFile()
	const rowsSheet, totalsSheet = "统计数据", "合计"
	if err := f.SetSheetName("Sheet1", rowsSheet); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(totalsSheet); err != nil {
		return nil, err
	}
	r := header(f, rowsSheet, "统计数据", res, now)
	var head []any
	for _, d := range res.GroupBy {
		head = append(head, dimensionLabels[d])
		if d.isNode() {
			head = append(head, "代码")
		}
	}
	for _, m := range res.Measures {
		head = append(head, measureLabels[m])
	}
	if err := f.SetSheetRow(rowsSheet, cell(1, r), &head); err != nil {
		return nil, err
	}
	for i, row := range res.Rows {
		line := rowCells(res.GroupBy, row)
		for _, v := range row.Values {
			line = append(line, v)
		}
		if err := f.SetSheetRow(rowsSheet, cell(1, r+1+i), &line); err != nil {
			return nil, err
		}
		if i%1000 == 0 {
			progress(0.5+0.5*float64(i)/float64(len(res.Rows)), i)
		}
	}
	t := header(f, totalsSheet, "合计", res, now)
	var names, values []any
	for i, m := range res.Measures {
		names, values = append(names, measureLabels[m]), append(values, res.Totals[i])
	}
	if err := f.SetSheetRow(totalsSheet, cell(1, t), &names); err != nil {
		return nil, err
	}
	if err := f.SetSheetRow(totalsSheet, cell(1, t+1), &values); err != nil {
		return nil, err
	}
	progress(1, len(res.Rows))
	return f, nil
}

// rowCells are a row's dimension values, enums by their Chinese labels.
func rowCells(dims []Dimension, row Row) []any {
	var out []any
	for _, d := range dims {
		switch d {
		case DimRegion, DimSite:
			name, code := "", ""
			if row.Node != nil {
				name, code = row.Node.Name, row.Node.Code
			}
			out = append(out, name, code)
		case DimDay:
			out = append(out, row.Day)
		case DimWeek:
			out = append(out, row.Week)
		case DimMonth:
			out = append(out, row.Month)
		case DimCategory:
			out = append(out, categoryLabel(row.Category))
		case DimSector:
			out = append(out, label(sectorLabels, row.Sector))
		case DimMethod:
			out = append(out, label(methodLabels, row.Method))
		case DimColour:
			out = append(out, label(colourLabels, row.Colour))
		case DimDecision:
			out = append(out, label(decisionLabels, row.Decision))
		}
	}
	return out
}

// dailyReport checks and prepares the daily report form 每日注册人数和扫码人数
// 统计表 (seed 000 §五.1 每日做好注册人数统计上报): one line per child of the
// node, with registrations that day and cumulated, scans, people scanned
// and fevers that day, then the node's total.
func (q *Query) dailyReport(ctx context.Context, v *mashang.Viewer, underPath, day string) (buildFunc, error) {
	if underPath == "" {
		underPath = defaultUnder(v)
	}
	groupBy := []Dimension{DimRegion}
	if lv := LevelOfPath(underPath); lv == Community || lv == Site {
		groupBy = nil
	}
	dayReq := Request{Where: Where{UnderPath: underPath, From: day, To: day}, GroupBy: groupBy,
		Measures: []Measure{Measure(Registrations), Measure(Scans), Measure(PeopleScanned), Measure(Fevers)}}
	if day == "" {
		dayReq.Where.Period = Today
	}
	p, err := q.plan(ctx, v, dayReq)
	if err != nil {
		return nil, err
	}
	// Cumulated registrations: every day up to the report's, priced like
	// the day (one row per node: no time dimension).
	cum := *p
	cum.req = Request{Where: p.req.Where, GroupBy: groupBy, Measures: []Measure{Measure(Registrations)}}
	cum.from = "0000-00-00"
	return func(ctx context.Context, progress func(float64, int)) (*excelize.File, error) {
		today, err := q.exec(ctx, p)
		if err != nil {
			return nil, err
		}
		total, err := q.exec(ctx, &cum)
		if err != nil {
			return nil, err
		}
		progress(0.5, 0)
		return dailyWorkbook(today, total, q.now())
	}, nil
}

func dailyWorkbook(day, cum *Result, now time.Time) (*excelize.File, error) {
	f := excelize.NewFile()
	const sheet = "每日注册人数和扫码人数统计表"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	r := header(f, sheet, sheet, day, now)
	head := []any{"地区", "代码", "当日注册人数", "累计注册人数", "当日扫码次数", "当日扫码人数", "当日发热人次"}
	if err := f.SetSheetRow(sheet, cell(1, r), &head); err != nil {
		return nil, err
	}
	cumByPath := map[string]float64{}
	for _, row := range cum.Rows {
		if row.Node != nil {
			cumByPath[row.Node.Path] = row.Values[0]
		}
	}
	line := func(at int, name, code string, vals []float64, cumulated float64) error {
		return f.SetSheetRow(sheet, cell(1, at), &[]any{name, code, vals[0], cumulated, vals[1], vals[2], vals[3]})
	}
	rows := day.Rows
	if len(day.GroupBy) == 0 {
		rows = nil // a community or a site: its total line only
	}
	for i, row := range rows {
		name, code, path := "", "", ""
		if row.Node != nil {
			name, code, path = row.Node.Name, row.Node.Code, row.Node.Path
		}
		if err := line(r+1+i, name, code, row.Values, cumByPath[path]); err != nil {
			return nil, err
		}
	}
	if err := line(r+1+len(rows), "合计", day.Under.Code, day.Totals, cum.Totals[0]); err != nil {
		return nil, err
	}
	return f, nil
}

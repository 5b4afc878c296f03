package stats

import (
	"context"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"
	"github.com/xuri/excelize/v2"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/predicate"
	"github.com/mashang/mashang/ent/scan"
	"github.com/mashang/mashang/tree"
)

// DefaultExportMaxRows is Exports.MaxRows' default: a district's scans over
// a few days.
const DefaultExportMaxRows = 1_000_000

// scansPage is how many scans one keyset page of an export reads: the
// memory of an export is one page plus the stream writer's buffer, whatever
// the row count.
const scansPage = 1000

// ScansFilter is the filter of a scans export: the caller's ScanWhereInput
// as Query.scans applies it, and the path of its `within` when it names one.
type ScansFilter struct {
	// Apply adds the where-input's predicates to a query (nil: none).
	Apply func(*ent.ScanQuery) (*ent.ScanQuery, error)
	// WithinPath is the region or site the filter names ("" for none).
	WithinPath string
}

func (f ScansFilter) query(c *ent.Client) (*ent.ScanQuery, error) {
	q := c.Scan.Query()
	if f.Apply == nil {
		return q, nil
	}
	return f.Apply(q)
}

// reasonLabels are the alert reasons of a scan in Chinese (door.Reason*).
var reasonLabels = map[string]string{"FEVER": "体温异常", "COLOUR_YELLOW": "黄码", "COLOUR_ORANGE": "橙码", "COLOUR_RED": "红码",
	"REFER": "需核实身份", "DENY": "拒绝通行"}

// scanHeader is the export's header row: the fields of seed 004 annex note
// 2 (管理侧出入扫码记录可查信息有姓名、证件号码、扫码类型、扫码点、扫码员、扫码时间、
// 健康码状况和体温结果), then fever, decision and the alert reasons.
var scanHeader = []any{"姓名（脱敏）", "证件号码（脱敏）", "扫码类型", "扫码点", "扫码员（脱敏）", "扫码时间",
	"健康码状况", "体温（℃）", "发热", "核验结果", "异常原因", "记录编号"}

// StartScans checks and starts an XLSX export of the scans the caller reads
// with Query.scans under f, newest first.
// SECURITY: the rows are read through the caller's own scope filter (never
// as the system), so the file holds exactly what Query.scans would return;
// the roles without the scan export line (GRID_WORKER, ORDINARY) are
// refused (TestAGridWorkerCannotExportScans), and so is a `within` outside
// the caller's scope (TestAnOfficialOfAnotherDistrictCannotExportItsScans).
// Only the masked name, ID number and scanner name are written.
func (x *Exports) StartScans(ctx context.Context, f ScansFilter) (*ExportJob, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	if err := x.checkScansScope(v, f.WithinPath); err != nil {
		return nil, err
	}
	q, err := f.query(database.ClientFrom(ctx, x.Query.Client))
	if err != nil {
		return nil, err
	}
	total, err := q.Count(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "stats.StartScans")
	}
	if max := x.maxRows(); total > max {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "where",
			"The filter selects %d scans, more than the %d one export may hold: narrow it (a shorter time or a smaller region) and start again.", total, max)
	}
	client := x.Query.Client
	return x.startJob(ctx, v, jobSpec{kind: ExportScans, name: "扫码记录", total: &total, scoped: true,
		build: func(ctx context.Context, progress func(float64, int)) (*excelize.File, error) {
			return scansWorkbook(ctx, client, f, total, x.maxRows(), progress)
		}})
}

func (x *Exports) maxRows() int {
	if x.MaxRows > 0 {
		return x.MaxRows
	}
	return DefaultExportMaxRows
}

// checkScansScope asks the scan export line at the caller's scope, or at
// the `within` node. A `within` above the scope (the province, for a
// district's official) is allowed: the scope filter trims the rows to the
// caller's own. A `within` beside it is FORBIDDEN, not an empty file.
func (x *Exports) checkScansScope(v *mashang.Viewer, within string) error {
	e := authz.OrDefault(x.Query.Enforcer)
	now := x.Query.now()
	if !e.Can(v, authz.ObjScan, authz.ActExport, v.ScopePath, now) {
		return mashang.Errorf(mashang.EFORBIDDEN, "A %s account may not export scan records (policy: scan, export).", v.Role)
	}
	if within == "" || e.Can(v, authz.ObjScan, authz.ActExport, within, now) || tree.Contains(within, v.ScopePath) {
		return nil
	}
	return mashang.FieldErrorf(mashang.EFORBIDDEN, "where.within", "The region or site you filter by lies outside your scope: you may export only the scans under your own.")
}

// scansWorkbook streams the scans page by page (keyset on server time and
// id, newest first) into one sheet; at most max rows.
func scansWorkbook(ctx context.Context, c *ent.Client, f ScansFilter, total, max int, progress func(float64, int)) (*excelize.File, error) {
	wb := excelize.NewFile()
	const sheet = "扫码记录"
	if err := wb.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	sw, err := wb.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	_ = sw.SetColWidth(1, 2, 16)
	_ = sw.SetColWidth(4, 4, 24)
	_ = sw.SetColWidth(6, 6, 20)
	_ = sw.SetColWidth(11, 11, 20)
	if err := sw.SetRow("A1", scanHeader); err != nil {
		return nil, err
	}
	rows := 0
	var after *ent.Scan
	for rows < max {
		page, err := scansAfter(ctx, c, f, after, min(scansPage, max-rows))
		if err != nil {
			return nil, err
		}
		for _, s := range page {
			rows++
			if err := sw.SetRow(cell(1, rows+1), scanCells(s)); err != nil {
				return nil, err
			}
		}
		if total > 0 {
			progress(min(0.99, float64(rows)/float64(total)), rows)
		}
		if len(page) < scansPage {
			break
		}
		after = page[len(page)-1]
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	progress(1, rows)
	return wb, nil
}

// scansAfter reads the next page after the last scan of the previous one.
func scansAfter(ctx context.Context, c *ent.Client, f ScansFilter, after *ent.Scan, n int) ([]*ent.Scan, error) {
	q, err := f.query(c)
	if err != nil {
		return nil, err
	}
	if after != nil {
		t, id := after.ServerTime, after.ID
		q = q.Where(predicate.Scan(func(s *sql.Selector) {
			s.Where(sql.Or(sql.LT(s.C(scan.FieldServerTime), t),
				sql.And(sql.EQ(s.C(scan.FieldServerTime), t), sql.LT(s.C(scan.FieldID), id))))
		}))
	}
	page, err := q.Order(ent.Desc(scan.FieldServerTime), ent.Desc(scan.FieldID)).Limit(n).
		Select(scan.FieldNameMasked, scan.FieldIDNumberMasked, scan.FieldMethod, scan.FieldSiteName, scan.FieldScannerName,
			scan.FieldServerTime, scan.FieldColour, scan.FieldTemperature, scan.FieldFever, scan.FieldDecision, scan.FieldAlertReasons).
		All(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "stats.scansAfter")
	}
	return page, nil
}

// scanCells is one scan's line: masks only (seed 001 §3 个人隐私等敏感数据一律
// 脱敏后再进行前后台显示), enums by their Chinese labels.
func scanCells(s *ent.Scan) []any {
	colour := ""
	if s.Colour != nil {
		colour = label(colourLabels, string(*s.Colour))
	}
	fever := "否"
	if s.Fever {
		fever = "是"
	}
	reasons := make([]string, 0, len(s.AlertReasons))
	for _, r := range s.AlertReasons {
		reasons = append(reasons, label(reasonLabels, r))
	}
	return []any{s.NameMasked, s.IDNumberMasked, label(methodLabels, string(s.Method)), s.SiteName, s.ScannerName,
		s.ServerTime.In(Zone).Format(time.DateTime), colour, s.Temperature, fever, label(decisionLabels, string(s.Decision)),
		strings.Join(reasons, "、"), s.ID}
}

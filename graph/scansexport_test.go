package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/auditevent"
	"github.com/mashang/mashang/internal/apitest"
)

const startScansExport = `mutation($w: ScanWhereInput) { startScansExport(where: $w) { id kind status total } }`

type scansExportAnswer struct {
	StartScansExport struct {
		ID, Kind, Status string
		Total            *int
	}
}

// scansExportWorld: the health world with two scans of 赵六 at 南湖公园 (朝阳区),
// one at 37.8 °C (a fever, denied) and one at 36.5 °C.
func scansExportWorld(t *testing.T, db *database.DB) *healthWorld {
	t.Helper()
	w := newHealthWorld(t, db)
	for i, temp := range []float64{37.8, 36.5} {
		code := issueCode(t, w.srv, w.resident.Token)
		if _, resp := recordScan(t, w.srv, w.scanner.token, map[string]any{"clientId": fmt.Sprintf("export-%d", i), "site": w.park,
			"method": "SCAN_CODE", "token": code, "temperature": temp, "latitude": 43.86, "longitude": 125.31}); len(resp.Errors) > 0 {
			t.Fatalf("scan %d: %+v", i, resp.Errors)
		}
	}
	return w
}

func exportScans(t *testing.T, srv *apitest.Server, token string, where map[string]any) *apitest.Response {
	t.Helper()
	vars := map[string]any{"w": nil}
	if where != nil {
		vars["w"] = where
	}
	return srv.QueryAs(token, startScansExport, vars)
}

// TestScansExportHoldsTheFilteredScansMasked: the file holds exactly the
// scans of the filter, with masks only (never 赵六's name or ID number).
func TestScansExportHoldsTheFilteredScansMasked(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := scansExportWorld(t, db)
		sw := &statsWorld{srv: w.srv}
		var fevers scansExportAnswer
		exportScans(t, w.srv, w.official.token, map[string]any{"fever": true, "within": w.district}).Decode(t, &fevers)
		if a := fevers.StartScansExport; a.Kind != "SCANS" || a.Total == nil || *a.Total != 1 {
			t.Fatalf("started %+v, want kind SCANS and total 1", a)
		}
		text := sheetText(t, sw.download(t, w.official.token, fevers.StartScansExport.ID), "扫码记录")
		lines := strings.Split(strings.TrimSpace(text), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], "姓名（脱敏）|证件号码（脱敏）|扫码类型|扫码点|扫码员（脱敏）|扫码时间|健康码状况|体温（℃）|发热|核验结果") {
			t.Fatalf("fever export:\n%s", text)
		}
		for _, want := range []string{"|扫码|南湖公园|", "|37.8|是|拒绝|", "体温异常"} {
			if !strings.Contains(lines[1], want) {
				t.Fatalf("fever row lacks %q: %s", want, lines[1])
			}
		}
		var all scansExportAnswer
		exportScans(t, w.srv, w.official.token, nil).Decode(t, &all)
		text = sheetText(t, sw.download(t, w.official.token, all.StartScansExport.ID), "扫码记录")
		if n := strings.Count(strings.TrimSpace(text), "\n"); n != 2 || !strings.Contains(text, "|36.5|否|通过|") {
			t.Fatalf("want 2 scans in the unfiltered export:\n%s", text)
		}
		if n, err := db.Client.AuditEvent.Query().Where(auditevent.Action("startScansExport"), auditevent.OutcomeEQ(auditevent.OutcomeSUCCEEDED)).
			Count(context.Background()); err != nil || n != 2 {
			t.Fatalf("%d audited exports (%v), want 2", n, err)
		}
		for _, clear := range []string{"赵六", "19900307", "220104199003070", "扫码员|"} {
			if strings.Contains(text, clear) {
				t.Fatalf("the export holds %q in clear:\n%s", clear, text)
			}
		}
	})
}

// TestAGridWorkerCannotExportScans: reading its community's scans is not
// exporting them (policy: no scan export line for GRID_WORKER); nor does a
// door scanner export.
func TestAGridWorkerCannotExportScans(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := scansExportWorld(t, db)
		wantCodes(t, exportScans(t, w.srv, w.grid.token, nil), "FORBIDDEN")
		// A refused bulk export of personal records is audited.
		mustRefusal(t, db, "startScansExport", w.grid.ID, "FORBIDDEN")
		wantCodes(t, exportScans(t, w.srv, w.grid.token, map[string]any{"within": w.community}), "FORBIDDEN")
		wantCodes(t, exportScans(t, w.srv, w.scanner.token, nil), "FORBIDDEN")
		wantCodes(t, exportScans(t, w.srv, "", nil), "UNAUTHENTICATED")
	})
}

// TestAnOfficialOfAnotherDistrictCannotExportItsScans: 宁国市's official
// filtering by 朝阳区 is refused; without a filter it gets its own scope
// only (no scan of 朝阳区).
func TestAnOfficialOfAnotherDistrictCannotExportItsScans(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := scansExportWorld(t, db)
		wantCodes(t, exportScans(t, w.srv, w.outsider.token, map[string]any{"within": w.district}), "FORBIDDEN")
		wantCodes(t, exportScans(t, w.srv, w.outsider.token, map[string]any{"within": w.park}), "NOT_FOUND")
		var own scansExportAnswer
		exportScans(t, w.srv, w.outsider.token, nil).Decode(t, &own)
		if own.StartScansExport.Total == nil || *own.StartScansExport.Total != 0 {
			t.Fatalf("outsider's export %+v, want total 0", own.StartScansExport)
		}
		text := sheetText(t, (&statsWorld{srv: w.srv}).download(t, w.outsider.token, own.StartScansExport.ID), "扫码记录")
		if strings.Contains(text, "南湖公园") || strings.Count(text, "\n") != 1 {
			t.Fatalf("the outsider's export holds scans of another district:\n%s", text)
		}
	})
}

// TestAScansExportAboveTheRowCapIsRefused before any job starts.
func TestAScansExportAboveTheRowCapIsRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := scansExportWorld(t, db)
		w.srv.Services.Exports.MaxRows = 1
		resp := exportScans(t, w.srv, w.official.token, nil)
		wantCodes(t, resp, "INVALID_INPUT")
		if msg := resp.Errors[0].Message; !strings.Contains(msg, "2") || !strings.Contains(msg, "1") {
			t.Fatalf("the refusal names neither the count nor the cap: %q", msg)
		}
		var one scansExportAnswer
		exportScans(t, w.srv, w.official.token, map[string]any{"fever": true}).Decode(t, &one)
		if one.StartScansExport.Total == nil || *one.StartScansExport.Total != 1 {
			t.Fatalf("a filter within the cap: %+v", one.StartScansExport)
		}
	})
}

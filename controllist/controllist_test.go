package controllist_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/xuri/excelize/v2"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/controllist"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/importjob"
	"github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/scenario"
)

// A district's list in CSV with Chinese headers: good rows applied, every
// bad row reported at its file line without the ID in clear, and the same
// file uploaded again changes nothing.
func TestCSVChineseHeaders(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		chaoyang := e.regions["220104"].Path

		idA, idB, idH := idFor(t, "220104", 1), idFor(t, "220104", 2), idFor(t, "220104", 8)
		idC, idD, idE := idFor(t, "220104", 3), idFor(t, "220104", 4), idFor(t, "220104", 5)
		idF, idI := idFor(t, "220104", 6), idFor(t, "220104", 9)
		idG := idFor(t, "220105", 7)  // lives in another district
		idJ := idFor(t, "220104", 10) // registered without residence
		passport := "E12345678"       // a foreigner in Chaoyang
		a := e.register(t, "张三", "RESIDENT_ID", idA, "220104")
		b := e.register(t, "李四", "RESIDENT_ID", idB, "220104")
		e.register(t, "王五", "RESIDENT_ID", idC, "220104")
		d := e.register(t, "赵六", "RESIDENT_ID", idD, "220104")
		e.register(t, "钱七", "RESIDENT_ID", idE, "220104")
		g := e.register(t, "孙八", "RESIDENT_ID", idG, "220105")
		h := e.register(t, "周九", "RESIDENT_ID", idH, "220104")
		j := e.register(t, "郑十一", "RESIDENT_ID", idJ, "")
		pp := e.register(t, "John Smith", "PASSPORT", passport, "220104")

		file, line := csvFile(
			"序号,姓名,身份证号,证件类型,管控类型,隔离截止,备注",
			"1,张三,"+idA+",,隔离,2026-11-30,",                       // 1: applied, ORANGE
			"2,李四,"+strings.ToLower(idB)+",身份证,确诊,,\"转运\n定点医院\"", // 2: applied, RED; spans two lines
			"3,王五,"+wrongCheck(idC)+",,密接,,",                     // 3: bad check digit
			"4,赵六,"+idD+",,高风险,,",                                // 4: unknown risk
			"5,钱七,"+idE+",,隔离,2026-13-45,",                       // 5: bad date
			"6,,"+idF+",,疑似,,",                                   // 6: unknown person, no name
			"7,张三,"+idA+",,确诊,,",                                 // 7: duplicate of 1
			"8,孙八,"+idG+",,确诊,,",                                 // 8: outside the district
			",,,,,,",                                             // blank: skipped, not counted
			"9,周九,"+idH+",,解除,2026-11-01,",                       // 9: already NONE: unchanged
			"10,吴十,"+idI+",,密接,,",                                // 10: unknown, named, but no residence would be outside
			"11,郑十一,"+idJ+",,密接,,",                               // 11: registered without residence: outside
			"12,John Smith,"+passport+",护照,隔离,2026/12/05,",       // 12: applied, ORANGE
		)
		// Expected lines: the header is 1; row 2's note spans lines 3–4.
		if line[3] != 5 || line[13] != 15 {
			t.Fatalf("test file lines %v", line)
		}
		job := e.submitRun(t, "管控名单.csv", file, chaoyang)
		if job.Status != importjob.StatusDONE || job.FinishedAt == nil || job.StartedAt == nil || job.HeartbeatAt == nil {
			t.Fatalf("job %s started %v finished %v heartbeat %v, failure %q", job.Status, job.StartedAt, job.FinishedAt, job.HeartbeatAt, job.Failure)
		}
		wantCounts(t, job, counts{total: 12, processed: 12, applied: 3, unchanged: 1, invalid: 8})
		wantRowErrors(t, job, map[int]string{
			line[3]:  "check digit",
			line[4]:  "risk",
			line[5]:  "quarantine_end",
			line[6]:  "no person registered with this ID; add a name column",
			line[7]:  fmt.Sprintf("duplicate of line %d", line[1]),
			line[8]:  "outside your region",
			line[11]: "outside your region",
			line[12]: "outside your region",
		})
		wantNoPII(t, job, idA, idB, idC, wrongCheck(idC), idD, idE, idF, idG, idH, idI, idJ, passport,
			idC[:17], idD[:17], idE[:17], idF[:17], idG[:17], idI[:17], idJ[:17],
			"王五", "赵六", "钱七", "孙八", "吴十", "郑十一")

		ctx := context.Background()
		reload := func(p *ent.Person) *ent.Person { return db.Client.Person.GetX(ctx, p.ID) }
		if p := reload(a); p.Colour != scenario.ColourOrange || p.Risk != person.RiskQUARANTINED || p.QuarantineEnds == nil || !p.QuarantineEnds.Equal(endOfDay(2026, 11, 30)) {
			t.Fatalf("A: %s %s ends %v, want ORANGE QUARANTINED ending %v", p.Colour, p.Risk, p.QuarantineEnds, endOfDay(2026, 11, 30))
		}
		if p := reload(b); p.Colour != scenario.ColourRed || p.Risk != person.RiskCONFIRMED || p.QuarantineEnds != nil {
			t.Fatalf("B: %s %s ends %v, want RED CONFIRMED", p.Colour, p.Risk, p.QuarantineEnds)
		}
		if p := reload(pp); p.Colour != scenario.ColourOrange || p.QuarantineEnds == nil || !p.QuarantineEnds.Equal(endOfDay(2026, 12, 5)) {
			t.Fatalf("passport holder: %s ends %v", p.Colour, p.QuarantineEnds)
		}
		for _, p := range []*ent.Person{d, g, h, j} {
			if p := reload(p); p.Colour != scenario.ColourGreen || p.Risk != person.RiskNONE {
				t.Fatalf("person %d changed by an invalid or unchanged row: %s %s", p.ID, p.Colour, p.Risk)
			}
		}
		if e.person(t, "RESIDENT_ID", idF) != nil || e.person(t, "RESIDENT_ID", idI) != nil {
			t.Fatal("an invalid row registered a person")
		}
		ccs := colourChanges(t, db.Client, a.ID)
		if len(ccs) != 1 || ccs[0].ByAccountID == nil || *ccs[0].ByAccountID != official {
			t.Fatalf("colour changes of A: %+v, want one by account %d", ccs, official)
		}

		// The same file again: nothing new is applied.
		again := e.submitRun(t, "管控名单.csv", file, chaoyang)
		wantCounts(t, again, counts{total: 12, processed: 12, applied: 0, unchanged: 4, invalid: 8})
		if len(colourChanges(t, db.Client, a.ID)) != 1 || len(colourChanges(t, db.Client, b.ID)) != 1 {
			t.Fatal("a re-upload changed colours again")
		}
		if again.ContentHash != job.ContentHash {
			t.Fatal("the same content has two content hashes")
		}

		// Running a DONE job again is a no-op.
		if err := e.svc.Run(ctx, job.ID); err != nil {
			t.Fatal(err)
		}
		if j := e.job(t, job.ID); j.AppliedRows != 3 || j.UnchangedRows != 1 || !j.FinishedAt.Equal(*job.FinishedAt) {
			t.Fatalf("re-running a DONE job changed it: %+v", j)
		}
	})
}

// An XLSX workbook (first sheet) with English headers in another order and
// case, a real Excel date cell, a date-time, a new person registered by
// name, and bad rows at their row numbers; the province's scope "/".
func TestXLSX(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		idA, idB, idN := idFor(t, "220104", 1), idFor(t, "220105", 2), idFor(t, "220104", 3)
		idBad, idUnknown := idFor(t, "220104", 4), idFor(t, "220104", 5)
		a := e.register(t, "张三", "RESIDENT_ID", idA, "220104")
		b := e.register(t, "李四", "RESIDENT_ID", idB, "220105")

		f := excelize.NewFile()
		defer f.Close()
		sh := "名单"
		if err := f.SetSheetName("Sheet1", sh); err != nil {
			t.Fatal(err)
		}
		set := func(cell string, v any) {
			t.Helper()
			if err := f.SetCellValue(sh, cell, v); err != nil {
				t.Fatal(err)
			}
		}
		for i, h := range []string{"Name", "RISK", "ID Number", "Quarantine_End", "id_type", "Remark"} {
			cell, _ := excelize.CoordinatesToCellName(i+1, 1)
			set(cell, h)
		}
		// Row 2: a real Excel date (formatted as a date cell).
		set("A2", "张三")
		set("B2", "QUARANTINED")
		set("C2", idA)
		set("D2", time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
		// Row 3: confirmed.
		set("A3", "李四")
		set("B3", "confirmed")
		set("C3", idB)
		// Row 4 left blank. Row 5: a new person, registered from the name.
		set("A5", "新人")
		set("B5", "密切接触者")
		set("C5", idN)
		set("D5", "2026-12-03T18:00:00+08:00")
		// Row 6: bad check digit. Row 7: a number that lost its digits.
		set("A6", "错号")
		set("B6", "隔离")
		set("C6", wrongCheck(idBad))
		set("B7", "隔离")
		set("C7", float64(220104199003071234))
		// Row 8: unknown person without a name.
		set("B8", "确诊")
		set("C8", idUnknown)
		// A second sheet that must not be read.
		if _, err := f.NewSheet("Other"); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellValue("Other", "A1", "id_number"); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}

		job := e.submitRun(t, "list.XLSX", buf.Bytes(), "/")
		if job.Format != importjob.FormatXLSX || job.Status != importjob.StatusDONE {
			t.Fatalf("job %s %s, failure %q", job.Format, job.Status, job.Failure)
		}
		wantCounts(t, job, counts{total: 6, processed: 6, applied: 3, unchanged: 0, invalid: 3})
		wantRowErrors(t, job, map[int]string{
			6: "check digit",
			7: "scientific notation",
			8: "no person registered with this ID",
		})
		wantNoPII(t, job, idBad, wrongCheck(idBad), idBad[:17], idUnknown, idUnknown[:17], "错号", "220104199003071")

		ctx := context.Background()
		if p := db.Client.Person.GetX(ctx, a.ID); p.Colour != scenario.ColourOrange || p.QuarantineEnds == nil || !p.QuarantineEnds.Equal(endOfDay(2026, 11, 30)) {
			t.Fatalf("A: %s ends %v, want ORANGE ending %v", p.Colour, p.QuarantineEnds, endOfDay(2026, 11, 30))
		}
		if p := db.Client.Person.GetX(ctx, b.ID); p.Colour != scenario.ColourRed {
			t.Fatalf("B: %s, want RED", p.Colour)
		}
		n := e.person(t, "RESIDENT_ID", idN)
		wantEnd := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
		if n == nil || n.Colour != scenario.ColourOrange || n.Risk != person.RiskCLOSE_CONTACT || n.QuarantineEnds == nil || !n.QuarantineEnds.Equal(wantEnd) || n.NameMasked != "新*" {
			t.Fatalf("new person: %+v, want registered ORANGE CLOSE_CONTACT ending %v", n, wantEnd)
		}

		// Again: the registered person is now unchanged too.
		again := e.submitRun(t, "list.xlsx", buf.Bytes(), "/")
		wantCounts(t, again, counts{total: 6, processed: 6, applied: 0, unchanged: 3, invalid: 3})
	})
}

// A file that cannot be read FAILS as a whole, before any row is applied;
// running it again changes nothing.
func TestUnreadableFileFails(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		id := idFor(t, "220104", 1)
		p := e.register(t, "张三", "RESIDENT_ID", id, "220104")

		cases := []struct {
			name, filename string
			content        []byte
			failure        string
		}{
			// A zip that opens, but holds no workbook: read when the job runs.
			{"ZipWithoutAWorkbook", "list.xlsx", zipOf(t, "notes.txt", "身份证号,风险"), "damaged"},
			{"MissingRiskColumn", "list.csv", []byte("身份证号,隔离结束\n" + id + ",2026-11-30\n"), "lacks the column risk"},
			{"DuplicateColumn", "list.csv", []byte("身份证号,risk,证件号码\n" + id + ",确诊," + id + "\n"), "appears twice"},
			{"BrokenQuotes", "list.csv", []byte("身份证号,risk\n" + id + ",确诊\n\"" + id + ",确\"诊\n"), "line 3"},
			{"OnlyBlankLines", "list.csv", []byte("\n\n,,\n"), "no header row"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				job := e.submitRun(t, c.filename, c.content, "/")
				if job.Status != importjob.StatusFAILED || !strings.Contains(job.Failure, c.failure) || job.FinishedAt == nil {
					t.Fatalf("job %s failure %q, want FAILED mentioning %q", job.Status, job.Failure, c.failure)
				}
				wantNoPII(t, job, id, id[:17])
				if job.AppliedRows != 0 || job.ProcessedRows != 0 {
					t.Fatalf("a failed file applied rows: %+v", job)
				}
				if err := e.svc.Run(ctx, job.ID); err != nil {
					t.Fatal(err)
				}
				if again := e.job(t, job.ID); again.Status != importjob.StatusFAILED || !again.FinishedAt.Equal(*job.FinishedAt) {
					t.Fatalf("re-running a FAILED job changed it: %s", again.Status)
				}
			})
		}
		if got := db.Client.Person.GetX(ctx, p.ID); got.Colour != scenario.ColourGreen {
			t.Fatalf("a failed file changed a colour: %s", got.Colour)
		}
	})
}

// Submit refuses what it cannot read, with a message on the field "file",
// and stores nothing.
func TestSubmitRefuses(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		e.svc.MaxBytes = 200
		// “身份证号,风险” in GBK.
		gbk := []byte{0xC9, 0xED, 0xB7, 0xDD, 0xD6, 0xA4, 0xBA, 0xC5, ',', 0xB7, 0xE7, 0xCF, 0xD5, '\n'}
		cases := []struct {
			name, filename string
			content        []byte
			message        string
		}{
			{"Empty", "list.csv", nil, "empty"},
			{"TooLarge", "list.csv", bytes.Repeat([]byte("a"), 201), "at most"},
			{"GBK", "list.csv", gbk, "UTF-8"},
			{"Latin1", "list.csv", []byte("id_number,risk\nJos\xe9,CONFIRMED\n"), "UTF-8"},
			{"UTF16", "list.csv", []byte("\xFF\xFEi\x00d\x00"), "UTF-8"},
			{"XLSXNamedCSV", "list.csv", []byte("PK\x03\x04rest"), "rename it to .xlsx"},
			{"CSVNamedXLSX", "list.xlsx", []byte("id_number,risk\n"), "not an Excel workbook"},
			// Not even a zip: its directory cannot be read to measure it
			// (issue 10 #5), so it is refused at once.
			{"CorruptXLSX", "list.xlsx", append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0x13, 0x37}, 50)...), "damaged"},
			{"OldXLS", "list.xlsx", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), ".xls"},
			{"XLSName", "list.xls", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), ".xlsx"},
			{"Text", "list.txt", []byte("id_number,risk\n"), ".csv"},
			{"NoExtension", "list", []byte("id_number,risk\n"), "extension"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := e.svc.Submit(ctx, c.filename, c.content, official, "/")
				me := wantCode(t, err, mashang.EINVALID, "file")
				if !strings.Contains(me.Message, c.message) {
					t.Fatalf("message %q, want it to mention %q", me.Message, c.message)
				}
			})
		}
		if n := db.Client.ImportJob.Query().CountX(ctx); n != 0 {
			t.Fatalf("%d jobs stored for refused uploads", n)
		}

		t.Run("NotAnOfficial", func(t *testing.T) {
			_, err := e.svc.Submit(ctx, "list.csv", []byte("id_number,risk\n"), 0, "/")
			wantCode(t, err, mashang.EFORBIDDEN, "")
		})
		t.Run("UTF8WithBOMAndWindowsPath", func(t *testing.T) {
			job, err := e.svc.Submit(ctx, `C:\Users\官员\名单.csv`, []byte("\xEF\xBB\xBF身份证号,风险\n"), official, "/22/")
			if err != nil {
				t.Fatal(err)
			}
			if job.Filename != "名单.csv" || job.Format != importjob.FormatCSV || job.Status != importjob.StatusPENDING ||
				job.ScopePath != "/22/" || job.SubmittedByID != official || !job.CreatedAt.Equal(t0) {
				t.Fatalf("job %+v", job)
			}
			if err := e.svc.Run(ctx, job.ID); err != nil {
				t.Fatal(err)
			}
			wantCounts(t, e.job(t, job.ID), counts{})
		})
	})
}

// The file is stored sealed: the bytes in the database contain no ID number
// and its hash is keyed, yet the job reads it back.
func TestContentStoredSealed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		ids := []string{idFor(t, "220104", 1), idFor(t, "220104", 2)}
		for i, id := range ids {
			e.register(t, fmt.Sprintf("居民%d", i), "RESIDENT_ID", id, "220104")
		}
		plain := []byte("身份证号,风险\n" + ids[0] + ",确诊\n" + ids[1] + ",密接\n")
		job, err := e.svc.Submit(ctx, "list.csv", plain, official, "/")
		if err != nil {
			t.Fatal(err)
		}
		q := "SELECT content, content_hash FROM import_jobs WHERE id = ?"
		if db.Dialect == dialect.Postgres {
			q = "SELECT content, content_hash FROM import_jobs WHERE id = $1"
		}
		var raw []byte
		var hash string
		if err := db.SQL.QueryRowContext(ctx, q, job.ID).Scan(&raw, &hash); err != nil {
			t.Fatal(err)
		}
		if len(raw) == 0 {
			t.Fatal("no content stored")
		}
		for _, id := range ids {
			for _, s := range []string{id, id[:17], id[6:14] + id[14:17]} {
				if bytes.Contains(raw, []byte(s)) {
					t.Fatalf("stored content contains %q in clear", s)
				}
			}
		}
		if bytes.Contains(raw, []byte("身份证号")) {
			t.Fatal("stored content is the plain file")
		}
		plainHash := sha256.Sum256(plain)
		if len(hash) != 64 || hash == hex.EncodeToString(plainHash[:]) {
			t.Fatalf("content hash %q is missing or the unkeyed SHA-256 of the file (a dictionary target)", hash)
		}
		opened, err := e.box.Open(controllist.FieldControlList, raw)
		if err != nil || opened != string(plain) {
			t.Fatalf("sealed content does not open to the file: %v", err)
		}
		if err := e.svc.Run(ctx, job.ID); err != nil {
			t.Fatal(err)
		}
		wantCounts(t, e.job(t, job.ID), counts{total: 2, processed: 2, applied: 2})
	})
}

// Two replicas calling RunPending at the same moment run each job once.
func TestRunPendingConcurrent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		const n = 20
		var ids []string
		for i := range n {
			id := idFor(t, "220104", i+1)
			ids = append(ids, id)
			e.register(t, fmt.Sprintf("居民%d", i), "RESIDENT_ID", id, "220104")
		}
		// Two replicas: services of their own over the same database.
		other := *e.svc
		replicas := []*controllist.Service{e.svc, &other}
		for round, risk := range []string{"QUARANTINED", "CONFIRMED", "RELEASED"} {
			var b strings.Builder
			b.WriteString("id_number,risk\n")
			for _, id := range ids {
				b.WriteString(id + "," + risk + "\n")
			}
			job, err := e.svc.Submit(ctx, "list.csv", []byte(b.String()), official, "/")
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			start := make(chan struct{})
			ran := make([]int, len(replicas))
			errs := make([]error, len(replicas))
			for i, r := range replicas {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					ran[i], errs[i] = r.RunPending(ctx, time.Minute)
				}()
			}
			close(start)
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
			}
			if ran[0]+ran[1] != 1 {
				t.Fatalf("round %d: replicas ran %v jobs, want 1 in all", round, ran)
			}
			got := e.job(t, job.ID)
			if got.Status != importjob.StatusDONE {
				t.Fatalf("round %d: job %s", round, got.Status)
			}
			wantCounts(t, got, counts{total: n, processed: n, applied: n})
		}
		// Each person changed colour exactly three times: GREEN → ORANGE → RED → GREEN.
		for _, id := range ids {
			p := e.person(t, "RESIDENT_ID", id)
			ccs := colourChanges(t, db.Client, p.ID)
			if len(ccs) != 3 || p.Colour != scenario.ColourGreen {
				t.Fatalf("person %d: %d colour changes, colour %s; want 3 and GREEN", p.ID, len(ccs), p.Colour)
			}
		}
		if ran, err := e.svc.RunPending(ctx, time.Minute); err != nil || ran != 0 {
			t.Fatalf("nothing pending, yet RunPending ran %d (%v)", ran, err)
		}
	})
}

// A RUNNING job whose heartbeat is recent belongs to a live replica: it is
// neither run by RunPending nor by Run. Once its heartbeat is stale it is
// taken over and resumed after the last row its runner recorded.
func TestStaleJobTakenOverAndResumed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		var ps []*ent.Person
		var b strings.Builder
		b.WriteString("id_number,risk\n")
		for i := range 5 {
			id := idFor(t, "220104", i+1)
			ps = append(ps, e.register(t, fmt.Sprintf("居民%d", i), "RESIDENT_ID", id, "220104"))
			b.WriteString(id + ",CONFIRMED\n")
		}
		job, err := e.svc.Submit(ctx, "list.csv", []byte(b.String()), official, "/")
		if err != nil {
			t.Fatal(err)
		}
		// A replica claimed it, recorded two rows and died.
		hb := t0.Add(-10 * time.Second)
		db.Client.ImportJob.UpdateOneID(job.ID).SetStatus(importjob.StatusRUNNING).SetStartedAt(hb).
			SetHeartbeatAt(hb).SetTotalRows(5).SetProcessedRows(2).SetAppliedRows(2).ExecX(ctx)

		if ran, err := e.svc.RunPending(ctx, time.Minute); err != nil || ran != 0 {
			t.Fatalf("a live job was run: %d, %v", ran, err)
		}
		wantCode(t, e.svc.Run(ctx, job.ID), mashang.ECONFLICT, "")

		e.clk.Add(2 * time.Minute)
		if ran, err := e.svc.RunPending(ctx, time.Minute); err != nil || ran != 1 {
			t.Fatalf("a stale job was not taken over: %d, %v", ran, err)
		}
		got := e.job(t, job.ID)
		wantCounts(t, got, counts{total: 5, processed: 5, applied: 5})
		if got.Status != importjob.StatusDONE || !got.StartedAt.Equal(hb) {
			t.Fatalf("job %s started %v, want DONE and the first start kept", got.Status, got.StartedAt)
		}
		// Rows 1–2 were the dead runner's (here: never really applied, to
		// show they are not applied twice); rows 3–5 are this run's.
		for i, p := range ps {
			want := scenario.ColourRed
			if i < 2 {
				want = scenario.ColourGreen
			}
			if c := db.Client.Person.GetX(ctx, p.ID).Colour; c != want {
				t.Fatalf("row %d: %s, want %s", i+1, c, want)
			}
		}
	})
}

// Progress is written every 200 rows: a row sees the counts of the last
// checkpoint before it, and the total from the start.
func TestProgressEvery200Rows(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		const n = 250
		var b strings.Builder
		b.WriteString("证件号码,管控类型\n")
		row := map[int]int{} // person id → row index
		for i := range n {
			id := idFor(t, "220104", i+1)
			p := e.register(t, "居民", "RESIDENT_ID", id, "220104")
			row[p.ID] = i
			b.WriteString(id + ",密接\n")
		}
		job, err := e.svc.Submit(ctx, "list.csv", []byte(b.String()), official, "/")
		if err != nil {
			t.Fatal(err)
		}
		type seen struct{ total, processed, applied int }
		var mu sync.Mutex
		got := map[int]seen{}
		e.persons.OnColourChange = func(ctx context.Context, c *ent.Client, p *ent.Person, from, to, cause string) error {
			j := db.Client.ImportJob.GetX(context.Background(), job.ID) // outside the row's transaction
			mu.Lock()
			defer mu.Unlock()
			got[row[p.ID]] = seen{j.TotalRows, j.ProcessedRows, j.AppliedRows}
			return nil
		}
		if err := e.svc.Run(ctx, job.ID); err != nil {
			t.Fatal(err)
		}
		if len(got) != n {
			t.Fatalf("%d colour changes, want %d", len(got), n)
		}
		for i := range n {
			want := seen{total: n, processed: i / 200 * 200, applied: i / 200 * 200}
			if got[i] != want {
				t.Fatalf("row %d saw progress %+v, want %+v", i, got[i], want)
			}
		}
		wantCounts(t, e.job(t, job.ID), counts{total: n, processed: n, applied: n})
	})
}

// Every invalid row is counted; only the first 1000 are kept.
func TestRowErrorsCapped(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		var b strings.Builder
		b.WriteString("id_number,risk\n")
		const n = controllist.MaxRowErrors + 5
		for i := range n {
			b.WriteString(wrongCheck(idFor(t, "220104", i%999+1)) + ",CONFIRMED\n")
		}
		job := e.submitRun(t, "list.csv", []byte(b.String()), "/")
		wantCounts(t, job, counts{total: n, processed: n, invalid: n})
		errs := rowErrors(t, job)
		if len(errs) != controllist.MaxRowErrors || errs[0].Line != 2 || errs[len(errs)-1].Line != controllist.MaxRowErrors+1 {
			t.Fatalf("%d row errors from line %d to %d", len(errs), errs[0].Line, errs[len(errs)-1].Line)
		}
	})
}

package controllist_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/importjob"
)

// workbook builds a minimal XLSX whose first worksheet's XML is written by
// sheet (between <sheetData> and </sheetData>), deflated as it streams: a
// million identical rows make a file of a few KB.
func workbook(t *testing.T, sheet func(w io.Writer)) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	part := func(name, text string) {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, text)
	}
	part("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)
	part("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	part("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	part("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)
	w, err := z.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	io.WriteString(w, `<row r="1"><c r="A1" t="inlineStr"><is><t>id_number</t></is></c><c r="B1" t="inlineStr"><is><t>risk</t></is></c></row>`)
	sheet(w)
	io.WriteString(w, `</sheetData></worksheet>`)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipOf is a zip archive of one file.
func zipOf(t *testing.T, name, text string) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, err := z.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, text)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rows writes n one-cell rows without row numbers (each the same bytes).
func rows(n int) func(io.Writer) {
	return func(w io.Writer) {
		row := strings.Repeat(`<row><c t="inlineStr"><is><t>x</t></is></c></row>`, 1000)
		for i := 0; i < n/1000; i++ {
			io.WriteString(w, row)
		}
	}
}

// allocated runs f and returns the bytes it allocated (the MemStats delta).
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestASpreadsheetBombIsRefusedBeforeItIsRead (issue 10 #5): a workbook of
// a few KB holding a million one-cell rows, one that unpacks to hundreds of
// MiB, one whose single row is numbered five million, one whose zip
// directory lies about its sizes, and CSV files over the row limit are
// refused at upload with PAYLOAD_TOO_LARGE (or INVALID_INPUT for the
// damaged one) — measured without parsing them, in a few MiB of memory —
// and no job is written.
func TestASpreadsheetBombIsRefusedBeforeItIsRead(t *testing.T) {
	million := workbook(t, rows(1_000_000))
	if len(million) > 200<<10 {
		t.Fatalf("the bomb has %d bytes; it should be small", len(million))
	}
	huge := workbook(t, func(w io.Writer) {
		pad := strings.Repeat(" ", 1<<20)
		for i := 0; i < 300; i++ {
			io.WriteString(w, pad) // 300 MiB of white space between rows
		}
	})
	farDown := workbook(t, func(w io.Writer) {
		io.WriteString(w, `<x:row spans="1:2" r="5000000"><c r="A5000000"><v>1</v></c></x:row>`)
	})
	liar := lyingWorkbook(t)
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		for _, c := range []struct {
			name, file string
			content    []byte
			code       string
		}{
			{"AMillionRowsInAFewKilobytes", "list.xlsx", million, mashang.EPAYLOADTOOLARGE},
			{"AWorkbookUnpackingTo300MiB", "list.xlsx", huge, mashang.EPAYLOADTOOLARGE},
			{"ASingleRowNumberedFiveMillion", "list.xlsx", farDown, mashang.EPAYLOADTOOLARGE},
			{"AZipDirectoryThatLiesAboutSizes", "list.xlsx", liar, mashang.EINVALID},
			{"ACSVOfAHundredThousandAndOneRows", "list.csv", []byte("id_number,risk\n" + strings.Repeat("1,2\n", 100_001)), mashang.EPAYLOADTOOLARGE},
		} {
			t.Run(c.name, func(t *testing.T) {
				var err error
				n := allocated(func() { _, err = e.svc.Submit(ctx, c.file, c.content, official, "/") })
				wantCode(t, err, c.code, "file")
				if n > 16<<20 {
					t.Errorf("refusing the file allocated %d MiB; the check must stream", n>>20)
				}
				if jobs := db.Client.ImportJob.Query().CountX(ctx); jobs != 0 {
					t.Fatalf("%d jobs written for a refused file", jobs)
				}
			})
		}
		t.Run("AtTheLimitIsAccepted", func(t *testing.T) {
			for name, content := range map[string][]byte{
				"list.xlsx": workbook(t, rows(100_000)),
				"list.csv":  []byte("id_number,risk\n" + strings.Repeat("1,2\n", 100_000)),
			} {
				if _, err := e.svc.Submit(ctx, name, content, official, "/"); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}
		})
	})
}

// TestAListOverTheConfiguredRowLimitFailsWhole: the limit is configurable
// (MASHANG_CONTROL_LIST_MAX_ROWS); a job stored under a higher limit fails
// whole when run under a lower one, and no row is applied.
func TestAListOverTheConfiguredRowLimitFailsWhole(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		var b strings.Builder
		b.WriteString("id_number,risk\n")
		for i := 0; i < 11; i++ {
			fmt.Fprintf(&b, "%s,密接\n", idFor(t, "220104", i+1))
		}
		e.svc.MaxRows = 10
		_, err := e.svc.Submit(ctx, "list.csv", []byte(b.String()), official, "/")
		wantCode(t, err, mashang.EPAYLOADTOOLARGE, "file")
		e.svc.MaxRows = 11
		job, err := e.svc.Submit(ctx, "list.csv", []byte(b.String()), official, "/")
		if err != nil {
			t.Fatal(err)
		}
		e.svc.MaxRows = 10
		if err := e.svc.Run(ctx, job.ID); err != nil {
			t.Fatal(err)
		}
		job = e.job(t, job.ID)
		if job.Status != importjob.StatusFAILED || !strings.Contains(job.Failure, "more than 10 rows") || job.AppliedRows != 0 {
			t.Fatalf("job %s %q, %d applied: want FAILED over 10 rows, none applied", job.Status, job.Failure, job.AppliedRows)
		}
	})
}

// lyingWorkbook is a workbook whose worksheet claims to unpack to 100 bytes
// in the zip directory and unpacks to 50 MiB.
func lyingWorkbook(t *testing.T) []byte {
	t.Helper()
	plain := []byte(`<?xml version="1.0"?><worksheet><sheetData>` + strings.Repeat(" ", 50<<20) + `</sheetData></worksheet>`)
	var packed bytes.Buffer
	fw, _ := flate.NewWriter(&packed, flate.BestCompression)
	fw.Write(plain)
	fw.Close()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, err := z.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CRC32: crc32.ChecksumIEEE(plain), CompressedSize64: uint64(packed.Len()), UncompressedSize64: 100})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(packed.Bytes())
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

package controllist

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent/importjob"
	"github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/health"
	"github.com/mashang/mashang/persons"
)

// unreadable is a problem with the file as a whole: the job FAILS with its
// message and no row is applied.
type unreadable struct{ msg string }

func (e *unreadable) Error() string { return e.msg }

func failf(format string, args ...any) error {
	return &unreadable{msg: fmt.Sprintf(format, args...)}
}

// record is one non-blank data row with its line (CSV) or row (XLSX) number.
type record struct {
	line  int
	cells []string
}

// Columns of a control list.
const (
	colIDNumber = iota
	colRisk
	colQuarantineEnd
	colIDType
	colName
	numColumns
)

var columnNames = [numColumns]string{"id_number", "risk", "quarantine_end", "id_type", "name"}

// headerAliases maps a normalised header (normHeader) to its column.
var headerAliases = map[string]int{
	"id_number": colIDNumber, "idnumber": colIDNumber, "id_no": colIDNumber,
	"身份证号": colIDNumber, "身份证号码": colIDNumber, "证件号码": colIDNumber, "证件号": colIDNumber,

	"risk": colRisk, "风险": colRisk, "风险类型": colRisk, "管控类型": colRisk, "管控类别": colRisk,

	"quarantine_end": colQuarantineEnd, "quarantine_ends": colQuarantineEnd,
	"隔离结束": colQuarantineEnd, "隔离截止": colQuarantineEnd,
	"隔离结束日期": colQuarantineEnd, "隔离截止日期": colQuarantineEnd,
	"隔离结束时间": colQuarantineEnd, "隔离截止时间": colQuarantineEnd,

	"id_type": colIDType, "idtype": colIDType, "证件类型": colIDType,

	"name": colName, "姓名": colName,
}

func normHeader(h string) string {
	h = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
	h = strings.TrimSuffix(h, "*") // “身份证号*” marks a required column in many templates
	h = strings.ToLower(strings.TrimSpace(h))
	return strings.NewReplacer(" ", "_", "-", "_").Replace(h)
}

// table is a parsed file: where each known column is (-1 when absent) and
// the data rows after the header.
type table struct {
	col  [numColumns]int
	rows []record
}

// readTable parses a file of the format into its header and data rows.
// Blank rows are skipped and not counted.
// At most maxRows rows and a header are read (blank rows included): a longer
// file fails whole, and an XLSX is opened with the unpacked-size limit
// maxUnzipped (limits.go).
func readTable(format importjob.Format, content []byte, maxRows int, maxUnzipped int64) (*table, error) {
	var all []record
	var err error
	switch format {
	case importjob.FormatCSV:
		all, err = readCSV(content, maxRows)
	case importjob.FormatXLSX:
		all, err = readXLSX(content, maxRows, maxUnzipped)
	default:
		err = failf("Unknown file format %q.", format)
	}
	if err != nil {
		return nil, mashang.Wrap(err, "controllist.readTable")
	}
	t, header, err := findHeader(all)
	if err != nil {
		return nil, mashang.Wrap(err, "controllist.readTable")
	}
	for _, r := range all[header+1:] {
		if !blank(r.cells) {
			t.rows = append(t.rows, r)
		}
	}
	return t, nil
}

// findHeader finds the header (the first non-blank row) and the columns it
// names.
func findHeader(all []record) (*table, int, error) {
	var t table
	header := -1
	for i, r := range all {
		if !blank(r.cells) {
			header = i
			break
		}
	}
	if header < 0 {
		return nil, 0, failf("The file has no header row: the first row must name the columns id_number (身份证号) and risk (风险), optionally quarantine_end (隔离结束), id_type (证件类型) and name (姓名).")
	}
	for c := range t.col {
		t.col[c] = -1
	}
	for i, h := range all[header].cells {
		c, ok := headerAliases[normHeader(h)]
		if !ok {
			continue // other columns (序号, 备注, …) are ignored
		}
		if t.col[c] >= 0 {
			return nil, 0, failf("Line %d: the column %s appears twice in the header (columns %d and %d).", all[header].line, columnNames[c], t.col[c]+1, i+1)
		}
		t.col[c] = i
	}
	var missing []string
	if t.col[colIDNumber] < 0 {
		missing = append(missing, "id_number (身份证号 or 证件号码)")
	}
	if t.col[colRisk] < 0 {
		missing = append(missing, "risk (风险 or 管控类型)")
	}
	if len(missing) > 0 {
		return nil, 0, failf("Line %d: the header lacks the column %s. The first row must name the columns; accepted: id_number/身份证号/证件号码, risk/风险/管控类型, quarantine_end/隔离结束/隔离截止, id_type/证件类型, name/姓名.", all[header].line, strings.Join(missing, " and "))
	}
	return &t, header, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func readCSV(content []byte, maxRows int) ([]record, error) {
	text := bytes.TrimPrefix(content, utf8BOM)
	if !utf8.Valid(text) {
		return nil, failf("The file is not UTF-8 text: %s.", saveAsMsg)
	}
	r := csv.NewReader(bytes.NewReader(text))
	r.Comma = sniffComma(text)
	r.FieldsPerRecord = -1 // missing trailing cells are empty
	var out []record
	for {
		cells, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, failf("The CSV file cannot be read at line %d, column %d: %v. Check the quotes on that line, or %s.", pe.Line, pe.Column, pe.Err, saveAsMsg)
			}
			return nil, failf("The CSV file cannot be read: %v.", err)
		}
		line, _ := r.FieldPos(0)
		if len(out) > maxRows { // the header and maxRows rows
			return nil, failf("The file has more than %d rows; at most %d are accepted: split the list into several files.", maxRows, maxRows)
		}
		out = append(out, record{line: line, cells: cells})
	}
}

// sniffComma picks the delimiter from the first line: a comma, or a tab or
// semicolon when the line has none (Excel's “text (tab delimited)” and
// European-locale CSV).
func sniffComma(text []byte) rune {
	first, _, _ := bytes.Cut(text, []byte("\n"))
	switch {
	case bytes.ContainsRune(first, ','):
		return ','
	case bytes.ContainsRune(first, '\t'):
		return '\t'
	case bytes.ContainsRune(first, ';'):
		return ';'
	}
	return ','
}

// xlsxSerial marks an Excel date cell read raw: its serial number prefixed
// by this, so parseEnd knows it is not text typed by a person.
const xlsxSerial = "\x00serial:"

func readXLSX(content []byte, maxRows int, maxUnzipped int64) (out []record, err error) {
	// excelize wants the limit of one unpacked XML part kept in memory
	// (default 16 MiB) no greater than the limit of the whole.
	f, err := excelize.OpenReader(bytes.NewReader(content), excelize.Options{UnzipSizeLimit: maxUnzipped,
		UnzipXMLSizeLimit: min(maxUnzipped, 16<<20)})
	if err != nil {
		return nil, failf("The XLSX workbook cannot be opened: it is damaged or not an Excel workbook. Open it in Excel and %s.", saveAsMsg)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, failf("The XLSX workbook has no worksheet.")
	}
	date1904 := false
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, failf("The first worksheet of the XLSX workbook cannot be read: it is damaged. Open it in Excel and %s.", saveAsMsg)
	}
	defer rows.Close()
	line := 0
	for rows.Next() {
		line++
		if line > maxRows+1 { // the header and maxRows rows
			return nil, failf("The first worksheet has more than %d rows; at most %d are accepted: split the list into several files.", maxRows, maxRows)
		}
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, failf("Row %d of the XLSX workbook cannot be read: the file is damaged. Open it in Excel and %s.", line, saveAsMsg)
		}
		if len(cells) == 0 {
			continue
		}
		out = append(out, record{line: line, cells: cells})
	}
	if err := rows.Error(); err != nil {
		return nil, failf("The XLSX workbook cannot be read after row %d: the file is damaged. Open it in Excel and %s.", line, saveAsMsg)
	}
	if t, header, err := findHeader(out); err == nil {
		markNumbers(f, sheets[0], out[header+1:], t.col[colIDNumber])
		if t.col[colQuarantineEnd] >= 0 {
			markSerials(f, sheets[0], out[header+1:], t.col[colQuarantineEnd], date1904)
		}
	}
	return out, nil
}

// xlsxLostDigits marks an id_number cell that Excel stored as a number of
// more than 15 digits: Excel keeps 15 significant digits, so the last ones
// of an 18-digit ID number are gone (220104199003071234 → …071000).
const xlsxLostDigits = "\x00lost-digits"

// markNumbers replaces the id_number cells Excel stored as numbers too long
// to be exact by xlsxLostDigits.
func markNumbers(f *excelize.File, sheet string, rows []record, col int) {
	for _, r := range rows {
		if col >= len(r.cells) {
			continue
		}
		v := strings.TrimSpace(r.cells[col])
		if _, err := strconv.ParseFloat(v, 64); v == "" || err != nil {
			continue
		}
		digits := strings.TrimLeft(strings.SplitN(strings.ToLower(v), "e", 2)[0], "+-0")
		digits = strings.ReplaceAll(digits, ".", "")
		if len(digits) <= 15 && !strings.ContainsAny(v, "eE") {
			continue
		}
		name, err := excelize.CoordinatesToCellName(col+1, r.line)
		if err != nil {
			continue
		}
		if typ, err := f.GetCellType(sheet, name); err == nil && (typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber) {
			r.cells[col] = xlsxLostDigits
		}
	}
}

// markSerials turns the quarantine_end cells that hold an Excel date (a
// serial number in a cell Excel shows as a date) into text dates, so a cell
// formatted as a date reads the same as one typed as text. Plain numbers
// are left alone (and refused later).
func markSerials(f *excelize.File, sheet string, rows []record, col int, date1904 bool) {
	for _, r := range rows {
		if col >= len(r.cells) {
			continue
		}
		v := strings.TrimSpace(r.cells[col])
		serial, err := strconv.ParseFloat(v, 64)
		if v == "" || err != nil {
			continue
		}
		name, err := excelize.CoordinatesToCellName(col+1, r.line)
		if err != nil || !isDateCell(f, sheet, name) {
			continue
		}
		t, err := excelize.ExcelDateToTime(serial, date1904)
		if err != nil {
			continue
		}
		if serial == float64(int64(serial)) {
			r.cells[col] = xlsxSerial + t.Format("2006-01-02")
		} else {
			r.cells[col] = xlsxSerial + t.Format("2006-01-02 15:04:05")
		}
	}
}

// numFmtLiterals are the parts of a number format that are not codes:
// quoted text, escaped characters, [colour] and [$-locale] sections.
var numFmtLiterals = regexp.MustCompile(`"[^"]*"|\\.|\[[^\]]*\]`)

// isDateCell reports whether Excel shows the cell as a date or time.
func isDateCell(f *excelize.File, sheet, cell string) bool {
	styleID, err := f.GetCellStyle(sheet, cell)
	if err != nil || styleID == 0 {
		return false
	}
	style, err := f.GetStyle(styleID)
	if err != nil || style == nil {
		return false
	}
	if style.NumFmt >= 14 && style.NumFmt <= 22 || style.NumFmt >= 27 && style.NumFmt <= 36 || style.NumFmt >= 45 && style.NumFmt <= 47 || style.NumFmt >= 50 && style.NumFmt <= 58 {
		return true
	}
	if style.CustomNumFmt != nil {
		code := strings.ToLower(*style.CustomNumFmt)
		// Strip quoted literals and escapes, then look for date/time codes.
		code = numFmtLiterals.ReplaceAllString(code, "")
		return strings.ContainsAny(code, "ymdhs") || strings.Contains(code, "年") || strings.Contains(code, "月") || strings.Contains(code, "日")
	}
	return false
}

// cell returns the trimmed cell of a row at column index i ("" when absent).
func cell(cells []string, i int) string {
	if i < 0 || i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}

// row is a data row as read: what to do, or why not.
type row struct {
	line     int
	idType   string
	rawID    string // as in the file, for scrubbing reasons
	idNumber string // normalised
	risk     string // NONE, CLOSE_CONTACT, QUARANTINED, SUSPECTED, CONFIRMED
	ends     *time.Time
	name     string
}

var riskAliases = map[string]string{
	"close_contact": health.RiskCloseContact, "closecontact": health.RiskCloseContact,
	"密接": health.RiskCloseContact, "密切接触者": health.RiskCloseContact, "密切接触": health.RiskCloseContact, "密接者": health.RiskCloseContact,
	"quarantined": health.RiskQuarantined, "隔离": health.RiskQuarantined, "隔离人员": health.RiskQuarantined,
	"集中隔离": health.RiskQuarantined, "居家隔离": health.RiskQuarantined,
	"suspected": health.RiskSuspected, "疑似": health.RiskSuspected, "疑似病例": health.RiskSuspected,
	"confirmed": health.RiskConfirmed, "确诊": health.RiskConfirmed, "确诊病例": health.RiskConfirmed,
	"released": health.RiskNone, "解除": health.RiskNone, "解除隔离": health.RiskNone, "解除管控": health.RiskNone,
}

var idTypeAliases = map[string]string{
	"resident_id": "RESIDENT_ID", "身份证": "RESIDENT_ID", "居民身份证": "RESIDENT_ID", "身份证号": "RESIDENT_ID",
	"passport": "PASSPORT", "护照": "PASSPORT",
	"hk_macao_permit": "HK_MACAO_PERMIT", "港澳通行证": "HK_MACAO_PERMIT", "港澳居民来往内地通行证": "HK_MACAO_PERMIT", "回乡证": "HK_MACAO_PERMIT",
	"taiwan_permit": "TAIWAN_PERMIT", "台湾居民来往大陆通行证": "TAIWAN_PERMIT", "台胞证": "TAIWAN_PERMIT",
	"foreign_permanent_resident": "FOREIGN_PERMANENT_RESIDENT", "外国人永久居留身份证": "FOREIGN_PERMANENT_RESIDENT", "外国人永久居留证": "FOREIGN_PERMANENT_RESIDENT",
	"other": "OTHER", "其他": "OTHER",
}

func normValue(v string) string {
	return strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(v)))
}

// echo quotes a cell in a reason only when it cannot be personal data: short
// and without digits (an ID number pasted into the wrong column must not be
// repeated back in clear).
func echo(v string) string {
	if v == "" || utf8.RuneCountInString(v) > 20 || strings.ContainsAny(v, "0123456789") {
		return ""
	}
	return fmt.Sprintf(" (%q)", v)
}

// rowReason is an invalid row's reason before scrubbing.
type rowReason string

// readDocument reads the document columns of a row: its type and the
// normalised number (persons.NormalizeDocument).
func readDocument(t *table, r record) (row, rowReason) {
	out := row{line: r.line}
	out.idType = "RESIDENT_ID"
	if v := cell(r.cells, t.col[colIDType]); v != "" {
		typ, ok := idTypeAliases[normValue(v)]
		if !ok {
			typ = strings.ToUpper(v)
			if err := person.IDTypeValidator(person.IDType(typ)); err != nil {
				return out, rowReason("id_type" + echo(v) + " is not one of RESIDENT_ID (身份证), PASSPORT (护照), HK_MACAO_PERMIT (港澳通行证), TAIWAN_PERMIT (台胞证), FOREIGN_PERMANENT_RESIDENT (外国人永久居留证), OTHER (其他).")
			}
		}
		out.idType = typ
	}
	raw := cell(r.cells, t.col[colIDNumber])
	out.rawID = raw
	raw = strings.TrimPrefix(raw, "'") // Excel's “keep as text” prefix
	if strings.HasPrefix(raw, `="`) && strings.HasSuffix(raw, `"`) && len(raw) >= 3 {
		raw = raw[2 : len(raw)-1] // ="…" keeps a number as text in CSV
	}
	if raw == "" {
		return out, "id_number is empty."
	}
	if raw == xlsxLostDigits || sciNotation.MatchString(raw) {
		return out, "id_number was stored as a number (shown in scientific notation) and has lost its last digits: format the column as text (文本) in Excel and type the numbers again."
	}
	n, err := persons.NormalizeDocument(out.idType, raw)
	if err != nil {
		return out, rowReason("id_number: " + messageOf(err))
	}
	out.idNumber = n
	return out, ""
}

var sciNotation = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?[eE]\+?[0-9]+$`)

// readRisk reads the risk, quarantine end and name of a row.
func readRisk(t *table, r record, out *row) rowReason {
	v := cell(r.cells, t.col[colRisk])
	if v == "" {
		return "risk is empty: give CLOSE_CONTACT (密接), QUARANTINED (隔离), SUSPECTED (疑似), CONFIRMED (确诊) or RELEASED (解除)."
	}
	risk, ok := riskAliases[normValue(v)]
	if !ok {
		return rowReason("risk" + echo(v) + " is not one of CLOSE_CONTACT (密接), QUARANTINED (隔离), SUSPECTED (疑似), CONFIRMED (确诊), RELEASED (解除).")
	}
	out.risk = risk
	if risk != health.RiskNone {
		// RELEASED ends the risk; the date a released person's quarantine
		// ended is often left in the list and means nothing more.
		ends, reason := parseEnd(cell(r.cells, t.col[colQuarantineEnd]))
		if reason != "" {
			return reason
		}
		out.ends = ends
	}
	out.name = cell(r.cells, t.col[colName])
	return ""
}

var (
	dateOnly     = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)
	localLayouts = []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006/01/02 15:04:05", "2006/01/02 15:04", "2006/1/2 15:04:05", "2006/1/2 15:04"}
)

// parseEnd reads a quarantine end: a day means the quarantine runs through
// that whole day in persons.Zone (it ends at the next midnight there); an
// RFC 3339 date-time is that instant; a date-time without an offset is
// read in persons.Zone. The result is UTC, to the second.
func parseEnd(v string) (*time.Time, rowReason) {
	if v == "" {
		return nil, ""
	}
	v = strings.TrimPrefix(v, xlsxSerial)
	var t time.Time
	if m := dateOnly.FindStringSubmatch(v); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		day := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, persons.Zone)
		if day.Year() != y || int(day.Month()) != mo || day.Day() != d {
			return nil, "quarantine_end is not a real date: check the month and day."
		}
		t = day.AddDate(0, 0, 1)
	} else if rt, err := time.Parse(time.RFC3339, v); err == nil {
		t = rt
	} else {
		ok := false
		for _, layout := range localLayouts {
			if lt, err := time.ParseInLocation(layout, v, persons.Zone); err == nil {
				t, ok = lt, true
				break
			}
		}
		if !ok {
			return nil, "quarantine_end is not a date like 2026-11-30 or 2026/11/30, nor a date-time like 2026-11-30T18:00:00+08:00."
		}
	}
	if t.Year() < 2000 || t.Year() > 2100 {
		return nil, "quarantine_end has a year outside 2000–2100: check the date."
	}
	t = t.UTC().Truncate(time.Second)
	return &t, ""
}

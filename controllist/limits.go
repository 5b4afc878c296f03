package controllist

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"path"
	"strings"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent/importjob"
)

// Spreadsheet bombs (issue 10 #5): a 140 KB workbook can hold a million
// one-cell rows, and a zip of a few hundred KB can unpack to gigabytes. An
// upload is measured before it is stored or parsed — the unpacked size of
// an XLSX from its zip central directory, then its rows by streaming each
// worksheet's XML through a fixed buffer, without excelize — and refused
// with PAYLOAD_TOO_LARGE when over a limit, with nothing written. Run
// enforces the same limits again while it reads (a job stored before the
// limits were lowered), and excelize itself is opened with the unpacked-size
// limit.

// DefaultMaxRows is the most rows a control list may have when
// Service.MaxRows is 0 (MASHANG_CONTROL_LIST_MAX_ROWS).
const DefaultMaxRows = 100_000

// DefaultMaxUnzippedBytes is the largest unpacked size of an XLSX workbook
// (all its zip entries together) when Service.MaxUnzippedBytes is 0
// (MASHANG_CONTROL_LIST_MAX_UNZIPPED_BYTES): a list of DefaultMaxRows rows
// of five columns unpacks to about 30 MiB.
const DefaultMaxUnzippedBytes = 64 << 20

func (s *Service) maxRows() int {
	if s.MaxRows > 0 {
		return s.MaxRows
	}
	return DefaultMaxRows
}

func (s *Service) maxUnzipped() int64 {
	if s.MaxUnzippedBytes > 0 {
		return s.MaxUnzippedBytes
	}
	return DefaultMaxUnzippedBytes
}

func tooManyRows(maxRows int) error {
	return mashang.FieldErrorf(mashang.EPAYLOADTOOLARGE, "file", "The file has more than %d rows; at most %d are accepted: split the list into several files.", maxRows, maxRows)
}

// checkVolume refuses an upload of the format whose rows (below a header
// row; blank rows count) or, for an XLSX, unpacked size are over the
// limits.
func checkVolume(format importjob.Format, content []byte, maxRows int, maxUnzipped int64) error {
	if format == importjob.FormatCSV {
		if csvRows(content, maxRows+1) > maxRows+1 {
			return tooManyRows(maxRows)
		}
		return nil
	}
	zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content)))
	if err != nil {
		return fileError("The XLSX workbook cannot be opened: it is damaged or not an Excel workbook. Open it in Excel and %s.", saveAsMsg)
	}
	var total uint64
	for _, f := range zr.File {
		// Each size is compared before it is added: no sum overflows.
		if f.UncompressedSize64 > uint64(maxUnzipped) || total+f.UncompressedSize64 > uint64(maxUnzipped) {
			return mashang.FieldErrorf(mashang.EPAYLOADTOOLARGE, "file", "The XLSX workbook unpacks to more than %s; at most %s are accepted: split the list into several files, or save it as CSV.", size(int(maxUnzipped)), size(int(maxUnzipped)))
		}
		total += f.UncompressedSize64
	}
	for _, f := range zr.File {
		if !isWorksheet(f.Name) {
			continue
		}
		n, err := xmlRows(f, maxRows+1)
		if err != nil {
			// archive/zip stops an entry that unpacks to more than its
			// declared size (zip.ErrFormat): a lying directory is damaged.
			return fileError("The XLSX workbook cannot be read: the file is damaged. Open it in Excel and %s.", saveAsMsg)
		}
		if n > maxRows+1 {
			return tooManyRows(maxRows)
		}
	}
	return nil
}

// isWorksheet reports whether a zip entry is a worksheet of the workbook.
func isWorksheet(name string) bool {
	name = strings.ToLower(name)
	return path.Dir(name) == "xl/worksheets" && path.Ext(name) == ".xml"
}

// csvRows counts the records of a CSV file, stopping once past limit. A
// file that does not parse is counted up to the error; Run reports the
// error with its line.
func csvRows(content []byte, limit int) int {
	text := bytes.TrimPrefix(content, utf8BOM)
	r := csv.NewReader(bytes.NewReader(text))
	r.Comma = sniffComma(text)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	n := 0
	for n <= limit {
		if _, err := r.Read(); err != nil {
			break
		}
		n++
	}
	return n
}

// xmlRows counts the <row> elements (of any namespace prefix) of a
// worksheet's XML, read from the zip entry through a fixed buffer and
// stopping once past limit: memory stays constant whatever the sheet holds.
func xmlRows(f *zip.File, limit int) (int, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 64<<10)
	n := 0
	var name [8]byte
	for n <= limit {
		if _, err := br.ReadSlice('<'); err == io.EOF {
			return n, nil
		} else if err != nil && err != bufio.ErrBufferFull {
			return n, err
		} else if err == bufio.ErrBufferFull {
			continue
		}
		// The element name up to a space, '>' or '/'; only its local part
		// (after a prefix such as x:) counts.
		k, end := 0, byte(0)
		for {
			c, err := br.ReadByte()
			if err == io.EOF {
				return n, nil
			} else if err != nil {
				return n, err
			}
			if c == ' ' || c == '>' || c == '/' || c == '\t' || c == '\n' || c == '\r' {
				end = c
				break
			}
			if c == ':' {
				k = 0
				continue
			}
			if k < len(name) {
				name[k] = c
			}
			k++
		}
		if k == 3 && string(name[:3]) == "row" {
			n++
			if end == '>' || end == '/' {
				continue // no attributes
			}
			// A row numbered far down (r="1000000") makes excelize walk
			// every row number before it: it counts as that many.
			r, err := rowNumber(br)
			if err != nil {
				return n, err
			}
			n = max(n, r)
		}
	}
	return n, nil
}

// rowNumber reads the attributes of a <row> element up to its '>' and
// returns its r attribute (0 when absent), saturating past a billion.
func rowNumber(br *bufio.Reader) (int, error) {
	prev := [3]byte{0, 0, ' '} // the last three bytes read: ` r=` before the quote; the name ended at a space
	r, in := 0, false
	for {
		c, err := br.ReadByte()
		if err == io.EOF {
			return r, nil
		} else if err != nil {
			return r, err
		}
		switch {
		case c == '>':
			return r, nil
		case in && c >= '0' && c <= '9':
			if r < 1e9 {
				r = r*10 + int(c-'0')
			}
		case in:
			in = false
		case (c == '"' || c == '\'') && prev[1] == 'r' && prev[2] == '=' && (prev[0] == ' ' || prev[0] == '\t' || prev[0] == '\n' || prev[0] == '\r'):
			in = true
		}
		prev[0], prev[1], prev[2] = prev[1], prev[2], c
	}
}

package controllist

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/importjob"
	"github.com/mashang/mashang/persons"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/stats"
)

// FieldControlList is the field name bound into the seal of an uploaded
// file (pii.Box.Seal), so a sealed list cannot be replayed as another field.
const FieldControlList = "control_list"

// DefaultMaxBytes is the largest upload accepted when Service.MaxBytes is 0.
const DefaultMaxBytes = 10 << 20

// DefaultStaleAfter is how long a RUNNING job may go without a heartbeat
// before Run takes it over from a replica presumed dead.
const DefaultStaleAfter = 2 * time.Minute

// MaxRowErrors is how many row errors a job keeps; invalid_rows counts all.
const MaxRowErrors = 1000

const (
	checkpointRows  = 200              // progress is written every so many rows…
	checkpointEvery = 15 * time.Second // …or at least this often
	maxReasonRunes  = 500
)

// Service imports control lists.
type Service struct {
	Client *ent.Client
	// Enforcer decides who may import (Start); nil means the embedded
	// policy.
	Enforcer *authz.Enforcer
	Persons  *persons.Service
	Box      *pii.Box
	Now      func() time.Time // time.Now when nil
	Logger   *slog.Logger     // slog.Default() when nil
	// MaxBytes is the largest upload accepted; 0 means DefaultMaxBytes.
	MaxBytes int
	// MaxRows is the most rows a list may have below its header; 0 means
	// DefaultMaxRows.
	MaxRows int
	// MaxUnzippedBytes is the largest unpacked size of an XLSX workbook; 0
	// means DefaultMaxUnzippedBytes.
	MaxUnzippedBytes int64
	// Rollups counts the persons a list changed (stats.ControlListChanges)
	// in each row's transaction; nil counts nothing (issue 12).
	Rollups *stats.Rollups
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// stamp is the time written to the job's columns: UTC, microseconds, no
// monotonic reading, so that a value written compares equal to itself when
// read back on PostgreSQL (microsecond timestamps) and on SQLite (times
// stored as text, compared as strings).
func (s *Service) stamp() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

func (s *Service) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

func (s *Service) maxBytes() int {
	if s.MaxBytes > 0 {
		return s.MaxBytes
	}
	return DefaultMaxBytes
}

// RowError is an invalid row of a control list: its line in the file and
// why it was not applied (never with an ID number or name in clear).
type RowError struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// RowErrors returns the row errors stored on a job (at most MaxRowErrors,
// in file order).
func RowErrors(job *ent.ImportJob) ([]RowError, error) {
	if job == nil || strings.TrimSpace(job.RowErrors) == "" {
		return nil, nil
	}
	var out []RowError
	if err := json.Unmarshal([]byte(job.RowErrors), &out); err != nil {
		return nil, fmt.Errorf("controllist: row errors of job %d: %w", job.ID, err)
	}
	return out, nil
}

// Submit validates an upload and stores it as a PENDING job for Run; it does
// not read the rows. The file must be non-empty, at most MaxBytes, named
// .csv or .xlsx, and its content must match: an XLSX is a zip archive, a CSV
// is UTF-8 text (a UTF-8 byte-order mark is accepted; GBK and other
// encodings are refused with a request to save it as UTF-8 CSV or XLSX),
// and it must have at most MaxRows rows and, for an XLSX, unpack to at most
// MaxUnzippedBytes (PAYLOAD_TOO_LARGE otherwise: checkVolume).
// The content is stored sealed (FieldControlList) and identified by a keyed
// hash, so no ID number is kept in clear. scopePath is the submitter's scope
// ("/" covers everything): rows for persons living outside it are refused
// when the job runs. Errors are INVALID_INPUT on the field "file".
func (s *Service) Submit(ctx context.Context, filename string, content []byte, byAccountID int, scopePath string) (*ent.ImportJob, error) {
	if byAccountID <= 0 {
		return nil, mashang.Errorf(mashang.EFORBIDDEN, "Only an official's account may import a control list.")
	}
	if !strings.HasPrefix(scopePath, "/") || !strings.HasSuffix(scopePath, "/") {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "scopePath", "The submitter's scope must be a path like /22/2201/.")
	}
	name := cleanFilename(filename)
	format, err := checkUpload(name, content, s.maxBytes())
	if err != nil {
		return nil, mashang.Wrap(err, "controllist.Submit")
	}
	// A spreadsheet bomb is refused before anything is stored or parsed
	// (limits.go).
	if err := checkVolume(format, content, s.maxRows(), s.maxUnzipped()); err != nil {
		return nil, mashang.Wrap(err, "controllist.Submit")
	}
	client := s.Client
	if tx := ent.TxFromContext(ctx); tx != nil {
		client = tx.Client()
	}
	job, err := client.ImportJob.Create().
		SetFilename(name).
		SetFormat(format).
		SetContentHash(s.Box.Hash(FieldControlList, string(content))).
		SetContent(s.Box.Seal(FieldControlList, string(content))).
		SetStatus(importjob.StatusPENDING).
		SetSubmittedByID(byAccountID).
		SetScopePath(scopePath).
		SetCreatedAt(s.stamp()).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("controllist: store job: %w", err)
	}
	s.logger().Info("control list submitted", "job", job.ID, "format", format, "bytes", len(content), "by", byAccountID)
	return job, nil
}

// cleanFilename keeps the last element of a client's path (browsers on
// Windows may send C:\…\list.csv), at most 255 bytes.
func cleanFilename(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(strings.ToValidUTF8(name, ""))
	for len(name) > 255 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name
}

var (
	zipMagic  = []byte("PK\x03\x04")
	oleMagic  = []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") // .xls, or an encrypted .xlsx
	utf8BOM   = []byte("\xEF\xBB\xBF")
	utf16LE   = []byte("\xFF\xFE")
	utf16BE   = []byte("\xFE\xFF")
	saveAsMsg = "save it in Excel as “CSV UTF-8 (逗号分隔)(*.csv)” or as an Excel workbook (.xlsx) and upload it again"
)

func fileError(format string, args ...any) error {
	return mashang.FieldErrorf(mashang.EINVALID, "file", format, args...)
}

// checkUpload returns the format of an upload from its name, confirmed by
// its content.
func checkUpload(name string, content []byte, maxBytes int) (importjob.Format, error) {
	if len(content) == 0 {
		return "", fileError("The file is empty: upload the control list with a header row and one row per person.")
	}
	if len(content) > maxBytes {
		return "", fileError("The file has %s; at most %s are accepted: split the list into several files.", size(len(content)), size(maxBytes))
	}
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".xlsx":
		if bytes.HasPrefix(content, oleMagic) {
			return "", fileError("The file is an old Excel (.xls) or password-protected workbook: remove the password and save it as .xlsx, or %s.", "as CSV UTF-8")
		}
		if !bytes.HasPrefix(content, zipMagic) {
			return "", fileError("The file is named .xlsx but is not an Excel workbook: open it in Excel and %s.", saveAsMsg)
		}
		return importjob.FormatXLSX, nil
	case ".csv":
		switch {
		case bytes.HasPrefix(content, zipMagic):
			return "", fileError("The file is named .csv but is an Excel workbook: rename it to .xlsx, or %s.", saveAsMsg)
		case bytes.HasPrefix(content, oleMagic):
			return "", fileError("The file is named .csv but is an old Excel (.xls) workbook: %s.", saveAsMsg)
		case bytes.HasPrefix(content, utf16LE), bytes.HasPrefix(content, utf16BE):
			return "", fileError("The file is UTF-16 text (Excel's “Unicode text”), not UTF-8: %s.", saveAsMsg)
		}
		text := bytes.TrimPrefix(content, utf8BOM)
		if !utf8.Valid(text) {
			return "", fileError("The file is not UTF-8 text (probably GBK, the default of Excel's plain “CSV (逗号分隔)” on Chinese Windows): %s.", saveAsMsg)
		}
		if bytes.IndexByte(text, 0) >= 0 {
			return "", fileError("The file is named .csv but contains binary data: %s.", saveAsMsg)
		}
		return importjob.FormatCSV, nil
	case ".xls":
		return "", fileError("Old Excel .xls workbooks are not read: %s.", saveAsMsg)
	case "":
		return "", fileError("The file name has no extension: upload a .csv (UTF-8) or .xlsx file.")
	default:
		if len(ext) > 10 {
			ext = ext[:10]
		}
		return "", fileError("Files of type %q are not read: upload a .csv (UTF-8) or .xlsx file.", ext)
	}
}

func size(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d bytes", n)
}

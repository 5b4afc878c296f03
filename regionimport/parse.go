package regionimport

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"unicode/utf8"
)

// level describes one file of the package and the tree level it fills.
type level struct {
	file   string   // CSV file name
	enum   string   // regions.level value
	noun   string   // for messages
	digits int      // code length
	header []string // columns, as the package names them
}

// levels, top first; a level's index is its depth (province = 0).
var levels = [...]level{
	{"provinces.csv", "PROVINCE", "province", 2, []string{"code", "name"}},
	{"cities.csv", "CITY", "city", 4, []string{"code", "name", "provinceCode"}},
	{"areas.csv", "DISTRICT", "district", 6, []string{"code", "name", "cityCode", "provinceCode"}},
	{"streets.csv", "STREET", "street", 9, []string{"code", "name", "areaCode", "provinceCode", "cityCode"}},
	{"villages.csv", "COMMUNITY", "community", 12, []string{"code", "name", "streetCode", "provinceCode", "cityCode", "areaCode"}},
}

// ancestorColumn maps a column naming an ancestor to the ancestor's depth.
var ancestorColumn = map[string]int{"provinceCode": 0, "cityCode": 1, "areaCode": 2, "streetCode": 3}

// maxNameChars is the ent schema's MaxRuneLen of Region.name (characters): a
// longer name would load here but make every later ent update of the region
// fail.
const maxNameChars = 100

type row struct {
	code, name, parent string // parent is "" for a province
	line               int
}

// orphan is a row whose parent is not in the source; the database may
// still hold it.
type orphan struct {
	depth, index int
}

type parsed struct {
	rows    [len(levels)][]row
	orphans []orphan
}

func (p *parsed) total() int {
	n := 0
	for _, rs := range p.rows {
		n += len(rs)
	}
	return n
}

// parse reads and checks every file, so that nothing is written unless the
// whole source is sound. Only the parents missing from the source are left
// for the caller to look up in the database.
func parse(ctx context.Context, src fs.FS, pr *progress) (*parsed, error) {
	p := &parsed{}
	// Line of every code per level: duplicates within a file, parents of the
	// next file.
	var seen [len(levels)]map[string]int
	for depth := range levels {
		seen[depth] = make(map[string]int)
		if err := parseFile(ctx, src, depth, p, &seen, pr); err != nil {
			return nil, err
		}
		if depth >= 2 {
			// Nothing below the next level refers to these codes any more.
			seen[depth-2] = nil
		}
	}
	return p, nil
}

// parseFile reads the file of one level into p.rows[depth], checking every
// row against the rows of the level above (seen[depth-1]).
func parseFile(ctx context.Context, src fs.FS, depth int, p *parsed, seen *[len(levels)]map[string]int, pr *progress) error {
	lv := &levels[depth]
	f, err := src.Open(lv.file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("division source has no %s (all five of %s must exist; a file may hold only its header)",
				lv.file, strings.Join(csvFiles, ", "))
		}
		return fmt.Errorf("open %s: %w", lv.file, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > 0 {
		// Roughly 60 bytes a line in the package; saves map and slice growth.
		hint := int(fi.Size() / 60)
		seen[depth] = make(map[string]int, hint)
		p.rows[depth] = make([]row, 0, hint)
	}
	fr := &fileReader{lv: lv, depth: depth, r: csv.NewReader(f), codes: seen[depth]}
	fr.r.FieldsPerRecord = -1 // checked here, with a message naming the columns
	fr.r.ReuseRecord = true
	if depth > 0 {
		fr.parents = seen[depth-1]
	}
	if err := fr.header(); err != nil {
		return err
	}
	rows := p.rows[depth]
	for n := 0; ; n++ {
		rec, err := fr.r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fr.csvErr(err)
		}
		if n%8192 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			pr.update("reading %s: %d rows", lv.file, n)
		}
		line, _ := fr.r.FieldPos(0)
		rw, known, err := fr.row(rec, line)
		if err != nil {
			return err
		}
		if !known {
			p.orphans = append(p.orphans, orphan{depth: depth, index: len(rows)})
		}
		fr.codes[rw.code] = line
		rows = append(rows, rw)
	}
	p.rows[depth] = rows
	pr.line("read %s: %d rows", lv.file, len(rows))
	return nil
}

// fileReader checks the lines of one level's file.
type fileReader struct {
	lv      *level
	depth   int
	r       *csv.Reader
	codes   map[string]int // line of each code read so far
	parents map[string]int // codes of the level above; nil for provinces
}

func (fr *fileReader) fail(line int, format string, args ...any) error {
	return &ImportError{File: fr.lv.file, Line: line, Reason: fmt.Sprintf(format, args...)}
}

func (fr *fileReader) csvErr(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fr.fail(pe.Line, "%v", pe.Err)
	}
	return fmt.Errorf("read %s: %w", fr.lv.file, err)
}

// header checks the first line names the level's columns.
func (fr *fileReader) header() error {
	lv := fr.lv
	rec, err := fr.r.Read()
	if errors.Is(err, io.EOF) {
		return fr.fail(1, "file is empty; want the header line %s", strings.Join(lv.header, ","))
	}
	if err != nil {
		return fr.csvErr(err)
	}
	if len(rec) > 0 {
		rec[0] = strings.TrimPrefix(rec[0], "\ufeff") // spreadsheet programs add a BOM
	}
	if !equalFold(rec, lv.header) {
		return fr.fail(1, "header is %q, want %q (is this the right file?)", strings.Join(rec, ","), strings.Join(lv.header, ","))
	}
	return nil
}

// row checks one record: its code, its name and its ancestors. known
// reports whether its parent is in the source (false: an orphan, which the
// database may still hold).
func (fr *fileReader) row(rec []string, line int) (rw row, known bool, err error) {
	lv := fr.lv
	if len(rec) != len(lv.header) {
		return row{}, false, fr.fail(line, "has %d columns, want %d (%s)", len(rec), len(lv.header), strings.Join(lv.header, ","))
	}
	code := strings.TrimSpace(rec[0])
	if !isCode(code, lv.digits) {
		return row{}, false, fr.fail(line, "code %q is not a %d-digit %s code", rec[0], lv.digits, lv.noun)
	}
	name := strings.TrimSpace(rec[1])
	switch {
	case name == "":
		return row{}, false, fr.fail(line, "name of %s %s is empty", lv.noun, code)
	case !utf8.ValidString(name):
		return row{}, false, fr.fail(line, "name of %s %s is not valid UTF-8 (save the file as UTF-8)", lv.noun, code)
	case utf8.RuneCountInString(name) > maxNameChars:
		return row{}, false, fr.fail(line, "name of %s %s has %d characters; at most %d are allowed", lv.noun, code, utf8.RuneCountInString(name), maxNameChars)
	}
	if first, dup := fr.codes[code]; dup {
		return row{}, false, fr.fail(line, "duplicate %s code %s (first on line %d)", lv.noun, code, first)
	}
	if fr.depth == 0 {
		return row{code: code, name: name, line: line}, true, nil
	}
	parent, err := fr.parent(rec, code, line)
	if err != nil {
		return row{}, false, err
	}
	if err := fr.ancestors(rec, code, parent, line); err != nil {
		return row{}, false, err
	}
	_, known = fr.parents[parent]
	return row{code: code, name: name, parent: parent, line: line}, known, nil
}

// parent reads the column of the direct parent, which code must start
// with. It is checked first: the other ancestor columns are then prefixes
// of the code, which is what makes them consistent with the parent's own
// chain.
func (fr *fileReader) parent(rec []string, code string, line int) (string, error) {
	pl := &levels[fr.depth-1]
	var parent string
	for i, col := range fr.lv.header[2:] {
		if ancestorColumn[col] != fr.depth-1 {
			continue
		}
		parent = strings.TrimSpace(rec[2+i])
		if !isCode(parent, pl.digits) {
			return "", fr.fail(line, "%s %q is not a %d-digit %s code", col, rec[2+i], pl.digits, pl.noun)
		}
		if !strings.HasPrefix(code, parent) {
			return "", fr.fail(line, "code %s does not start with its %s code %s", code, pl.noun, parent)
		}
	}
	return parent, nil
}

// ancestors checks the columns of the other ancestors are prefixes of code.
func (fr *fileReader) ancestors(rec []string, code, parent string, line int) error {
	pl := &levels[fr.depth-1]
	for i, col := range fr.lv.header[2:] {
		a := ancestorColumn[col]
		if a == fr.depth-1 {
			continue
		}
		al := &levels[a]
		v := strings.TrimSpace(rec[2+i])
		if !isCode(v, al.digits) {
			return fr.fail(line, "%s %q is not a %d-digit %s code", col, rec[2+i], al.digits, al.noun)
		}
		if want := code[:al.digits]; v != want {
			return fr.fail(line, "%s %s contradicts %s %s, which lies in %s %s", col, v, pl.noun, parent, al.noun, want)
		}
	}
	return nil
}

func isCode(s string, digits int) bool {
	if len(s) != digits {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func equalFold(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(strings.TrimSpace(a[i]), b[i]) {
			return false
		}
	}
	return true
}

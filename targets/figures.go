package targets

import (
	"bytes"
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/stats"
)

// CanSet checks that the viewer may set the population and target of the
// region at path (issue 12 point 2: "the province and districts can set
// populations and targets"): the INITIATOR anywhere (the province), and an
// OFFICIAL whose scope is a province, city or district region and who is
// not limited to a sector, strictly below its own node — a district sets
// the tasks of its towns and streets, as 宁国市 does in seed 003 annex 1,
// while its own task is set from above.
// SECURITY: keeps scanners, grid workers, street and sector officials and
// the officials of other districts out (TestAStreetOfficialCannotSetPopulations,
// TestAnOfficialOfAnotherDistrictCannotSetItsPopulations, TestADistrictOfficialCannotSetItsOwnTarget).
func (s *Service) CanSet(v *mashang.Viewer, path string) error {
	if err := authz.OrDefault(s.Enforcer).Check(v, authz.ObjRegion, authz.ActSetTarget, path, s.now()); err != nil {
		return err
	}
	if v.Role == mashang.RoleInitiator {
		return nil
	}
	switch levelOf(v.ScopePath) {
	case stats.Province, stats.City, stats.District:
		if v.Sector == "" {
			return nil
		}
	}
	return mashang.Errorf(mashang.EFORBIDDEN, "Only the province and the officials of a city or district (of no particular sector) set populations and targets.")
}

// Set sets the population and/or the registration target of a region (a
// nil argument leaves the figure as it is), in the caller's transaction.
func (s *Service) Set(ctx context.Context, id int, population, target *int64) (*ent.Region, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	c := database.ClientFrom(ctx, s.Client)
	r, err := c.Region.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, mashang.FieldErrorf(mashang.ENOTFOUND, "region", "No region %d.", id)
	} else if err != nil {
		return nil, mashang.Wrap(err, "targets: set")
	}
	if err := s.CanSet(v, r.Path); err != nil {
		return nil, err
	}
	if population == nil && target == nil {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "population", "Give a population, a registration target or both.")
	}
	if err := checkFigures(mergeFigure(population, r.Population), mergeFigure(target, r.RegistrationTarget)); err != nil {
		return nil, err
	}
	u := c.Region.UpdateOneID(id)
	if population != nil {
		u.SetPopulation(*population)
	}
	if target != nil {
		u.SetRegistrationTarget(*target)
	}
	r, err = u.Save(ctx)
	return r, mashang.Wrap(err, "targets: set")
}

func mergeFigure(given, have *int64) *int64 {
	if given != nil {
		return given
	}
	return have
}

// checkFigures: no negative figure, and a target no larger than the
// population it is a share of.
func checkFigures(population, target *int64) error {
	switch {
	case population != nil && *population < 0:
		return mashang.FieldErrorf(mashang.EINVALID, "population", "The population %d is negative.", *population)
	case target != nil && *target < 0:
		return mashang.FieldErrorf(mashang.EINVALID, "registrationTarget", "The registration target %d is negative.", *target)
	case population != nil && target != nil && *target > *population:
		return mashang.FieldErrorf(mashang.EINVALID, "registrationTarget", "The registration target %d is larger than the population %d.", *target, *population)
	}
	return nil
}

// Import limits.
const (
	MaxImportBytes = 10 << 20
	MaxImportRows  = 50000
	maxRowErrors   = 100
)

// RowError is why one line of an import was refused.
type RowError struct {
	Line int
	Err  error
}

// ImportResult is what an import did: every row was written, or — when any
// row was refused — none, and Errors says why, by line.
type ImportResult struct {
	Rows    int
	Updated int
	Errors  []RowError
}

type figureRow struct {
	line               int
	code, name         string
	population, target *int64
}

// Import sets populations and targets from an XLSX sheet (the first sheet;
// columns 代码/code, 名称/name, 辖区总人数/population, 目标任务量/target, a
// header row allowed first, as annex 1 of seed 003 lays them out). Every
// row is checked — the region exists, its name matches, the figures are
// whole non-negative numbers with the target no larger than the
// population, no code twice, and the viewer may set it (CanSet, per row) —
// and all rows are written in the caller's transaction, or none.
// read returns the file, reading at most max+1 bytes.
func (s *Service) Import(ctx context.Context, read func(max int) ([]byte, error)) (*ImportResult, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	content, err := read(MaxImportBytes)
	if err != nil {
		return nil, err
	}
	rows, bad, err := readSheet(content)
	if err != nil {
		return nil, err
	}
	res := &ImportResult{Rows: len(rows) + len(bad), Errors: bad}
	c := database.ClientFrom(ctx, s.Client)
	codes := make([]string, 0, len(rows))
	for _, r := range rows {
		codes = append(codes, r.code)
	}
	found, err := c.Region.Query().Where(region.CodeIn(codes...)).All(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "targets: import")
	}
	byCode := make(map[string]*ent.Region, len(found))
	for _, r := range found {
		byCode[r.Code] = r
	}
	seen := map[string]int{}
	for _, r := range rows {
		if err := s.checkRow(v, r, byCode[r.code], seen); err != nil && len(res.Errors) < maxRowErrors {
			res.Errors = append(res.Errors, RowError{Line: r.line, Err: err})
		}
	}
	if len(res.Errors) > 0 {
		sort.Slice(res.Errors, func(i, j int) bool { return res.Errors[i].Line < res.Errors[j].Line })
		return res, nil
	}
	for _, r := range rows {
		u := c.Region.UpdateOneID(byCode[r.code].ID)
		if r.population != nil {
			u.SetPopulation(*r.population)
		}
		if r.target != nil {
			u.SetRegistrationTarget(*r.target)
		}
		if err := u.Exec(ctx); err != nil {
			return nil, mashang.Wrap(err, "targets: import")
		}
		res.Updated++
	}
	return res, nil
}

func (s *Service) checkRow(v *mashang.Viewer, r figureRow, reg *ent.Region, seen map[string]int) error {
	if first, ok := seen[r.code]; ok {
		return mashang.Errorf(mashang.EINVALID, "The code %s is on line %d already.", r.code, first)
	}
	seen[r.code] = r.line
	switch {
	case reg == nil:
		return mashang.Errorf(mashang.ENOTFOUND, "No region has the code %s.", r.code)
	case r.name != "" && r.name != reg.Name:
		return mashang.Errorf(mashang.EINVALID, "The region %s is called %s, not %s: check the row.", r.code, reg.Name, r.name)
	case r.population == nil && r.target == nil:
		return mashang.Errorf(mashang.EINVALID, "The row gives neither a population nor a target.")
	}
	if err := s.CanSet(v, reg.Path); err != nil {
		return err
	}
	return checkFigures(mergeFigure(r.population, reg.Population), mergeFigure(r.target, reg.RegistrationTarget))
}

// readSheet reads the rows of the first sheet: the well-formed ones, and
// why each malformed one is not (by line).
func readSheet(content []byte) ([]figureRow, []RowError, error) {
	if len(content) > MaxImportBytes {
		return nil, nil, mashang.FieldErrorf(mashang.EINVALID, "file", "The file is larger than %d MB.", MaxImportBytes>>20)
	}
	f, err := excelize.OpenReader(bytes.NewReader(content))
	if err != nil {
		return nil, nil, mashang.FieldErrorf(mashang.EINVALID, "file", "The file is not an XLSX workbook.")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, mashang.FieldErrorf(mashang.EINVALID, "file", "The workbook has no sheet.")
	}
	cells, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, nil, mashang.FieldErrorf(mashang.EINVALID, "file", "The workbook has no sheet.")
	}
	var out []figureRow
	var bad []RowError
	for i, row := range cells {
		line := i + 1
		get := func(j int) string {
			if j < len(row) {
				return strings.TrimSpace(row[j])
			}
			return ""
		}
		if get(0) == "" && get(1) == "" && get(2) == "" && get(3) == "" {
			continue
		}
		if line == 1 && !isDigits(get(0)) {
			continue // the header
		}
		if len(out)+len(bad) >= MaxImportRows {
			return nil, nil, mashang.FieldErrorf(mashang.EINVALID, "file", "The sheet has more than %d rows: split it.", MaxImportRows)
		}
		r, err := parseRow(line, get(0), get(1), get(2), get(3))
		if err != nil {
			if len(bad) < maxRowErrors {
				bad = append(bad, RowError{Line: line, Err: err})
			}
			continue
		}
		out = append(out, r)
	}
	if len(out)+len(bad) == 0 {
		return nil, nil, mashang.FieldErrorf(mashang.EINVALID, "file", "The sheet has no rows of figures.")
	}
	return out, bad, nil
}

func parseRow(line int, code, name, population, target string) (figureRow, error) {
	r := figureRow{line: line, code: code, name: name}
	if !isDigits(code) || len(code) > 12 {
		return r, mashang.Errorf(mashang.EINVALID, "The code %q is not a division code.", code)
	}
	var err error
	if r.population, err = figure(population); err != nil {
		return r, mashang.Errorf(mashang.EINVALID, "The population %q is not a whole number.", population)
	}
	if r.target, err = figure(target); err != nil {
		return r, mashang.Errorf(mashang.EINVALID, "The target %q is not a whole number.", target)
	}
	return r, nil
}

func figure(s string) (*int64, error) {
	if s == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
	if err != nil {
		return nil, err
	}
	return &n, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

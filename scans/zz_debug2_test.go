package scans_test

import (
	"context"
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
)

func TestZZDebug2(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		p := f.register("x")
		ctx := context.Background()
		r, err := f.persons.Readings(ctx, db.Client, []int{p.ID}, t0)
		if err != nil {
			t.Fatal(err)
		}
		c, err := r.Apply(ctx, p.ID, 36.5, t0)
		t.Log(c, err)
		if err := r.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		got := f.getPerson(p.ID)
		t.Logf("after 36.5: %v %v %s", got.LastTemperature, got.LastTemperatureAt, got.Colour)
		res, err := db.Client.ExecContext(ctx, `UPDATE "persons" SET "last_temperature" = v.column2 FROM (VALUES (?, ?, ?)) AS v WHERE "persons"."id" = v.column1`, p.ID, 36.7, t0)
		if err == nil {
			n, _ := res.RowsAffected()
			t.Log("rows", n)
		} else {
			t.Log(err)
		}
	})
}

package scans_test

import (
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/token"
)

func TestZZDebug(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		p := f.register("x")
		tok := f.personToken(p, token.ColourGreen)
		f.record(t, f.main.v, scanCode("a", f.park.ID, tok, 36.5))
		got := f.getPerson(p.ID)
		t.Logf("after 36.5: %v %v %s", got.LastTemperature, got.LastTemperatureAt, got.Colour)
		f.clock.Add(1e9)
		f.record(t, f.main.v, scanCode("b", f.park.ID, tok, 37.5))
		got = f.getPerson(p.ID)
		t.Logf("after 37.5: %v %v %s", *got.LastTemperature, got.LastTemperatureAt, got.Colour)
		f.clock.Add(1e9)
		f.record(t, f.main.v, scanCode("c", f.park.ID, tok, 37.6))
		got = f.getPerson(p.ID)
		t.Logf("after 37.6: %v %v %s", *got.LastTemperature, got.LastTemperatureAt, got.Colour)
	})
}

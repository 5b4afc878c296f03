package persons_test

import (
	"context"
	"testing"
	"time"

	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/internal/statstest"
	"github.com/mashang/mashang/persons"
	"github.com/mashang/mashang/stats"
)

// TestColourChangeRollupsCountByCause (issue 12; seed 001 §4): every path
// that changes a colour — readings one at a time and in a batch, an
// official's risk, a control list's, the quarantine sweep — counts the
// change by its cause class at the nodes of the residence (the node ""
// without one), and the alerts of changes to ORANGE or RED are counted by
// the hook that raises them; both equal a recount.
func TestColourChangeRollupsCountByCause(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s, clk := newService(t, db)
		s.Rollups = statstest.Rollups(db)
		al := &alerts.Service{Client: db.Client, Now: clk.Now, Rollups: s.Rollups}
		s.OnColourChange = al.OnColourChange
		tr := apitest.NewTree(t, db.Client)
		tr.Add("", "22", "吉林省")
		tr.Add("22", "2201", "长春市")
		tr.Add("2201", "220104", "朝阳区")
		home := tr.Add("220104", "220104001", "前进街道")
		a, err := s.Register(ctx, persons.RegisterInput{Name: "张三丰", IDType: "RESIDENT_ID",
			IDNumber: residentID(t, "22010419900307123"), ResidenceRegionID: home.ID})
		if err != nil {
			t.Fatal(err)
		}
		b := register(t, s, "22010419851111002") // no residence

		if _, err := s.RecordTemperature(ctx, db.Client, a.ID, 37.8, clk.Now()); err != nil {
			t.Fatal(err)
		}
		clk.Add(time.Minute)
		if _, err := s.RecordTemperature(ctx, db.Client, a.ID, 36.5, clk.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetRiskFor(ctx, b.ID, "CONFIRMED", nil, 42); err != nil {
			t.Fatal(err)
		}
		ends := clk.Now().Add(24 * time.Hour)
		if _, err := s.SetRiskForList(ctx, a.ID, "QUARANTINED", &ends, 42); err != nil {
			t.Fatal(err)
		}
		statstest.Check(t, db, "colour changes", "alerts")

		clk.Add(25 * time.Hour)
		if n, err := s.SweepQuarantine(ctx, clk.Now()); err != nil || n != 1 {
			t.Fatalf("sweep changed %d (%v), want 1", n, err)
		}
		// A batch of readings counts its changes with the batch (Flush).
		err = database.InTx(ctx, db.Client, func(ctx context.Context, c *ent.Client) error {
			r, err := s.Readings(ctx, c, []int{a.ID}, clk.Now())
			if err != nil {
				return err
			}
			if _, err := r.Apply(ctx, a.ID, 38.1, clk.Now()); err != nil {
				return err
			}
			return r.Flush(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		statstest.Check(t, db, "colour changes", "alerts")

		stored := statstest.Stored(t, db.Client, string(stats.ColourChanges), string(stats.AlertsRaised))
		day0, day1 := stats.Day(t0), stats.Day(clk.Now())
		for _, c := range []struct {
			key  stats.Key
			want int64
		}{
			{stats.Key{Day: day0, Node: home.Path, Metric: stats.ColourChanges, Colour: "YELLOW", Detail: stats.CauseFever}, 1},
			{stats.Key{Day: day0, Node: "/22/", Metric: stats.ColourChanges, Colour: "GREEN", Detail: stats.CauseNormalTemperature}, 1},
			{stats.Key{Day: day0, Node: "", Metric: stats.ColourChanges, Colour: "RED", Detail: stats.CauseRisk}, 1},
			{stats.Key{Day: day0, Node: home.Path, Metric: stats.ColourChanges, Colour: "ORANGE", Detail: stats.CauseControlList}, 1},
			{stats.Key{Day: day1, Node: home.Path, Metric: stats.ColourChanges, Colour: "GREEN", Detail: stats.CauseQuarantineEnded}, 1},
			{stats.Key{Day: day1, Node: home.Path, Metric: stats.ColourChanges, Colour: "YELLOW", Detail: stats.CauseFever}, 1},
			{stats.Key{Day: day0, Node: home.Path, Metric: stats.AlertsRaised, Colour: "ORANGE", Detail: alerts.KindColourChange}, 1},
			{stats.Key{Day: day0, Node: "", Metric: stats.AlertsRaised, Colour: "RED", Detail: alerts.KindColourChange}, 1},
		} {
			if got := stored[c.key]; got != c.want {
				t.Errorf("%s = %d, want %d", c.key, got, c.want)
			}
		}
	})
}

package alerts_test

import (
	"context"
	"testing"
	"time"

	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/internal/statstest"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/stats"
)

// TestAlertRollupsFollowRaisingAndHandling (issue 12): alerts raised and
// counted by their raiser (stats.AddAlertsRaised in its transaction, as
// the scans service does), then assigned, re-assigned, visited and closed
// through Handle, keep ALERTS_* and VISIT_SECONDS equal to a recount; the
// time to visit is the seconds from raising to the visit.
func TestAlertRollupsFollowRaisingAndHandling(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		authz.Install(db.Client)
		f := newFixture(t, db)
		f.svc.Rollups = statstest.Rollups(db)
		clock := now
		f.svc.Now = func() time.Time { return clock }
		health := scenario.SectorHealth
		var raised []*ent.Alert
		err := database.InTx(f.ctx, db.Client, func(ctx context.Context, c *ent.Client) error {
			var err error
			if raised, _, err = f.svc.RaiseMany(ctx, c, []alerts.Raise{scanRaise(siteA, &health), scanRaise(siteB, nil)}); err != nil {
				return err
			}
			var d stats.Delta
			stats.AddAlertsRaised(&d, raised)
			return f.svc.Rollups.Apply(ctx, c, &d)
		})
		if err != nil {
			t.Fatal(err)
		}
		statstest.Check(t, db, "alerts")

		x := raised[0]
		step := func(by *ent.Account, action string, assignee *ent.Account, note string) {
			t.Helper()
			var aid *int
			if assignee != nil {
				aid = &assignee.ID
			}
			v := viewerOf(by)
			if _, err := f.svc.Handle(asRequest(v), v, x.ID, action, aid, note); err != nil {
				t.Fatalf("%s: %v", action, err)
			}
			statstest.Check(t, db, "alerts")
		}
		clock = now.Add(10 * time.Minute)
		step(f.senior, alerts.ActionAssign, f.gridA, "")
		step(f.senior, alerts.ActionAssign, f.gridA2, "") // re-assigned: still one assigned alert
		clock = now.Add(90*time.Minute + 30*time.Second)
		step(f.gridA2, alerts.ActionVisit, nil, "上门核实: 体温正常")
		clock = now.Add(2 * time.Hour)
		step(f.senior, alerts.ActionClose, nil, "")

		stored := statstest.Stored(t, db.Client, string(stats.AlertsAssigned), string(stats.VisitSeconds), string(stats.AlertsClosed))
		key := stats.Key{Day: stats.Day(now), Node: communA, Sector: string(health), Detail: alerts.KindScan}
		for m, want := range map[stats.Metric]int64{stats.AlertsAssigned: 1, stats.VisitSeconds: 90*60 + 30, stats.AlertsClosed: 1} {
			key.Metric = m
			if stored[key] != want {
				t.Errorf("%s at %s = %d, want %d", m, communA, stored[key], want)
			}
		}
	})
}

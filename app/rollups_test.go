package app_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/mashang/mashang/app"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/demo"
	"github.com/mashang/mashang/internal/statstest"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/stats"
	"github.com/mashang/mashang/token"
)

// TestDemoRollupsAgreeWithARecount (issue 12): the demo's sites, seeded
// through sites.Create, and its people, accounts and colour changes,
// seeded through the services NewServices wires, leave the site and
// account gauges and the colour changes equal to a recount — the services
// are wired with the rollups.
func TestDemoRollupsAgreeWithARecount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		if _, err := demo.Seed(ctx, db, io.Discard); err != nil {
			t.Fatal(err)
		}
		box, err := pii.NewBox(pii.NewKey())
		if err != nil {
			t.Fatal(err)
		}
		svc, err := app.NewServices(db, box, app.ServiceConfig{Signer: &token.Signer{Issuer: "22", Current: token.GenerateKey()}},
			slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		defer svc.Alerts.Broker.Close()
		initiator, _, err := svc.Auth.BootstrapInitiator(ctx, "发起扫码员", app.DemoInitiatorPhone, app.DemoInitiatorPassword)
		if err != nil {
			t.Fatal(err)
		}
		if err := app.SeedDemoPeople(ctx, db.Client, svc, initiator, io.Discard); err != nil {
			t.Fatal(err)
		}
		statstest.Check(t, db, "sites", "accounts", "colour changes")
		for _, m := range []stats.Metric{stats.Sites, stats.Accounts, stats.ColourChanges} {
			if len(statstest.Stored(t, db.Client, string(m))) == 0 {
				t.Errorf("the demo stores no %s", m)
			}
		}
	})
}

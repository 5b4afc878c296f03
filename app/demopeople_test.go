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
	"github.com/mashang/mashang/ent/alert"
	"github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/ent/scan"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/token"
)

// TestSeedDemoPeople: `make run` shows residents of every colour the seed
// produces through the real services, scans at the door and the alerts
// they raise; a second run adds nothing.
func TestSeedDemoPeople(t *testing.T) {
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
		for range 2 {
			if err := app.SeedDemoPeople(ctx, db.Client, svc, initiator, io.Discard); err != nil {
				t.Fatal(err)
			}
		}
		count := func(n int, err error) int {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count(db.Client.Person.Query().Count(ctx)); n != 14 { // 12 residents, the scanner, the MANUAL elder
			t.Errorf("persons %d, want 14", n)
		}
		if n := count(db.Client.Scan.Query().Count(ctx)); n != 13 {
			t.Errorf("scans %d, want 13", n)
		}
		if n := count(db.Client.Scan.Query().Where(scan.DecisionEQ(scan.DecisionDENY)).Count(ctx)); n != 1 {
			t.Errorf("denied scans %d, want 1 (the fever)", n)
		}
		if n := count(db.Client.Person.Query().Where(person.ColourEQ(scenario.ColourYellow)).Count(ctx)); n != 1 {
			t.Errorf("yellow persons %d, want 1", n)
		}
		if n := count(db.Client.Person.Query().Where(person.ColourEQ(scenario.ColourOrange)).Count(ctx)); n != 1 {
			t.Errorf("orange persons %d, want 1", n)
		}
		if n := count(db.Client.Alert.Query().Where(alert.KindEQ(alert.KindCOLOUR_CHANGE)).Count(ctx)); n != 1 {
			t.Errorf("colour-change alerts %d, want 1", n)
		}
		if n := count(db.Client.Alert.Query().Where(alert.KindEQ(alert.KindSCAN)).Count(ctx)); n != 1 {
			t.Errorf("scan alerts %d, want 1", n)
		}
	})
}

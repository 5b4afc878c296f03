package app_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang/app"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/demo"
	"github.com/mashang/mashang/ent/alert"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/ent/scan"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/stats"
	"github.com/mashang/mashang/token"
)

// TestSeedDemoHistory: the demo gives 朝阳区 and 宁国市 fourteen days of
// registrations and scans, back-dated through the services, with fevers,
// denials and handled alerts; 宁国市's towns carry seed 003 annex 1's
// populations and targets; a second run adds nothing.
func TestSeedDemoHistory(t *testing.T) {
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
		var out strings.Builder
		start := time.Now()
		if err := app.SeedDemoHistory(ctx, db.Client, svc, initiator, &out); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s in %v", strings.TrimSpace(out.String()), time.Since(start).Round(time.Millisecond))
		before, err := db.Client.Scan.Query().Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := app.SeedDemoHistory(ctx, db.Client, svc, initiator, io.Discard); err != nil {
			t.Fatal(err)
		}
		if after, _ := db.Client.Scan.Query().Count(ctx); after != before {
			t.Errorf("a second run added %d scans", after-before)
		}

		scans, err := db.Client.Scan.Query().Where(scan.ClientIDHasPrefix("hist-")).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		days := map[string]map[string]int{} // district → day → scans
		methods, sites := map[scan.Method]bool{}, map[int]bool{}
		var fevers, denied int
		for _, s := range scans {
			district := "other"
			switch {
			case strings.HasPrefix(s.SitePath, "/22/2201/220104/"):
				district = "朝阳区"
			case strings.HasPrefix(s.SitePath, "/34/3418/341881/"):
				district = "宁国市"
			}
			if days[district] == nil {
				days[district] = map[string]int{}
			}
			days[district][stats.Day(s.ServerTime)]++
			methods[s.Method], sites[s.SiteID] = true, true
			if s.Fever {
				fevers++
			}
			if s.Decision == scan.DecisionDENY {
				denied++
			}
		}
		for _, d := range []string{"朝阳区", "宁国市"} {
			if len(days[d]) < 14 {
				t.Errorf("%s has scans on %d local days, want 14 or more: %v", d, len(days[d]), days[d])
			}
		}
		if days["other"] != nil {
			t.Errorf("history scans outside the two districts: %v", days["other"])
		}
		if len(methods) < 3 || len(sites) < 6 || fevers == 0 || denied <= fevers {
			t.Errorf("methods %v, %d sites, %d fevers, %d denied: want 3 methods, 6 sites, fevers and denials beyond them", methods, len(sites), fevers, denied)
		}
		closed, err := db.Client.Alert.Query().Where(alert.StatusEQ(alert.StatusCLOSED)).Count(ctx)
		if err != nil || closed == 0 {
			t.Errorf("%d alerts closed (%v), want some handled", closed, err)
		}
		// Seed 003 annex 1 on 宁国市's towns (demo.Seed writes them).
		town, err := db.Client.Region.Query().Where(region.Code("341881100")).Only(ctx) // 港口镇
		if err != nil {
			t.Fatal(err)
		}
		if town.Population == nil || *town.Population != 32683 || town.RegistrationTarget == nil || *town.RegistrationTarget != 29415 {
			t.Errorf("港口镇 population %v target %v, want 32683 / 29415", town.Population, town.RegistrationTarget)
		}
	})
}

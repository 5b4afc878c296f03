package sites_test

import (
	"context"
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/internal/statstest"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/sites"
	"github.com/mashang/mashang/stats"
)

// TestSiteGaugesFollowEveryWrite (issue 12; seed 003 annex 2 已建 / 启用):
// creating, re-categorising, building, enabling and moving sites keep
// SITES, SITES_BUILT and SITES_ENABLED — and the ACCOUNTS gauge of the
// accounts a move carries along — equal to a recount.
func TestSiteGaugesFollowEveryWrite(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		r := statstest.Rollups(db)
		tr := apitest.NewTree(t, db.Client)
		tr.Add("", "34", "安徽省")
		tr.Add("34", "3418", "宣城市")
		tr.Add("3418", "341881", "宁国市")
		from := tr.Add("341881", "341881100", "港口镇")
		to := tr.Add("341881", "341881101", "梅林镇")
		hall, err := sites.Create(ctx, db.Client, r, sites.Input{Name: "便民服务中心", Category: scenario.GovernmentServiceHall, RegionID: from.ID})
		if err != nil {
			t.Fatal(err)
		}
		door, err := sites.Create(ctx, db.Client, r, sites.Input{Name: "一楼入口", Category: scenario.GovernmentServiceHall, Built: true, ParentSiteID: hall.ID})
		if err != nil {
			t.Fatal(err)
		}
		statstest.Check(t, db, "sites")
		stored := statstest.Stored(t, db.Client, string(stats.Sites), string(stats.SitesBuilt))
		key := stats.Key{Node: "/34/3418/341881/341881100/", Metric: stats.Sites, Category: string(scenario.GovernmentServiceHall), Sector: string(scenario.SectorOther)}
		if stored[key] != 2 {
			t.Errorf("港口镇 holds %d service-hall sites, want 2", stored[key])
		}
		key.Metric = stats.SitesBuilt
		if stored[key] != 1 {
			t.Errorf("港口镇 holds %d built service-hall sites, want 1", stored[key])
		}

		agency := scenario.GovernmentAgency
		if _, err := sites.Update(ctx, db.Client, r, hall.ID, sites.Patch{Category: &agency}); err != nil {
			t.Fatal(err)
		}
		yes := true
		if _, err := sites.SetStatus(ctx, db.Client, r, hall.ID, &yes, &yes); err != nil {
			t.Fatal(err)
		}
		statstest.Check(t, db, "sites")

		holder := db.Client.User.Create().SetName("王五").SetPhoneSealed([]byte{1}).SetPhoneHash("h1").SetPhoneMasked("138****0000").SetPasswordHash("x").SaveX(ctx)
		db.Client.Account.Create().SetRole("ORDINARY").SetHolder(holder).SetScopePath(door.Path).SetScopeSiteID(door.ID).SetAccountPath("/a1/a2/").SaveX(ctx)
		statstest.Seed(t, db, "accounts")
		if _, err := sites.Move(ctx, db.Client, r, hall.ID, to.ID, 0); err != nil {
			t.Fatal(err)
		}
		statstest.Check(t, db, "sites", "accounts")
		stored = statstest.Stored(t, db.Client, string(stats.Sites))
		if n := stored[stats.Key{Node: "/34/3418/341881/341881100/", Metric: stats.Sites, Category: string(agency), Sector: string(scenario.SectorOther)}]; n != 0 {
			t.Errorf("港口镇 still holds %d sites after the move", n)
		}
	})
}

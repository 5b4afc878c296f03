package sites_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/site"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/sites"
)

func TestCreate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		tr := apitest.NewTree(t, db.Client)
		tr.Add("", "34", "安徽省")
		tr.Add("34", "3418", "宣城市")
		tr.Add("3418", "341881", "宁国市")
		town := tr.Add("341881", "341881100", "港口镇")
		other := tr.Add("3418", "341802", "宣州区")

		gov, err := sites.Create(ctx, db.Client, nil, sites.Input{Name: " 港口镇政府 ", Category: scenario.GovernmentAgency, Built: true, Enabled: true, RegionID: town.ID})
		if err != nil {
			t.Fatal(err)
		}
		if gov.Name != "港口镇政府" || gov.Path != fmt.Sprintf("/34/3418/341881/341881100/s%d/", gov.ID) || gov.GeofenceRadius != sites.DefaultGeofenceRadius {
			t.Fatalf("created %+v", gov)
		}
		door, err := sites.Create(ctx, db.Client, nil, sites.Input{Name: "东门", Category: scenario.GovernmentAgency, ParentSiteID: gov.ID})
		if err != nil {
			t.Fatal(err)
		}
		if door.Path != gov.Path+fmt.Sprintf("s%d/", door.ID) || door.RegionID != town.ID {
			t.Fatalf("sub-site %+v", door)
		}
		taxi, err := sites.Create(ctx, db.Client, nil, sites.Input{Name: "皖P·T1234 出租车", Category: scenario.Taxi, RegionID: town.ID})
		if err != nil {
			t.Fatal(err)
		}
		if taxi.GeofenceRadius != 0 {
			t.Fatalf("taxi geofence = %d, want 0", taxi.GeofenceRadius)
		}
		counts := map[string]int{"34": 3, "3418": 3, "341881": 3, "341881100": 3, "341802": 0}
		for code, want := range counts {
			r := tr.ByCode[code]
			got, err := db.Client.Region.Get(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.SiteCount != want {
				t.Errorf("site_count of %s = %d, want %d", code, got.SiteCount, want)
			}
		}

		before, _ := db.Client.Site.Query().Count(ctx)
		seven := 7
		lat := 30.6
		refused := map[string]struct {
			in   sites.Input
			code string
		}{
			"ErrNameRequired":       {sites.Input{Name: "  ", Category: scenario.Park, RegionID: town.ID}, mashang.EINVALID},
			"ErrUnknownCategory":    {sites.Input{Name: "x", Category: "CASINO", RegionID: town.ID}, mashang.EINVALID},
			"ErrEnabledButNotBuilt": {sites.Input{Name: "x", Category: scenario.Park, Enabled: true, RegionID: town.ID}, mashang.EINVALID},
			"ErrVehicleGeofence":    {sites.Input{Name: "x", Category: scenario.Bus, GeofenceRadius: &seven, RegionID: town.ID}, mashang.EINVALID},
			"ErrHalfCoordinates":    {sites.Input{Name: "x", Category: scenario.Park, Latitude: &lat, RegionID: town.ID}, mashang.EINVALID},
			"ErrNoParent":           {sites.Input{Name: "x", Category: scenario.Park}, mashang.EINVALID},
			"ErrBothParents":        {sites.Input{Name: "x", Category: scenario.Park, RegionID: other.ID, ParentSiteID: gov.ID}, mashang.EINVALID},
			"ErrUnknownRegion":      {sites.Input{Name: "x", Category: scenario.Park, RegionID: 123456}, mashang.ENOTFOUND},
			"ErrUnknownParentSite":  {sites.Input{Name: "x", Category: scenario.Park, ParentSiteID: 4294967296 + 99999}, mashang.ENOTFOUND},
		}
		for name, c := range refused {
			t.Run(name, func(t *testing.T) {
				_, err := sites.Create(ctx, db.Client, nil, c.in)
				if got := mashang.ErrorCode(err); got != c.code {
					t.Fatalf("error %v has code %s, want %s", err, got, c.code)
				}
			})
		}
		after, _ := db.Client.Site.Query().Count(ctx)
		if after != before {
			t.Fatalf("refused inputs wrote %d sites", after-before)
		}
		if n, _ := db.Client.Site.Query().Where(site.PathContains("pending")).Count(ctx); n != 0 {
			t.Fatalf("%d sites kept a placeholder path", n)
		}
	})
}

func TestMoveRewritesSubtreeAndCounts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		tr := apitest.NewTree(t, db.Client)
		tr.Add("", "34", "安徽省")
		tr.Add("34", "3418", "宣城市")
		tr.Add("3418", "341881", "宁国市")
		from := tr.Add("341881", "341881100", "港口镇")
		to := tr.Add("341881", "341881101", "梅林镇")
		hall, err := sites.Create(ctx, db.Client, nil, sites.Input{Name: "便民服务中心", Category: scenario.GovernmentServiceHall, RegionID: from.ID})
		if err != nil {
			t.Fatal(err)
		}
		door, err := sites.Create(ctx, db.Client, nil, sites.Input{Name: "一楼入口", Category: scenario.GovernmentServiceHall, ParentSiteID: hall.ID})
		if err != nil {
			t.Fatal(err)
		}
		holder := db.Client.User.Create().SetName("王五").SetPhoneSealed([]byte{1}).SetPhoneHash("h1").SetPhoneMasked("138****0000").SetPasswordHash("x").SaveX(ctx)
		scanner := db.Client.Account.Create().SetRole("ORDINARY").SetHolder(holder).SetScopePath(door.Path).SetScopeSiteID(door.ID).SetAccountPath("/a1/a2/").SaveX(ctx)
		moved, err := sites.Move(ctx, db.Client, nil, hall.ID, to.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("/34/3418/341881/341881101/s%d/", hall.ID); moved.Path != want || moved.RegionID != to.ID {
			t.Fatalf("moved site path %s region %d, want %s region %d", moved.Path, moved.RegionID, want, to.ID)
		}
		d, _ := db.Client.Site.Get(ctx, door.ID)
		if d.Path != moved.Path+fmt.Sprintf("s%d/", door.ID) || d.RegionID != to.ID {
			t.Fatalf("sub-site not rebased: %s region %d", d.Path, d.RegionID)
		}
		if acc, _ := db.Client.Account.Get(ctx, scanner.ID); acc.ScopePath != d.Path {
			t.Fatalf("account scope_path %s did not follow its site to %s", acc.ScopePath, d.Path)
		}
		for code, want := range map[string]int{"341881100": 0, "341881101": 2, "341881": 2, "34": 2} {
			r, _ := db.Client.Region.Get(ctx, tr.ByCode[code].ID)
			if r.SiteCount != want {
				t.Errorf("site_count of %s = %d, want %d", code, r.SiteCount, want)
			}
		}
		t.Run("ErrUnderItsOwnSubsite", func(t *testing.T) {
			_, err := sites.Move(ctx, db.Client, nil, hall.ID, 0, door.ID)
			if mashang.ErrorCode(err) != mashang.EINVALID {
				t.Fatalf("err = %v", err)
			}
		})
	})
}

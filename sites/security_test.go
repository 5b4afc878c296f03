package sites_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/sites"
)

// TestCallersKeptOut names each permission check of sites.Service (marked
// SECURITY in the code) by the caller it keeps out (DESIGN.md §5: sites are
// created and changed by the INITIATOR anywhere and a SENIOR below its own
// scope). Each row runs in a transaction rolled back afterwards; a refused
// call must change no site.
func TestCallersKeptOut(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		authz.Install(db.Client)
		tr := apitest.NewTree(t, db.Client)
		tr.Add("", "34", "安徽省")
		city := tr.Add("34", "3418", "宣城市")
		county := tr.Add("3418", "341881", "宁国市")
		otherCity := tr.Add("34", "3402", "芜湖市")
		mk := func(name string, regionID int) *ent.Site {
			s, err := sites.Create(ctx, db.Client, nil, sites.Input{Name: name, Category: scenario.GovernmentAgency, Built: true, Enabled: true, RegionID: regionID})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		hall, library := mk("宁国市政务大厅", county.ID), mk("宁国市图书馆", county.ID)
		otherUnit, err := db.Client.Unit.Create().SetName("芜湖市政务服务局").SetUscc("91340200MA2N00000T").
			SetRegionID(otherCity.ID).SetRegionPath(otherCity.Path).Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		svc := &sites.Service{Client: db.Client, Enforcer: authz.MustEnforcer(), Now: func() time.Time { return time.Date(2021, 3, 1, 8, 0, 0, 0, time.UTC) }}
		as := func(role, scope string) *mashang.Viewer {
			return &mashang.Viewer{UserID: 1, AccountID: 1, Role: role, ScopePath: scope, AccountPath: "/a1/"}
		}
		senior := as(mashang.RoleSenior, county.Path)
		name := "新名称"
		for _, c := range []struct {
			name string
			v    *mashang.Viewer
			call func(ctx context.Context) error
			want string
		}{
			{"AsAnonymous", nil, func(ctx context.Context) error {
				_, err := svc.Create(ctx, sites.NewSite{ParentID: county.ID, Input: sites.Input{Name: "x", Category: scenario.GovernmentAgency}})
				return err
			}, mashang.EUNAUTHENTICATED},
			{"AsAnOrdinaryScannerOfTheSiteCreatingUnderIt", as(mashang.RoleOrdinary, hall.Path), func(ctx context.Context) error {
				_, err := svc.Create(ctx, sites.NewSite{ParentID: hall.ID, Input: sites.Input{Name: "东门", Category: scenario.GovernmentAgency}})
				return err
			}, mashang.EFORBIDDEN},
			{"AsAnIntermediateScannerOfTheSiteChangingIt", as(mashang.RoleIntermediate, hall.Path), func(ctx context.Context) error {
				_, err := svc.SetStatus(ctx, hall.ID, nil, new(bool))
				return err
			}, mashang.EFORBIDDEN},
			{"AsASeniorCreatingBesideItsScope", senior, func(ctx context.Context) error {
				_, err := svc.Create(ctx, sites.NewSite{ParentID: city.ID, Input: sites.Input{Name: "市图书馆", Category: scenario.GovernmentAgency}})
				return err
			}, mashang.EFORBIDDEN},
			{"AsASeniorOfAnotherCity", as(mashang.RoleSenior, otherCity.Path), func(ctx context.Context) error {
				_, err := svc.Update(ctx, hall.ID, sites.Patch{Name: &name})
				return err
			}, mashang.ENOTFOUND},
			{"AsASeniorChangingTheSiteThatIsItsScope", as(mashang.RoleSenior, hall.Path), func(ctx context.Context) error {
				_, err := svc.Update(ctx, hall.ID, sites.Patch{Name: &name})
				return err
			}, mashang.EFORBIDDEN},
			{"AsASeniorMovingASiteOutOfItsScope", senior, func(ctx context.Context) error {
				_, err := svc.Move(ctx, library.ID, otherCity.ID)
				return err
			}, mashang.EFORBIDDEN},
			{"AsASeniorBindingAnotherCitysUnit", senior, func(ctx context.Context) error {
				_, err := svc.Update(ctx, library.ID, sites.Patch{UnitID: &otherUnit.ID})
				return err
			}, mashang.ENOTFOUND},
			// The control: the same SENIOR below its scope may.
			{"AsASeniorBelowItsScope", senior, func(ctx context.Context) error {
				_, err := svc.Update(ctx, library.ID, sites.Patch{Name: &name})
				return err
			}, ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				tx, err := db.Client.Tx(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer tx.Rollback()
				rctx := authz.WithRequest(ctx)
				if c.v != nil {
					rctx = mashang.NewContextWithViewer(rctx, c.v)
				}
				rctx = ent.NewTxContext(rctx, tx)
				before := siteRows(t, tx.Client())
				err = c.call(rctx)
				if got := mashang.ErrorCode(err); err != nil && got != c.want || err == nil && c.want != "" {
					t.Fatalf("error %v (code %q), want code %q", err, got, c.want)
				}
				if after := siteRows(t, tx.Client()); c.want != "" && after != before {
					t.Fatalf("a refused call changed sites:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
	})
}

// siteRows is every site's id, name, path, status and unit, unfiltered.
func siteRows(t *testing.T, c *ent.Client) string {
	t.Helper()
	all, err := c.Site.Query().Order(ent.Asc("id")).All(authz.AsSystem(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	out := ""
	for _, s := range all {
		unit := 0
		if s.UnitID != nil {
			unit = *s.UnitID
		}
		out += fmt.Sprintf("%d %s %s %v %v %d; ", s.ID, s.Name, s.Path, s.Built, s.Enabled, unit)
	}
	return out
}

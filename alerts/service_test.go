package alerts_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/alert"
	"github.com/mashang/mashang/scenario"
)

// next waits for the next alert of a subscription.
func next(t *testing.T, ch <-chan *ent.Alert) *ent.Alert {
	t.Helper()
	select {
	case a, ok := <-ch:
		if !ok {
			t.Fatal("subscription closed")
		}
		return a
	case <-time.After(10 * time.Second):
		t.Fatal("no alert within 10s")
	}
	return nil
}

// A subscription delivers, reloaded through the subscriber's scope filter,
// exactly the alerts the subscriber may see. Deliveries keep their order,
// so an alert a subscriber must not get is followed by one it must get: the
// first it receives tells.
func TestSubscribe(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		authz.Install(db.Client)
		f := newFixture(t, db)
		health, edu := scenario.SectorHealth, scenario.SectorEducation
		subscribe := func(a *ent.Account, scope string) (<-chan *ent.Alert, context.CancelFunc) {
			t.Helper()
			v := viewerOf(a)
			ctx, cancel := context.WithCancel(asRequest(v))
			ch, err := f.svc.Subscribe(ctx, v, scope)
			if err != nil {
				cancel()
				t.Fatal(err)
			}
			t.Cleanup(cancel)
			return ch, cancel
		}

		t.Run("Refused", func(t *testing.T) {
			officialOther := f.account(account.RoleOFFICIAL, otherCity, nil, true)
			for _, tc := range []struct {
				name  string
				v     *mashang.Viewer
				scope string
				code  string
			}{
				{"AsAnOrdinaryScanner", viewerOf(f.ordinary), "", mashang.EFORBIDDEN},
				{"AsAnIntermediateScanner", viewerOf(f.intermediate), siteA, mashang.EFORBIDDEN},
				{"AsASeniorOfAnotherCity", viewerOf(f.seniorOther), district, mashang.EFORBIDDEN},
				{"AsAnOfficialOfAnotherCity", viewerOf(officialOther), communA, mashang.EFORBIDDEN},
				{"AsAGridWorkerOfAnotherCommunity", viewerOf(f.gridB), communA, mashang.EFORBIDDEN},
				{"Anonymously", nil, "", mashang.EUNAUTHENTICATED},
			} {
				t.Run(tc.name, func(t *testing.T) {
					_, err := f.svc.Subscribe(asRequest(tc.v), tc.v, tc.scope)
					wantCode(t, err, tc.code, "")
				})
			}
			if n := f.broker.(alerts.SubscriberCounter).Subscribers(); n != 0 {
				t.Fatalf("%d subscriptions held by refused callers", n)
			}
		})

		senior, _ := subscribe(f.senior, "")
		seniorOther, _ := subscribe(f.seniorOther, "")
		officialEdu, _ := subscribe(f.officialEdu, "")
		gridA, _ := subscribe(f.gridA, "")
		gridB, stopB := subscribe(f.gridB, "")

		publish := func(a *ent.Alert) { f.svc.Publish(f.ctx, []alerts.Message{alerts.MessageOf(a)}) }
		x := f.raise(scanRaise(siteA, &health))
		publish(x)
		if a := next(t, senior); a.ID != x.ID || a.NameMasked != "张*" {
			t.Fatalf("the district's senior received %+v, want alert %d", a, x.ID)
		}
		t.Run("AsAnOfficialOfAnotherSector", func(t *testing.T) {
			y := f.raise(scanRaise(siteA, &edu))
			publish(y)
			if a := next(t, officialEdu); a.ID != y.ID {
				t.Fatalf("the EDUCATION official received alert %d, want only %d", a.ID, y.ID)
			}
		})
		t.Run("AsASeniorOfAnotherCity", func(t *testing.T) {
			z := f.raise(scanRaise(otherCity+"220202/s9/", nil))
			publish(z)
			if a := next(t, seniorOther); a.ID != z.ID {
				t.Fatalf("the other city's senior received alert %d, want only %d", a.ID, z.ID)
			}
		})
		t.Run("AsAGridWorkerOfAnotherCommunity", func(t *testing.T) {
			if _, err := f.svc.Handle(f.ctx, viewerOf(f.senior), x.ID, alerts.ActionAssign, &f.gridA.ID, ""); err != nil {
				t.Fatal(err)
			}
			if a := next(t, gridA); a.ID != x.ID || a.Status != alert.StatusASSIGNED {
				t.Fatalf("the assigned grid worker received %+v", a)
			}
			w := f.raise(scanRaise(siteB, nil))
			if _, err := f.svc.Handle(f.ctx, viewerOf(f.senior), w.ID, alerts.ActionAssign, &f.gridB.ID, ""); err != nil {
				t.Fatal(err)
			}
			if a := next(t, gridB); a.ID != w.ID {
				t.Fatalf("community B's grid worker received alert %d, want only %d", a.ID, w.ID)
			}
		})
		t.Run("EndsWithTheRequest", func(t *testing.T) {
			before := f.broker.(alerts.SubscriberCounter).Subscribers()
			stopB()
			for _, ok := <-gridB; ok; _, ok = <-gridB {
			}
			if after := f.broker.(alerts.SubscriberCounter).Subscribers(); after != before-1 {
				t.Fatalf("%d subscriptions after one ended, want %d", after, before-1)
			}
		})
	})
}

// Steps are seen by whoever sees the alert, through the service's check
// and through the scope filter alike.
func TestSteps(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		authz.Install(db.Client)
		f := newFixture(t, db)
		health := scenario.SectorHealth
		x := f.raise(scanRaise(siteA, &health))
		if _, err := f.svc.Handle(f.ctx, viewerOf(f.senior), x.ID, alerts.ActionAssign, &f.gridA.ID, "请尽快上门"); err != nil {
			t.Fatal(err)
		}
		x, err := f.svc.Handle(f.ctx, viewerOf(f.gridA), x.ID, alerts.ActionVisit, nil, "上门核实")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			by   *ent.Account
			code string // "" = sees both steps
		}{
			{"AsTheSeniorOfTheDistrict", f.senior, ""},
			{"AsAnOfficialForTheAlertsSector", f.officialHealth, ""},
			{"AsTheAssignedGridWorker", f.gridA, ""},
			{"AsTheInitiator", f.initiator, ""},
			{"AsAnotherGridWorkerOfTheCommunity", f.gridA2, mashang.EFORBIDDEN},
			{"AsAGridWorkerOfAnotherCommunity", f.gridB, mashang.EFORBIDDEN},
			{"AsAnOfficialOfAnotherSector", f.officialEdu, mashang.EFORBIDDEN},
			{"AsASeniorOfAnotherCity", f.seniorOther, mashang.EFORBIDDEN},
			{"AsAnOrdinaryScanner", f.ordinary, mashang.EFORBIDDEN},
		} {
			t.Run(tc.name, func(t *testing.T) {
				v := viewerOf(tc.by)
				steps, err := f.svc.Steps(asRequest(v), v, x)
				// The scope filter alone shows the same rows.
				direct := db.Client.AlertStep.Query().CountX(asRequest(v))
				if tc.code != "" {
					wantCode(t, err, tc.code, "")
					if direct != 0 {
						t.Fatalf("the scope filter shows %d steps", direct)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if len(steps) != 2 || steps[0].Note != "请尽快上门" || steps[1].Note != "上门核实" || direct != 2 {
					t.Fatalf("steps %+v, %d through the scope filter", steps, direct)
				}
			})
		}
	})
}

// The pauses a caller lists are those of its subtree and those above it.
func TestPauses(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		authz.Install(db.Client)
		f := newFixture(t, db)
		if err := f.svc.SetPause(f.ctx, viewerOf(f.initiator), f.region(district).ID, true, "导入错误"); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetPause(f.ctx, viewerOf(f.initiator), f.region(otherCity).ID, true, ""); err != nil {
			t.Fatal(err)
		}
		noScope := viewerOf(f.official)
		noScope.ScopePath = ""
		for _, tc := range []struct {
			name string
			v    *mashang.Viewer
			want []string
		}{
			{"AsTheInitiator", viewerOf(f.initiator), []string{district, otherCity}},
			{"AsTheSeniorOfTheDistrict", viewerOf(f.senior), []string{district}},
			{"AsAnOfficialOfTheCity", viewerOf(f.official), []string{district}},
			{"AsAnOrdinaryScannerOfTheDistrict", viewerOf(f.ordinary), []string{district}},
			{"AsASeniorOfAnotherCity", viewerOf(f.seniorOther), []string{otherCity}},
			{"AsAnOfficialWithoutScope", noScope, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ps, err := f.svc.Pauses(asRequest(tc.v), tc.v)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, p := range ps {
					got = append(got, p.Path)
				}
				if !slices.Equal(got, tc.want) {
					t.Fatalf("pauses %v, want %v", got, tc.want)
				}
			})
		}
		t.Run("Anonymously", func(t *testing.T) {
			_, err := f.svc.Pauses(asRequest(nil), nil)
			wantCode(t, err, mashang.EUNAUTHENTICATED, "")
		})
	})
}

// Who may not pause or resume a region's pushes, and nothing changes when
// they try.
func TestSetPauseRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		districtID := f.region(district).ID
		if err := f.svc.SetPause(f.ctx, viewerOf(f.official), districtID, true, "导入错误"); err != nil {
			t.Fatal(err)
		}
		officialOther := f.account(account.RoleOFFICIAL, otherCity, nil, true)
		disabled := viewerOf(f.official)
		disabled.Disabled = true
		for _, tc := range []struct {
			name string
			v    *mashang.Viewer
			code string
		}{
			{"AsAnOrdinaryScanner", viewerOf(f.ordinary), mashang.EFORBIDDEN},
			{"AsAnIntermediateScanner", viewerOf(f.intermediate), mashang.EFORBIDDEN},
			{"AsASenior", viewerOf(f.senior), mashang.EFORBIDDEN},
			{"AsAGridWorker", viewerOf(f.gridA), mashang.EFORBIDDEN},
			{"AsAnOfficialOfAnotherCity", viewerOf(officialOther), mashang.EFORBIDDEN},
			{"AsADisabledOfficial", disabled, mashang.EACCOUNTDISABLED},
			{"Anonymously", nil, mashang.EUNAUTHENTICATED},
		} {
			t.Run(tc.name, func(t *testing.T) {
				for _, paused := range []bool{true, false} {
					wantCode(t, f.svc.SetPause(f.ctx, tc.v, districtID, paused, "不应生效"), tc.code, "")
				}
				ps := db.Client.AlertPause.Query().AllX(f.ctx)
				if len(ps) != 1 || ps[0].Reason != "导入错误" || ps[0].ByAccountID != f.official.ID {
					t.Fatalf("pauses after a refused call: %+v", ps)
				}
			})
		}
	})
}

// A colour change to ORANGE or RED raises an alert named after the
// residence, pushed when the change commits and never when it rolls back.
func TestOnColourChange(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		sub, cancel := f.broker.Subscribe()
		defer cancel()
		home := f.region(communA)
		p := &ent.Person{ID: 77, NameMasked: "王*", IDNumberMasked: "220104********0011", ResidencePath: communA, ResidenceRegionID: &home.ID}

		for _, commit := range []bool{false, true} {
			tx, err := db.Client.Tx(f.ctx)
			if err != nil {
				t.Fatal(err)
			}
			ctx := ent.NewTxContext(f.ctx, tx)
			if err := f.svc.OnColourChange(ctx, tx.Client(), p, "GREEN", "YELLOW", "test"); err != nil {
				t.Fatal(err)
			}
			if err := f.svc.OnColourChange(ctx, tx.Client(), p, "GREEN", "RED", "test"); err != nil {
				t.Fatal(err)
			}
			empty(t, sub)
			if !commit {
				if err := tx.Rollback(); err != nil {
					t.Fatal(err)
				}
				empty(t, sub)
				continue
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
		}
		m := receive(t, sub)
		empty(t, sub) // YELLOW raises nothing; the rolled-back RED was never pushed
		a := db.Client.Alert.GetX(f.ctx, m.AlertID)
		if a.Kind != alert.KindCOLOUR_CHANGE || a.Place != home.Name || a.ScopePath != communA || a.PersonID == nil || *a.PersonID != 77 ||
			a.Colour == nil || *a.Colour != scenario.ColourRed || !a.Pushed {
			t.Fatalf("colour-change alert %+v", a)
		}
		if n := db.Client.Alert.Query().CountX(f.ctx); n != 1 {
			t.Fatalf("%d alerts stored, want the committed one", n)
		}
	})
}

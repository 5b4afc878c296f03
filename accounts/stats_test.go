package accounts_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/internal/statstest"
	"github.com/mashang/mashang/outbox"
	"github.com/mashang/mashang/stats"
)

// TestAccountsGaugeFollowsEveryStatusChange (issue 12): creating, handing
// over, disabling with cascade, disabling automatically and activating
// with cascade keep the ACCOUNTS gauge equal to a recount of the accounts.
func TestAccountsGaugeFollowsEveryStatusChange(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		f.svc.Rollups = statstest.Rollups(db)
		statstest.Seed(t, db, "accounts")

		created, err := f.svc.Create(f.as("INT_A"), accounts.CreateInput{Role: "ORDINARY", ScopeSiteID: f.siteA.ID,
			Holder: accounts.Holder{Name: "张三", Phone: f.phone(), Password: newPassword}})
		wantCode(t, err, ok)
		statstest.Check(t, db, "accounts")

		_, err = f.svc.Replace(f.as("INT_A"), created.ID, accounts.Holder{Name: "李四", Phone: f.phone(), Password: newPassword}, "调岗")
		wantCode(t, err, ok)
		statstest.Check(t, db, "accounts")

		_, ids, err := f.svc.Disable(f.as("INI"), f.acct["SEN_A"].ID, true)
		wantCode(t, err, ok)
		if len(ids) < 4 {
			t.Fatalf("cascade disabled %v", ids)
		}
		statstest.Check(t, db, "accounts")
		// The branch's site shows its accounts disabled by cascade, the
		// district its senior disabled by hand.
		stored := statstest.Stored(t, db.Client, string(stats.Accounts))
		if n := stored[stats.Key{Node: f.siteA.Path, Metric: stats.Accounts, Detail: "ORDINARY/DISABLED/CASCADE"}]; n < 2 {
			t.Errorf("site A: %d ordinary accounts disabled by cascade; stored %v", n, stored)
		}
		if n := stored[stats.Key{Node: "/22/2201/220102/", Metric: stats.Accounts, Detail: "SENIOR/DISABLED/MANUAL"}]; n != 1 {
			t.Errorf("南关区: %d seniors disabled by hand", n)
		}

		wantCode(t, f.svc.DisableAutomatically(f.ctx, nil, f.acct["ORD_B"].ID, outbox.ReasonGeofence), ok)
		statstest.Check(t, db, "accounts")

		_, _, err = f.svc.Activate(f.as("INI"), f.acct["SEN_A"].ID, true)
		wantCode(t, err, ok)
		statstest.Check(t, db, "accounts")
	})
}

// TestACascadeDisableIssuesABoundedNumberOfRollupStatements: disabling a
// senior with 40 or with 80 accounts below it writes the gauge with the
// same statements (one Apply), not one a disabled account.
func TestACascadeDisableIssuesABoundedNumberOfRollupStatements(t *testing.T) {
	for _, d := range dbtest.Dialects {
		t.Run(d, func(t *testing.T) {
			counts := map[int]int{}
			for _, n := range []int{40, 80} {
				var counter dbtest.Counter
				counter.Keep = true
				db := dbtest.Open(t, d, database.Options{WrapDriver: counter.Wrap})
				f := newFixture(t, db)
				f.svc.Rollups = statstest.Rollups(db)
				for i := 0; i < n; i++ {
					f.account(fmt.Sprintf("X%d", i), account.RoleORDINARY, f.acct["INT_A"], nil, f.siteA, f.unitA)
				}
				statstest.Seed(t, db, "accounts")
				counter.Reset()
				_, ids, err := f.svc.Disable(f.as("SEN_A"), f.acct["INT_A"].ID, true)
				wantCode(t, err, ok)
				if len(ids) != n+2 {
					t.Fatalf("disabled %d accounts, want %d", len(ids), n+2)
				}
				for _, q := range counter.Statements() {
					if strings.Contains(q, "stat_counts") || strings.Contains(q, "stat_members") {
						counts[n]++
					}
				}
				statstest.Check(t, db, "accounts")
			}
			// One upsert of the counters (no distinct members): the keys are
			// nodes × details, a handful, however many accounts fall.
			const limit = 1
			if counts[40] != counts[80] || counts[80] > limit {
				t.Errorf("rollup statements: %d for 40 accounts, %d for 80; want the same, at most %d", counts[40], counts[80], limit)
			}
		})
	}
}

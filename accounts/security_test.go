package accounts_test

import (
	"context"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
)

// TestCallersKeptOut names each permission check of the service (marked
// SECURITY in the code) by the caller it keeps out, beside the matrix
// (TestAccountMatrix) and the tests named after their own case. Each row
// runs in a transaction rolled back afterwards, and must write nothing.
func TestCallersKeptOut(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		// ORD_X works at site A but hangs under the INITIATOR, not SEN_A,
		// and is held by SEN_A's holder: SEN_A sees it (the holder's own
		// accounts are visible) and its scope is below SEN_A's, yet it is
		// not derived from SEN_A.
		x := f.account("ORD_X", account.RoleORDINARY, f.acct["INI"], nil, f.siteA, f.unitA)
		if err := db.Client.Account.UpdateOneID(x.ID).SetHolderID(f.acct["SEN_A"].HolderID).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		pool := f.user("pool holder")
		holder := accounts.Holder{Name: pool.Name, Phone: f.phoneOf(pool)}
		regionA := f.tree.ByCode["220102"].ID
		future := time.Date(2021, 3, 20, 0, 0, 0, 0, time.UTC)

		for _, c := range []struct {
			name string
			as   string
			call func(ctx context.Context) error
			want string
		}{
			{"AsASeniorReplacingItsHoldersAccountOfAnotherBranch", "SEN_A", func(ctx context.Context) error {
				_, err := f.svc.Replace(ctx, x.ID, holder, "")
				return err
			}, F},
			{"AsASeniorDisablingItsHoldersAccountOfAnotherBranch", "SEN_A", func(ctx context.Context) error {
				_, _, err := f.svc.Disable(ctx, x.ID, false)
				return err
			}, F},
			{"AsAnOrdinaryScannerSubmittingASeniorApplication", "ORD_A", func(ctx context.Context) error {
				_, err := f.svc.SubmitSeniorApplication(ctx, accounts.ApplicationInput{UnitName: "单位", USCC: uscc(9), ScopeRegionID: regionA, Holder: holder})
				return err
			}, F},
			{"AsAGridWorkerSubmittingASeniorApplication", "GRID", func(ctx context.Context) error {
				_, err := f.svc.SubmitSeniorApplication(ctx, accounts.ApplicationInput{UnitName: "单位", USCC: uscc(9), ScopeRegionID: regionA, Holder: holder})
				return err
			}, F},
			{"AsASeniorSubmittingForAnotherCity", "SEN_A", func(ctx context.Context) error {
				_, err := f.svc.SubmitSeniorApplication(ctx, accounts.ApplicationInput{UnitName: "单位", USCC: uscc(9), ScopeRegionID: f.tree.ByCode["220202"].ID, Holder: holder})
				return err
			}, F},
			{"AsAnOfficialReplacingASeniorOfAnotherCity", "OFF", func(ctx context.Context) error {
				_, err := f.svc.SubmitSeniorApplication(ctx, accounts.ApplicationInput{UnitName: "单位", USCC: uscc(2), ScopeRegionID: regionA, Holder: holder,
					ReplacesAccountID: f.acct["SEN_B"].ID, Reason: "调岗"})
				return err
			}, N},
			{"AsASeniorDecidingAnApplication", "SEN_A", func(ctx context.Context) error {
				_, err := f.svc.DecideApplication(ctx, 1, true, "")
				return err
			}, F},
			{"AsAnOfficialDecidingAnApplication", "OFF", func(ctx context.Context) error {
				_, err := f.svc.DecideApplication(ctx, 1, false, "no")
				return err
			}, F},
			{"AsASeniorGivingAGrant", "SEN_A", func(ctx context.Context) error {
				_, err := f.svc.GiveGrant(ctx, accounts.GrantInput{AccountID: f.acct["ORD_A"].ID, Kind: mashang.GrantPIIViewer, ExpiresAt: future, Reason: "核查", CaseNumber: "案2021-1"})
				return err
			}, F},
			{"AsAnOfficialRevokingAGrant", "OFF", func(ctx context.Context) error {
				_, err := f.svc.RevokeGrant(ctx, 1)
				return err
			}, F},
			{"AsAViewerClaimingARoleItsAccountNoLongerHas", "", func(ctx context.Context) error {
				v := viewer(f.get("ORD_A"))
				v.Role = mashang.RoleSenior
				ctx = authz.WithRequest(mashang.NewContextWithViewer(ent.NewTxContext(context.Background(), ent.TxFromContext(ctx)), v))
				_, err := f.svc.Create(ctx, accounts.CreateInput{Role: mashang.RoleOrdinary, ScopeSiteID: f.siteA.ID, Holder: holder})
				return err
			}, mashang.EUNAUTHENTICATED},
		} {
			t.Run(c.name, func(t *testing.T) {
				tx, err := db.Client.Tx(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				defer tx.Rollback()
				ctx := ent.NewTxContext(context.Background(), tx)
				if c.as != "" {
					ctx = ent.NewTxContext(f.as(c.as), tx)
				}
				before := takeSnapshot(t, tx.Client())
				wantCode(t, c.call(ctx), c.want)
				if after := takeSnapshot(t, tx.Client()); after != before {
					t.Fatalf("refused call wrote:\nbefore %+v\nafter  %+v", before, after)
				}
			})
		}
	})
}

package accounts_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/reactivationrequest"
)

// TestCascadeDisableAndActivate: disabling with cascade marks every still
// active derived account CASCADE with the target as cascade root (seed 001
// §10: 禁用下一级扫码员或其衍生的全部扫码员账号); activating with cascade re-enables
// exactly those, not an account disabled MANUALLY before.
func TestCascadeDisableAndActivate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		f.account("ORD_A3", account.RoleORDINARY, f.acct["INT_A"], nil, f.siteA, f.unitA)
		intA, ordA, ordA3 := f.acct["INT_A"].ID, f.acct["ORD_A"].ID, f.acct["ORD_A3"].ID

		// INT_A disables ORD_A3 by hand first.
		_, ids, err := f.svc.Disable(f.as("INT_A"), ordA3, false)
		wantCode(t, err, ok)
		if !slices.Equal(ids, []int{ordA3}) {
			t.Fatalf("disabled %v, want [%d]", ids, ordA3)
		}

		got, ids, err := f.svc.Disable(f.as("SEN_A"), intA, true)
		wantCode(t, err, ok)
		if !slices.Equal(ids, []int{intA, ordA}) {
			t.Fatalf("cascade disabled %v, want [%d %d] (ORD_A3 was disabled already)", ids, intA, ordA)
		}
		if got.Status != account.StatusDISABLED || *got.DisabledReason != account.DisabledReasonMANUAL || got.CascadeRootID != nil || *got.DisabledByID != f.acct["SEN_A"].ID {
			t.Fatalf("target %+v", got)
		}
		if a := f.get("ORD_A"); a.Status != account.StatusDISABLED || *a.DisabledReason != account.DisabledReasonCASCADE || *a.CascadeRootID != intA || *a.DisabledByID != f.acct["SEN_A"].ID {
			t.Fatalf("descendant %+v", a)
		}
		if a := f.get("ORD_A3"); *a.DisabledReason != account.DisabledReasonMANUAL || a.CascadeRootID != nil || *a.DisabledByID != intA {
			t.Fatalf("the earlier manual disable must keep its reason: %+v", a)
		}
		if a := f.get("ORD_A2"); a.Status != account.StatusACTIVE {
			t.Fatalf("a sibling was disabled: %+v", a)
		}
		// Every disabled holder was told, with the reason.
		ordAHolder, _ := db.Client.User.Get(f.ctx, f.acct["ORD_A"].HolderID)
		intAHolder, _ := db.Client.User.Get(f.ctx, f.acct["INT_A"].HolderID)
		if msgs := outboxTo(t, db.Client, f.box, f.phoneOf(ordAHolder)); len(msgs) != 1 || !strings.Contains(msgs[0], "上级扫码员禁用了其下级") {
			t.Fatalf("SMS to the descendant: %q", msgs)
		}
		if msgs := outboxTo(t, db.Client, f.box, f.phoneOf(intAHolder)); len(msgs) != 1 || !strings.Contains(msgs[0], "由上级扫码员禁用") {
			t.Fatalf("SMS to the target: %q", msgs)
		}

		before := takeSnapshot(t, db.Client)
		_, _, err = f.svc.Disable(f.as("SEN_A"), intA, true)
		wantCode(t, err, mashang.ECONFLICT)
		_, _, err = f.svc.Disable(f.as("SEN_A"), ordA3, false)
		wantCode(t, err, mashang.ECONFLICT)
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("refused disables wrote something")
		}

		got, ids, err = f.svc.Activate(f.as("SEN_A"), intA, true)
		wantCode(t, err, ok)
		if !slices.Equal(ids, []int{intA, ordA}) {
			t.Fatalf("cascade activated %v, want [%d %d]", ids, intA, ordA)
		}
		if got.Status != account.StatusACTIVE || got.DisabledReason != nil || got.DisabledAt != nil || got.DisabledByID != nil || got.LastActiveAt == nil || !got.LastActiveAt.After(f.acct["INT_A"].LastActiveAt.Add(time.Hour)) {
			t.Fatalf("activated %+v", got)
		}
		if a := f.get("ORD_A"); a.Status != account.StatusACTIVE || a.CascadeRootID != nil || a.DisabledReason != nil {
			t.Fatalf("cascade descendant not re-enabled: %+v", a)
		}
		if a := f.get("ORD_A3"); a.Status != account.StatusDISABLED || *a.DisabledReason != account.DisabledReasonMANUAL {
			t.Fatalf("a manually disabled descendant was re-enabled: %+v", a)
		}
		if msgs := outboxTo(t, db.Client, f.box, f.phoneOf(ordAHolder)); len(msgs) != 2 || !strings.Contains(msgs[1], "重新激活") {
			t.Fatalf("SMS to the re-enabled descendant: %q", msgs)
		}
		before = takeSnapshot(t, db.Client)
		_, _, err = f.svc.Activate(f.as("SEN_A"), intA, true)
		wantCode(t, err, mashang.ECONFLICT)
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("refused activate wrote something")
		}

		// A cascade from higher up is not undone by activating only its root.
		_, ids, err = f.svc.Disable(f.as("INI"), f.acct["SEN_A"].ID, true)
		wantCode(t, err, ok)
		if len(ids) != 4 { // SEN_A, INT_A, ORD_A, ORD_A2 (ORD_A3 stays MANUAL)
			t.Fatalf("disabled %v", ids)
		}
		if a := f.get("ORD_A3"); *a.DisabledReason != account.DisabledReasonMANUAL || a.CascadeRootID != nil {
			t.Fatalf("ORD_A3 lost its own reason: %+v", a)
		}
		_, ids, err = f.svc.Activate(f.as("INI"), f.acct["SEN_A"].ID, false)
		wantCode(t, err, ok)
		if !slices.Equal(ids, []int{f.acct["SEN_A"].ID}) || f.get("INT_A").Status != account.StatusDISABLED {
			t.Fatalf("activation without cascade re-enabled %v", ids)
		}
	})
}

// TestSuperiorsSuperiorCannotActivate: only the direct superior activates
// (seed 001 §10: 由上一级扫码员对其账号进行激活). The superior's superior can see
// the account, so it gets FORBIDDEN; a senior of another branch cannot see
// it and gets NOT_FOUND.
func TestSuperiorsSuperiorCannotActivate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		_, _, err := f.svc.Disable(f.as("SEN_A"), f.acct["ORD_A"].ID, false)
		wantCode(t, err, ok)
		before := takeSnapshot(t, db.Client)
		for actor, want := range map[string]string{"SEN_A": F, "INI": F, "SEN_B": N, "INT_B": N, "ORD_A2": F, "OFF": F} {
			_, _, err := f.svc.Activate(f.as(actor), f.acct["ORD_A"].ID, false)
			if code(err) != want {
				t.Errorf("%s activating ORD_A: %v, want %s", actor, err, want)
			}
		}
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("refused activations wrote something")
		}
		// The direct superior (INT_A) may, although SEN_A disabled it.
		_, _, err = f.svc.Activate(f.as("INT_A"), f.acct["ORD_A"].ID, false)
		wantCode(t, err, ok)
		// The initiator activates seniors: it is their superior.
		_, _, err = f.svc.Disable(f.as("INI"), f.acct["SEN_B"].ID, false)
		wantCode(t, err, ok)
		_, _, err = f.svc.Activate(f.as("INI"), f.acct["SEN_B"].ID, false)
		wantCode(t, err, ok)
	})
}

// TestScannerCannotDisableItselfOrItsSuperior: only derived accounts.
func TestScannerCannotDisableItselfOrItsSuperior(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		before := takeSnapshot(t, db.Client)
		_, _, err := f.svc.Disable(f.as("INT_A"), f.acct["INT_A"].ID, false)
		wantCode(t, err, F)
		_, _, err = f.svc.Disable(f.as("INT_A"), f.acct["SEN_A"].ID, false)
		wantCode(t, err, N) // not in its branch: not visible
		_, _, err = f.svc.Disable(f.as("SEN_A"), f.acct["INI"].ID, false)
		wantCode(t, err, N)
		_, _, err = f.svc.Disable(f.as("INI"), f.acct["INI"].ID, true)
		wantCode(t, err, F)
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("refused disables wrote something")
		}
	})
}

// TestDisabledAccountCannotManageAccounts: a disabled acting account manages
// nothing until its superior activates it.
func TestDisabledAccountCannotManageAccounts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ctx := f.as("INT_A") // the viewer was loaded before the disable
		f.disable(db.Client, "INT_A", account.DisabledReasonSILENT)
		pool := f.user("pool")
		before := takeSnapshot(t, db.Client)
		_, err := f.svc.Create(ctx, accounts.CreateInput{Role: mashang.RoleOrdinary, ScopeSiteID: f.siteA.ID, Holder: accounts.Holder{Name: "x", Phone: f.phoneOf(pool)}})
		wantCode(t, err, mashang.EACCOUNTDISABLED)
		_, _, err = f.svc.Disable(ctx, f.acct["ORD_A"].ID, false)
		wantCode(t, err, mashang.EACCOUNTDISABLED)
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("refused calls wrote something")
		}
	})
}

// TestRequestReactivation: the holder of a disabled account asks its
// superior (seed 001 §10: 均须向上一级扫码员提出申请), who sees the request and
// grants it by activating.
func TestRequestReactivation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ordA := f.acct["ORD_A"].ID
		_, _, err := f.svc.Disable(f.as("SEN_A"), ordA, false)
		wantCode(t, err, ok)

		req, err := f.svc.RequestReactivation(f.as("ORD_A"), ordA, "  已核实，请激活  ")
		wantCode(t, err, ok)
		if req.Status != reactivationrequest.StatusPENDING || req.AccountID != ordA || *req.SuperiorID != f.acct["INT_A"].ID || req.Note != "已核实，请激活" {
			t.Fatalf("request %+v", req)
		}
		// The same holder acting as another of their accounts (多重身份, §12)
		// cannot file a second one.
		holder, _ := db.Client.User.Get(f.ctx, f.acct["ORD_A"].HolderID)
		other, err := f.svc.Create(f.as("SEN_A"), accounts.CreateInput{Role: mashang.RoleOrdinary, ScopeSiteID: f.siteA2.ID, Holder: accounts.Holder{Name: holder.Name, Phone: f.phoneOf(holder), Password: newPassword}})
		wantCode(t, err, ok)
		if other.HolderID != holder.ID {
			t.Fatalf("the existing person should hold the new account")
		}
		other = f.accept(other)
		before := takeSnapshot(t, db.Client)
		_, err = f.svc.RequestReactivation(asAccount(other), ordA, "")
		wantCode(t, err, mashang.ECONFLICT)
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("refused request wrote something")
		}

		pending, err := f.svc.PendingReactivations(f.as("INT_A"))
		wantCode(t, err, ok)
		if len(pending) != 1 || pending[0].ID != req.ID {
			t.Fatalf("INT_A sees %v", pending)
		}
		for _, who := range []string{"SEN_A", "INI", "ORD_A2", "SEN_B"} {
			if p, err := f.svc.PendingReactivations(f.as(who)); err != nil || len(p) != 0 {
				t.Fatalf("%s sees %v (%v); only the direct superior should", who, p, err)
			}
		}

		_, _, err = f.svc.Activate(f.as("INT_A"), ordA, false)
		wantCode(t, err, ok)
		got, err := db.Client.ReactivationRequest.Get(f.ctx, req.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != reactivationrequest.StatusGRANTED || got.DecidedAt == nil {
			t.Fatalf("request after activation: %+v", got)
		}
		if p, _ := f.svc.PendingReactivations(f.as("INT_A")); len(p) != 0 {
			t.Fatalf("still pending: %v", p)
		}
		_, err = f.svc.RequestReactivation(f.as("ORD_A"), ordA, "")
		wantCode(t, err, mashang.ECONFLICT) // active now
	})
}

// TestNonHolderCannotRequestReactivation: only the holder asks; an account
// outside the caller's view is NOT_FOUND.
func TestNonHolderCannotRequestReactivation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		f.disable(db.Client, "ORD_A", account.DisabledReasonMANUAL)
		before := takeSnapshot(t, db.Client)
		_, err := f.svc.RequestReactivation(f.as("INT_A"), f.acct["ORD_A"].ID, "")
		wantCode(t, err, F)
		_, err = f.svc.RequestReactivation(f.as("SEN_B"), f.acct["ORD_A"].ID, "")
		wantCode(t, err, N)
		_, err = f.svc.RequestReactivation(f.as("ORD_A"), f.acct["ORD_A"].ID, strings.Repeat("长", 501))
		wantField(t, err, "note")
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("refused requests wrote something")
		}
	})
}

// TestDisableAutomatically: SILENT (INTERMEDIATE and ORDINARY only, no
// cascade, seed 001 §10), GEOFENCE and CODE_NOT_GREEN (seed 001 §7).
func TestDisableAutomatically(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		wantCode(t, f.svc.DisableAutomatically(ctx, nil, f.acct["INT_A"].ID, "SILENT"), ok)
		if a := f.get("INT_A"); a.Status != account.StatusDISABLED || *a.DisabledReason != account.DisabledReasonSILENT || a.DisabledByID != nil {
			t.Fatalf("silent %+v", a)
		}
		// 如中级扫码员账号因静默被自动禁用，不影响下一级普通扫码员正常使用.
		if a := f.get("ORD_A"); a.Status != account.StatusACTIVE {
			t.Fatalf("the subordinate of a silent intermediate was disabled")
		}
		holder, _ := db.Client.User.Get(ctx, f.acct["INT_A"].HolderID)
		if msgs := outboxTo(t, db.Client, f.box, f.phoneOf(holder)); len(msgs) != 1 || !strings.Contains(msgs[0], "连续15天") {
			t.Fatalf("silent SMS %q", msgs)
		}
		before := takeSnapshot(t, db.Client)
		wantCode(t, f.svc.DisableAutomatically(ctx, nil, f.acct["INT_A"].ID, "SILENT"), mashang.ECONFLICT)
		wantCode(t, f.svc.DisableAutomatically(ctx, nil, f.acct["SEN_A"].ID, "SILENT"), mashang.EINVALID)
		wantCode(t, f.svc.DisableAutomatically(ctx, nil, f.acct["OFF"].ID, "GEOFENCE"), mashang.EINVALID)
		wantCode(t, f.svc.DisableAutomatically(ctx, nil, f.acct["ORD_A"].ID, "MANUAL"), mashang.EINVALID)
		wantCode(t, f.svc.DisableAutomatically(ctx, nil, 1<<40, "GEOFENCE"), mashang.ENOTFOUND)
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("refused automatic disables wrote something")
		}

		// Inside the scan's own transaction, through its client: the SMS
		// rolls back with the disable.
		tx, err := db.Client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.svc.DisableAutomatically(authz.WithRequest(ctx), tx.Client(), f.acct["ORD_A"].ID, "CODE_NOT_GREEN"), ok)
		if a, _ := tx.Account.Get(ctx, f.acct["ORD_A"].ID); *a.DisabledReason != account.DisabledReasonCODE_NOT_GREEN {
			t.Fatalf("in tx: %+v", a)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("rolled-back disable left a trace")
		}
		wantCode(t, f.svc.DisableAutomatically(ctx, nil, f.acct["SEN_A"].ID, "GEOFENCE"), ok)
		if a := f.get("SEN_A"); *a.DisabledReason != account.DisabledReasonGEOFENCE {
			t.Fatalf("geofence %+v", a)
		}
	})
}

// TestAnonymousCannotManageAccounts: every method wants a viewer.
func TestAnonymousCannotManageAccounts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ctx := authz.WithRequest(context.Background())
		before := takeSnapshot(t, db.Client)
		_, err := f.svc.Create(ctx, accounts.CreateInput{Role: mashang.RoleOrdinary, ScopeSiteID: f.siteA.ID})
		wantCode(t, err, mashang.EUNAUTHENTICATED)
		_, err = f.svc.Replace(ctx, f.acct["ORD_A"].ID, accounts.Holder{}, "")
		wantCode(t, err, mashang.EUNAUTHENTICATED)
		_, _, err = f.svc.Disable(ctx, f.acct["ORD_A"].ID, true)
		wantCode(t, err, mashang.EUNAUTHENTICATED)
		_, _, err = f.svc.Activate(ctx, f.acct["ORD_A"].ID, true)
		wantCode(t, err, mashang.EUNAUTHENTICATED)
		_, err = f.svc.RequestReactivation(ctx, f.acct["ORD_A"].ID, "")
		wantCode(t, err, mashang.EUNAUTHENTICATED)
		_, err = f.svc.PendingReactivations(ctx)
		wantCode(t, err, mashang.EUNAUTHENTICATED)
		_, err = f.svc.SubmitSeniorApplication(ctx, accounts.ApplicationInput{})
		wantCode(t, err, mashang.EUNAUTHENTICATED)
		_, err = f.svc.DecideApplication(ctx, 1, true, "")
		wantCode(t, err, mashang.EUNAUTHENTICATED)
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("anonymous calls wrote something")
		}
	})
}

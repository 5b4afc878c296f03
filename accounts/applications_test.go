package accounts_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/application"
	"github.com/mashang/mashang/ent/unit"
)

// TestSeniorApplicationFlow: a unit applies with its USCC (seed 001 §9),
// the initiator approves: the unit is found or created and the SENIOR
// account opened below the initiator, with an initial password shown once.
func TestSeniorApplicationFlow(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		chaoyang := f.tree.ByCode["220104"]
		phone := f.phone()
		id := residentID(31)
		good := accounts.ApplicationInput{UnitName: "朝阳区卫健局", USCC: uscc(3), ScopeRegionID: chaoyang.ID,
			Holder: accounts.Holder{Name: "周七", Phone: phone, IDNumber: id}}

		before := takeSnapshot(t, db.Client)
		badUSCC := good
		badUSCC.USCC = uscc(3)[:17] + "0"
		if badUSCC.USCC == uscc(3) {
			badUSCC.USCC = uscc(3)[:17] + "1"
		}
		_, err := f.svc.SubmitSeniorApplication(f.as("OFF"), badUSCC)
		wantField(t, err, "uscc")
		bad := good
		bad.Holder.Phone = "010-12345678"
		_, err = f.svc.SubmitSeniorApplication(f.as("OFF"), bad)
		wantField(t, err, "holder.phone")
		bad = good
		bad.Holder.IDNumber = id[:17] + "9"
		if bad.Holder.IDNumber == id {
			bad.Holder.IDNumber = id[:17] + "8"
		}
		_, err = f.svc.SubmitSeniorApplication(f.as("OFF"), bad)
		wantField(t, err, "holder.idNumber")
		bad = good
		bad.UnitName = " "
		_, err = f.svc.SubmitSeniorApplication(f.as("OFF"), bad)
		wantField(t, err, "unitName")
		bad = good
		bad.ScopeRegionID = f.tree.ByCode["220202"].ID // public region outside 长春市
		_, err = f.svc.SubmitSeniorApplication(f.as("OFF"), bad)
		wantCode(t, err, F)
		bad = good
		bad.ScopeRegionID, bad.ScopeSiteID = 0, f.siteB.ID
		_, err = f.svc.SubmitSeniorApplication(f.as("OFF"), bad)
		wantCode(t, err, N)
		_, err = f.svc.SubmitSeniorApplication(f.as("ORD_A"), good)
		wantCode(t, err, F)
		_, err = f.svc.SubmitSeniorApplication(f.as("INT_A"), good)
		wantCode(t, err, F)
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("refused submissions wrote something")
		}

		app, err := f.svc.SubmitSeniorApplication(f.as("OFF"), good)
		wantCode(t, err, ok)
		if app.Status != application.StatusPENDING || app.SubmittedByID != f.acct["OFF"].ID || app.ScopePath != chaoyang.Path ||
			app.HolderPhoneMasked != phone[:3]+"****"+phone[7:] || app.ReplacesAccountID != nil {
			t.Fatalf("application %+v", app)
		}
		if bytes.Contains(app.HolderPhoneSealed, []byte(phone)) || bytes.Contains(*app.HolderIDNumberSealed, []byte(id)) {
			t.Fatalf("the holder's data is stored in the clear")
		}

		// Only the initiator decides.
		before = takeSnapshot(t, db.Client)
		for _, who := range []string{"SEN_A", "OFF", "INT_A", "ORD_A", "GRID"} {
			_, err := f.svc.DecideApplication(f.as(who), app.ID, true, "")
			wantCode(t, err, F)
		}
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("refused decisions wrote something")
		}

		res, err := f.svc.DecideApplication(f.as("INI"), app.ID, true, "")
		wantCode(t, err, ok)
		ini := f.get("INI")
		a := res.Account
		if a.Role != account.RoleSENIOR || *a.SuperiorID != ini.ID || a.AccountPath != fmt.Sprintf("%sa%d/", ini.AccountPath, a.ID) ||
			a.ScopePath != chaoyang.Path || *a.ScopeRegionID != chaoyang.ID || a.UnitID == nil {
			t.Fatalf("senior %+v", a)
		}
		u, err := db.Client.Unit.Get(ctx, *a.UnitID)
		if err != nil {
			t.Fatal(err)
		}
		if u.Uscc != uscc(3) || u.Name != "朝阳区卫健局" || u.RegionID != chaoyang.ID || u.RegionPath != chaoyang.Path {
			t.Fatalf("unit %+v", u)
		}
		if res.Application.Status != application.StatusAPPROVED || *res.Application.AccountID != a.ID || *res.Application.DecidedByID != ini.ID || res.Application.DecidedAt == nil {
			t.Fatalf("decided %+v", res.Application)
		}
		if len(res.InitialPassword) != 16 {
			t.Fatalf("initial password %q", res.InitialPassword)
		}
		tok, err := f.auth.Login(ctx, phone, res.InitialPassword, "", 0)
		wantCode(t, err, ok)
		if tok.AccountID != a.ID {
			t.Fatalf("the new senior logs in as %d", tok.AccountID)
		}
		if msgs := outboxTo(t, db.Client, f.box, phone); len(msgs) != 1 || !strings.Contains(msgs[0], "已为您开通高级扫码员账号") {
			t.Fatalf("SMS %q", msgs)
		}
		if strings.Contains(fmt.Sprint(takeSnapshot(t, db.Client)), res.InitialPassword) {
			t.Fatalf("the initial password is stored")
		}

		before = takeSnapshot(t, db.Client)
		_, err = f.svc.DecideApplication(f.as("INI"), app.ID, true, "")
		wantCode(t, err, mashang.ECONFLICT)
		_, err = f.svc.DecideApplication(f.as("INI"), app.ID, false, "重复")
		wantCode(t, err, mashang.ECONFLICT)
		_, err = f.svc.DecideApplication(f.as("INI"), 1<<40, true, "")
		wantCode(t, err, N)
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("refused decisions wrote something")
		}

		// Rejection needs a reason.
		other := good
		other.USCC, other.UnitName, other.Holder = uscc(4), "朝阳区教育局", accounts.Holder{Name: "吴八", Phone: f.phone()}
		app2, err := f.svc.SubmitSeniorApplication(f.as("SEN_A"), accounts.ApplicationInput{UnitName: other.UnitName, USCC: other.USCC, ScopeSiteID: f.siteA2.ID, Holder: other.Holder})
		wantCode(t, err, ok)
		before = takeSnapshot(t, db.Client)
		_, err = f.svc.DecideApplication(f.as("INI"), app2.ID, false, "  ")
		wantField(t, err, "reason")
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("refused rejection wrote something")
		}
		res, err = f.svc.DecideApplication(f.as("INI"), app2.ID, false, "材料不全")
		wantCode(t, err, ok)
		if res.Application.Status != application.StatusREJECTED || *res.Application.DecisionReason != "材料不全" || res.Account != nil || res.InitialPassword != "" {
			t.Fatalf("rejected %+v", res)
		}
		if n, _ := db.Client.Unit.Query().Where(unit.Uscc(uscc(4))).Count(ctx); n != 0 {
			t.Fatalf("a rejected application created its unit")
		}

		// A holder already on the platform keeps their password.
		pool := f.user("已有用户")
		app3, err := f.svc.SubmitSeniorApplication(f.as("INI"), accounts.ApplicationInput{UnitName: "吉林市商务局", USCC: uscc(5), ScopeRegionID: f.tree.ByCode["2202"].ID, Holder: accounts.Holder{Name: pool.Name, Phone: f.phoneOf(pool)}})
		wantCode(t, err, ok)
		res, err = f.svc.DecideApplication(f.as("INI"), app3.ID, true, "同意")
		wantCode(t, err, ok)
		if res.InitialPassword != "" || res.Account.HolderID != pool.ID {
			t.Fatalf("existing holder: %+v", res)
		}
	})
}

// TestSeniorQuotaPerUnit: one SENIOR per unit by default (seed 001 §9:
// 设置高级扫码员1名); the quota is configurable.
func TestSeniorQuotaPerUnit(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		// Unit A (uscc 1) has SEN_A already.
		app, err := f.svc.SubmitSeniorApplication(f.as("OFF"), accounts.ApplicationInput{UnitName: "南关区政务服务局", USCC: uscc(1),
			ScopeSiteID: f.siteA2.ID, Holder: accounts.Holder{Name: "郑九", Phone: f.phone()}})
		wantCode(t, err, ok)
		before := takeSnapshot(t, db.Client)
		_, err = f.svc.DecideApplication(f.as("INI"), app.ID, true, "")
		wantCode(t, err, mashang.EQUOTA)
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("refused approval wrote something (the application must stay PENDING)")
		}
		f.svc.Quotas.SeniorsPerUnit = 2
		res, err := f.svc.DecideApplication(f.as("INI"), app.ID, true, "")
		wantCode(t, err, ok)
		if *res.Account.UnitID != f.unitA.ID {
			t.Fatalf("the second senior is not bound to unit A: %+v", res.Account)
		}
	})
}

// TestSeniorReplacementApplication: 相关单位更换现有高级扫码员，须向省政数局致函说明原因，
// 并再次填写《高级扫码员申请表》 (seed 001 §10). Approval hands the same account to
// the new holder: subordinates stay, the old holder's sessions end.
func TestSeniorReplacementApplication(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		senA := f.get("SEN_A")
		base := accounts.ApplicationInput{UnitName: "南关区政务服务局", USCC: uscc(1), ScopeRegionID: f.tree.ByCode["220102"].ID,
			Holder: accounts.Holder{Name: "新高级", Phone: f.phone()}, ReplacesAccountID: senA.ID}

		before := takeSnapshot(t, db.Client)
		_, err := f.svc.SubmitSeniorApplication(f.as("OFF"), base)
		wantField(t, err, "reason")
		bad := base
		bad.Reason, bad.ReplacesAccountID = "调离", f.acct["INT_A"].ID
		_, err = f.svc.SubmitSeniorApplication(f.as("OFF"), bad)
		wantCode(t, err, N) // not a SENIOR: answered like a missing one (issue 10 §9)
		if fieldOf(err) != "replacesAccountId" {
			t.Fatalf("error %v names field %q", err, fieldOf(err))
		}
		bad = base
		bad.Reason, bad.USCC = "调离", uscc(2)
		_, err = f.svc.SubmitSeniorApplication(f.as("OFF"), bad)
		wantField(t, err, "uscc")
		bad = base
		bad.Reason, bad.ScopeRegionID = "调离", f.tree.ByCode["220104"].ID
		_, err = f.svc.SubmitSeniorApplication(f.as("OFF"), bad)
		wantField(t, err, "scopeId")
		bad = base
		bad.Reason, bad.ReplacesAccountID = "调离", f.acct["SEN_B"].ID // 吉林市: outside OFF's scope
		_, err = f.svc.SubmitSeniorApplication(f.as("OFF"), bad)
		wantCode(t, err, N)
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("refused submissions wrote something")
		}

		base.Reason = "原高级扫码员调离本单位"
		app, err := f.svc.SubmitSeniorApplication(f.as("OFF"), base)
		wantCode(t, err, ok)
		if *app.ReplacesAccountID != senA.ID || *app.ReplacementReason != base.Reason {
			t.Fatalf("application %+v", app)
		}
		_, err = f.svc.SubmitSeniorApplication(f.as("OFF"), base)
		wantCode(t, err, mashang.ECONFLICT) // one pending replacement per senior

		// The old holder has a session.
		sess, err := db.Client.Session.Create().SetTokenHash("t1").SetRefreshHash("r1").SetCreatedAt(time.Now()).
			SetExpiresAt(time.Now().Add(time.Hour)).SetRefreshExpiresAt(time.Now().Add(time.Hour)).
			SetUserID(senA.HolderID).SetAccountID(senA.ID).Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		res, err := f.svc.DecideApplication(f.as("INI"), app.ID, true, "")
		wantCode(t, err, ok) // the quota does not count the senior being replaced
		got := res.Account
		if got.ID != senA.ID || got.AccountPath != senA.AccountPath || got.HolderID == senA.HolderID || *got.UnitID != f.unitA.ID || got.Role != account.RoleSENIOR {
			t.Fatalf("replaced %+v, was %+v", got, senA)
		}
		if res.InitialPassword == "" {
			t.Fatalf("a new person needs an initial password")
		}
		if s, _ := db.Client.Session.Get(ctx, sess.ID); s.RevokedAt == nil {
			t.Fatalf("the old holder's session survived")
		}
		if a := f.get("INT_A"); *a.SuperiorID != senA.ID || a.Status != account.StatusACTIVE {
			t.Fatalf("the subordinate changed: %+v", a)
		}
		if msgs := outboxTo(t, db.Client, f.box, base.Holder.Phone); len(msgs) != 1 || !strings.Contains(msgs[0], "已由您接替持有") {
			t.Fatalf("SMS to the new holder %q", msgs)
		}
		if n, _ := db.Client.Account.Query().Where(account.RoleEQ(account.RoleSENIOR)).Count(ctx); n != 2 {
			t.Fatalf("%d seniors, want 2 (replacement opens none)", n)
		}
	})
}

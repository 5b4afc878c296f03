package accounts_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/session"
	"github.com/mashang/mashang/scenario"
)

const newPassword = "a fresh passphrase"

// TestOrdinaryScannerCannotCreateAccounts: an ORDINARY scanner has no
// subordinates (seed 001 §6); every creation is FORBIDDEN, naming the rule,
// before anything is read — even for a site outside its scope.
func TestOrdinaryScannerCannotCreateAccounts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		before := takeSnapshot(t, db.Client)
		for _, role := range []string{"INITIATOR", "SENIOR", "INTERMEDIATE", "ORDINARY", "OFFICIAL", "GRID_WORKER"} {
			for _, s := range []*ent.Site{f.siteA, f.siteB} {
				_, err := f.svc.Create(f.as("ORD_A"), accounts.CreateInput{Role: role, ScopeSiteID: s.ID, Holder: accounts.Holder{Name: "张三", Phone: f.phone(), Password: newPassword}})
				wantCode(t, err, F)
			}
		}
		_, err := f.svc.Create(f.as("ORD_A"), accounts.CreateInput{Role: "ORDINARY", ScopeSiteID: f.siteA.ID, Holder: accounts.Holder{Name: "张三", Phone: f.phone(), Password: newPassword}})
		if !strings.Contains(err.Error(), "policy") {
			t.Fatalf("the refusal should name the rule: %v", err)
		}
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("refused creations wrote something")
		}
	})
}

// TestInitiatorCannotCreateSeniorDirectly: seniors are opened only through an
// approved application (seed 001 §9).
func TestInitiatorCannotCreateSeniorDirectly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		_, err := f.svc.Create(f.as("INI"), accounts.CreateInput{Role: "SENIOR", ScopeRegionID: f.tree.ByCode["220104"].ID, Holder: accounts.Holder{Name: "张三", Phone: f.phone(), Password: newPassword}})
		wantCode(t, err, F)
		if !strings.Contains(err.Error(), "application") {
			t.Fatalf("the refusal should point to applications: %v", err)
		}
	})
}

// TestSeniorCannotCreateOutsideItsScope: a region outside the scope is public
// (FORBIDDEN by the policy), a site outside it does not exist for the caller
// (NOT_FOUND); the senior's own scope node is not "below" it.
func TestSeniorCannotCreateOutsideItsScope(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		h := accounts.Holder{Name: "张三", Phone: f.phone(), Password: newPassword}
		before := takeSnapshot(t, db.Client)
		_, err := f.svc.Create(f.as("SEN_A"), accounts.CreateInput{Role: "INTERMEDIATE", ScopeRegionID: f.tree.ByCode["220202"].ID, Holder: h})
		wantCode(t, err, F)
		_, err = f.svc.Create(f.as("SEN_A"), accounts.CreateInput{Role: "INTERMEDIATE", ScopeSiteID: f.siteB.ID, Holder: h})
		wantCode(t, err, N)
		_, err = f.svc.Create(f.as("SEN_A"), accounts.CreateInput{Role: "INTERMEDIATE", ScopeRegionID: f.tree.ByCode["220102"].ID, Holder: h})
		wantCode(t, err, F)
		_, err = f.svc.Create(f.as("INT_A"), accounts.CreateInput{Role: "ORDINARY", ScopeSiteID: f.siteA2.ID, Holder: h})
		wantCode(t, err, N)
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("refused creations wrote something")
		}
	})
}

// TestCreate checks the new account and the input errors.
func TestCreate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		phone := f.phone()
		id := residentID(11)
		a, err := f.svc.Create(f.as("SEN_A"), accounts.CreateInput{Role: "INTERMEDIATE", ScopeSiteID: f.siteA2.ID,
			Holder: accounts.Holder{Name: " 李四 ", Phone: "+86 " + phone, IDNumber: strings.ToLower(id), Password: newPassword}})
		wantCode(t, err, ok)
		// It waits for the holder's consent (issue 10 §2), then is ACTIVE.
		if a.Status != account.StatusDISABLED || *a.DisabledReason != account.DisabledReasonPENDING_CONSENT {
			t.Fatalf("created %+v, want it waiting for consent", a)
		}
		a = f.accept(a)
		senA := f.get("SEN_A")
		if a.Role != account.RoleINTERMEDIATE || a.Status != account.StatusACTIVE || *a.SuperiorID != senA.ID ||
			a.AccountPath != senA.AccountPath+"a"+strconv.Itoa(a.ID)+"/" || a.ScopePath != f.siteA2.Path || *a.ScopeSiteID != f.siteA2.ID ||
			*a.UnitID != f.unitA.ID || a.LastActiveAt == nil {
			t.Fatalf("created %+v", a)
		}
		u, err := db.Client.User.Get(f.ctx, a.HolderID)
		if err != nil {
			t.Fatal(err)
		}
		if u.Name != "李四" || f.phoneOf(u) != phone || *u.IDNumberMasked != id[:6]+"********"+id[14:] {
			t.Fatalf("holder %+v", u)
		}
		if msgs := outboxTo(t, db.Client, f.box, phone); len(msgs) != 1 || !strings.Contains(msgs[0], "已为您开通中级扫码员账号") {
			t.Fatalf("SMS %q", msgs)
		}
		// The new holder logs in with the password they were given.
		tok, err := f.auth.Login(context.Background(), phone, newPassword, "", 0)
		wantCode(t, err, ok)
		if tok.AccountID != a.ID {
			t.Fatalf("logged in as %d, want %d", tok.AccountID, a.ID)
		}

		// The initiator opens an OFFICIAL limited to a sector.
		off, err := f.svc.Create(f.as("INI"), accounts.CreateInput{Role: "OFFICIAL", ScopeRegionID: f.tree.ByCode["2202"].ID, Sector: "HEALTH",
			Holder: accounts.Holder{Name: "王五", Phone: phone}})
		wantCode(t, err, ok)
		if *off.Sector != scenario.SectorHealth || off.UnitID != nil || *off.ScopeRegionID != f.tree.ByCode["2202"].ID || off.HolderID != u.ID {
			t.Fatalf("official %+v", off)
		}

		before := takeSnapshot(t, db.Client)
		good := accounts.Holder{Name: "赵六", Phone: f.phone(), Password: newPassword}
		for name, c := range map[string]struct {
			in    accounts.CreateInput
			field string
			code  string
		}{
			"UnknownRole":         {accounts.CreateInput{Role: "ADMIN", ScopeSiteID: f.siteA.ID, Holder: good}, "role", mashang.EINVALID},
			"NoScope":             {accounts.CreateInput{Role: "ORDINARY", Holder: good}, "scopeId", mashang.EINVALID},
			"TwoScopes":           {accounts.CreateInput{Role: "ORDINARY", ScopeSiteID: f.siteA.ID, ScopeRegionID: f.tree.ByCode["220102"].ID, Holder: good}, "scopeId", mashang.EINVALID},
			"SectorNotOfficial":   {accounts.CreateInput{Role: "ORDINARY", ScopeSiteID: f.siteA.ID, Sector: "HEALTH", Holder: good}, "sector", mashang.EINVALID},
			"NoName":              {accounts.CreateInput{Role: "ORDINARY", ScopeSiteID: f.siteA.ID, Holder: accounts.Holder{Phone: good.Phone, Password: newPassword}}, "holder.name", mashang.EINVALID},
			"BadPhone":            {accounts.CreateInput{Role: "ORDINARY", ScopeSiteID: f.siteA.ID, Holder: accounts.Holder{Name: "x", Phone: "12345", Password: newPassword}}, "holder.phone", mashang.EINVALID},
			"BadIDNumber":         {accounts.CreateInput{Role: "ORDINARY", ScopeSiteID: f.siteA.ID, Holder: accounts.Holder{Name: "x", Phone: good.Phone, IDNumber: id[:17] + "0", Password: newPassword}}, "holder.idNumber", mashang.EINVALID},
			"NewPersonNoPassword": {accounts.CreateInput{Role: "ORDINARY", ScopeSiteID: f.siteA.ID, Holder: accounts.Holder{Name: "x", Phone: good.Phone}}, "holder.password", mashang.EINVALID},
			"UnknownSite":         {accounts.CreateInput{Role: "ORDINARY", ScopeSiteID: 1 << 40, Holder: good}, "scopeId", mashang.ENOTFOUND},
			"Duplicate":           {accounts.CreateInput{Role: "INTERMEDIATE", ScopeSiteID: f.siteA2.ID, Holder: accounts.Holder{Name: "李四", Phone: phone, Password: newPassword}}, "", mashang.ECONFLICT},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := f.svc.Create(f.as("SEN_A"), c.in)
				wantCode(t, err, c.code)
				if c.field != "" && fieldOf(err) != c.field {
					t.Fatalf("field %q (%v), want %q", fieldOf(err), err, c.field)
				}
			})
		}
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("refused creations wrote something")
		}
	})
}

// TestReplace: 更换 keeps the account (id, path, subordinates, records) and
// changes its holder; the old holder is logged out at once.
func TestReplace(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		// An intermediate whose holder really logs in, with a subordinate.
		oldPhone := f.phone()
		intX, err := f.svc.Create(f.as("SEN_A"), accounts.CreateInput{Role: "INTERMEDIATE", ScopeSiteID: f.siteA2.ID, Holder: accounts.Holder{Name: "旧持有人", Phone: oldPhone, Password: newPassword}})
		wantCode(t, err, ok)
		intX = f.accept(intX)
		sub, err := f.svc.Create(asAccount(intX), accounts.CreateInput{Role: "ORDINARY", ScopeSiteID: f.siteA2.ID, Holder: accounts.Holder{Name: "普通", Phone: f.phone(), Password: newPassword}})
		wantCode(t, err, ok)
		sub = f.accept(sub)
		tok, err := f.auth.Login(ctx, oldPhone, newPassword, "", intX.ID)
		wantCode(t, err, ok)
		if _, err := f.auth.Authenticate(ctx, tok.AccessToken); err != nil {
			t.Fatal(err)
		}

		newPhone := f.phone()
		got, err := f.svc.Replace(f.as("SEN_A"), intX.ID, accounts.Holder{Name: "新持有人", Phone: newPhone, IDNumber: residentID(21), Password: newPassword}, "调岗")
		wantCode(t, err, ok)
		if got.ID != intX.ID || got.AccountPath != intX.AccountPath || got.ScopePath != intX.ScopePath || got.Role != intX.Role || got.HolderID == intX.HolderID {
			t.Fatalf("replaced %+v, was %+v", got, intX)
		}
		if s, _ := db.Client.Account.Get(ctx, sub.ID); *s.SuperiorID != intX.ID || s.AccountPath != sub.AccountPath || s.Status != account.StatusACTIVE {
			t.Fatalf("the subordinate changed: %+v", s)
		}
		// The old holder is out at once: the session is revoked.
		if n, _ := db.Client.Session.Query().Where(session.AccountID(intX.ID), session.RevokedAtIsNil()).Count(ctx); n != 0 {
			t.Fatalf("%d sessions of the old holder survive", n)
		}
		_, err = f.auth.Authenticate(ctx, tok.AccessToken)
		wantCode(t, err, mashang.EUNAUTHENTICATED)
		if _, err := f.auth.Login(ctx, oldPhone, newPassword, "", intX.ID); err == nil {
			t.Fatalf("the old holder can still log in as the account")
		}
		// The new one is in, as the same account.
		tok, err = f.auth.Login(ctx, newPhone, newPassword, "", 0)
		wantCode(t, err, ok)
		if tok.AccountID != intX.ID {
			t.Fatalf("new holder acts as %d", tok.AccountID)
		}
		if msgs := outboxTo(t, db.Client, f.box, newPhone); len(msgs) != 1 || !strings.Contains(msgs[0], "已由您接替持有") {
			t.Fatalf("SMS to the new holder %q", msgs)
		}
		if msgs := outboxTo(t, db.Client, f.box, oldPhone); len(msgs) != 2 || !strings.Contains(msgs[1], "已更换持有人") {
			t.Fatalf("SMS to the old holder %q", msgs)
		}

		before := takeSnapshot(t, db.Client)
		_, err = f.svc.Replace(f.as("SEN_A"), intX.ID, accounts.Holder{Name: "新持有人", Phone: newPhone, Password: newPassword}, "")
		wantCode(t, err, mashang.ECONFLICT)
		_, err = f.svc.Replace(f.as("SEN_A"), intX.ID, accounts.Holder{Name: "x", Phone: "138"}, "")
		wantField(t, err, "holder.phone")
		_, err = f.svc.Replace(f.as("SEN_A"), intX.ID, accounts.Holder{Name: "x", Phone: f.phone()}, "")
		wantField(t, err, "holder.password")
		_, err = f.svc.Replace(f.as("INT_A"), f.acct["ORD_A2"].ID, accounts.Holder{Name: "x", Phone: newPhone}, "")
		wantCode(t, err, N) // ORD_A2 is SEN_A's, not INT_A's
		_, err = f.svc.Replace(f.as("INT_A"), f.acct["INT_A"].ID, accounts.Holder{Name: "x", Phone: newPhone}, "")
		wantCode(t, err, F)
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("refused replacements wrote something")
		}
	})
}

// TestInitiatorCannotReplaceSeniorDirectly: a senior is replaced through a
// replacement application with its reason (seed 001 §10).
func TestInitiatorCannotReplaceSeniorDirectly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		before := takeSnapshot(t, db.Client)
		_, err := f.svc.Replace(f.as("INI"), f.acct["SEN_A"].ID, accounts.Holder{Name: "x", Phone: f.phone(), Password: newPassword}, "原因")
		wantCode(t, err, F)
		if !strings.Contains(err.Error(), "application") {
			t.Fatalf("should point to replacement applications: %v", err)
		}
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("refused replacement wrote something")
		}
	})
}

// TestSiteQuota: a per-site limit of a role answers QUOTA_EXCEEDED.
func TestSiteQuota(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		f.svc.Quotas.PerSite = map[string]int{"ORDINARY": 2}
		h := accounts.Holder{Name: "张三", Phone: f.phone(), Password: newPassword}
		// Site A has ORD_A and ORD_A2; a disabled one still counts.
		f.disable(db.Client, "ORD_A2", account.DisabledReasonMANUAL)
		before := takeSnapshot(t, db.Client)
		_, err := f.svc.Create(f.as("SEN_A"), accounts.CreateInput{Role: "ORDINARY", ScopeSiteID: f.siteA.ID, Holder: h})
		wantCode(t, err, mashang.EQUOTA)
		_, err = f.svc.Create(f.as("INT_A"), accounts.CreateInput{Role: "ORDINARY", ScopeSiteID: f.siteA.ID, Holder: h})
		wantCode(t, err, mashang.EQUOTA)
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatalf("refused creation wrote something")
		}
		_, err = f.svc.Create(f.as("SEN_A"), accounts.CreateInput{Role: "ORDINARY", ScopeSiteID: f.siteA2.ID, Holder: h})
		wantCode(t, err, ok)
		_, err = f.svc.Create(f.as("SEN_A"), accounts.CreateInput{Role: "INTERMEDIATE", ScopeSiteID: f.siteA.ID, Holder: h})
		wantCode(t, err, ok) // no limit for intermediates
	})
}

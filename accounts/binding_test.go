package accounts_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
)

// outcome is what the caller of createAccount or replaceAccount learns:
// the error, or the account's state (not its id nor its holder).
func outcome(a *ent.Account, err error) string {
	if err != nil {
		var e *mashang.Error
		if errors.As(err, &e) {
			return "error " + e.Code + " " + e.Field + " " + e.Message
		}
		return "error " + err.Error()
	}
	reason := ""
	if a.DisabledReason != nil {
		reason = string(*a.DisabledReason)
	}
	return fmt.Sprintf("%s %s %s", a.Role, a.Status, reason)
}

func pending(t *testing.T, a *ent.Account) {
	t.Helper()
	if a.Status != account.StatusDISABLED || a.DisabledReason == nil || *a.DisabledReason != account.DisabledReasonPENDING_CONSENT {
		t.Fatalf("account %d is %s %v, want DISABLED PENDING_CONSENT", a.ID, a.Status, a.DisabledReason)
	}
}

// Issue 10 §2: an INTERMEDIATE who types a registered phone (the
// INITIATOR's own) with a dummy name gets an account that waits for that
// person's consent, and cannot read who holds it.
func TestAnIntermediateCannotReadAStrangersHolderByGuessingTheirPhone(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		victim, err := db.Client.User.Get(f.ctx, f.acct["INI"].HolderID)
		if err != nil {
			t.Fatal(err)
		}
		a, err := f.svc.Create(f.as("INT_A"), accounts.CreateInput{Role: mashang.RoleOrdinary, ScopeSiteID: f.siteA.ID,
			Holder: accounts.Holder{Name: "某某", Phone: f.phoneOf(victim), Password: newPassword}})
		wantCode(t, err, ok)
		pending(t, a)
		// The creator sees the account but not its holder.
		if _, err := a.QueryHolder().Only(f.as("INT_A")); !ent.IsNotFound(err) {
			t.Fatalf("the creator reads the holder of an account waiting for consent: %v", err)
		}
		if _, err := db.Client.User.Get(f.as("INT_A"), victim.ID); !ent.IsNotFound(err) {
			t.Fatalf("the creator reads the user: %v", err)
		}
		// Nor can it accept for them.
		_, err = f.svc.AcceptBinding(f.as("INT_A"), a.ID)
		wantCode(t, err, N)
		// The person refuses it in their own session: it is gone.
		if err := f.svc.DeclineBinding(asAccount(a), a.ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := db.Client.Account.Query().Where(account.ID(a.ID)).Count(f.ctx); n != 0 {
			t.Fatal("a refused new account survives")
		}
	})
}

// Issue 10 §2: the answer does not tell whether the phone is registered,
// whatever else is given (no password, another ID number, an ID number of
// someone else).
func TestAnIntermediateCannotTellARegisteredPhoneFromANewOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		registered, err := db.Client.User.Get(f.ctx, f.acct["ORD_A2"].HolderID)
		if err != nil {
			t.Fatal(err)
		}
		// A person registered with an ID number, to use as "someone else's".
		other, err := f.svc.Create(f.as("INI"), accounts.CreateInput{Role: mashang.RoleOfficial, ScopeRegionID: f.tree.ByCode["2202"].ID,
			Holder: accounts.Holder{Name: "有证者", Phone: f.phone(), IDNumber: residentID(501), Password: newPassword}})
		wantCode(t, err, ok)
		if other.Status != account.StatusACTIVE {
			t.Fatalf("the INITIATOR's new person waits: %s", outcome(other, nil))
		}
		for name, h := range map[string]accounts.Holder{
			"Plain":                  {Name: "某某", Password: newPassword},
			"NoPassword":             {Name: "某某"},
			"WeakPassword":           {Name: "某某", Password: "password12"},
			"AnIDNumber":             {Name: "某某", IDNumber: residentID(502), Password: newPassword},
			"SomeoneElsesIDNumber":   {Name: "某某", IDNumber: residentID(501), Password: newPassword},
			"TheRegisteredUsersName": {Name: registered.Name, Password: newPassword},
		} {
			t.Run(name, func(t *testing.T) {
				known, fresh := h, h
				known.Phone, fresh.Phone = f.phoneOf(registered), f.phone()
				for _, op := range []string{"create", "replace"} {
					call := func(h accounts.Holder) string {
						tx, err := db.Client.Tx(f.ctx)
						if err != nil {
							t.Fatal(err)
						}
						defer tx.Rollback()
						ctx := ent.NewTxContext(f.as("INT_A"), tx)
						var a *ent.Account
						if op == "create" {
							a, err = f.svc.Create(ctx, accounts.CreateInput{Role: mashang.RoleOrdinary, ScopeSiteID: f.siteA.ID, Holder: h})
						} else {
							a, err = f.svc.Replace(ctx, f.acct["ORD_A"].ID, h, "调岗")
						}
						return outcome(a, err)
					}
					if k, n := call(known), call(fresh); k != n {
						t.Fatalf("%s: a registered phone answers %q, a new one %q", op, k, n)
					}
				}
			})
		}
	})
}

// Issue 10 §2: a superior cannot make an account that waits for its
// holder's consent usable by activating it.
func TestASuperiorCannotActivateAnAccountItsHolderHasNotAccepted(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		a, err := f.svc.Create(f.as("INT_A"), accounts.CreateInput{Role: mashang.RoleOrdinary, ScopeSiteID: f.siteA.ID,
			Holder: accounts.Holder{Name: "某某", Phone: f.phone(), Password: newPassword}})
		wantCode(t, err, ok)
		before := takeSnapshot(t, db.Client)
		_, _, err = f.svc.Activate(f.as("INT_A"), a.ID, false)
		wantCode(t, err, mashang.ECONFLICT)
		_, err = f.svc.AcceptBinding(f.as("SEN_A"), a.ID)
		wantCode(t, err, N)
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatal("a refused activation wrote something")
		}
		pending(t, db.Client.Account.GetX(f.ctx, a.ID))
	})
}

// Issue 10 §2: an account handed to a stranger (更换) waits for their
// consent; refused, it returns to its holder and status before.
func TestAnIntermediateCannotHandAnAccountToAStrangerWithoutTheirConsent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ordA := f.get("ORD_A")
		stranger, err := db.Client.User.Get(f.ctx, f.acct["SEN_A"].HolderID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.Replace(f.as("INT_A"), ordA.ID, accounts.Holder{Name: "某某", Phone: f.phoneOf(stranger), Password: newPassword}, "调岗")
		wantCode(t, err, ok)
		pending(t, got)
		if _, err := got.QueryHolder().Only(f.as("INT_A")); !ent.IsNotFound(err) {
			t.Fatalf("the superior reads the new holder: %v", err)
		}
		if err := f.svc.DeclineBinding(asAccount(got), got.ID); err != nil {
			t.Fatal(err)
		}
		back := db.Client.Account.GetX(f.ctx, ordA.ID)
		if back.HolderID != ordA.HolderID || back.Status != account.StatusACTIVE || back.ConsentPreviousHolderID != nil {
			t.Fatalf("after the refusal %+v, want it back with holder %d, ACTIVE", back, ordA.HolderID)
		}
		// Accepted, a replacement of a disabled account keeps it disabled.
		f.disable(db.Client, "ORD_A", account.DisabledReasonMANUAL)
		got, err = f.svc.Replace(f.as("INT_A"), ordA.ID, accounts.Holder{Name: "新人", Phone: f.phone(), Password: newPassword}, "调岗")
		wantCode(t, err, ok)
		pending(t, got)
		if got = f.accept(got); got.Status != account.StatusDISABLED || *got.DisabledReason != account.DisabledReasonMANUAL {
			t.Fatalf("accepted %+v, want DISABLED MANUAL as before", got)
		}
	})
}

// Issue 10 §2: the INITIATOR binds at once a person new to the platform or
// one whose name and ID number both match; anyone else waits for consent.
func TestTheInitiatorBindsARegisteredPersonOnlyWithMatchingNameAndIDNumber(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		phone, id := f.phone(), residentID(601)
		scopes := []string{"220102", "2202", "220202", "2201", "22"}
		create := func(name, idNumber string) *ent.Account {
			t.Helper()
			scope := scopes[0]
			scopes = scopes[1:]
			a, err := f.svc.Create(f.as("INI"), accounts.CreateInput{Role: mashang.RoleOfficial, ScopeRegionID: f.tree.ByCode[scope].ID,
				Holder: accounts.Holder{Name: name, Phone: phone, IDNumber: idNumber, Password: newPassword}})
			wantCode(t, err, ok)
			return a
		}
		if a := create("钱七", id); a.Status != account.StatusACTIVE {
			t.Fatalf("a new person: %s", outcome(a, nil))
		}
		if a := create("钱七", id); a.Status != account.StatusACTIVE {
			t.Fatalf("matching name and ID number: %s", outcome(a, nil))
		}
		pending(t, create("钱八", id))
		pending(t, create("钱七", residentID(602)))
		pending(t, create("钱七", ""))
	})
}

// Issue 10 §2: a senior application naming a registered phone does not
// bind that person to the senior account without their consent.
func TestAnApplicationCannotBindAStrangerByTheirPhone(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		victim, err := db.Client.User.Get(f.ctx, f.acct["ORD_A"].HolderID)
		if err != nil {
			t.Fatal(err)
		}
		app, err := f.svc.SubmitSeniorApplication(f.as("OFF"), accounts.ApplicationInput{UnitName: "某单位", USCC: uscc(7),
			ScopeRegionID: f.tree.ByCode["220102"].ID, Holder: accounts.Holder{Name: "某某", Phone: f.phoneOf(victim)}})
		wantCode(t, err, ok)
		res, err := f.svc.DecideApplication(f.as("INI"), app.ID, true, "")
		wantCode(t, err, ok)
		pending(t, res.Account)
		if res.Account.HolderID != victim.ID {
			t.Fatalf("held by %d, want the person of the phone, %d, once they accept", res.Account.HolderID, victim.ID)
		}
		if got := f.accept(res.Account); got.Status != account.StatusACTIVE {
			t.Fatalf("accepted: %s", outcome(got, nil))
		}
	})
}

// Issue 10 §2: only the person an account waits for accepts or refuses
// it: its superior, the superior's superior and the holder of another
// account get NOT_FOUND, and nothing changes.
func TestASuperiorCannotAcceptABindingForItsHolder(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		a, err := f.svc.Create(f.as("INT_A"), accounts.CreateInput{Role: mashang.RoleOrdinary, ScopeSiteID: f.siteA.ID,
			Holder: accounts.Holder{Name: "某某", Phone: f.phone(), Password: newPassword}})
		wantCode(t, err, ok)
		before := takeSnapshot(t, db.Client)
		for _, who := range []string{"INT_A", "SEN_A", "INI", "ORD_A"} {
			_, err := f.svc.AcceptBinding(f.as(who), a.ID)
			wantCode(t, err, N)
			wantCode(t, f.svc.DeclineBinding(f.as(who), a.ID), N)
		}
		if after := takeSnapshot(t, db.Client); after != before {
			t.Fatal("a refused acceptance wrote something")
		}
		pending(t, db.Client.Account.GetX(f.ctx, a.ID))
	})
}

// Issue 10 §9: a replacement application naming an account that is not a
// SENIOR answers like one naming no account at all.
func TestAnOfficialCannotLearnAnAccountsRoleFromAReplacementApplication(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		in := func(id int) accounts.ApplicationInput {
			return accounts.ApplicationInput{UnitName: "南关区政务服务局", USCC: uscc(1), ScopeRegionID: f.tree.ByCode["220102"].ID,
				Holder: accounts.Holder{Name: "新高级", Phone: f.phone()}, ReplacesAccountID: id, Reason: "调离"}
		}
		const missing = 1 << 40
		_, errMissing := f.svc.SubmitSeniorApplication(f.as("OFF"), in(missing))
		for _, name := range []string{"INT_A", "ORD_A", "INI"} {
			id := f.acct[name].ID
			_, err := f.svc.SubmitSeniorApplication(f.as("OFF"), in(id))
			got := strings.ReplaceAll(outcome(nil, err), fmt.Sprint(id), "N")
			if want := strings.ReplaceAll(outcome(nil, errMissing), fmt.Sprint(missing), "N"); got != want {
				t.Fatalf("naming %s answers %q, a missing account %q", name, got, want)
			}
		}
	})
}

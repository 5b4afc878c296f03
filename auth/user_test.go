package auth_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/auth"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/pii"
)

func TestCreateUser(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		id := residentID(t, "22010419900307123")
		u, created, err := f.svc.CreateUser(f.ctx, db.Client, " 杨九 ", "138 0013 8001", strings.ToLower(id), goodPassword)
		if err != nil || !created {
			t.Fatalf("created=%v err=%v", created, err)
		}
		if u.Name != "杨九" || u.PhoneMasked != "138****8001" || u.IDNumberMasked == nil || *u.IDNumberMasked != pii.MaskID(id) {
			t.Fatalf("user %+v", u)
		}
		if phone, err := f.box.Open(pii.FieldPhone, u.PhoneSealed); err != nil || phone != "13800138001" {
			t.Fatalf("sealed phone opens to %q, %v", phone, err)
		}
		if got, err := f.box.Open(pii.FieldIDNumber, *u.IDNumberSealed); err != nil || got != id {
			t.Fatalf("sealed ID opens to %q, %v", got, err)
		}

		f.account(u, account.RoleORDINARY, account.StatusACTIVE)

		// An existing phone is found, not created again, and its password
		// is not reset by whoever opens an account for the person.
		again, created, err := f.svc.CreateUser(f.ctx, db.Client, "别名", "+8613800138001", id, "another password")
		if err != nil || created || again.ID != u.ID {
			t.Fatalf("again: created=%v err=%v", created, err)
		}
		f.login("13800138001", 0) // fails the test if the password changed
		if _, err := f.svc.Login(f.ctx, "13800138001", "another password", "", 0); mashang.ErrorCode(err) != mashang.EUNAUTHENTICATED {
			t.Fatalf("the password given for an existing user was stored: %v", err)
		}

		for _, tc := range []struct {
			name                   string
			userName, phone, idNum string
			password               string
			code, field            string
		}{
			{"ErrOtherIDNumberForPhone", "杨九", "13800138001", residentID(t, "22010419900307124"), "", mashang.ECONFLICT, "idNumber"},
			{"ErrIDNumberOfAnotherPhone", "某人", "13800138002", id, goodPassword, mashang.ECONFLICT, "idNumber"},
			{"ErrPasswordTooShort", "某人", "13800138003", "", "short", mashang.EINVALID, "password"},
			{"ErrPasswordDigitsOnly", "某人", "13800138003", "", "13800138003", mashang.EINVALID, "password"},
			{"ErrPhoneInvalid", "某人", "12345", "", goodPassword, mashang.EINVALID, "phone"},
			{"ErrIDNumberInvalid", "某人", "13800138003", "220104199003071230", goodPassword, mashang.EINVALID, "idNumber"},
			{"ErrNameRequired", " ", "13800138003", "", goodPassword, mashang.EINVALID, "name"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, _, err := f.svc.CreateUser(f.ctx, db.Client, tc.userName, tc.phone, tc.idNum, tc.password)
				wantCode(t, err, tc.code)
				var e *mashang.Error
				if !errors.As(err, &e) || e.Field != tc.field {
					t.Fatalf("error %v is not about field %s", err, tc.field)
				}
				for _, secret := range []string{tc.phone, tc.idNum, id} {
					if secret != "" && len(secret) > 5 && strings.Contains(err.Error(), secret) {
						t.Fatalf("error %q contains personal data", err)
					}
				}
			})
		}
		if n, _ := db.Client.User.Query().Count(f.ctx); n != 1 {
			t.Fatalf("%d users, want 1", n)
		}
	})
}

func TestPersonalDataIsSealedInTheDatabase(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		const phone = "18612345678"
		id := residentID(t, "22010219851231567")
		if _, _, err := f.svc.CreateUser(f.ctx, db.Client, "朱十", phone, id, goodPassword); err != nil {
			t.Fatal(err)
		}
		rows, err := db.SQL.QueryContext(f.ctx, "SELECT * FROM users")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		n := 0
		for rows.Next() {
			n++
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				var s string
				switch v := v.(type) {
				case []byte:
					s = string(v)
				default:
					s = fmt.Sprint(v)
				}
				for _, plain := range []string{phone, id, phone[3:], id[6:14], goodPassword} {
					if strings.Contains(s, plain) {
						t.Errorf("column %s holds %q in plain text", cols[i], plain)
					}
				}
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("%d rows", n)
		}
	})
}

func TestBootstrapInitiator(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		acc, created, err := f.svc.BootstrapInitiator(f.ctx, "", "13911112222", "initiator password")
		if err != nil || !created {
			t.Fatalf("created=%v err=%v", created, err)
		}
		if acc.Role != account.RoleINITIATOR || acc.Status != account.StatusACTIVE || acc.ScopePath != "/" ||
			acc.AccountPath != fmt.Sprintf("/a%d/", acc.ID) {
			t.Fatalf("initiator %+v", acc)
		}
		holder, err := db.Client.User.Get(f.ctx, acc.HolderID)
		if err != nil || holder.Name != auth.DefaultInitiatorName {
			t.Fatalf("holder %+v %v", holder, err)
		}

		again, created, err := f.svc.BootstrapInitiator(f.ctx, "别的名字", "13933334444", "other password!")
		if err != nil || created || again.ID != acc.ID {
			t.Fatalf("second bootstrap: id=%d created=%v err=%v", again.ID, created, err)
		}
		if n, _ := db.Client.Account.Query().Count(f.ctx); n != 1 {
			t.Fatalf("%d accounts after two bootstraps", n)
		}
		if n, _ := db.Client.User.Query().Count(f.ctx); n != 1 {
			t.Fatalf("%d users after two bootstraps", n)
		}

		tok, err := f.svc.Login(f.ctx, "13911112222", "initiator password", "", 0)
		if err != nil {
			t.Fatal(err)
		}
		v, err := f.svc.Authenticate(f.ctx, tok.AccessToken)
		if err != nil || v.Role != mashang.RoleInitiator || v.ScopePath != "/" || v.AccountPath != acc.AccountPath {
			t.Fatalf("initiator viewer %+v %v", v, err)
		}
	})
}

func TestBootstrapInitiatorRefusesWeakPassword(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		_, _, err := f.svc.BootstrapInitiator(f.ctx, "", "13911112222", "123456")
		wantCode(t, err, mashang.EINVALID)
		if n, _ := db.Client.User.Query().Count(f.ctx); n != 0 {
			t.Fatalf("%d users left behind by a failed bootstrap", n)
		}
	})
}

// Issue 10 §2: FindOrCreateHolder answers a registered phone as it answers
// a new one — no refusal for a different or taken ID number, and the same
// work (one Argon2id hash of the password given), so neither the answer
// nor its time tells an attacker who is registered.
func TestAnAttackerCannotTimeFindOrCreateHolderToFindRegisteredPhones(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		id := residentID(t, "22010419900307123")
		_, created, _, err := f.svc.FindOrCreateHolder(f.ctx, db.Client, "杨九", "13800138001", id, goodPassword)
		if err != nil || !created {
			t.Fatalf("created=%v err=%v", created, err)
		}
		runs := func(phone, idNumber string) int64 {
			t.Helper()
			before := auth.KDFRuns()
			if _, _, _, err := f.svc.FindOrCreateHolder(f.ctx, db.Client, "某某", phone, idNumber, goodPassword); err != nil {
				t.Fatalf("FindOrCreateHolder(%s, %s): %v", phone, idNumber, err)
			}
			return auth.KDFRuns() - before
		}
		if k, n := runs("13800138001", residentID(t, "22010419900307124")), runs("13800138002", ""); k != 1 || n != 1 {
			t.Fatalf("Argon2id runs: %d for a registered phone, %d for a new one; want 1 and 1", k, n)
		}
		// Someone else's ID number with a new phone: created without it.
		u, created, matched, err := f.svc.FindOrCreateHolder(f.ctx, db.Client, "某某", "13800138003", id, goodPassword)
		if err != nil || !created || matched || u.IDNumberHash != nil {
			t.Fatalf("a new phone with a taken ID number: %+v created=%v matched=%v err=%v", u, created, matched, err)
		}
		// Name and ID number both match: matched.
		if _, _, matched, err := f.svc.FindOrCreateHolder(f.ctx, db.Client, "杨九", "13800138001", id, ""); err != nil || !matched {
			t.Fatalf("matching name and ID number: matched=%v err=%v", matched, err)
		}
	})
}

package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/auth"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/grant"
	"github.com/mashang/mashang/ent/hook"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/ent/session"
	"github.com/mashang/mashang/validate"
)

func TestLoginThenAuthenticate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		u := f.user("张三", "+86 138-0013-8000")
		ordinary := f.account(u, account.RoleORDINARY, account.StatusACTIVE)
		senior := f.account(u, account.RoleSENIOR, account.StatusACTIVE)
		now := f.clock.Now()
		f.grant(senior, grant.KindPII_VIEWER, now.Add(time.Hour), false)
		f.grant(senior, grant.KindTRACER, now.Add(-time.Hour), false)          // expired
		f.grant(senior, grant.KindSECTOR_STATISTICS, now.Add(time.Hour), true) // revoked
		f.grant(ordinary, grant.KindTRACER, now.Add(time.Hour), false)         // another account's

		tok := f.login("13800138000", 0)
		if tok.AccountID != senior.ID {
			t.Fatalf("acting account %d, want the SENIOR %d (ranked above ORDINARY %d)", tok.AccountID, senior.ID, ordinary.ID)
		}
		if !strings.HasPrefix(tok.AccessToken, "msa_") || !strings.HasPrefix(tok.RefreshToken, "msr_") || len(tok.AccessToken) != 4+43 {
			t.Fatalf("tokens %q / %q are not prefixed base64url of 32 bytes", tok.AccessToken, tok.RefreshToken)
		}
		if !tok.ExpiresAt.Equal(now.Add(auth.DefaultAccessTTL)) || !tok.RefreshExpiresAt.Equal(now.Add(auth.DefaultRefreshTTL)) {
			t.Fatalf("expiries %v / %v", tok.ExpiresAt, tok.RefreshExpiresAt)
		}

		// Only the SHA-256 of each token is stored.
		sess, err := db.Client.Session.Query().Only(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(tok.AccessToken))
		if sess.TokenHash != hex.EncodeToString(sum[:]) || strings.Contains(sess.RefreshHash, tok.RefreshToken[4:]) {
			t.Fatalf("stored token hash %q is not the SHA-256 of the token", sess.TokenHash)
		}

		v, err := f.svc.Authenticate(f.ctx, auth.BearerToken("Bearer "+tok.AccessToken))
		if err != nil {
			t.Fatal(err)
		}
		if v.UserID != u.ID || v.AccountID != senior.ID || v.SessionID != sess.ID || v.Role != mashang.RoleSenior ||
			v.ScopePath != "/22/2201/" || v.AccountPath != fmt.Sprintf("/a%d/", senior.ID) {
			t.Fatalf("viewer %+v", v)
		}
		if len(v.Grants) != 1 || v.Grants[0].Kind != mashang.GrantPIIViewer || !v.HasGrant(mashang.GrantPIIViewer, now) {
			t.Fatalf("grants %+v, want only the unexpired unrevoked PII_VIEWER", v.Grants)
		}

		// Login counts as activity (seed 001 §10).
		got, _ := db.Client.Account.Get(f.ctx, senior.ID)
		if got.LastActiveAt == nil || !got.LastActiveAt.Equal(now) {
			t.Fatalf("last_active_at = %v, want %v", got.LastActiveAt, now)
		}

		// Logging in as a chosen account of one's own.
		tok2 := f.login("13800138000", ordinary.ID)
		if v, err := f.svc.Authenticate(f.ctx, tok2.AccessToken); err != nil || v.AccountID != ordinary.ID || v.Role != mashang.RoleOrdinary {
			t.Fatalf("chosen account: %+v %v", v, err)
		}
	})
}

func TestAuthenticateCostsOneStatement(t *testing.T) {
	for _, d := range dbtest.Dialects {
		t.Run(d, func(t *testing.T) {
			var c dbtest.Counter
			db := dbtest.Open(t, d, database.Options{WrapDriver: c.Wrap})
			f := newFixture(t, db)
			u := f.user("李四", "13900139000")
			acc := f.account(u, account.RoleINTERMEDIATE, account.StatusACTIVE)
			f.grant(acc, grant.KindTRACER, f.clock.Now().Add(time.Hour), false)
			f.grant(acc, grant.KindPII_VIEWER, f.clock.Now().Add(2*time.Hour), false)
			f.grant(acc, grant.KindSECTOR_STATISTICS, f.clock.Now().Add(-time.Minute), false) // expired
			f.grant(acc, grant.KindPII_VIEWER, f.clock.Now().Add(time.Hour), true)            // revoked
			tok := f.login("13900139000", 0)

			measure := func() int64 {
				t.Helper()
				c.Reset()
				v, err := f.svc.Authenticate(f.ctx, tok.AccessToken)
				if err != nil || v.AccountID != acc.ID || len(v.Grants) != 2 {
					t.Fatalf("authenticate: %+v %v", v, err)
				}
				return c.Count()
			}
			if n := measure(); n != 1 {
				t.Fatalf("Authenticate sent %d statements, want 1 (session, account and grants joined)", n)
			}
			f.clock.Advance(auth.ActivityInterval + time.Second)
			if n := measure(); n != 2 {
				t.Fatalf("Authenticate with stale activity sent %d statements, want 2 (one UPDATE)", n)
			}
			got, _ := db.Client.Account.Get(f.ctx, acc.ID)
			if got.LastActiveAt == nil || !got.LastActiveAt.Equal(f.clock.Now()) {
				t.Fatalf("last_active_at = %v, want %v", got.LastActiveAt, f.clock.Now())
			}
			f.clock.Advance(time.Minute)
			if n := measure(); n != 1 {
				t.Fatalf("Authenticate within the activity interval sent %d statements, want 1", n)
			}
		})
	}
}

func TestAuthenticateRefusesCallerWithExpiredToken(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		u := f.user("王五", "13700137000")
		f.account(u, account.RoleORDINARY, account.StatusACTIVE)
		tok := f.login("13700137000", 0)

		f.clock.Advance(auth.DefaultAccessTTL - time.Second)
		if _, err := f.svc.Authenticate(f.ctx, tok.AccessToken); err != nil {
			t.Fatalf("just before expiry: %v", err)
		}
		f.clock.Advance(time.Second)
		_, err := f.svc.Authenticate(f.ctx, tok.AccessToken)
		wantCode(t, err, mashang.EUNAUTHENTICATED)
		if mashang.ErrorMessage(err) != "Your session has expired; log in again." {
			t.Fatalf("message %q", mashang.ErrorMessage(err))
		}
	})
}

func TestAuthenticateRefusesForgedTokens(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		u := f.user("赵六", "13600136000")
		f.account(u, account.RoleORDINARY, account.StatusACTIVE)
		tok := f.login("13600136000", 0)
		for name, token := range map[string]string{
			"empty":                   "",
			"unknown":                 "msa_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
			"refresh token as bearer": tok.RefreshToken,
			"stored hash as token":    func() string { s, _ := db.Client.Session.Query().Only(f.ctx); return s.TokenHash }(),
			"access token one char off": tok.AccessToken[:len(tok.AccessToken)-1] + func() string {
				if strings.HasSuffix(tok.AccessToken, "A") {
					return "B"
				}
				return "A"
			}(),
		} {
			t.Run(name, func(t *testing.T) {
				_, err := f.svc.Authenticate(f.ctx, token)
				wantCode(t, err, mashang.EUNAUTHENTICATED)
			})
		}
	})
}

func TestLogoutRevokesSession(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		u := f.user("孙七", "13500135000")
		f.account(u, account.RoleORDINARY, account.StatusACTIVE)
		tok := f.login("13500135000", 0)
		other := f.login("13500135000", 0) // a second device
		v, err := f.svc.Authenticate(f.ctx, tok.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Logout(f.ctx, v.SessionID); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Authenticate(f.ctx, tok.AccessToken)
		wantCode(t, err, mashang.EUNAUTHENTICATED)
		_, err = f.svc.Refresh(f.ctx, tok.RefreshToken)
		wantCode(t, err, mashang.EUNAUTHENTICATED)
		if err := f.svc.Logout(f.ctx, v.SessionID); err != nil {
			t.Fatalf("second logout: %v", err)
		}
		if _, err := f.svc.Authenticate(f.ctx, other.AccessToken); err != nil {
			t.Fatalf("the other device's session was revoked too: %v", err)
		}
	})
}

func TestRefreshRotatesTokens(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		u := f.user("周八", "13300133000")
		acc := f.account(u, account.RoleORDINARY, account.StatusACTIVE)
		tok := f.login("13300133000", 0)

		f.clock.Advance(time.Hour)
		next, err := f.svc.Refresh(f.ctx, tok.RefreshToken)
		if err != nil {
			t.Fatal(err)
		}
		if next.AccessToken == tok.AccessToken || next.RefreshToken == tok.RefreshToken || next.AccountID != acc.ID {
			t.Fatalf("refresh did not rotate: %+v", next)
		}
		if !next.ExpiresAt.Equal(f.clock.Now().Add(auth.DefaultAccessTTL)) || !next.RefreshExpiresAt.Equal(tok.RefreshExpiresAt) {
			t.Fatalf("refreshed expiries %v / %v", next.ExpiresAt, next.RefreshExpiresAt)
		}
		if _, err := f.svc.Authenticate(f.ctx, next.AccessToken); err != nil {
			t.Fatalf("new access token: %v", err)
		}
		_, err = f.svc.Authenticate(f.ctx, tok.AccessToken)
		wantCode(t, err, mashang.EUNAUTHENTICATED)
		_, err = f.svc.Refresh(f.ctx, tok.RefreshToken)
		wantCode(t, err, mashang.EUNAUTHENTICATED)
		_, err = f.svc.Refresh(f.ctx, next.AccessToken) // an access token cannot refresh
		wantCode(t, err, mashang.EUNAUTHENTICATED)

		// The login lasts at most the refresh TTL: the last access token
		// ends with it, and the refresh token is refused after it.
		f.clock.Advance(auth.DefaultRefreshTTL - time.Hour - time.Minute)
		last, err := f.svc.Refresh(f.ctx, next.RefreshToken)
		if err != nil {
			t.Fatal(err)
		}
		if !last.ExpiresAt.Equal(tok.RefreshExpiresAt) {
			t.Fatalf("access token outlives the login: %v > %v", last.ExpiresAt, tok.RefreshExpiresAt)
		}
		f.clock.Advance(time.Minute)
		_, err = f.svc.Refresh(f.ctx, last.RefreshToken)
		wantCode(t, err, mashang.EUNAUTHENTICATED)
		_, err = f.svc.Authenticate(f.ctx, last.AccessToken)
		wantCode(t, err, mashang.EUNAUTHENTICATED)
	})
}

func TestLoginDoesNotTellAttackerWhichPhonesExist(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		u := f.user("吴九", "13200132000")
		f.account(u, account.RoleORDINARY, account.StatusACTIVE)

		_, errUnknown := f.svc.Login(f.ctx, "13200132999", goodPassword, "192.0.2.7", 0)
		_, errWrong := f.svc.Login(f.ctx, "13200132000", "wrong password!", "192.0.2.7", 0)
		wantCode(t, errUnknown, mashang.EUNAUTHENTICATED)
		wantCode(t, errWrong, mashang.EUNAUTHENTICATED)
		if mashang.ErrorMessage(errUnknown) != mashang.ErrorMessage(errWrong) || mashang.ErrorMessage(errWrong) != "Phone number or password is wrong." {
			t.Fatalf("messages differ: %q vs %q", mashang.ErrorMessage(errUnknown), mashang.ErrorMessage(errWrong))
		}
		for _, err := range []error{errUnknown, errWrong} {
			if strings.Contains(err.Error(), "132") {
				t.Fatalf("error %q names the phone number", err)
			}
		}
		// Both paths run the password KDF once, so neither answers much
		// faster: counted, not timed (a loaded machine makes timings lie).
		kdfRunsOf := func(phone string) int64 {
			before := auth.KDFRuns()
			_, _ = f.svc.Login(f.ctx, phone, "wrong password!", "", 0)
			return auth.KDFRuns() - before
		}
		if unknown, known := kdfRunsOf("13200132998"), kdfRunsOf("13200132000"); unknown != known || known < 1 {
			t.Fatalf("an unknown phone ran the KDF %d times, a known phone %d: an attacker can tell them apart by time", unknown, known)
		}
	})
}

func TestLoginRefusesAttackerGuessingPasswords(t *testing.T) {
	const (
		victim = "13100131000"
		other  = "13100131001"
	)
	type attempt struct {
		phone, addr string
		right       bool
		advance     time.Duration // before the attempt
		want        string        // "" for success
	}
	fail := func(phone, addr string) attempt {
		return attempt{phone: phone, addr: addr, want: mashang.EUNAUTHENTICATED}
	}
	repeat := func(n int, a attempt) []attempt {
		out := make([]attempt, n)
		for i := range out {
			out[i] = a
		}
		return out
	}
	// spray is n failures at n different phones, from addr(i).
	spray := func(n, first int, addr func(i int) string) []attempt {
		out := make([]attempt, n)
		for i := range out {
			out[i] = fail(fmt.Sprintf("1310013%04d", first+i), addr(i))
		}
		return out
	}
	join := func(parts ...[]attempt) []attempt {
		var out []attempt
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	for _, tc := range []struct {
		name     string
		attempts []attempt
	}{
		{"as a guesser of one phone from one address", join(
			repeat(5, fail(victim, "198.51.100.1")),
			// the sixth attempt from there is refused even with the right password
			[]attempt{{phone: victim, addr: "198.51.100.1", right: true, want: mashang.ERATELIMITED}},
			// the holder on their own device is not affected, nor another phone
			[]attempt{{phone: victim, addr: "198.51.100.6", right: true}},
			[]attempt{{phone: other, addr: "198.51.100.1", right: true}},
		)},
		{"as a guesser of an unknown phone", join(
			repeat(5, fail("13100131999", "198.51.100.1")),
			[]attempt{{phone: "13100131999", addr: "198.51.100.1", want: mashang.ERATELIMITED}},
		)},
		{"as a guesser of many phones from one address", join(
			spray(30, 2000, func(int) string { return "203.0.113.9:5000" }),
			[]attempt{{phone: victim, addr: "203.0.113.9:6000", right: true, want: mashang.ERATELIMITED}},
			// the same person from elsewhere gets in
			[]attempt{{phone: victim, addr: "198.51.100.1", right: true}},
		)},
		{"as a guesser rotating IPv6 addresses of one /64", join(
			spray(30, 3000, func(i int) string { return fmt.Sprintf("[2001:db8:1:2::%x]:443", i+1) }),
			[]attempt{{phone: victim, addr: "2001:db8:1:2:ffff::1", right: true, want: mashang.ERATELIMITED}},
		)},
		{"as the owner who mistyped four times", join(
			repeat(4, fail(victim, "198.51.100.1")),
			[]attempt{{phone: victim, addr: "198.51.100.1", right: true}},
			// success cleared the phone's count: four more mistakes are allowed
			repeat(4, fail(victim, "198.51.100.1")),
			[]attempt{{phone: victim, addr: "198.51.100.1", right: true}},
		)},
		{"as a guesser holding one valid login (address count is not reset)", join(
			spray(29, 4000, func(int) string { return "203.0.113.7" }),
			[]attempt{{phone: victim, addr: "203.0.113.7", right: true}},
			spray(1, 5000, func(int) string { return "203.0.113.7" }),
			[]attempt{{phone: victim, addr: "203.0.113.7", right: true, want: mashang.ERATELIMITED}},
		)},
		{"as a guesser waiting out the lock", join(
			repeat(5, fail(victim, "198.51.100.1")),
			[]attempt{{phone: victim, addr: "198.51.100.1", right: true, want: mashang.ERATELIMITED}},
			[]attempt{{phone: victim, addr: "198.51.100.1", right: true, advance: auth.DefaultLoginLimits.Backoff - time.Second, want: mashang.ERATELIMITED}},
			[]attempt{{phone: victim, addr: "198.51.100.1", right: true, advance: time.Second}},
		)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Run(t, func(t *testing.T, db *database.DB) {
				f := newFixture(t, db)
				f.account(f.user("受害者", victim), account.RoleORDINARY, account.StatusACTIVE)
				f.account(f.user("攻击者", other), account.RoleORDINARY, account.StatusACTIVE)
				for i, a := range tc.attempts {
					f.clock.Advance(a.advance)
					pw := "wrong password!"
					if a.right {
						pw = goodPassword
					}
					_, err := f.svc.Login(f.ctx, a.phone, pw, a.addr, 0)
					if a.want == "" {
						if err != nil {
							t.Fatalf("attempt %d (%s from %s): %v", i+1, a.phone, a.addr, err)
						}
						continue
					}
					if code := mashang.ErrorCode(err); code != a.want {
						t.Fatalf("attempt %d (%s from %s): got %s (%v), want %s", i+1, a.phone, a.addr, code, err, a.want)
					}
					if a.want == mashang.ERATELIMITED && !strings.Contains(mashang.ErrorMessage(err), "Try again in") {
						t.Fatalf("rate-limit message %q does not say when to retry", mashang.ErrorMessage(err))
					}
				}
			})
		})
	}
}

// A holder whose accounts are all disabled gets, with the right password
// only, a restricted session in which the API lets them ask for
// reactivation and nothing else (seed 001 §10).
func TestDisabledHolderGetsOnlyARestrictedSession(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		u := f.user("郑十", "13000130000")
		inter := f.account(u, account.RoleINTERMEDIATE, account.StatusDISABLED)
		f.account(u, account.RoleORDINARY, account.StatusDISABLED)

		_, err := f.svc.Login(f.ctx, "13000130000", "wrong password!", "", 0)
		wantCode(t, err, mashang.EUNAUTHENTICATED)
		if n, _ := db.Client.Session.Query().Count(f.ctx); n != 0 {
			t.Fatalf("%d sessions opened on a wrong password", n)
		}
		before, _ := db.Client.Account.Get(f.ctx, inter.ID)
		f.clock.Advance(time.Hour)
		tok, err := f.svc.Login(f.ctx, "13000130000", goodPassword, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if !tok.Restricted || tok.AccountID != inter.ID {
			t.Fatalf("tokens %+v, want a restricted session of the INTERMEDIATE %d", tok, inter.ID)
		}
		v, err := f.svc.Authenticate(f.ctx, tok.AccessToken)
		if err != nil || !v.Disabled {
			t.Fatalf("viewer %+v, %v: want Disabled", v, err)
		}
		after, _ := db.Client.Account.Get(f.ctx, inter.ID)
		if (before.LastActiveAt == nil) != (after.LastActiveAt == nil) || (after.LastActiveAt != nil && !after.LastActiveAt.Equal(*before.LastActiveAt)) {
			t.Fatal("a restricted login counted as activity")
		}
	})
}

func TestLoginAsChosenAccount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		u := f.user("钱一", "15000150000")
		active := f.account(u, account.RoleORDINARY, account.StatusACTIVE)
		disabled := f.account(u, account.RoleSENIOR, account.StatusDISABLED)
		stranger := f.account(f.user("陌生人", "15000150001"), account.RoleINITIATOR, account.StatusACTIVE)

		// The disabled SENIOR ranks first but is skipped.
		if tok := f.login("15000150000", 0); tok.AccountID != active.ID {
			t.Fatalf("acting %d, want the active ORDINARY %d", tok.AccountID, active.ID)
		}
		if tok, err := f.svc.Login(f.ctx, "15000150000", goodPassword, "", disabled.ID); err != nil || !tok.Restricted {
			t.Fatalf("login as the disabled SENIOR: %+v %v, want a restricted session", tok, err)
		}
		_, errStranger := f.svc.Login(f.ctx, "15000150000", goodPassword, "", stranger.ID)
		wantCode(t, errStranger, mashang.ENOTFOUND)
		_, errMissing := f.svc.Login(f.ctx, "15000150000", goodPassword, "", stranger.ID+1000)
		if mashang.ErrorMessage(errStranger) != mashang.ErrorMessage(errMissing) {
			t.Fatalf("another user's account and a missing one answer differently: %q vs %q", mashang.ErrorMessage(errStranger), mashang.ErrorMessage(errMissing))
		}
	})
}

func TestSwitchAccount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		u := f.user("冯二", "15100151000")
		first := f.account(u, account.RoleINTERMEDIATE, account.StatusACTIVE)
		second := f.account(u, account.RoleGRID_WORKER, account.StatusACTIVE)
		disabled := f.account(u, account.RoleORDINARY, account.StatusDISABLED)
		strangerUser := f.user("陈三", "15100151001")
		stranger := f.account(strangerUser, account.RoleSENIOR, account.StatusACTIVE)
		f.grant(second, grant.KindSECTOR_STATISTICS, f.clock.Now().Add(time.Hour), false)

		tok := f.login("15100151000", 0)
		v, err := f.svc.Authenticate(f.ctx, tok.AccessToken)
		if err != nil || v.AccountID != first.ID {
			t.Fatalf("login: %+v %v", v, err)
		}
		for _, tc := range []struct {
			name      string
			userID    int
			accountID int
			want      string
		}{
			{"as the holder to a second own account", u.ID, second.ID, ""},
			{"as the holder to another user's account", u.ID, stranger.ID, mashang.ENOTFOUND},
			{"as the holder to a missing account", u.ID, stranger.ID + 1000, mashang.ENOTFOUND},
			{"as the holder to a disabled own account", u.ID, disabled.ID, mashang.EACCOUNTDISABLED},
			{"as another user on this session", strangerUser.ID, stranger.ID, mashang.EUNAUTHENTICATED},
		} {
			t.Run(tc.name, func(t *testing.T) {
				nv, err := f.svc.SwitchAccount(f.ctx, v.SessionID, tc.userID, tc.accountID)
				if tc.want != "" {
					wantCode(t, err, tc.want)
					if strings.Contains(mashang.ErrorMessage(err), "陈三") {
						t.Fatalf("error reveals another user: %q", mashang.ErrorMessage(err))
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if nv.AccountID != tc.accountID || nv.Role != mashang.RoleGridWorker || nv.SessionID != v.SessionID || len(nv.Grants) != 1 {
					t.Fatalf("viewer after switch %+v", nv)
				}
			})
		}
		// Every later request acts as the account switched to.
		v2, err := f.svc.Authenticate(f.ctx, tok.AccessToken)
		if err != nil || v2.AccountID != second.ID {
			t.Fatalf("after switch: %+v %v", v2, err)
		}
	})
}

// A SENIOR bound to a unit sees that unit through the scope filter
// (Viewer.UnitID): switching to it must give the same viewer as
// authenticating as it.
func TestSwitchAccountKeepsTheSeniorsUnit(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		r, err := db.Client.Region.Create().SetCode("22").SetName("吉林省").SetLevel(region.LevelPROVINCE).SetPath("/22/").Save(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		check, err := validate.USCCCheckChar("91220101MA0000001")
		if err != nil {
			t.Fatal(err)
		}
		unit, err := db.Client.Unit.Create().SetName("长春市政务服务中心").SetUscc("91220101MA0000001" + string(check)).
			SetRegionID(r.ID).SetRegionPath(r.Path).Save(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		u := f.user("何六", "15100151500")
		senior := f.account(u, account.RoleSENIOR, account.StatusACTIVE)
		if err := db.Client.Account.UpdateOneID(senior.ID).SetUnitID(unit.ID).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		ordinary := f.account(u, account.RoleORDINARY, account.StatusACTIVE)

		tok := f.login("15100151500", ordinary.ID)
		v, err := f.svc.Authenticate(f.ctx, tok.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		switched, err := f.svc.SwitchAccount(f.ctx, v.SessionID, u.ID, senior.ID)
		if err != nil {
			t.Fatal(err)
		}
		authenticated, err := f.svc.Authenticate(f.ctx, tok.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		if switched.UnitID != unit.ID || authenticated.UnitID != unit.ID {
			t.Fatalf("unit after switchAccount %d, on the next request %d; want %d both times", switched.UnitID, authenticated.UnitID, unit.ID)
		}
	})
}

// A failed prepare of the fast path's statement (the database not ready
// when the first request came) must not fail every later request until a
// restart. SQLite only: an unmigrated PostgreSQL schema would need a
// dbtest.Open without Migrate.
func TestPreparedViewerQueryRecoversFromFailedPrepare(t *testing.T) {
	ctx := context.Background()
	db, err := database.Open(ctx, filepath.Join(t.TempDir(), "late.db"), database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := newFixture(t, db)
	fast := auth.New(db.Client, f.box, auth.Config{Now: f.clock.Now, DB: db.SQL, Dialect: db.Dialect})
	// No sessions table yet: the statement cannot be prepared.
	if _, err := fast.Authenticate(ctx, "msa_early-request"); err == nil {
		t.Fatal("authenticated against a database without a sessions table")
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	u := f.user("吕七", "15100151600")
	f.account(u, account.RoleORDINARY, account.StatusACTIVE)
	tok := f.login("15100151600", 0)
	if _, err := fast.Authenticate(ctx, tok.AccessToken); err != nil {
		t.Fatalf("the database is ready now, yet: %v", err)
	}
}

func TestAuthenticateRestrictsDisabledActingAccount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		u := f.user("褚四", "15200152000")
		acc := f.account(u, account.RoleORDINARY, account.StatusACTIVE)
		tok := f.login("15200152000", 0)
		if v, err := f.svc.Authenticate(f.ctx, tok.AccessToken); err != nil || v.Disabled {
			t.Fatalf("active account: %+v %v", v, err)
		}
		if err := db.Client.Account.UpdateOneID(acc.ID).SetStatus(account.StatusDISABLED).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		v, err := f.svc.Authenticate(f.ctx, tok.AccessToken)
		if err != nil || !v.Disabled {
			t.Fatalf("disabled account: viewer %+v, %v; want a restricted viewer", v, err)
		}
	})
}

func TestRevokeAccountSessionsShutsOutReplacedHolder(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		old := f.user("卫五", "15300153000")
		acc := f.account(old, account.RoleORDINARY, account.StatusACTIVE)
		keep := f.account(old, account.RoleGRID_WORKER, account.StatusACTIVE)
		a1 := f.login("15300153000", acc.ID)
		a2 := f.login("15300153000", acc.ID)
		k := f.login("15300153000", keep.ID)

		// 更换: the holder changes and the account's sessions end, in one transaction.
		successor := f.user("蒋六", "15300153001")
		tx, err := db.Client.Tx(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.Account.UpdateOneID(acc.ID).SetHolderID(successor.ID).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.RevokeAccountSessions(f.ctx, tx.Client(), acc.ID); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		for _, tok := range []string{a1.AccessToken, a2.AccessToken} {
			_, err := f.svc.Authenticate(f.ctx, tok)
			wantCode(t, err, mashang.EUNAUTHENTICATED)
		}
		_, err = f.svc.Refresh(f.ctx, a1.RefreshToken)
		wantCode(t, err, mashang.EUNAUTHENTICATED)
		if _, err := f.svc.Authenticate(f.ctx, k.AccessToken); err != nil {
			t.Fatalf("session of another account was revoked: %v", err)
		}
		if n, _ := db.Client.Session.Query().Where(session.RevokedAtNotNil()).Count(f.ctx); n != 2 {
			t.Fatalf("%d sessions revoked, want 2", n)
		}
		// The new holder logs in as the account.
		tok := f.login("15300153001", 0)
		if tok.AccountID != acc.ID {
			t.Fatalf("successor acts as %d, want %d", tok.AccountID, acc.ID)
		}
	})
}

func TestAuthenticateRefusesFormerHolderEvenWithoutRevocation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		old := f.user("沈七", "15500155000")
		acc := f.account(old, account.RoleORDINARY, account.StatusACTIVE)
		tok := f.login("15500155000", 0)
		successor := f.user("韩八", "15500155001")
		if err := db.Client.Account.UpdateOneID(acc.ID).SetHolderID(successor.ID).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.Authenticate(f.ctx, tok.AccessToken)
		wantCode(t, err, mashang.EUNAUTHENTICATED)
		_, err = f.svc.Refresh(f.ctx, tok.RefreshToken)
		wantCode(t, err, mashang.EUNAUTHENTICATED)
	})
}

func TestRefreshRefusesReplayedRefreshTokenRacingTheOwner(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		u := f.user("秦九", "15600156000")
		f.account(u, account.RoleORDINARY, account.StatusACTIVE)
		tok := f.login("15600156000", 0)

		// A stolen refresh token used at the same moment as the owner's:
		// exactly one of the racing refreshes may win. A hook holds every
		// session update until all racers have read the session, so they
		// all see it unrotated.
		const racers = 4
		arrived := make(chan struct{}, racers)
		db.Client.Session.Use(func(next ent.Mutator) ent.Mutator {
			return hook.SessionFunc(func(ctx context.Context, m *ent.SessionMutation) (ent.Value, error) {
				if m.Op().Is(ent.OpUpdate) {
					arrived <- struct{}{}
					deadline := time.After(5 * time.Second)
					for len(arrived) < racers {
						select {
						case <-deadline:
							return nil, errors.New("racers did not all arrive")
						case <-time.After(time.Millisecond):
						}
					}
				}
				return next.Mutate(ctx, m)
			})
		})
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			wins []*auth.Tokens
		)
		start := make(chan struct{})
		for i := 0; i < racers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				next, err := f.svc.Refresh(f.ctx, tok.RefreshToken)
				if err == nil {
					mu.Lock()
					wins = append(wins, next)
					mu.Unlock()
				} else if mashang.ErrorCode(err) != mashang.EUNAUTHENTICATED {
					t.Errorf("racing refresh: %v", err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if len(wins) != 1 {
			t.Fatalf("%d of %d racing refreshes with one token succeeded, want exactly 1", len(wins), racers)
		}
		if _, err := f.svc.Authenticate(f.ctx, wins[0].AccessToken); err != nil {
			t.Fatalf("the winner's access token: %v", err)
		}
	})
}

func TestLoginInsideRequestTransaction(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		u := f.user("尤十", "15700157000")
		f.account(u, account.RoleORDINARY, account.StatusACTIVE)

		// A GraphQL mutation runs in a transaction whose client is in the
		// context (entgql.Transactioner); on SQLite it holds the write lock,
		// so the service must write through it, not beside it.
		ctx, cancel := context.WithTimeout(f.ctx, 5*time.Second)
		defer cancel()
		tx, err := db.Client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		txCtx := ent.NewContext(ent.NewTxContext(ctx, tx), tx.Client())
		tok, err := f.svc.Login(txCtx, "15700157000", goodPassword, "", 0)
		if err != nil {
			_ = tx.Rollback()
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Authenticate(f.ctx, tok.AccessToken); err != nil {
			t.Fatalf("session written in the request transaction: %v", err)
		}
	})
}

// The prepared fast path answers exactly like the ent query.
func TestPreparedViewerQueryMatchesEnt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		u := f.user("冯五", "13900139555")
		acc := f.account(u, account.RoleINTERMEDIATE, account.StatusACTIVE)
		f.grant(acc, grant.KindTRACER, f.clock.Now().Add(time.Hour), false)
		f.grant(acc, grant.KindPII_VIEWER, f.clock.Now().Add(-time.Hour), false)
		tok := f.login("13900139555", 0)
		fast := auth.New(db.Client, f.box, auth.Config{Now: f.clock.Now, DB: db.SQL, Dialect: db.Dialect})
		want, err := f.svc.Authenticate(f.ctx, tok.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		got, err := fast.Authenticate(f.ctx, tok.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		if got.AccountID != want.AccountID || got.Role != want.Role || got.ScopePath != want.ScopePath ||
			got.AccountPath != want.AccountPath || len(got.Grants) != 1 || len(want.Grants) != 1 || got.Grants[0].Kind != "TRACER" {
			t.Fatalf("prepared %+v, ent %+v", got, want)
		}
		if _, err := fast.Authenticate(f.ctx, "msa_not-a-token"); mashang.ErrorCode(err) != mashang.EUNAUTHENTICATED {
			t.Fatalf("unknown token: %v", err)
		}
		if err := f.svc.Logout(f.ctx, got.SessionID); err != nil {
			t.Fatal(err)
		}
		if _, err := fast.Authenticate(f.ctx, tok.AccessToken); mashang.ErrorCode(err) != mashang.EUNAUTHENTICATED {
			t.Fatalf("SECURITY: a revoked session still authenticates on the fast path: %v", err)
		}
	})
}

package auth_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/auth"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/session"
	"github.com/mashang/mashang/ratelimit"
	"github.com/mashang/mashang/ratelimit/redistest"
)

const (
	holderPhone   = "13300133000"
	holderAddr    = "198.51.100.10:40000"
	strangerAddr  = "203.0.113.66:51000"
	wrongPassword = "wrong password!"
)

// TestAStrangerGuessingMyPasswordDoesNotLockMeOut: a stranger's wrong
// guesses at my phone lock out the stranger's address, never me on my own
// device (issue 10 §10).
func TestAStrangerGuessingMyPasswordDoesNotLockMeOut(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		f.account(f.user("持有人", holderPhone), account.RoleORDINARY, account.StatusACTIVE)
		for i := range 20 {
			_, err := f.svc.Login(f.ctx, holderPhone, wrongPassword, strangerAddr, 0)
			want := mashang.EUNAUTHENTICATED
			if i >= auth.DefaultLoginLimits.PairFailures {
				want = mashang.ERATELIMITED
			}
			if code := mashang.ErrorCode(err); code != want {
				t.Fatalf("stranger's guess %d: %s (%v), want %s", i+1, code, err, want)
			}
		}
		if _, err := f.svc.Login(f.ctx, holderPhone, goodPassword, holderAddr, 0); err != nil {
			t.Fatalf("the holder is locked out by a stranger's guesses: %v", err)
		}
		// The stranger is still locked even when he finds the password.
		if _, err := f.svc.Login(f.ctx, holderPhone, goodPassword, strangerAddr, 0); mashang.ErrorCode(err) != mashang.ERATELIMITED {
			t.Fatalf("the stranger got past his lock: %v", err)
		}
	})
}

// TestAGuesserWaitsLongerAfterEveryLock: the lock of one phone from one
// address doubles with every failure past the fifth.
func TestAGuesserWaitsLongerAfterEveryLock(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		f.account(f.user("持有人", holderPhone), account.RoleORDINARY, account.StatusACTIVE)
		for range auth.DefaultLoginLimits.PairFailures {
			_, _ = f.svc.Login(f.ctx, holderPhone, wrongPassword, strangerAddr, 0)
		}
		wait := auth.DefaultLoginLimits.Backoff
		for round := range 4 {
			f.clock.Advance(wait - time.Second)
			_, err := f.svc.Login(f.ctx, holderPhone, wrongPassword, strangerAddr, 0)
			if mashang.ErrorCode(err) != mashang.ERATELIMITED {
				t.Fatalf("round %d: a guess %v into a %v lock was let through: %v", round, wait-time.Second, wait, err)
			}
			f.clock.Advance(time.Second)
			if _, err := f.svc.Login(f.ctx, holderPhone, wrongPassword, strangerAddr, 0); mashang.ErrorCode(err) != mashang.EUNAUTHENTICATED {
				t.Fatalf("round %d: the guess after a %v lock: %v", round, wait, err)
			}
			wait *= 2
		}
		if wait != 16*auth.DefaultLoginLimits.Backoff {
			t.Fatal(wait)
		}
	})
}

// TestEveryLoginAttemptCountsEvenWithTheRightPassword: a client logging in
// again and again with the right password (each login an Argon2id hash and
// a session) is limited too (issue 10 §3); refused attempts hash nothing.
func TestEveryLoginAttemptCountsEvenWithTheRightPassword(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		f.account(f.user("持有人", holderPhone), account.RoleORDINARY, account.StatusACTIVE)
		limit := auth.DefaultLoginLimits.PairAttempts.Events
		for i := range limit {
			if _, err := f.svc.Login(f.ctx, holderPhone, goodPassword, strangerAddr, 0); err != nil {
				t.Fatalf("login %d: %v", i+1, err)
			}
		}
		before := auth.KDFRuns()
		_, err := f.svc.Login(f.ctx, holderPhone, goodPassword, strangerAddr, 0)
		if mashang.ErrorCode(err) != mashang.ERATELIMITED {
			t.Fatalf("login %d with the right password: %v, want RATE_LIMITED", limit+1, err)
		}
		if secs, ok := ratelimit.RetryAfter(err); !ok || secs < 1 {
			t.Fatalf("the refusal has no Retry-After: %d %v", secs, ok)
		}
		if runs := auth.KDFRuns() - before; runs != 0 {
			t.Fatalf("a refused login still ran the KDF %d times", runs)
		}
		if n := f.db.Client.Session.Query().Where(session.RevokedAtIsNil()).CountX(f.ctx); n != limit {
			t.Fatalf("%d sessions open, want %d", n, limit)
		}
		// Spread over many phones, one address still has a ceiling (a
		// smaller one here, to spare the hashes).
		limits := auth.DefaultLoginLimits
		limits.AddressAttempts = ratelimit.Limit{Events: 8, Period: 15 * time.Minute}
		svc := auth.New(db.Client, f.box, auth.Config{Now: f.clock.Now, Login: limits})
		for i := range 9 {
			_, err := svc.Login(f.ctx, fmt.Sprintf("1340013%04d", i), goodPassword, "192.0.2.99", 0)
			if refused := mashang.ErrorCode(err) == mashang.ERATELIMITED; refused != (i == 8) {
				t.Fatalf("attempt %d at another phone from one address: %v", i+1, err)
			}
		}
	})
}

// TestTwoReplicasShareOneLoginLimit: behind a load balancer, a guesser
// whose requests land on two replicas is counted once (Redis).
func TestTwoReplicasShareOneLoginLimit(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		f.account(f.user("持有人", holderPhone), account.RoleORDINARY, account.StatusACTIVE)
		prefix := redistest.Prefix(t)
		replicas := []*auth.Service{
			auth.New(db.Client, f.box, auth.Config{Now: f.clock.Now, Limits: redistest.Store(t, prefix)}),
			auth.New(db.Client, f.box, auth.Config{Now: f.clock.Now, Limits: redistest.Store(t, prefix)}),
		}
		for i := range auth.DefaultLoginLimits.PairFailures {
			_, err := replicas[i%2].Login(f.ctx, holderPhone, wrongPassword, strangerAddr, 0)
			if mashang.ErrorCode(err) != mashang.EUNAUTHENTICATED {
				t.Fatalf("guess %d: %v", i+1, err)
			}
		}
		for i, r := range replicas {
			if _, err := r.Login(f.ctx, holderPhone, goodPassword, strangerAddr, 0); mashang.ErrorCode(err) != mashang.ERATELIMITED {
				t.Fatalf("replica %d let the guesser in after failures spread over both: %v", i, err)
			}
		}
		if _, err := replicas[1].Login(f.ctx, holderPhone, goodPassword, holderAddr, 0); err != nil {
			t.Fatalf("the holder is locked out: %v", err)
		}
	})
}

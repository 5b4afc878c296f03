package auth_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/auth"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/grant"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/validate"
)

// clock is a settable time source for Config.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now().UTC().Round(0).Truncate(time.Second)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is one service over one fresh database.
type fixture struct {
	t     *testing.T
	ctx   context.Context
	db    *database.DB
	box   *pii.Box
	clock *clock
	svc   *auth.Service
}

func newFixture(t *testing.T, db *database.DB) *fixture {
	t.Helper()
	box, err := pii.NewBox(pii.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	c := newClock()
	return &fixture{
		t: t, ctx: context.Background(), db: db, box: box, clock: c,
		svc: auth.New(db.Client, box, auth.Config{Now: c.Now}),
	}
}

const goodPassword = "correct horse battery"

// user creates a user with goodPassword.
func (f *fixture) user(name, phone string) *ent.User {
	f.t.Helper()
	u, created, err := f.svc.CreateUser(f.ctx, f.db.Client, name, phone, "", goodPassword)
	if err != nil || !created {
		f.t.Fatalf("create user %s: created=%v err=%v", name, created, err)
	}
	return u
}

// account creates an account held by u.
func (f *fixture) account(u *ent.User, role account.Role, status account.Status) *ent.Account {
	f.t.Helper()
	var nonce [8]byte
	_, _ = rand.Read(nonce[:])
	a, err := f.db.Client.Account.Create().
		SetRole(role).SetStatus(status).
		SetScopePath("/22/2201/").
		SetAccountPath("/pending-" + hex.EncodeToString(nonce[:]) + "/").
		SetHolderID(u.ID).
		Save(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	a, err = a.Update().SetAccountPath(auth.AccountPath("/", a.ID)).Save(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

// grant gives acc a grant of kind expiring at expires.
func (f *fixture) grant(acc *ent.Account, kind grant.Kind, expires time.Time, revoked bool) {
	f.t.Helper()
	c := f.db.Client.Grant.Create().SetKind(kind).SetExpiresAt(expires).SetReason("test").
		SetAccountID(acc.ID).SetGrantedByID(acc.ID)
	if revoked {
		c.SetRevokedAt(f.clock.Now())
	}
	if err := c.Exec(f.ctx); err != nil {
		f.t.Fatal(err)
	}
}

// login logs in with goodPassword from a fixed address and fails the test on error.
func (f *fixture) login(phone string, accountID int) *auth.Tokens {
	f.t.Helper()
	tok, err := f.svc.Login(f.ctx, phone, goodPassword, "192.0.2.1:40000", accountID)
	if err != nil {
		f.t.Fatalf("login: %v", err)
	}
	return tok
}

// wantCode fails the test unless err carries the code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	if got := mashang.ErrorCode(err); got != code {
		t.Fatalf("got error %s (%v), want %s", got, err, code)
	}
}

// residentID returns a valid resident ID number from 17 digits.
func residentID(t *testing.T, first17 string) string {
	t.Helper()
	c, err := validate.ResidentIDCheckDigit(first17)
	if err != nil {
		t.Fatal(err)
	}
	return first17 + string(c)
}

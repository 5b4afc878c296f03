package alerts_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/tree"
)

// The jurisdiction slice the tests work in.
const (
	province  = "/22/"
	city      = "/22/2201/"
	district  = "/22/2201/220104/"
	street    = "/22/2201/220104/220104001/"
	communA   = "/22/2201/220104/220104001/220104001001/"
	communB   = "/22/2201/220104/220104001/220104001002/"
	siteA     = communA + "s12/"
	siteB     = communB + "s34/"
	otherCity = "/22/2202/"
)

// now is the service's clock in the tests: nanoseconds that must be cut to
// microseconds.
var now = time.Date(2026, 3, 1, 8, 30, 0, 123456789, time.UTC)

var seq atomic.Int64

// fixture is a migrated database with the accounts of the permission
// matrix and a service on a memory broker.
type fixture struct {
	t      *testing.T
	ctx    context.Context
	db     *database.DB
	svc    *alerts.Service
	broker alerts.Broker

	initiator, senior, seniorOther            *ent.Account
	official, officialHealth, officialEdu     *ent.Account
	intermediate, ordinary                    *ent.Account
	gridA, gridA2, gridB, gridDisabled, notGW *ent.Account
}

func newFixture(t *testing.T, db *database.DB) *fixture {
	t.Helper()
	f := &fixture{t: t, ctx: context.Background(), db: db, broker: alerts.NewMemoryBroker()}
	t.Cleanup(func() { f.broker.Close() })
	f.svc = &alerts.Service{Client: db.Client, Broker: f.broker, Enforcer: authz.MustEnforcer(), Now: func() time.Time { return now }}
	health, edu := scenario.SectorHealth, scenario.SectorEducation
	f.initiator = f.account(account.RoleINITIATOR, "/", nil, true)
	f.senior = f.account(account.RoleSENIOR, district, nil, true)
	f.seniorOther = f.account(account.RoleSENIOR, otherCity, nil, true)
	f.official = f.account(account.RoleOFFICIAL, city, nil, true)
	f.officialHealth = f.account(account.RoleOFFICIAL, city, &health, true)
	f.officialEdu = f.account(account.RoleOFFICIAL, city, &edu, true)
	f.intermediate = f.account(account.RoleINTERMEDIATE, siteA, nil, true)
	f.ordinary = f.account(account.RoleORDINARY, siteA, nil, true)
	f.gridA = f.account(account.RoleGRID_WORKER, communA, nil, true)
	f.gridA2 = f.account(account.RoleGRID_WORKER, communA, nil, true)
	f.gridB = f.account(account.RoleGRID_WORKER, communB, nil, true)
	f.gridDisabled = f.account(account.RoleGRID_WORKER, communA, nil, false)
	f.notGW = f.account(account.RoleINTERMEDIATE, communA, nil, true)
	return f
}

// account creates a user holding one account.
func (f *fixture) account(role account.Role, scope string, sector *scenario.Sector, active bool) *ent.Account {
	f.t.Helper()
	n := seq.Add(1)
	u, err := f.db.Client.User.Create().SetName(fmt.Sprintf("用户%d", n)).
		SetPhoneSealed([]byte{1, 2, 3}).SetPhoneHash(fmt.Sprintf("phone-hash-%d", n)).
		SetPhoneMasked("138****0000").SetPasswordHash("x").Save(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	c := f.db.Client.Account.Create().SetRole(role).SetScopePath(scope).
		SetAccountPath(fmt.Sprintf("/a%d/", n)).SetHolderID(u.ID).SetNillableSector(sector)
	if !active {
		c.SetStatus(account.StatusDISABLED)
	}
	a, err := c.Save(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

// region creates the region of path (its code is the path's last key).
func (f *fixture) region(path string) *ent.Region {
	f.t.Helper()
	keys := tree.Keys(path)
	code := "x"
	if len(keys) > 0 {
		code = keys[len(keys)-1]
	}
	levels := map[int]region.Level{2: region.LevelPROVINCE, 4: region.LevelCITY, 6: region.LevelDISTRICT, 9: region.LevelSTREET, 12: region.LevelCOMMUNITY}
	level, ok := levels[len(code)]
	if !ok {
		level = region.LevelCOMMUNITY
	}
	r, err := f.db.Client.Region.Create().SetCode(code).SetName("区域" + code).SetLevel(level).SetPath(path).Save(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

func viewerOf(a *ent.Account) *mashang.Viewer {
	v := &mashang.Viewer{AccountID: a.ID, Role: a.Role.String(), ScopePath: a.ScopePath, AccountPath: a.AccountPath}
	if a.Sector != nil {
		v.Sector = string(*a.Sector)
	}
	return v
}

// raise raises one alert in its own transaction and returns it.
func (f *fixture) raise(r alerts.Raise) *ent.Alert {
	f.t.Helper()
	tx, err := f.db.Client.Tx(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	created, _, err := f.svc.RaiseMany(f.ctx, tx.Client(), []alerts.Raise{r})
	if err != nil {
		tx.Rollback()
		f.t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		f.t.Fatal(err)
	}
	return created[0]
}

func scanRaise(scope string, sector *scenario.Sector) alerts.Raise {
	t := 38.2
	return alerts.Raise{Kind: alerts.KindScan, ScopePath: scope, Place: "朝阳区人民医院", Sector: sector,
		NameMasked: "张*", IDNumberMasked: "220104********1234", Reasons: []string{"FEVER"}, Temperature: &t}
}

func ptr[T any](v T) *T { return &v }

// wantCode fails unless err is an *mashang.Error of code (and of field,
// when field is not "").
func wantCode(t *testing.T, err error, code, field string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	var e *mashang.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v (%T), want a %s error", err, err, code)
	}
	if e.Code != code {
		t.Fatalf("got code %s (%q), want %s", e.Code, e.Message, code)
	}
	if field != "" && e.Field != field {
		t.Fatalf("got field %q (%q), want %q", e.Field, e.Message, field)
	}
	if e.Message == "" {
		t.Fatal("error without a message")
	}
}

// receive waits for the next message on ch.
func receive(t *testing.T, ch <-chan alerts.Message) alerts.Message {
	t.Helper()
	select {
	case m, ok := <-ch:
		if !ok {
			t.Fatal("subscription closed")
		}
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no message within 10s")
	}
	return alerts.Message{}
}

// empty fails if a message is waiting on ch. Publishing is synchronous in
// the memory broker, so "nothing yet" is decided at once, without waiting.
func empty(t *testing.T, ch <-chan alerts.Message) {
	t.Helper()
	select {
	case m := <-ch:
		t.Fatalf("unexpected message %+v", m)
	default:
	}
}

package accounts_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/auth"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/outboxmessage"
	"github.com/mashang/mashang/ent/session"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/sites"
	"github.com/mashang/mashang/validate"
)

// tick is a clock that advances 1 ms on every reading, so every status
// change gets its own time (and SMS key).
type tick struct {
	mu sync.Mutex
	t  time.Time
}

func (c *tick) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

// fixture is a province with two cities and two account branches:
//
//	INI (INITIATOR, /)
//	├── SEN_A (SENIOR, 南关区 220102, unit A)
//	│   ├── INT_A (INTERMEDIATE, site A)
//	│   │   └── ORD_A (ORDINARY, site A)
//	│   └── ORD_A2 (ORDINARY, site A)
//	├── SEN_B (SENIOR, 昌邑区 220202, unit B)
//	│   └── INT_B (INTERMEDIATE, site B)
//	│       └── ORD_B (ORDINARY, site B)
//	├── OFF (OFFICIAL, 长春市 2201)
//	└── GRID (GRID_WORKER, 南关区 220102)
type fixture struct {
	t      *testing.T
	ctx    context.Context // unfiltered, for set-up and inspection
	db     *database.DB
	box    *pii.Box
	auth   *auth.Service
	svc    *accounts.Service
	tree   *apitest.Tree
	siteA  *ent.Site
	siteA2 *ent.Site
	siteB  *ent.Site
	unitA  *ent.Unit
	unitB  *ent.Unit
	acct   map[string]*ent.Account
	phones int
}

func newFixture(t *testing.T, db *database.DB) *fixture {
	t.Helper()
	authz.Install(db.Client)
	box, err := pii.NewBox(pii.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	clock := &tick{t: time.Date(2021, 3, 1, 8, 0, 0, 0, time.UTC)}
	f := &fixture{
		t: t, ctx: context.Background(), db: db, box: box,
		auth: auth.New(db.Client, box, auth.Config{Now: clock.Now}),
		acct: map[string]*ent.Account{},
	}
	f.svc = &accounts.Service{Client: db.Client, Enforcer: authz.MustEnforcer(), Identity: f.auth, Box: box, Now: clock.Now}

	f.tree = apitest.NewTree(t, db.Client)
	f.tree.Add("", "22", "吉林省")
	f.tree.Add("22", "2201", "长春市")
	f.tree.Add("2201", "220102", "南关区")
	f.tree.Add("2201", "220104", "朝阳区")
	f.tree.Add("22", "2202", "吉林市")
	f.tree.Add("2202", "220202", "昌邑区")
	f.siteA = f.site("南关区政务大厅", "220102")
	f.siteA2 = f.site("南关区图书馆", "220102")
	f.siteB = f.site("昌邑区政务大厅", "220202")
	f.unitA = f.unit("南关区政务服务局", "220102", 1)
	f.unitB = f.unit("昌邑区政务服务局", "220202", 2)

	ini := f.account("INI", account.RoleINITIATOR, nil, nil, nil, nil)
	f.account("SEN_A", account.RoleSENIOR, ini, f.tree.ByCode["220102"], nil, f.unitA)
	f.account("INT_A", account.RoleINTERMEDIATE, f.acct["SEN_A"], nil, f.siteA, f.unitA)
	f.account("ORD_A", account.RoleORDINARY, f.acct["INT_A"], nil, f.siteA, f.unitA)
	f.account("ORD_A2", account.RoleORDINARY, f.acct["SEN_A"], nil, f.siteA, f.unitA)
	f.account("SEN_B", account.RoleSENIOR, ini, f.tree.ByCode["220202"], nil, f.unitB)
	f.account("INT_B", account.RoleINTERMEDIATE, f.acct["SEN_B"], nil, f.siteB, f.unitB)
	f.account("ORD_B", account.RoleORDINARY, f.acct["INT_B"], nil, f.siteB, f.unitB)
	f.account("OFF", account.RoleOFFICIAL, ini, f.tree.ByCode["2201"], nil, nil)
	f.account("GRID", account.RoleGRID_WORKER, ini, f.tree.ByCode["220102"], nil, nil)
	return f
}

func (f *fixture) site(name, regionCode string) *ent.Site {
	f.t.Helper()
	s, err := sites.Create(f.ctx, f.db.Client, nil, sites.Input{Name: name, Category: scenario.GovernmentAgency, Built: true, Enabled: true, RegionID: f.tree.ByCode[regionCode].ID})
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// uscc returns a valid unified social credit code numbered n.
func uscc(n int) string {
	first := fmt.Sprintf("1122010%010d", n)
	c, err := validate.USCCCheckChar(first)
	if err != nil {
		panic(err)
	}
	return first + string(c)
}

// residentID returns a valid resident ID number numbered n.
func residentID(n int) string {
	first := fmt.Sprintf("22010219800101%03d", n%1000)
	c, err := validate.ResidentIDCheckDigit(first)
	if err != nil {
		panic(err)
	}
	return first + string(c)
}

func (f *fixture) unit(name, regionCode string, n int) *ent.Unit {
	f.t.Helper()
	r := f.tree.ByCode[regionCode]
	u, err := f.db.Client.Unit.Create().SetName(name).SetUscc(uscc(n)).SetRegionID(r.ID).SetRegionPath(r.Path).Save(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

// phone returns a fresh valid mobile number.
func (f *fixture) phone() string {
	f.phones++
	return fmt.Sprintf("1390000%04d", f.phones)
}

// user inserts a user directly (no password hashing: these users never log in).
func (f *fixture) user(name string) *ent.User {
	f.t.Helper()
	p := f.phone()
	u, err := f.db.Client.User.Create().SetName(name).
		SetPhoneSealed(f.box.Seal(pii.FieldPhone, p)).SetPhoneHash(f.box.Hash(pii.FieldPhone, p)).
		SetPhoneMasked(pii.MaskPhone(p)).SetPasswordHash("!").Save(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

// phoneOf opens a user's phone.
func (f *fixture) phoneOf(u *ent.User) string {
	f.t.Helper()
	p, err := f.box.Open(pii.FieldPhone, u.PhoneSealed)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

// account inserts an account held by a new user, directly through ent.
func (f *fixture) account(name string, role account.Role, superior *ent.Account, r *ent.Region, s *ent.Site, u *ent.Unit) *ent.Account {
	f.t.Helper()
	holder := f.user(name + " holder")
	create := f.db.Client.Account.Create().SetRole(role).SetHolderID(holder.ID).
		SetAccountPath("/pending-" + name + "/").SetLastActiveAt(time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC))
	parentPath := "/"
	switch {
	case s != nil:
		create.SetScopeSiteID(s.ID).SetScopePath(s.Path)
	case r != nil:
		create.SetScopeRegionID(r.ID).SetScopePath(r.Path)
	default:
		create.SetScopePath("/")
	}
	if superior != nil {
		create.SetSuperiorID(superior.ID)
		parentPath = superior.AccountPath
	}
	if u != nil {
		create.SetUnitID(u.ID)
	}
	a, err := create.Save(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	a, err = a.Update().SetAccountPath(accounts.AccountPath(parentPath, a.ID)).Save(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	f.acct[name] = a
	return a
}

// get re-reads an account, unfiltered.
func (f *fixture) get(name string) *ent.Account {
	f.t.Helper()
	a, err := f.db.Client.Account.Get(f.ctx, f.acct[name].ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

// viewer is how auth would load the account.
func viewer(a *ent.Account) *mashang.Viewer {
	v := &mashang.Viewer{UserID: a.HolderID, AccountID: a.ID, Role: string(a.Role), ScopePath: a.ScopePath, AccountPath: a.AccountPath}
	if a.UnitID != nil {
		v.UnitID = *a.UnitID
	}
	return v
}

// as returns an API request context acting as the named account: the scope
// filter applies to every query, exactly as in the API.
func (f *fixture) as(name string) context.Context {
	return asAccount(f.get(name))
}

func asAccount(a *ent.Account) context.Context {
	return authz.WithRequest(mashang.NewContextWithViewer(context.Background(), viewer(a)))
}

// accept is the holder's consent to an account that waits for it (issue
// 10 §2): every account a SENIOR or INTERMEDIATE opens or hands over does.
func (f *fixture) accept(a *ent.Account) *ent.Account {
	f.t.Helper()
	got, err := f.svc.AcceptBinding(asAccount(a), a.ID)
	if err != nil {
		f.t.Fatalf("accepting account %d: %v", a.ID, err)
	}
	return got
}

// disable sets an account DISABLED directly (set-up).
func (f *fixture) disable(c *ent.Client, name string, reason account.DisabledReason) {
	f.t.Helper()
	if err := c.Account.UpdateOneID(f.acct[name].ID).SetStatus(account.StatusDISABLED).
		SetDisabledReason(reason).SetDisabledAt(time.Now()).Exec(f.ctx); err != nil {
		f.t.Fatal(err)
	}
}

// snapshot is everything a refused call must leave as it was.
type snapshot struct {
	users, applications, units, requests, outbox, sessionsRevoked int
	accounts                                                      string
}

func takeSnapshot(t *testing.T, c *ent.Client) snapshot {
	t.Helper()
	ctx := context.Background()
	var s snapshot
	var err error
	count := func(n int, e error) int {
		if e != nil && err == nil {
			err = e
		}
		return n
	}
	s.users = count(c.User.Query().Count(ctx))
	s.applications = count(c.Application.Query().Count(ctx))
	s.units = count(c.Unit.Query().Count(ctx))
	s.requests = count(c.ReactivationRequest.Query().Count(ctx))
	s.outbox = count(c.OutboxMessage.Query().Count(ctx))
	s.sessionsRevoked = count(c.Session.Query().Where(session.RevokedAtNotNil()).Count(ctx))
	accts, e := c.Account.Query().Order(ent.Asc(account.FieldID)).All(ctx)
	if e != nil {
		t.Fatal(e)
	}
	var b strings.Builder
	for _, a := range accts {
		fmt.Fprintf(&b, "%d %s %s %d %v %v %v %v %s|", a.ID, a.Role, a.Status, a.HolderID, deref(a.DisabledReason), derefInt(a.CascadeRootID), derefInt(a.UnitID), a.UpdatedAt.UnixNano(), a.AccountPath)
	}
	apps, e := c.Application.Query().Order(ent.Asc("id")).All(ctx)
	if e != nil {
		t.Fatal(e)
	}
	for _, a := range apps {
		fmt.Fprintf(&b, "app %d %s|", a.ID, a.Status)
	}
	s.accounts = b.String()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func derefInt(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// outboxTo lists the SMS bodies enqueued to a phone, in key order.
func outboxTo(t *testing.T, c *ent.Client, box *pii.Box, phone string) []string {
	t.Helper()
	msgs, err := c.OutboxMessage.Query().Order(ent.Asc(outboxmessage.FieldID)).All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		p, err := box.Open(pii.FieldPhone, m.RecipientSealed)
		if err != nil {
			t.Fatal(err)
		}
		if p == phone {
			out = append(out, m.Body)
		}
	}
	return out
}

// code is the error code of err, "" for nil.
func code(err error) string {
	if err == nil {
		return ""
	}
	return mashang.ErrorCode(err)
}

// wantCode fails unless err has the code ("" = no error).
func wantCode(t *testing.T, err error, want string) {
	t.Helper()
	if got := code(err); got != want {
		t.Fatalf("error code = %q (%v), want %q", got, err, want)
	}
}

// wantField fails unless err is INVALID_INPUT naming field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	wantCode(t, err, mashang.EINVALID)
	if got := fieldOf(err); got != field {
		t.Fatalf("error %v names field %q, want %q", err, got, field)
	}
}

func fieldOf(err error) string {
	var e *mashang.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

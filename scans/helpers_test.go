package scans_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/door"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	entalert "github.com/mashang/mashang/ent/alert"
	"github.com/mashang/mashang/ent/colourchange"
	"github.com/mashang/mashang/ent/scan"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/persons"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/scans"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/sites"
	"github.com/mashang/mashang/stats"
	"github.com/mashang/mashang/stats/statstest"
	"github.com/mashang/mashang/token"
	"github.com/mashang/mashang/validate"
)

var t0 = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// The park's registered location.
const parkLat, parkLng = 43.86, 125.31

// metresPerDegree is one degree of latitude on the sphere door.DistanceMetres uses.
const metresPerDegree = door.EarthRadiusMetres * 3.141592653589793 / 180

// clock is a settable Now, safe for the concurrent tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// scanner is a scanner account with its holder.
type scanner struct {
	acct   *ent.Account
	user   *ent.User
	person *ent.Person // the holder's own health code; nil when not registered
	idNo   string
	v      *mashang.Viewer
}

// fixture is 吉林省/长春市/朝阳区/前进街道/前进社区 with a geofenced park (and
// an entrance and a closed gate under it), a bus in 朝阳区 and a hall in
// 南关区, the services wired as app.NewServices wires them, and an
// ORDINARY scanner at the park whose own code is green.
type fixture struct {
	t       *testing.T
	ctx     context.Context // unfiltered, for set-up and inspection
	db      *database.DB
	box     *pii.Box
	clock   *clock
	signer  *token.Signer
	svc     *scans.Service
	persons *persons.Service
	alerts  *alerts.Service
	tree    *apitest.Tree

	community          *ent.Region
	park, gate, closed *ent.Site
	bus, hall          *ent.Site
	ini                *ent.Account
	main               *scanner
	seq                int
}

// newFixture wires the services like app.NewServices (the same fields and
// hooks that matter for scans), without importing app: app pulls in the
// GraphQL layer, which is not what is under test here.
func newFixture(t *testing.T, db *database.DB) *fixture {
	t.Helper()
	authz.Install(db.Client)
	box, err := pii.NewBox(pii.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: t0}
	key := token.GenerateKey()
	key.ID = 7
	signer := &token.Signer{Issuer: "22", Current: key}
	enf := authz.MustEnforcer()
	rollups := &stats.Rollups{Dialect: db.Dialect}
	people := &persons.Service{Client: db.Client, Box: box, Now: clk.Now, Dialect: db.Dialect, Rollups: rollups}
	acc := &accounts.Service{Client: db.Client, Enforcer: enf, Box: box, Now: clk.Now, Rollups: rollups}
	broker := alerts.NewMemoryBroker()
	t.Cleanup(func() { broker.Close() })
	al := &alerts.Service{Client: db.Client, Broker: broker, Enforcer: enf, Now: clk.Now, Rollups: rollups}
	svc := &scans.Service{Client: db.Client, Dialect: db.Dialect, Enforcer: enf, Persons: people, Box: box,
		Trust: token.NewTrustList(signer), Issuer: signer.Issuer, Alerts: al, Accounts: acc, Now: clk.Now, Rollups: rollups}
	// Issue 12: every scenario ends with the statistics rollups equal to a
	// recount of the raw rows (mashang stats verify) — those of the writes
	// it makes through the services; the fixture's tree, sites and
	// accounts are written directly and not counted.
	t.Cleanup(func() {
		statstest.MustVerify(t, db.Client, "scans", "registrations", "alerts", "colour changes", "control-list changes")
	})

	f := &fixture{t: t, ctx: context.Background(), db: db, box: box, clock: clk, signer: signer,
		svc: svc, persons: people, alerts: al, tree: apitest.NewTree(t, db.Client)}
	f.tree.Add("", "22", "吉林省")
	f.tree.Add("22", "2201", "长春市")
	f.tree.Add("2201", "220102", "南关区")
	f.tree.Add("2201", "220104", "朝阳区")
	f.tree.Add("220104", "220104001", "前进街道")
	f.community = f.tree.Add("220104001", "220104001001", "前进社区")

	lat, lng := parkLat, parkLng
	f.park = f.site(sites.Input{Name: "南湖公园", Category: scenario.Park, Built: true, Enabled: true,
		Latitude: &lat, Longitude: &lng, RegionID: f.community.ID})
	f.gate = f.site(sites.Input{Name: "南湖公园东门", Category: scenario.Park, Built: true, Enabled: true, ParentSiteID: f.park.ID})
	f.closed = f.site(sites.Input{Name: "南湖公园西门", Category: scenario.Park, Built: true, Enabled: false, ParentSiteID: f.park.ID})
	f.bus = f.site(sites.Input{Name: "62路公交车", Category: scenario.Bus, Built: true, Enabled: true, RegionID: f.tree.ByCode["220104"].ID})
	// A bus with a registered location and a radius, which sites.Create
	// refuses for vehicles: only the vehicle rule may spare it the geofence.
	f.bus, err = db.Client.Site.UpdateOneID(f.bus.ID).SetLatitude(parkLat).SetLongitude(parkLng).SetGeofenceRadius(200).Save(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	f.hall = f.site(sites.Input{Name: "南关区政务大厅", Category: scenario.GovernmentAgency, Built: true, Enabled: true, RegionID: f.tree.ByCode["220102"].ID})

	iniUser := f.user("发起扫码员", "")
	f.ini = f.account(account.RoleINITIATOR, iniUser, nil, "/", 0, 0)
	f.main = f.scanner("普通扫码员", account.RoleORDINARY, f.park, true)
	return f
}

func (f *fixture) site(in sites.Input) *ent.Site {
	f.t.Helper()
	s, err := sites.Create(f.ctx, f.db.Client, nil, in)
	if err != nil {
		f.t.Fatalf("create site %s: %v", in.Name, err)
	}
	return s
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

// wrongCheck replaces the check digit of a resident ID by a wrong one.
func wrongCheck(id string) string {
	bad := byte('0')
	if id[17] == '0' {
		bad = '1'
	}
	return id[:17] + string(bad)
}

func (f *fixture) next() int {
	f.seq++
	return f.seq
}

// user inserts a user directly; idNo "" means none on record.
func (f *fixture) user(name, idNo string) *ent.User {
	f.t.Helper()
	phone := fmt.Sprintf("1390000%04d", f.next())
	create := f.db.Client.User.Create().SetName(name).
		SetPhoneSealed(f.box.Seal(pii.FieldPhone, phone)).SetPhoneHash(f.box.Hash(pii.FieldPhone, phone)).
		SetPhoneMasked(pii.MaskPhone(phone)).SetPasswordHash("!")
	if idNo != "" {
		create.SetIDNumberSealed(f.box.Seal(pii.FieldIDNumber, idNo)).
			SetIDNumberHash(f.box.Hash(pii.FieldIDNumber, idNo)).SetIDNumberMasked(pii.MaskID(idNo))
	}
	u, err := create.Save(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

// account inserts an account directly, as accounts' own tests do.
func (f *fixture) account(role account.Role, holder *ent.User, superior *ent.Account, scopePath string, siteID, regionID int) *ent.Account {
	f.t.Helper()
	create := f.db.Client.Account.Create().SetRole(role).SetHolderID(holder.ID).
		SetAccountPath(fmt.Sprintf("/pending-%d/", f.next())).SetScopePath(scopePath).SetLastActiveAt(t0)
	if siteID != 0 {
		create.SetScopeSiteID(siteID)
	}
	if regionID != 0 {
		create.SetScopeRegionID(regionID)
	}
	parent := "/"
	if superior != nil {
		create.SetSuperiorID(superior.ID)
		parent = superior.AccountPath
	}
	a, err := create.Save(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	a, err = a.Update().SetAccountPath(accounts.AccountPath(parent, a.ID)).Save(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

// scanner creates a scanner account at site whose holder has an ID number
// on record; withCode registers the holder's own health code (GREEN).
func (f *fixture) scanner(name string, role account.Role, at *ent.Site, withCode bool) *scanner {
	f.t.Helper()
	idNo := residentID(500 + f.next())
	u := f.user(name, idNo)
	a := f.account(role, u, f.ini, at.Path, at.ID, 0)
	s := &scanner{acct: a, user: u, idNo: idNo,
		v: &mashang.Viewer{UserID: u.ID, AccountID: a.ID, Role: string(a.Role), ScopePath: a.ScopePath, AccountPath: a.AccountPath}}
	if withCode {
		s.person = f.registerID(name, idNo)
	}
	return s
}

// register registers a new resident of the community (GREEN).
func (f *fixture) register(name string) *ent.Person {
	f.t.Helper()
	return f.registerID(name, residentID(f.next()))
}

func (f *fixture) registerID(name, idNo string) *ent.Person {
	f.t.Helper()
	p, err := f.persons.Register(f.ctx, persons.RegisterInput{Name: name, IDType: "RESIDENT_ID", IDNumber: idNo, ResidenceRegionID: f.community.ID})
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

func (f *fixture) setRisk(p *ent.Person, risk string) *ent.Person {
	f.t.Helper()
	p, err := f.persons.SetRiskFor(f.ctx, p.ID, risk, nil, f.ini.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

// personToken is a person's code signed by this province (10 minutes).
func (f *fixture) personToken(p *ent.Person, c token.Colour) string {
	f.t.Helper()
	return issue(f.t, f.signer, token.KindPerson, uint64(p.ID), c, 10*time.Minute, f.clock.Now())
}

// siteToken is a site's code signed by this province (a day).
func (f *fixture) siteToken(s *ent.Site) string {
	f.t.Helper()
	return issue(f.t, f.signer, token.KindSite, uint64(s.ID), token.ColourNone, 24*time.Hour, f.clock.Now())
}

func issue(t *testing.T, s *token.Signer, kind token.Kind, subject uint64, c token.Colour, ttl time.Duration, now time.Time) string {
	t.Helper()
	tok, _, err := s.Issue(kind, subject, c, ttl, now)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// forge flips one bit of the token's signature.
func forge(t *testing.T, tok string) string {
	t.Helper()
	enc := base64.RawURLEncoding
	raw, err := enc.DecodeString(strings.TrimPrefix(tok, token.Prefix))
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)-token.SignatureLen/2] ^= 0x01
	return token.Prefix + enc.EncodeToString(raw)
}

// near is a device location at the park (within its geofence).
func near() (*float64, *float64) { return offset(0) }

// offset is a device location metres north of the park.
func offset(metres float64) (*float64, *float64) {
	lat, lng := parkLat+metres/metresPerDegree, parkLng
	return &lat, &lng
}

// scanCode is a SCAN_CODE item at the park, made at the park.
func scanCode(clientID string, siteID int, tok string, celsius float64) scans.Item {
	lat, lng := near()
	return scans.Item{ClientID: clientID, SiteID: siteID, Method: door.MethodScanCode, Token: tok,
		Temperature: celsius, DeviceLat: lat, DeviceLng: lng}
}

func showCode(clientID string, siteID int, colour string, celsius float64) scans.Item {
	lat, lng := near()
	return scans.Item{ClientID: clientID, SiteID: siteID, Method: door.MethodShowCode, Colour: colour,
		Temperature: celsius, DeviceLat: lat, DeviceLng: lng}
}

// shownWith is a SHOW_CODE item with the identity the door typed in (a
// passport no one registered here holds).
func shownWith(clientID string, siteID int, colour string, celsius float64, passport string) scans.Item {
	it := showCode(clientID, siteID, colour, celsius)
	it.Manual = &scans.ManualPerson{Name: "访客", IDType: "PASSPORT", IDNumber: passport}
	return it
}

func manual(clientID string, siteID int, m scans.ManualPerson, celsius float64) scans.Item {
	lat, lng := near()
	return scans.Item{ClientID: clientID, SiteID: siteID, Method: door.MethodManual, Manual: &m,
		Temperature: celsius, DeviceLat: lat, DeviceLng: lng}
}

// requestContext is how the API calls the service: the viewer in the
// context and the scope filter on.
func requestContext(v *mashang.Viewer) context.Context {
	return authz.WithRequest(mashang.NewContextWithViewer(context.Background(), v))
}

// record records a batch as v and checks the shape of the results.
func (f *fixture) record(t *testing.T, v *mashang.Viewer, items ...scans.Item) []scans.Result {
	t.Helper()
	res, err := f.svc.Record(requestContext(v), v, items)
	if err != nil {
		t.Fatalf("Record: %v", err)
	}
	checkResults(t, items, res)
	return res
}

func checkResults(t *testing.T, items []scans.Item, res []scans.Result) {
	t.Helper()
	if len(res) != len(items) {
		t.Fatalf("%d results for %d items", len(res), len(items))
	}
	for i, r := range res {
		if r.Index != i || r.ClientID != items[i].ClientID {
			t.Fatalf("result %d is index %d, client id %q; want %d, %q", i, r.Index, r.ClientID, i, items[i].ClientID)
		}
		if (r.Err == nil) == (r.Scan == nil) {
			t.Fatalf("result %d: scan %v and error %v; want exactly one", i, r.Scan, r.Err)
		}
		if r.Err != nil && r.Replayed {
			t.Fatalf("result %d: refused (%v) yet replayed", i, r.Err)
		}
	}
}

// stored fails unless r is a newly stored scan, and returns it.
func stored(t *testing.T, r scans.Result) *ent.Scan {
	t.Helper()
	if r.Err != nil {
		t.Fatalf("item %d (%s) refused: %v", r.Index, r.ClientID, r.Err)
	}
	if r.Replayed {
		t.Fatalf("item %d (%s) replayed, want newly stored", r.Index, r.ClientID)
	}
	return r.Scan
}

// refused fails unless r was refused with code (and field, when given).
func refused(t *testing.T, r scans.Result, code, field string) {
	t.Helper()
	if r.Err == nil {
		t.Fatalf("item %d (%s) stored as scan %d, want refused %s", r.Index, r.ClientID, r.Scan.ID, code)
	}
	wantErr(t, r.Err, code, field)
}

func wantErr(t *testing.T, err error, code, field string) {
	t.Helper()
	var e *mashang.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T), want *mashang.Error %s", err, err, code)
	}
	if e.Code != code || (field != "" && e.Field != field) {
		t.Fatalf("error %s/%s %q, want %s/%s", e.Code, e.Field, e.Message, code, field)
	}
	if e.Message == "" {
		t.Fatalf("error %s has no message", e.Code)
	}
}

// counts is the rows a scan may write.
type counts struct{ scans, alerts, colourChanges, persons, audit, outbox int }

func (f *fixture) counts() counts {
	f.t.Helper()
	var err error
	n := func(v int, e error) int {
		if e != nil && err == nil {
			err = e
		}
		return v
	}
	c := f.db.Client
	out := counts{
		scans:         n(c.Scan.Query().Count(f.ctx)),
		alerts:        n(c.Alert.Query().Count(f.ctx)),
		colourChanges: n(c.ColourChange.Query().Count(f.ctx)),
		persons:       n(c.Person.Query().Count(f.ctx)),
		audit:         n(c.AuditEvent.Query().Count(f.ctx)),
		outbox:        n(c.OutboxMessage.Query().Count(f.ctx)),
	}
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

func (f *fixture) scansOf(clientID string) []*ent.Scan {
	f.t.Helper()
	ss, err := f.db.Client.Scan.Query().Where(scan.ClientID(clientID)).All(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return ss
}

func (f *fixture) getPerson(id int) *ent.Person {
	f.t.Helper()
	p, err := f.db.Client.Person.Get(f.ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

func (f *fixture) getAccount(id int) *ent.Account {
	f.t.Helper()
	a, err := f.db.Client.Account.Get(f.ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

func (f *fixture) colourChanges(personID int) []*ent.ColourChange {
	f.t.Helper()
	ccs, err := f.db.Client.ColourChange.Query().Where(colourchange.PersonID(personID)).
		Order(ent.Asc(colourchange.FieldID)).All(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return ccs
}

func (f *fixture) alertsOf(scanID int) []*ent.Alert {
	f.t.Helper()
	as, err := f.db.Client.Alert.Query().Where(entalert.ScanID(scanID)).All(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return as
}

// drain returns the messages waiting on ch (the memory broker delivers
// while Publish runs, so they are there when Record returns).
func drain(ch <-chan alerts.Message) []alerts.Message {
	var out []alerts.Message
	for {
		select {
		case m, ok := <-ch:
			if !ok {
				return out
			}
			out = append(out, m)
		default:
			return out
		}
	}
}

func colourOf(s *ent.Scan) string {
	if s.Colour == nil {
		return ""
	}
	return s.Colour.String()
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

package app

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/codes"
	"github.com/mashang/mashang/door"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/alert"
	"github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/ent/scan"
	"github.com/mashang/mashang/ent/site"
	"github.com/mashang/mashang/persons"
	"github.com/mashang/mashang/scans"
	"github.com/mashang/mashang/stats"
	"github.com/mashang/mashang/token"
	"github.com/mashang/mashang/tree"
	"github.com/mashang/mashang/validate"
)

// demoHistoryDays is how far back the demo's statistics go (issue 12: "the
// demo shows non-trivial statistics for 朝阳区 and 宁国市 over the last 14
// days").
const demoHistoryDays = 14

// historyDistrict is one district of the demo history: where its residents
// live and where they are scanned.
type historyDistrict struct {
	name        string
	code        string // division code, also the first six digits of its residents' IDs
	region      *ent.Region
	communities []*ent.Region // where residents live (each with a grid worker)
	sites       []*ent.Site   // enabled sites with a position, of different categories
	scanners    []*ent.Account
	residents   []historyResident
	perDay      int // new registrations a day
}

type historyResident struct {
	id       int
	name, no string
}

// demoHistory is the state of seeding the history.
type demoHistory struct {
	ctx       context.Context
	db        *ent.Client
	svc       *Services
	initiator *mashang.Viewer
	rng       *rand.Rand
	clock     time.Time // what the services take for now while seeding
	seq       int       // made-up persons and phones so far

	registered, scanned, refused, fevers, denied int
	handled, unhandled                           int
	firstErr                                     error // of handling an alert, reported
}

// seedDemoHistory gives 朝阳区 and 宁国市 fourteen days of work, done through
// the services with their clock set back, so every scan keeps its real
// server_time in the past: residents registering every day, scanned at
// several sites each day by code, by shown code and by hand, some with a
// fever (YELLOW, denied, an alert), some quarantined (ORANGE, denied), and
// alerts assigned, visited and closed. It then rebuilds the rollups, which
// the back-dated writes did not go through live. The same run gives the
// same history (a fixed seed), shifted to the day it runs. It does nothing
// when the history is there already.
func SeedDemoHistory(ctx context.Context, db *ent.Client, svc *Services, initiator *ent.Account, out io.Writer) error {
	ctx = authz.AsSystem(ctx)
	if done, err := db.Scan.Query().Where(scan.ClientIDHasPrefix("hist-")).Exist(ctx); err != nil || done {
		return err
	}
	h := &demoHistory{ctx: ctx, db: db, svc: svc, initiator: viewerOf(initiator), rng: rand.New(rand.NewPCG(12, 20261205))}
	restore := h.takeClock()
	defer restore()
	districts := []*historyDistrict{
		{name: "朝阳区", code: "220104", perDay: 9},
		{name: "宁国市", code: NingguoDistrictCode, perDay: 12},
	}
	for _, d := range districts {
		if err := h.prepare(d); err != nil {
			return fmt.Errorf("demo history %s: %w", d.name, err)
		}
	}
	now := time.Now()
	for day := demoHistoryDays - 1; day >= 0; day-- {
		// Each day runs from 10 h before the hour it is now until that
		// hour, so even today's work is in the past.
		start := now.Add(-time.Duration(day)*24*time.Hour - 10*time.Hour)
		for _, d := range districts {
			if err := h.day(d, day, start); err != nil {
				return fmt.Errorf("demo history %s, %d days ago: %w", d.name, day, err)
			}
		}
	}
	worked := time.Now()
	if err := h.handleAlerts(now); err != nil {
		return err
	}
	handled := time.Now()
	restore()
	if _, err := stats.Rebuild(ctx, db, ""); err != nil {
		return fmt.Errorf("demo history: rebuild the statistics: %w", err)
	}
	fmt.Fprintf(out, "demo history: %d days in 朝阳区 and 宁国市: %d registrations, %d scans (%d with a fever, %d denied), %d alerts handled (%d left open); "+
		"seeded in %v, alerts handled in %v, statistics rebuilt in %v\n",
		demoHistoryDays, h.registered, h.scanned, h.fevers, h.denied, h.handled, h.unhandled,
		worked.Sub(now).Round(time.Millisecond), handled.Sub(worked).Round(time.Millisecond), time.Since(handled).Round(time.Millisecond))
	if h.firstErr != nil {
		fmt.Fprintf(out, "demo history: some alerts could not be handled, the first because: %v\n", h.firstErr)
	}
	return nil
}

// NingguoDistrictCode is 宁国市's division code (seed 003's county).
const NingguoDistrictCode = "341881"

// takeClock points the services' clocks at h.clock (and lifts the hourly
// limit on attested scans, which a day's worth of scans in minutes would
// hit) until the returned function restores them. The server does not
// serve yet: nothing else uses the services meanwhile.
func (h *demoHistory) takeClock() (restore func()) {
	p, a, s := h.svc.Persons.Now, h.svc.Alerts.Now, h.svc.Scans.Now
	limit := h.svc.Scans.AttestationsPerHour
	clock := func() time.Time { return h.clock }
	h.svc.Persons.Now, h.svc.Alerts.Now, h.svc.Scans.Now = clock, clock, clock
	h.svc.Scans.AttestationsPerHour = -1
	done := false
	return func() {
		if !done {
			h.svc.Persons.Now, h.svc.Alerts.Now, h.svc.Scans.Now = p, a, s
			h.svc.Scans.AttestationsPerHour = limit
			done = true
		}
	}
}

func viewerOf(a *ent.Account) *mashang.Viewer {
	return &mashang.Viewer{UserID: a.HolderID, AccountID: a.ID, Role: string(a.Role), ScopePath: a.ScopePath, AccountPath: a.AccountPath}
}

// prepare finds the district's communities and sites and opens a scanner
// account at each site and a grid worker in each community without one.
func (h *demoHistory) prepare(d *historyDistrict) error {
	var err error
	if d.region, err = h.db.Region.Query().Where(region.Code(d.code)).Only(h.ctx); err != nil {
		return err
	}
	lo, hi := tree.Bounds(d.region.Path)
	if d.communities, err = h.db.Region.Query().Where(region.LevelEQ(region.LevelCOMMUNITY), region.PathGTE(lo), region.PathLT(hi)).
		Order(ent.Asc(region.FieldPath)).Limit(3).All(h.ctx); err != nil || len(d.communities) == 0 {
		return fmt.Errorf("no community: %v", err)
	}
	all, err := h.db.Site.Query().Where(site.Enabled(true), site.LatitudeNotNil(), site.PathGTE(lo), site.PathLT(hi)).
		Order(ent.Asc(site.FieldPath)).All(h.ctx)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, s := range all {
		if !seen[string(s.Category)] && len(d.sites) < 4 {
			seen[string(s.Category)] = true
			d.sites = append(d.sites, s)
		}
	}
	if len(d.sites) == 0 {
		return fmt.Errorf("no enabled site with a position")
	}
	for _, s := range d.sites {
		acc, err := h.account(accounts.CreateInput{Role: mashang.RoleOrdinary, ScopeSiteID: s.ID}, d.code, s.Name+"扫码员")
		if err != nil {
			return fmt.Errorf("scanner at %s: %w", s.Name, err)
		}
		d.scanners = append(d.scanners, acc)
	}
	for _, c := range d.communities {
		has, err := h.db.Account.Query().Where(account.RoleEQ(account.RoleGRID_WORKER), account.ScopePath(c.Path)).Exist(h.ctx)
		if err != nil {
			return err
		}
		if !has {
			if _, err := h.account(accounts.CreateInput{Role: mashang.RoleGridWorker, ScopeRegionID: c.ID}, "", c.Name+"网格员"); err != nil {
				return fmt.Errorf("grid worker of %s: %w", c.Name, err)
			}
		}
	}
	return nil
}

// account opens an account as the province INITIATOR; a scanner's holder
// gets a resident ID of county (their own code is registered with it).
func (h *demoHistory) account(in accounts.CreateInput, county, name string) (*ent.Account, error) {
	h.seq++
	in.Holder = accounts.Holder{Name: name, Phone: fmt.Sprintf("1390010%04d", h.seq), Password: DemoInitiatorPassword}
	if county != "" {
		no, err := historyID(county, h.seq)
		if err != nil {
			return nil, err
		}
		in.Holder.IDNumber = no
	}
	return h.svc.Accounts.Create(mashang.NewContextWithViewer(h.ctx, h.initiator), in)
}

// historyID is the n-th made-up resident ID of a county, born 1950–2004,
// with a valid check digit.
func historyID(county string, n int) (string, error) {
	birth := time.Date(1950+n%55, time.Month(1+n%12), 1+n%28, 0, 0, 0, 0, time.UTC)
	first17 := fmt.Sprintf("%s%s%03d", county, birth.Format("20060102"), n%1000)
	d, err := validate.ResidentIDCheckDigit(first17)
	return first17 + string(d), err
}

var (
	historySurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗")
	historyGiven    = []string{"伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "桂兰", "建华", "志强", "海燕", "玉兰"}
)

// day registers the day's new residents of d, then records its scans at
// every site in two rounds (morning and afternoon), in time order.
func (h *demoHistory) day(d *historyDistrict, daysAgo int, start time.Time) error {
	n := d.perDay + h.rng.IntN(d.perDay) // 1–2 × perDay, a different figure each day
	for i := range n {
		h.clock = start.Add(time.Duration(i*90/n) * time.Minute)
		if err := h.register(d); err != nil {
			return err
		}
	}
	if daysAgo == 10 {
		if err := h.quarantine(d, start.Add(100*time.Minute)); err != nil {
			return err
		}
	}
	for round := range 2 {
		for i, s := range d.sites {
			h.clock = start.Add(time.Duration(120+round*300+i*20) * time.Minute)
			if err := h.scanRound(d, s, d.scanners[i], daysAgo, round); err != nil {
				return err
			}
		}
	}
	return nil
}

func (h *demoHistory) register(d *historyDistrict) error {
	h.seq++
	no, err := historyID(d.code, h.seq)
	if err != nil {
		return err
	}
	name := string(historySurnames[h.rng.IntN(len(historySurnames))]) + historyGiven[h.rng.IntN(len(historyGiven))]
	community := d.communities[h.rng.IntN(len(d.communities))]
	p, err := h.svc.Persons.Register(h.ctx, persons.RegisterInput{Name: name, IDType: "RESIDENT_ID", IDNumber: no,
		Phone: fmt.Sprintf("1370010%04d", h.seq), ResidenceRegionID: community.ID})
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	d.residents = append(d.residents, historyResident{id: p.ID, name: name, no: no})
	h.registered++
	return nil
}

// quarantine has the province put two residents under quarantine for a
// week: ORANGE, so their scans are denied meanwhile (seed 001 §4).
func (h *demoHistory) quarantine(d *historyDistrict, at time.Time) error {
	h.clock = at
	ends := at.AddDate(0, 0, 7)
	for _, r := range d.residents[:min(2, len(d.residents))] {
		if _, err := h.svc.Persons.SetRiskFor(h.ctx, r.id, "QUARANTINED", &ends, h.initiator.AccountID); err != nil {
			return fmt.Errorf("quarantine: %w", err)
		}
	}
	return nil
}

// scanRound records one round of scans at a site: a sample of the
// district's residents, most by their code, some by a shown code, a few by
// hand, about one in forty with a fever.
func (h *demoHistory) scanRound(d *historyDistrict, s *ent.Site, scanner *ent.Account, daysAgo, round int) error {
	if len(d.residents) == 0 {
		return nil
	}
	k := min(len(d.residents), 4+h.rng.IntN(8)+len(d.residents)/20)
	picked := h.rng.Perm(len(d.residents))[:k]
	ids := make([]int, k)
	for i, j := range picked {
		ids[i] = d.residents[j].id
	}
	colours, err := h.colours(ids)
	if err != nil {
		return err
	}
	lat, lng := *s.Latitude, *s.Longitude
	items := make([]scans.Item, 0, k+1)
	for i, j := range picked {
		r := d.residents[j]
		temp := 36.1 + float64(h.rng.IntN(9))/10
		if h.rng.IntN(60) == 0 {
			temp = 37.4 + float64(h.rng.IntN(12))/10
		}
		it, err := h.presented(r, colours[r.id])
		if err != nil {
			return err
		}
		it.ClientID = fmt.Sprintf("hist-%d-%d-%d-%d", daysAgo, round, s.ID, i)
		it.SiteID, it.Temperature, it.DeviceLat, it.DeviceLng = s.ID, temp, &lat, &lng
		items = append(items, it)
	}
	if h.rng.IntN(3) == 0 {
		// seed 001 §5: an elder without a smartphone, registered by hand.
		h.seq++
		no, err := historyID(d.code, h.seq)
		if err != nil {
			return err
		}
		items = append(items, scans.Item{ClientID: fmt.Sprintf("hist-%d-%d-%d-m", daysAgo, round, s.ID), SiteID: s.ID, Method: door.MethodManual,
			Manual:      &scans.ManualPerson{Name: "老人" + string(historySurnames[h.seq%len(historySurnames)]), IDType: "RESIDENT_ID", IDNumber: no},
			Temperature: 36.4, DeviceLat: &lat, DeviceLng: &lng})
	}
	res, err := h.svc.Scans.Record(h.ctx, viewerOf(scanner), items)
	if err != nil {
		return fmt.Errorf("scans at %s: %w", s.Name, err)
	}
	for _, x := range res {
		switch {
		case x.Err != nil:
			h.refused++
		case x.Scan != nil:
			h.scanned++
			if x.Scan.Fever {
				h.fevers++
			}
			if x.Scan.Decision == "DENY" {
				h.denied++
			}
		}
	}
	return nil
}

// presented is how a resident shows themselves at the door: mostly their
// code scanned (SCAN_CODE, when the deployment signs codes), otherwise the
// code shown with the identity typed in (SHOW_CODE).
func (h *demoHistory) presented(r historyResident, colour string) (scans.Item, error) {
	if h.svc.Signer == nil || h.rng.IntN(5) == 0 {
		return scans.Item{Method: door.MethodShowCode, Colour: colour,
			Manual: &scans.ManualPerson{Name: r.name, IDType: "RESIDENT_ID", IDNumber: r.no}}, nil
	}
	c, err := token.ParseColour(colour)
	if err != nil {
		return scans.Item{}, err
	}
	tok, _, err := h.svc.Signer.Issue(token.KindPerson, uint64(r.id), c, codes.DefaultPersonTTL*time.Minute, h.clock)
	if err != nil {
		return scans.Item{}, err
	}
	return scans.Item{Method: door.MethodScanCode, Token: tok}, nil
}

// colours reads the residents' colours as they are at the clock.
func (h *demoHistory) colours(ids []int) (map[int]string, error) {
	ps, err := h.db.Person.Query().Where(person.IDIn(ids...)).Select(person.FieldID, person.FieldColour).All(h.ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int]string, len(ps))
	for _, p := range ps {
		out[p.ID] = p.Colour.String()
	}
	return out, nil
}

// handleAlerts has most alerts of the history handled as seed 003 §五(五)
// says: assigned by the province to the grid worker of the community
// within two hours, visited within five, closed the next day; the last
// two days' alerts stay open for the dashboards to show.
func (h *demoHistory) handleAlerts(now time.Time) error {
	open, err := h.db.Alert.Query().Where(alert.StatusEQ(alert.StatusOPEN), alert.RaisedAtLT(now.Add(-48*time.Hour))).
		Order(ent.Asc(alert.FieldRaisedAt)).All(h.ctx)
	if err != nil {
		return err
	}
	grids, err := h.db.Account.Query().Where(account.RoleEQ(account.RoleGRID_WORKER), account.StatusEQ(account.StatusACTIVE)).All(h.ctx)
	if err != nil {
		return err
	}
	for _, a := range open {
		if err := h.handle(a, gridOf(grids, a)); err != nil {
			if h.firstErr == nil {
				h.firstErr = err
			}
			continue
		}
		h.handled++
	}
	rest, err := h.db.Alert.Query().Where(alert.StatusEQ(alert.StatusOPEN)).Count(h.ctx)
	h.unhandled = rest
	return err
}

// gridOf is the grid worker of the community where the alert's person
// lives, or else where it was raised; nil when there is none.
func gridOf(grids []*ent.Account, a *ent.Alert) *ent.Account {
	for _, where := range []string{a.ResidencePath, a.ScopePath} {
		for _, g := range grids {
			if where != "" && tree.Contains(g.ScopePath, where) {
				return g
			}
		}
	}
	return nil
}

func (h *demoHistory) handle(a *ent.Alert, grid *ent.Account) error {
	if grid == nil {
		return fmt.Errorf("alert %d: no grid worker of its community", a.ID)
	}
	h.clock = a.RaisedAt.Add(2 * time.Hour)
	if _, err := h.svc.Alerts.Handle(h.ctx, h.initiator, a.ID, alerts.ActionAssign, &grid.ID, ""); err != nil {
		return err
	}
	h.clock = a.RaisedAt.Add(5 * time.Hour)
	if _, err := h.svc.Alerts.Handle(h.ctx, viewerOf(grid), a.ID, alerts.ActionVisit, nil, "已上门核实，体温复测正常，居家观察。"); err != nil {
		return err
	}
	h.clock = a.RaisedAt.Add(26 * time.Hour)
	_, err := h.svc.Alerts.Handle(h.ctx, h.initiator, a.ID, alerts.ActionClose, nil, "核实完毕，解除提醒。")
	return err
}

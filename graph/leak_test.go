package graph_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/sites"
	"github.com/mashang/mashang/validate"
)

// The scope filter holds whatever way a row is reached (STYLE.md rule 4:
// "a test walks the whole schema as a low-privilege account and finds
// nothing outside scope"). A seeded random tree of two provinces gets sites,
// units and ~50 accounts of every role, residents, scans and the alerts they
// raise (leak_health_test.go), made through GraphQL as the real actors
// would; then, acting as every account in turn, the test asks every
// list, the edges that reach other types, and node/nodes for every ID in the
// database, and checks each object of every answer against what the account
// may see — computed here from raw SQL rows, never by the filter's code.
func TestNothingLeaksOutsideScope(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		srv := apitest.New(t, db, httpserver.Config{})
		start := time.Now()
		w := buildLeakWorld(t, db, srv, 20260522)
		snap := loadLeakSnapshot(t, db)
		built := time.Since(start)

		run := &leakRun{t: t, url: srv.URL, snap: snap, ids: snap.allIDs()}
		run.anonymous()
		run.everyAccount(w.creds)
		run.report()
		run.exercised()
		t.Logf("%d regions, %d sites, %d units, %d users, %d accounts (%d acted as, %d restricted sessions, %d skipped), %d applications, %d reactivation requests, %d grants, "+
			"%d persons, %d scans, %d alerts, %d internal rows; "+
			"%d requests, %d objects checked, %d IDs looked up by each viewer, %d lookups refused; built in %v, checked in %v",
			len(snap.regions), len(snap.sites), len(snap.units), len(snap.users), len(snap.accounts),
			run.actedAs.Load(), run.restricted.Load(), run.skipped.Load(),
			len(snap.applications), len(snap.reactivations), len(snap.grants),
			len(snap.persons), len(snap.scans), len(snap.alerts), len(snap.internal),
			run.requests.Load(), run.checked.Load(), len(run.ids), run.refused.Load(), built.Round(time.Millisecond), (time.Since(start) - built).Round(time.Millisecond))
	})
}

// ---- the world: regions, sites, units and accounts ----

// leakCred is how an account's holder logs in; idNumber, when set, is the
// holder's resident ID (a scanner's own code is looked up by it).
type leakCred struct{ phone, password, idNumber, name string }

type leakNode struct {
	id   int
	path string
	site bool
}

type leakWorld struct {
	t     *testing.T
	db    *database.DB
	srv   *apitest.Server
	rng   *rand.Rand
	tree  *apitest.Tree
	nodes []leakNode       // every region and site, in creation order
	creds map[int]leakCred // account id → how its holder logs in
	phone int
	uscc  int
	idSeq int
	named map[string]int // the landmark sites by name

	// The actors buildAccounts leaves for buildHealth.
	initiator                   string
	seniors                     []*leakSenior
	officialHealth, officialAnh int
	gridChaoyang                int // the active GRID_WORKER of 220104001001
}

type leakSenior struct {
	id, unitID    int
	token, path   string
	intermediates []int
	ordinaries    []int
}

var leakDistricts = []struct{ province, provinceName, city, cityName, code, name string }{
	{"22", "吉林省", "2201", "长春市", "220102", "南关区"},
	{"22", "吉林省", "2201", "长春市", "220104", "朝阳区"},
	{"22", "吉林省", "2202", "吉林市", "220202", "昌邑区"},
	{"22", "吉林省", "2202", "吉林市", "220204", "船营区"},
	{"34", "安徽省", "3401", "合肥市", "340104", "蜀山区"},
	{"34", "安徽省", "3418", "宣城市", "341802", "宣州区"},
	{"34", "安徽省", "3418", "宣城市", "341881", "宁国市"},
}

var (
	leakStreetNames    = []string{"前进街道", "永昌街道", "桂林街道", "南湖街道", "清和街道", "红旗街道", "湖西街道", "河沥溪街道"}
	leakCommunityNames = []string{"和平社区", "幸福社区", "民康社区", "东风社区", "长青社区", "友谊社区", "建设社区", "新华社区"}
	leakSiteKinds      = []struct {
		name     string
		category scenario.Category
		sector   scenario.Sector
	}{
		{"社区卫生服务中心", scenario.MedicalInstitution, scenario.SectorHealth},
		{"实验小学", scenario.School, scenario.SectorEducation},
		{"万达广场", scenario.ShoppingDining, scenario.SectorCommerce},
		{"政务服务大厅", scenario.GovernmentServiceHall, scenario.SectorGovernment},
		{"文化公园", scenario.Park, scenario.SectorCultureTourism},
		{"阳光小区", scenario.ResidentialCompound, scenario.SectorHousing},
		{"农贸市场", scenario.FarmersMarket, scenario.SectorCommerce},
		{"大药房", scenario.ServiceOutlet, scenario.SectorHealth},
	}
	leakPersonNames = []string{"李", "王", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"}
)

func buildLeakWorld(t *testing.T, db *database.DB, srv *apitest.Server, seed uint64) *leakWorld {
	t.Helper()
	w := &leakWorld{t: t, db: db, srv: srv, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		tree: apitest.NewTree(t, db.Client), creds: map[int]leakCred{}, named: map[string]int{}}
	w.buildTree()
	w.buildAccounts()
	w.buildHealth()
	return w
}

func (w *leakWorld) addRegion(parent, code, name string) {
	r := w.tree.Add(parent, code, name)
	w.nodes = append(w.nodes, leakNode{id: r.ID, path: r.Path})
}

func (w *leakWorld) addSite(name string, category scenario.Category, sector scenario.Sector, regionID, parentSiteID int) int {
	w.t.Helper()
	s, err := sites.Create(context.Background(), w.db.Client, nil, sites.Input{Name: name, Category: category, Sector: sector,
		Built: true, Enabled: true, RegionID: regionID, ParentSiteID: parentSiteID})
	if err != nil {
		w.t.Fatalf("create site %s: %v", name, err)
	}
	w.nodes = append(w.nodes, leakNode{id: s.ID, path: s.Path, site: true})
	w.named[name] = s.ID
	return s.ID
}

func (w *leakWorld) buildTree() {
	for _, d := range leakDistricts {
		if w.tree.ByCode[d.province] == nil {
			w.addRegion("", d.province, d.provinceName)
		}
		if w.tree.ByCode[d.city] == nil {
			w.addRegion(d.province, d.city, d.cityName)
		}
		w.addRegion(d.city, d.code, d.name)
		if w.rng.IntN(3) == 0 {
			w.addSite(d.name+fmt.Sprintf("%d路公交车", 1+w.rng.IntN(300)), scenario.Bus, scenario.SectorTransport, w.tree.ByCode[d.code].ID, 0)
		}
		streets := 2 + w.rng.IntN(2)
		for s := 1; s <= streets; s++ {
			street := d.code + fmt.Sprintf("%03d", s)
			w.addRegion(d.code, street, leakStreetNames[w.rng.IntN(len(leakStreetNames))])
			communities := 1 + w.rng.IntN(3)
			for c := 1; c <= communities; c++ {
				community := street + fmt.Sprintf("%03d", c)
				w.addRegion(street, community, leakCommunityNames[w.rng.IntN(len(leakCommunityNames))])
				if w.rng.IntN(2) == 0 {
					continue
				}
				for range 1 + w.rng.IntN(2) {
					k := leakSiteKinds[w.rng.IntN(len(leakSiteKinds))]
					id := w.addSite(w.tree.ByCode[community].Name+k.name, k.category, k.sector, w.tree.ByCode[community].ID, 0)
					if w.rng.IntN(5) < 2 {
						// A sub-site, often of another sector (a pharmacy in a mall).
						c := leakSiteKinds[w.rng.IntN(len(leakSiteKinds))]
						w.addSite(k.name+c.name, c.category, c.sector, 0, id)
					}
				}
			}
		}
	}
	// The sector-limited OFFICIAL of 长春市 must have sites of its sector
	// and of others to tell apart, a nested one included.
	c := w.tree.ByCode["220104001001"]
	hospital := w.addSite("朝阳区人民医院", scenario.MedicalInstitution, scenario.SectorHealth, c.ID, 0)
	w.addSite("朝阳区人民医院食堂", scenario.ShoppingDining, scenario.SectorCommerce, 0, hospital)
	mall := w.addSite("欧亚商都", scenario.ShoppingDining, scenario.SectorCommerce, w.tree.ByCode["220102001"].ID, 0)
	w.addSite("欧亚商都药店", scenario.ServiceOutlet, scenario.SectorHealth, 0, mall)
}

// below lists the regions and sites strictly below path.
func (w *leakWorld) below(path string) []leakNode {
	var out []leakNode
	for _, n := range w.nodes {
		if n.path != path && strings.HasPrefix(n.path, path) {
			out = append(out, n)
		}
	}
	return out
}

// within lists path's node and every node below it.
func (w *leakWorld) within(path string) []leakNode {
	var out []leakNode
	for _, n := range w.nodes {
		if strings.HasPrefix(n.path, path) {
			out = append(out, n)
		}
	}
	return out
}

func (w *leakWorld) pick(nodes []leakNode) leakNode {
	if len(nodes) == 0 {
		w.t.Fatal("no node to pick from")
	}
	return nodes[w.rng.IntN(len(nodes))]
}

func leakSites(nodes []leakNode) []leakNode {
	return slices.DeleteFunc(slices.Clone(nodes), func(n leakNode) bool { return !n.site })
}

func leakRegions(nodes []leakNode) []leakNode {
	return slices.DeleteFunc(slices.Clone(nodes), func(n leakNode) bool { return n.site })
}

// newPerson returns the holder input and login of someone new to the platform.
func (w *leakWorld) newPerson() (map[string]any, leakCred) {
	w.phone++
	c := leakCred{phone: fmt.Sprintf("1360000%04d", w.phone), password: fmt.Sprintf("leak-pass-%04d", w.phone)}
	name := leakPersonNames[w.rng.IntN(len(leakPersonNames))] + strconv.Itoa(w.phone)
	c.name = name
	return map[string]any{"name": name, "phone": c.phone, "password": c.password}, c
}

func (w *leakWorld) gql(token, query string, vars map[string]any, out any) {
	w.t.Helper()
	w.srv.QueryAs(token, query, vars).Decode(w.t, out)
}

func (w *leakWorld) login(c leakCred, accountID int) string {
	w.t.Helper()
	vars := map[string]any{"p": c.phone, "w": c.password}
	if accountID != 0 {
		vars["a"] = accountID
	}
	var got struct{ Login struct{ AccessToken string } }
	w.srv.Query(`mutation($p: String!, $w: String!, $a: ID) { login(phone: $p, password: $w, accountId: $a) { accessToken } }`, vars).Decode(w.t, &got)
	return got.Login.AccessToken
}

func (w *leakWorld) nextUSCC(regionCode string) string {
	w.uscc++
	first17 := "91" + regionCode + "MA" + fmt.Sprintf("%07d", w.uscc)
	check, err := validate.USCCCheckChar(first17)
	if err != nil {
		w.t.Fatal(err)
	}
	return first17 + string(check)
}

// createAccount creates an account as the holder of token, for someone new
// (existing nil) or for a person already on the platform.
func (w *leakWorld) createAccount(token, role string, scopeID int, existing *leakCred, sector string) int {
	w.t.Helper()
	holder, c := w.newPerson()
	if existing != nil {
		c = *existing
		holder = map[string]any{"name": "多账号" + c.phone[7:], "phone": c.phone, "password": c.password}
		if c.idNumber != "" {
			holder["idNumber"] = c.idNumber
		}
	}
	in := map[string]any{"role": role, "scopeId": scopeID, "holder": holder}
	if sector != "" {
		in["sector"] = sector
	}
	var got struct{ CreateAccount struct{ ID string } }
	w.gql(token, `mutation($in: CreateAccountInput!) { createAccount(input: $in) { id } }`, map[string]any{"in": in}, &got)
	id, _ := strconv.Atoi(got.CreateAccount.ID)
	w.creds[id] = c
	acceptPending(w.t, w.srv, w.login(c, id))
	return id
}

func (w *leakWorld) submitApplication(token string, scopeID int, regionCode, unitName string) int {
	w.t.Helper()
	holder, _ := w.newPerson()
	delete(holder, "password")
	var got struct{ SubmitSeniorApplication struct{ ID string } }
	w.gql(token, `mutation($in: SeniorApplicationInput!) { submitSeniorApplication(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"unitName": unitName, "uscc": w.nextUSCC(regionCode), "scopeId": scopeID, "holder": holder}}, &got)
	id, _ := strconv.Atoi(got.SubmitSeniorApplication.ID)
	return id
}

// approveSenior opens a SENIOR account through an application the
// initiator submits and approves; it returns the account and its token.
func (w *leakWorld) approveSenior(initiator string, districtCode, unitName string) (int, string) {
	w.t.Helper()
	holder, c := w.newPerson()
	delete(holder, "password")
	// The holder's resident ID, so the senior may record scans once its
	// own code is registered (a later binding no longer fills it in: issue
	// 10 §2).
	c.idNumber = w.nextIDNumber("220104")
	holder["idNumber"] = c.idNumber
	var app struct{ SubmitSeniorApplication struct{ ID string } }
	w.gql(initiator, `mutation($in: SeniorApplicationInput!) { submitSeniorApplication(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"unitName": unitName, "uscc": w.nextUSCC(districtCode),
			"scopeId": w.tree.ByCode[districtCode].ID, "holder": holder}}, &app)
	var decided struct {
		DecideApplication struct {
			Account         struct{ ID string }
			InitialPassword string
		}
	}
	w.gql(initiator, `mutation($id: ID!) { decideApplication(id: $id, approve: true) { account { id } initialPassword } }`,
		map[string]any{"id": app.SubmitSeniorApplication.ID}, &decided)
	c.password = decided.DecideApplication.InitialPassword
	id, _ := strconv.Atoi(decided.DecideApplication.Account.ID)
	w.creds[id] = c
	return id, w.login(c, id)
}

func (w *leakWorld) disable(token string, id int, cascade bool) {
	w.t.Helper()
	var got struct {
		DisableAccount struct{ Account struct{ Status string } }
	}
	w.gql(token, `mutation($id: ID!, $c: Boolean!) { disableAccount(id: $id, cascade: $c) { account { status } } }`,
		map[string]any{"id": id, "c": cascade}, &got)
	if got.DisableAccount.Account.Status != "DISABLED" {
		w.t.Fatalf("account %d is %s after disableAccount", id, got.DisableAccount.Account.Status)
	}
}

func (w *leakWorld) buildAccounts() {
	t := w.t
	ctx := context.Background()
	initiator := w.srv.LoginInitiator()
	var me struct {
		Viewer struct{ Acting struct{ ID string } }
	}
	w.gql(initiator, `{ viewer { acting { id } } }`, nil, &me)
	initiatorID, _ := strconv.Atoi(me.Viewer.Acting.ID)
	w.creds[initiatorID] = leakCred{phone: apitest.InitiatorPhone, password: apitest.InitiatorPassword}

	w.initiator = initiator
	var seniors []*leakSenior
	for _, d := range []struct{ code, unit string }{
		{"220104", "长春市朝阳区政务服务中心"}, {"341881", "宁国市人民医院"}, {"220202", "吉林市昌邑区教育局"},
	} {
		id, token := w.approveSenior(initiator, d.code, d.unit)
		var v struct {
			Viewer struct {
				Acting struct {
					ScopePath string
					Unit      struct{ ID string }
				}
			}
		}
		w.gql(token, `{ viewer { acting { scopePath unit { id } } } }`, nil, &v)
		unitID, _ := strconv.Atoi(v.Viewer.Acting.Unit.ID)
		seniors = append(seniors, &leakSenior{id: id, unitID: unitID, token: token, path: v.Viewer.Acting.ScopePath})
	}
	// A rejected application leaves a row that only the initiator sees.
	rejected := w.submitApplication(initiator, w.tree.ByCode["340104"].ID, "340104", "合肥市蜀山区图书馆")
	var rej struct {
		DecideApplication struct{ Application struct{ Status string } }
	}
	w.gql(initiator, `mutation($id: ID!) { decideApplication(id: $id, approve: false, reason: "材料不全") { application { status } } }`,
		map[string]any{"id": rejected}, &rej)

	// The first senior builds sites of its own below its scope and binds one
	// to its unit.
	s1 := seniors[0]
	community := w.pick(leakRegions(w.below(s1.path)))
	var site struct{ CreateSite struct{ ID, Path string } }
	w.gql(s1.token, `mutation($in: CreateSiteInput!) { createSite(input: $in) { id path } }`,
		map[string]any{"in": map[string]any{"name": "朝阳区办事处", "category": "GOVERNMENT_AGENCY", "sector": "GOVERNMENT", "parentId": community.id, "built": true}}, &site)
	siteID, _ := strconv.Atoi(site.CreateSite.ID)
	w.nodes = append(w.nodes, leakNode{id: siteID, path: site.CreateSite.Path, site: true})
	var child struct{ CreateSite struct{ ID, Path string } }
	w.gql(s1.token, `mutation($in: CreateSiteInput!) { createSite(input: $in) { id path } }`,
		map[string]any{"in": map[string]any{"name": "朝阳区办事处东门", "category": "GOVERNMENT_AGENCY", "parentId": siteID, "unitId": s1.unitID}}, &child)
	childID, _ := strconv.Atoi(child.CreateSite.ID)
	w.nodes = append(w.nodes, leakNode{id: childID, path: child.CreateSite.Path, site: true})
	var upd struct{ UpdateSite struct{ ID string } }
	w.gql(s1.token, `mutation($id: ID!, $u: ID!) { updateSite(id: $id, input: {unitId: $u}) { id } }`,
		map[string]any{"id": siteID, "u": s1.unitID}, &upd)
	// A unit's sites may lie outside the scope of the unit's own
	// scanners: hang a 长春市 site on the 宁国市 unit.
	if err := w.db.Client.Site.UpdateOneID(w.pick(leakSites(w.within("/22/2201/220102/"))).id).SetUnitID(seniors[1].unitID).Exec(ctx); err != nil {
		t.Fatal(err)
	}

	// Every senior opens intermediates and ordinaries below its scope; every
	// intermediate opens ordinaries within its own.
	for _, s := range seniors {
		for range 3 + w.rng.IntN(2) {
			n := w.pick(w.below(s.path))
			id := w.createAccount(s.token, "INTERMEDIATE", n.id, nil, "")
			s.intermediates = append(s.intermediates, id)
			token := w.login(w.creds[id], id)
			for range 1 + w.rng.IntN(2) {
				m := w.pick(w.within(n.path))
				w.createAccount(token, "ORDINARY", m.id, nil, "")
			}
		}
		for range 2 + w.rng.IntN(2) {
			s.ordinaries = append(s.ordinaries, w.createAccount(s.token, "ORDINARY", w.pick(w.below(s.path)).id, nil, ""))
		}
	}

	// The initiator's own accounts: officials (one limited to a sector),
	// a grid worker, and an intermediate where no senior works.
	officialHealth := w.createAccount(initiator, "OFFICIAL", w.tree.ByCode["2201"].ID, nil, "HEALTH")
	officialAnhui := w.createAccount(initiator, "OFFICIAL", w.tree.ByCode["34"].ID, nil, "")
	grid := w.createAccount(initiator, "GRID_WORKER", w.pick(leakRegions(w.below("/34/3418/341802/"))).id, nil, "")
	w.gridChaoyang = w.createAccount(initiator, "GRID_WORKER", w.tree.ByCode["220104001001"].ID, nil, "")
	w.seniors, w.officialHealth, w.officialAnh = seniors, officialHealth, officialAnhui
	loneNode := w.pick(w.below("/34/3401/340104/"))
	lone := w.createAccount(initiator, "INTERMEDIATE", loneNode.id, nil, "")
	loneToken := w.login(w.creds[lone], lone)
	w.createAccount(loneToken, "ORDINARY", w.pick(w.within(loneNode.path)).id, nil, "")

	// People with several accounts (多重身份管理): one ordinary scanner under
	// two seniors, and the first senior's holder also an ordinary scanner
	// of the third.
	multi := w.createAccount(seniors[0].token, "ORDINARY", w.pick(w.below(seniors[0].path)).id, nil, "")
	multiCred := w.creds[multi]
	multiSecond := w.createAccount(seniors[1].token, "ORDINARY", w.pick(w.below(seniors[1].path)).id, &multiCred, "")
	seniorCred := w.creds[seniors[0].id]
	w.createAccount(seniors[2].token, "ORDINARY", w.pick(w.below(seniors[2].path)).id, &seniorCred, "")

	// Disabled accounts: an intermediate with everything below it, a single
	// ordinary, one of the multi-account person's, the grid worker.
	cascaded := seniors[0].intermediates[0]
	w.disable(seniors[0].token, cascaded, true)
	w.disable(seniors[1].token, seniors[1].ordinaries[0], false)
	w.disable(seniors[1].token, multiSecond, false)
	w.disable(initiator, grid, false)

	// Their holders ask for reactivation from restricted sessions.
	for _, id := range []int{cascaded, grid} {
		restricted := w.login(w.creds[id], 0)
		var req struct{ RequestReactivation struct{ Status string } }
		w.gql(restricted, `mutation($id: ID!) { requestReactivation(id: $id, note: "已恢复上岗") { status } }`, map[string]any{"id": id}, &req)
	}

	// Pending applications of seniors and an official.
	w.submitApplication(seniors[0].token, w.pick(w.below(seniors[0].path)).id, "220104", "朝阳区第二实验小学")
	w.submitApplication(seniors[1].token, w.pick(w.below(seniors[1].path)).id, "341881", "宁国市中医院")
	officialToken := w.login(w.creds[officialAnhui], officialAnhui)
	w.submitApplication(officialToken, w.tree.ByCode["341802"].ID, "341802", "宣城市宣州区政务服务中心")

	// Time-limited grants of the province, one of them revoked.
	expires := time.Now().Add(7 * 24 * time.Hour).UTC().Format(time.RFC3339)
	var grantIDs []string
	for _, g := range []struct {
		account      int
		kind, sector string
	}{{seniors[0].id, "PII_VIEWER", ""}, {officialHealth, "TRACER", ""}, {seniors[1].id, "SECTOR_STATISTICS", "HEALTH"}, {lone, "TRACER", ""}} {
		vars := map[string]any{"a": g.account, "k": g.kind, "e": expires}
		if g.sector != "" {
			vars["s"] = g.sector
		}
		var got struct{ GiveGrant struct{ ID string } }
		w.gql(initiator, `mutation($a: ID!, $k: GrantKind!, $s: Sector, $e: Time!) { giveGrant(accountId: $a, kind: $k, sector: $s, expiresAt: $e, reason: "泄漏测试", caseNumber: "案2026-1") { id } }`, vars, &got)
		grantIDs = append(grantIDs, got.GiveGrant.ID)
	}
	var revoked struct{ RevokeGrant struct{ ID string } }
	w.gql(initiator, `mutation($id: ID!) { revokeGrant(id: $id) { id } }`, map[string]any{"id": grantIDs[len(grantIDs)-1]}, &revoked)
}

// ---- what each account may see, from raw SQL rows ----

type leakAccount struct {
	id                                   int
	role, status, scopePath, accountPath string
	sector                               sql.NullString
	holderID                             int
	unitID, superiorID                   sql.NullInt64
}

type leakSite struct{ path, sector string }

type leakRR struct {
	accountID  int
	superiorID sql.NullInt64
	status     string
}

type leakScan struct {
	sitePath, sector string
	accountID        int
}

type leakAlert struct {
	scopePath  string
	residence  string // issue 11, point 12: officials of the residence see it too
	sector     sql.NullString
	assigneeID sql.NullInt64
}

type leakSnapshot struct {
	regions       map[int]string // path
	sites         map[int]leakSite
	units         map[int]string // region_path
	accounts      map[int]*leakAccount
	users         map[int]bool
	applications  map[int]int // submitted_by_id
	reactivations map[int]leakRR
	grants        map[int]int    // account_id
	persons       map[int]string // residence_path ("" when none)
	scans         map[int]leakScan
	alerts        map[int]leakAlert
	// Issue 9: a person's history is a Node seen with the person; an
	// audit event the INITIATOR's; an import job its submitter's.
	history  map[int]leakHistory
	audit    map[int]bool
	imports  map[int]int    // submitted_by_id
	internal map[int]string // sessions, outbox, alert steps…: never nodes
}

// leakHistory is a row of a person's history (colour_changes,
// health_declarations, test_results) as its GraphQL type and person.
type leakHistory struct {
	typ      string
	personID int
}

// leakHistoryTables maps the tables of a person's history to their types.
var leakHistoryTables = map[string]string{"colour_changes": "ColourChange", "health_declarations": "HealthDeclaration", "test_results": "TestResult"}

// leakInternalTables are the tables whose rows are never nodes.
var leakInternalTables = []string{"sessions", "outbox_messages", "leases", "revisions",
	"alert_steps", "alert_pauses", "rule_set_versions"}

func loadLeakSnapshot(t *testing.T, db *database.DB) *leakSnapshot {
	t.Helper()
	s := &leakSnapshot{regions: map[int]string{}, sites: map[int]leakSite{}, units: map[int]string{}, accounts: map[int]*leakAccount{},
		users: map[int]bool{}, applications: map[int]int{}, reactivations: map[int]leakRR{}, grants: map[int]int{},
		persons: map[int]string{}, scans: map[int]leakScan{}, alerts: map[int]leakAlert{}, internal: map[int]string{},
		history: map[int]leakHistory{}, audit: map[int]bool{}, imports: map[int]int{}}
	query := func(q string, scan func(*sql.Rows) error) {
		rows, err := db.SQL.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var id int
	query(`SELECT id, path FROM regions`, func(r *sql.Rows) error {
		var p string
		err := r.Scan(&id, &p)
		s.regions[id] = p
		return err
	})
	query(`SELECT id, path, sector FROM sites`, func(r *sql.Rows) error {
		var x leakSite
		err := r.Scan(&id, &x.path, &x.sector)
		s.sites[id] = x
		return err
	})
	query(`SELECT id, region_path FROM units`, func(r *sql.Rows) error {
		var p string
		err := r.Scan(&id, &p)
		s.units[id] = p
		return err
	})
	query(`SELECT id, role, status, scope_path, account_path, sector, holder_id, unit_id, superior_id FROM accounts`, func(r *sql.Rows) error {
		a := &leakAccount{}
		err := r.Scan(&a.id, &a.role, &a.status, &a.scopePath, &a.accountPath, &a.sector, &a.holderID, &a.unitID, &a.superiorID)
		s.accounts[a.id] = a
		return err
	})
	query(`SELECT id FROM users`, func(r *sql.Rows) error {
		err := r.Scan(&id)
		s.users[id] = true
		return err
	})
	query(`SELECT id, submitted_by_id FROM applications`, func(r *sql.Rows) error {
		var by int
		err := r.Scan(&id, &by)
		s.applications[id] = by
		return err
	})
	query(`SELECT id, account_id, superior_id, status FROM reactivation_requests`, func(r *sql.Rows) error {
		var x leakRR
		err := r.Scan(&id, &x.accountID, &x.superiorID, &x.status)
		s.reactivations[id] = x
		return err
	})
	query(`SELECT id, account_id FROM grants`, func(r *sql.Rows) error {
		var acc int
		err := r.Scan(&id, &acc)
		s.grants[id] = acc
		return err
	})
	query(`SELECT id, residence_path FROM persons`, func(r *sql.Rows) error {
		var p string
		err := r.Scan(&id, &p)
		s.persons[id] = p
		return err
	})
	query(`SELECT id, site_path, sector, account_id FROM scans`, func(r *sql.Rows) error {
		var x leakScan
		err := r.Scan(&id, &x.sitePath, &x.sector, &x.accountID)
		s.scans[id] = x
		return err
	})
	query(`SELECT id, scope_path, residence_path, sector, assignee_id FROM alerts`, func(r *sql.Rows) error {
		var x leakAlert
		err := r.Scan(&id, &x.scopePath, &x.residence, &x.sector, &x.assigneeID)
		s.alerts[id] = x
		return err
	})
	for table, typ := range leakHistoryTables {
		query(`SELECT id, person_id FROM `+table, func(r *sql.Rows) error {
			h := leakHistory{typ: typ}
			err := r.Scan(&id, &h.personID)
			s.history[id] = h
			return err
		})
	}
	query(`SELECT id FROM audit_events`, func(r *sql.Rows) error {
		err := r.Scan(&id)
		s.audit[id] = true
		return err
	})
	query(`SELECT id, submitted_by_id FROM import_jobs`, func(r *sql.Rows) error {
		var by int
		err := r.Scan(&id, &by)
		s.imports[id] = by
		return err
	})
	for _, table := range leakInternalTables {
		query(`SELECT id FROM `+table, func(r *sql.Rows) error {
			err := r.Scan(&id)
			s.internal[id] = table
			return err
		})
	}
	return s
}

// allIDs lists the ID of every row of every table: those the API exposes
// as nodes, and the internal ones it never may.
func (s *leakSnapshot) allIDs() []int {
	ids := slices.Collect(maps.Keys(s.regions))
	ids = slices.AppendSeq(ids, maps.Keys(s.sites))
	ids = slices.AppendSeq(ids, maps.Keys(s.units))
	ids = slices.AppendSeq(ids, maps.Keys(s.accounts))
	ids = slices.AppendSeq(ids, maps.Keys(s.users))
	ids = slices.AppendSeq(ids, maps.Keys(s.applications))
	ids = slices.AppendSeq(ids, maps.Keys(s.reactivations))
	ids = slices.AppendSeq(ids, maps.Keys(s.grants))
	ids = slices.AppendSeq(ids, maps.Keys(s.persons))
	ids = slices.AppendSeq(ids, maps.Keys(s.scans))
	ids = slices.AppendSeq(ids, maps.Keys(s.alerts))
	ids = slices.AppendSeq(ids, maps.Keys(s.history))
	ids = slices.AppendSeq(ids, maps.Keys(s.audit))
	ids = slices.AppendSeq(ids, maps.Keys(s.imports))
	ids = slices.AppendSeq(ids, maps.Keys(s.internal))
	slices.Sort(ids)
	return ids
}

// typeOf names the GraphQL type of the row with this ID ("" for an
// internal table's row).
func (s *leakSnapshot) typeOf(id int) string {
	switch {
	case s.regions[id] != "":
		return "Region"
	case s.sites[id].path != "":
		return "Site"
	case s.units[id] != "":
		return "Unit"
	case s.accounts[id] != nil:
		return "Account"
	case s.users[id]:
		return "User"
	}
	if _, ok := s.applications[id]; ok {
		return "Application"
	}
	if _, ok := s.reactivations[id]; ok {
		return "ReactivationRequest"
	}
	if _, ok := s.grants[id]; ok {
		return "Grant"
	}
	if _, ok := s.persons[id]; ok {
		return "Person"
	}
	if _, ok := s.scans[id]; ok {
		return "Scan"
	}
	if _, ok := s.alerts[id]; ok {
		return "Alert"
	}
	if h, ok := s.history[id]; ok {
		return h.typ
	}
	if s.audit[id] {
		return "AuditEvent"
	}
	if _, ok := s.imports[id]; ok {
		return "ControlListImport"
	}
	return ""
}

// leakWithin is the tree's prefix rule, restated.
func leakWithin(scope, path string) bool { return scope != "" && strings.HasPrefix(path, scope) }

// mayView is the rule of DESIGN.md §5 restated over raw rows: v nil is an
// anonymous caller. It answers whether the row exists too.
func (s *leakSnapshot) mayView(v *leakAccount, typ string, id int) (visible, exists bool) {
	exists = typ != "" && s.typeOf(id) == typ
	if !exists {
		return false, false
	}
	if typ == "Region" {
		return true, true // the division tree is public
	}
	if v == nil {
		return false, true
	}
	if v.status == "DISABLED" {
		// A restricted session sees the user, their accounts, its grants
		// and their accounts' reactivation requests (issue 10 §8).
		switch typ {
		case "Account":
			return s.accounts[id].holderID == v.holderID, true
		case "User":
			return id == v.holderID, true
		case "ReactivationRequest":
			return s.accounts[s.reactivations[id].accountID].holderID == v.holderID, true
		case "Grant":
			return s.grants[id] == v.id, true
		}
		return false, true
	}
	if v.role == "INITIATOR" {
		return true, true
	}
	switch typ {
	case "Site":
		st := s.sites[id]
		return leakWithin(v.scopePath, st.path) && (v.role != "OFFICIAL" || !v.sector.Valid || v.sector.String == st.sector), true
	case "Unit":
		return leakWithin(v.scopePath, s.units[id]) || (v.unitID.Valid && int(v.unitID.Int64) == id), true
	case "Account":
		a := s.accounts[id]
		return leakWithin(v.accountPath, a.accountPath) || a.holderID == v.holderID, true
	case "User":
		if id == v.holderID {
			return true, true
		}
		for _, a := range s.accounts {
			if a.holderID == id && leakWithin(v.accountPath, a.accountPath) {
				return true, true
			}
		}
		return false, true
	case "Application":
		return s.applications[id] == v.id, true
	case "ReactivationRequest":
		return leakWithin(v.accountPath, s.accounts[s.reactivations[id].accountID].accountPath), true
	case "Grant":
		return s.grants[id] == v.id, true
	case "Person":
		// Residents are seen by the officials and grid workers of where
		// they live; a person of no known residence by the initiator only.
		return (v.role == "OFFICIAL" || v.role == "GRID_WORKER") && leakWithin(v.scopePath, s.persons[id]), true
	case "ColourChange", "HealthDeclaration", "TestResult":
		// A person's history, with the person.
		return s.mayView(v, "Person", s.history[id].personID)
	case "AuditEvent":
		return false, true // the INITIATOR's only (above)
	case "ControlListImport":
		return s.imports[id] == v.id, true
	case "Scan":
		// DESIGN §5 "view scans".
		sc := s.scans[id]
		switch v.role {
		case "SENIOR", "INTERMEDIATE", "GRID_WORKER":
			return leakWithin(v.scopePath, sc.sitePath), true
		case "OFFICIAL":
			return leakWithin(v.scopePath, sc.sitePath) && (!v.sector.Valid || v.sector.String == sc.sector), true
		case "ORDINARY":
			return sc.accountID == v.id, true // its own records, not its holder's other accounts'
		}
		return false, true
	case "Alert":
		// DESIGN §5 "view / handle alerts"; an alert of no sector (a colour
		// change) is every sector's.
		a := s.alerts[id]
		switch v.role {
		case "SENIOR":
			return leakWithin(v.scopePath, a.scopePath), true
		case "OFFICIAL":
			here := leakWithin(v.scopePath, a.scopePath) || (a.residence != "" && leakWithin(v.scopePath, a.residence))
			return here && (!v.sector.Valid || !a.sector.Valid || v.sector.String == a.sector.String), true
		case "GRID_WORKER":
			return a.assigneeID.Valid && int(a.assigneeID.Int64) == v.id, true
		}
		return false, true
	}
	return false, true
}

// visibleCount counts the rows of a type the viewer may see.
func (s *leakSnapshot) visibleCount(v *leakAccount, typ string) int {
	return s.visibleWithin(v, typ, "")
}

// visibleWithin counts the rows of a type the viewer may see whose tree
// path (a person's residence, a scan's site, an alert's scope) lies within
// path ("" for any).
func (s *leakSnapshot) visibleWithin(v *leakAccount, typ, path string) int {
	n := 0
	for _, id := range s.allIDs() {
		if ok, _ := s.mayView(v, typ, id); !ok {
			continue
		}
		var p string
		switch typ {
		case "Person":
			p = s.persons[id]
		case "Scan":
			p = s.scans[id].sitePath
		case "Alert":
			p = s.alerts[id].scopePath
			if r := s.alerts[id].residence; path != "" && r != "" && leakWithin(path, r) {
				p = r // within: the place raised or the residence
			}
		}
		if path == "" || leakWithin(path, p) {
			n++
		}
	}
	return n
}

// ---- asking the API as each account ----

// The objects of every answer carry __typename and id, so one walk checks
// them all whatever field they came through. leakLists are the root list
// fields with the edges that reach other types; asked all at once.
var leakLists = []struct{ field, selection string }{
	{"sites", `sites(first: 500) { totalCount pageInfo { hasNextPage } edges { node { __typename id
    region { __typename id } parent { __typename id }
    unit { __typename id sites(first: 50) { totalCount edges { node { __typename id } } } }
    children(first: 50) { totalCount edges { node { __typename id } } } } } }`},
	{"units", `units(first: 500) { totalCount pageInfo { hasNextPage } edges { node { __typename id
    region { __typename id } sites(first: 50) { totalCount edges { node { __typename id parent { __typename id } } } } } } }`},
	{"accounts", `accounts(first: 500) { totalCount pageInfo { hasNextPage } edges { node { __typename id
    holder { __typename id } superior { __typename id holder { __typename id } }
    subordinates(first: 100) { totalCount edges { node { __typename id holder { __typename id } } } }
    scopeRegion { __typename id } scopeSite { __typename id } unit { __typename id } } } }`},
	{"applications", `applications(first: 500) { totalCount pageInfo { hasNextPage } edges { node { __typename id
    submittedBy { __typename id } decidedBy { __typename id } replacesAccount { __typename id }
    account { __typename id holder { __typename id } } scopeRegion { __typename id } scopeSite { __typename id } } } }`},
	// The same lists without the non-null edges (Application.submittedBy,
	// Account.holder…): a row outside scope whose neighbour is filtered
	// would be nulled by GraphQL above and show only as an error.
	{"leanSites", `leanSites: sites(first: 500) { edges { node { __typename id } } }`},
	{"leanUnits", `leanUnits: units(first: 500) { edges { node { __typename id } } }`},
	{"leanAccounts", `leanAccounts: accounts(first: 500) { edges { node { __typename id } } }`},
	{"leanApplications", `leanApplications: applications(first: 500) { edges { node { __typename id } } }`},
	// Issue 4: residents, scans and alerts, and (issue 9) their links:
	// every linked object must be within scope too (or null). A person's
	// history has its own test (TestPersonHistoryIsScoped).
	{"persons", `persons(first: 500) { totalCount pageInfo { hasNextPage } edges { node { __typename id residenceRegion { __typename id }
    scans(first: 50) { edges { node { __typename id } } } } } }`},
	{"scans", `scans(first: 500) { totalCount pageInfo { hasNextPage } edges { node { __typename id
    site { __typename id } account { __typename id holder { __typename id } } person { __typename id } } } }`},
	{"alerts", `alerts(first: 500) { totalCount pageInfo { hasNextPage } edges { node { __typename id
    person { __typename id } site { __typename id } scan { __typename id } } } }`},
	{"grants", `grants(first: 500) { totalCount pageInfo { hasNextPage } edges { node { __typename id account { __typename id holder { __typename id } }
    scopeRegion { __typename id } alert { __typename id } } } }`},
	{"pendingReactivations", `pendingReactivations { edges { node { __typename id account { __typename id holder { __typename id } } superior { __typename id } } } }`},
	{"viewer", `viewer { user { __typename id } accounts { __typename id holder { __typename id } } acting { __typename id }
    grants { __typename id account { __typename id } } }`},
}

func leakListsQuery() string {
	var b strings.Builder
	b.WriteString("query Lists {\n")
	for _, l := range leakLists {
		b.WriteString("  " + l.selection + "\n")
	}
	b.WriteString("}")
	return b.String()
}

const leakRegionsQuery = `query Regions($within: ID!) {
  regions(first: 100, where: {within: $within}) { totalCount pageInfo { hasNextPage } edges { node { __typename id
    sites(first: 50) { totalCount edges { node { __typename id unit { __typename id } } } }
    units(first: 20) { totalCount edges { node { __typename id sites(first: 20) { totalCount edges { node { __typename id } } } } } } } } }
}`

// leakHealthWithinQuery asks the issue 4 lists within a province: the within
// filter joins the scope filter, never widens it.
const leakHealthWithinQuery = `query HealthWithin($within: ID!) {
  persons(first: 500, where: {within: $within}) { totalCount pageInfo { hasNextPage } edges { node { __typename id residenceRegion { __typename id } } } }
  scans(first: 500, where: {within: $within}) { totalCount pageInfo { hasNextPage } edges { node { __typename id } } }
  alerts(first: 500, where: {within: $within}) { totalCount pageInfo { hasNextPage } edges { node { __typename id } } }
}`

// leakNodeFragment follows every edge of every node type but
// Grant.grantedBy: the granting INITIATOR is outside every other viewer's
// scope, so that non-null field fails for every grant holder (reported).
const leakNodeFragment = `fragment Reach on Node { __typename id
  ... on Region { sites(first: 20) { totalCount edges { node { __typename id } } } units(first: 20) { totalCount edges { node { __typename id } } } }
  ... on Site { region { __typename id } parent { __typename id } unit { __typename id } children(first: 20) { totalCount edges { node { __typename id } } } }
  ... on Unit { region { __typename id } sites(first: 20) { totalCount edges { node { __typename id } } } }
  ... on Account { holder { __typename id } superior { __typename id } scopeSite { __typename id } unit { __typename id }
    subordinates(first: 100) { totalCount edges { node { __typename id } } } }
  ... on Application { submittedBy { __typename id } decidedBy { __typename id } opened: account { __typename id } replacesAccount { __typename id } scopeSite { __typename id } }
  ... on ReactivationRequest { requester: account { __typename id } superior { __typename id } }
  ... on Grant { holderAccount: account { __typename id } }
  ... on Person { residenceRegion { __typename id } }
}`

type leakFinding struct {
	viewer, kind, typ, path string
	id                      int
}

type leakRun struct {
	t    *testing.T
	url  string
	snap *leakSnapshot
	ids  []int

	mu       sync.Mutex
	findings []leakFinding
	problems []string // unexpected errors and mismatches that are not leaks

	requests, checked, refused   atomic.Int64
	actedAs, restricted, skipped atomic.Int64
}

func (r *leakRun) leak(viewer, kind, typ string, id int, path string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.findings = append(r.findings, leakFinding{viewer: viewer, kind: kind, typ: typ, id: id, path: path})
}

func (r *leakRun) problem(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
}

type leakResponse struct {
	Data   map[string]any  `json:"data"`
	Errors []apitest.Error `json:"errors"`
}

// post sends one operation; it never stops the test, so workers may call it.
func (r *leakRun) post(token, query string, vars map[string]any) (*leakResponse, error) {
	r.requests.Add(1)
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest("POST", r.url+"/graphql", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	out := &leakResponse{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		return nil, fmt.Errorf("status %d, not GraphQL JSON: %.300s", resp.StatusCode, raw)
	}
	return out, nil
}

// viewerName describes an account for the report.
func (r *leakRun) viewerName(a *leakAccount) string {
	if a == nil {
		return "anonymous"
	}
	s := fmt.Sprintf("account %d (%s %s at %s", a.id, a.status, a.role, a.scopePath)
	if a.sector.Valid {
		s += " sector " + a.sector.String
	}
	return s + ", tree " + a.accountPath + ")"
}

// walk checks every object of an answer against what v may see, and that
// every connection counts only what it returns (all pages here are larger
// than the data).
func (r *leakRun) walk(v *leakAccount, path string, node any) {
	switch x := node.(type) {
	case map[string]any:
		if typ, ok := x["__typename"].(string); ok {
			if raw, ok := x["id"]; ok {
				id, err := strconv.Atoi(fmt.Sprint(raw))
				if err != nil {
					r.problem("%s: %s at %s has the ID %v", r.viewerName(v), typ, path, raw)
				} else {
					r.checked.Add(1)
					visible, exists := r.snap.mayView(v, typ, id)
					switch {
					case !exists:
						r.leak(r.viewerName(v), "an object that is no such row", typ, id, path)
					case !visible:
						r.leak(r.viewerName(v), "outside its scope", typ, id, path)
					}
				}
			}
		}
		if edges, ok := x["edges"].([]any); ok {
			if total, ok := x["totalCount"].(json.Number); ok {
				if n, _ := total.Int64(); int(n) != len(edges) {
					r.leak(r.viewerName(v), fmt.Sprintf("a connection counting %d rows but returning %d", n, len(edges)), "totalCount", 0, path)
				}
			}
		}
		if pi, ok := x["pageInfo"].(map[string]any); ok && pi["hasNextPage"] == true {
			r.problem("%s: %s has more pages than the test asks for; raise first", r.viewerName(v), path)
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			r.walk(v, path+"."+k, x[k])
		}
	case []any:
		for i, e := range x {
			r.walk(v, fmt.Sprintf("%s[%d]", path, i), e)
		}
	}
}

// errPath renders an error's path; a NOT_FOUND below a row usually means
// the row came with a non-null neighbour the viewer may not see — the row
// itself is likely outside scope.
func errPath(e apitest.Error) string {
	parts := make([]string, len(e.Path))
	for i, p := range e.Path {
		parts[i] = fmt.Sprint(p)
	}
	s := strings.Join(parts, ".")
	if len(parts) > 1 && e.Code() == "NOT_FOUND" {
		s += " (a non-null neighbour of this row is out of scope: is the row?)"
	}
	return s
}

// nodeQueries asks node(id) for every ID (aliased, one request) and
// nodes(ids) for all of them, and checks the answers: an ID is found iff v
// may see it, and what comes with it is within scope too.
func (r *leakRun) nodeQueries(token string, v *leakAccount) {
	name := r.viewerName(v)
	var b strings.Builder
	b.WriteString("query Each {\n")
	for _, id := range r.ids {
		// n: the node alone; r: with the edges that reach other types.
		fmt.Fprintf(&b, "  n%d: node(id: \"%d\") { __typename id }\n  r%d: node(id: \"%d\") { ...Reach }\n", id, id, id, id)
	}
	b.WriteString("}\n" + leakNodeFragment)
	resp, err := r.post(token, b.String(), nil)
	if err != nil {
		r.problem("%s: node(id) for every ID: %v", name, err)
		return
	}
	refused := map[string]bool{}
	for _, e := range resp.Errors {
		if len(e.Path) == 1 && e.Code() == "NOT_FOUND" && (strings.HasPrefix(fmt.Sprint(e.Path[0]), "n") || strings.HasPrefix(fmt.Sprint(e.Path[0]), "r")) {
			refused[fmt.Sprint(e.Path[0])] = true
			continue
		}
		r.problem("%s: node(id) answered an unexpected error at %s: %s %s", name, errPath(e), e.Code(), e.Message)
	}
	r.walk(v, "node", resp.Data)
	for _, id := range r.ids {
		visible, _ := r.snap.mayView(v, r.snap.typeOf(id), id)
		for _, alias := range []string{fmt.Sprintf("n%d", id), fmt.Sprintf("r%d", id)} {
			got := resp.Data[alias] != nil
			switch {
			case got && !visible:
				// Reported by walk with the path.
			case !got && visible:
				r.problem("%s: node(%d) of a %s it may see answered null (%s)", name, id, r.snap.typeOf(id), alias)
			case !got && !refused[alias]:
				r.problem("%s: node(%d) answered null without NOT_FOUND (%s)", name, id, alias)
			}
			if !got {
				r.refused.Add(1)
			}
		}
	}

	// nodes(ids) resolves per table in batches: another code path.
	resp, err = r.post(token, "query All($ids: [ID!]!) { nodes(ids: $ids) { ...Reach } }\n"+leakNodeFragment, map[string]any{"ids": r.ids})
	if err != nil {
		r.problem("%s: nodes(ids): %v", name, err)
		return
	}
	for _, e := range resp.Errors {
		if len(e.Path) == 2 && fmt.Sprint(e.Path[0]) == "nodes" && e.Code() == "NOT_FOUND" {
			continue
		}
		r.problem("%s: nodes(ids) answered an unexpected error at %s: %s %s", name, errPath(e), e.Code(), e.Message)
	}
	r.walk(v, "nodes", resp.Data)
	list, _ := resp.Data["nodes"].([]any)
	if len(list) != len(r.ids) {
		r.problem("%s: nodes(ids) returned %d entries for %d IDs", name, len(list), len(r.ids))
		return
	}
	for i, id := range r.ids {
		if visible, _ := r.snap.mayView(v, r.snap.typeOf(id), id); visible && list[i] == nil {
			r.problem("%s: nodes(ids) left out the %s %d it may see", name, r.snap.typeOf(id), id)
		}
	}
}

// provinces are the roots of the tree, for regions(where: {within}).
func (r *leakRun) provinces() []int {
	var out []int
	for id, p := range r.snap.regions {
		if strings.Count(p, "/") == 2 {
			out = append(out, id)
		}
	}
	sort.Ints(out)
	return out
}

// asAccount runs every query as v with an active session.
func (r *leakRun) asAccount(token string, v *leakAccount) {
	name := r.viewerName(v)
	resp, err := r.post(token, leakListsQuery(), nil)
	if err != nil {
		r.problem("%s: lists: %v", name, err)
		return
	}
	for _, e := range resp.Errors {
		r.problem("%s: lists answered an error at %s: %s %s", name, errPath(e), e.Code(), e.Message)
	}
	r.walk(v, "lists", resp.Data)
	// Every list returns exactly what the account may see: nothing more
	// (the walk) and nothing less (or the walk would have little to check).
	for field, typ := range map[string]string{"sites": "Site", "units": "Unit", "accounts": "Account", "applications": "Application",
		"persons": "Person", "scans": "Scan", "alerts": "Alert"} {
		conn, _ := resp.Data[field].(map[string]any)
		total, ok := conn["totalCount"].(json.Number)
		if !ok {
			continue // reported as an error above
		}
		got, _ := total.Int64()
		if want := r.snap.visibleCount(v, typ); int(got) != want {
			r.problem("%s: %s counts %d rows, but %d are within its scope", name, field, got, want)
		}
	}
	if conn, ok := resp.Data["pendingReactivations"].(map[string]any); ok {
		list, _ := conn["edges"].([]any)
		want := 0
		for id, rr := range r.snap.reactivations {
			if visible, _ := r.snap.mayView(v, "ReactivationRequest", id); visible && rr.status == "PENDING" && rr.superiorID.Valid && int(rr.superiorID.Int64) == v.id {
				want++
			}
		}
		if len(list) != want {
			r.problem("%s: pendingReactivations has %d requests, want %d", name, len(list), want)
		}
	}
	for _, p := range r.provinces() {
		resp, err := r.post(token, leakRegionsQuery, map[string]any{"within": p})
		if err != nil {
			r.problem("%s: regions within %d: %v", name, p, err)
			continue
		}
		for _, e := range resp.Errors {
			r.problem("%s: regions within %d answered an error at %s: %s %s", name, p, errPath(e), e.Code(), e.Message)
		}
		r.walk(v, fmt.Sprintf("regions(within %d)", p), resp.Data)

		resp, err = r.post(token, leakHealthWithinQuery, map[string]any{"within": p})
		if err != nil {
			r.problem("%s: persons, scans, alerts within %d: %v", name, p, err)
			continue
		}
		for _, e := range resp.Errors {
			r.problem("%s: persons, scans, alerts within %d answered an error at %s: %s %s", name, p, errPath(e), e.Code(), e.Message)
		}
		r.walk(v, fmt.Sprintf("health(within %d)", p), resp.Data)
		for field, typ := range map[string]string{"persons": "Person", "scans": "Scan", "alerts": "Alert"} {
			conn, _ := resp.Data[field].(map[string]any)
			if total, ok := conn["totalCount"].(json.Number); ok {
				got, _ := total.Int64()
				if want := r.snap.visibleWithin(v, typ, r.snap.regions[p]); int(got) != want {
					r.problem("%s: %s within %s counts %d rows, but %d are within its scope", name, field, r.snap.regions[p], got, want)
				}
			}
		}
	}
	r.nodeQueries(token, v)
}

// asRestricted checks the restricted session of a disabled account: every
// list refuses with ACCOUNT_DISABLED; viewer, node(id) and nodes answer
// within its own narrow scope (mayView, issue 10 §8). The lists are asked one by one: a refused non-null root field
// nulls the whole answer.
func (r *leakRun) asRestricted(token string, v *leakAccount) {
	name := r.viewerName(v) + " (restricted session)"
	probes := map[string]string{
		"node":  `{ node(id: "` + strconv.Itoa(v.id) + `") { __typename id } }`,
		"nodes": "query All($ids: [ID!]!) { nodes(ids: $ids) { ...Reach } }\n" + leakNodeFragment,
	}
	for _, l := range leakLists {
		probes[l.field] = "{ " + l.selection + " }"
	}
	for field, q := range probes {
		resp, err := r.post(token, q, map[string]any{"ids": r.ids})
		if err != nil {
			r.problem("%s: %s: %v", name, field, err)
			continue
		}
		r.walk(v, "restricted "+field, resp.Data)
		if field == "node" || field == "nodes" {
			for _, e := range resp.Errors {
				if e.Code() != "NOT_FOUND" {
					r.problem("%s: %s answered an error at %s: %s %s", name, field, errPath(e), e.Code(), e.Message)
				}
			}
			continue
		}
		if field == "viewer" {
			for _, e := range resp.Errors {
				r.problem("%s: viewer answered an error at %s: %s %s", name, errPath(e), e.Code(), e.Message)
			}
			if resp.Data["viewer"] == nil {
				r.problem("%s: viewer is null", name)
			}
			continue
		}
		if len(resp.Errors) != 1 || resp.Errors[0].Code() != "ACCOUNT_DISABLED" || resp.Data[field] != nil {
			r.problem("%s: %s answered %v %+v, want ACCOUNT_DISABLED", name, field, resp.Data, resp.Errors)
		}
	}
}

// anonymous: regions only; the lists are empty or refused.
func (r *leakRun) anonymous() {
	resp, err := r.post("", leakListsQuery(), nil)
	if err != nil {
		r.t.Fatal(err)
	}
	for _, e := range resp.Errors {
		if e.Code() != "UNAUTHENTICATED" {
			r.problem("anonymous: lists answered an error at %s: %s %s", errPath(e), e.Code(), e.Message)
		}
	}
	if resp.Data["viewer"] != nil {
		r.problem("anonymous: viewer is %v, want null", resp.Data["viewer"])
	}
	r.walk(nil, "anonymous lists", resp.Data)
	for _, p := range r.provinces() {
		resp, err := r.post("", leakRegionsQuery, map[string]any{"within": p})
		if err != nil {
			r.t.Fatal(err)
		}
		for _, e := range resp.Errors {
			r.problem("anonymous: regions answered an error at %s: %s %s", errPath(e), e.Code(), e.Message)
		}
		r.walk(nil, "anonymous regions", resp.Data)
	}
	r.nodeQueries("", nil)
}

// everyAccount acts as every account in turn, a few at a time.
func (r *leakRun) everyAccount(creds map[int]leakCred) {
	var ids []int
	for id := range r.snap.accounts {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	activeOf := map[int]int{} // holder → active accounts
	for _, a := range r.snap.accounts {
		if a.status == "ACTIVE" {
			activeOf[a.holderID]++
		}
	}
	work := make(chan int)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				r.asEach(id, creds[id], activeOf)
			}
		}()
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
}

func (r *leakRun) asEach(id int, c leakCred, activeOf map[int]int) {
	v := r.snap.accounts[id]
	name := r.viewerName(v)
	if c.phone == "" {
		r.problem("%s: the test does not know how its holder logs in", name)
		return
	}
	vars := map[string]any{"p": c.phone, "w": c.password}
	switch {
	case v.status == "ACTIVE":
		vars["a"] = id
	case activeOf[v.holderID] > 0:
		// Login acts only as an active account; a disabled one of a
		// person with others is never acted as.
		r.skipped.Add(1)
		return
	}
	resp, err := r.post("", `mutation($p: String!, $w: String!, $a: ID) { login(phone: $p, password: $w, accountId: $a) { accessToken } }`, vars)
	if err != nil || len(resp.Errors) > 0 {
		r.problem("%s: login: %v %+v", name, err, resp)
		return
	}
	login, _ := resp.Data["login"].(map[string]any)
	token, _ := login["accessToken"].(string)

	who, err := r.post(token, `{ viewer { acting { id } } }`, nil)
	if err != nil || len(who.Errors) > 0 {
		r.problem("%s: viewer: %v %+v", name, err, who)
		return
	}
	viewer, _ := who.Data["viewer"].(map[string]any)
	acting, _ := viewer["acting"].(map[string]any)
	if fmt.Sprint(acting["id"]) != strconv.Itoa(id) {
		r.problem("%s: the session acts as %v", name, acting["id"])
		return
	}
	if v.status == "ACTIVE" {
		r.actedAs.Add(1)
		r.asAccount(token, v)
	} else {
		r.restricted.Add(1)
		r.asRestricted(token, v)
	}
}

func (r *leakRun) report() {
	t := r.t
	t.Helper()
	if r.actedAs.Load() < 30 || r.restricted.Load() < 2 {
		t.Errorf("the test acted as only %d accounts and %d restricted sessions; the world is too small to mean much", r.actedAs.Load(), r.restricted.Load())
	}
	sort.Slice(r.findings, func(i, j int) bool {
		a, b := r.findings[i], r.findings[j]
		if a.viewer != b.viewer {
			return a.viewer < b.viewer
		}
		if a.typ != b.typ {
			return a.typ < b.typ
		}
		return a.id < b.id
	})
	type key struct {
		viewer, typ string
		id          int
	}
	seen := map[key]bool{}
	shown := 0
	for _, f := range r.findings {
		k := key{f.viewer, f.typ, f.id}
		if seen[k] {
			continue
		}
		seen[k] = true
		if shown++; shown <= 40 {
			if f.typ == "totalCount" {
				t.Errorf("SECURITY: %s got %s at %s", f.viewer, f.kind, f.path)
			} else {
				t.Errorf("SECURITY: %s saw %s %d, %s (at %s)", f.viewer, f.typ, f.id, f.kind, f.path)
			}
		}
	}
	if len(seen) > 0 {
		t.Errorf("SECURITY: %d (viewer, type, id) leaks in all", len(seen))
	}
	slices.Sort(r.problems)
	for i, p := range slices.Compact(r.problems) {
		if i == 40 {
			t.Errorf("… and more (%d in all)", len(r.problems))
			break
		}
		t.Error(p)
	}
}

// exercised fails the test when the world no longer gives every role that
// sees some persons, scans or alerts rows both to see and not to see: the
// checks of those rules would then prove nothing.
func (r *leakRun) exercised() {
	rules := map[string][]string{
		"Person": {"OFFICIAL", "GRID_WORKER"},
		"Scan":   {"SENIOR", "INTERMEDIATE", "ORDINARY", "OFFICIAL", "GRID_WORKER"},
		"Alert":  {"SENIOR", "OFFICIAL", "GRID_WORKER"},
	}
	var summary []string
	for _, typ := range []string{"Person", "Scan", "Alert"} {
		total := r.snap.visibleCount(&leakAccount{role: "INITIATOR"}, typ)
		pairs := 0
		for _, role := range rules[typ] {
			seeSome, missSome := false, false
			for _, a := range r.snap.accounts {
				if a.role != role || a.status != "ACTIVE" {
					continue
				}
				n := r.snap.visibleCount(a, typ)
				pairs += n
				seeSome, missSome = seeSome || n > 0, missSome || n < total
			}
			if !seeSome || !missSome {
				r.t.Errorf("no active %s sees some %s rows and misses others (of %d): the world does not exercise that rule", role, typ, total)
			}
		}
		summary = append(summary, fmt.Sprintf("%d %s", pairs, typ))
	}
	r.t.Logf("(viewer, row) pairs visible by the rules of issue 4: %s", strings.Join(summary, ", "))
}

// A where input may not test rows outside the caller's scope: the answer to
// "is there a neighbour like this" must be the same whether or not a hidden
// row matches. ent builds hasXWith as a subquery on the neighbour's table,
// which the scope filter (an interceptor) never sees.
func TestEdgePredicatesDoNotSeeOutsideScope(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		srv := apitest.New(t, db, httpserver.Config{})
		initiator := srv.LoginInitiator()
		// An OFFICIAL whose scope is the park's east entrance sees that
		// sub-site, not the park above it.
		var official struct{ CreateAccount struct{ ID string } }
		srv.QueryAs(initiator, `mutation($in: CreateAccountInput!) { createAccount(input: $in) { id } }`,
			map[string]any{"in": map[string]any{"role": "OFFICIAL", "scopeId": f.entrance.ID,
				"holder": map[string]any{"name": "门岗督查", "phone": "13600009901", "password": "official-pass-01"}}}).Decode(t, &official)
		officialToken := srv.Login("13600009901", "official-pass-01")

		probes := []struct {
			name, token, query string
			hidden, absent     map[string]any // a predicate the hidden row matches, and one nothing matches
		}{
			{"AnonymousFindsSiteByName", "", `query($w: [SiteWhereInput!]) { regions(where: {hasSitesWith: $w}) { totalCount } }`,
				map[string]any{"w": []any{map[string]any{"name": "南湖公园"}}}, map[string]any{"w": []any{map[string]any{"name": "不存在的公园"}}}},
			{"AnonymousFindsSiteByCoordinates", "", `query($w: [SiteWhereInput!]) { regions(where: {hasSitesWith: $w}) { totalCount } }`,
				map[string]any{"w": []any{map[string]any{"latitudeGT": 43.8, "latitudeLT": 43.9}}}, map[string]any{"w": []any{map[string]any{"latitudeGT": 10.0, "latitudeLT": 10.1}}}},
			{"OfficialOfSubSiteReadsParentName", officialToken, `query($w: [SiteWhereInput!]) { sites(where: {hasParentWith: $w}) { totalCount } }`,
				map[string]any{"w": []any{map[string]any{"name": "南湖公园"}}}, map[string]any{"w": []any{map[string]any{"name": "不存在的公园"}}}},
		}
		for _, p := range probes {
			t.Run(p.name, func(t *testing.T) {
				hit := srv.QueryAs(p.token, p.query, p.hidden)
				miss := srv.QueryAs(p.token, p.query, p.absent)
				// Answered, or refused by the guard: an operation that fails
				// for another reason (a typo) would compare equal and prove nothing.
				for _, resp := range []*apitest.Response{hit, miss} {
					if c := resp.Codes(); len(c) > 0 && !slices.Equal(c, []string{"INVALID_INPUT"}) {
						t.Fatalf("the probe failed for another reason: %+v", resp.Errors)
					}
				}
				if string(hit.Data) != string(miss.Data) || !slices.Equal(hit.Codes(), miss.Codes()) {
					t.Errorf("SECURITY: the answer depends on a row outside the scope: %s %v for the hidden row, %s %v for none", hit.Data, hit.Codes(), miss.Data, miss.Codes())
				}
			})
		}
	})
}

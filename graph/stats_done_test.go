package graph_test

// Issue 12's "done means", as one scenario through GraphQL on both
// databases. The scenario (residents of two districts register and are
// scanned) is complete; the statistics checks are TODO functions that fail
// with "incomplete: …" until the coordinator completes them at merge with
// the stats API (helper statsq: Query.stats, supervision, statsExport;
// helper progress: Region.registrationProgress; helper rollscan: stats
// verify). The test must never pass before they are written.

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/ent/scan"
	"github.com/mashang/mashang/ent/site"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
)

// statsDistrict is one district of the scenario and what happened in it,
// as the scenario itself counts it.
type statsDistrict struct {
	name, code, id, path string
	site, community      string // ids
	official, scanner    account
	lat, lng             *float64 // the site's position, when it has one

	registered, scans, fevers, denied int
	people                            map[string]bool // distinct persons scanned
}

// statsScenario is the world of TestStatsDoneMeans.
type statsScenario struct {
	srv               *apitest.Server
	db                *database.DB
	initiator, senior string // tokens; the SENIOR's scope is 朝阳区
	chaoyang, ningguo *statsDistrict
}

// TestStatsDoneMeans: residents register and are scanned in 朝阳区 and
// 宁国市; stats as the province, as each district's OFFICIAL and as a
// SENIOR give exactly the numbers a recount gives; an OFFICIAL asking about
// the other district is refused; registrationProgress matches seed 003
// annex 1 for 宁国市's towns in the demo data; supervision lists a
// MANDATORY site with no scans; the XLSX export holds the same numbers;
// `mashang stats verify` exits 0.
func TestStatsDoneMeans(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		s := newStatsScenario(t, db)
		s.recount(t) // the raw rows hold what the scenario did

		// TODO(coordinator, at merge): complete each with the merged stats API.
		s.checkStatsAsProvince(t)
		s.checkStatsAsOfficials(t)
		s.checkOfficialOfAnotherDistrictRefused(t)
		s.checkStatsAsSenior(t)
		s.checkRegistrationProgressOfNingguoDemo(t)
		s.checkSupervisionListsSilentMandatorySite(t)
		s.checkExportHoldsTheSameNumbers(t)
		s.checkStatsVerifyExitsZero(t)
	})
}

// newStatsScenario builds the world and plays the scenario through GraphQL.
func newStatsScenario(t *testing.T, db *database.DB) *statsScenario {
	t.Helper()
	f := newFixture(t, db)
	// 宁国市's street has no community in the fixture: residents live in one.
	heli := f.tree.Add("341881003", "341881003001", "河沥溪社区")
	s := &statsScenario{srv: apitest.New(t, db, httpserver.Config{}), db: db}
	s.initiator = s.srv.LoginInitiator()
	parkLat, parkLng := 43.8601, 125.3101
	s.chaoyang = &statsDistrict{name: "朝阳区", code: "220104", id: fmt.Sprint(f.chaoyangID), path: "/22/2201/220104/",
		site: fmt.Sprint(f.park.ID), community: fmt.Sprint(f.tree.ByCode["220104001001"].ID), lat: &parkLat, lng: &parkLng, people: map[string]bool{}}
	ng, err := db.Client.Site.Query().Where(site.Name("河沥溪街道办事处政府")).Only(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s.ningguo = &statsDistrict{name: "宁国市", code: "341881", id: fmt.Sprint(f.ningguoID), path: "/34/3418/341881/",
		site: fmt.Sprint(ng.ID), community: fmt.Sprint(heli.ID), people: map[string]bool{}}

	for i, d := range []*statsDistrict{s.chaoyang, s.ningguo} {
		d.official = createAccount(t, s.srv, s.initiator, "OFFICIAL", d.id, d.name+"卫健局", fmt.Sprintf("136000009%02d", i), "")
		scannerID := validID(t, d.code+fmt.Sprintf("1980010%d03%d", i+1, i))
		d.scanner = createAccount(t, s.srv, s.initiator, "ORDINARY", d.site, d.name+"扫码员", fmt.Sprintf("136000009%02d", 10+i), scannerID)
		registerPerson(t, s.srv, d.name+"扫码员", scannerID, d.community)
	}
	s.senior = s.openSenior(t, s.chaoyang.id)

	// 朝阳区: six residents scanned by code, one with a fever; an elder
	// without a code registered by hand. 宁国市: four residents, one
	// scanned twice (once by a shown code).
	s.residents(t, s.chaoyang, 6, 2)
	s.residents(t, s.ningguo, 4, -1)
	s.manual(t, s.chaoyang, "王大爷", validID(t, "22010419400101051"))
	s.shownCode(t, s.ningguo)
	return s
}

// openSenior has a unit apply for a SENIOR of scope (seed 001 §9) and the
// province approve it; it returns the senior's token.
func (s *statsScenario) openSenior(t *testing.T, scope string) string {
	t.Helper()
	var app struct{ SubmitSeniorApplication struct{ ID string } }
	s.srv.QueryAs(s.initiator, `mutation($in: SeniorApplicationInput!) { submitSeniorApplication(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"unitName": "长春市朝阳区政务服务中心", "uscc": "91350100M000100Y43", "scopeId": scope,
			"holder": map[string]any{"name": "李高级", "phone": "13700000091", "idNumber": "11010519491231002X"}}}).Decode(t, &app)
	var decided struct {
		DecideApplication struct{ InitialPassword string }
	}
	s.srv.QueryAs(s.initiator, `mutation($id: ID!) { decideApplication(id: $id, approve: true) { initialPassword } }`,
		map[string]any{"id": app.SubmitSeniorApplication.ID}).Decode(t, &decided)
	return s.srv.Login("13700000091", decided.DecideApplication.InitialPassword)
}

// residents registers n residents of d (through the anonymous
// registerPerson) and has each scanned once by code at d's site; the
// fever-th one (0-based; -1 for none) has 38.1 °C: denied, YELLOW.
func (s *statsScenario) residents(t *testing.T, d *statsDistrict, n, fever int) {
	t.Helper()
	for i := range n {
		r := registerPerson(t, s.srv, fmt.Sprintf("%s居民%d", d.name, i), validID(t, d.code+fmt.Sprintf("19900201%03d", 100+i)), d.community)
		d.registered++
		temp := 36.5
		if i == fever {
			temp = 38.1
		}
		in := map[string]any{"clientId": fmt.Sprintf("%s-%d", d.code, i), "site": d.site, "method": "SCAN_CODE",
			"token": issueCode(t, s.srv, r.Token), "temperature": temp}
		s.record(t, d, in, r.ID)
	}
}

// manual registers an elder without a code at d's door (seed 001 §5).
func (s *statsScenario) manual(t *testing.T, d *statsDistrict, name, idNumber string) {
	t.Helper()
	in := map[string]any{"clientId": d.code + "-manual", "site": d.site, "method": "MANUAL", "temperature": 36.6,
		"manual": map[string]any{"name": name, "idType": "RESIDENT_ID", "idNumber": idNumber}}
	s.record(t, d, in, "manual:"+idNumber)
	// A MANUAL registration of someone new registers them, in the
	// district (the rows say so; recount checks it).
	d.registered++
}

// shownCode scans d's first resident again, by a GREEN code shown and the
// identity typed in.
func (s *statsScenario) shownCode(t *testing.T, d *statsDistrict) {
	t.Helper()
	idNumber := validID(t, d.code+"19900201100")
	in := map[string]any{"clientId": d.code + "-shown", "site": d.site, "method": "SHOW_CODE", "colour": "GREEN", "temperature": 36.4,
		"manual": map[string]any{"name": d.name + "居民0", "idType": "RESIDENT_ID", "idNumber": idNumber}}
	s.record(t, d, in, "")
}

// record records one scan as d's scanner and tallies it; person names the
// person for the distinct count ("" when already counted).
func (s *statsScenario) record(t *testing.T, d *statsDistrict, in map[string]any, person string) {
	t.Helper()
	if d.lat != nil {
		in["latitude"], in["longitude"] = *d.lat, *d.lng
	}
	out, resp := recordScan(t, s.srv, d.scanner.token, in)
	if len(resp.Errors) > 0 || out.ID == "" {
		t.Fatalf("%s scan %v: %+v", d.name, in["clientId"], resp.Errors)
	}
	d.scans++
	if out.Temperature >= 37.3 {
		d.fevers++
	}
	if out.Decision == "DENY" {
		d.denied++
	}
	if person != "" {
		d.people[person] = true
	}
}

// recount counts the raw rows of each district as `mashang stats verify`
// would, and checks that they hold what the scenario did: the numbers the
// stats checks below must find.
func (s *statsScenario) recount(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	for _, d := range []*statsDistrict{s.chaoyang, s.ningguo} {
		rows, err := s.db.Client.Scan.Query().Where(scan.SitePathGTE(d.path), scan.SitePathLT(d.path+"~")).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var fevers, denied int
		for _, r := range rows {
			if r.Fever {
				fevers++
			}
			if r.Decision == scan.DecisionDENY {
				denied++
			}
		}
		if len(rows) != d.scans || fevers != d.fevers || denied != d.denied {
			t.Errorf("%s: %d scans, %d fevers, %d denied in the rows; the scenario recorded %d, %d, %d",
				d.name, len(rows), fevers, denied, d.scans, d.fevers, d.denied)
		}
		residents, err := s.db.Client.Person.Query().Where(person.ResidencePathGTE(d.path), person.ResidencePathLT(d.path+"~")).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// The scanner's own registration lives in the district too.
		if residents != d.registered+1 {
			t.Errorf("%s: %d residents in the rows, the scenario registered %d (+1 scanner)", d.name, residents, d.registered)
		}
	}
	if s.chaoyang.fevers != 1 || s.chaoyang.denied < 1 || s.ningguo.scans != 5 || len(s.chaoyang.people) != 7 {
		t.Errorf("scenario: 朝阳区 %d fevers, %d denied, %d people; 宁国市 %d scans",
			s.chaoyang.fevers, s.chaoyang.denied, len(s.chaoyang.people), s.ningguo.scans)
	}
}

// ---- TODO(coordinator): the statistics checks, with the merged stats API ----

func incomplete(t *testing.T, what string) {
	t.Helper()
	t.Fatal("incomplete: " + what + " — the stats API is not in the ministry branch; complete at merge (see graph/stats_done_test.go)")
}

// checkStatsAsProvince: Query.stats as the INITIATOR, groupBy REGION at
// DISTRICT level, measures REGISTRATIONS, SCANS, FEVERS, PEOPLE_SCANNED
// (and DECISION=DENY): each district's row equals d.registered (+1
// scanner), d.scans, d.fevers, len(d.people), d.denied.
func (s *statsScenario) checkStatsAsProvince(t *testing.T) {
	incomplete(t, "stats as the province for "+strings.Join([]string{s.chaoyang.name, s.ningguo.name}, ", "))
}

// checkStatsAsOfficials: each district's OFFICIAL (d.official.token) asks
// stats under its own district and gets exactly its district's numbers.
func (s *statsScenario) checkStatsAsOfficials(t *testing.T) {
	incomplete(t, "stats as each district's OFFICIAL")
}

// checkOfficialOfAnotherDistrictRefused: s.ningguo.official asking stats
// under s.chaoyang.id is refused (FORBIDDEN), never silently trimmed.
func (s *statsScenario) checkOfficialOfAnotherDistrictRefused(t *testing.T) {
	incomplete(t, "an OFFICIAL asking about another district is refused")
}

// checkStatsAsSenior: s.senior (scope 朝阳区) gets 朝阳区's numbers and is
// refused 宁国市's.
func (s *statsScenario) checkStatsAsSenior(t *testing.T) {
	incomplete(t, "stats as a SENIOR")
}

// checkRegistrationProgressOfNingguoDemo: on a database seeded by
// demo.Seed, Region.registrationProgress of 宁国市's towns gives seed 003
// annex 1's targets (港口镇 341881100: 29415 of 32683; 南极乡 341881201:
// 10162, the seed's figure; 宁国市 itself 340124 — demo/RECONCILIATION.md).
func (s *statsScenario) checkRegistrationProgressOfNingguoDemo(t *testing.T) {
	incomplete(t, "registrationProgress of 宁国市's towns in the demo data")
}

// checkSupervisionListsSilentMandatorySite: supervision(under: 朝阳区,
// date: today) lists an enabled site of a MANDATORY category with no scan
// today (create one through createSite, never scanned).
func (s *statsScenario) checkSupervisionListsSilentMandatorySite(t *testing.T) {
	incomplete(t, "supervision lists a MANDATORY site with no scans")
}

// checkExportHoldsTheSameNumbers: statsExport with the province's
// arguments returns an XLSX that excelize opens, whose rows and totals
// equal checkStatsAsProvince's.
func (s *statsScenario) checkExportHoldsTheSameNumbers(t *testing.T) {
	incomplete(t, "the XLSX export holds the same numbers")
}

// checkStatsVerifyExitsZero: `mashang stats verify` (app command, or
// stats.Verify over s.db) finds no difference.
func (s *statsScenario) checkStatsVerifyExitsZero(t *testing.T) {
	incomplete(t, "mashang stats verify exits 0")
}

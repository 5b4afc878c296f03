package graph_test

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/mashang/mashang/ent/alert"
	"github.com/mashang/mashang/scenario"
)

// ---- the world, issue 4: residents, scans and alerts ----
//
// buildHealth adds to the leak world, through the API as the real actors
// would: residents of several regions (one of no known residence), scanner
// accounts whose holders have registered codes, fever scans by them at
// sites of several subtrees and sectors (each raising an alert), normal
// scans (none), colour changes by officials (an alert of no sector at the
// person's residence, or at the root for no residence), and alerts assigned
// to grid workers — two of the same community, so that "assigned to them"
// tells them apart.

// leakResident is a registered person and the credential of their app.
type leakResident struct {
	id    int
	token string
}

// nextIDNumber returns a new valid resident ID number of the district code.
func (w *leakWorld) nextIDNumber(district string) string {
	w.idSeq++
	return validID(w.t, fmt.Sprintf("%s1985%02d%02d%03d", district, 1+w.idSeq%12, 1+w.idSeq%28, w.idSeq))
}

// register registers a person through the public registerPerson; region 0
// means no known residence.
func (w *leakWorld) register(idNumber string, region int) leakResident {
	w.t.Helper()
	return w.registerAs("", idNumber, region)
}

// registerAs registers a person under name ("" for a made-up one): an
// account's holder claims, under their own name, the record their account
// registered for them (issue 11, point 16).
func (w *leakWorld) registerAs(name, idNumber string, region int) leakResident {
	w.t.Helper()
	made := leakPersonNames[w.rng.IntN(len(leakPersonNames))] + "居民" + idNumber[14:17]
	if name == "" {
		name = made
	}
	in := map[string]any{"name": name, "idNumber": idNumber, "phone": "13812345678"}
	if region != 0 {
		in["residenceRegion"] = region
	}
	var got struct {
		RegisterPerson struct {
			Person      struct{ ID string }
			PersonToken string
		}
	}
	w.gql("", `mutation($in: RegisterPersonInput!) { registerPerson(input: $in) { person { id } personToken } }`, map[string]any{"in": in}, &got)
	id, _ := strconv.Atoi(got.RegisterPerson.Person.ID)
	return leakResident{id: id, token: got.RegisterPerson.PersonToken}
}

// resident registers someone new living in the region with this code ("" for
// no known residence).
func (w *leakWorld) resident(code string) leakResident {
	if code == "" {
		return w.register(w.nextIDNumber("220104"), 0)
	}
	return w.register(w.nextIDNumber((code + "0102")[:6]), w.tree.ByCode[code].ID)
}

// createScanner opens an account for someone new with a resident ID, and
// registers the holder's own code (living at residence) so the account may
// record scans. It returns the account and its token.
func (w *leakWorld) createScanner(token, role string, scopeID int, residence string) (int, string) {
	w.t.Helper()
	holder, c := w.newPerson()
	c.idNumber = w.nextIDNumber(residence[:6])
	holder["idNumber"] = c.idNumber
	var got struct{ CreateAccount struct{ ID string } }
	w.gql(token, `mutation($in: CreateAccountInput!) { createAccount(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"role": role, "scopeId": scopeID, "holder": holder}}, &got)
	id, _ := strconv.Atoi(got.CreateAccount.ID)
	w.creds[id] = c
	w.registerAs(c.name, c.idNumber, w.tree.ByCode[residence].ID)
	own := w.login(c, id)
	acceptPending(w.t, w.srv, own) // issue 10 §2: the holder's consent
	return id, own
}

// scanAt records a SCAN_CODE scan of the person at the site as the
// scanner, and returns the alert it raised (0 for none).
func (w *leakWorld) scanAt(scanner string, site int, p leakResident, temperature float64) int {
	w.t.Helper()
	var code struct{ IssueCode struct{ Token string } }
	w.gql("", `mutation($t: String!) { issueCode(input: {personToken: $t, ttlMinutes: 30}) { token } }`, map[string]any{"t": p.token}, &code)
	return w.record(scanner, map[string]any{"site": site, "method": "SCAN_CODE", "token": code.IssueCode.Token, "temperature": temperature})
}

func (w *leakWorld) record(scanner string, in map[string]any) int {
	w.t.Helper()
	w.idSeq++
	in["clientId"] = fmt.Sprintf("leak-%04d", w.idSeq)
	var got struct{ RecordScan struct{ ID, Decision string } }
	w.gql(scanner, `mutation($in: ScanInput!) { recordScan(input: $in) { id decision } }`, map[string]any{"in": in}, &got)
	scanID, _ := strconv.Atoi(got.RecordScan.ID)
	a, err := w.db.Client.Alert.Query().Where(alert.ScanID(scanID)).Only(context.Background())
	switch {
	case err == nil && got.RecordScan.Decision == "DENY":
		return a.ID
	case err != nil && got.RecordScan.Decision == "PASS":
		return 0
	}
	w.t.Fatalf("scan %d decided %s, alert %v (%v)", scanID, got.RecordScan.Decision, a, err)
	return 0
}

// setRisk changes a person's risk as an official (or the initiator) and
// returns the colour-change alert it raised.
func (w *leakWorld) setRisk(token string, p leakResident, risk string) int {
	w.t.Helper()
	var got struct{ SetRisk struct{ Colour string } }
	w.gql(token, `mutation($in: SetRiskInput!) { setRisk(input: $in) { colour } }`, map[string]any{"in": map[string]any{
		"person": p.id, "risk": risk, "quarantineEnds": time.Now().AddDate(0, 0, 14).UTC().Format(time.RFC3339)}}, &got)
	a, err := w.db.Client.Alert.Query().Where(alert.PersonID(p.id), alert.KindEQ(alert.KindCOLOUR_CHANGE)).
		Order(alert.ByID()).All(context.Background())
	if err != nil || len(a) == 0 {
		w.t.Fatalf("setRisk %s made person %d %s but raised no alert (%v)", risk, p.id, got.SetRisk.Colour, err)
	}
	return a[len(a)-1].ID
}

func (w *leakWorld) handle(token string, alertID int, action string, assignee int, note string) {
	w.t.Helper()
	in := map[string]any{"alert": alertID, "action": action}
	if assignee != 0 {
		in["assignee"] = assignee
	}
	if note != "" {
		in["note"] = note
	}
	var got struct{ HandleAlert struct{ Status string } }
	w.gql(token, `mutation($in: HandleAlertInput!) { handleAlert(input: $in) { status } }`, map[string]any{"in": in}, &got)
}

func (w *leakWorld) buildHealth() {
	code := func(c string) int { return w.tree.ByCode[c].ID }
	initiator, s := w.initiator, w.seniors
	official := func(id int) string { return w.login(w.creds[id], id) }
	health, anhui := official(w.officialHealth), official(w.officialAnh)

	// Sites the scans need whatever the seed drew, in subtrees of every
	// senior and of none, of several sectors.
	changyiHospital := w.addSite("昌邑区中心医院", scenario.MedicalInstitution, scenario.SectorHealth, code("220202001001"), 0)
	changyiSchool := w.addSite("昌邑区实验中学", scenario.School, scenario.SectorEducation, code("220202001001"), 0)
	ningguoSchool := w.addSite("宁国市第一小学", scenario.School, scenario.SectorEducation, code("341881001001"), 0)
	ningguoMarket := w.addSite("宁国市农贸市场", scenario.FarmersMarket, scenario.SectorCommerce, code("341881001001"), 0)
	nanguanClinic := w.addSite("南关区妇幼保健院", scenario.MedicalInstitution, scenario.SectorHealth, code("220102001001"), 0)
	hospital, canteen := w.named["朝阳区人民医院"], w.named["朝阳区人民医院食堂"]
	mall, pharmacy := w.named["欧亚商都"], w.named["欧亚商都药店"]

	// Residents: of a community, a street, a district, a city, a province,
	// and of nowhere known.
	r1 := w.resident("220104001001")
	r2 := w.resident("220102001")
	r3 := w.resident("341881001001")
	r4 := w.resident("220202001")
	r5 := w.resident("")
	r6 := w.resident("341802")
	r7 := w.resident("34")
	r8 := w.resident("2201")

	// Scanners: the first senior (its holder got a resident ID in
	// buildAccounts), ordinaries and an intermediate under every senior, an
	// ordinary of the initiator's where no senior works, two ordinaries at
	// the same sites (each sees only its own records).
	seniorCred := w.creds[s[0].id]
	w.registerAs(seniorCred.name, seniorCred.idNumber, code("220104002"))
	senior0 := w.login(seniorCred, s[0].id)
	_, ordA := w.createScanner(s[0].token, "ORDINARY", code("220104001"), "220104002")
	_, ordB := w.createScanner(s[0].token, "ORDINARY", code("220104001001"), "220104001001")
	_, interC := w.createScanner(s[2].token, "INTERMEDIATE", code("220202001"), "220202001001")
	_, ordC := w.createScanner(interC, "ORDINARY", code("220202001001"), "220202001")
	_, ordD := w.createScanner(s[1].token, "ORDINARY", code("341881001"), "341881001001")
	ordD2ID, ordD2 := w.createScanner(s[1].token, "ORDINARY", code("341881001001"), "341881001")
	_, ordF := w.createScanner(initiator, "ORDINARY", code("220102"), "220102001001")

	// Grid workers: a second one of 220104001001 and one of 宁国市; an
	// official of a sector over the whole of 吉林省.
	gw1 := w.gridChaoyang
	gw2 := w.createAccount(initiator, "GRID_WORKER", code("220104001001"), nil, "")
	gw3 := w.createAccount(initiator, "GRID_WORKER", code("341881001001"), nil, "")
	w.createAccount(initiator, "OFFICIAL", code("22"), nil, "COMMERCE")

	// 宁国市's pushes are paused: its alerts are still recorded and listed.
	var paused struct{ PauseAlerts bool }
	w.gql(anhui, `mutation($r: ID!) { pauseAlerts(region: $r, paused: true, reason: "泄漏测试") }`, map[string]any{"r": code("341881")}, &paused)

	const fever, normal = 37.8, 36.5
	seniorHospital := w.scanAt(senior0, hospital, r1, fever)
	w.scanAt(senior0, canteen, r5, fever+0.1)
	w.scanAt(senior0, hospital, r8, normal)
	w.scanAt(ordA, hospital, r2, fever+0.3)
	w.scanAt(ordA, canteen, r1, normal)
	w.scanAt(ordB, hospital, r5, normal)
	canteenB := w.scanAt(ordB, canteen, r6, fever+0.2)
	w.scanAt(interC, changyiHospital, r4, fever-0.2)
	w.scanAt(interC, changyiSchool, r7, normal)
	w.scanAt(ordC, changyiSchool, r4, fever+0.4)
	ningguo := w.scanAt(ordD, ningguoSchool, r3, fever+0.1)
	w.scanAt(ordD, ningguoMarket, r6, fever-0.3)
	w.scanAt(ordD2, ningguoSchool, r7, normal)
	w.scanAt(ordF, nanguanClinic, r2, fever-0.1)
	w.scanAt(ordF, mall, r8, fever+0.2)
	// A person without a code, registered on the spot (seed 001 §5).
	w.record(ordF, map[string]any{"site": pharmacy, "method": "MANUAL", "temperature": fever + 0.5,
		"manual": map[string]any{"name": "赵无码", "idNumber": w.nextIDNumber("220102")}})

	// Colour changes: alerts of no sector at the residence (the root for
	// a person of no known residence).
	colourR1 := w.setRisk(health, r1, "QUARANTINED")
	w.setRisk(anhui, r3, "QUARANTINED")
	w.setRisk(initiator, r5, "QUARANTINED")
	w.setRisk(initiator, r2, "CONFIRMED")

	// Handling: alerts of the same community to either grid worker, by a
	// senior, an official and the initiator; one visited; one assigned to
	// a grid worker who is then disabled.
	w.handle(s[0].token, seniorHospital, "ASSIGN", gw1, "")
	w.handle(health, colourR1, "ASSIGN", gw2, "")
	w.handle(initiator, canteenB, "ASSIGN", gw1, "")
	w.handle(official(gw1), canteenB, "VISIT", 0, "上门核实：居家观察")
	w.handle(anhui, ningguo, "ASSIGN", gw3, "")
	w.disable(initiator, gw3, false)
	// A scanner with records of its own, disabled (a restricted session).
	w.disable(s[1].token, ordD2ID, false)
}

package graph_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/alert"
	"github.com/mashang/mashang/ent/auditevent"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/sites"
)

// Issue 11, points 12 and 13: grid workers who know whom to visit.

// hospitalWorld is the healthWorld with a hospital in 南关区 (another
// district than the resident's 前进社区), its scanner and its district's
// official.
type hospitalWorld struct {
	*healthWorld
	nanguanOfficial, scanner account
	hospitalID               string
}

const hospitalLat, hospitalLng = 43.88, 125.33

func newHospitalWorld(t *testing.T, db *database.DB) *hospitalWorld {
	t.Helper()
	w := &hospitalWorld{healthWorld: newHealthWorld(t, db)}
	ctx := context.Background()
	nanguan, err := db.Client.Region.Query().Where(region.Code("220102")).Only(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lat, lng := hospitalLat, hospitalLng
	h, err := sites.Create(ctx, db.Client, nil, sites.Input{Name: "吉大一院", Category: scenario.MedicalInstitution, Built: true, Enabled: true,
		Latitude: &lat, Longitude: &lng, RegionID: nanguan.ID})
	if err != nil {
		t.Fatal(err)
	}
	w.hospitalID = fmt.Sprint(h.ID)
	w.nanguanOfficial = createAccount(t, w.srv, w.initiator, "OFFICIAL", fmt.Sprint(nanguan.ID), "南关区卫健局", "13600000041", "")
	scannerID := validID(t, "22010219800101041")
	w.scanner = createAccount(t, w.srv, w.initiator, "ORDINARY", w.hospitalID, "医院扫码员", "13600000042", scannerID)
	registerPerson(t, w.srv, "医院扫码员", scannerID, w.community)
	return w
}

// fever scans the code of the person with token personToken at 39.2 °C at
// the hospital and returns the alert it raised.
func (w *hospitalWorld) fever(t *testing.T, personToken, clientID string) string {
	t.Helper()
	code := issueCode(t, w.srv, personToken)
	s, resp := recordScan(t, w.srv, w.scanner.token, map[string]any{"clientId": clientID, "site": w.hospitalID,
		"latitude": hospitalLat, "longitude": hospitalLng, "method": "SCAN_CODE", "token": code, "temperature": 39.2})
	if len(resp.Errors) > 0 || s.Decision != "DENY" {
		t.Fatalf("fever at the hospital: %+v %+v", s, resp.Errors)
	}
	a, err := w.db.Client.Alert.Query().Where(alert.KindEQ(alert.KindSCAN)).Order(alert.ByID()).All(context.Background())
	if err != nil || len(a) == 0 {
		t.Fatalf("no alert raised: %v", err)
	}
	return fmt.Sprint(a[len(a)-1].ID)
}

const handleQ = `mutation($in: HandleAlertInput!) { handleAlert(input: $in) { status } }`

func handle(srv *apitest.Server, token, alertID, action string, extra map[string]any) *apitest.Response {
	in := map[string]any{"alert": alertID, "action": action}
	for k, v := range extra {
		in[k] = v
	}
	return srv.QueryAs(token, handleQ, map[string]any{"in": in})
}

// alertIDs lists the ids of the alerts token sees.
func alertIDs(t *testing.T, srv *apitest.Server, token string) []string {
	t.Helper()
	var got struct {
		Alerts struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	srv.QueryAs(token, `{ alerts(first: 50) { edges { node { id } } } }`, nil).Decode(t, &got)
	var ids []string
	for _, e := range got.Alerts.Edges {
		ids = append(ids, e.Node.ID)
	}
	return ids
}

// A fever at the hospital in 南关区 concerns 前进社区, where the person lives:
// the residence district's official sees it (list and push), the grid
// worker of 前进社区 may be assigned and is pushed the assignment; the
// grid worker of another community may not, and an official of another
// city still sees nothing.
func TestAFeverAtTheHospitalCanBeAssignedToTheGridWorkerWhereThePersonLives(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHospitalWorld(t, db)
		other := createAccount(t, w.srv, w.initiator, "GRID_WORKER", fmt.Sprint(w.db.Client.Region.Query().Where(region.Code("220104001002")).OnlyIDX(context.Background())),
			"西安桥网格员", "13600000043", "")
		residence := subscribe(t, w.srv, w.official.token, `subscription { alertRaised { id } }`, nil)
		grid := subscribe(t, w.srv, w.grid.token, `subscription { alertRaised { id status } }`, nil)
		w.srv.WaitSubscribers(2)

		id := w.fever(t, w.resident.Token, "hospital-1")
		if a := residence.next(10 * time.Second); fmt.Sprint(a["id"]) != id {
			t.Fatalf("the residence district's official was pushed %v, want alert %s", a, id)
		}
		if ids := alertIDs(t, w.srv, w.official.token); !slices.Contains(ids, id) {
			t.Fatalf("the residence district's official lists %v, not the fever %s", ids, id)
		}
		var within struct {
			Alerts struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		w.srv.QueryAs(w.official.token, `query($c: ID) { alerts(first: 10, where: {within: $c}) { edges { node { id } } } }`,
			map[string]any{"c": w.community}).Decode(t, &within)
		if e := within.Alerts.Edges; len(e) != 1 || e[0].Node.ID != id {
			t.Fatalf("alerts within the person's community: %+v", e)
		}
		if ids := alertIDs(t, w.srv, w.nanguanOfficial.token); !slices.Contains(ids, id) {
			t.Fatalf("the hospital district's official lists %v, not the fever %s", ids, id)
		}

		t.Run("AsAnOfficialOfAnotherCity", func(t *testing.T) {
			if ids := alertIDs(t, w.srv, w.outsider.token); len(ids) != 0 {
				t.Fatalf("宁国市's official lists %v", ids)
			}
			wantCodes(t, handle(w.srv, w.outsider.token, id, "ASSIGN", map[string]any{"assignee": w.grid.ID}), "NOT_FOUND")
		})
		t.Run("AssigningTheGridWorkerOfAnotherCommunity", func(t *testing.T) {
			wantCodes(t, handle(w.srv, w.nanguanOfficial.token, id, "ASSIGN", map[string]any{"assignee": other.ID}), "INVALID_INPUT")
		})

		// The hospital's district assigns the grid worker where the person lives.
		var h struct{ HandleAlert struct{ Status string } }
		handle(w.srv, w.nanguanOfficial.token, id, "ASSIGN", map[string]any{"assignee": w.grid.ID}).Decode(t, &h)
		if h.HandleAlert.Status != "ASSIGNED" {
			t.Fatalf("after ASSIGN %+v", h)
		}
		if a := grid.next(10 * time.Second); fmt.Sprint(a["id"]) != id || a["status"] != "ASSIGNED" {
			t.Fatalf("the grid worker was pushed %v", a)
		}
		if ids := alertIDs(t, w.srv, w.grid.token); !slices.Equal(ids, []string{id}) {
			t.Fatalf("the grid worker lists %v", ids)
		}
		// The residence district's official may re-assign it too.
		handle(w.srv, w.official.token, id, "ASSIGN", map[string]any{"assignee": w.grid.ID}).Decode(t, &h)
		t.Run("AsTheGridWorkerOfAnotherCommunity", func(t *testing.T) {
			if ids := alertIDs(t, w.srv, other.token); len(ids) != 0 {
				t.Fatalf("西安桥's grid worker lists %v", ids)
			}
		})
	})
}

type visitContact struct {
	Phone, PhoneMasked, Address, AddressMasked *string
}

// contactOf reads Alert.contact (and the person) of alert id as token:
// "hidden" when the alert is not seen at all, "refused" when the contact is
// null, the error codes of an error.
func contactOf(t *testing.T, srv *apitest.Server, token, id string) (visitContact, string) {
	t.Helper()
	resp := srv.QueryAs(token, `query($id: ID!) { node(id: $id) { ... on Alert { person { id } contact { phone phoneMasked address addressMasked } } } }`,
		map[string]any{"id": id})
	if len(resp.Errors) > 0 {
		return visitContact{}, strings.Join(resp.Codes(), ",")
	}
	var got struct {
		Node *struct {
			Person  *struct{ ID string }
			Contact *visitContact
		}
	}
	resp.Decode(t, &got)
	switch {
	case got.Node == nil:
		return visitContact{}, "hidden"
	case got.Node.Contact == nil:
		return visitContact{}, "refused"
	case got.Node.Person == nil:
		t.Fatalf("the contact without the person %+v", got.Node)
	}
	return *got.Node.Contact, ""
}

// The phone and the address are for the assigned grid worker, while the
// visit is open: another grid worker of the same community, the officials
// and the initiator are refused, and so is the same grid worker once the
// alert is VISITED and CLOSED. Every read, and every refusal, is audited.
func TestOnlyTheAssignedGridWorkerSeesThePhoneAndAddressWhileTheTaskIsOpen(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHospitalWorld(t, db)
		const addr, phone = "朝阳区前进大街2699号3栋2单元501室", "13912345678"
		var reg struct {
			RegisterPerson struct {
				Person      struct{ ID, AddressMasked, PhoneMasked string }
				PersonToken string
			}
		}
		w.srv.Query(`mutation($in: RegisterPersonInput!) { registerPerson(input: $in) { person { id addressMasked phoneMasked } personToken } }`,
			map[string]any{"in": map[string]any{"name": "孙九", "idNumber": validID(t, "22010419850505051"), "phone": phone,
				"residenceRegion": w.community, "address": addr}}).Decode(t, &reg)
		p := reg.RegisterPerson
		if p.Person.AddressMasked == "" || strings.Contains(p.Person.AddressMasked, "2699") || strings.Contains(p.Person.PhoneMasked, "1234") {
			t.Fatalf("registered with masks %+v", p.Person)
		}
		sealed, err := db.Client.Person.Get(context.Background(), mustAtoi(t, p.Person.ID))
		if err != nil || sealed.AddressSealed == nil || strings.Contains(string(*sealed.AddressSealed), "2699") {
			t.Fatalf("the address is not sealed: %v", err)
		}
		t.Run("RegisteringAnAddressTooLong", func(t *testing.T) {
			resp := w.srv.Query(`mutation($in: RegisterPersonInput!) { registerPerson(input: $in) { personToken } }`,
				map[string]any{"in": map[string]any{"name": "孙十", "idNumber": validID(t, "22010419850505061"), "address": strings.Repeat("楼", 201)}})
			wantCodes(t, resp, "INVALID_INPUT")
		})
		neighbour := createAccount(t, w.srv, w.initiator, "GRID_WORKER", w.community, "前进网格员二", "13600000044", "")

		id := w.fever(t, p.PersonToken, "hospital-visit")
		wantCodes(t, handle(w.srv, w.official.token, id, "ASSIGN", map[string]any{"assignee": w.grid.ID}))

		c, refused := contactOf(t, w.srv, w.grid.token, id)
		if refused != "" || c.Phone == nil || *c.Phone != phone || c.Address == nil || *c.Address != addr ||
			c.PhoneMasked == nil || *c.PhoneMasked != p.Person.PhoneMasked {
			t.Fatalf("the assigned grid worker reads %+v (%s)", c, refused)
		}
		t.Run("AsAnotherGridWorkerOfTheCommunity", func(t *testing.T) {
			if _, refused := contactOf(t, w.srv, neighbour.token, id); refused != "hidden" && refused != "NOT_FOUND" {
				t.Fatalf("another grid worker: %s", refused)
			}
		})
		t.Run("AsTheOfficialWhoAssignedIt", func(t *testing.T) {
			if _, refused := contactOf(t, w.srv, w.official.token, id); refused != "refused" {
				t.Fatalf("the official: %q", refused)
			}
		})
		t.Run("AsTheInitiator", func(t *testing.T) {
			if _, refused := contactOf(t, w.srv, w.initiator, id); refused != "refused" {
				t.Fatalf("the initiator: %q", refused)
			}
		})

		wantCodes(t, handle(w.srv, w.grid.token, id, "VISIT", map[string]any{"note": "已上门核实, 居家隔离"}))
		t.Run("AsTheAssignedGridWorkerOnceVisited", func(t *testing.T) {
			if _, refused := contactOf(t, w.srv, w.grid.token, id); refused != "refused" {
				t.Fatalf("after VISIT: %q", refused)
			}
		})
		wantCodes(t, handle(w.srv, w.official.token, id, "CLOSE", nil))
		t.Run("AsTheAssignedGridWorkerOnceClosed", func(t *testing.T) {
			if _, refused := contactOf(t, w.srv, w.grid.token, id); refused != "refused" {
				t.Fatalf("after CLOSE: %q", refused)
			}
		})

		// Audited: the one read, and the four refusals; never the data.
		evs, err := db.Client.AuditEvent.Query().Where(auditevent.Action("alertContact")).All(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var read, refusals int
		for _, e := range evs {
			if strings.Contains(e.Detail, "2699") || strings.Contains(e.Detail, phone) {
				t.Fatalf("the audit holds the data: %s", e.Detail)
			}
			switch e.Outcome {
			case auditevent.OutcomeSUCCEEDED:
				read++
			case auditevent.OutcomeREFUSED:
				refusals++
			}
		}
		if read != 1 || refusals != 4 {
			t.Fatalf("audited %d reads and %d refusals, want 1 and 4", read, refusals)
		}
		if n, err := db.Client.AuditEvent.Query().Where(auditevent.Action("alertPerson")).Count(context.Background()); err != nil || n != 1 {
			t.Fatalf("audited %d person reads (%v), want 1", n, err)
		}
	})
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

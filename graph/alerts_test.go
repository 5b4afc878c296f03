package graph_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/alert"
)

// Pauses and the steps of an alert through GraphQL: each caller sees the
// pauses of its subtree and above it, and the steps of the alerts it sees;
// an official of another region neither lifts the district's pause nor
// reads its alerts' steps.
func TestAlertPausesAndStepsThroughGraphQL(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		pause := `mutation($r: ID!, $p: Boolean!) { pauseAlerts(region: $r, paused: $p, reason: "导入错误") }`
		var paused struct{ PauseAlerts bool }
		w.srv.QueryAs(w.official.token, pause, map[string]any{"r": w.district, "p": true}).Decode(t, &paused)
		pauses := func(token string) []string {
			t.Helper()
			var got struct {
				AlertPauses []struct{ Region struct{ Code string } }
			}
			w.srv.QueryAs(token, `{ alertPauses { region { code } } }`, nil).Decode(t, &got)
			var codes []string
			for _, p := range got.AlertPauses {
				codes = append(codes, p.Region.Code)
			}
			return codes
		}

		t.Run("PausesAsAnOfficialOfAnotherRegion", func(t *testing.T) {
			wantCodes(t, w.srv.QueryAs(w.outsider.token, pause, map[string]any{"r": w.district, "p": false}), "FORBIDDEN")
			if got := pauses(w.outsider.token); len(got) != 0 {
				t.Fatalf("the other region's official lists the pauses %v", got)
			}
			if got := pauses(w.official.token); !slices.Equal(got, []string{"220104"}) {
				t.Fatalf("after a refused resume the district's official lists %v", got)
			}
		})
		t.Run("PausesAsAnOrdinaryScannerOfTheDistrict", func(t *testing.T) {
			// The pause above its site holds its pushes: it is listed.
			if got := pauses(w.scanner.token); !slices.Equal(got, []string{"220104"}) {
				t.Fatalf("the scanner lists %v", got)
			}
			wantCodes(t, w.srv.QueryAs(w.scanner.token, pause, map[string]any{"r": w.district, "p": false}), "FORBIDDEN")
		})

		// A colour change raises an alert; the official assigns it.
		w.srv.QueryAs(w.official.token, `mutation($p: ID!) { setRisk(input: {person: $p, risk: SUSPECTED}) { colour } }`,
			map[string]any{"p": w.resident.ID}).Decode(t, &struct{}{})
		a, err := db.Client.Alert.Query().Where(alert.KindEQ(alert.KindCOLOUR_CHANGE)).Only(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		handle := `mutation($in: HandleAlertInput!) { handleAlert(input: $in) { status steps { from to } } }`
		var h struct {
			HandleAlert struct {
				Status string
				Steps  []struct{ From, To string }
			}
		}
		w.srv.QueryAs(w.official.token, handle, map[string]any{"in": map[string]any{"alert": a.ID, "action": "ASSIGN", "assignee": w.grid.ID}}).Decode(t, &h)
		if h.HandleAlert.Status != "ASSIGNED" || len(h.HandleAlert.Steps) != 1 || h.HandleAlert.Steps[0].To != "ASSIGNED" {
			t.Fatalf("after ASSIGN %+v", h)
		}
		steps := `query($id: ID!) { node(id: $id) { ... on Alert { steps { from to } } } }`
		stepsOf := func(token string) string {
			t.Helper()
			resp := w.srv.QueryAs(token, steps, map[string]any{"id": a.ID})
			if slices.Equal(resp.Codes(), []string{"NOT_FOUND"}) {
				return "hidden"
			}
			var got struct {
				Node *struct{ Steps []struct{ From, To string } }
			}
			resp.Decode(t, &got)
			if got.Node == nil {
				return "hidden"
			}
			return fmt.Sprint(got.Node.Steps)
		}
		if got := stepsOf(w.grid.token); got != "[{OPEN ASSIGNED}]" {
			t.Fatalf("the assigned grid worker reads the steps %s", got)
		}
		t.Run("StepsAsAnOfficialOfAnotherRegion", func(t *testing.T) {
			if got := stepsOf(w.outsider.token); got != "hidden" {
				t.Fatalf("the other region's official reads the steps %s", got)
			}
		})
		t.Run("StepsAsAnOrdinaryScanner", func(t *testing.T) {
			if got := stepsOf(w.scanner.token); got != "hidden" {
				t.Fatalf("the scanner reads the steps %s", got)
			}
		})
	})
}

// A subscription never reaches beyond the subscriber's own scope.
func TestOfficialOfAnotherRegionCannotSubscribeToThisScope(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		sub := subscribe(t, w.srv, w.outsider.token, `subscription($s: ID) { alertRaised(scope: $s) { id } }`, map[string]any{"s": w.district})
		m := sub.read(5 * time.Second)
		if !strings.Contains(fmt.Sprint(m), "FORBIDDEN") && !strings.Contains(fmt.Sprint(m), "NOT_FOUND") {
			t.Fatalf("subscription to another region answered %v", m)
		}
		scanner := subscribe(t, w.srv, w.scanner.token, `subscription { alertRaised { id } }`, nil)
		if m := scanner.read(5 * time.Second); !strings.Contains(fmt.Sprint(m), "FORBIDDEN") {
			t.Fatalf("a scanner's subscription answered %v", m)
		}
		// The district's own official, subscribed to the district with the
		// barest selection, receives the alert of a risk change there.
		own := subscribe(t, w.srv, w.official.token, `subscription($s: ID) { alertRaised(scope: $s) { id } }`, map[string]any{"s": w.district})
		w.srv.WaitSubscribers(1) // the refused subscriptions above hold none
		var red struct{ SetRisk struct{ Colour string } }
		w.srv.QueryAs(w.official.token, `mutation($p: ID!) { setRisk(input: {person: $p, risk: SUSPECTED}) { colour } }`,
			map[string]any{"p": w.resident.ID}).Decode(t, &red)
		if a := own.next(10 * time.Second); a["id"] == nil {
			t.Fatalf("the district's official received %v", a)
		}
	})
}

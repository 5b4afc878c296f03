package graph_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/alert"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
)

// handleAlert answers with the alert as it now is: its steps end with the
// step it just took (issue 9 point 2).
func TestHandleAlertAnswersWithTheStepItTook(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		w.srv.QueryAs(w.official.token, `mutation($p: ID!) { setRisk(input: {person: $p, risk: SUSPECTED}) { colour } }`,
			map[string]any{"p": w.resident.ID}).Decode(t, &struct{}{})
		a, err := db.Client.Alert.Query().Where(alert.KindEQ(alert.KindCOLOUR_CHANGE)).Only(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		handle := `mutation($in: HandleAlertInput!) { handleAlert(input: $in) { status note steps { from to note assigneeId } } }`
		type answer struct {
			HandleAlert struct {
				Status string
				Note   string
				Steps  []struct {
					From, To, Note string
					AssigneeID     *string
				}
			}
		}
		for i, step := range []struct {
			token string
			in    map[string]any
			want  string
		}{
			{w.official.token, map[string]any{"action": "ASSIGN", "assignee": w.grid.ID, "note": "请上门核实"}, "ASSIGNED"},
			{w.grid.token, map[string]any{"action": "VISIT", "note": "上门核实：已居家观察"}, "VISITED"},
			{w.official.token, map[string]any{"action": "CLOSE", "note": "解除"}, "CLOSED"},
		} {
			step.in["alert"] = a.ID
			var got answer
			w.srv.QueryAs(step.token, handle, map[string]any{"in": step.in}).Decode(t, &got)
			h := got.HandleAlert
			if h.Status != step.want || len(h.Steps) != i+1 {
				t.Fatalf("%s answers status %s with %d steps %+v, want %s with %d", step.in["action"], h.Status, len(h.Steps), h.Steps, step.want, i+1)
			}
			last := h.Steps[i]
			if last.To != step.want || last.Note != step.in["note"] {
				t.Fatalf("%s answers the last step %+v, want the one it took (to %s, note %v)", step.in["action"], last, step.want, step.in["note"])
			}
			if step.want == "ASSIGNED" && (last.AssigneeID == nil || *last.AssigneeID != w.grid.ID) {
				t.Fatalf("ASSIGN answers the assignee %v, want %s", last.AssigneeID, w.grid.ID)
			}
		}
	})
}

// ruleSets answers newest first with the version in force marked; the
// server numbers what is published, whatever version the JSON gives, and
// refuses bad rules before it looks for a conflict (issue 9 point 3).
func TestRuleSetsNewestFirstNumberedByTheServer(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		srv := apitest.New(t, db, httpserver.Config{})
		initiator := srv.LoginInitiator()
		publish := `mutation($r: String!) { publishRuleSet(input: {rules: $r, note: "发热线调整"}) { version inForce } }`
		rules := func(version, when string) string {
			return `{` + version + `"params": {"fever_c": 38.0}, "rules": [
				{"colour": "RED", "when": "person.risk == 'CONFIRMED' || person.risk == 'SUSPECTED'", "cause": "confirmed or suspected"},
				{"colour": "ORANGE", "when": "(person.risk == 'CLOSE_CONTACT' || person.risk == 'QUARANTINED') && (!person.has_quarantine_end || now < person.quarantine_ends || person.symptomatic)", "cause": "quarantine not ended"},
				{"colour": "YELLOW", "when": "` + when + `", "cause": "fever on site"}]}`
		}
		good := "person.has_temperature && person.temperature >= params.fever_c"
		// A stale version and a misspelt field: the rules are what is wrong.
		wantCodes(t, srv.QueryAs(initiator, publish, map[string]any{"r": rules(`"version": 1, `, "person.temprature >= params.fever_c")}), "INVALID_INPUT")
		for i, version := range []string{``, `"version": 1, `, `"version": 9, `} {
			var pub struct {
				PublishRuleSet struct {
					Version int
					InForce bool
				}
			}
			srv.QueryAs(initiator, publish, map[string]any{"r": rules(version, good)}).Decode(t, &pub)
			if pub.PublishRuleSet.Version != i+2 || !pub.PublishRuleSet.InForce {
				t.Fatalf("publishing with %q answers %+v, want version %d in force", version, pub.PublishRuleSet, i+2)
			}
		}
		var sets struct {
			RuleSets []struct {
				Version int
				InForce bool
			}
		}
		srv.QueryAs(initiator, `{ ruleSets { version inForce } }`, nil).Decode(t, &sets)
		if got := fmt.Sprint(sets.RuleSets); got != "[{4 true} {3 false} {2 false} {1 false}]" {
			t.Fatalf("ruleSets = %s, want newest first, only the newest in force", got)
		}
	})
}

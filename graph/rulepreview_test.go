package graph_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/scenario"
)

const previewQuery = `query($r: String!) { previewRuleSet(rules: $r) {
	version valid personsSampled
	problems { rule ruleName field message offset }
	samples { name colour want mismatch }
	changes { from to count } } }`

type previewAnswer struct {
	PreviewRuleSet struct {
		Version        int
		Valid          bool
		PersonsSampled int
		Problems       []struct {
			Rule     *int
			RuleName *string
			Field    string
			Message  string
			Offset   *int
		}
		Samples []struct {
			Name, Colour, Want string
			Mismatch           bool
		}
		Changes []struct {
			From, To string
			Count    int
		}
	}
}

// previewRules is the DESIGN.md §6 rule set with a fever threshold and a
// YELLOW expression of the caller's.
func previewRules(feverC, yellowWhen string) string {
	return `{"params": {"fever_c": ` + feverC + `}, "rules": [
		{"colour": "RED", "when": "person.risk == 'CONFIRMED' || person.risk == 'SUSPECTED'", "cause": "confirmed or suspected"},
		{"colour": "ORANGE", "when": "(person.risk == 'CLOSE_CONTACT' || person.risk == 'QUARANTINED') && (!person.has_quarantine_end || now < person.quarantine_ends || person.symptomatic)", "cause": "quarantine not ended"},
		{"colour": "YELLOW", "when": "` + yellowWhen + `", "cause": "fever on site"}]}`
}

// A valid rule set previews as publishRuleSet would check it: no problem,
// every sample as expected, and the persons whose colour would change
// counted per pair (a 37.5 °C reading is YELLOW at 37.3 and GREEN at 38.0);
// nothing is published.
func TestPreviewRuleSetCountsColourChanges(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		ctx := context.Background()
		fevered, err := db.Client.Person.Query().Order(ent.Desc(person.FieldID)).First(ctx)
		if err != nil {
			t.Fatal(err)
		}
		db.Client.Person.UpdateOne(fevered).SetLastTemperature(37.5).SetColour(scenario.ColourYellow).ExecX(ctx)
		persons := db.Client.Person.Query().CountX(ctx)
		var got previewAnswer
		w.srv.QueryAs(w.initiator, previewQuery, map[string]any{"r": previewRules("38.0", "person.has_temperature && person.temperature >= params.fever_c")}).Decode(t, &got)
		p := got.PreviewRuleSet
		if !p.Valid || len(p.Problems) != 0 || p.Version != 2 {
			t.Fatalf("preview = valid %v, version %d, problems %+v; want valid v2 without problems", p.Valid, p.Version, p.Problems)
		}
		if len(p.Samples) < 17 {
			t.Fatalf("%d samples, want the default samples and the threshold's", len(p.Samples))
		}
		for _, s := range p.Samples {
			if s.Mismatch || s.Colour == "" {
				t.Errorf("sample %+v mismatches", s)
			}
		}
		if p.PersonsSampled != persons {
			t.Errorf("personsSampled = %d, want all %d persons", p.PersonsSampled, persons)
		}
		if fmt.Sprint(p.Changes) != "[{YELLOW GREEN 1}]" {
			t.Errorf("changes = %v, want the one 37.5 °C person YELLOW → GREEN", p.Changes)
		}
		// The same rules at 37.3: nobody changes.
		w.srv.QueryAs(w.initiator, previewQuery, map[string]any{"r": previewRules("37.3", "person.has_temperature && person.temperature >= params.fever_c")}).Decode(t, &got)
		if !got.PreviewRuleSet.Valid || len(got.PreviewRuleSet.Changes) != 0 {
			t.Errorf("equivalent rules preview %+v, want valid and no change", got.PreviewRuleSet)
		}
		if n := db.Client.RuleSetVersion.Query().CountX(ctx); n != 1 {
			t.Errorf("%d rule set versions stored after previews, want only the default", n)
		}
	})
}

// A broken rule is returned as data naming the rule (its position and its
// cause), the field and where in the expression, in Chinese; the rules do
// not compile, so nothing is dry-run.
func TestPreviewRuleSetNamesTheBrokenRule(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		var got previewAnswer
		w.srv.QueryAs(w.initiator, previewQuery, map[string]any{"r": previewRules("37.3", "person.has_temperature && person.temprature >= params.fever_c")}).Decode(t, &got)
		p := got.PreviewRuleSet
		if p.Valid || len(p.Problems) != 1 {
			t.Fatalf("preview = valid %v, problems %+v; want one problem", p.Valid, p.Problems)
		}
		pr := p.Problems[0]
		if pr.Rule == nil || *pr.Rule != 2 || pr.RuleName == nil || *pr.RuleName != "fever on site" || pr.Field != "when" {
			t.Fatalf("problem %+v, want rule 2 (fever on site), field when", pr)
		}
		if pr.Offset == nil || *pr.Offset != strings.Index("person.has_temperature && person.temprature >= params.fever_c", ".temprature") {
			t.Errorf("offset %v, want where .temprature starts", pr.Offset)
		}
		if !regexp.MustCompile(`[\p{Han}]`).MatchString(pr.Message) || !strings.Contains(pr.Message, "temprature") {
			t.Errorf("message %q, want Chinese naming the field", pr.Message)
		}
		if len(p.Samples) != 0 || len(p.Changes) != 0 {
			t.Errorf("samples %v changes %v of rules that do not compile", p.Samples, p.Changes)
		}
		// A sample that comes out wrong names the rule that decided it.
		w.srv.QueryAs(w.initiator, previewQuery, map[string]any{"r": previewRules("37.3", "person.has_temperature && person.temperature >= params.fever_c || person.risk == 'NONE'")}).Decode(t, &got)
		p = got.PreviewRuleSet
		if p.Valid || len(p.Problems) == 0 || p.Problems[0].Field != "samples" || p.Problems[0].Rule == nil || *p.Problems[0].Rule != 2 {
			t.Fatalf("preview %+v, want sample problems naming rule 2", p)
		}
	})
}

// SECURITY: previewing is for whoever may publish rules (ruleset/publish):
// the counts describe the population.
func TestAnOfficialCannotPreviewRuleSets(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		rules := map[string]any{"r": previewRules("37.3", "person.has_temperature && person.temperature >= params.fever_c")}
		for _, token := range []string{w.official.token, w.grid.token, w.scanner.token} {
			wantCodes(t, w.srv.QueryAs(token, previewQuery, rules), "FORBIDDEN")
		}
		wantCodes(t, w.srv.QueryAs("", previewQuery, rules), "UNAUTHENTICATED")
	})
}

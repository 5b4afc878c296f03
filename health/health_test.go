package health_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang/health"
)

var now = time.Date(2020, 3, 1, 12, 0, 0, 0, time.UTC)

func temp(c float64) *float64 { return &c }

func mustCompile(t testing.TB, rs health.RuleSet) *health.Program {
	t.Helper()
	p, err := health.Compile(rs)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return p
}

// Every sample of DefaultSamples: the rules of DESIGN.md §6 with boundaries
// and priority (seed 001 §4).
func TestDefaultRules(t *testing.T) {
	p := mustCompile(t, health.DefaultRuleSet())
	for _, s := range health.DefaultSamples(now) {
		t.Run(s.Name, func(t *testing.T) {
			c, cause, err := p.Evaluate(s.Facts)
			if err != nil {
				t.Fatal(err)
			}
			if c != s.Want {
				t.Errorf("colour %s (%s), want %s", c, cause, s.Want)
			}
		})
	}
}

func TestDefaultSamplesCoverEveryRule(t *testing.T) {
	rs := health.DefaultRuleSet()
	fired := map[string]bool{}
	for _, r := range health.DryRun(mustCompile(t, rs), health.DefaultSamples(now)) {
		if r.Mismatch {
			t.Errorf("sample %q mismatches: %+v", r.Name, r)
		}
		fired[r.Cause] = true
	}
	for i, r := range rs.Rules {
		if !fired[r.Cause] {
			t.Errorf("rule %d (%s) is fired by no sample", i, r.Cause)
		}
	}
	if !fired[health.GreenCause] {
		t.Error("no sample is green")
	}
}

func TestCauses(t *testing.T) {
	p := mustCompile(t, health.DefaultRuleSet())
	for _, tc := range []struct {
		f      health.Facts
		colour string
		cause  string
	}{
		{health.Facts{Risk: health.RiskConfirmed, LastTemperature: temp(39), Now: now}, health.Red, "risk CONFIRMED"},
		{health.Facts{Risk: health.RiskSuspected, Now: now}, health.Red, "risk SUSPECTED"},
		{health.Facts{Risk: health.RiskCloseContact, Now: now}, health.Orange, "risk CLOSE_CONTACT, quarantine not ended"},
		{health.Facts{LastTemperature: temp(37.3), Now: now}, health.Yellow, "on-site temperature at or above the fever threshold"},
		{health.Facts{Now: now}, health.Green, health.GreenCause},
	} {
		c, cause, err := p.Evaluate(tc.f)
		if err != nil || c != tc.colour || cause != tc.cause {
			t.Errorf("%+v: got %s %q %v, want %s %q", tc.f, c, cause, err, tc.colour, tc.cause)
		}
	}
	if _, _, err := p.Evaluate(health.Facts{Risk: "ZOMBIE", Now: now}); err == nil {
		t.Error("unknown risk: want an error")
	}
}

func TestTransitions(t *testing.T) {
	p := mustCompile(t, health.DefaultRuleSet())
	past, future := now.Add(-time.Hour), now.Add(time.Hour)
	for _, tc := range []struct {
		name    string
		old     string
		f       health.Facts
		want    string
		changed bool
	}{
		{"green → yellow on fever", health.Green, health.Facts{LastTemperature: temp(37.5), Now: now}, health.Yellow, true},
		{"yellow stays yellow on another fever", health.Yellow, health.Facts{LastTemperature: temp(37.9), Now: now}, health.Yellow, false},
		{"yellow → green on a normal reading", health.Yellow, health.Facts{LastTemperature: temp(36.7), Now: now}, health.Green, true},
		{"orange stays orange before quarantine end", health.Orange, health.Facts{Risk: health.RiskQuarantined, QuarantineEnds: &future, LastTemperature: temp(36.5), Now: now}, health.Orange, false},
		{"orange → green after quarantine end", health.Orange, health.Facts{Risk: health.RiskQuarantined, QuarantineEnds: &past, Now: now}, health.Green, true},
		{"orange → green later in time", health.Orange, health.Facts{Risk: health.RiskCloseContact, QuarantineEnds: &future, Now: future.Add(time.Second)}, health.Green, true},
		{"orange stays with symptoms after end", health.Orange, health.Facts{Risk: health.RiskCloseContact, QuarantineEnds: &past, Symptomatic: true, Now: now}, health.Orange, false},
		{"red stays red with a normal temperature", health.Red, health.Facts{Risk: health.RiskConfirmed, LastTemperature: temp(36.5), Now: now}, health.Red, false},
		{"red stays red if risk data drops without an official", health.Red, health.Facts{Risk: health.RiskNone, Now: now}, health.Red, false},
		{"red → green by an official change of risk", health.Red, health.Facts{Risk: health.RiskNone, OfficialRiskChange: true, Now: now}, health.Green, true},
		{"green → red by setRisk", health.Green, health.Facts{Risk: health.RiskConfirmed, OfficialRiskChange: true, Now: now}, health.Red, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, cause, changed := health.Transition(tc.old, tc.f, p)
			if c != tc.want || changed != tc.changed || cause == "" {
				t.Errorf("got %s %q changed=%v, want %s changed=%v", c, cause, changed, tc.want, tc.changed)
			}
			if changed && !strings.Contains(cause, tc.old+" → "+c) {
				t.Errorf("cause %q does not name the change", cause)
			}
		})
	}
}

// A new version (seed 003 §五(二): rules change with the epidemic) changes results.
func TestChangedRuleSet(t *testing.T) {
	t.Run("fever threshold 37.5 via params", func(t *testing.T) {
		rs := health.DefaultRuleSet()
		rs.Version, rs.Params = 2, map[string]float64{"fever_c": 37.5}
		p := mustCompile(t, rs)
		for _, tc := range []struct {
			c    float64
			want string
		}{{37.3, health.Green}, {37.4, health.Green}, {37.5, health.Yellow}} {
			if c, _, _ := p.Evaluate(health.Facts{LastTemperature: temp(tc.c), Now: now}); c != tc.want {
				t.Errorf("%.1f: %s, want %s", tc.c, c, tc.want)
			}
		}
	})
	t.Run("no valid test within 7 days is yellow", func(t *testing.T) {
		rs := health.DefaultRuleSet()
		rs.Version = 3
		rs.Rules = append(rs.Rules, health.Rule{Colour: health.Yellow, When: `!person.valid_test_within_7_days`, Cause: "no valid test within 7 days"})
		p := mustCompile(t, rs)
		// Callers look the tests up only for rule sets that read them.
		if !p.UsesValidTest() || mustCompile(t, health.DefaultRuleSet()).UsesValidTest() {
			t.Errorf("UsesValidTest: %v for this set, want true; the default set's must be false", p.UsesValidTest())
		}
		for _, tc := range []struct {
			f    health.Facts
			want string
		}{
			{health.Facts{Now: now}, health.Yellow},
			{health.Facts{ValidTestWithin7Days: true, Now: now}, health.Green},
			{health.Facts{Risk: health.RiskConfirmed, Now: now}, health.Red},
		} {
			c, cause, _ := p.Evaluate(tc.f)
			if c != tc.want {
				t.Errorf("%+v: %s (%s), want %s", tc.f, c, cause, tc.want)
			}
		}
		// the old samples no longer pass: the dry-run stops publication
		if _, _, err := health.Check(rs, health.DefaultSamples(now)); err == nil || !strings.Contains(err.Error(), "want GREEN, rule set v3 gives YELLOW") {
			t.Errorf("Check: %v", err)
		}
	})
	t.Run("fever older than a period no longer counts", func(t *testing.T) {
		rs := health.DefaultRuleSet()
		rs.Version = 4
		rs.Params["fever_valid_hours"] = 24
		rs.Rules[4].When = `person.has_temperature && person.temperature >= params.fever_c && (now - person.temperature_at).getHours() < params.fever_valid_hours`
		p := mustCompile(t, rs)
		old, fresh := now.Add(-48*time.Hour), now.Add(-time.Hour)
		if c, _, err := p.Evaluate(health.Facts{LastTemperature: temp(38), LastTemperatureAt: &old, Now: now}); c != health.Green {
			t.Errorf("old fever: %s %v", c, err)
		}
		if c, _, err := p.Evaluate(health.Facts{LastTemperature: temp(38), LastTemperatureAt: &fresh, Now: now}); c != health.Yellow {
			t.Errorf("fresh fever: %s %v", c, err)
		}
	})
}

func TestCompileErrors(t *testing.T) {
	base := health.DefaultRuleSet
	for _, tc := range []struct {
		name  string
		edit  func(*health.RuleSet)
		index int
		field string
		msg   string
	}{
		{"syntax error", func(rs *health.RuleSet) { rs.Rules[0].When = `person.risk == ` }, 0, "when", "Syntax error"},
		{"non-boolean", func(rs *health.RuleSet) { rs.Rules[4].When = `person.temperature + 1.0` }, 4, "when", "must be a boolean expression, got double"},
		{"unknown variable", func(rs *health.RuleSet) { rs.Rules[1].When = `patient.risk == 'SUSPECTED'` }, 1, "when", "undeclared reference to 'patient'"},
		{"unknown field", func(rs *health.RuleSet) { rs.Rules[1].When = `person.riskk == 'SUSPECTED'` }, 1, "when", "undefined field 'riskk'"},
		{"unknown parameter", func(rs *health.RuleSet) { rs.Rules[4].When = `person.temperature >= params.fever` }, 4, "when", "unknown parameter(s) fever"},
		{"unknown colour", func(rs *health.RuleSet) { rs.Rules[2].Colour = "PURPLE" }, 2, "colour", `"PURPLE" is not one of`},
		{"green rule", func(rs *health.RuleSet) { rs.Rules[2].Colour = health.Green }, 2, "colour", "GREEN takes no rule"},
		{"out of priority order", func(rs *health.RuleSet) { rs.Rules[3], rs.Rules[4] = rs.Rules[4], rs.Rules[3] }, 4, "colour", "after a lower-priority rule"},
		{"duplicate expression", func(rs *health.RuleSet) { rs.Rules[1].When = rs.Rules[0].When }, 1, "when", "same expression as rule 0"},
		{"duplicate cause", func(rs *health.RuleSet) { rs.Rules[1].Cause = rs.Rules[0].Cause }, 1, "cause", "same cause as rule 0"},
		{"empty cause", func(rs *health.RuleSet) { rs.Rules[3].Cause = " " }, 3, "cause", "must not be empty"},
		{"missing colour", func(rs *health.RuleSet) { rs.Rules = rs.Rules[:4] }, -1, "rules", "no YELLOW rule"},
		{"bad version", func(rs *health.RuleSet) { rs.Version = 0 }, -1, "version", "positive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := base()
			tc.edit(&rs)
			_, err := health.Compile(rs)
			if err == nil {
				t.Fatal("want an error")
			}
			var found bool
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				var re *health.RuleError
				if errors.As(e, &re) && re.Index == tc.index && re.Field == tc.field && strings.Contains(re.Msg, tc.msg) {
					found = true
				}
			}
			if !found {
				t.Errorf("want rule %d %s %q, got: %v", tc.index, tc.field, tc.msg, err)
			}
		})
	}
}

func TestDryRunFlagsMismatch(t *testing.T) {
	p := mustCompile(t, health.DefaultRuleSet())
	res := health.DryRun(p, []health.Sample{
		{Name: "ok", Facts: health.Facts{Now: now}, Want: health.Green},
		{Name: "wrong", Facts: health.Facts{LastTemperature: temp(38), Now: now}, Want: health.Green},
		{Name: "no expectation", Facts: health.Facts{Risk: health.RiskConfirmed, Now: now}},
		{Name: "bad facts", Facts: health.Facts{Risk: "ZOMBIE", Now: now}},
	})
	want := []struct {
		colour   string
		mismatch bool
	}{{health.Green, false}, {health.Yellow, true}, {health.Red, false}, {"", true}}
	for i, w := range want {
		if res[i].Colour != w.colour || res[i].Mismatch != w.mismatch {
			t.Errorf("%s: %+v, want colour %q mismatch %v", res[i].Name, res[i], w.colour, w.mismatch)
		}
	}
	if res[3].Err == "" {
		t.Error("bad facts: want an error")
	}
	if _, _, err := health.Check(health.DefaultRuleSet(), health.DefaultSamples(now)); err != nil {
		t.Errorf("default rule set fails its own samples: %v", err)
	}
}

func BenchmarkEvaluate(b *testing.B) {
	p := mustCompile(b, health.DefaultRuleSet())
	past := now.Add(-time.Hour)
	for _, bc := range []struct {
		name string
		f    health.Facts
	}{
		{"red_first_rule", health.Facts{Risk: health.RiskConfirmed, Now: now}},
		{"green_all_rules", health.Facts{Risk: health.RiskCloseContact, QuarantineEnds: &past, LastTemperature: temp(36.5), LastTemperatureAt: &past, Now: now}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := p.Evaluate(bc.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCompile(b *testing.B) {
	rs := health.DefaultRuleSet()
	for b.Loop() {
		if _, err := health.Compile(rs); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPlacesAndJourneys: person.region, person.visited (days_ago counted in
// China days) and key_areas with under() (issue 11, point 11).
func TestPlacesAndJourneys(t *testing.T) {
	rs := health.DefaultRuleSet()
	rs.Rules = append(rs.Rules,
		health.Rule{Colour: health.Yellow, When: `person.visited.exists(v, v.days_ago <= 14 && under(v.region, key_areas))`, Cause: "key area within 14 days"},
		health.Rule{Colour: health.Yellow, When: `under(person.region, ['4201'])`, Cause: "lives in 4201"},
		health.Rule{Colour: health.Yellow, When: `person.visited.exists(v, v.within_days(2) && under(v.region, ['3101']))`, Cause: "Shanghai within 2 days"})
	p := mustCompile(t, rs)
	if !p.UsesRegion() {
		t.Fatal("UsesRegion is false for a rule reading person.region")
	}
	cst := time.FixedZone("CST", 8*3600)
	// 2020-03-01 12:00 UTC is 20:00 in China; a visit on 2020-02-16 (China) is 14 days ago.
	day := func(s string) time.Time { d, _ := time.ParseInLocation("2006-01-02", s, cst); return d }
	for _, c := range []struct {
		name string
		f    health.Facts
		want string
	}{
		{"no visits", health.Facts{KeyAreas: []string{"4201"}, Now: now}, health.Green},
		{"14 days ago", health.Facts{Visits: []health.Visit{{Region: "420102001", Date: day("2020-02-16")}}, KeyAreas: []string{"4201"}, Now: now}, health.Yellow},
		{"15 days ago", health.Facts{Visits: []health.Visit{{Region: "420102001", Date: day("2020-02-15")}}, KeyAreas: []string{"4201"}, Now: now}, health.Green},
		{"not a key area", health.Facts{Visits: []health.Visit{{Region: "420202", Date: day("2020-02-28")}}, KeyAreas: []string{"4201"}, Now: now}, health.Green},
		{"prefix of a code is not under it", health.Facts{Visits: []health.Visit{{Region: "42", Date: day("2020-02-28")}}, KeyAreas: []string{"4201"}, Now: now}, health.Green},
		{"resident", health.Facts{Region: "420106", Now: now}, health.Yellow},
		{"within_days 2", health.Facts{Visits: []health.Visit{{Region: "310101", Date: day("2020-02-28")}}, Now: now}, health.Yellow},
		{"within_days 3 ago", health.Facts{Visits: []health.Visit{{Region: "310101", Date: day("2020-02-27")}}, Now: now}, health.Green},
	} {
		if got, _, err := p.Evaluate(c.f); err != nil || got != c.want {
			t.Errorf("%s: %s %v, want %s", c.name, got, err, c.want)
		}
	}
	if _, err := health.Compile(health.RuleSet{Version: 1, Rules: []health.Rule{{Colour: health.Red, When: `person.nowhere == 'x'`, Cause: "x"}}}); err == nil {
		t.Fatal("an unknown field compiled")
	}
}

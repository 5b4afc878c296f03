package health

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mashang/mashang"
)

// Sample is a person to try a rule set on before it takes effect.
type Sample struct {
	Name  string
	Facts Facts
	Want  string // expected colour; "" means no expectation
}

// DryRunResult is what one sample would become.
type DryRunResult struct {
	Name     string
	Colour   string
	Cause    string
	Want     string
	Mismatch bool   // Want was given and differs from Colour, or evaluation failed
	Err      string // evaluation error, if any
}

// DryRun evaluates every sample with p and flags mismatches against Want.
func DryRun(p *Program, samples []Sample) []DryRunResult {
	out := make([]DryRunResult, 0, len(samples))
	for _, s := range samples {
		r := DryRunResult{Name: s.Name, Want: s.Want}
		c, cause, err := p.Evaluate(s.Facts)
		if err != nil {
			r.Err, r.Mismatch = err.Error(), true
		} else {
			r.Colour, r.Cause = c, cause
			r.Mismatch = s.Want != "" && s.Want != c
		}
		out = append(out, r)
	}
	return out
}

// Check is what publishing a new version runs: compile, then dry-run the
// samples; it fails when the rule set does not compile or any sample
// mismatches, returning the results so the INITIATOR sees every outcome.
// Every problem is a *RuleError (errors.Join; Problems lists them): a
// sample that comes out wrong names the rule that decided it (Index, -1
// when none did, i.e. it came out GREEN).
func Check(rs RuleSet, samples []Sample) (*Program, []DryRunResult, error) {
	p, err := Compile(rs)
	if err != nil {
		return nil, nil, mashang.Wrap(err, "health.Check")
	}
	res := DryRun(p, samples)
	var errs []error
	for _, r := range res {
		var e *mashang.Error
		switch {
		case r.Err != "":
			e = mashang.Errorf(mashang.EINVALID, "Sample %q cannot be evaluated: %s", r.Name, r.Err)
		case r.Mismatch:
			e = mashang.Errorf(mashang.EINVALID, "Sample %q: want %s, rule set v%d gives %s (%s)", r.Name, r.Want, rs.Version, r.Colour, r.Cause)
		default:
			continue
		}
		errs = append(errs, &RuleError{Index: ruleIndex(rs, r.Cause), Field: "samples", Msg: e.Message, Offset: -1, Detail: e})
	}
	return p, res, errors.Join(errs...)
}

// ruleIndex is the position of the rule whose cause is cause, -1 for none.
func ruleIndex(rs RuleSet, cause string) int {
	for i, r := range rs.Rules {
		if cause != "" && strings.TrimSpace(r.Cause) == cause {
			return i
		}
	}
	return -1
}

// Problems lists the *RuleError of an error of Compile or Check, in order;
// nil for nil. Any other error in the chain is not a problem of the rules
// and is returned as such.
func Problems(err error) ([]*RuleError, error) {
	if err == nil {
		return nil, nil
	}
	var out []*RuleError
	var walk func(error) error
	walk = func(e error) error {
		var re *RuleError
		switch x := e.(type) {
		case *RuleError:
			out = append(out, x)
			return nil
		case interface{ Unwrap() []error }:
			for _, inner := range x.Unwrap() {
				if err := walk(inner); err != nil {
					return err
				}
			}
			return nil
		case interface{ Unwrap() error }:
			if x.Unwrap() != nil {
				return walk(x.Unwrap())
			}
		}
		if errors.As(e, &re) {
			out = append(out, re)
			return nil
		}
		return e
	}
	if err := walk(err); err != nil {
		return nil, err
	}
	return out, nil
}

// DefaultSamples cover every rule of DefaultRuleSet and its boundaries, with
// the colours DESIGN.md §6 (seed 001 §4) expects. They are relative to now.
func DefaultSamples(now time.Time) []Sample {
	temp := func(c float64) *float64 { return &c }
	past, future := now.Add(-24*time.Hour), now.Add(24*time.Hour)
	return []Sample{
		{Name: "nothing known", Facts: Facts{Now: now}, Want: Green},
		{Name: "normal temperature", Facts: Facts{Risk: RiskNone, LastTemperature: temp(36.6), Now: now}, Want: Green},
		{Name: "37.2 is not fever", Facts: Facts{LastTemperature: temp(37.2), Now: now}, Want: Green},
		{Name: "37.3 is fever", Facts: Facts{LastTemperature: temp(37.3), Now: now}, Want: Yellow},
		{Name: "fever 38.5", Facts: Facts{LastTemperature: temp(38.5), Now: now}, Want: Yellow},
		{Name: "confirmed", Facts: Facts{Risk: RiskConfirmed, Now: now}, Want: Red},
		{Name: "suspected", Facts: Facts{Risk: RiskSuspected, Now: now}, Want: Red},
		{Name: "confirmed with fever", Facts: Facts{Risk: RiskConfirmed, LastTemperature: temp(39), Now: now}, Want: Red},
		{Name: "confirmed, normal temperature", Facts: Facts{Risk: RiskConfirmed, LastTemperature: temp(36.5), Now: now}, Want: Red},
		{Name: "close contact, quarantine running", Facts: Facts{Risk: RiskCloseContact, QuarantineEnds: &future, Now: now}, Want: Orange},
		{Name: "close contact, no end known", Facts: Facts{Risk: RiskCloseContact, Now: now}, Want: Orange},
		{Name: "quarantined, quarantine running", Facts: Facts{Risk: RiskQuarantined, QuarantineEnds: &future, Now: now}, Want: Orange},
		{Name: "quarantined with fever", Facts: Facts{Risk: RiskQuarantined, QuarantineEnds: &future, LastTemperature: temp(38), Now: now}, Want: Orange},
		{Name: "quarantine ended", Facts: Facts{Risk: RiskQuarantined, QuarantineEnds: &past, Now: now}, Want: Green},
		{Name: "quarantine ends exactly now", Facts: Facts{Risk: RiskCloseContact, QuarantineEnds: &now, Now: now}, Want: Green},
		{Name: "quarantine ended, symptoms", Facts: Facts{Risk: RiskCloseContact, QuarantineEnds: &past, Symptomatic: true, Now: now}, Want: Orange},
		{Name: "quarantine ended, fever", Facts: Facts{Risk: RiskCloseContact, QuarantineEnds: &past, LastTemperature: temp(37.8), Now: now}, Want: Yellow},
	}
}

// Transition re-evaluates a person whose facts changed (a scanner recorded a
// temperature, the quarantine end passed, an official changed the risk) and
// says whether the colour changes and why. The automatic transitions of
// DESIGN.md §6 fall out of re-evaluation: YELLOW → GREEN once any scanner
// records a normal temperature (seed 001 §4 黄色: 经任意扫码员测温登记后可恢复绿色码),
// ORANGE → GREEN once the quarantine has ended without symptoms (橙色: 隔离期满…
// 自动恢复绿色码). RED is left only when f.OfficialRiskChange is set, i.e. by
// setRisk from an authorised official (红色: 依照我省防疫期间相关规定…色调整),
// even if a new rule set would no longer make the person red.
// On an evaluation error the colour is kept and the error is the cause.
func Transition(old string, f Facts, p *Program) (newColour, cause string, changed bool) {
	c, why, err := p.Evaluate(f)
	if err != nil {
		return old, fmt.Sprintf("colour kept: rules v%d could not be evaluated: %v", p.Version(), err), false
	}
	if old == Red && c != Red && !f.OfficialRiskChange {
		return Red, "colour kept: RED is left only by an official change of risk (seed 001 §4)", false
	}
	if c == old {
		return old, why, false
	}
	if old == "" {
		old = "none"
	}
	return c, fmt.Sprintf("%s → %s: %s (rules v%d)", old, c, why, p.Version()), true
}

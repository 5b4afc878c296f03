package persons

import (
	"context"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/ent/testresult"
	"github.com/mashang/mashang/health"
	"github.com/mashang/mashang/i18n"
	"github.com/mashang/mashang/scenario"
)

// DefaultPreviewPersons is how many persons PreviewRuleSet re-evaluates
// when Service.PreviewPersons is 0.
const DefaultPreviewPersons = 2000

// maxPreviewPersons bounds PreviewPersons: the facts of the sample are read
// with one id list, and PostgreSQL takes at most 65,535 parameters.
const maxPreviewPersons = 50_000

// RuleSetPreview is what publishing a rule set would do, worked out without
// publishing it (seed 003 §五(二) 实时调整规则: the INITIATOR sees the effect
// of a change before it takes effect).
type RuleSetPreview struct {
	// Version is the number the rules would be published as.
	Version int
	// Valid: publishRuleSet would accept these rules now (no problem).
	Valid    bool
	Problems []RuleProblem
	// Samples is how the sample persons come out (empty when the rules do
	// not compile).
	Samples []SampleOutcome
	// PersonsSampled persons (the most recently registered, at most
	// Service.PreviewPersons) were re-evaluated; Changes counts those whose
	// colour would change, per pair of colours. Counts only: no person is
	// named.
	PersonsSampled int
	Changes        []ColourShift
}

// RuleProblem is one reason the rules would be refused, in the request's
// language. Rule is the 0-based position of the rule at fault and RuleName
// its cause (nil for the set as a whole); Offset is the 0-based character
// of its "when" where the expression engine stopped, when known.
type RuleProblem struct {
	Rule     *int
	RuleName *string
	Field    string
	Message  string
	Offset   *int
}

// SampleOutcome is one sample person under the proposed rules.
type SampleOutcome struct {
	Name     string
	Colour   *scenario.Colour
	Cause    string
	Want     *scenario.Colour
	Mismatch bool
	Error    *string
}

// ColourShift counts the sampled persons who would go From → To.
type ColourShift struct {
	From  scenario.Colour
	To    scenario.Colour
	Count int
}

// vet is what both publishing and previewing run on a rule set: compile it
// and dry-run SamplesFor(rs, now) (health.Check). One implementation, so a
// preview without problems means publishing would accept the rules.
func vet(rs health.RuleSet, now time.Time) (*health.Program, []health.DryRunResult, error) {
	return health.Check(rs, SamplesFor(rs, now))
}

// PreviewRuleSet compiles and dry-runs rules exactly as PublishRuleSet would
// (vet), stores nothing, and returns the problems as data instead of
// failing, the samples' colours and, over the most recently registered
// persons (Service.PreviewPersons), how many would change colour on their
// next re-evaluation (health.Transition: RED stays RED without an official
// change), per pair of colours.
// SECURITY: the viewer needs ruleset/publish, like PublishRuleSet, checked
// before the rules are read: the counts describe the population.
func (s *Service) PreviewRuleSet(ctx context.Context, rules string) (*RuleSetPreview, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.PreviewRuleSet")
	}
	now := s.now()
	if err := s.enforcer().Check(v, authz.ObjRuleSet, authz.ActPublish, v.ScopePath, now); err != nil {
		return nil, mashang.Wrap(err, "persons.PreviewRuleSet")
	}
	lang := i18n.FromContext(ctx)
	rs, err := health.ParseRuleSet(rules)
	if err != nil {
		msg := i18n.Localize(lang, err).Message
		return &RuleSetPreview{Problems: []RuleProblem{{Field: "rules", Message: msg}}}, nil
	}
	c := database.ClientFrom(ctx, s.Client)
	_, active, err := s.loadActive(asSystem(ctx), c)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.PreviewRuleSet")
	}
	rs.Version = active + 1
	prg, results, err := vet(rs, now)
	problems, err := health.Problems(err)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.PreviewRuleSet")
	}
	out := &RuleSetPreview{Version: rs.Version, Valid: len(problems) == 0, Samples: outcomes(results)}
	for _, p := range problems {
		out.Problems = append(out.Problems, problemOf(lang, rs, p))
	}
	if prg == nil {
		return out, nil
	}
	out.PersonsSampled, out.Changes, err = s.colourShifts(asSystem(ctx), c, prg, now)
	return out, mashang.Wrap(err, "persons.PreviewRuleSet")
}

func problemOf(lang language.Tag, rs health.RuleSet, p *health.RuleError) RuleProblem {
	out := RuleProblem{Field: p.Field, Message: p.Msg}
	if p.Detail != nil {
		out.Message = i18n.Localize(lang, p.Detail).Message
	}
	if p.Index >= 0 && p.Index < len(rs.Rules) {
		i, name := p.Index, strings.TrimSpace(rs.Rules[p.Index].Cause)
		out.Rule, out.RuleName = &i, &name
	}
	if p.Offset >= 0 {
		o := p.Offset
		out.Offset = &o
	}
	return out
}

func outcomes(results []health.DryRunResult) []SampleOutcome {
	out := make([]SampleOutcome, 0, len(results))
	for _, r := range results {
		o := SampleOutcome{Name: r.Name, Cause: r.Cause, Mismatch: r.Mismatch, Colour: colourPtr(r.Colour), Want: colourPtr(r.Want)}
		if r.Err != "" {
			e := r.Err
			o.Error = &e
		}
		out = append(out, o)
	}
	return out
}

func colourPtr(c string) *scenario.Colour {
	if c == "" {
		return nil
	}
	x := scenario.Colour(c)
	return &x
}

// colourShifts re-evaluates the most recently registered persons (at most
// PreviewPersons) with prg, reading their facts as reevaluate does (three
// queries in all), and counts who would change colour, per pair.
func (s *Service) colourShifts(ctx context.Context, c *ent.Client, prg *health.Program, now time.Time) (int, []ColourShift, error) {
	limit := s.PreviewPersons
	if limit <= 0 {
		limit = DefaultPreviewPersons
	}
	limit = min(limit, maxPreviewPersons)
	ps, err := c.Person.Query().Order(ent.Desc(person.FieldID)).Limit(limit).All(ctx)
	if err != nil || len(ps) == 0 {
		return 0, nil, mashang.Wrap(err, "persons.colourShifts")
	}
	valid, codes, err := s.previewFacts(ctx, c, prg, ps, now)
	if err != nil {
		return 0, nil, err
	}
	keys, err := s.keyAreas(ctx, c)
	if err != nil {
		return 0, nil, err
	}
	counts := map[[2]string]int{}
	for _, p := range ps {
		f := factsOf(p, valid[p.ID], now)
		f.KeyAreas, f.Visits = keys, visitsOf(p)
		if p.ResidenceRegionID != nil {
			f.Region = codes[*p.ResidenceRegionID]
		}
		if to, _, changed := health.Transition(p.Colour.String(), f, prg); changed {
			counts[[2]string{p.Colour.String(), to}]++
		}
	}
	shifts := make([]ColourShift, 0, len(counts))
	for k, n := range counts {
		shifts = append(shifts, ColourShift{From: scenario.Colour(k[0]), To: scenario.Colour(k[1]), Count: n})
	}
	sort.Slice(shifts, func(i, j int) bool {
		if shifts[i].Count != shifts[j].Count {
			return shifts[i].Count > shifts[j].Count
		}
		return shifts[i].From+shifts[i].To < shifts[j].From+shifts[j].To
	})
	return len(ps), shifts, nil
}

// previewFacts reads, for a batch of persons, what factsOf and placeFacts
// read one by one: who has a valid test (only when a rule reads it) and the
// codes of their residences (only when a rule reads a region).
func (s *Service) previewFacts(ctx context.Context, c *ent.Client, prg *health.Program, ps []*ent.Person, now time.Time) (map[int]bool, map[int]string, error) {
	valid, codes := map[int]bool{}, map[int]string{}
	ids := make([]int, 0, len(ps))
	var regions []int
	for _, p := range ps {
		ids = append(ids, p.ID)
		if p.ResidenceRegionID != nil {
			regions = append(regions, *p.ResidenceRegionID)
		}
	}
	if prg.UsesValidTest() {
		with, err := c.TestResult.Query().Where(testresult.PersonIDIn(ids...), validTestAt(now)).
			Select(testresult.FieldPersonID).Ints(ctx)
		if err != nil {
			return nil, nil, mashang.Wrap(err, "persons.previewFacts")
		}
		for _, id := range with {
			valid[id] = true
		}
	}
	if prg.UsesRegion() && len(regions) > 0 {
		rs, err := c.Region.Query().Where(region.IDIn(regions...)).Select(region.FieldID, region.FieldCode).All(ctx)
		if err != nil {
			return nil, nil, mashang.Wrap(err, "persons.previewFacts")
		}
		for _, r := range rs {
			codes[r.ID] = r.Code
		}
	}
	return valid, codes, nil
}

package persons

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/rulesetversion"
	"github.com/mashang/mashang/health"
)

// ActiveProgram returns the rule set in force, compiled, and its version:
// the highest stored RuleSetVersion (seed 003 §五(二): the province adjusts
// the rules; every version is kept, the highest applies). When none is
// stored, health.DefaultRuleSet() (DESIGN.md §6, seed 001 §4) is stored as
// version 1 on this first use. Compiled programs are cached by version.
// The system reads it (scans decide with it): no caller is checked.
func (s *Service) ActiveProgram(ctx context.Context) (*health.Program, int, error) {
	return s.activeProgram(ctx, database.ClientFrom(ctx, s.Client))
}

func (s *Service) activeProgram(ctx context.Context, c *ent.Client) (*health.Program, int, error) {
	// The version in force is remembered for RuleCacheTTL (wall clock):
	// every scan needs it, and a new version reaches the other replicas
	// within that time (this one at once: PublishRuleSet forgets it).
	ttl := s.RuleCacheTTL
	if ttl == 0 {
		ttl = DefaultRuleCacheTTL
	}
	if ttl > 0 {
		s.mu.Lock()
		prg, v, at := s.active, s.activeVersion, s.activeAt
		s.mu.Unlock()
		if prg != nil && time.Since(at) < ttl {
			return prg, v, nil
		}
	}
	prg, v, err := s.loadActive(ctx, c)
	if err == nil && ttl > 0 {
		s.mu.Lock()
		s.active, s.activeVersion, s.activeAt = prg, v, time.Now()
		s.mu.Unlock()
	}
	return prg, v, mashang.Wrap(err, "persons.activeProgram")
}

// DefaultRuleCacheTTL is how long the version in force is remembered.
const DefaultRuleCacheTTL = time.Second

func (s *Service) loadActive(ctx context.Context, c *ent.Client) (*health.Program, int, error) {
	row, err := c.RuleSetVersion.Query().Order(ent.Desc(rulesetversion.FieldVersion)).First(ctx)
	if ent.IsNotFound(err) {
		row, err = s.storeDefault(ctx, c)
	}
	if err != nil {
		return nil, 0, mashang.Wrap(err, "persons.loadActive")
	}
	s.mu.Lock()
	prg := s.programs[row.Version]
	s.mu.Unlock()
	if prg != nil {
		return prg, row.Version, nil
	}
	rs, err := decode(row)
	if err != nil {
		return nil, 0, mashang.Wrap(err, "persons.loadActive")
	}
	prg, err = health.Compile(rs)
	if err != nil {
		return nil, 0, fmt.Errorf("persons: stored rule set v%d does not compile: %w", row.Version, err)
	}
	s.mu.Lock()
	if s.programs == nil {
		s.programs = map[int]*health.Program{}
	}
	if cached := s.programs[row.Version]; cached != nil {
		prg = cached
	} else {
		s.programs[row.Version] = prg
	}
	s.mu.Unlock()
	return prg, row.Version, nil
}

// storeDefault stores DefaultRuleSet as version 1. Idempotent: when another
// caller stored it first (unique version), that row is returned.
func (s *Service) storeDefault(ctx context.Context, c *ent.Client) (*ent.RuleSetVersion, error) {
	rs := health.DefaultRuleSet()
	rs.Version = 1
	text, err := json.Marshal(rs)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.storeDefault")
	}
	row, err := c.RuleSetVersion.Create().SetVersion(1).SetRules(string(text)).
		SetNote("DESIGN.md §6 default rules (seed 001 §4)").SetPublishedAt(s.now()).Save(ctx)
	if ent.IsConstraintError(err) && ent.TxFromContext(ctx) == nil {
		return c.RuleSetVersion.Query().Where(rulesetversion.Version(1)).Only(ctx)
	}
	return row, mashang.Wrap(err, "persons.storeDefault")
}

func decode(row *ent.RuleSetVersion) (health.RuleSet, error) {
	var rs health.RuleSet
	if err := json.Unmarshal([]byte(row.Rules), &rs); err != nil {
		return rs, fmt.Errorf("persons: stored rule set v%d is not valid JSON: %w", row.Version, err)
	}
	rs.Version = row.Version
	return rs, nil
}

// RuleSets returns every stored version, newest first (the first is in
// force: InForce).
// SECURITY: the rules are published to every logged-in account (they
// decide everyone's colour), not to anonymous callers.
func (s *Service) RuleSets(ctx context.Context) ([]*ent.RuleSetVersion, error) {
	if _, err := mashang.RequireViewer(ctx); err != nil {
		return nil, mashang.Wrap(err, "persons.RuleSets")
	}
	return database.ClientFrom(ctx, s.Client).RuleSetVersion.Query().
		Order(ent.Desc(rulesetversion.FieldVersion)).All(asSystem(ctx))
}

// InForce tells whether row is the version in force: the highest stored.
func (s *Service) InForce(ctx context.Context, row *ent.RuleSetVersion) (bool, error) {
	_, active, err := s.ActiveProgram(ctx)
	if err != nil {
		return false, err
	}
	return row.Version == active, nil
}

// PublishRuleSet stores a new version of the rules, sent as JSON
// (health.ParseRuleSet), by the viewer in ctx. The rule set is compiled and
// dry-run against SamplesFor(rs) (health.Check) first: any problem is an
// INVALID_INPUT listing every failure. The server numbers it: the version
// in force + 1, whatever "version" the JSON gives (none is needed); only a
// version published meanwhile by someone else is a CONFLICT. Earlier
// versions are kept. Persons are re-evaluated with the new version on their next
// change.
// SECURITY: the viewer needs ruleset/publish (the province's INITIATOR:
// seed 003 §五(二) 实时调整规则), checked before the rules are read.
func (s *Service) PublishRuleSet(ctx context.Context, rules, note string) (*ent.RuleSetVersion, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.PublishRuleSet")
	}
	now := s.now()
	if err := s.enforcer().Check(v, authz.ObjRuleSet, authz.ActPublish, v.ScopePath, now); err != nil {
		return nil, mashang.Wrap(err, "persons.PublishRuleSet")
	}
	rs, err := health.ParseRuleSet(rules)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.PublishRuleSet")
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > 500 {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "note", "The note may have at most 500 characters.")
	}
	var out *ent.RuleSetVersion
	err = database.InTx(asSystem(ctx), s.Client, func(ctx context.Context, c *ent.Client) error {
		out, err = s.publish(ctx, c, rs, note, v.AccountID, now)
		return err
	})
	if err != nil {
		return nil, mashang.Wrap(err, "persons.PublishRuleSet")
	}
	return out, nil
}

// publish stores rs, checked, as the version after the one in force.
func (s *Service) publish(ctx context.Context, c *ent.Client, rs health.RuleSet, note string, byAccountID int, now time.Time) (*ent.RuleSetVersion, error) {
	// Read, not the cached version in force: another replica may have
	// published within RuleCacheTTL.
	_, active, err := s.loadActive(ctx, c)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.publish")
	}
	rs.Version = active + 1
	// Every problem of the rules themselves is reported before any
	// conflict with a concurrent publisher (which only the insert finds).
	prg, _, err := vet(rs, now)
	if err != nil {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "rules", "Rule set v%d refused: %s", rs.Version, strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	text, err := json.Marshal(rs)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.publish")
	}
	create := c.RuleSetVersion.Create().SetVersion(rs.Version).SetRules(string(text)).SetNote(note).SetPublishedAt(now)
	if byAccountID != 0 {
		create.SetPublishedByID(byAccountID)
	}
	row, err := create.Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, mashang.FieldErrorf(mashang.ECONFLICT, "version", "Version %d was published meanwhile.", rs.Version)
	}
	if err != nil {
		return nil, mashang.Wrap(err, "persons.publish")
	}
	s.mu.Lock()
	if s.programs == nil {
		s.programs = map[int]*health.Program{}
	}
	s.programs[rs.Version] = prg
	s.active = nil // the next call reads the new version
	s.mu.Unlock()
	return row, nil
}

// SamplesFor is health.DefaultSamples(now) with the expectations of the
// temperature-only samples taken from rs's own fever threshold
// (params.fever_c), because DESIGN.md §6 makes thresholds configuration:
// a sample whose colour is decided by its temperature (it expects YELLOW or
// GREEN and has a reading) must be YELLOW at or above fever_c and GREEN
// below. Two boundary samples at fever_c and 0.1 °C below are added. The
// structural expectations (RED, ORANGE, the quarantine boundaries) stay.
// Without fever_c in rs.Params the default samples are used unchanged.
func SamplesFor(rs health.RuleSet, now time.Time) []health.Sample {
	samples := health.DefaultSamples(now)
	fever, ok := rs.Params["fever_c"]
	if !ok {
		return samples
	}
	want := func(c float64) string {
		if c >= fever {
			return health.Yellow
		}
		return health.Green
	}
	for i, sm := range samples {
		if sm.Facts.LastTemperature != nil && (sm.Want == health.Yellow || sm.Want == health.Green) {
			samples[i].Want = want(*sm.Facts.LastTemperature)
		}
	}
	at, below := fever, fever-0.1
	samples = append(samples,
		health.Sample{Name: fmt.Sprintf("fever threshold %.1f", at), Facts: health.Facts{LastTemperature: &at, Now: now}, Want: health.Yellow},
		health.Sample{Name: fmt.Sprintf("just below the threshold, %.1f", below), Facts: health.Facts{LastTemperature: &below, Now: now}, Want: health.Green},
	)
	return samples
}

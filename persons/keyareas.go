package persons

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/keyareaversion"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/health"
)

// The key-area list (重点地区, seed 004 §二(五): 重点地区来泉人员…7天内核酸检测)
// is data with versions, like the rule sets (seed 003 §五(二) 实时调整规则):
// the province publishes a new version, every version is kept, the highest
// is in force, and rules read it as key_areas (issue 11, point 11).

// MaxKeyAreas bounds one version of the list.
const MaxKeyAreas = 2000

// KeyAreas returns every version of the key-area list, newest first (the
// first is in force).
// SECURITY: like the rules, published to every logged-in account, not to
// anonymous callers.
func (s *Service) KeyAreas(ctx context.Context) ([]*ent.KeyAreaVersion, error) {
	if _, err := mashang.RequireViewer(ctx); err != nil {
		return nil, mashang.Wrap(err, "persons.KeyAreas")
	}
	return database.ClientFrom(ctx, s.Client).KeyAreaVersion.Query().
		Order(ent.Desc(keyareaversion.FieldVersion)).All(asSystem(ctx))
}

// KeyAreasInForce tells whether row is the version in force: the highest.
func (s *Service) KeyAreasInForce(ctx context.Context, row *ent.KeyAreaVersion) (bool, error) {
	newest, err := newestKeyAreas(asSystem(ctx), database.ClientFrom(ctx, s.Client))
	return err == nil && newest == row.Version, mashang.Wrap(err, "persons.KeyAreasInForce")
}

// newestKeyAreas is the version of the key-area list in force, 0 when none.
func newestKeyAreas(ctx context.Context, c *ent.Client) (int, error) {
	row, err := c.KeyAreaVersion.Query().Order(ent.Desc(keyareaversion.FieldVersion)).Select(keyareaversion.FieldVersion).First(ctx)
	if ent.IsNotFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, mashang.Wrap(err, "persons.newestKeyAreas")
	}
	return row.Version, nil
}

// PublishKeyAreas stores a new version of the key-area list (region codes,
// each covering its subtree; duplicates dropped, sorted) by the viewer in
// ctx, numbered the version in force + 1; a version published meanwhile is
// a CONFLICT. Persons are re-evaluated against it on their next change.
// SECURITY: the viewer needs ruleset/publish, the right to change the
// rules (the province's INITIATOR: seed 003 §五(二)), checked first.
func (s *Service) PublishKeyAreas(ctx context.Context, regions []string, note string) (*ent.KeyAreaVersion, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.PublishKeyAreas")
	}
	now := s.now()
	if err := s.enforcer().Check(v, authz.ObjRuleSet, authz.ActPublish, v.ScopePath, now); err != nil {
		return nil, mashang.Wrap(err, "persons.PublishKeyAreas")
	}
	codes, err := checkKeyAreas(regions)
	if err != nil {
		return nil, mashang.Wrap(err, "persons.PublishKeyAreas")
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > 500 {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "note", "The note may have at most 500 characters.")
	}
	var out *ent.KeyAreaVersion
	err = database.InTx(asSystem(ctx), s.Client, func(ctx context.Context, c *ent.Client) error {
		newest, err := newestKeyAreas(ctx, c)
		if err != nil {
			return err
		}
		out, err = c.KeyAreaVersion.Create().SetVersion(newest + 1).SetRegions(codes).SetNote(note).
			SetPublishedByID(v.AccountID).SetPublishedAt(now).Save(ctx)
		if ent.IsConstraintError(err) {
			return mashang.FieldErrorf(mashang.ECONFLICT, "version", "Version %d was published meanwhile.", newest+1)
		}
		return err
	})
	if err != nil {
		return nil, mashang.Wrap(err, "persons.PublishKeyAreas")
	}
	s.mu.Lock()
	s.keysAt = time.Time{} // this replica reads the new version at once
	s.mu.Unlock()
	return out, nil
}

// checkKeyAreas checks and normalises the codes of a key-area list.
func checkKeyAreas(regions []string) ([]string, error) {
	if len(regions) > MaxKeyAreas {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "regions", "At most %d key areas.", MaxKeyAreas)
	}
	seen := map[string]bool{}
	codes := make([]string, 0, len(regions))
	for _, r := range regions {
		r = strings.TrimSpace(r)
		if !regionCode.MatchString(r) {
			return nil, mashang.FieldErrorf(mashang.EINVALID, "regions", "A key area is a region code of 2, 4, 6, 9 or 12 digits, not %q.", r)
		}
		if !seen[r] {
			seen[r] = true
			codes = append(codes, r)
		}
	}
	sort.Strings(codes)
	return codes, nil
}

// keyAreas returns the key-area list in force (empty when none was ever
// published), remembered for RuleCacheTTL like the rules.
func (s *Service) keyAreas(ctx context.Context, c *ent.Client) ([]string, error) {
	ttl := s.RuleCacheTTL
	if ttl == 0 {
		ttl = DefaultRuleCacheTTL
	}
	s.mu.Lock()
	keys, at := s.keys, s.keysAt
	s.mu.Unlock()
	if ttl > 0 && !at.IsZero() && time.Since(at) < ttl {
		return keys, nil
	}
	row, err := c.KeyAreaVersion.Query().Order(ent.Desc(keyareaversion.FieldVersion)).First(asSystem(ctx))
	switch {
	case ent.IsNotFound(err):
		keys = []string{}
	case err != nil:
		return nil, mashang.Wrap(err, "persons.keyAreas")
	default:
		keys = row.Regions
	}
	s.mu.Lock()
	s.keys, s.keysAt = keys, time.Now()
	s.mu.Unlock()
	return keys, nil
}

// placeFacts adds to f what the rules see of p's places: the code of the
// residence (when a rule reads a region), the visits declared and the
// key-area list in force.
func (s *Service) placeFacts(ctx context.Context, c *ent.Client, prg *health.Program, p *ent.Person, f *health.Facts) error {
	keys, err := s.keyAreas(ctx, c)
	if err != nil {
		return err
	}
	f.KeyAreas, f.Visits = keys, visitsOf(p)
	if p.ResidenceRegionID == nil || !prg.UsesRegion() {
		return nil
	}
	code, err := c.Region.Query().Where(region.ID(*p.ResidenceRegionID)).Select(region.FieldCode).String(asSystem(ctx))
	if err != nil && !ent.IsNotFound(err) {
		return mashang.Wrap(err, "persons.placeFacts")
	}
	f.Region = code
	return nil
}

// visitsOf is p's declared visits as facts.
func visitsOf(p *ent.Person) []health.Visit {
	out := make([]health.Visit, 0, len(p.Visits))
	for _, v := range p.Visits {
		if d, err := time.ParseInLocation("2006-01-02", v.Date, Zone); err == nil {
			out = append(out, health.Visit{Region: v.Region, Date: d})
		}
	}
	return out
}

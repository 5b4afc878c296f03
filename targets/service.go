package targets

import (
	"context"
	"sort"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/stats"
)

// Service reads progress and sets the figures of the regions.
type Service struct {
	Client   *ent.Client
	Enforcer *authz.Enforcer
	Now      func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// CanRead checks that the viewer may read the registration statistics of
// the region at path: DESIGN §5 "read statistics" — INITIATOR all, SENIOR
// and INTERMEDIATE their scope, OFFICIAL its region subtree, GRID_WORKER its
// community, by the acting account's role only. Registrations are counted by
// residence and carry no sector, so an OFFICIAL limited to a sector reads
// those of its region too (seed 000 §五.1: every unit reports its
// registrations daily), while a SECTOR_STATISTICS grant — a sector's data
// province-wide (seed 002 统计权限) — does not reach them.
// SECURITY: keeps every other scope out of a region's registration counts
// (TestAnOfficialOfAnotherDistrictCannotReadItsRegistrationProgress).
func (s *Service) CanRead(ctx context.Context, path string) error {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return err
	}
	if v.Disabled || !authz.OrDefault(s.Enforcer).Allowed(v.Role, v.ScopePath, path, authz.ObjStatistics, authz.ActRead) {
		return mashang.Errorf(mashang.EFORBIDDEN, "Your account may not read the statistics of this region: ask for a region within your scope.")
	}
	return nil
}

// Rank is one row of the ranking of a region's children (seed 003 annex 1
// 乡镇街道申领任务表: 序号, 单位名称, 辖区总人数, 目标任务量, plus what was
// registered and the rate).
type Rank struct {
	Rank     int
	Region   *ent.Region
	Progress *Progress
}

// Ranking ranks the children of region under by their registration rate
// on day, highest first; regions without a target come last. Equal rates
// share a rank (1, 2, 2, 4). Three statements whatever the number of
// children.
func (s *Service) Ranking(ctx context.Context, under int, day *string) ([]*Rank, error) {
	d, err := ParseDay(day, s.now())
	if err != nil {
		return nil, err
	}
	parent, err := s.Client.Region.Get(ctx, under)
	if ent.IsNotFound(err) {
		return nil, mashang.FieldErrorf(mashang.ENOTFOUND, "under", "No region %d.", under)
	} else if err != nil {
		return nil, mashang.Wrap(err, "targets: ranking")
	}
	if err := s.CanRead(ctx, parent.Path); err != nil {
		return nil, err
	}
	children, err := s.Client.Region.Query().Where(region.ParentID(parent.ID)).Order(ent.Asc(region.FieldCode)).All(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "targets: ranking")
	}
	keys := make([]Key, len(children))
	for i, c := range children {
		keys[i] = Key{Path: c.Path, Day: d}
	}
	progress, err := Load(authz.AsSystem(ctx), s.Client, keys)
	if err != nil {
		return nil, err
	}
	out := make([]*Rank, len(children))
	for i, c := range children {
		out[i] = &Rank{Region: c, Progress: progress[i]}
	}
	rank(out)
	return out, nil
}

// rank sorts rows by rate (highest first, no rate last, then by code) and
// numbers them.
func rank(rows []*Rank) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i].Progress.Rate, rows[j].Progress.Rate
		switch {
		case a == nil || b == nil:
			return a != nil && b == nil
		case *a != *b:
			return *a > *b
		}
		return false
	})
	for i, r := range rows {
		r.Rank = i + 1
		if i > 0 && sameRate(rows[i-1].Progress.Rate, r.Progress.Rate) {
			r.Rank = rows[i-1].Rank
		}
	}
}

func sameRate(a, b *float64) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// levelOf is the stats level of a region path.
func levelOf(path string) stats.Level { return stats.LevelOfPath(path) }

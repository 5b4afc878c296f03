// Package supervision answers seed 000 §五.3 (数字朝阳领导小组将实时监控全区扫码情况，
// 对管理缺位和违规操作等行为将予以通报问责): under a node of the tree, the enabled
// sites of MANDATORY categories (seed 004 annex) with no scan on a day or in
// the last hours, the sites not built or not enabled (seed 003 annex 2
// 检查点核验表: 建设情况 已建, 是否启用), and the silent scanners (seed 001 §10:
// 15 days without login or operation); and the daily digest each district
// official receives in the outbox.
package supervision

import (
	"context"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/predicate"
	"github.com/mashang/mashang/ent/site"
	"github.com/mashang/mashang/outbox"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/stats"
	"github.com/mashang/mashang/tree"
)

// Service answers supervision queries.
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

// Limits of the arguments.
const (
	MaxHours     = 24 * 31
	MaxPage      = 500
	DefaultPage  = 50
	maxSilentDay = 366
)

// Report is the supervision of one subtree: the arguments checked and the
// scope resolved; its lists are read page by page.
type Report struct {
	// Path is the node supervised (a region or a site).
	Path string
	// Date is the local day of the idle-site list.
	Date string
	// Since, when set, replaces Day: no scan since this time.
	Since *time.Time
	// Sectors limit every list (an OFFICIAL of a sector, a SECTOR_STATISTICS
	// grant); nil for every sector.
	Sectors []scenario.Sector
	// SilentDays is the silence of the silent-scanner list.
	SilentDays   int
	SilentCutoff time.Time
	client       *ent.Client
}

// Supervise checks the arguments and that the viewer may read the
// statistics of the node under (a region, or a site in the viewer's
// scope), and returns the report to page through. day defaults to today
// (local), silentDays to seed 001 §10's 15.
func (s *Service) Supervise(ctx context.Context, under int, day *string, hours, silentDays *int) (*Report, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	rep := &Report{Date: stats.Day(now), SilentDays: outbox.DefaultSilentDays, client: s.Client}
	if day != nil && *day != "" {
		if _, err := time.ParseInLocation(stats.DayLayout, *day, stats.Zone); err != nil {
			return nil, mashang.FieldErrorf(mashang.EINVALID, "date", "The date %s is not a day of the form 2020-03-25.", *day)
		}
		rep.Date = *day
	}
	if hours != nil {
		if *hours < 1 || *hours > MaxHours {
			return nil, mashang.FieldErrorf(mashang.EINVALID, "hours", "hours must be between 1 and %d.", MaxHours)
		}
		since := now.Add(-time.Duration(*hours) * time.Hour)
		rep.Since = &since
	}
	if silentDays != nil {
		if *silentDays < 1 || *silentDays > maxSilentDay {
			return nil, mashang.FieldErrorf(mashang.EINVALID, "silentDays", "silentDays must be between 1 and %d.", maxSilentDay)
		}
		rep.SilentDays = *silentDays
	}
	rep.SilentCutoff = now.Add(-time.Duration(rep.SilentDays) * 24 * time.Hour)
	if rep.Path, err = s.nodePath(ctx, under); err != nil {
		return nil, err
	}
	if rep.Sectors, err = s.sectorsOf(v, rep.Path); err != nil {
		return nil, err
	}
	return rep, nil
}

// nodePath is the path of the region or site id names. Regions are public;
// a site is looked up through the viewer's scope filter.
// SECURITY: a site outside the scope is NOT_FOUND and reveals nothing.
func (s *Service) nodePath(ctx context.Context, id int) (string, error) {
	r, err := s.Client.Region.Get(ctx, id)
	if err == nil {
		return r.Path, nil
	} else if !ent.IsNotFound(err) {
		return "", mashang.Wrap(err, "supervision")
	}
	st, err := s.Client.Site.Get(ctx, id)
	if ent.IsNotFound(err) {
		return "", mashang.FieldErrorf(mashang.ENOTFOUND, "under", "No region or site %d in your scope.", id)
	}
	if err != nil {
		return "", mashang.Wrap(err, "supervision")
	}
	return st.Path, nil
}

// sectorsOf decides who reads supervision like statistics (DESIGN §5 "read
// statistics"): INITIATOR everything, SENIOR and INTERMEDIATE their scope,
// OFFICIAL its region subtree ∩ its sector, GRID_WORKER its community; a
// SECTOR_STATISTICS grant its sector anywhere (seed 002 统计权限). Asking
// beyond is refused, never trimmed.
// SECURITY: keeps other scopes out (TestAnOfficialOfAnotherDistrictCannotReadItsSupervision,
// TestAnOrdinaryScannerCannotReadSupervision).
func (s *Service) sectorsOf(v *mashang.Viewer, path string) ([]scenario.Sector, error) {
	enf := authz.OrDefault(s.Enforcer)
	if !v.Disabled && enf.Allowed(v.Role, v.ScopePath, path, authz.ObjStatistics, authz.ActRead) {
		if v.Role == mashang.RoleOfficial && v.Sector != "" {
			return []scenario.Sector{scenario.Sector(v.Sector)}, nil
		}
		return nil, nil
	}
	var sectors []scenario.Sector
	now := s.now()
	for _, g := range v.Grants {
		if !v.Disabled && g.Kind == mashang.GrantSectorStatistics && g.Sector != "" && now.Before(g.ExpiresAt) &&
			enf.Allowed(g.Kind, v.ScopePath, path, authz.ObjStatistics, authz.ActRead) {
			sectors = append(sectors, scenario.Sector(g.Sector))
		}
	}
	if len(sectors) == 0 {
		return nil, mashang.Errorf(mashang.EFORBIDDEN, "Your account may not read the statistics of this node: ask for a node within your scope.")
	}
	return sectors, nil
}

// Mandatory lists the categories whose policy is MANDATORY (seed 004 annex 强制).
func Mandatory() []scenario.Category {
	var out []scenario.Category
	for _, i := range scenario.All() {
		if i.Policy == scenario.Mandatory {
			out = append(out, i.Category)
		}
	}
	return out
}

// SitePage is one page of a site list.
type SitePage struct {
	TotalCount int
	Nodes      []*ent.Site
	// EndCursor is the id to pass as after for the next page.
	EndCursor   *int
	HasNextPage bool
}

// inScope are the sites of the report's subtree and sectors.
func (r *Report) inScope() []predicate.Site {
	ps := []predicate.Site{predicate.Site(tree.Within(site.FieldPath, r.Path))}
	if r.Sectors != nil {
		ps = append(ps, site.SectorIn(r.Sectors...))
	}
	return ps
}

// idle are the enabled sites of MANDATORY categories with no scan on the
// day (no SCANS counter at the site's node in the rollups: scans at its
// sub-sites count for it too) or, with Since, no scan of their own since
// then (the scans index site_id, server_time answers it per site).
func (r *Report) idle() []predicate.Site {
	ps := append(r.inScope(), site.Enabled(true), site.CategoryIn(Mandatory()...))
	if r.Since != nil {
		since := *r.Since
		return append(ps, func(s *sql.Selector) {
			t := sql.Table("scans")
			s.Where(sql.Not(sql.Exists(sql.Select(t.C("id")).From(t).
				Where(sql.And(sql.ColumnsEQ(t.C("site_id"), s.C(site.FieldID)), sql.GTE(t.C("server_time"), since))))))
		})
	}
	day := r.Date
	return append(ps, func(s *sql.Selector) {
		t := sql.Table("stat_counts")
		s.Where(sql.Not(sql.Exists(sql.Select(t.C("id")).From(t).
			Where(sql.And(sql.ColumnsEQ(t.C("node_path"), s.C(site.FieldPath)), sql.EQ(t.C("day"), day),
				sql.EQ(t.C("metric"), string(stats.Scans)))))))
	})
}

// IdleSites pages through the enabled MANDATORY sites with no scan.
func (r *Report) IdleSites(ctx context.Context, first *int, after *int) (*SitePage, error) {
	return r.sitePage(ctx, r.idle(), first, after)
}

// UnreadySites pages through the sites not built or not enabled (seed 003
// annex 2: 建设情况 未建, 是否启用 否), of every category.
func (r *Report) UnreadySites(ctx context.Context, first *int, after *int) (*SitePage, error) {
	ps := append(r.inScope(), site.Or(site.Built(false), site.Enabled(false)))
	return r.sitePage(ctx, ps, first, after)
}

func pageSize(first *int) (int, error) {
	if first == nil {
		return DefaultPage, nil
	}
	if *first < 0 || *first > MaxPage {
		return 0, mashang.FieldErrorf(mashang.EINVALID, "first", "first must be between 0 and %d.", MaxPage)
	}
	return *first, nil
}

// sitePage reads one page by id (keyset) and the total. The report's scope
// was checked by Supervise; the rows are read as the system with the
// scope's predicates (a SECTOR_STATISTICS grant reaches beyond the
// account's own scope filter).
func (r *Report) sitePage(ctx context.Context, ps []predicate.Site, first, after *int) (*SitePage, error) {
	n, err := pageSize(first)
	if err != nil {
		return nil, err
	}
	sys := authz.AsSystem(ctx)
	total, err := r.client.Site.Query().Where(ps...).Count(sys)
	if err != nil {
		return nil, mashang.Wrap(err, "supervision: count sites")
	}
	q := r.client.Site.Query().Where(ps...)
	if after != nil {
		q.Where(site.IDGT(*after))
	}
	rows, err := q.Order(ent.Asc(site.FieldID)).Limit(n + 1).All(sys)
	if err != nil {
		return nil, mashang.Wrap(err, "supervision: sites")
	}
	p := &SitePage{TotalCount: total, HasNextPage: len(rows) > n}
	if p.HasNextPage {
		rows = rows[:n]
	}
	p.Nodes = rows
	if len(rows) > 0 {
		p.EndCursor = &rows[len(rows)-1].ID
	}
	return p, nil
}

// SilentScanner is a scanner account without activity for the report's
// days: ACTIVE still, or already disabled as SILENT (seed 001 §10). No
// holder data: who holds it is read through accounts, under its own rules.
type SilentScanner struct {
	AccountID      int
	Role           account.Role
	Status         account.Status
	DisabledReason *account.DisabledReason
	ScopePath      string
	LastActiveAt   *time.Time
}

// ScannerPage is one page of silent scanners.
type ScannerPage struct {
	TotalCount  int
	Nodes       []*SilentScanner
	EndCursor   *int
	HasNextPage bool
}

// silent are the scanner accounts scoped in the subtree (and, for a
// sector, at a site of the sector) whose last activity — or creation, when
// never used — is before the cutoff.
func (r *Report) silent() []predicate.Account {
	cutoff := r.SilentCutoff
	ps := []predicate.Account{
		predicate.Account(tree.Within(account.FieldScopePath, r.Path)),
		account.RoleIn(account.RoleSENIOR, account.RoleINTERMEDIATE, account.RoleORDINARY),
		account.Or(account.StatusEQ(account.StatusACTIVE), account.DisabledReasonEQ(account.DisabledReasonSILENT)),
		account.Or(account.LastActiveAtLT(cutoff), account.And(account.LastActiveAtIsNil(), account.CreatedAtLT(cutoff))),
	}
	if r.Sectors != nil {
		sectors := make([]any, len(r.Sectors))
		for i, s := range r.Sectors {
			sectors[i] = string(s)
		}
		path := r.Path
		ps = append(ps, func(s *sql.Selector) {
			t := sql.Table("sites")
			lo, hi := tree.Bounds(path)
			s.Where(sql.In(s.C(account.FieldScopePath), sql.Select(t.C("path")).From(t).
				Where(sql.And(sql.GTE(t.C("path"), lo), sql.LT(t.C("path"), hi), sql.In(t.C("sector"), sectors...)))))
		})
	}
	return ps
}

// SilentScanners pages through the silent scanner accounts.
func (r *Report) SilentScanners(ctx context.Context, first, after *int) (*ScannerPage, error) {
	n, err := pageSize(first)
	if err != nil {
		return nil, err
	}
	sys := authz.AsSystem(ctx)
	total, err := r.client.Account.Query().Where(r.silent()...).Count(sys)
	if err != nil {
		return nil, mashang.Wrap(err, "supervision: count accounts")
	}
	q := r.client.Account.Query().Where(r.silent()...)
	if after != nil {
		q.Where(account.IDGT(*after))
	}
	rows, err := q.Order(ent.Asc(account.FieldID)).Limit(n + 1).All(sys)
	if err != nil {
		return nil, mashang.Wrap(err, "supervision: accounts")
	}
	p := &ScannerPage{TotalCount: total, HasNextPage: len(rows) > n}
	if p.HasNextPage {
		rows = rows[:n]
	}
	for _, a := range rows {
		p.Nodes = append(p.Nodes, &SilentScanner{AccountID: a.ID, Role: a.Role, Status: a.Status, DisabledReason: a.DisabledReason,
			ScopePath: a.ScopePath, LastActiveAt: a.LastActiveAt})
	}
	if len(rows) > 0 {
		p.EndCursor = &rows[len(rows)-1].ID
	}
	return p, nil
}

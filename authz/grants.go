package authz

import (
	"context"
	"strconv"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/grant"
	"github.com/mashang/mashang/tree"
)

// Purpose limitation (seed 001 §3 所获取的个人健康数据仅限此次防疫期间使用; §11
// 须经省"数字吉林"建设领导小组办公室授权后, 方可查阅相关人员的信息; DESIGN.md §5):
// a PII_VIEWER or TRACER grant covers one region — chosen by the province
// when it gives the grant, otherwise the holder's scope — and names its
// purpose (a reason, and the case or alert it serves). Such a grant is
// asked of Casbin with its own region as the scope, never the holder's, and
// every use is audited with the grant's purpose (GrantPurpose).
//
// These grants are read from the grants table at each use (LiveGrants), not
// from the viewer loaded with the request: a use is rare and audited, the
// region and purpose are needed anyway, and a revocation counts at once.
// Enforcer.Can therefore never lets a region-bound grant decide.

// RegionBound reports whether grants of kind cover a region and a purpose
// (PII_VIEWER, TRACER) rather than the whole province (SECTOR_STATISTICS).
func RegionBound(kind string) bool {
	return kind == mashang.GrantPIIViewer || kind == mashang.GrantTracer
}

// LiveGrants returns the acting account's unexpired, unrevoked grants of
// kind, oldest first; only grant grantID when it is not 0. It reads as the
// system: the grants of the caller itself, decided by the caller's
// identity, not by its scope.
func LiveGrants(ctx context.Context, c *ent.Client, v *mashang.Viewer, kind string, grantID int, now time.Time) ([]*ent.Grant, error) {
	if v == nil {
		return nil, nil
	}
	q := c.Grant.Query().Where(grant.AccountID(v.AccountID), grant.KindEQ(grant.Kind(kind)), grant.RevokedAtIsNil())
	if grantID != 0 {
		q.Where(grant.ID(grantID))
	}
	gs, err := q.Order(grant.ByID()).All(AsSystem(ctx))
	if err != nil {
		return nil, mashang.Wrap(err, "authz.LiveGrants")
	}
	out := gs[:0]
	for _, g := range gs {
		// Expiry compared in Go: SQLite compares times as text, whatever
		// their zone.
		if now.Before(g.ExpiresAt) {
			out = append(out, g)
		}
	}
	return out, nil
}

// GrantRegion is the path of the region g covers: the one the province
// chose, or the scope of its holder v for a grant that names none (those
// given before grants named their region).
func GrantRegion(g *ent.Grant, v *mashang.Viewer) string {
	if g.ScopePath != "" {
		return g.ScopePath
	}
	return v.ScopePath
}

// Covering returns the grant of gs (grants of v) whose region lets its kind
// act (obj, act) on targetPath — the narrowest when several do, the oldest
// of equals — or nil when none does. An unknown place ("", a person
// registered without residence) lies only in the whole province's region.
// SECURITY: Casbin is asked with the grant's region as the scope (policy:
// PII_VIEWER person unmask subtree, TRACER person trace subtree), so a
// grant of 宁国市 never reaches a resident of 朝阳区
// (trace: TestATracerOfNingguoCannotReadAChaoyangResidentsTrajectory).
func (e *Enforcer) Covering(v *mashang.Viewer, gs []*ent.Grant, obj, act, targetPath string) *ent.Grant {
	var best *ent.Grant
	for _, g := range gs {
		region, target := GrantRegion(g, v), targetPath
		if target == "" && region == tree.Root {
			target = tree.Root
		}
		if !e.Allowed(string(g.Kind), region, target, obj, act) {
			continue
		}
		if best == nil || len(region) > len(GrantRegion(best, v)) {
			best = g
		}
	}
	return best
}

// GrantPurpose is what the audit event of a use through g records: the
// grant, its region and its purpose.
func GrantPurpose(g *ent.Grant, v *mashang.Viewer) map[string]any {
	out := map[string]any{"grant": g.ID, "grantKind": string(g.Kind), "region": GrantRegion(g, v), "reason": g.Reason}
	if g.CaseNumber != nil {
		out["caseNumber"] = *g.CaseNumber
	}
	if g.AlertID != nil {
		out["alert"] = "alert:" + strconv.Itoa(*g.AlertID)
	}
	return out
}

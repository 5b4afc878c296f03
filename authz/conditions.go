package authz

import (
	"strings"
	"time"

	"github.com/mashang/mashang"
)

// Conditions a domain service adds to a policy line, on top of its reach.
// A policy line says where (the reach, relative to the acting account's
// scope); some decisions also depend on the account tree or on the target
// itself, which a line cannot say. They are declared here, next to the
// policy, so that the permissions a viewer is shown (ViewerPermissions) carry
// them, and a client hides exactly what the server refuses.
const (
	// CondDerived: only accounts derived from the acting account (strictly
	// below it in the account tree): accounts.Disable and accounts.Replace.
	CondDerived = "derived"
	// CondSubordinate: only the acting account's direct subordinates (it is
	// their superior): accounts.Activate (seed 001 §10 由上一级扫码员激活).
	CondSubordinate = "subordinate"
	// CondSector: only alerts of the acting OFFICIAL's sector or of none
	// (alerts.Authorize); listed only for an official limited to a sector.
	CondSector = "sector"
	// CondAssigned: only alerts assigned to the acting GRID_WORKER
	// (alerts.Authorize).
	CondAssigned = "assigned"
	// CondGrantRegion: only within the region of one of the acting
	// account's grants of this kind (Grant.scopePath), not the account's
	// scope: PII_VIEWER and TRACER (Enforcer.Covering).
	CondGrantRegion = "grantRegion"
	// CondDistrict: only an OFFICIAL whose scope is a province, city or
	// district and who has no sector sets populations and targets
	// (targets.CanSet).
	CondDistrict = "district"
)

// condition is one rule of the table below: role "" is every role; object
// "account:" is the prefix of every account:ROLE object.
type condition struct{ role, object, action, cond string }

var conditions = []condition{
	{"", ObjAccount, ActDisable, CondDerived},
	{"", ObjAccount, ActActivate, CondSubordinate},
	{"", ObjAccount + ":", ActReplace, CondDerived},
	{mashang.RoleOfficial, ObjAlert, ActRead, CondSector},
	{mashang.RoleOfficial, ObjAlert, ActAssign, CondSector},
	{mashang.RoleOfficial, ObjAlert, ActClose, CondSector},
	{mashang.RoleGridWorker, ObjAlert, ActRead, CondAssigned},
	{mashang.RoleGridWorker, ObjAlert, ActVisit, CondAssigned},
	{mashang.RoleOfficial, ObjRegion, ActSetTarget, CondDistrict},
	{mashang.GrantPIIViewer, ObjPerson, ActUnmask, CondGrantRegion},
	{mashang.GrantTracer, ObjPerson, ActTrace, CondGrantRegion},
}

// ConditionOf returns the condition the services add when the viewer acts
// on obj with act through role (its own, or a grant kind), "" for none.
func ConditionOf(v *mashang.Viewer, role, obj, act string) string {
	for _, c := range conditions {
		if c.role != "" && c.role != role || c.action != act {
			continue
		}
		if c.object != obj && !(strings.HasSuffix(c.object, ":") && strings.HasPrefix(obj, c.object)) {
			continue
		}
		if c.cond == CondSector && v.Sector == "" {
			continue // an official of no sector sees every sector's alerts
		}
		return c.cond
	}
	return ""
}

// ViewerPermissions lists what the viewer may do, from the same policy lines
// and grants that Can decides with, each with the condition its service
// adds. A restricted session of a disabled account may do none of them (it
// may only ask for reactivation), so it gets none.
// SECURITY: the UI hides what is not listed; the services still decide.
func (e *Enforcer) ViewerPermissions(v *mashang.Viewer, now time.Time) []Permission {
	if v == nil || v.Disabled {
		return nil
	}
	roles := []string{v.Role}
	for _, g := range v.Grants {
		if now.Before(g.ExpiresAt) {
			roles = append(roles, g.Kind)
		}
	}
	var out []Permission
	seen := map[Permission]bool{}
	for _, role := range roles {
		for _, p := range e.Permissions(role) {
			p.Condition = ConditionOf(v, role, p.Object, p.Action)
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

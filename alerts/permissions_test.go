package alerts_test

import (
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/authz"
)

// TestListedAlertPermissionsAreExactlyAllowed checks viewer.permissions
// (authz.ViewerPermissions) against Authorize, for every role and every alert
// action: a listed permission is allowed on a target within its reach that
// meets its condition, and refused on one that does not meet it; an action
// not listed is refused even on the most favourable target.
func TestListedAlertPermissionsAreExactlyAllowed(t *testing.T) {
	enf := authz.MustEnforcer()
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	svc := &alerts.Service{Enforcer: enf, Now: func() time.Time { return now }}
	const scope = "/22/2201/"
	viewers := map[string]*mashang.Viewer{}
	for _, role := range []string{mashang.RoleInitiator, mashang.RoleSenior, mashang.RoleIntermediate, mashang.RoleOrdinary, mashang.RoleOfficial, mashang.RoleGridWorker} {
		viewers[role] = &mashang.Viewer{AccountID: 7, Role: role, ScopePath: scope}
	}
	viewers["OFFICIAL of a sector"] = &mashang.Viewer{AccountID: 7, Role: mashang.RoleOfficial, ScopePath: scope, Sector: "HEALTH"}
	viewers["TRACER grant"] = &mashang.Viewer{AccountID: 7, Role: mashang.RoleOrdinary, ScopePath: scope,
		Grants: []mashang.ViewerGrant{{Kind: mashang.GrantTracer, ExpiresAt: now.Add(time.Hour)}}}
	acts := []string{authz.ActSubscribe, authz.ActRead, authz.ActAssign, authz.ActVisit, authz.ActClose, authz.ActPause}
	// The most favourable target of each condition, and one that breaks it.
	meets := map[string]alerts.Target{
		"":                 {ScopePath: scope + "220102/"},
		authz.CondSector:   {ScopePath: scope + "220102/", Sector: "HEALTH", AssigneeID: 7},
		authz.CondAssigned: {ScopePath: scope + "220102/", AssigneeID: 7},
	}
	breaks := map[string]alerts.Target{
		authz.CondSector:   {ScopePath: scope + "220102/", Sector: "EDUCATION", AssigneeID: 7},
		authz.CondAssigned: {ScopePath: scope + "220102/", AssigneeID: 8},
	}
	favourable := alerts.Target{ScopePath: scope + "220102/", AssigneeID: 7}
	for name, v := range viewers {
		listed := map[string]authz.Permission{}
		for _, p := range enf.ViewerPermissions(v, now) {
			if p.Object == authz.ObjAlert {
				listed[p.Action] = p
			}
		}
		for _, act := range acts {
			p, ok := listed[act]
			if !ok {
				if err := svc.Authorize(v, act, favourable); err == nil {
					t.Errorf("%s: alert/%s is not listed but Authorize allows it", name, act)
				}
				continue
			}
			if err := svc.Authorize(v, act, meets[p.Condition]); err != nil {
				t.Errorf("%s: alert/%s (condition %q) is listed but Authorize refuses it: %v", name, act, p.Condition, err)
			}
			if target, ok := breaks[p.Condition]; ok {
				if err := svc.Authorize(v, act, target); err == nil {
					t.Errorf("%s: alert/%s allowed on a target that breaks its condition %q", name, act, p.Condition)
				}
			} else {
				// No condition listed: another sector's or another grid
				// worker's alert must be allowed too.
				for cond, target := range breaks {
					if err := svc.Authorize(v, act, target); err != nil {
						t.Errorf("%s: alert/%s listed without condition but refused on a target breaking %q: %v", name, act, cond, err)
					}
				}
			}
		}
	}
	// A disabled account's restricted session is shown nothing.
	if got := enf.ViewerPermissions(&mashang.Viewer{Role: mashang.RoleInitiator, ScopePath: "/", Disabled: true}, now); len(got) != 0 {
		t.Errorf("a disabled session lists %v", got)
	}
}

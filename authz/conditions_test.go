package authz_test

import (
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
)

// The conditions the services add are shown with the permissions they
// restrict, only for the viewers they apply to, and nobody is shown a way
// to create or replace a SENIOR directly (only an approved application
// opens or hands over one: the services refuse it).
func TestViewerPermissionsCarryConditions(t *testing.T) {
	e := authz.MustEnforcer()
	now := time.Now()
	find := func(v *mashang.Viewer, obj, act string) (authz.Permission, bool) {
		for _, p := range e.ViewerPermissions(v, now) {
			if p.Object == obj && p.Action == act {
				return p, true
			}
		}
		return authz.Permission{}, false
	}
	initiator := &mashang.Viewer{Role: mashang.RoleInitiator, ScopePath: "/"}
	for _, c := range []struct {
		v         *mashang.Viewer
		obj, act  string
		condition string
	}{
		{initiator, authz.ObjAccount, authz.ActDisable, authz.CondDerived},
		{initiator, authz.ObjAccount, authz.ActActivate, authz.CondSubordinate},
		{initiator, authz.AccountObject(mashang.RoleOrdinary), authz.ActReplace, authz.CondDerived},
		{initiator, authz.AccountObject(mashang.RoleOrdinary), authz.ActCreate, ""},
		{initiator, authz.ObjAlert, authz.ActRead, ""},
		{&mashang.Viewer{Role: mashang.RoleOfficial, ScopePath: "/22/"}, authz.ObjAlert, authz.ActRead, ""},
		{&mashang.Viewer{Role: mashang.RoleOfficial, ScopePath: "/22/", Sector: "HEALTH"}, authz.ObjAlert, authz.ActClose, authz.CondSector},
		{&mashang.Viewer{Role: mashang.RoleGridWorker, ScopePath: "/22/"}, authz.ObjAlert, authz.ActVisit, authz.CondAssigned},
	} {
		p, ok := find(c.v, c.obj, c.act)
		if !ok || p.Condition != c.condition {
			t.Errorf("%s %s/%s: listed %v with condition %q, want condition %q", c.v.Role, c.obj, c.act, ok, p.Condition, c.condition)
		}
	}
	for _, act := range []string{authz.ActCreate, authz.ActReplace} {
		for _, role := range authz.PolicyRoles {
			if p, ok := find(&mashang.Viewer{Role: role, ScopePath: "/"}, authz.AccountObject(mashang.RoleSenior), act); ok {
				t.Errorf("%s is shown %+v, which every service refuses", role, p)
			}
		}
	}
	// Grants add their lines; expired grants do not.
	v := &mashang.Viewer{Role: mashang.RoleOrdinary, ScopePath: "/22/", Grants: []mashang.ViewerGrant{
		{Kind: mashang.GrantPIIViewer, ExpiresAt: now.Add(time.Hour)},
		{Kind: mashang.GrantTracer, ExpiresAt: now.Add(-time.Hour)},
	}}
	if _, ok := find(v, authz.ObjPerson, authz.ActUnmask); !ok {
		t.Errorf("an unexpired PII_VIEWER grant is not listed")
	}
	if _, ok := find(v, authz.ObjPerson, authz.ActTrace); ok {
		t.Errorf("an expired TRACER grant is listed")
	}
}

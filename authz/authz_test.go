package authz_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/grant"
)

const (
	province  = "/22/"
	district  = "/22/2201/220104/"
	community = "/22/2201/220104/220104001/220104001001/"
	site      = "/22/2201/220104/220104001/220104001001/s4294967297/"
	elsewhere = "/34/3418/341881/"
)

func TestReaches(t *testing.T) {
	cases := []struct {
		reach, scope, target string
		want                 bool
	}{
		{"any", district, elsewhere, true},
		{"subtree", district, district, true},
		{"subtree", district, site, true},
		{"subtree", district, elsewhere, false},
		{"subtree", "/22/2201/22010/", "/22/2201/220104/", false}, // sibling sharing a prefix of digits
		{"below", district, district, false},
		{"below", district, community, true},
		{"own", site, site, true},
		{"own", site, site + "s9/", false},
		{"subtree", "", district, false},
		{"nonsense", district, district, false},
	}
	for _, c := range cases {
		if got := authz.Reaches(c.reach, c.scope, c.target); got != c.want {
			t.Errorf("Reaches(%s, %s, %s) = %v, want %v", c.reach, c.scope, c.target, got, c.want)
		}
	}
}

// The creation matrix of DESIGN.md §5, asked of Casbin with the scope of
// each role and targets inside and outside it.
func TestCreationMatrix(t *testing.T) {
	enf := authz.MustEnforcer()
	scopes := map[string]string{
		mashang.RoleInitiator: "/", mashang.RoleSenior: district, mashang.RoleIntermediate: community,
		mashang.RoleOrdinary: site, mashang.RoleOfficial: district, mashang.RoleGridWorker: community,
	}
	roles := []string{mashang.RoleInitiator, mashang.RoleSenior, mashang.RoleIntermediate, mashang.RoleOrdinary, mashang.RoleOfficial, mashang.RoleGridWorker}
	// want[actor][created role] for a target strictly inside the actor's scope.
	want := map[string]map[string]bool{
		mashang.RoleInitiator:    {mashang.RoleIntermediate: true, mashang.RoleOrdinary: true, mashang.RoleOfficial: true, mashang.RoleGridWorker: true},
		mashang.RoleSenior:       {mashang.RoleIntermediate: true, mashang.RoleOrdinary: true},
		mashang.RoleIntermediate: {mashang.RoleOrdinary: true},
	}
	for _, actor := range roles {
		for _, created := range roles {
			inside := scopes[actor] + "s77/"
			t.Run(fmt.Sprintf("%s creates %s", actor, created), func(t *testing.T) {
				got := enf.Allowed(actor, scopes[actor], inside, authz.AccountObject(created), authz.ActCreate)
				if got != want[actor][created] {
					t.Fatalf("inside scope: allowed = %v, want %v", got, want[actor][created])
				}
				if actor != mashang.RoleInitiator && enf.Allowed(actor, scopes[actor], elsewhere, authz.AccountObject(created), authz.ActCreate) {
					t.Fatal("allowed outside its scope")
				}
			})
		}
	}
	// seed 001 §9: seniors only through an approved application.
	if enf.Allowed(mashang.RoleInitiator, "/", district, authz.AccountObject(mashang.RoleSenior), authz.ActCreate) {
		t.Error("INITIATOR may create a SENIOR directly; it must go through an application")
	}
	// A senior creates intermediates below its scope, not at its own node.
	if enf.Allowed(mashang.RoleSenior, district, district, authz.AccountObject(mashang.RoleIntermediate), authz.ActCreate) {
		t.Error("SENIOR may create an INTERMEDIATE at its own scope node")
	}
}

// SECURITY: an ORDINARY scanner can do nothing to accounts, sites or grants.
func TestOrdinaryScannerIsRefusedManagement(t *testing.T) {
	enf := authz.MustEnforcer()
	now := time.Now()
	v := &mashang.Viewer{Role: mashang.RoleOrdinary, ScopePath: site}
	for _, c := range []struct{ obj, act string }{
		{authz.ObjSite, authz.ActCreate}, {authz.ObjAccount, authz.ActDisable}, {authz.ObjAccount, authz.ActActivate},
		{authz.AccountObject(mashang.RoleOrdinary), authz.ActCreate}, {authz.ObjGrant, authz.ActGive},
		{authz.ObjApplication, authz.ActDecide}, {authz.ObjPerson, authz.ActUnmask},
	} {
		if err := enf.Check(v, c.obj, c.act, site+"s1/", now); mashang.ErrorCode(err) != mashang.EFORBIDDEN {
			t.Errorf("%s %s: %v, want FORBIDDEN", c.act, c.obj, err)
		}
	}
	if err := enf.Check(v, authz.ObjScan, authz.ActRecord, site, now); err != nil {
		t.Errorf("ordinary scanner may not record scans at its own site: %v", err)
	}
	if err := enf.Check(nil, authz.ObjScan, authz.ActRead, site, now); mashang.ErrorCode(err) != mashang.EUNAUTHENTICATED {
		t.Errorf("anonymous: %v", err)
	}
}

// SECURITY: personal data and tracing need a grant (seed 001 §11) and are
// decided only with the grant's region (Covering), never by Can: a
// PII_VIEWER grant loaded with the viewer does not unmask by itself.
func TestOfficialWithoutGrantCannotUnmask(t *testing.T) {
	enf := authz.MustEnforcer()
	now := time.Now()
	v := &mashang.Viewer{Role: mashang.RoleOfficial, ScopePath: district}
	if enf.Can(v, authz.ObjPerson, authz.ActUnmask, community, now) {
		t.Fatal("official without a grant may unmask")
	}
	v.Grants = []mashang.ViewerGrant{{Kind: mashang.GrantPIIViewer, ExpiresAt: now.Add(time.Hour)}}
	if enf.Can(v, authz.ObjPerson, authz.ActUnmask, community, now) {
		t.Fatal("Can let a region-bound grant decide, without its region")
	}
	if enf.Covering(v, nil, authz.ObjPerson, authz.ActUnmask, community) != nil {
		t.Fatal("no grant covers")
	}
}

// TestAGrantOfAnotherRegionCoversNothingHere: a region-bound grant is asked
// with its own region as the scope (issue 10 #18): a grant for 宁国市 does
// not reach a 朝阳区 residence, whatever the holder's scope; a grant naming
// no region covers the holder's scope; of several, the narrowest covering
// one is used; an unknown residence lies only in the province-wide region.
func TestAGrantOfAnotherRegionCoversNothingHere(t *testing.T) {
	enf := authz.MustEnforcer()
	v := &mashang.Viewer{Role: mashang.RoleOfficial, ScopePath: district}
	ningguo := &ent.Grant{ID: 1, Kind: grant.KindTRACER, ScopePath: "/34/3418/341881/"}
	own := &ent.Grant{ID: 2, Kind: grant.KindTRACER}
	city := &ent.Grant{ID: 3, Kind: grant.KindTRACER, ScopePath: "/22/2201/"}
	wide := &ent.Grant{ID: 4, Kind: grant.KindTRACER, ScopePath: "/"}
	pii := &ent.Grant{ID: 5, Kind: grant.KindPII_VIEWER, ScopePath: "/"}
	for _, c := range []struct {
		name   string
		grants []*ent.Grant
		target string
		want   *ent.Grant
	}{
		{"AGrantForNingguo", []*ent.Grant{ningguo}, community, nil},
		{"AGrantForTheHoldersScope", []*ent.Grant{ningguo, own}, community, own},
		{"TheNarrowestOfSeveral", []*ent.Grant{wide, city, own}, community, own},
		{"AGrantForTheCityOutsideTheHoldersScope", []*ent.Grant{city}, "/22/2201/220102/", city},
		{"AGrantOfAnotherKind", []*ent.Grant{pii}, community, nil},
		{"AnUnknownResidenceAndACityGrant", []*ent.Grant{city}, "", nil},
		{"AnUnknownResidenceAndAProvinceWideGrant", []*ent.Grant{city, wide}, "", wide},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := enf.Covering(v, c.grants, authz.ObjPerson, authz.ActTrace, c.target); got != c.want {
				t.Fatalf("covering grant %+v, want %+v", got, c.want)
			}
		})
	}
}

// BenchmarkDecision measures one Casbin decision as the API asks it: the
// cost does not depend on the number of accounts, which Casbin never sees.
func BenchmarkDecision(b *testing.B) {
	enf := authz.MustEnforcer()
	v := &mashang.Viewer{Role: mashang.RoleSenior, ScopePath: district}
	now := time.Now()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if !enf.Can(v, authz.AccountObject(mashang.RoleOrdinary), authz.ActCreate, community, now) {
				b.Fatal("refused")
			}
		}
	})
}

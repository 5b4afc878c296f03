package trace_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/grant"
	"github.com/mashang/mashang/ent/scan"
)

// Paths of the places the tests trace in.
const (
	chaoyang = "/22/2201/220104/"         // 长春市朝阳区
	nanguan  = "/22/2201/220102/"         // 长春市南关区
	ningguo  = "/34/3418/341881/"         // 宁国市
	initPath = "/"                        // the province INITIATOR's scope
	siteCY   = chaoyang + "220104001/s1/" // a site in 朝阳区
)

var accounts int

// holder stores an account of role at scope (with its user) and returns
// the viewer acting as it, without grants: the services read grants from
// the grants table.
func holder(t *testing.T, c *ent.Client, role, scope string) *mashang.Viewer {
	t.Helper()
	ctx := context.Background()
	accounts++
	u, err := c.User.Create().SetName("官员").SetPhoneSealed([]byte("x")).SetPhoneHash(fmt.Sprint("ph", accounts)).
		SetPhoneMasked("139****0000").SetPasswordHash("x").Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.Account.Create().SetRole(account.Role(role)).SetScopePath(scope).
		SetAccountPath(fmt.Sprintf("/t%d/", accounts)).SetHolderID(u.ID).Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return &mashang.Viewer{UserID: u.ID, AccountID: a.ID, Role: role, ScopePath: scope, AccountPath: a.AccountPath}
}

// give stores a grant of kind for v's account covering region ("": the
// holder's scope, as grants given before regions were named) and returns it.
func give(t *testing.T, c *ent.Client, v *mashang.Viewer, kind, region string, expires time.Time) *ent.Grant {
	t.Helper()
	g, err := c.Grant.Create().SetKind(grant.Kind(kind)).SetExpiresAt(expires).SetReason("密接排查").
		SetCaseNumber("朝阳流调〔2026〕7号").SetScopePath(region).SetAccountID(v.AccountID).SetGrantedByID(v.AccountID).
		Save(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	v.Grants = append(v.Grants, mashang.ViewerGrant{Kind: kind, ExpiresAt: expires})
	return g
}

// scanAt stores a scan of personID (nil: someone unregistered named name)
// at a site.
func scanAt(t *testing.T, c *ent.Client, client string, siteID int, sitePath, siteName string, personID *int, name string, at time.Time) {
	t.Helper()
	if err := c.Scan.Create().SetClientID(client).SetAccountID(1).SetAccountPath("/a1/").SetScannerName("王*").
		SetSiteID(siteID).SetSitePath(sitePath).SetSiteName(siteName).SetSector("OTHER").
		SetNillablePersonID(personID).SetMethod(scan.MethodSHOW_CODE).SetNameMasked(name).SetIDNumberMasked("220104********0000").
		SetTemperature(36.5).SetFever(false).SetDecision(scan.DecisionPASS).SetServerTime(at).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
}

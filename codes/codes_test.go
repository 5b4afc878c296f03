package codes_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/codes"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/persons"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/token"
)

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func as(v *mashang.Viewer) context.Context {
	ctx := authz.WithRequest(context.Background())
	if v == nil {
		return ctx
	}
	return mashang.NewContextWithViewer(ctx, v)
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var e *mashang.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("error %v, want %s", err, code)
	}
}

type world struct {
	svc            *codes.Service
	site, other    *ent.Site
	resident       *ent.Person
	residentSecret string
}

func newWorld(t *testing.T, db *database.DB) *world {
	t.Helper()
	authz.Install(db.Client)
	ctx := context.Background()
	box, err := pii.NewBox(pii.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return t0 }
	ps := &persons.Service{Client: db.Client, Box: box, Now: clock}
	reg := db.Client.Region.Create().SetCode("220104").SetName("朝阳区").SetLevel("DISTRICT").SetPath("/220104/").SaveX(ctx)
	site := func(key string) *ent.Site {
		return db.Client.Site.Create().SetName("门岗 " + key).SetCategory(scenario.Category(scenario.Category("").Values()[0])).
			SetRegionID(reg.ID).SetPath(reg.Path + key + "/").SaveX(ctx)
	}
	w := &world{site: site("s1"), other: site("s2")}
	w.svc = &codes.Service{Client: db.Client, Enforcer: authz.MustEnforcer(), Persons: ps,
		Signer: &token.Signer{Issuer: "22", Current: token.GenerateKey()}, Now: clock}
	w.resident, w.residentSecret, err = ps.RegisterWithToken(ctx, persons.RegisterInput{Name: "王五", IDType: "PASSPORT", IDNumber: "E12345678"})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestForSiteCallers: only a site's managers and scanners show its code.
func TestForSiteCallers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		for _, tc := range []struct {
			name string
			v    *mashang.Viewer
			code string
		}{
			{"AsAnonymous", nil, mashang.EUNAUTHENTICATED},
			{"AsAnOrdinaryScannerOfAnotherSite", &mashang.Viewer{AccountID: 2, Role: mashang.RoleOrdinary, ScopePath: w.other.Path, AccountPath: "/a1/a2/"}, mashang.ENOTFOUND},
			{"AsAnOfficialOfTheDistrict", &mashang.Viewer{AccountID: 3, Role: mashang.RoleOfficial, ScopePath: "/220104/", AccountPath: "/a1/a3/"}, mashang.EFORBIDDEN},
			{"AsAGridWorkerOfTheDistrict", &mashang.Viewer{AccountID: 4, Role: mashang.RoleGridWorker, ScopePath: "/220104/", AccountPath: "/a1/a4/"}, mashang.EFORBIDDEN},
			{"AsTheSiteScanner", &mashang.Viewer{AccountID: 5, Role: mashang.RoleOrdinary, ScopePath: w.site.Path, AccountPath: "/a1/a5/"}, ""},
			{"AsTheInitiator", &mashang.Viewer{AccountID: 1, Role: mashang.RoleInitiator, ScopePath: "/", AccountPath: "/a1/"}, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c, err := w.svc.ForSite(as(tc.v), w.site.ID, nil)
				if tc.code != "" {
					wantCode(t, err, tc.code)
					return
				}
				if err != nil || c.Claims.Kind != token.KindSite || c.Claims.Subject != uint64(w.site.ID) ||
					!c.Claims.ExpiresAt.Equal(t0.Add(codes.DefaultSiteTTL*time.Minute)) || len(c.PNG) == 0 || c.SVG == "" {
					t.Fatalf("code %+v %v", c, err)
				}
			})
		}
	})
}

// TestForPersonCallers: a person's code goes to its token's holder, or to
// an official of the person's residence.
func TestForPersonCallers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		byID := persons.Ref{ID: w.resident.ID}
		t.Run("AsAnonymousByID", func(t *testing.T) {
			_, err := w.svc.ForPerson(as(nil), byID, nil)
			wantCode(t, err, mashang.EUNAUTHENTICATED)
		})
		t.Run("AsAnOrdinaryScanner", func(t *testing.T) {
			_, err := w.svc.ForPerson(as(&mashang.Viewer{AccountID: 5, Role: mashang.RoleOrdinary, ScopePath: w.site.Path}), byID, nil)
			wantCode(t, err, mashang.ENOTFOUND)
		})
		c, err := w.svc.ForPerson(as(nil), persons.Ref{Token: w.residentSecret}, nil)
		if err != nil || c.Claims.Kind != token.KindPerson || c.Claims.Colour.String() != scenario.ColourGreen.String() ||
			!c.Claims.ExpiresAt.Equal(t0.Add(codes.DefaultPersonTTL*time.Minute)) {
			t.Fatalf("code %+v %v", c, err)
		}
		_, err = w.svc.ForPerson(as(nil), persons.Ref{Token: w.residentSecret}, new(int))
		wantCode(t, err, mashang.EINVALID)
		w.svc.Signer = nil
		_, err = w.svc.ForPerson(as(nil), persons.Ref{Token: w.residentSecret}, nil)
		wantCode(t, err, mashang.EUNAVAILABLE)
	})
}

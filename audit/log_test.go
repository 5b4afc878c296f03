package audit_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/audit"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
)

// TestLogEvents: the audit log is read by the province only (DESIGN §8),
// newest first, a page at a time.
func TestLogEvents(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		authz.Install(db.Client)
		for _, a := range []string{"a", "b", "c", "b"} {
			record(t, db.Client, a, t0)
		}
		l := &audit.Log{Client: db.Client, Enforcer: authz.MustEnforcer(), Now: func() time.Time { return t0 }}
		as := func(v *mashang.Viewer) context.Context {
			ctx := authz.WithRequest(context.Background())
			if v == nil {
				return ctx
			}
			return mashang.NewContextWithViewer(ctx, v)
		}
		for _, tc := range []struct {
			name string
			v    *mashang.Viewer
			code string
		}{
			{"AsAnonymous", nil, mashang.EUNAUTHENTICATED},
			{"AsAnOfficial", &mashang.Viewer{AccountID: 2, Role: mashang.RoleOfficial, ScopePath: "/22/"}, mashang.EFORBIDDEN},
			{"AsASenior", &mashang.Viewer{AccountID: 3, Role: mashang.RoleSenior, ScopePath: "/22/2201/"}, mashang.EFORBIDDEN},
			{"AsAPIIViewerOfficial", &mashang.Viewer{AccountID: 4, Role: mashang.RoleOfficial, ScopePath: "/22/",
				Grants: []mashang.ViewerGrant{{Kind: mashang.GrantPIIViewer, ExpiresAt: t0.Add(time.Hour)}}}, mashang.EFORBIDDEN},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := l.Events(as(tc.v), audit.Page{})
				var e *mashang.Error
				if !errors.As(err, &e) || e.Code != tc.code {
					t.Fatalf("error %v, want %s", err, tc.code)
				}
			})
		}
		ini := as(&mashang.Viewer{AccountID: 1, Role: mashang.RoleInitiator, ScopePath: "/"})
		all, err := l.Events(ini, audit.Page{})
		if err != nil || len(all) != 4 || all[0].Action != "b" || all[3].Action != "a" {
			t.Fatalf("events %v %v, want 4 newest first", all, err)
		}
		page, err := l.Events(ini, audit.Page{First: intp(2), BeforeID: intp(all[0].ID), Action: "b"})
		if err != nil || len(page) != 1 || page[0].ID != all[2].ID {
			t.Fatalf("page %v %v, want the first b", page, err)
		}
		for _, n := range []int{0, 501} {
			_, err := l.Events(ini, audit.Page{First: intp(n)})
			var e *mashang.Error
			if !errors.As(err, &e) || e.Code != mashang.EINVALID || e.Field != "first" {
				t.Errorf("first %d: %v, want INVALID_INPUT on first", n, err)
			}
		}
	})
}

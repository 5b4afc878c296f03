package alerts_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/alert"
	"github.com/mashang/mashang/ent/alertpause"
	"github.com/mashang/mashang/scenario"
)

func TestRaiseMany(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ctx := f.ctx
		health := scenario.SectorHealth

		// Community B's pushes are paused (a bad import floods them).
		if err := f.svc.SetPause(ctx, viewerOf(f.initiator), f.region(communB).ID, true, "导入错误"); err != nil {
			t.Fatal(err)
		}

		sub, cancel := f.broker.Subscribe()
		defer cancel()

		colour := "ORANGE"
		rs := []alerts.Raise{
			scanRaise(siteA, &health),
			scanRaise(siteB, nil),
			{Kind: alerts.KindColourChange, ScopePath: communA, PersonID: ptr(42), NameMasked: "李*",
				IDNumberMasked: "220104********5678", Reasons: []string{alerts.ReasonColourOrange}, Colour: &colour},
		}
		rs[0].ScanID, rs[0].SiteID = ptr(1001), ptr(12)

		tx, err := db.Client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		created, msgs, err := f.svc.RaiseMany(ctx, tx.Client(), rs)
		if err != nil {
			tx.Rollback()
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if len(created) != 3 {
			t.Fatalf("created %d alerts, want 3", len(created))
		}
		if got := []bool{created[0].Pushed, created[1].Pushed, created[2].Pushed}; !reflect.DeepEqual(got, []bool{true, false, true}) {
			t.Fatalf("pushed = %v, want [true false true] (community B is paused)", got)
		}
		want := []alerts.Message{
			{AlertID: created[0].ID, ScopePath: siteA, Sector: "HEALTH"},
			{AlertID: created[2].ID, ScopePath: communA},
		}
		if !reflect.DeepEqual(msgs, want) {
			t.Fatalf("messages = %+v, want %+v", msgs, want)
		}

		// As stored.
		a, err := db.Client.Alert.Get(ctx, created[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if a.Kind != alert.KindSCAN || a.ScopePath != siteA || a.Place != "朝阳区人民医院" || a.Sector == nil || *a.Sector != health ||
			a.ScanID == nil || *a.ScanID != 1001 || a.SiteID == nil || *a.SiteID != 12 || a.PersonID != nil ||
			a.NameMasked != "张*" || a.IDNumberMasked != "220104********1234" || !reflect.DeepEqual(a.Reasons, []string{"FEVER"}) ||
			a.Colour != nil || a.Temperature == nil || *a.Temperature != 38.2 || a.Status != alert.StatusOPEN ||
			a.AssigneeID != nil || a.Note != "" || !a.Pushed {
			t.Fatalf("stored alert = %+v", a)
		}
		wantTime := now.Truncate(1000)
		if !a.RaisedAt.Equal(wantTime) || !a.UpdatedAt.Equal(wantTime) || a.RaisedAt.Nanosecond() != 123456000 {
			t.Fatalf("raised_at %v updated_at %v, want %v (microseconds)", a.RaisedAt, a.UpdatedAt, wantTime)
		}
		c, err := db.Client.Alert.Get(ctx, created[2].ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Kind != alert.KindCOLOUR_CHANGE || c.Colour == nil || *c.Colour != scenario.ColourOrange || c.PersonID == nil || *c.PersonID != 42 || c.Sector != nil {
			t.Fatalf("stored colour-change alert = %+v", c)
		}

		// Publishing is the caller's, after its commit.
		empty(t, sub)
		f.svc.Publish(ctx, msgs)
		for _, w := range want {
			if got := receive(t, sub); got != w {
				t.Fatalf("received %+v, want %+v", got, w)
			}
		}
		empty(t, sub)

		t.Run("RolledBackWithTheCaller", func(t *testing.T) {
			before := db.Client.Alert.Query().CountX(ctx)
			tx, err := db.Client.Tx(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := f.svc.RaiseMany(ctx, tx.Client(), []alerts.Raise{scanRaise(siteA, nil)}); err != nil {
				t.Fatal(err)
			}
			if err := tx.Rollback(); err != nil {
				t.Fatal(err)
			}
			if after := db.Client.Alert.Query().CountX(ctx); after != before {
				t.Fatalf("%d alerts after rollback, want %d", after, before)
			}
		})

		t.Run("LargeBatch", func(t *testing.T) {
			rs := make([]alerts.Raise, 1203)
			for i := range rs {
				scope := siteA
				if i%3 == 0 {
					scope = fmt.Sprintf("%ss%d/", communB, 100+i)
				}
				rs[i] = scanRaise(scope, nil)
				rs[i].ScanID = ptr(10000 + i)
			}
			created, msgs, err := f.svc.RaiseMany(ctx, db.Client, rs)
			if err != nil {
				t.Fatal(err)
			}
			if len(created) != len(rs) || len(msgs) != 802 {
				t.Fatalf("created %d, messages %d; want %d and 802", len(created), len(msgs), len(rs))
			}
			seen := map[int]bool{}
			for i, a := range created {
				if *a.ScanID != 10000+i || a.Pushed != (i%3 != 0) || seen[a.ID] {
					t.Fatalf("alert %d = scan %d pushed %v (duplicate id %v)", i, *a.ScanID, a.Pushed, seen[a.ID])
				}
				seen[a.ID] = true
			}
			unpushed := db.Client.Alert.Query().Where(alert.Pushed(false), alert.ScanIDGTE(10000)).CountX(ctx)
			if unpushed != 401 {
				t.Fatalf("%d unpushed alerts stored, want 401", unpushed)
			}
		})

		t.Run("ErrInvalidRaise", func(t *testing.T) {
			before := db.Client.Alert.Query().CountX(ctx)
			for _, r := range []alerts.Raise{
				{Kind: "OTHER", ScopePath: siteA},
				{Kind: alerts.KindScan, ScopePath: ""},
				{Kind: alerts.KindScan, ScopePath: "22/2201"},
			} {
				if _, _, err := f.svc.RaiseMany(ctx, db.Client, []alerts.Raise{scanRaise(siteA, nil), r}); err == nil {
					t.Fatalf("raise %+v: no error", r)
				}
			}
			// The batch is checked whole before anything is written.
			if after := db.Client.Alert.Query().CountX(ctx); after != before {
				t.Fatalf("%d alerts after refused batches, want %d", after, before)
			}
		})
	})
}

func TestPause(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ctx := f.ctx
		paused := func(p string) bool {
			t.Helper()
			ok, err := f.svc.Paused(ctx, db.Client, p)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if paused(siteA) {
			t.Fatal("paused before any pause")
		}
		districtID := f.region(district).ID
		if err := f.svc.SetPause(ctx, viewerOf(f.initiator), districtID, true, "flood"); err != nil {
			t.Fatal(err)
		}
		for p, want := range map[string]bool{
			district: true, street: true, communA: true, siteA: true, siteB: true,
			city: false, province: false, "/": false, otherCity: false,
			// a sibling whose code merely starts with the same digits
			"/22/2201/2201049/": false,
		} {
			if got := paused(p); got != want {
				t.Errorf("Paused(%s) = %v, want %v", p, got, want)
			}
			// RaiseMany holds exactly the same alerts, in SQL.
			created, msgs, err := f.svc.RaiseMany(ctx, nil, []alerts.Raise{scanRaise(p, nil)})
			if err != nil {
				t.Fatal(err)
			}
			stored := db.Client.Alert.GetX(ctx, created[0].ID)
			if created[0].Pushed == want || stored.Pushed == want || (len(msgs) == 1) == want {
				t.Errorf("RaiseMany at %s: pushed %v (stored %v), %d messages; paused %v", p, created[0].Pushed, stored.Pushed, len(msgs), want)
			}
		}

		// Pausing again updates the one pause of the region.
		if err := f.svc.SetPause(ctx, viewerOf(f.official), districtID, true, "still flooding"); err != nil {
			t.Fatal(err)
		}
		ps := db.Client.AlertPause.Query().AllX(ctx)
		if len(ps) != 1 || ps[0].Reason != "still flooding" || ps[0].ByAccountID != f.official.ID || ps[0].Path != district {
			t.Fatalf("pauses = %+v", ps)
		}
		// A second region's pause counts too.
		if err := f.svc.SetPause(ctx, viewerOf(f.initiator), f.region(otherCity).ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if !paused(otherCity + "220202/") {
			t.Fatal("other city not paused")
		}

		// Resuming one region leaves the other.
		if err := f.svc.SetPause(ctx, viewerOf(f.initiator), districtID, false, ""); err != nil {
			t.Fatal(err)
		}
		if paused(siteA) || !paused(otherCity) {
			t.Fatal("resume did not lift exactly the district's pause")
		}
		if n := db.Client.AlertPause.Query().Where(alertpause.RegionID(districtID)).CountX(ctx); n != 0 {
			t.Fatalf("%d pauses of the resumed region left", n)
		}
		created, msgs, err := f.svc.RaiseMany(ctx, db.Client, []alerts.Raise{scanRaise(siteA, nil)})
		if err != nil {
			t.Fatal(err)
		}
		if !created[0].Pushed || len(msgs) != 1 {
			t.Fatalf("after resume: pushed %v, %d messages", created[0].Pushed, len(msgs))
		}

		t.Run("ErrInvalidPause", func(t *testing.T) {
			wantCode(t, f.svc.SetPause(ctx, viewerOf(f.initiator), f.region("/22/2201/bad//").ID, true, ""), "INVALID_INPUT", "region")
			wantCode(t, f.svc.SetPause(ctx, viewerOf(f.initiator), 987654321, true, ""), "NOT_FOUND", "region")
			long := make([]byte, 501)
			for i := range long {
				long[i] = 'x'
			}
			wantCode(t, f.svc.SetPause(ctx, viewerOf(f.initiator), f.region(province).ID, true, string(long)), "INVALID_INPUT", "reason")
		})
	})
}

func TestForColourChange(t *testing.T) {
	p := &ent.Person{ID: 9, NameMasked: "王*", IDNumberMasked: "220104********0011", ResidencePath: communA, Colour: scenario.ColourRed}
	for _, tc := range []struct {
		name     string
		p        *ent.Person
		from, to string
		scope    string // "" = no alert
		reason   string
	}{
		{"ToOrange", p, "GREEN", "ORANGE", communA, "COLOUR_ORANGE"},
		{"ToRed", p, "ORANGE", "RED", communA, "COLOUR_RED"},
		{"YellowToRed", p, "YELLOW", "RED", communA, "COLOUR_RED"},
		{"RedToOrange", p, "RED", "ORANGE", communA, "COLOUR_ORANGE"},
		{"ToYellow", p, "GREEN", "YELLOW", "", ""},
		{"ToGreen", p, "RED", "GREEN", "", ""},
		{"Unchanged", p, "RED", "RED", "", ""},
		{"NoResidence", &ent.Person{ID: 10, NameMasked: "赵*"}, "GREEN", "RED", "/", "COLOUR_RED"},
		{"NoPerson", nil, "GREEN", "RED", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := alerts.ForColourChange(tc.p, tc.from, tc.to)
			if tc.scope == "" {
				if r != nil {
					t.Fatalf("got %+v, want no alert", r)
				}
				return
			}
			if r == nil {
				t.Fatal("got no alert")
			}
			if r.Kind != alerts.KindColourChange || r.ScopePath != tc.scope || r.PersonID == nil || *r.PersonID != tc.p.ID ||
				r.NameMasked != tc.p.NameMasked || r.IDNumberMasked != tc.p.IDNumberMasked ||
				!reflect.DeepEqual(r.Reasons, []string{tc.reason}) || r.Colour == nil || *r.Colour != tc.to ||
				r.Sector != nil || r.ScanID != nil || r.SiteID != nil || r.Temperature != nil {
				t.Fatalf("got %+v", r)
			}
		})
	}
}

// A caller raising in a transaction it does not commit itself (the colour
// change hook) has the push sent on commit only.
func TestPublishAfterCommit(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		sub, cancel := f.broker.Subscribe()
		defer cancel()
		msgs := []alerts.Message{{AlertID: 1, ScopePath: siteA}}

		for _, commit := range []bool{false, true} {
			tx, err := db.Client.Tx(f.ctx)
			if err != nil {
				t.Fatal(err)
			}
			f.svc.PublishAfterCommit(ent.NewTxContext(f.ctx, tx), msgs)
			empty(t, sub)
			if !commit {
				if err := tx.Rollback(); err != nil {
					t.Fatal(err)
				}
				empty(t, sub)
				continue
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			if got := receive(t, sub); got != msgs[0] {
				t.Fatalf("after commit: got %+v, want %+v", got, msgs[0])
			}
		}

		// Without a transaction in the context: at once.
		f.svc.PublishAfterCommit(f.ctx, msgs)
		if got := receive(t, sub); got != msgs[0] {
			t.Fatalf("without a transaction: got %+v", got)
		}
		empty(t, sub)
	})
}

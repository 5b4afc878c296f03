package scans_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/door"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	entalert "github.com/mashang/mashang/ent/alert"
	"github.com/mashang/mashang/ent/auditevent"
	"github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/ent/scan"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/scans"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/token"
)

func TestIdempotentRetry(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		p := f.register("张三")
		tok := f.personToken(p, token.ColourGreen)

		// A fever scan writes a scan, a colour change, an alert and an
		// audit event: a retry must write none of them again.
		first := scanCode("c-1", f.park.ID, tok, 37.8)
		s1 := stored(t, f.record(t, f.main.v, first)[0])
		before := f.counts()
		if before.scans != 1 || before.alerts != 1 {
			t.Fatalf("after the first scan: %+v", before)
		}

		f.clock.Add(time.Minute)
		retry := first
		retry.Temperature = 36.5 // a retry is the first scan, whatever it says now
		r := f.record(t, f.main.v, retry)[0]
		if r.Err != nil || !r.Replayed || r.Scan == nil || r.Scan.ID != s1.ID {
			t.Fatalf("retry = %+v, want scan %d replayed", r, s1.ID)
		}
		if r.Scan.Temperature != 37.8 || r.Scan.Decision != scan.DecisionDENY {
			t.Fatalf("replayed scan %v %s, want the first one (37.8, DENY)", r.Scan.Temperature, r.Scan.Decision)
		}
		if after := f.counts(); after != before {
			t.Fatalf("a retry wrote rows: before %+v, after %+v", before, after)
		}
		if got := f.getPerson(p.ID); got.Colour != scenario.ColourYellow || *got.LastTemperature != 37.8 {
			t.Fatalf("a retry applied its reading: %s %v", got.Colour, *got.LastTemperature)
		}

		t.Run("BatchWithNewIDs", func(t *testing.T) {
			res := f.record(t, f.main.v, first, showCode("c-2", f.park.ID, "GREEN", 36.5), showCode("c-3", f.gate.ID, "GREEN", 36.6))
			if !res[0].Replayed || res[0].Scan.ID != s1.ID {
				t.Fatalf("item 0 = %+v, want replay of %d", res[0], s1.ID)
			}
			s2, s3 := stored(t, res[1]), stored(t, res[2])
			if s2.ID == s3.ID || s2.ID == s1.ID {
				t.Fatalf("ids %d %d %d not distinct", s1.ID, s2.ID, s3.ID)
			}
			if n := f.counts().scans; n != 3 {
				t.Fatalf("%d scans, want 3", n)
			}
			// The whole batch again: all three replayed, nothing new.
			res = f.record(t, f.main.v, first, showCode("c-2", f.park.ID, "GREEN", 36.5), showCode("c-3", f.gate.ID, "GREEN", 36.6))
			for i, want := range []int{s1.ID, s2.ID, s3.ID} {
				if !res[i].Replayed || res[i].Scan.ID != want {
					t.Fatalf("item %d = %+v, want replay of %d", i, res[i], want)
				}
			}
			if n := f.counts().scans; n != 3 {
				t.Fatalf("%d scans, want 3", n)
			}
		})
		t.Run("ErrDuplicateInBatch", func(t *testing.T) {
			before := f.counts().scans
			res := f.record(t, f.main.v, showCode("c-4", f.park.ID, "GREEN", 36.5), showCode("c-5", f.park.ID, "GREEN", 36.5), showCode("c-4", f.park.ID, "GREEN", 36.9))
			s := stored(t, res[0])
			stored(t, res[1])
			refused(t, res[2], mashang.EINVALID, "clientId")
			if s.Temperature != 36.5 {
				t.Fatalf("the first item of a duplicated id is the one stored; got %v", s.Temperature)
			}
			if n := f.counts().scans; n != before+2 {
				t.Fatalf("%d scans, want %d", n, before+2)
			}
		})
		t.Run("ErrBadClientID", func(t *testing.T) {
			before := f.counts().scans
			long := fmt.Sprintf("%065d", 1)
			res := f.record(t, f.main.v, showCode("", f.park.ID, "GREEN", 36.5), showCode("has space", f.park.ID, "GREEN", 36.5), showCode(long, f.park.ID, "GREEN", 36.5))
			for _, r := range res {
				refused(t, r, mashang.EINVALID, "clientId")
			}
			if n := f.counts().scans; n != before {
				t.Fatalf("%d scans, want %d", n, before)
			}
		})
		t.Run("SameIDOtherAccount", func(t *testing.T) {
			// Client ids are unique per account: another scanner's c-1 is a
			// scan of its own.
			other := f.scanner("另一扫码员", account.RoleORDINARY, f.park, true)
			s := stored(t, f.record(t, other.v, showCode("c-1", f.park.ID, "GREEN", 36.5))[0])
			if s.ID == s1.ID || s.AccountID != other.acct.ID {
				t.Fatalf("other account's c-1 = scan %d of account %d", s.ID, s.AccountID)
			}
			if n := len(f.scansOf("c-1")); n != 2 {
				t.Fatalf("%d scans with client id c-1, want 2", n)
			}
		})
	})
}

// TestConcurrentRetry sends the same client id from several goroutines at
// once: exactly one row is stored, every call answers with it, and all but
// one of them say it was replayed.
func TestConcurrentRetry(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		p := f.register("张三")
		tok := f.personToken(p, token.ColourGreen)
		const rounds, callers = 8, 3
		for round := range rounds {
			id := fmt.Sprintf("race-%d", round)
			// Fever and normal alternate, so every round changes the
			// person's colour and writes the person row too.
			celsius := 36.5
			if round%2 == 0 {
				celsius = 37.6
			}
			item := scanCode(id, f.park.ID, tok, celsius)
			var (
				wg    sync.WaitGroup
				start = make(chan struct{})
				res   [callers][]scans.Result
				errs  [callers]error
			)
			for i := range callers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					res[i], errs[i] = f.svc.Record(requestContext(f.main.v), f.main.v, []scans.Item{item})
				}()
			}
			close(start)
			wg.Wait()
			fresh, scanID := 0, 0
			for i := range callers {
				if errs[i] != nil {
					t.Fatalf("round %d caller %d: %v", round, i, errs[i])
				}
				r := res[i][0]
				if r.Err != nil || r.Scan == nil {
					t.Fatalf("round %d caller %d: %+v", round, i, r)
				}
				if !r.Replayed {
					fresh++
				}
				if scanID == 0 {
					scanID = r.Scan.ID
				} else if r.Scan.ID != scanID {
					t.Fatalf("round %d: callers answered scans %d and %d", round, scanID, r.Scan.ID)
				}
			}
			if fresh != 1 {
				t.Fatalf("round %d: %d callers stored the scan, want exactly 1", round, fresh)
			}
			if n := len(f.scansOf(id)); n != 1 {
				t.Fatalf("round %d: %d rows with client id %s, want 1", round, n, id)
			}
		}
		if n := f.counts().scans; n != rounds {
			t.Fatalf("%d scans, want %d", n, rounds)
		}
	})
}

func TestScanCodeOwnToken(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		p := f.register("张三丰")
		tok := f.personToken(p, token.ColourGreen)
		msgs, cancel := f.alerts.Broker.Subscribe()
		defer cancel()

		// Fever: GREEN → YELLOW on this reading, and the scan is decided on
		// the colour after it (seed 001 §4 黄色).
		clientTime := t0.Add(-time.Minute)
		item := scanCode("fever", f.park.ID, tok, 37.8)
		item.ClientTime = &clientTime
		s := stored(t, f.record(t, f.main.v, item)[0])
		if s.Decision != scan.DecisionDENY || !s.Fever || colourOf(s) != "YELLOW" {
			t.Fatalf("fever scan: %s fever=%v colour %s, want DENY fever YELLOW", s.Decision, s.Fever, colourOf(s))
		}
		if !sameSet(s.AlertReasons, []string{door.ReasonFever, door.ReasonColourYellow}) {
			t.Fatalf("alert reasons %v, want FEVER and COLOUR_YELLOW", s.AlertReasons)
		}
		if s.PersonID == nil || *s.PersonID != p.ID || s.Issuer != "22" || s.Subject != "" || s.Method != scan.MethodSCAN_CODE {
			t.Fatalf("scan person %v issuer %q subject %q method %s", s.PersonID, s.Issuer, s.Subject, s.Method)
		}
		if s.NameMasked != p.NameMasked || s.IDNumberMasked != p.IDNumberMasked || s.IDNumberHash == nil || *s.IDNumberHash != p.IDNumberHash {
			t.Fatalf("scan masks %q %q hash %v, want the person's", s.NameMasked, s.IDNumberMasked, s.IDNumberHash)
		}
		if s.AccountID != f.main.acct.ID || s.AccountPath != f.main.acct.AccountPath || s.ScannerName != pii.MaskName("普通扫码员") {
			t.Fatalf("scan account %d %q scanner %q", s.AccountID, s.AccountPath, s.ScannerName)
		}
		if s.SiteID != f.park.ID || s.SitePath != f.park.Path || s.SiteName != f.park.Name || s.Sector != f.park.Sector {
			t.Fatalf("scan site %d %q %q %s", s.SiteID, s.SitePath, s.SiteName, s.Sector)
		}
		if !s.ServerTime.Equal(t0) || s.ClientTime == nil || !s.ClientTime.Equal(clientTime) {
			t.Fatalf("scan times server %v client %v", s.ServerTime, s.ClientTime)
		}
		if s.DistanceMetres == nil || *s.DistanceMetres > 1 || s.DeviceLatitude == nil || *s.DeviceLatitude != parkLat {
			t.Fatalf("scan location %v distance %v", s.DeviceLatitude, s.DistanceMetres)
		}
		// The stored row says the same as the result.
		row, err := db.Client.Scan.Get(f.ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if row.Decision != s.Decision || colourOf(row) != "YELLOW" || row.Temperature != 37.8 || !sameSet(row.AlertReasons, s.AlertReasons) {
			t.Fatalf("stored row %+v differs from the result", row)
		}

		got := f.getPerson(p.ID)
		if got.Colour != scenario.ColourYellow {
			t.Fatalf("person is %s, want YELLOW", got.Colour)
		}
		if got.LastTemperature == nil || *got.LastTemperature != 37.8 || got.LastTemperatureAt == nil || !got.LastTemperatureAt.Equal(t0) {
			t.Fatalf("person's last reading %v at %v, want 37.8 at %v", got.LastTemperature, got.LastTemperatureAt, t0)
		}
		ccs := f.colourChanges(p.ID)
		if len(ccs) != 1 || ccs[0].FromColour != "GREEN" || ccs[0].ToColour != "YELLOW" || !ccs[0].At.Equal(t0) {
			t.Fatalf("colour changes %+v, want GREEN → YELLOW", ccs)
		}
		as := f.alertsOf(s.ID)
		if len(as) != 1 {
			t.Fatalf("%d alerts for the fever scan, want 1", len(as))
		}
		a := as[0]
		if a.Kind != entalert.KindSCAN || !sameSet(a.Reasons, []string{"FEVER", "COLOUR_YELLOW"}) || !a.Pushed ||
			a.ScopePath != f.park.Path || a.SiteID == nil || *a.SiteID != f.park.ID || a.PersonID == nil || *a.PersonID != p.ID ||
			a.Temperature == nil || *a.Temperature != 37.8 || a.Colour == nil || *a.Colour != scenario.ColourYellow || a.NameMasked != p.NameMasked {
			t.Fatalf("alert %+v", a)
		}
		if m := drain(msgs); len(m) != 1 || m[0].AlertID != a.ID || m[0].ScopePath != f.park.Path {
			t.Fatalf("published %+v, want alert %d", m, a.ID)
		}
		audits, err := db.Client.AuditEvent.Query().Where(auditevent.Action("recordScans")).All(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(audits) != 1 || audits[0].AccountID == nil || *audits[0].AccountID != f.main.acct.ID {
			t.Fatalf("audit events %+v, want one recordScans by the scanner", audits)
		}

		// A normal reading brings YELLOW back to GREEN, and the scan passes.
		f.clock.Add(time.Minute)
		s2 := stored(t, f.record(t, f.main.v, scanCode("normal", f.park.ID, tok, 36.5))[0])
		if s2.Decision != scan.DecisionPASS || s2.Fever || colourOf(s2) != "GREEN" || len(s2.AlertReasons) != 0 {
			t.Fatalf("normal scan: %s fever=%v colour %s reasons %v, want PASS GREEN", s2.Decision, s2.Fever, colourOf(s2), s2.AlertReasons)
		}
		got = f.getPerson(p.ID)
		if got.Colour != scenario.ColourGreen || *got.LastTemperature != 36.5 || !got.LastTemperatureAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("person %s %v at %v, want GREEN 36.5", got.Colour, *got.LastTemperature, *got.LastTemperatureAt)
		}
		if ccs := f.colourChanges(p.ID); len(ccs) != 2 || ccs[1].FromColour != "YELLOW" || ccs[1].ToColour != "GREEN" {
			t.Fatalf("colour changes %+v, want YELLOW → GREEN second", ccs)
		}
		if n := len(f.alertsOf(s2.ID)); n != 0 {
			t.Fatalf("a passing scan raised %d alerts", n)
		}
		if m := drain(msgs); len(m) != 0 {
			t.Fatalf("a passing scan published %+v", m)
		}

		t.Run("RecordColourWinsOverToken", func(t *testing.T) {
			// The token still says GREEN; the record is ORANGE.
			q := f.register("李四")
			tok := f.personToken(q, token.ColourGreen)
			f.setRisk(q, "CLOSE_CONTACT")
			s := stored(t, f.record(t, f.main.v, scanCode("orange", f.park.ID, tok, 36.5))[0])
			if s.Decision != scan.DecisionDENY || colourOf(s) != "ORANGE" || !sameSet(s.AlertReasons, []string{door.ReasonColourOrange}) {
				t.Fatalf("scan %s %s %v, want DENY ORANGE [COLOUR_ORANGE]", s.Decision, colourOf(s), s.AlertReasons)
			}
			if f.getPerson(q.ID).Colour != scenario.ColourOrange {
				t.Fatal("a normal reading took a close contact out of ORANGE")
			}
		})
		t.Run("SamePersonTwiceInOneBatch", func(t *testing.T) {
			// Each item is decided on the colour after its own reading.
			q := f.register("王五")
			tok := f.personToken(q, token.ColourGreen)
			res := f.record(t, f.main.v, scanCode("twice-1", f.park.ID, tok, 38.2), scanCode("twice-2", f.park.ID, tok, 36.3))
			a, b := stored(t, res[0]), stored(t, res[1])
			if a.Decision != scan.DecisionDENY || colourOf(a) != "YELLOW" || b.Decision != scan.DecisionPASS || colourOf(b) != "GREEN" {
				t.Fatalf("scans %s/%s then %s/%s, want DENY/YELLOW then PASS/GREEN", a.Decision, colourOf(a), b.Decision, colourOf(b))
			}
			got := f.getPerson(q.ID)
			if got.Colour != scenario.ColourGreen || *got.LastTemperature != 36.3 {
				t.Fatalf("person %s %v, want GREEN 36.3", got.Colour, *got.LastTemperature)
			}
			if n := len(f.colourChanges(q.ID)); n != 2 {
				t.Fatalf("%d colour changes, want 2", n)
			}
		})
		t.Run("ErrUnregisteredSubject", func(t *testing.T) {
			before := f.counts()
			tok := issue(t, f.signer, token.KindPerson, 987654, token.ColourGreen, time.Minute, f.clock.Now())
			refused(t, f.record(t, f.main.v, scanCode("ghost", f.park.ID, tok, 36.5))[0], mashang.ENOTFOUND, "token")
			if after := f.counts(); after != before {
				t.Fatalf("rows written: %+v → %+v", before, after)
			}
		})
	})
}

// TestReadingsStored checks which readings reach persons.last_temperature
// (persons.Readings): those that change the person's temperature status
// (normal ↔ fever) or colour. Every scan keeps its own reading.
func TestReadingsStored(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		p := f.register("沈十七")
		tok := f.personToken(p, token.ColourGreen)
		steps := []struct {
			celsius float64
			stored  float64 // 0: none yet
			colour  scenario.Colour
		}{
			{36.5, 0, scenario.ColourGreen},     // normal, nothing stored before: scan only
			{37.5, 37.5, scenario.ColourYellow}, // fever: stored, YELLOW
			{38.4, 37.5, scenario.ColourYellow}, // still fever, still YELLOW: scan only
			{36.6, 36.6, scenario.ColourGreen},  // normal again: stored, GREEN
			{36.9, 36.6, scenario.ColourGreen},  // still normal: scan only
		}
		for i, st := range steps {
			f.clock.Add(time.Minute)
			s := stored(t, f.record(t, f.main.v, scanCode(fmt.Sprintf("r-%d", i), f.park.ID, tok, st.celsius))[0])
			if s.Temperature != st.celsius {
				t.Fatalf("step %d: scan temperature %v, want %v", i, s.Temperature, st.celsius)
			}
			got := f.getPerson(p.ID)
			if got.Colour != st.colour {
				t.Fatalf("step %d (%v °C): colour %s, want %s", i, st.celsius, got.Colour, st.colour)
			}
			switch {
			case st.stored == 0 && got.LastTemperature != nil:
				t.Fatalf("step %d: stored %v, want none", i, *got.LastTemperature)
			case st.stored != 0 && (got.LastTemperature == nil || *got.LastTemperature != st.stored):
				t.Fatalf("step %d (%v °C): stored %v, want %v", i, st.celsius, got.LastTemperature, st.stored)
			}
		}
		if n := len(f.colourChanges(p.ID)); n != 2 {
			t.Fatalf("%d colour changes, want 2", n)
		}
	})
}

func TestTokenRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		p := f.register("张三")
		good := f.personToken(p, token.ColourGreen)
		expiring := issue(t, f.signer, token.KindPerson, uint64(p.ID), token.ColourGreen, 5*time.Minute, f.clock.Now())
		future := issue(t, f.signer, token.KindPerson, uint64(p.ID), token.ColourGreen, 5*time.Minute, f.clock.Now().Add(time.Hour))
		stranger := &token.Signer{Issuer: "99", Current: token.GenerateKey()}
		unknown := issue(t, stranger, token.KindPerson, uint64(p.ID), token.ColourGreen, 5*time.Minute, f.clock.Now())
		// The same key id as ours, another key: forged under our issuer.
		impostorKey := token.GenerateKey()
		impostorKey.ID = f.signer.Current.ID
		impostor := issue(t, &token.Signer{Issuer: "22", Current: impostorKey}, token.KindPerson, uint64(p.ID), token.ColourGreen, 5*time.Minute, f.clock.Now())
		siteCode := f.siteToken(f.park)
		f.clock.Add(6 * time.Minute) // expiring has expired; good (10 min) has not

		before := f.counts()
		cases := []struct {
			tok, code, field string
		}{
			{expiring, mashang.ETOKENEXPIRED, "token"},
			{forge(t, good), mashang.ETOKENFORGED, "token"},
			{impostor, mashang.ETOKENFORGED, "token"},
			{unknown, mashang.ETOKENUNKNOWNISSUER, "token"},
			{future, mashang.ETOKENNOTYETVALID, "token"},
			{"HC1:not-a-code", mashang.ETOKENMALFORMED, "token"},
			{"", mashang.EINVALID, "token"},
			{siteCode, mashang.ETOKENWRONGKIND, "token"},
		}
		var items []scans.Item
		for i, c := range cases {
			items = append(items, scanCode(fmt.Sprintf("bad-%d", i), f.park.ID, c.tok, 37.9))
		}
		res := f.record(t, f.main.v, items...)
		for i, c := range cases {
			t.Run(c.code, func(t *testing.T) { refused(t, res[i], c.code, c.field) })
		}
		if after := f.counts(); after != before {
			t.Fatalf("refused tokens wrote rows: %+v → %+v", before, after)
		}
		if got := f.getPerson(p.ID); got.LastTemperature != nil {
			t.Fatalf("a refused token applied its reading: %v", *got.LastTemperature)
		}
		// The same person's valid code still scans.
		stored(t, f.record(t, f.main.v, scanCode("good", f.park.ID, good, 36.5))[0])

		t.Run("ExpiresWithTheClock", func(t *testing.T) {
			f.clock.Add(5 * time.Minute) // good was issued 11 minutes ago
			refused(t, f.record(t, f.main.v, scanCode("late", f.park.ID, good, 36.5))[0], mashang.ETOKENEXPIRED, "token")
			if n := len(f.scansOf("late")); n != 0 {
				t.Fatalf("%d scans stored for an expired code", n)
			}
		})
		t.Run("NoTrustList", func(t *testing.T) {
			svc := &scans.Service{Client: f.svc.Client, Enforcer: f.svc.Enforcer, Persons: f.svc.Persons, Box: f.svc.Box,
				Issuer: f.svc.Issuer, Alerts: f.svc.Alerts, Accounts: f.svc.Accounts, Now: f.svc.Now}
			res, err := svc.Record(requestContext(f.main.v), f.main.v, []scans.Item{scanCode("untrusted", f.park.ID, f.personToken(p, token.ColourGreen), 36.5)})
			if err != nil {
				t.Fatal(err)
			}
			refused(t, res[0], mashang.ETOKENUNKNOWNISSUER, "token")
		})
	})
}

func TestForeignToken(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		beijing := &token.Signer{Issuer: "11", Current: token.GenerateKey()}
		orange := issue(t, beijing, token.KindPerson, 4242, token.ColourOrange, 5*time.Minute, f.clock.Now())
		green := issue(t, beijing, token.KindPerson, 4343, token.ColourGreen, 5*time.Minute, f.clock.Now())

		// Not yet on the trust list.
		refused(t, f.record(t, f.main.v, scanCode("bj-0", f.park.ID, orange, 36.5))[0], mashang.ETOKENUNKNOWNISSUER, "token")

		if err := f.svc.Trust.AddKeySet(beijing.PublishedKeys()); err != nil {
			t.Fatal(err)
		}
		personsBefore := f.counts().persons
		res := f.record(t, f.main.v,
			scanCode("bj-1", f.park.ID, orange, 36.5),
			scanCode("bj-2", f.park.ID, green, 36.5),
			scanCode("bj-3", f.park.ID, green, 37.6))
		o, g, fev := stored(t, res[0]), stored(t, res[1]), stored(t, res[2])
		if o.Decision != scan.DecisionDENY || colourOf(o) != "ORANGE" || !sameSet(o.AlertReasons, []string{door.ReasonColourOrange}) {
			t.Fatalf("foreign ORANGE: %s %s %v", o.Decision, colourOf(o), o.AlertReasons)
		}
		if o.Issuer != "11" || o.Subject != "4242" || o.PersonID != nil || o.IDNumberHash != nil {
			t.Fatalf("foreign scan issuer %q subject %q person %v hash %v", o.Issuer, o.Subject, o.PersonID, o.IDNumberHash)
		}
		if g.Decision != scan.DecisionPASS || colourOf(g) != "GREEN" || g.Subject != "4343" {
			t.Fatalf("foreign GREEN: %s %s %q", g.Decision, colourOf(g), g.Subject)
		}
		// A fever denies a foreign green code; its colour is the issuer's to change.
		if fev.Decision != scan.DecisionDENY || !fev.Fever || colourOf(fev) != "GREEN" || !sameSet(fev.AlertReasons, []string{door.ReasonFever}) {
			t.Fatalf("foreign GREEN with fever: %s fever=%v %s %v", fev.Decision, fev.Fever, colourOf(fev), fev.AlertReasons)
		}
		if n := f.counts().persons; n != personsBefore {
			t.Fatalf("foreign codes registered persons: %d → %d", personsBefore, n)
		}
		as := f.alertsOf(o.ID)
		if len(as) != 1 || as[0].PersonID != nil || !sameSet(as[0].Reasons, []string{"COLOUR_ORANGE"}) {
			t.Fatalf("alerts of the foreign ORANGE scan: %+v", as)
		}
		// A foreign subject number is not one of our persons, even when the
		// number happens to exist here.
		local := f.register("本地人")
		clash := issue(t, beijing, token.KindPerson, uint64(local.ID), token.ColourRed, 5*time.Minute, f.clock.Now())
		s := stored(t, f.record(t, f.main.v, scanCode("bj-4", f.park.ID, clash, 38.0))[0])
		if s.PersonID != nil || colourOf(s) != "RED" || f.getPerson(local.ID).LastTemperature != nil {
			t.Fatalf("foreign subject %d was taken for local person %d", local.ID, local.ID)
		}
		t.Run("ErrForgedForeign", func(t *testing.T) {
			refused(t, f.record(t, f.main.v, scanCode("bj-5", f.park.ID, forge(t, green), 36.5))[0], mashang.ETOKENFORGED, "token")
		})
	})
}

func TestGeofence(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		far := func(id string) scans.Item {
			it := showCode(id, f.park.ID, "GREEN", 36.5)
			it.DeviceLat, it.DeviceLng = offset(1000)
			return it
		}

		t.Run("RefusedAndDisabled", func(t *testing.T) {
			sc := f.scanner("甲扫码员", account.RoleORDINARY, f.park, true)
			before := f.counts()
			edge := showCode("edge", f.park.ID, "GREEN", 36.5)
			edge.DeviceLat, edge.DeviceLng = offset(290) // radius 200 + 100 m margin (door.DefaultGeofence)
			res := f.record(t, sc.v, showCode("ok", f.park.ID, "GREEN", 36.5), edge, far("far"), far("far-again"), showCode("after", f.park.ID, "GREEN", 36.5))
			stored(t, res[0])
			e := stored(t, res[1])
			if e.DistanceMetres == nil || math.Abs(*e.DistanceMetres-290) > 1 || e.FarFix {
				t.Fatalf("distance %v far %v, want about 290 m, near", e.DistanceMetres, e.FarFix)
			}
			// issue 11, point 15: a first far fix is stored and marked; the
			// second of the last three disables.
			if s := stored(t, res[2]); !s.FarFix {
				t.Fatalf("far fix not marked")
			}
			refused(t, res[3], mashang.EGEOFENCE, "")
			refused(t, res[4], mashang.EACCOUNTDISABLED, "")
			a := f.getAccount(sc.acct.ID)
			if a.Status != account.StatusDISABLED || a.DisabledReason == nil || *a.DisabledReason != account.DisabledReasonGEOFENCE || a.DisabledAt == nil {
				t.Fatalf("account %s %v, want DISABLED GEOFENCE", a.Status, a.DisabledReason)
			}
			after := f.counts()
			if after.scans != before.scans+3 || after.outbox != before.outbox+1 {
				t.Fatalf("rows %+v → %+v, want 3 scans and the holder's SMS", before, after)
			}
		})
		t.Run("DisablingCommitsAlone", func(t *testing.T) {
			// Nothing of the batch is stored, yet the disabling is.
			sc := f.scanner("乙扫码员", account.RoleORDINARY, f.park, true)
			stored(t, f.record(t, sc.v, far("far-0"))[0]) // a first far fix only warns
			before := f.counts()
			res := f.record(t, sc.v, far("far-1"), far("far-2"))
			refused(t, res[0], mashang.EGEOFENCE, "")
			refused(t, res[1], mashang.EACCOUNTDISABLED, "")
			if a := f.getAccount(sc.acct.ID); a.Status != account.StatusDISABLED || *a.DisabledReason != account.DisabledReasonGEOFENCE {
				t.Fatalf("account %s %v, want DISABLED GEOFENCE", a.Status, a.DisabledReason)
			}
			if after := f.counts(); after.scans != before.scans || after.outbox != before.outbox+1 {
				t.Fatalf("rows %+v → %+v", before, after)
			}
		})
		t.Run("ErrNoDeviceLocation", func(t *testing.T) {
			sc := f.scanner("丙扫码员", account.RoleORDINARY, f.park, true)
			it := showCode("nowhere", f.park.ID, "GREEN", 36.5)
			it.DeviceLat, it.DeviceLng = nil, nil
			refused(t, f.record(t, sc.v, it)[0], mashang.EINVALID, "deviceLocation")
			if a := f.getAccount(sc.acct.ID); a.Status != account.StatusACTIVE {
				t.Fatalf("a missing location disabled the account: %s", a.Status)
			}
			// A site without a registered location has no geofence.
			gate := showCode("gate", f.gate.ID, "GREEN", 36.5)
			gate.DeviceLat, gate.DeviceLng = offset(50000)
			if s := stored(t, f.record(t, sc.v, gate)[0]); s.DistanceMetres != nil {
				t.Fatalf("distance %v stored for a site without a location", *s.DistanceMetres)
			}
		})
		t.Run("ViewerAlreadyDisabled", func(t *testing.T) {
			sc := f.scanner("丁扫码员", account.RoleORDINARY, f.park, true)
			v := *sc.v
			v.Disabled = true
			before := f.counts()
			res := f.record(t, &v, showCode("d-1", f.park.ID, "GREEN", 36.5), far("d-2"))
			refused(t, res[0], mashang.EACCOUNTDISABLED, "")
			refused(t, res[1], mashang.EACCOUNTDISABLED, "")
			if after := f.counts(); after != before {
				t.Fatalf("a disabled scanner wrote rows: %+v → %+v", before, after)
			}
		})
		t.Run("VehicleNeverGeofenced", func(t *testing.T) {
			driver := f.scanner("公交扫码员", account.RoleORDINARY, f.bus, true)
			it := showCode("bus-1", f.bus.ID, "GREEN", 36.5)
			it.DeviceLat, it.DeviceLng = offset(50000)
			noLoc := showCode("bus-2", f.bus.ID, "GREEN", 36.5)
			noLoc.DeviceLat, noLoc.DeviceLng = nil, nil
			res := f.record(t, driver.v, it, noLoc)
			s := stored(t, res[0])
			stored(t, res[1])
			if s.Decision != scan.DecisionPASS || s.DistanceMetres == nil || math.Abs(*s.DistanceMetres-50000) > 5 {
				t.Fatalf("bus scan %s distance %v, want PASS about 50 km", s.Decision, s.DistanceMetres)
			}
			if a := f.getAccount(driver.acct.ID); a.Status != account.StatusACTIVE {
				t.Fatalf("bus scanner %s %v, want ACTIVE", a.Status, a.DisabledReason)
			}
		})
	})
}

func TestScannerOwnCode(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		for _, risk := range []string{"CONFIRMED", "CLOSE_CONTACT"} {
			t.Run("ErrCodeNotGreen"+risk, func(t *testing.T) {
				sc := f.scanner("扫码员"+risk, account.RoleORDINARY, f.park, true)
				// The first batch caches the holder's code; the colour is
				// still read afresh.
				stored(t, f.record(t, sc.v, showCode("pre-"+risk, f.park.ID, "GREEN", 36.5))[0])
				f.setRisk(sc.person, risk)
				before := f.counts()
				res := f.record(t, sc.v, showCode("r1-"+risk, f.park.ID, "GREEN", 36.5), showCode("r2-"+risk, f.park.ID, "GREEN", 36.5))
				refused(t, res[0], mashang.ECODENOTGREEN, "")
				refused(t, res[1], mashang.EACCOUNTDISABLED, "")
				a := f.getAccount(sc.acct.ID)
				if a.Status != account.StatusDISABLED || a.DisabledReason == nil || *a.DisabledReason != account.DisabledReasonCODE_NOT_GREEN {
					t.Fatalf("account %s %v, want DISABLED CODE_NOT_GREEN", a.Status, a.DisabledReason)
				}
				if after := f.counts(); after.scans != before.scans || after.outbox != before.outbox+1 {
					t.Fatalf("rows %+v → %+v", before, after)
				}
			})
		}
		t.Run("ErrScannerNoCode", func(t *testing.T) {
			sc := f.scanner("无码扫码员", account.RoleORDINARY, f.park, false)
			before := f.counts()
			res := f.record(t, sc.v, showCode("n1", f.park.ID, "GREEN", 36.5), showCode("n2", f.park.ID, "GREEN", 36.5))
			refused(t, res[0], mashang.ESCANNERNOCODE, "")
			refused(t, res[1], mashang.ESCANNERNOCODE, "")
			if a := f.getAccount(sc.acct.ID); a.Status != account.StatusACTIVE {
				t.Fatalf("a scanner without a code was disabled: %s %v", a.Status, a.DisabledReason)
			}
			if after := f.counts(); after != before {
				t.Fatalf("rows %+v → %+v", before, after)
			}
			// Registering the holder's own code lets the next batch through.
			f.registerID("无码扫码员", sc.idNo)
			stored(t, f.record(t, sc.v, showCode("n3", f.park.ID, "GREEN", 36.5))[0])
		})
		t.Run("ErrHolderWithoutIDNumber", func(t *testing.T) {
			u := f.user("无证件扫码员", "")
			a := f.account(account.RoleORDINARY, u, f.ini, f.park.Path, f.park.ID, 0)
			v := &mashang.Viewer{UserID: u.ID, AccountID: a.ID, Role: string(a.Role), ScopePath: a.ScopePath, AccountPath: a.AccountPath}
			refused(t, f.record(t, v, showCode("x1", f.park.ID, "GREEN", 36.5))[0], mashang.ESCANNERNOCODE, "")
		})
	})
}

func TestManual(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		idNo := residentID(900)
		before := f.counts()
		s := stored(t, f.record(t, f.main.v, manual("m-1", f.park.ID, scans.ManualPerson{Name: "王小明", IDNumber: idNo, Phone: "13800138000"}, 36.6))[0])
		if s.Decision != scan.DecisionPASS || s.Fever || s.Colour != nil || len(s.AlertReasons) != 0 || s.Method != scan.MethodMANUAL || s.Issuer != "" {
			t.Fatalf("manual scan %s fever=%v colour %v reasons %v method %s issuer %q", s.Decision, s.Fever, s.Colour, s.AlertReasons, s.Method, s.Issuer)
		}
		if s.NameMasked != pii.MaskName("王小明") || s.IDNumberMasked != pii.MaskID(idNo) || s.IDNumberHash == nil || *s.IDNumberHash != f.persons.DocumentHash("RESIDENT_ID", idNo) {
			t.Fatalf("manual scan masks %q %q hash %v", s.NameMasked, s.IDNumberMasked, s.IDNumberHash)
		}
		if s.PersonID == nil {
			t.Fatal("manual scan has no person")
		}
		p := f.getPerson(*s.PersonID)
		if p.IDType != person.IDTypeRESIDENT_ID || p.IDNumberHash != *s.IDNumberHash || p.Name != "王小明" || p.Colour != scenario.ColourGreen {
			t.Fatalf("registered person %s %s %s", p.IDType, p.Name, p.Colour)
		}
		if p.ResidenceRegionID == nil || *p.ResidenceRegionID != f.park.RegionID || p.PhoneMasked == nil {
			t.Fatalf("registered person residence %v phone %v", p.ResidenceRegionID, p.PhoneMasked)
		}
		if p.LastTemperature != nil {
			// A normal first reading changes no status: kept in the scan only.
			t.Fatalf("registered person's reading %v stored, want none", *p.LastTemperature)
		}
		if after := f.counts(); after.persons != before.persons+1 || after.scans != before.scans+1 || after.alerts != before.alerts {
			t.Fatalf("rows %+v → %+v", before, after)
		}

		t.Run("SecondScanReusesPerson", func(t *testing.T) {
			f.clock.Add(time.Minute)
			before := f.counts()
			s2 := stored(t, f.record(t, f.main.v, manual("m-2", f.park.ID, scans.ManualPerson{Name: "王小明", IDType: "RESIDENT_ID", IDNumber: " " + idNo + " "}, 37.9))[0])
			if s2.PersonID == nil || *s2.PersonID != p.ID {
				t.Fatalf("second manual scan person %v, want %d", s2.PersonID, p.ID)
			}
			// No code, so no colour shown; the fever denies, and the
			// person's record after it (YELLOW, undisclosed) refers them.
			if s2.Decision != scan.DecisionDENY || !s2.Fever || s2.Colour != nil || !sameSet(s2.AlertReasons, []string{door.ReasonRefer, door.ReasonFever}) {
				t.Fatalf("manual fever scan %s fever=%v colour %v reasons %v", s2.Decision, s2.Fever, s2.Colour, s2.AlertReasons)
			}
			after := f.counts()
			if after.persons != before.persons || after.scans != before.scans+1 || after.alerts != before.alerts+1 {
				t.Fatalf("rows %+v → %+v", before, after)
			}
			if got := f.getPerson(p.ID); got.Colour != scenario.ColourYellow || *got.LastTemperature != 37.9 {
				t.Fatalf("person %s %v, want YELLOW 37.9", got.Colour, *got.LastTemperature)
			}
		})
		t.Run("SameDocumentTwiceInOneBatch", func(t *testing.T) {
			// A device offline for a while uploads the same newcomer twice.
			before := f.counts()
			doc := scans.ManualPerson{Name: "赵六", IDType: "PASSPORT", IDNumber: "e1234567"}
			res := f.record(t, f.main.v, manual("m-3", f.park.ID, doc, 37.5), manual("m-4", f.gate.ID, doc, 36.7))
			a, b := stored(t, res[0]), stored(t, res[1])
			if a.PersonID == nil || b.PersonID == nil || *a.PersonID != *b.PersonID {
				t.Fatalf("persons %v and %v, want the same", a.PersonID, b.PersonID)
			}
			// The second is the scanner's word about a person now known
			// (YELLOW since the first): DENY, referred (issue 11).
			if a.Decision != scan.DecisionDENY || b.Decision != scan.DecisionDENY || !sameSet(b.AlertReasons, []string{door.ReasonRefer}) {
				t.Fatalf("decisions %s then %s %v, want DENY (fever) then DENY (REFER)", a.Decision, b.Decision, b.AlertReasons)
			}
			if after := f.counts(); after.persons != before.persons+1 || after.scans != before.scans+2 {
				t.Fatalf("rows %+v → %+v", before, after)
			}
			got := f.getPerson(*a.PersonID)
			// The fever applies; the normal reading, only attested, never
			// lowers the colour (issue 11): YELLOW stays.
			if got.IDType != person.IDTypePASSPORT || got.IDNumberHash != f.persons.DocumentHash("PASSPORT", "E1234567") ||
				got.LastTemperature == nil || *got.LastTemperature != 37.5 || got.Colour != scenario.ColourYellow {
				t.Fatalf("person %s %v %s, want PASSPORT 37.5 YELLOW", got.IDType, got.LastTemperature, got.Colour)
			}
			if ccs := f.colourChanges(got.ID); len(ccs) != 1 || ccs[0].ToColour != "YELLOW" {
				t.Fatalf("colour changes %+v, want → YELLOW", ccs)
			}
		})
		t.Run("InputLeftAsGiven", func(t *testing.T) {
			// The document type defaults to RESIDENT_ID without writing into
			// the caller's ManualPerson.
			m := &scans.ManualPerson{Name: "李大妈", IDNumber: residentID(903)}
			it := manual("m-input", f.park.ID, scans.ManualPerson{}, 36.5)
			it.Manual = m
			s := stored(t, f.record(t, f.main.v, it)[0])
			if m.IDType != "" {
				t.Fatalf("the caller's ManualPerson was changed: IDType %q", m.IDType)
			}
			if s.IDNumberHash == nil || *s.IDNumberHash != f.persons.DocumentHash("RESIDENT_ID", residentID(903)) {
				t.Fatalf("hash %v, want the RESIDENT_ID document's", s.IDNumberHash)
			}
		})
		t.Run("RegisteredPersonWithCode", func(t *testing.T) {
			// A resident with a code who shows none is found by document.
			q := f.register("钱七")
			idQ, err := f.box.Open(pii.FieldIDNumber, q.IDNumberSealed)
			if err != nil {
				t.Fatal(err)
			}
			before := f.counts().persons
			s := stored(t, f.record(t, f.main.v, manual("m-5", f.park.ID, scans.ManualPerson{Name: "钱七", IDNumber: idQ}, 36.5))[0])
			if s.PersonID == nil || *s.PersonID != q.ID || f.counts().persons != before {
				t.Fatalf("manual scan of a registered resident: person %v, want %d", s.PersonID, q.ID)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			before := f.counts()
			cases := []struct {
				m           *scans.ManualPerson
				code, field string
			}{
				{&scans.ManualPerson{Name: "孙八", IDNumber: wrongCheck(residentID(901))}, mashang.EINVALID, "idNumber"},
				{&scans.ManualPerson{Name: "孙八", IDNumber: ""}, mashang.EINVALID, "idNumber"},
				{&scans.ManualPerson{Name: "孙八", IDType: "DRIVING_LICENCE", IDNumber: "A12345"}, mashang.EINVALID, "idType"},
				{&scans.ManualPerson{Name: "", IDNumber: residentID(902)}, mashang.EINVALID, "manual.name"},
				{nil, mashang.EINVALID, "manual"},
			}
			var items []scans.Item
			for i, c := range cases {
				it := manual(fmt.Sprintf("bad-m-%d", i), f.park.ID, scans.ManualPerson{}, 36.5)
				it.Manual = c.m
				items = append(items, it)
			}
			res := f.record(t, f.main.v, items...)
			for i, c := range cases {
				refused(t, res[i], c.code, c.field)
			}
			if after := f.counts(); after != before {
				t.Fatalf("invalid manual registrations wrote rows: %+v → %+v", before, after)
			}
		})
	})
}

func TestShowCode(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		res := f.record(t, f.main.v,
			showCode("s-green", f.park.ID, "GREEN", 36.5),
			shownWith("s-orange", f.park.ID, "ORANGE", 36.5, "E7000001"),
			shownWith("s-red-fever", f.park.ID, "RED", 38.0, "E7000002"),
			showCode("s-none", f.park.ID, "", 36.5),
			showCode("s-purple", f.park.ID, "PURPLE", 36.5))
		g, o, r := stored(t, res[0]), stored(t, res[1]), stored(t, res[2])
		if g.Decision != scan.DecisionPASS || colourOf(g) != "GREEN" || g.Issuer != "22" || g.PersonID != nil || g.Method != scan.MethodSHOW_CODE {
			t.Fatalf("shown GREEN: %s %s issuer %q person %v", g.Decision, colourOf(g), g.Issuer, g.PersonID)
		}
		if o.Decision != scan.DecisionDENY || colourOf(o) != "ORANGE" || !sameSet(o.AlertReasons, []string{door.ReasonColourOrange}) {
			t.Fatalf("shown ORANGE: %s %s %v", o.Decision, colourOf(o), o.AlertReasons)
		}
		if r.Decision != scan.DecisionDENY || !sameSet(r.AlertReasons, []string{door.ReasonColourRed, door.ReasonFever}) {
			t.Fatalf("shown RED with fever: %s %v", r.Decision, r.AlertReasons)
		}
		refused(t, res[3], mashang.EINVALID, "colour")
		refused(t, res[4], mashang.EINVALID, "colour")
		if n := f.counts().alerts; n != 2 {
			t.Fatalf("%d alerts, want 2 (ORANGE, RED)", n)
		}

		t.Run("OrangeWithoutIdentity", func(t *testing.T) {
			// seed 004 §二(二): 现场核验人员记录其身份信息.
			refused(t, f.record(t, f.main.v, showCode("s-orange-anon", f.park.ID, "ORANGE", 36.5))[0], mashang.EINVALID, "manual")
			if !o.IdentityCaptured || o.IdentitySealed == nil || o.NameMasked == "" || g.IdentityCaptured {
				t.Fatalf("identity captured: orange %v, green %v", o.IdentityCaptured, g.IdentityCaptured)
			}
		})
		t.Run("BarePersonIDRefused", func(t *testing.T) {
			// issue 11: a door device never names a person by id.
			p := f.register("周九")
			before := f.counts()
			it := showCode("s-person", f.park.ID, "GREEN", 37.5)
			it.PersonID = p.ID
			refused(t, f.record(t, f.main.v, it)[0], mashang.EFORBIDDEN, "person")
			if after := f.counts(); after != before {
				t.Fatalf("rows written: %+v → %+v", before, after)
			}
		})
		t.Run("CapturedContent", func(t *testing.T) {
			// The shown code's signed content, captured: a verified code.
			p := f.register("吴十")
			it := showCode("s-captured", f.park.ID, "", 37.5)
			it.Token = f.personToken(p, token.ColourGreen)
			s := stored(t, f.record(t, f.main.v, it)[0])
			if s.PersonID == nil || *s.PersonID != p.ID || s.Decision != scan.DecisionDENY || colourOf(s) != "YELLOW" ||
				s.Presence == nil || *s.Presence != scan.PresenceCODE {
				t.Fatalf("captured shown code %+v", s)
			}
			if got := f.getPerson(p.ID); got.Colour != scenario.ColourYellow {
				t.Fatalf("the person is %s, want YELLOW", got.Colour)
			}
		})
	})
}

func TestSelfScan(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		p := f.register("吴十")
		tok := f.personToken(p, token.ColourGreen)
		self := func(id string, siteID int, siteCode, personTok string) scans.Item {
			it := scanCode(id, siteID, personTok, 36.5)
			it.Method, it.SiteCode = door.MethodSelfScan, siteCode
			return it
		}
		s := stored(t, f.record(t, f.main.v, self("self-1", f.park.ID, f.siteToken(f.park), tok))[0])
		if s.Method != scan.MethodSELF_SCAN || s.PersonID == nil || *s.PersonID != p.ID || s.SiteID != f.park.ID || colourOf(s) != "GREEN" || s.Decision != scan.DecisionPASS {
			t.Fatalf("self scan %s person %v site %d %s %s", s.Method, s.PersonID, s.SiteID, colourOf(s), s.Decision)
		}
		fever := self("self-fever", f.park.ID, f.siteToken(f.park), tok)
		fever.Temperature = 37.7
		if s := stored(t, f.record(t, f.main.v, fever)[0]); s.Decision != scan.DecisionDENY || colourOf(s) != "YELLOW" {
			t.Fatalf("self scan with fever %s %s, want DENY YELLOW", s.Decision, colourOf(s))
		}
		if got := f.getPerson(p.ID); got.LastTemperature == nil || *got.LastTemperature != 37.7 {
			t.Fatalf("self scan reading %v, want 37.7", got.LastTemperature)
		}

		beijing := &token.Signer{Issuer: "11", Current: token.GenerateKey()}
		if err := f.svc.Trust.AddKeySet(beijing.PublishedKeys()); err != nil {
			t.Fatal(err)
		}
		foreignSite := issue(t, beijing, token.KindSite, uint64(f.park.ID), token.ColourNone, time.Hour, f.clock.Now())
		before := f.counts()
		cases := []struct {
			name        string
			item        scans.Item
			code, field string
		}{
			{"OtherSitesCode", self("self-2", f.park.ID, f.siteToken(f.gate), tok), mashang.ETOKENWRONGKIND, "siteCode"},
			{"PersonCodeAsSiteCode", self("self-3", f.park.ID, tok, tok), mashang.ETOKENWRONGKIND, "siteCode"},
			{"ForeignSiteCode", self("self-4", f.park.ID, foreignSite, tok), mashang.ETOKENWRONGKIND, "siteCode"},
			{"ForgedSiteCode", self("self-5", f.park.ID, forge(t, f.siteToken(f.park)), tok), mashang.ETOKENFORGED, "siteCode"},
			{"NoSiteCode", self("self-6", f.park.ID, "", tok), mashang.ETOKENMALFORMED, "siteCode"},
			{"NoPersonCode", self("self-7", f.park.ID, f.siteToken(f.park), ""), mashang.EINVALID, "token"},
			{"SiteCodeAsPersonCode", self("self-8", f.park.ID, f.siteToken(f.park), f.siteToken(f.park)), mashang.ETOKENWRONGKIND, "token"},
		}
		var items []scans.Item
		for _, c := range cases {
			items = append(items, c.item)
		}
		res := f.record(t, f.main.v, items...)
		for i, c := range cases {
			t.Run("Err"+c.name, func(t *testing.T) { refused(t, res[i], c.code, c.field) })
		}
		if after := f.counts(); after != before {
			t.Fatalf("refused self scans wrote rows: %+v → %+v", before, after)
		}
	})
}

func TestItemChecks(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		p := f.register("郑十一")
		tok := f.personToken(p, token.ColourGreen)
		halfLoc := showCode("half", f.park.ID, "GREEN", 36.5)
		halfLoc.DeviceLng = nil
		before := f.counts()
		cases := []struct {
			name        string
			item        scans.Item
			code, field string
		}{
			{"TooCold", scanCode("cold", f.park.ID, tok, 33.9), mashang.EINVALID, "temperature"},
			{"TooHot", scanCode("hot", f.park.ID, tok, 43.1), mashang.EINVALID, "temperature"},
			{"NaN", scanCode("nan", f.park.ID, tok, math.NaN()), mashang.EINVALID, "temperature"},
			{"ManualTooHot", manual("m-hot", f.park.ID, scans.ManualPerson{Name: "冯十二", IDNumber: residentID(950)}, 43.1), mashang.EINVALID, "temperature"},
			{"UnknownSite", scanCode("nosite", 987654, tok, 37.6), mashang.ENOTFOUND, "siteId"},
			{"OutsideScope", scanCode("outside", f.hall.ID, tok, 37.6), mashang.EFORBIDDEN, "siteId"},
			{"OutsideScopeVehicle", scanCode("outside-bus", f.bus.ID, tok, 37.6), mashang.EFORBIDDEN, "siteId"},
			{"SiteNotEnabled", scanCode("closed", f.closed.ID, tok, 37.6), mashang.ESITENOTENABLED, ""},
			{"UnknownMethod", scans.Item{ClientID: "method", SiteID: f.park.ID, Method: "WAVE", Temperature: 36.5}, mashang.EINVALID, "method"},
			{"HalfALocation", halfLoc, mashang.EINVALID, "deviceLocation"},
		}
		var items []scans.Item
		for _, c := range cases {
			items = append(items, c.item)
		}
		res := f.record(t, f.main.v, items...)
		for i, c := range cases {
			t.Run("Err"+c.name, func(t *testing.T) { refused(t, res[i], c.code, c.field) })
		}
		if after := f.counts(); after != before {
			t.Fatalf("refused items wrote rows: %+v → %+v", before, after)
		}
		if got := f.getPerson(p.ID); got.LastTemperature != nil {
			t.Fatalf("a refused item applied its reading %v", *got.LastTemperature)
		}
		// The bounds themselves are valid readings; a child site of the
		// scanner's site is within its scope.
		res = f.record(t, f.main.v, scanCode("min", f.park.ID, tok, 34.0), scanCode("max", f.gate.ID, tok, 43.0))
		stored(t, res[0])
		stored(t, res[1])

		t.Run("ErrOrdinaryAtSiblingSite", func(t *testing.T) {
			gateScanner := f.scanner("东门扫码员", account.RoleORDINARY, f.gate, true)
			refused(t, f.record(t, gateScanner.v, showCode("sib", f.park.ID, "GREEN", 36.5))[0], mashang.EFORBIDDEN, "siteId")
			stored(t, f.record(t, gateScanner.v, showCode("own", f.gate.ID, "GREEN", 36.5))[0])
		})
		t.Run("ErrRoleMayNotRecord", func(t *testing.T) {
			official := f.user("官员", residentID(960))
			f.registerID("官员", residentID(960))
			a := f.account(account.RoleOFFICIAL, official, f.ini, f.park.Path, 0, 0)
			v := &mashang.Viewer{UserID: official.ID, AccountID: a.ID, Role: string(a.Role), ScopePath: a.ScopePath, AccountPath: a.AccountPath}
			r := f.record(t, v, showCode("off", f.park.ID, "GREEN", 36.5))[0]
			refused(t, r, mashang.EFORBIDDEN, "siteId")
			// Not "outside your scope": the site is in it, the role is wrong.
			if msg := r.Err.Error(); !strings.Contains(msg, "OFFICIAL account may not record scans") || !strings.Contains(msg, "switchAccount") {
				t.Fatalf("message %q does not say the role may not record and what to do", msg)
			}
		})
	})
}

func TestBatch(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		p := f.register("陈十三")
		tok := f.personToken(p, token.ColourGreen)
		before := f.counts()
		items := []scans.Item{
			scanCode("b-0", f.park.ID, tok, 36.5),
			scanCode("b-1", f.park.ID, tok, 50),
			showCode("b-2", f.gate.ID, "YELLOW", 36.5),
			showCode("b-3", 987654, "GREEN", 36.5),
			manual("b-4", f.park.ID, scans.ManualPerson{Name: "褚十四", IDNumber: residentID(970)}, 36.6),
			scanCode("b-5", f.park.ID, forge(t, tok), 36.5),
			manual("b-6", f.park.ID, scans.ManualPerson{Name: "卫十五", IDNumber: wrongCheck(residentID(971))}, 36.6),
		}
		res := f.record(t, f.main.v, items...)
		good := map[int]bool{0: true, 2: true, 4: true}
		for i, r := range res {
			if good[i] {
				stored(t, r)
			} else if r.Err == nil {
				t.Fatalf("bad item %d stored", i)
			}
		}
		wantErr(t, res[1].Err, mashang.EINVALID, "temperature")
		wantErr(t, res[3].Err, mashang.ENOTFOUND, "siteId")
		wantErr(t, res[5].Err, mashang.ETOKENFORGED, "token")
		wantErr(t, res[6].Err, mashang.EINVALID, "idNumber")
		after := f.counts()
		if after.scans != before.scans+3 || after.persons != before.persons+1 || after.alerts != before.alerts+1 {
			t.Fatalf("rows %+v → %+v, want 3 scans, 1 person, 1 alert (YELLOW)", before, after)
		}
		for i := range good {
			if n := len(f.scansOf(items[i].ClientID)); n != 1 {
				t.Fatalf("item %d stored %d times", i, n)
			}
		}
		audit, err := db.Client.AuditEvent.Query().Where(auditevent.Action("recordScans")).Only(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if audit.Detail != `{"items":7,"stored":3}` {
			t.Fatalf("audit detail %s", audit.Detail)
		}

		t.Run("Largest", func(t *testing.T) {
			msgs, cancel := f.alerts.Broker.Subscribe()
			defer cancel()
			before := f.counts()
			items := make([]scans.Item, scans.MaxBatch)
			for i := range items {
				colour := "GREEN"
				if i%2 == 1 {
					colour = "ORANGE"
				}
				items[i] = shownWith(fmt.Sprintf("big-%03d", i), f.park.ID, colour, 36.5, fmt.Sprintf("E%07d", i))
			}
			res := f.record(t, f.main.v, items...)
			for _, r := range res {
				stored(t, r)
			}
			after := f.counts()
			if after.scans != before.scans+scans.MaxBatch || after.alerts != before.alerts+scans.MaxBatch/2 {
				t.Fatalf("rows %+v → %+v", before, after)
			}
			if n := len(drain(msgs)); n != scans.MaxBatch/2 {
				t.Fatalf("%d messages published, want %d", n, scans.MaxBatch/2)
			}
		})
		t.Run("ErrTooMany", func(t *testing.T) {
			before := f.counts()
			items := make([]scans.Item, scans.MaxBatch+1)
			for i := range items {
				items[i] = showCode(fmt.Sprintf("huge-%03d", i), f.park.ID, "GREEN", 36.5)
			}
			res, err := f.svc.Record(requestContext(f.main.v), f.main.v, items)
			if res != nil {
				t.Fatalf("%d results for a refused batch", len(res))
			}
			wantErr(t, err, mashang.EINVALID, "scans")
			if after := f.counts(); after != before {
				t.Fatalf("rows %+v → %+v", before, after)
			}
		})
		t.Run("ErrEmpty", func(t *testing.T) {
			for _, items := range [][]scans.Item{nil, {}} {
				res, err := f.svc.Record(requestContext(f.main.v), f.main.v, items)
				if res != nil {
					t.Fatalf("results for an empty batch: %+v", res)
				}
				wantErr(t, err, mashang.EINVALID, "scans")
			}
		})
		t.Run("ErrNoViewer", func(t *testing.T) {
			_, err := f.svc.Record(context.Background(), nil, []scans.Item{showCode("anon", f.park.ID, "GREEN", 36.5)})
			wantErr(t, err, mashang.EUNAUTHENTICATED, "")
		})
	})
}

func TestAlertPause(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		msgs, cancel := f.alerts.Broker.Subscribe()
		defer cancel()
		initiator := &mashang.Viewer{AccountID: f.ini.ID, Role: mashang.RoleInitiator, ScopePath: "/"}
		if err := f.alerts.SetPause(f.ctx, initiator, f.community.ID, true, "演练"); err != nil {
			t.Fatal(err)
		}
		p := f.register("蒋十六")
		tok := f.personToken(p, token.ColourGreen)
		res := f.record(t, f.main.v, scanCode("p-1", f.park.ID, tok, 38.0), shownWith("p-2", f.gate.ID, "RED", 36.5, "E7100002"), showCode("p-3", f.park.ID, "GREEN", 36.5))
		var paused []*ent.Alert
		for _, r := range res[:2] {
			as := f.alertsOf(stored(t, r).ID)
			if len(as) != 1 {
				t.Fatalf("%d alerts for scan %s, want 1", len(as), r.ClientID)
			}
			paused = append(paused, as[0])
		}
		for _, a := range paused {
			if a.Pushed {
				t.Fatalf("alert %d under a paused region has pushed=true", a.ID)
			}
		}
		if m := drain(msgs); len(m) != 0 {
			t.Fatalf("published %+v while paused", m)
		}

		// Resumed: the next alert is pushed; the paused ones are not pushed
		// afterwards.
		if err := f.alerts.SetPause(f.ctx, initiator, f.community.ID, false, ""); err != nil {
			t.Fatal(err)
		}
		s := stored(t, f.record(t, f.main.v, shownWith("p-4", f.park.ID, "ORANGE", 36.5, "E7100004"))[0])
		as := f.alertsOf(s.ID)
		if len(as) != 1 || !as[0].Pushed {
			t.Fatalf("alerts after resuming %+v, want one pushed", as)
		}
		m := drain(msgs)
		if len(m) != 1 || m[0].AlertID != as[0].ID {
			t.Fatalf("published %+v, want only alert %d", m, as[0].ID)
		}
	})
}

package graph_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	entalert "github.com/mashang/mashang/ent/alert"
	"github.com/mashang/mashang/ent/auditevent"
	"github.com/mashang/mashang/ent/scan"
	"github.com/mashang/mashang/stats/statstest"
)

// Issue 11, points 6 and 7: self-scan from the resident's own app (seed 003
// §二(一): 张贴专属核验码…自助扫码+体温测量), protected against forwarded site
// codes.

type selfScanOut struct {
	ClientID string
	Replayed bool
	Scan     *scanOut
	Error    *struct{ Code, Field string }
}

// selfScan sends a self-scan with no login: the personToken is the only
// credential.
func selfScan(t *testing.T, w *healthWorld, in map[string]any) selfScanOut {
	t.Helper()
	resp := w.srv.Query(`mutation($in: SelfScanInput!) { selfScan(input: $in) { clientId replayed scan { `+scanFields+` } error { code field } } }`,
		map[string]any{"in": in})
	var out struct{ SelfScan selfScanOut }
	resp.Decode(t, &out)
	return out.SelfScan
}

// wantSelfScanError fails unless the self-scan was refused with code (and
// field, when given) and stored nothing.
func wantSelfScanError(t *testing.T, w *healthWorld, got selfScanOut, code, field string) {
	t.Helper()
	if got.Error == nil || got.Error.Code != code || (field != "" && got.Error.Field != field) || got.Scan != nil {
		t.Fatalf("self-scan answered %+v (error %+v), want %s on %q", got, got.Error, code, field)
	}
	n, err := w.db.Client.Scan.Query().Where(scan.ClientIDHasSuffix(":" + got.ClientID)).Count(context.Background())
	if err != nil || n != 0 {
		t.Fatalf("a refused self-scan stored %d scans (%v)", n, err)
	}
}

// posterCode is the park's printed code (a day long), issued by its scanner.
func posterCode(t *testing.T, w *healthWorld) string {
	t.Helper()
	var out struct{ IssueSiteCode struct{ Token string } }
	w.srv.QueryAs(w.scanner.token, `mutation($s: ID!) { issueSiteCode(site: $s) { token } }`, map[string]any{"s": w.park}).Decode(t, &out)
	return out.IssueSiteCode.Token
}

// fix is a phone's location fix.
func fix(lat, lng, accuracy float64) map[string]any {
	return map[string]any{"latitude": lat, "longitude": lng, "accuracy": accuracy}
}

// atThePark is a fix at the park's gate; farAway is one 5.5 km north.
var atThePark, farAway = fix(43.8601, 125.3101, 15), fix(43.91, 125.31, 15)

func TestAResidentCanSelfScanAPostedSiteCodeWithTheirOwnApp(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		code := posterCode(t, w)

		// Without a temperature: recorded against the park, no scanner
		// account, the colour unchanged.
		in := map[string]any{"clientId": "self-1", "siteCode": code, "personToken": w.resident.Token, "location": atThePark}
		got := selfScan(t, w, in)
		if got.Error != nil || got.Scan == nil || got.Scan.Decision != "PASS" || got.Scan.Colour != "GREEN" ||
			got.Scan.Method != "SELF_SCAN" || got.Scan.SiteName != "南湖公园" || got.Scan.ScannerName != "" || got.Scan.Temperature != 0 {
			t.Fatalf("self-scan answered %+v %+v %+v", got, got.Scan, got.Error)
		}
		row, err := db.Client.Scan.Query().Where(scan.ClientID("self:" + w.resident.ID + ":self-1")).Only(context.Background())
		if err != nil || row.AccountID != 0 || row.PersonID == nil || strconv.Itoa(*row.PersonID) != w.resident.ID ||
			row.Presence == nil || *row.Presence != scan.PresenceCODE || row.SiteID != atoi(t, w.park) {
			t.Fatalf("stored %+v (%v)", row, err)
		}
		// A retry with the same client id stores nothing new.
		if again := selfScan(t, w, in); !again.Replayed || again.Scan == nil || again.Scan.ID != got.Scan.ID {
			t.Fatalf("retry answered %+v", again)
		}

		// With a fever: the reading follows the rule every reading follows.
		got = selfScan(t, w, map[string]any{"clientId": "self-2", "siteCode": code, "personToken": w.resident.Token,
			"location": atThePark, "temperature": 38.2})
		if got.Scan == nil || got.Scan.Decision != "DENY" || got.Scan.Colour != "YELLOW" || !slices.Contains(got.Scan.AlertReasons, "FEVER") {
			t.Fatalf("fever self-scan answered %+v %+v", got.Scan, got.Error)
		}
		if c := personColour(t, w.srv, w.official.token, w.resident.ID); c != "YELLOW" {
			t.Fatalf("a self-scanned fever left the resident %s", c)
		}

		// Nobody acts without the personToken; a poster's code needs the
		// phone's location.
		wantSelfScanError(t, w, selfScan(t, w, map[string]any{"clientId": "self-3", "siteCode": code,
			"personToken": "pt_forged", "location": atThePark}), "UNAUTHENTICATED", "personToken")
		wantSelfScanError(t, w, selfScan(t, w, map[string]any{"clientId": "self-4", "siteCode": code,
			"personToken": w.resident.Token}), "INVALID_INPUT", "location")

		// A site that demands the temperature refuses a self-scan without one.
		var upd struct {
			UpdateSite struct{ SelfScanNeedsTemperature bool }
		}
		w.srv.QueryAs(w.initiator, `mutation($s: ID!) { updateSite(id: $s, input: {selfScanNeedsTemperature: true}) { selfScanNeedsTemperature } }`,
			map[string]any{"s": w.park}).Decode(t, &upd)
		if !upd.UpdateSite.SelfScanNeedsTemperature {
			t.Fatalf("updateSite answered %+v", upd)
		}
		wantSelfScanError(t, w, selfScan(t, w, map[string]any{"clientId": "self-5", "siteCode": code,
			"personToken": w.resident.Token, "location": atThePark}), "INVALID_INPUT", "temperature")
		if got := selfScan(t, w, map[string]any{"clientId": "self-6", "siteCode": code, "personToken": w.resident.Token,
			"location": atThePark, "temperature": 36.5}); got.Scan == nil {
			t.Fatalf("self-scan with a temperature answered %+v", got.Error)
		}

		// Rate-limited per person: three stored in this hour.
		w.srv.Services.Scans.SelfScansPerHour = 3
		wantSelfScanError(t, w, selfScan(t, w, map[string]any{"clientId": "self-7", "siteCode": code,
			"personToken": w.resident.Token, "location": atThePark, "temperature": 36.5}), "RATE_LIMITED", "")

		// Each stored self-scan is audited once, by its own richer event
		// (not a second, generic one from the mutation layer).
		ctx := context.Background()
		stored, err := db.Client.Scan.Query().Where(scan.MethodEQ(scan.MethodSELF_SCAN)).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		events, err := db.Client.AuditEvent.Query().Where(auditevent.Action("selfScan")).Count(ctx)
		if err != nil || stored == 0 || events != stored {
			t.Fatalf("%d selfScan audit events (%v) for %d stored self-scans, want one each", events, err, stored)
		}
		// Issue 12: the statistics rollups equal a recount of the raw rows.
		statstest.MustVerify(t, db.Client, "scans", "registrations", "alerts", "colour changes", "control-list changes")
	})
}

func TestAForwardedPosterCodeScannedFarAwayIsRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		code := posterCode(t, w)
		in := func(id string, loc map[string]any) map[string]any {
			return map[string]any{"clientId": id, "siteCode": code, "personToken": w.resident.Token, "location": loc}
		}
		// A picture of the poster, scanned 5.5 km away: refused.
		wantSelfScanError(t, w, selfScan(t, w, in("far-1", farAway)), "GEOFENCE", "location")
		// A fix too coarse to say where the phone is proves nothing.
		wantSelfScanError(t, w, selfScan(t, w, in("far-2", fix(43.8601, 125.3101, 5000))), "INVALID_INPUT", "location")
		// 300 m from a 200 m park with a 100 m fix: the accuracy counts.
		if got := selfScan(t, w, in("near-1", fix(43.8627, 125.31, 100))); got.Scan == nil || got.Scan.Decision != "PASS" {
			t.Fatalf("a self-scan at the edge answered %+v %+v", got.Scan, got.Error)
		}
	})
}

func TestAnExpiredRotatingSiteCodeIsRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		q := `query($s: ID!) { node(id: $s) { ... on Site { rotatingCode { token issuedAt expiresAt } } } }`
		var out struct {
			Node struct {
				RotatingCode struct {
					Token               string
					IssuedAt, ExpiresAt time.Time
				}
			}
		}
		w.srv.QueryAs(w.scanner.token, q, map[string]any{"s": w.park}).Decode(t, &out)
		rc := out.Node.RotatingCode
		if rc.ExpiresAt.Sub(rc.IssuedAt) != 5*time.Minute {
			t.Fatalf("rotating code lives %v, want 5m", rc.ExpiresAt.Sub(rc.IssuedAt))
		}
		// SECURITY: an official of the district sees the site, not its code.
		wantCodes(t, w.srv.QueryAs(w.official.token, q, map[string]any{"s": w.park}), "FORBIDDEN")

		// Fresh from the screen: accepted without a location.
		in := func(id string) map[string]any {
			return map[string]any{"clientId": id, "siteCode": rc.Token, "personToken": w.resident.Token}
		}
		if got := selfScan(t, w, in("rot-1")); got.Scan == nil || got.Scan.Decision != "PASS" {
			t.Fatalf("fresh rotating code answered %+v %+v", got.Scan, got.Error)
		}
		// Six minutes later, a forwarded photo of it is refused.
		w.srv.Services.Scans.Now = func() time.Time { return time.Now().Add(6 * time.Minute) }
		wantSelfScanError(t, w, selfScan(t, w, in("rot-2")), "TOKEN_EXPIRED", "siteCode")
		// A rotating code scanned far away with a fix is refused too.
		w.srv.Services.Scans.Now = nil
		far := in("rot-3")
		far["location"] = farAway
		wantSelfScanError(t, w, selfScan(t, w, far), "GEOFENCE", "location")
	})
}

func TestRepeatedFarAwaySelfScansAreFlagged(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		code := posterCode(t, w)
		pid := atoi(t, w.resident.ID)
		ctx := context.Background()
		for i := 1; i <= 3; i++ {
			wantSelfScanError(t, w, selfScan(t, w, map[string]any{"clientId": "far-" + strconv.Itoa(i), "siteCode": code,
				"personToken": w.resident.Token, "location": farAway}), "GEOFENCE", "location")
			flagged, err := db.Client.Alert.Query().Where(entalert.PersonID(pid)).All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{true: 1, false: 0}[i == 3]; len(flagged) != want {
				t.Fatalf("after %d far-away self-scans, %d alerts, want %d", i, len(flagged), want)
			}
			if i == 3 && !slices.Equal(flagged[0].Reasons, []string{"SELF_SCAN_FAR_AWAY"}) {
				t.Fatalf("flag %+v", flagged[0])
			}
		}
		if n, _ := db.Client.AuditEvent.Query().Where(auditevent.Action("selfScanFarAway")).Count(ctx); n != 3 {
			t.Fatalf("%d refused far-away self-scans audited, want 3", n)
		}
		// The officials of the district where the resident lives see the flag.
		var alerts struct {
			Alerts struct{ TotalCount int }
		}
		w.srv.QueryAs(w.official.token, `{ alerts { totalCount } }`, nil).Decode(t, &alerts)
		if alerts.Alerts.TotalCount != 1 {
			t.Fatalf("the resident's district officials see %d alerts, want the flag", alerts.Alerts.TotalCount)
		}
	})
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

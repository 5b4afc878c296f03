package graph_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	entalert "github.com/mashang/mashang/ent/alert"
	"github.com/mashang/mashang/ent/auditevent"
	"github.com/mashang/mashang/ent/region"
	"github.com/mashang/mashang/ent/scan"
	"github.com/mashang/mashang/scans"
	"github.com/mashang/mashang/token"
)

// Issue 11, points 1–5: proof of presence at the door.

// at is a scan at the park, made at the park.
func at(w *healthWorld, clientID string, in map[string]any) map[string]any {
	in["clientId"], in["site"], in["latitude"], in["longitude"] = clientID, w.park, 43.8601, 125.3101
	return in
}

// identity is what the door types in for a person.
func identity(name, id string) map[string]any { return map[string]any{"name": name, "idNumber": id} }

// registerIn registers a person living in the region with the given code.
func registerIn(t *testing.T, w *healthWorld, name, id, regionCode string) registered {
	t.Helper()
	r, err := w.db.Client.Region.Query().Where(region.Code(regionCode)).Only(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return registerPerson(t, w.srv, name, id, fmt.Sprint(r.ID))
}

func storedScan(t *testing.T, w *healthWorld, clientID string) *ent.Scan {
	t.Helper()
	s, err := w.db.Client.Scan.Query().Where(scan.ClientID(clientID)).Only(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Point 1: a bare person id is refused; a scanner's word about a registered
// person never lowers their colour, and raises it only for a person living
// in the site's district; the answer never shows the colour of someone
// whose code was not presented.
func TestScannerCannotChangeTheColourOfAPersonWhoseCodeWasNotPresented(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		residentID := validID(t, "22010419900307031")

		// A bare person id, with a fever or to clear one: refused, nothing stored.
		for i, temp := range []float64{39.2, 36.6} {
			_, resp := recordScan(t, w.srv, w.scanner.token, at(w, fmt.Sprintf("bare-%d", i),
				map[string]any{"method": "SHOW_CODE", "person": w.resident.ID, "colour": "GREEN", "temperature": temp}))
			wantCodes(t, resp, "FORBIDDEN")
			if resp.Errors[0].Extensions["field"] != "person" {
				t.Fatalf("refusal names %v, want the person input", resp.Errors[0].Extensions)
			}
		}
		if n, _ := db.Client.Scan.Query().Where(scan.ClientIDHasPrefix("bare-")).Count(context.Background()); n != 0 {
			t.Fatalf("a bare person id stored %d scans", n)
		}
		if c := personColour(t, w.srv, w.official.token, w.resident.ID); c != "GREEN" {
			t.Fatalf("a bare person id made the resident %s", c)
		}

		// The resident's own code at 38.0 °C: YELLOW (a reading with proof).
		code := issueCode(t, w.srv, w.resident.Token)
		if s, resp := recordScan(t, w.srv, w.scanner.token, at(w, "code-1", map[string]any{"method": "SCAN_CODE", "token": code, "temperature": 38.0})); len(resp.Errors) > 0 || s.Colour != "YELLOW" {
			t.Fatalf("scan of the code %+v %+v", s, resp.Errors)
		}
		// Typing their ID number at 36.6 °C does not make them GREEN, and
		// the answer does not say they are YELLOW.
		s, resp := recordScan(t, w.srv, w.scanner.token, at(w, "typed-1",
			map[string]any{"method": "MANUAL", "manual": identity("赵六", residentID), "temperature": 36.6}))
		if len(resp.Errors) > 0 || s.Colour != "" || s.Decision != "DENY" || !slices.Equal(s.AlertReasons, []string{"REFER"}) {
			t.Fatalf("attestation answered %+v %+v", s, resp.Errors)
		}
		if strings.Contains(string(resp.Data), "YELLOW") {
			t.Fatalf("the answer discloses the colour: %s", resp.Data)
		}
		if c := personColour(t, w.srv, w.official.token, w.resident.ID); c != "YELLOW" {
			t.Fatalf("a typed ID number turned the resident %s", c)
		}
		// The attestation is the scanner's, audited as such.
		row := storedScan(t, w, "typed-1")
		if row.Presence == nil || *row.Presence != scan.PresenceATTESTED || row.PersonID == nil || !row.IdentityCaptured {
			t.Fatalf("attestation stored %+v", row)
		}
		if n, _ := db.Client.AuditEvent.Query().Where(auditevent.Action("attestPerson")).Count(context.Background()); n != 1 {
			t.Fatalf("%d attestPerson audit events, want 1", n)
		}

		// A resident of another city at 39.2 °C, named by ID number at this
		// door: stays GREEN, and the attestation is flagged for review.
		farID := validID(t, "34188119850505041")
		far := registerIn(t, w, "钱七", farID, "341881")
		s, resp = recordScan(t, w.srv, w.scanner.token, at(w, "typed-far",
			map[string]any{"method": "MANUAL", "manual": identity("钱七", farID), "temperature": 39.2}))
		if len(resp.Errors) > 0 || s.Decision != "DENY" || s.Colour != "" || slices.Contains(s.AlertReasons, "RESIDES_ELSEWHERE") {
			t.Fatalf("far attestation %+v %+v", s, resp.Errors)
		}
		if c := personColour(t, w.srv, w.outsider.token, far.ID); c != "GREEN" {
			t.Fatalf("a scanner in another city turned the resident %s", c)
		}
		farRow := storedScan(t, w, "typed-far")
		alerts, err := db.Client.Alert.Query().Where(entalert.ScanID(farRow.ID)).All(context.Background())
		if err != nil || len(alerts) != 1 || !slices.Contains(alerts[0].Reasons, "RESIDES_ELSEWHERE") {
			t.Fatalf("far attestation alerts %+v %v", alerts, err)
		}

		// A local resident named at 39.2 °C is raised (the rule every
		// reading follows), though the door still sees no colour.
		nearID := validID(t, "22010419880808051")
		near := registerPerson(t, w.srv, "孙八", nearID, w.community)
		s, resp = recordScan(t, w.srv, w.scanner.token, at(w, "typed-near",
			map[string]any{"method": "MANUAL", "manual": identity("孙八", nearID), "temperature": 39.2}))
		if len(resp.Errors) > 0 || s.Decision != "DENY" || s.Colour != "" {
			t.Fatalf("local attestation %+v %+v", s, resp.Errors)
		}
		if c := personColour(t, w.srv, w.official.token, near.ID); c != "YELLOW" {
			t.Fatalf("a fever attested at the resident's own district left them %s, want YELLOW", c)
		}
	})
}

// Point 1: the attestations one account may make are rate-limited.
func TestAScannerCannotWalkTheRegisterByTypingIdNumbers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		w.srv.Services.Scans.AttestationsPerHour = 2
		var ids []string
		for i := range 3 {
			id := validID(t, fmt.Sprintf("2201041970010106%d", i))
			registerPerson(t, w.srv, "居民", id, w.community)
			ids = append(ids, id)
		}
		for i, id := range ids {
			_, resp := recordScan(t, w.srv, w.scanner.token, at(w, fmt.Sprintf("walk-%d", i),
				map[string]any{"method": "MANUAL", "manual": identity("居民", id), "temperature": 36.5}))
			if i < 2 && len(resp.Errors) > 0 {
				t.Fatalf("attestation %d refused: %+v", i, resp.Errors)
			}
			if i == 2 {
				wantCodes(t, resp, "RATE_LIMITED")
			}
		}
		// A visitor not yet registered is still registered by hand (seed 001 §5).
		if _, resp := recordScan(t, w.srv, w.scanner.token, at(w, "walk-new",
			map[string]any{"method": "MANUAL", "manual": identity("王大爷", validID(t, "22010419400101071")), "temperature": 36.5})); len(resp.Errors) > 0 {
			t.Fatalf("a first registration refused: %+v", resp.Errors)
		}
	})
}

// Point 2 (seed 001 §4: a red person is not let through).
func TestAScannerCannotLetARedPersonThroughByTypingTheirIdNumber(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		var set struct{ SetRisk struct{ Colour string } }
		w.srv.QueryAs(w.official.token, `mutation($p: ID!) { setRisk(input: {person: $p, risk: CONFIRMED}) { colour } }`,
			map[string]any{"p": w.resident.ID}).Decode(t, &set)
		if set.SetRisk.Colour != "RED" {
			t.Fatalf("set risk %+v", set)
		}
		s, resp := recordScan(t, w.srv, w.scanner.token, at(w, "red-1",
			map[string]any{"method": "MANUAL", "manual": identity("赵六", validID(t, "22010419900307031")), "temperature": 36.5}))
		if len(resp.Errors) > 0 || s.Decision != "DENY" || s.Colour != "" || !slices.Equal(s.AlertReasons, []string{"REFER"}) {
			t.Fatalf("a red person typed in: %+v %+v", s, resp.Errors)
		}
		if strings.Contains(string(resp.Data), "RED") {
			t.Fatalf("the answer discloses the colour: %s", resp.Data)
		}
		// The same through a shown green picture with the identity typed in.
		s, resp = recordScan(t, w.srv, w.scanner.token, at(w, "red-2",
			map[string]any{"method": "SHOW_CODE", "colour": "GREEN", "manual": identity("赵六", validID(t, "22010419900307031")), "temperature": 36.5}))
		if len(resp.Errors) > 0 || s.Decision != "DENY" || s.Colour != "GREEN" || !slices.Contains(s.AlertReasons, "REFER") {
			t.Fatalf("a red person with a green picture: %+v %+v", s, resp.Errors)
		}
		if c := personColour(t, w.srv, w.official.token, w.resident.ID); c != "RED" {
			t.Fatalf("the resident is %s", c)
		}
	})
}

// Point 3 (seed 004 §二(二): for an orange code, 现场核验人员记录其身份信息).
func TestADoorCannotLetAnOrangeCodeThroughWithoutRecordingWhoShowedIt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		_, resp := recordScan(t, w.srv, w.scanner.token, at(w, "orange-0", map[string]any{"method": "SHOW_CODE", "colour": "ORANGE", "temperature": 36.5}))
		wantCodes(t, resp, "INVALID_INPUT")
		visitorID := validID(t, "11010519760203081")
		s, resp := recordScan(t, w.srv, w.scanner.token, at(w, "orange-1",
			map[string]any{"method": "SHOW_CODE", "colour": "ORANGE", "manual": identity("周九", visitorID), "temperature": 36.5}))
		if len(resp.Errors) > 0 || s.Decision != "DENY" || s.Colour != "ORANGE" || s.NameMasked == "" || s.NameMasked == "周九" ||
			s.IDNumberMasked == "" || strings.Contains(s.IDNumberMasked, "19760203") {
			t.Fatalf("shown orange code %+v %+v", s, resp.Errors)
		}
		row := storedScan(t, w, "orange-1")
		if !row.IdentityCaptured || row.IdentitySealed == nil || row.IDNumberHash == nil {
			t.Fatalf("stored %+v", row)
		}
		opened := openIdentity(t, w, *row.IdentitySealed)
		if opened["name"] != "周九" || opened["idNumber"] != visitorID {
			t.Fatalf("sealed identity opens to %v", opened)
		}
		if strings.Contains(string(*row.IdentitySealed), visitorID) {
			t.Fatal("the identity is stored in clear")
		}
	})
}

// Point 4 (seed 004 annex note 2: every record has a name and an ID number).
func TestAScanOfAnotherProvincesCodeIsNotLeftWithoutTheIdentityShown(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		other := &token.Signer{Issuer: "34", Current: token.GenerateKey()}
		ks := other.PublishedKeys()
		if err := w.srv.Services.Scans.Trust.AddKeySet(ks); err != nil {
			t.Fatal(err)
		}
		issue := func(ttl time.Duration) string {
			tok, _, err := other.Issue(token.KindPerson, 4242, token.ColourGreen, ttl, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		q := `mutation($in: ScanInput!) { recordScan(input: $in) { decision colour nameMasked idNumberMasked identityCaptured } }`
		type out struct {
			RecordScan struct {
				Decision, Colour, NameMasked, IDNumberMasked string
				IdentityCaptured                             bool
			}
		}
		visitorID := validID(t, "34188119800101091")
		var with out
		w.srv.QueryAs(w.scanner.token, q, map[string]any{"in": at(w, "foreign-1",
			map[string]any{"method": "SCAN_CODE", "token": issue(5 * time.Minute), "manual": identity("吴十", visitorID), "temperature": 36.5})}).Decode(t, &with)
		if r := with.RecordScan; r.Decision != "PASS" || r.Colour != "GREEN" || !r.IdentityCaptured || r.NameMasked == "" || r.NameMasked == "吴十" || r.IDNumberMasked == "" {
			t.Fatalf("foreign code with identity %+v", r)
		}
		row := storedScan(t, w, "foreign-1")
		if row.Issuer != "34" || row.IdentitySealed == nil || openIdentity(t, w, *row.IdentitySealed)["idNumber"] != visitorID {
			t.Fatalf("stored %+v", row)
		}
		var without out
		w.srv.QueryAs(w.scanner.token, q, map[string]any{"in": at(w, "foreign-2",
			map[string]any{"method": "SCAN_CODE", "token": issue(5 * time.Minute), "temperature": 36.5})}).Decode(t, &without)
		if r := without.RecordScan; r.IdentityCaptured || r.NameMasked != "" {
			t.Fatalf("foreign code without identity %+v", r)
		}
		// The records without it are found by the flag.
		var list struct {
			Scans struct{ TotalCount int }
		}
		w.srv.QueryAs(w.official.token, `{ scans(where: {identityCaptured: false}) { totalCount } }`, nil).Decode(t, &list)
		if list.Scans.TotalCount != 1 {
			t.Fatalf("%d scans without identity, want 1", list.Scans.TotalCount)
		}
	})
}

// Point 5: person codes live minutes; the cap is published with the keys,
// and a code issued to live longer is not taken at the door.
func TestAHolderCannotIssueThemselvesADayLongCode(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		q := `mutation($t: String!, $m: Int) { issueCode(input: {personToken: $t, ttlMinutes: $m}) { issuedAt expiresAt } }`
		for _, m := range []int{1440, 31} {
			wantCodes(t, w.srv.Query(q, map[string]any{"t": w.resident.Token, "m": m}), "INVALID_INPUT")
		}
		var c struct {
			IssueCode struct{ IssuedAt, ExpiresAt time.Time }
		}
		w.srv.Query(q, map[string]any{"t": w.resident.Token, "m": nil}).Decode(t, &c)
		if d := c.IssueCode.ExpiresAt.Sub(c.IssueCode.IssuedAt); d != 5*time.Minute {
			t.Fatalf("default lifetime %s, want 5m", d)
		}
		w.srv.Query(q, map[string]any{"t": w.resident.Token, "m": 30}).Decode(t, &c)

		// The deployment's own limit, lower, is enforced and published.
		w.srv.Services.Signer.PersonMaxTTL = 10 * time.Minute
		wantCodes(t, w.srv.Query(q, map[string]any{"t": w.resident.Token, "m": 11}), "INVALID_INPUT")
		status, body := w.srv.Get("/.well-known/health-code-keys")
		var keys struct{ PersonCodeMaxMinutes int }
		if err := json.Unmarshal([]byte(body), &keys); status != 200 || err != nil || keys.PersonCodeMaxMinutes != 10 {
			t.Fatalf("published %d %s", status, body)
		}

		// Another province's day-long code is refused at the door.
		other := &token.Signer{Issuer: "34", Current: token.GenerateKey()}
		if err := w.srv.Services.Scans.Trust.AddKeySet(other.PublishedKeys()); err != nil {
			t.Fatal(err)
		}
		long := &token.Signer{Issuer: "34", Current: other.Current, PersonMaxTTL: 24 * time.Hour}
		tok, cl, err := long.Issue(token.KindPerson, 7, token.ColourGreen, 30*time.Minute, time.Now())
		if err != nil || cl.ExpiresAt.Sub(cl.IssuedAt) != 30*time.Minute {
			t.Fatal(err)
		}
		if _, resp := recordScan(t, w.srv, w.scanner.token, at(w, "long-ok", map[string]any{"method": "SCAN_CODE", "token": tok, "temperature": 36.5})); len(resp.Errors) > 0 {
			t.Fatalf("a 30-minute code refused: %+v", resp.Errors)
		}
		forged := forgeLifetime(t, other, time.Now(), 24*time.Hour)
		_, resp := recordScan(t, w.srv, w.scanner.token, at(w, "long-1", map[string]any{"method": "SCAN_CODE", "token": forged, "temperature": 36.5}))
		wantCodes(t, resp, "TOKEN_EXPIRED")
	})
}

// openIdentity opens the identity a scan sealed.
func openIdentity(t *testing.T, w *healthWorld, sealed []byte) map[string]string {
	t.Helper()
	plain, err := w.srv.Services.Persons.Box.Open(scans.IdentityField, sealed)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]string
	if err := json.Unmarshal([]byte(plain), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// forgeLifetime signs, with the key of s, a GREEN person's code living ttl
// from now: what a province whose codes live a day would hand out (this
// package's signer no longer makes one). The layout is token's version 1.
func forgeLifetime(t *testing.T, s *token.Signer, now time.Time, ttl time.Duration) string {
	t.Helper()
	b := make([]byte, 22, 22+len(s.Issuer))
	b[0], b[1], b[2] = token.Version, byte(token.KindPerson), byte(token.ColourGreen)
	binary.BigEndian.PutUint16(b[3:], s.Current.ID)
	binary.BigEndian.PutUint64(b[5:], 7)
	binary.BigEndian.PutUint32(b[13:], uint32(now.Unix()))
	binary.BigEndian.PutUint32(b[17:], uint32(now.Add(ttl).Unix()))
	b[21] = byte(len(s.Issuer))
	b = append(b, s.Issuer...)
	return token.Prefix + base64.RawURLEncoding.EncodeToString(append(b, ed25519.Sign(s.Current.Private, b)...))
}

package scans_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/scans"
	"github.com/mashang/mashang/token"
)

// TestStoredAsReturned: what the database holds after a batch (PostgreSQL's
// unnest insert, SQLite's bulk create) is field for field what the call
// returned, including the NULLs, the alert reasons and both times.
func TestStoredAsReturned(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		p := f.register("张三")
		tok := f.personToken(p, token.ColourGreen)
		clientTime := t0.Add(-90 * time.Second).Truncate(time.Microsecond)
		fever := scanCode("all-1", f.park.ID, tok, 37.9)
		fever.ClientTime = &clientTime
		plain := shownWith("all-2", f.gate.ID, "GREEN", 36.4, "E8000001")
		plain.DeviceLat, plain.DeviceLng = nil, nil
		manualItem := manual("all-3", f.park.ID, scans.ManualPerson{Name: "王大爷", IDNumber: residentID(901)}, 36.6)
		res := f.record(t, f.main.v, fever, plain, manualItem)
		for _, r := range res {
			got := stored(t, r)
			rows := f.scansOf(r.ClientID)
			if len(rows) != 1 {
				t.Fatalf("%s: %d rows", r.ClientID, len(rows))
			}
			db := rows[0]
			if db.ID != got.ID {
				t.Fatalf("%s: returned id %d, stored %d", r.ClientID, got.ID, db.ID)
			}
			for _, pair := range [][2]any{
				{db.ClientID, got.ClientID}, {db.AccountID, got.AccountID}, {db.AccountPath, got.AccountPath},
				{db.ScannerName, got.ScannerName}, {db.SiteID, got.SiteID}, {db.SitePath, got.SitePath},
				{db.SiteName, got.SiteName}, {db.Sector, got.Sector}, {db.PersonID, got.PersonID}, {db.Method, got.Method},
				{db.NameMasked, got.NameMasked}, {db.IDNumberMasked, got.IDNumberMasked}, {db.IDNumberHash, got.IDNumberHash},
				{db.Issuer, got.Issuer}, {db.Subject, got.Subject}, {db.Colour, got.Colour}, {db.Temperature, got.Temperature},
				{db.Fever, got.Fever}, {db.Decision, got.Decision}, {db.DeviceLatitude, got.DeviceLatitude},
				{db.DeviceLongitude, got.DeviceLongitude}, {db.DistanceMetres, got.DistanceMetres},
				{db.Presence, got.Presence}, {db.IdentityCaptured, got.IdentityCaptured}, {sealedBytes(db), sealedBytes(got)},
				{len(db.ReviewReasons), len(got.ReviewReasons)},
			} {
				if !reflect.DeepEqual(pair[0], pair[1]) {
					t.Errorf("%s: stored %#v, returned %#v", r.ClientID, deref(pair[0]), deref(pair[1]))
				}
			}
			if len(db.AlertReasons) != len(got.AlertReasons) || (len(got.AlertReasons) > 0 && !reflect.DeepEqual(db.AlertReasons, got.AlertReasons)) {
				t.Errorf("%s: reasons stored %v, returned %v", r.ClientID, db.AlertReasons, got.AlertReasons)
			}
			if !db.ServerTime.Equal(got.ServerTime) {
				t.Errorf("%s: server time stored %v, returned %v", r.ClientID, db.ServerTime, got.ServerTime)
			}
			if (db.ClientTime == nil) != (got.ClientTime == nil) || (db.ClientTime != nil && !db.ClientTime.Equal(*got.ClientTime)) {
				t.Errorf("%s: client time stored %v, returned %v", r.ClientID, db.ClientTime, got.ClientTime)
			}
		}
		if r := stored(t, res[0]); len(r.AlertReasons) != 2 || r.DistanceMetres == nil || r.ClientTime == nil || r.PersonID == nil {
			t.Fatalf("the fever scan lacks fields: %+v", r)
		}
		if r := stored(t, res[1]); r.DeviceLatitude != nil || r.DistanceMetres != nil || r.PersonID != nil || len(sealedBytes(r)) == 0 {
			t.Fatalf("the shown code has fields it should not, or lacks its sealed identity: %+v", r)
		}
		if r := f.scansOf("all-1")[0]; len(sealedBytes(r)) != 0 || !r.IdentityCaptured {
			t.Fatalf("the code of a registered person: sealed %v captured %v", r.IdentitySealed, r.IdentityCaptured)
		}
	})
}

func deref(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		return rv.Elem().Interface()
	}
	return v
}

// sealedBytes is the sealed identity of a scan; empty when it has none
// (ent reads a NULL bytes column as a pointer to an empty slice).
func sealedBytes(s *ent.Scan) string {
	if s.IdentitySealed == nil {
		return ""
	}
	return string(*s.IdentitySealed)
}

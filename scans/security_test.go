package scans_test

import (
	"context"
	"testing"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/scans"
)

// TestCallersKeptOut names each permission check of Record (marked SECURITY
// in the code) by the caller it keeps out; a refused scan writes nothing.
func TestCallersKeptOut(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		gate := f.scanner("东门扫码员", account.RoleORDINARY, f.gate, true)
		official := f.scanner("官员", account.RoleOFFICIAL, f.park, true)
		grid := f.scanner("网格员", account.RoleGRID_WORKER, f.park, true)
		for _, c := range []struct {
			name string
			v    *mashang.Viewer
		}{
			{"AsAnOrdinaryScannerOfAnotherSite", gate.v},
			{"AsAnOfficial", official.v},
			{"AsAGridWorker", grid.v},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := f.counts()
				refused(t, f.record(t, c.v, showCode(c.name, f.park.ID, "GREEN", 36.5))[0], mashang.EFORBIDDEN, "siteId")
				if after := f.counts(); after != before {
					t.Fatalf("a refused scan wrote rows: %+v → %+v", before, after)
				}
			})
		}
		t.Run("AsAnonymous", func(t *testing.T) {
			_, err := f.svc.Record(context.Background(), nil, []scans.Item{showCode("anon", f.park.ID, "GREEN", 36.5)})
			wantErr(t, err, mashang.EUNAUTHENTICATED, "")
		})
	})
}

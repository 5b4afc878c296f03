package accounts_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/alert"
)

// TestAGrantWithoutAPurposeIsRefused: a PII_VIEWER or TRACER grant names
// its purpose — a reason and the case or alert it serves — and covers a
// region; anything less is INVALID_INPUT on the field at fault and nothing
// is written (issue 10 #18; seed 001 §3, §11).
func TestAGrantWithoutAPurposeIsRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		future := time.Date(2021, 3, 20, 0, 0, 0, 0, time.UTC)
		off := f.acct["OFF"].ID
		ok := accounts.GrantInput{AccountID: off, Kind: mashang.GrantTracer, ExpiresAt: future, Reason: "密接排查", CaseNumber: "长卫疾控〔2021〕17号"}
		with := func(change func(*accounts.GrantInput)) accounts.GrantInput {
			in := ok
			change(&in)
			return in
		}
		for _, c := range []struct {
			name  string
			in    accounts.GrantInput
			code  string
			field string
		}{
			{"ATracerGrantWithoutACaseOrAlert", with(func(in *accounts.GrantInput) { in.CaseNumber = "" }), mashang.EINVALID, "caseNumber"},
			{"APiiViewerGrantWithoutACaseOrAlert", with(func(in *accounts.GrantInput) { in.Kind, in.CaseNumber = mashang.GrantPIIViewer, "  " }), mashang.EINVALID, "caseNumber"},
			{"AGrantWithBothACaseAndAnAlert", with(func(in *accounts.GrantInput) { in.AlertID = 1 }), mashang.EINVALID, "caseNumber"},
			{"AGrantWithoutAReason", with(func(in *accounts.GrantInput) { in.Reason = " " }), mashang.EINVALID, "reason"},
			{"AGrantWithAReasonOfOneCharacter", with(func(in *accounts.GrantInput) { in.Reason = "查" }), mashang.EINVALID, "reason"},
			{"AGrantWithAnEndlessReason", with(func(in *accounts.GrantInput) { in.Reason = strings.Repeat("查", 501) }), mashang.EINVALID, "reason"},
			{"AGrantWhoseReasonHoldsAPhone", with(func(in *accounts.GrantInput) { in.Reason = "核查13812345678" }), mashang.EINVALID, "reason"},
			{"AGrantWhoseCaseNumberIsAnIDNumber", with(func(in *accounts.GrantInput) { in.CaseNumber = residentID(3) }), mashang.EINVALID, "caseNumber"},
			{"AGrantWhoseCaseNumberHasNoDigit", with(func(in *accounts.GrantInput) { in.CaseNumber = "无" }), mashang.EINVALID, "caseNumber"},
			{"AGrantWhoseCaseNumberIsAFormula", with(func(in *accounts.GrantInput) { in.CaseNumber = "=HYPERLINK(1)" }), mashang.EINVALID, "caseNumber"},
			{"ASectorStatisticsGrantWithARegion", with(func(in *accounts.GrantInput) {
				in.Kind, in.Sector, in.RegionID = mashang.GrantSectorStatistics, "HEALTH", f.tree.ByCode["220102"].ID
			}), mashang.EINVALID, "regionId"},
			{"AGrantForARegionThatDoesNotExist", with(func(in *accounts.GrantInput) { in.RegionID = 1 << 40 }), mashang.ENOTFOUND, "regionId"},
			{"AGrantForAnAlertThatDoesNotExist", with(func(in *accounts.GrantInput) { in.CaseNumber, in.AlertID = "", 1<<40 }), mashang.ENOTFOUND, "alertId"},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := f.svc.GiveGrant(f.as("INI"), c.in)
				wantCode(t, err, c.code)
				if got := fieldOf(err); got != c.field {
					t.Fatalf("error %v names field %q, want %q", err, got, c.field)
				}
				if n := db.Client.Grant.Query().CountX(context.Background()); n != 0 {
					t.Fatalf("%d grants written by a refused call", n)
				}
			})
		}
	})
}

// TestAGrantCoversTheRegionTheProvinceChose: a grant covers the region the
// INITIATOR chose, or else the holder's scope; a SECTOR_STATISTICS grant the
// whole province. An alert named as the purpose lies in the region.
func TestAGrantCoversTheRegionTheProvinceChose(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ctx := f.as("INI")
		future := time.Date(2021, 3, 20, 0, 0, 0, 0, time.UTC)
		off := f.get("OFF") // an official of 长春市
		nanguan := f.tree.ByCode["220102"]
		base := accounts.GrantInput{AccountID: off.ID, Kind: mashang.GrantTracer, ExpiresAt: future, Reason: "密接排查", CaseNumber: "长卫疾控〔2021〕17号"}

		g, err := f.svc.GiveGrant(ctx, base)
		if err != nil || g.ScopePath != off.ScopePath || g.ScopeRegionID == nil || *g.ScopeRegionID != *off.ScopeRegionID || *g.CaseNumber != base.CaseNumber {
			t.Fatalf("default region: %+v %v, want the holder's scope %s", g, err, off.ScopePath)
		}
		in := base
		in.RegionID = nanguan.ID
		if g, err = f.svc.GiveGrant(ctx, in); err != nil || g.ScopePath != nanguan.Path {
			t.Fatalf("chosen region: %+v %v, want %s", g, err, nanguan.Path)
		}
		stats := accounts.GrantInput{AccountID: off.ID, Kind: mashang.GrantSectorStatistics, Sector: "HEALTH", ExpiresAt: future, Reason: "行业统计"}
		if g, err = f.svc.GiveGrant(ctx, stats); err != nil || g.ScopePath != "/" {
			t.Fatalf("sector statistics: %+v %v, want the whole province", g, err)
		}

		now := time.Date(2021, 3, 1, 8, 0, 0, 0, time.UTC)
		inChaoyang, err := db.Client.Alert.Create().SetKind(alert.KindSCAN).SetScopePath(f.tree.ByCode["220104"].Path + "s9/").
			SetReasons([]string{"FEVER"}).SetRaisedAt(now).SetUpdatedAt(now).Save(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		in.CaseNumber, in.AlertID = "", inChaoyang.ID
		_, err = f.svc.GiveGrant(ctx, in) // the alert is in 朝阳区, the region 南关区
		wantField(t, err, "alertId")
		in.RegionID = 0 // 长春市 holds 朝阳区
		if g, err = f.svc.GiveGrant(ctx, in); err != nil || g.AlertID == nil || *g.AlertID != inChaoyang.ID {
			t.Fatalf("alert within the region: %+v %v", g, err)
		}
	})
}

package graph_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/validate"
)

// permissionProbe tries one (object, action) through the API as a caller,
// on a target within the caller's own scope, and answers the response.
type permissionProbe struct {
	object, action string
	try            func(w *healthWorld, token, scope string, n int) []string
}

// TestViewerPermissionsAreWhatTheServerAllows asks viewer.permissions as
// every role, then tries each probed action through the API on a target
// within the caller's scope: a listed action must not be refused
// (FORBIDDEN, NOT_FOUND), an action not listed must be (on both databases).
func TestViewerPermissionsAreWhatTheServerAllows(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		intermediate := createAccount(t, w.srv, w.initiator, "INTERMEDIATE", w.park, "中级扫码员", "13600000035", "")
		callers := []struct{ role, token, scope string }{
			{mashang.RoleInitiator, w.initiator, w.district},
			{mashang.RoleOfficial, w.official.token, w.community},
			{mashang.RoleGridWorker, w.grid.token, w.community},
			{mashang.RoleIntermediate, intermediate.token, w.park},
			{mashang.RoleOrdinary, w.scanner.token, w.park},
		}
		for i, c := range callers {
			listed := viewerPermissions(t, w, c.token)
			for j, p := range permissionProbes {
				key := p.object + "/" + p.action
				codes := p.try(w, c.token, c.scope, 10*i+j)
				refused := slices.Contains(codes, mashang.EFORBIDDEN) || slices.Contains(codes, mashang.ENOTFOUND)
				if listed[key] && refused {
					t.Errorf("%s is listed %s but the server refuses it: %v", c.role, key, codes)
				}
				if !listed[key] && !refused {
					t.Errorf("%s is not listed %s but the server allows it (%v)", c.role, key, codes)
				}
			}
		}
	})
}

func viewerPermissions(t *testing.T, w *healthWorld, token string) map[string]bool {
	t.Helper()
	var got struct {
		Viewer struct {
			Permissions []struct{ Object, Action string }
		}
	}
	w.srv.QueryAs(token, `{ viewer { permissions { object action } } }`, nil).Decode(t, &got)
	out := map[string]bool{}
	for _, p := range got.Viewer.Permissions {
		out[p.Object+"/"+p.Action] = true
	}
	return out
}

var permissionProbes = []permissionProbe{
	{"site", "create", func(w *healthWorld, token, scope string, n int) []string {
		return w.srv.QueryAs(token, `mutation($in: CreateSiteInput!) { createSite(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"name": fmt.Sprintf("探针公园%d", n), "category": "PARK", "parentId": scope,
		}}).Codes()
	}},
	{"account:ORDINARY", "create", func(w *healthWorld, token, scope string, n int) []string {
		return w.srv.QueryAs(token, `mutation($in: CreateAccountInput!) { createAccount(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"role": "ORDINARY", "scopeId": w.park, "holder": map[string]any{"name": "探针", "phone": fmt.Sprintf("1370000%04d", n), "password": "probe-password-1"},
		}}).Codes()
	}},
	{"application", "submit", func(w *healthWorld, token, scope string, n int) []string {
		first17 := fmt.Sprintf("91220104MA%07d", 100+n)
		check, _ := validate.USCCCheckChar(first17)
		return w.srv.QueryAs(token, `mutation($in: SeniorApplicationInput!) { submitSeniorApplication(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"unitName": fmt.Sprintf("探针单位%d", n), "uscc": first17 + string(check), "scopeId": scope,
			"holder": map[string]any{"name": "探针", "phone": fmt.Sprintf("1380000%04d", n), "password": "probe-password-1"},
		}}).Codes()
	}},
	{"grant", "give", func(w *healthWorld, token, scope string, n int) []string {
		return w.srv.QueryAs(token, `mutation($a: ID!, $e: Time!) { giveGrant(accountId: $a, kind: PII_VIEWER, expiresAt: $e, reason: "探针", caseNumber: "案2026-1") { id } }`,
			map[string]any{"a": w.scanner.ID, "e": time.Now().Add(time.Hour).Format(time.RFC3339)}).Codes()
	}},
	{"person", "setrisk", func(w *healthWorld, token, scope string, n int) []string {
		return w.srv.QueryAs(token, `mutation($p: ID!) { setRisk(input: {person: $p, risk: CLOSE_CONTACT}) { id } }`,
			map[string]any{"p": w.resident.ID}).Codes()
	}},
	{"person", "test", func(w *healthWorld, token, scope string, n int) []string {
		return w.srv.QueryAs(token, `mutation($p: ID!, $at: Time!) { addTestResult(input: {person: $p, kind: PCR, result: NEGATIVE, sampledAt: $at, source: "探针"}) { kind } }`,
			map[string]any{"p": w.resident.ID, "at": time.Now().Add(-time.Hour).Format(time.RFC3339)}).Codes()
	}},
}

package graph_test

import (
	"fmt"
	"testing"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
)

// issue 11, point 14: seed 001 §9 (车站（含火车、长途客运）可设中级扫码员1名) is the
// default, with no MASHANG_SITE_QUOTAS at all.
func TestASecondIntermediateAtAStationIsRefusedByDefault(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		srv := apitest.New(t, db, httpserver.Config{})
		init := srv.LoginInitiator()
		var st struct{ CreateSite struct{ ID string } }
		srv.QueryAs(init, `mutation($in: CreateSiteInput!) { createSite(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"name": "长春站", "category": "TRANSPORT_HUB", "parentId": fmt.Sprint(f.chaoyangID)}}).Decode(t, &st)
		station := st.CreateSite.ID
		createAccount(t, srv, init, "INTERMEDIATE", station, "站长", "13600000041", "")
		resp := srv.QueryAs(init, `mutation($in: CreateAccountInput!) { createAccount(input: $in) { id } }`,
			map[string]any{"in": map[string]any{"role": "INTERMEDIATE", "scopeId": station,
				"holder": map[string]any{"name": "副站长", "phone": "13600000042", "password": "pass-13600000042"}}})
		wantCodes(t, resp, mashang.EQUOTA)
		// A park has no such cap (seed 001 §9 names none): two are accepted.
		park := fmt.Sprint(f.park.ID)
		createAccount(t, srv, init, "INTERMEDIATE", park, "园长", "13600000043", "")
		createAccount(t, srv, init, "INTERMEDIATE", park, "副园长", "13600000044", "")
	})
}

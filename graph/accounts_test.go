package graph_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
)

// The walk-through, through GraphQL only: approve a senior
// application, log in as the senior, create an intermediate and ordinary
// scanners, disable the intermediate with cascade, see the SMS in the log,
// request reactivation as the intermediate, reactivate it as the senior.
func TestAccountLifecycleThroughGraphQL(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		srv := apitest.New(t, db, httpserver.Config{})
		initiator := srv.LoginInitiator()
		district := fmt.Sprint(f.chaoyangID)
		street := fmt.Sprint(f.tree.ByCode["220104001"].ID)
		community := fmt.Sprint(f.tree.ByCode["220104001001"].ID)

		var app struct{ SubmitSeniorApplication struct{ ID, Status string } }
		srv.QueryAs(initiator, `mutation($in: SeniorApplicationInput!) { submitSeniorApplication(input: $in) { id status } }`,
			map[string]any{"in": map[string]any{"unitName": "长春市朝阳区政务服务中心", "uscc": "91350100M000100Y43", "scopeId": district,
				"holder": map[string]any{"name": "李高级", "phone": "13700000001", "idNumber": "11010519491231002X"}}}).Decode(t, &app)
		if app.SubmitSeniorApplication.Status != "PENDING" {
			t.Fatalf("application %+v", app)
		}
		var decided struct {
			DecideApplication struct {
				Application     struct{ Status string }
				Account         struct{ ID, Role string }
				InitialPassword string
			}
		}
		srv.QueryAs(initiator, `mutation($id: ID!) { decideApplication(id: $id, approve: true) { application { status } account { id role } initialPassword } }`,
			map[string]any{"id": app.SubmitSeniorApplication.ID}).Decode(t, &decided)
		d := decided.DecideApplication
		if d.Application.Status != "APPROVED" || d.Account.Role != "SENIOR" || d.InitialPassword == "" {
			t.Fatalf("decision %+v", d)
		}

		senior := srv.Login("13700000001", d.InitialPassword)
		var viewer struct {
			Viewer struct {
				User        struct{ Name, PhoneMasked, IDNumberMasked string }
				Acting      struct{ Role, ScopePath string }
				Permissions []struct{ Object, Action string }
			}
		}
		srv.QueryAs(senior, `{ viewer { user { name phoneMasked idNumberMasked } acting { role scopePath } permissions { object action } } }`, nil).Decode(t, &viewer)
		if viewer.Viewer.Acting.Role != "SENIOR" || viewer.Viewer.User.PhoneMasked != "137****0001" || viewer.Viewer.User.IDNumberMasked != "110105********002X" {
			t.Fatalf("viewer %+v", viewer.Viewer)
		}
		if !slices.ContainsFunc(viewer.Viewer.Permissions, func(p struct{ Object, Action string }) bool {
			return p.Object == "account:INTERMEDIATE" && p.Action == "create"
		}) {
			t.Fatalf("senior permissions lack account:INTERMEDIATE create: %+v", viewer.Viewer.Permissions)
		}

		create := `mutation($in: CreateAccountInput!) { createAccount(input: $in) { id role status superior { role } } }`
		var inter struct {
			CreateAccount struct{ ID, Role, Status string }
		}
		srv.QueryAs(senior, create, map[string]any{"in": map[string]any{"role": "INTERMEDIATE", "scopeId": street,
			"holder": map[string]any{"name": "张中级", "phone": "13700000002", "password": "intermediate-pass-1"}}}).Decode(t, &inter)
		intermediate := srv.Login("13700000002", "intermediate-pass-1")
		acceptPending(t, srv, intermediate) // issue 10 §2: the holder's consent
		var ord struct{ CreateAccount struct{ ID string } }
		srv.QueryAs(intermediate, create, map[string]any{"in": map[string]any{"role": "ORDINARY", "scopeId": community,
			"holder": map[string]any{"name": "王普通", "phone": "13700000003", "password": "ordinary-pass-01"}}}).Decode(t, &ord)
		var ord2 struct{ CreateAccount struct{ ID string } }
		srv.QueryAs(senior, create, map[string]any{"in": map[string]any{"role": "ORDINARY", "scopeId": community,
			"holder": map[string]any{"name": "赵普通", "phone": "13700000004", "password": "ordinary-pass-02"}}}).Decode(t, &ord2)
		acceptPending(t, srv, srv.Login("13700000003", "ordinary-pass-01"))
		acceptPending(t, srv, srv.Login("13700000004", "ordinary-pass-02"))

		t.Run("OrdinaryScannerCannotCreateAccounts", func(t *testing.T) {
			ordinary := srv.Login("13700000003", "ordinary-pass-01")
			resp := srv.QueryAs(ordinary, create, map[string]any{"in": map[string]any{"role": "ORDINARY", "scopeId": community,
				"holder": map[string]any{"name": "x", "phone": "13700000009", "password": "ordinary-pass-09"}}})
			if !slices.Equal(resp.Codes(), []string{"FORBIDDEN"}) {
				t.Fatalf("errors %+v", resp.Errors)
			}
		})

		var disabled struct {
			DisableAccount struct {
				Account struct{ Status, DisabledReason string }
				Changed []struct{ ID, Status, DisabledReason string }
			}
		}
		srv.QueryAs(senior, `mutation($id: ID!) { disableAccount(id: $id, cascade: true) { account { status disabledReason } changed { id status disabledReason } } }`,
			map[string]any{"id": inter.CreateAccount.ID}).Decode(t, &disabled)
		if dd := disabled.DisableAccount; dd.Account.Status != "DISABLED" || dd.Account.DisabledReason != "MANUAL" || len(dd.Changed) != 2 ||
			dd.Changed[1].ID != ord.CreateAccount.ID || dd.Changed[1].DisabledReason != "CASCADE" {
			t.Fatalf("cascade disable %+v", dd)
		}

		if _, _, _, err := srv.Services.Sender.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		logs := srv.Logs()
		if !strings.Contains(logs, "137****0002") || !strings.Contains(logs, "已被禁用") {
			t.Fatalf("no SMS for the disabled intermediate in the log:\n%s", logs)
		}
		if strings.Contains(logs, "13700000002") {
			t.Fatal("SECURITY: the log holds a full phone number")
		}

		// The intermediate's old token now gives a restricted session only.
		resp := srv.QueryAs(intermediate, `{ sites { totalCount } }`, nil)
		if !slices.Equal(resp.Codes(), []string{"ACCOUNT_DISABLED"}) {
			t.Fatalf("a disabled account read sites: %+v", resp.Errors)
		}
		restricted := srv.Login("13700000002", "intermediate-pass-1")
		var req struct{ RequestReactivation struct{ Status string } }
		srv.QueryAs(restricted, `mutation($id: ID!) { requestReactivation(id: $id, note: "已恢复上岗") { status } }`,
			map[string]any{"id": inter.CreateAccount.ID}).Decode(t, &req)
		if req.RequestReactivation.Status != "PENDING" {
			t.Fatalf("request %+v", req)
		}
		var pending struct {
			PendingReactivations struct {
				Edges []struct {
					Node struct{ Account struct{ ID string } }
				}
			}
		}
		srv.QueryAs(senior, `{ pendingReactivations { edges { node { account { id } } } } }`, nil).Decode(t, &pending)
		if e := pending.PendingReactivations.Edges; len(e) != 1 || e[0].Node.Account.ID != inter.CreateAccount.ID {
			t.Fatalf("pending %+v", pending)
		}
		var activated struct {
			ActivateAccount struct{ Changed []struct{ ID, Status string } }
		}
		srv.QueryAs(senior, `mutation($id: ID!) { activateAccount(id: $id, cascade: true) { changed { id status } } }`,
			map[string]any{"id": inter.CreateAccount.ID}).Decode(t, &activated)
		if ch := activated.ActivateAccount.Changed; len(ch) != 2 || ch[0].Status != "ACTIVE" || ch[1].Status != "ACTIVE" {
			t.Fatalf("activate %+v", activated)
		}
		// The other ordinary scanner was never touched.
		var other struct{ Node struct{ Status string } }
		srv.QueryAs(senior, `query($id: ID!) { node(id: $id) { ... on Account { status } } }`, map[string]any{"id": ord2.CreateAccount.ID}).Decode(t, &other)
		if other.Node.Status != "ACTIVE" {
			t.Fatalf("untouched ordinary is %s", other.Node.Status)
		}

		t.Run("GrantsFromTheInitiatorOnly", func(t *testing.T) {
			give := `mutation($a: ID!, $k: GrantKind!, $e: Time!) { giveGrant(accountId: $a, kind: $k, expiresAt: $e, reason: "流调需要", caseNumber: "案2026-1") { kind expiresAt } }`
			expires := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
			resp := srv.QueryAs(senior, give, map[string]any{"a": d.Account.ID, "k": "PII_VIEWER", "e": expires})
			if !slices.Equal(resp.Codes(), []string{"FORBIDDEN"}) {
				t.Fatalf("SECURITY: a senior gave itself a grant: %+v", resp.Errors)
			}
			resp = srv.QueryAs(initiator, give, map[string]any{"a": d.Account.ID, "k": "PII_VIEWER", "e": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)})
			if !slices.Equal(resp.Codes(), []string{"INVALID_INPUT"}) {
				t.Fatalf("expired grant: %+v", resp.Errors)
			}
			var given struct{ GiveGrant struct{ Kind string } }
			srv.QueryAs(initiator, give, map[string]any{"a": d.Account.ID, "k": "PII_VIEWER", "e": expires}).Decode(t, &given)
			var v struct {
				Viewer struct {
					Permissions []struct{ Object, Action string }
					Grants      []struct{ Kind string }
				}
			}
			srv.QueryAs(senior, `{ viewer { permissions { object action } grants { kind } } }`, nil).Decode(t, &v)
			if len(v.Viewer.Grants) != 1 || !slices.ContainsFunc(v.Viewer.Permissions, func(p struct{ Object, Action string }) bool {
				return p.Object == "person" && p.Action == "unmask"
			}) {
				t.Fatalf("after the grant: %+v", v.Viewer)
			}
		})
	})
}

package graph_test

import (
	"slices"
	"testing"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
)

// Query.grants lists every grant to the INITIATOR who gives them (the
// /grants page of the admin SPA), revoked ones too, and only its own to
// anyone else.
func TestAnOfficialListsOnlyItsOwnGrants(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		give := `mutation($a: ID!, $e: Time!) { giveGrant(accountId: $a, kind: TRACER, expiresAt: $e, reason: "流调", caseNumber: "案2026-1") { id } }`
		expires := time.Now().Add(time.Hour).Format(time.RFC3339)
		var mine, other, revoked struct{ GiveGrant struct{ ID string } }
		w.srv.QueryAs(w.initiator, give, map[string]any{"a": w.official.ID, "e": expires}).Decode(t, &mine)
		w.srv.QueryAs(w.initiator, give, map[string]any{"a": w.outsider.ID, "e": expires}).Decode(t, &other)
		w.srv.QueryAs(w.initiator, give, map[string]any{"a": w.grid.ID, "e": expires}).Decode(t, &revoked)
		w.srv.QueryAs(w.initiator, `mutation($id: ID!) { revokeGrant(id: $id) { id } }`, map[string]any{"id": revoked.GiveGrant.ID}).Decode(t, &struct{}{})

		list := func(token string) []string {
			t.Helper()
			var out struct {
				Grants struct {
					TotalCount int
					Edges      []struct{ Node struct{ ID string } }
				}
			}
			w.srv.QueryAs(token, `{ grants(first: 50) { totalCount edges { node { id account { id } } } } }`, nil).Decode(t, &out)
			var ids []string
			for _, e := range out.Grants.Edges {
				ids = append(ids, e.Node.ID)
			}
			if len(ids) != out.Grants.TotalCount {
				t.Fatalf("totalCount %d, %d edges", out.Grants.TotalCount, len(ids))
			}
			slices.Sort(ids)
			return ids
		}
		all := []string{mine.GiveGrant.ID, other.GiveGrant.ID, revoked.GiveGrant.ID}
		slices.Sort(all)
		if got := list(w.initiator); !slices.Equal(got, all) {
			t.Fatalf("the initiator lists %v, want %v", got, all)
		}
		if got := list(w.official.token); !slices.Equal(got, []string{mine.GiveGrant.ID}) {
			t.Fatalf("SECURITY: an official lists %v, want only its own %s", got, mine.GiveGrant.ID)
		}
		if got := list(w.scanner.token); len(got) != 0 {
			t.Fatalf("SECURITY: a scanner lists grants %v", got)
		}
		wantCodes(t, w.srv.Query(`{ grants(first: 5) { totalCount } }`, nil), "UNAUTHENTICATED")
	})
}

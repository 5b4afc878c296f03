package graph_test

import (
	"slices"
	"testing"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
)

// TestErrorCodesOnTheWire checks the codes that gqlgen and ent's generated
// code set, not ours: the enum ErrorCode promises clients they arrive as
// errors.go spells them. It also checks the presenter's typed mapping.
func TestErrorCodesOnTheWire(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		tr := apitest.NewTree(t, db.Client)
		tr.Add("", "22", "吉林省")
		tr.Add("22", "2201", "长春市")
		srv := apitest.New(t, db, httpserver.Config{})
		want := func(t *testing.T, resp *apitest.Response, code string) {
			t.Helper()
			if !slices.Equal(resp.Codes(), []string{code}) {
				t.Fatalf("errors = %+v, want one %s", resp.Errors, code)
			}
		}
		t.Run("ErrParseFailed", func(t *testing.T) {
			want(t, srv.Query(`{ regions(`, nil), mashang.EGRAPHQLPARSE)
		})
		t.Run("ErrValidationFailed", func(t *testing.T) {
			want(t, srv.Query(`{ noSuchField }`, nil), mashang.EGRAPHQLVALIDATION)
		})
		t.Run("ErrPersistedQueryNotFound", func(t *testing.T) {
			body := `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"` +
				"0000000000000000000000000000000000000000000000000000000000000000" + `"}}}`
			want(t, srv.Post([]byte(body)), mashang.EPERSISTEDQUERYNOTFOUND)
		})
		t.Run("ErrInvalidPagination", func(t *testing.T) {
			want(t, srv.Query(`{ regions(first: 5) { edges { node { children(first: -1) { totalCount } } } } }`, nil),
				mashang.EINVALIDPAGINATION)
		})
		t.Run("ErrBadCursorIsInvalidInput", func(t *testing.T) {
			resp := srv.Query(`query($after: Cursor) { regions(after: $after) { totalCount } }`, map[string]any{"after": "not-a-cursor"})
			want(t, resp, mashang.EINVALID)
			if e := resp.Errors[0]; e.Extensions["messageKey"] != "invalidCursorPassThe" || e.Extensions["field"] != "after" {
				t.Errorf("error = %+v", e)
			}
		})
		t.Run("ErrUnknownNodeType", func(t *testing.T) {
			// An ID in no table's range: ent cannot resolve its table.
			resp := srv.Query(`{ node(id: "99999999999") { id } }`, nil)
			want(t, resp, mashang.ENOTFOUND)
		})
	})
}

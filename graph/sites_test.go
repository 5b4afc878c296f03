package graph_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
)

// TestWithinASiteOutsideScope: `within` resolves a site through the
// caller's scope filter, so a site outside it is NOT_FOUND, exactly like an
// ID that names nothing; INVALID_INPUT ("takes the ID of a region") would
// tell the caller that the site exists.
func TestWithinASiteOutsideScope(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		srv := apitest.New(t, db, httpserver.Config{})
		q := `query($w: ID!) { regions(where: {within: $w}) { totalCount } }`
		t.Run("AsAnonymous", func(t *testing.T) {
			resp := srv.Query(q, map[string]any{"w": fmt.Sprint(f.park.ID)})
			if !slices.Equal(resp.Codes(), []string{"NOT_FOUND"}) {
				t.Fatalf("SECURITY: errors = %+v, want NOT_FOUND", resp.Errors)
			}
		})
		t.Run("AsTheInitiator", func(t *testing.T) {
			// The control: a site in scope is found, and is not a region.
			resp := srv.QueryAs(srv.LoginInitiator(), q, map[string]any{"w": fmt.Sprint(f.park.ID)})
			if !slices.Equal(resp.Codes(), []string{"INVALID_INPUT"}) {
				t.Fatalf("errors = %+v, want INVALID_INPUT", resp.Errors)
			}
		})
	})
}

package httpaudit_test

import (
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
)

// The graphql-http audit finds no MUST and no SHOULD failure: parse,
// validation and variable-coercion errors answer 200 with application/json
// and 400 without a data entry with application/graphql-response+json.
// Admission control is off: the audit fires its requests at once, a burst
// that a loaded test machine would rightly shed with 503 OVERLOADED.
func TestGraphQLOverHTTPAudit(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		srv := apitest.New(t, db, httpserver.Config{Admission: httpserver.AdmissionOff})
		out := runNode(t, "audit.mjs", srv.URL+"/graphql")
		t.Log(out)
	})
}

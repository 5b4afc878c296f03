package httpserver_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
)

// Issue 10 #1: a body the server cannot use is refused with INVALID_INPUT,
// and neither the answer nor the log holds any of it. gqlgen's own answer
// to such a body was INTERNAL, with the whole body (a login's password)
// in the error text the presenter logged.
func TestAClientSendingAMalformedLoginBodyLeavesNoPasswordInTheLog(t *testing.T) {
	const (
		password = "Sup3rSecretPassw0rd"
		phone    = "13912345678"
		idNumber = "22010419900307011X"
	)
	login := `"query": "mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { accessToken } }"`
	vars := fmt.Sprintf(`"variables": {"p": %q, "w": %q, "id": %q}`, phone, password, idNumber)
	bodies := map[string]string{
		"trailing comma":          `{` + login + `, ` + vars + `,}`,
		"NaN":                     `{` + login + `, ` + vars[:len(vars)-1] + `, "t": NaN}}`,
		"Infinity":                `{` + login + `, ` + vars[:len(vars)-1] + `, "t": -Infinity}}`,
		"unclosed":                `{` + login + `, ` + vars,
		"query not a string":      `{"query": ["` + password + `"], ` + vars + `}`,
		"variables not an object": `{` + login + `, "variables": ["` + phone + `", "` + password + `", "` + idNumber + `"]}`,
		"operationName an object": `{` + login + `, ` + vars + `, "operationName": {"x": "` + password + `"}}`,
		"not an object":           `"` + password + ` ` + phone + ` ` + idNumber + `"`,
		"bad UTF-8 and garbage":   "{\xff" + password + phone + idNumber,
	}
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		srv := apitest.New(t, db, httpserver.Config{})
		for name, body := range bodies {
			resp := srv.Post([]byte(body))
			if resp.Status != http.StatusBadRequest || !slices.Equal(resp.Codes(), []string{mashang.EINVALID}) {
				t.Errorf("%s: answered %d %+v, want 400 INVALID_INPUT", name, resp.Status, resp.Errors)
			}
			for _, e := range resp.Errors {
				if strings.Contains(fmt.Sprint(e), password) || strings.Contains(fmt.Sprint(e), phone) {
					t.Errorf("SECURITY: %s: the answer echoes the body: %+v", name, e)
				}
			}
		}
		logs := srv.Logs()
		for _, secret := range []string{password, phone, idNumber, idNumber[:14], phone[3:]} {
			if strings.Contains(logs, secret) {
				t.Errorf("SECURITY: the log holds %q of a request body:\n%s", secret, logs)
			}
		}
		if !strings.Contains(logs, `"status":400`) {
			t.Errorf("the refused requests were not logged at all:\n%s", logs)
		}
	})
}

// Issue 10 #13: a 2 MB body is PAYLOAD_TOO_LARGE (413), and a batch is
// still BATCH_NOT_SUPPORTED, whatever blanks precede it.
func TestAClientSendingAnOversizeOrBatchedBodyGetsAClearCode(t *testing.T) {
	db := dbtest.Open(t, "sqlite3", database.Options{})
	srv := apitest.New(t, db, httpserver.Config{})
	big := `{"query": "{ __typename }", "variables": {"pad": "` + strings.Repeat("x", 2<<20) + `"}}`
	if resp := srv.Post([]byte(big)); resp.Status != http.StatusRequestEntityTooLarge || !slices.Equal(resp.Codes(), []string{mashang.EPAYLOADTOOLARGE}) {
		t.Fatalf("a 2 MB body answered %d %+v", resp.Status, resp.Errors)
	}
	if resp := srv.Post([]byte("\r\n [ {\"query\": \"{ __typename }\"} ]")); resp.Status != http.StatusBadRequest || !slices.Equal(resp.Codes(), []string{mashang.EBATCHNOTSUPPORTED}) {
		t.Fatalf("a batch answered %d %+v", resp.Status, resp.Errors)
	}
}

// Issue 10 #4: an anonymous client that gives every request a new
// operation name (or asks for fields that do not exist) cannot grow
// /metrics: operations are labelled by the root field they ask for.
func TestAClientInventingOperationNamesCannotGrowTheMetrics(t *testing.T) {
	db := dbtest.Open(t, "sqlite3", database.Options{})
	srv := apitest.New(t, db, httpserver.Config{})
	srv.Query(`query Warm { __typename }`, nil)
	srv.Query(`query WarmBad { noSuchField }`, nil)
	_, before := srv.Get("/metrics")
	for i := range 5000 {
		q := fmt.Sprintf(`query Op%d { __typename }`, i)
		if i%2 == 1 {
			q = fmt.Sprintf(`query Op%d { noSuchField%d }`, i, i)
		}
		srv.Query(q, nil)
	}
	_, after := srv.Get("/metrics")
	grown := strings.Count(after, "\n") - strings.Count(before, "\n")
	if grown > 40 {
		t.Fatalf("SECURITY: 5,000 made-up operation names added %d lines to /metrics", grown)
	}
	if strings.Contains(after, `operation="Op`) {
		t.Fatalf("SECURITY: a client-chosen operation name is a metric label")
	}
	if !strings.Contains(after, `mashang_graphql_operations_total{operation="__typename",outcome="ok",type="query"} 2501`) {
		t.Errorf("operations not counted by root field:\n%s", grep(after, "mashang_graphql_operations_total"))
	}
}

func grep(s, substr string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, substr) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

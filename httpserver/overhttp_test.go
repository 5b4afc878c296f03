package httpserver_test

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
)

// Request errors follow GraphQL over HTTP (the graphql-http audit in
// internal/httpaudit checks the same and more, when Node is installed):
// 200 under application/json, 400 under application/graphql-response+json,
// and no data entry under either; a body that is not JSON is 400.
func TestRequestErrorStatusFollowsGraphQLOverHTTP(t *testing.T) {
	srv := apitest.New(t, dbtest.Open(t, "sqlite3", database.Options{}), httpserver.Config{})
	const (
		jsonMedia = "application/json"
		respMedia = "application/graphql-response+json"
	)
	for _, tc := range []struct {
		name, method, body, accept string
		status                     int
		media, code                string
		data                       bool // a data entry is present
	}{
		{"ParseFailureJSON", "POST", `{"query":"{"}`, jsonMedia, 200, jsonMedia, "GRAPHQL_PARSE_FAILED", false},
		{"ParseFailureGraphQLResponse", "POST", `{"query":"{"}`, respMedia, 400, respMedia, "GRAPHQL_PARSE_FAILED", false},
		{"ValidationFailureJSON", "POST", `{"query":"{ nope }"}`, jsonMedia, 200, jsonMedia, "GRAPHQL_VALIDATION_FAILED", false},
		{"ValidationFailureGraphQLResponse", "POST", `{"query":"{ nope }"}`, respMedia, 400, respMedia, "GRAPHQL_VALIDATION_FAILED", false},
		{"VariableCoercionJSON", "POST", `{"query":"query($c: String!) { regionByCode(code: $c) { name } }","variables":{"c":null}}`, jsonMedia, 200, jsonMedia, "GRAPHQL_VALIDATION_FAILED", false},
		{"VariableCoercionGraphQLResponse", "POST", `{"query":"query($c: String!) { regionByCode(code: $c) { name } }","variables":{"c":null}}`, respMedia, 400, respMedia, "GRAPHQL_VALIDATION_FAILED", false},
		{"ParseFailureGETDefaultsToJSON", "GET", "{", "", 200, jsonMedia, "GRAPHQL_PARSE_FAILED", false},
		{"ParseFailureGETAnyMedia", "GET", "{", "*/*", 200, jsonMedia, "GRAPHQL_PARSE_FAILED", false},
		{"BodyNotJSON", "POST", `{`, jsonMedia, 400, jsonMedia, "", false},
		{"BodyNotJSONGraphQLResponse", "POST", `{`, respMedia, 400, respMedia, "", false},
		{"Success", "POST", `{"query":"{ __typename }"}`, respMedia, 200, respMedia, "", true},
		// Execution started: data is present (null) and the status is 200.
		{"ExecutionErrorGraphQLResponse", "POST", `{"query":"{ regionByCode(code: \"999999999999\") { name } }"}`, respMedia, 200, respMedia, "NOT_FOUND", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var req *http.Request
			if tc.method == "GET" {
				req, _ = http.NewRequest("GET", srv.URL+"/graphql?query="+url.QueryEscape(tc.body), nil)
			} else {
				req, _ = http.NewRequest("POST", srv.URL+"/graphql", strings.NewReader(tc.body))
				req.Header.Set("Content-Type", "application/json")
			}
			if tc.accept != "" {
				req.Header.Set("Accept", tc.accept)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			media, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
			if resp.StatusCode != tc.status || media != tc.media {
				t.Fatalf("%d %s, want %d %s: %s", resp.StatusCode, media, tc.status, tc.media, raw)
			}
			var body struct {
				Data   *json.RawMessage `json:"data"`
				Errors []struct {
					Extensions map[string]any `json:"extensions"`
				} `json:"errors"`
			}
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Fatalf("not JSON: %s", raw)
			}
			if _, has := jsonKeys(t, raw)["data"]; has != tc.data {
				t.Errorf("data entry present = %v, want %v: %s", has, tc.data, raw)
			}
			if tc.code != "" && (len(body.Errors) == 0 || body.Errors[0].Extensions["code"] != tc.code) {
				t.Errorf("want the first error coded %s: %s", tc.code, raw)
			}
		})
	}
}

func jsonKeys(t *testing.T, raw []byte) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("not a JSON object: %s", raw)
	}
	return m
}

package graph_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
)

// queryIn posts an anonymous operation with an Accept-Language header ("" for none).
func queryIn(t *testing.T, srv *apitest.Server, acceptLanguage, query string) *apitest.Response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req, err := http.NewRequest("POST", srv.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if acceptLanguage != "" {
		req.Header.Set("Accept-Language", acceptLanguage)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := &apitest.Response{Status: resp.StatusCode}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("not GraphQL JSON: %s", raw)
	}
	if len(out.Errors) != 1 {
		t.Fatalf("want one error, got %s", raw)
	}
	return out
}

func isChinese(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

// TestMessagesInTheCallersLanguage: Chinese by default, English when
// Accept-Language prefers it, and always code, messageKey and params.
func TestMessagesInTheCallersLanguage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		tr := apitest.NewTree(t, db.Client)
		tr.Add("", "22", "吉林省")
		srv := apitest.New(t, db, httpserver.Config{})
		unknown := `{ regionByCode(code:"999999") { name } }`
		for _, c := range []struct{ header, want string }{
			{"", "zh"}, {"zh-CN,zh;q=0.9,en;q=0.8", "zh"}, {"fr-FR", "zh"}, {"not a header", "zh"},
			{"en", "en"}, {"en-US,en;q=0.9,zh-CN;q=0.5", "en"},
		} {
			t.Run("AcceptLanguage="+c.header, func(t *testing.T) {
				e := queryIn(t, srv, c.header, unknown).Errors[0]
				if e.Code() != "NOT_FOUND" || e.Extensions["messageKey"] != "noRegionHasThe" {
					t.Fatalf("error = %+v", e)
				}
				if params, _ := e.Extensions["params"].(map[string]any); params["Code"] != "999999" {
					t.Fatalf("params = %v", e.Extensions["params"])
				}
				if isChinese(e.Message) != (c.want == "zh") || !strings.Contains(e.Message, "999999") {
					t.Fatalf("message %q, want it in %s", e.Message, c.want)
				}
			})
		}
		t.Run("GraphQLErrorsToo", func(t *testing.T) {
			e := queryIn(t, srv, "", `{ noSuchField }`).Errors[0]
			if !isChinese(e.Message) || e.Extensions["messageKey"] != "code.GRAPHQL_VALIDATION_FAILED" {
				t.Fatalf("error = %+v", e)
			}
			if params, _ := e.Extensions["params"].(map[string]any); !strings.Contains(params["detail"].(string), "noSuchField") {
				t.Fatalf("params = %v", e.Extensions["params"])
			}
		})
	})
}

// TestMalformedIDIsInvalidInputNamingTheArgument: no Go text
// (strconv.Atoi: parsing …) reaches a client.
func TestMalformedIDIsInvalidInputNamingTheArgument(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		srv := apitest.New(t, db, httpserver.Config{})
		for _, lang := range []string{"", "en"} {
			e := queryIn(t, srv, lang, `{ node(id: "abc") { id } }`).Errors[0]
			if e.Code() != "INVALID_INPUT" || e.Extensions["field"] != "id" || e.Extensions["messageKey"] != "isNotAValid" {
				t.Fatalf("error = %+v", e)
			}
			if !strings.Contains(e.Message, "id") || strings.Contains(e.Message, "strconv") || strings.Contains(e.Message, "parsing") {
				t.Fatalf("message = %q", e.Message)
			}
			if isChinese(e.Message) != (lang == "") {
				t.Fatalf("message %q in the wrong language for %q", e.Message, lang)
			}
		}
	})
}

package httpserver_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/graph"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
)

// uploadRequest builds a graphql-multipart-request-spec request: the
// operations, the map, then the file part "0" for variables.f.
func uploadRequest(t *testing.T, url, token, filename string, content []byte) *http.Request {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	ops, _ := json.Marshal(map[string]any{
		"query":     `mutation($f: Upload) { importControlList(file: $f) { id status } }`,
		"variables": map[string]any{"f": nil},
	})
	_ = mw.WriteField("operations", string(ops))
	_ = mw.WriteField("map", `{"0": ["variables.f"]}`)
	fw, err := mw.CreateFormFile("0", filename)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(content)
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, url+"/graphql", &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	return req
}

func do(t *testing.T, req *http.Request) (*http.Response, *apitest.Response) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := &apitest.Response{Status: resp.StatusCode}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("answer is not GraphQL JSON (status %d): %.300s", resp.StatusCode, raw)
	}
	return resp, out
}

// The Upload scalar works over multipart requests, up to the documented
// 10 MiB control list, although a JSON body is capped at 1 MiB.
func TestMultipartUploadOfAControlList(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		srv := apitest.New(t, db, httpserver.Config{})
		token := srv.LoginInitiator()

		t.Run("Small", func(t *testing.T) {
			csv := "id_number,risk,quarantine_end\n"
			_, resp := do(t, uploadRequest(t, srv.URL, token, "管控名单.csv", []byte(csv)))
			var got struct{ ImportControlList struct{ ID, Status string } }
			resp.Decode(t, &got)
			if got.ImportControlList.ID == "" {
				t.Fatalf("no import job: %+v", resp)
			}
		})
		t.Run("TenMiB", func(t *testing.T) {
			// A zip of exactly 10 MiB (one stored entry, no workbook): the
			// upload is accepted; its job fails later, which is not ours.
			content := tenMiBZip(t)
			_, resp := do(t, uploadRequest(t, srv.URL, token, "big.xlsx", content))
			var got struct{ ImportControlList struct{ ID string } }
			resp.Decode(t, &got)
			if got.ImportControlList.ID == "" {
				t.Fatalf("no import job for a 10 MiB list: %+v", resp)
			}
		})
		t.Run("TooLarge", func(t *testing.T) {
			content := make([]byte, graph.DefaultMaxUploadBytes+1)
			httpResp, resp := do(t, uploadRequest(t, srv.URL, token, "huge.csv", content))
			if httpResp.StatusCode != http.StatusRequestEntityTooLarge || !slices.Equal(resp.Codes(), []string{mashang.EPAYLOADTOOLARGE}) {
				t.Fatalf("an upload over the cap answered %d %+v", httpResp.StatusCode, resp.Errors)
			}
		})
		t.Run("JSONBodyWithoutLengthKeepsItsCap", func(t *testing.T) {
			// Chunked: no Content-Length announces the size, so the cap is
			// met while reading; the answer is still 413, not gqlgen's 200.
			body := `{"query": "{ __typename }", "variables": {"pad": "` + strings.Repeat("x", 2<<20) + `"}}`
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/graphql", io.MultiReader(strings.NewReader(body)))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			httpResp, resp := do(t, req)
			if req.ContentLength != 0 || httpResp.StatusCode != http.StatusRequestEntityTooLarge || !slices.Equal(resp.Codes(), []string{mashang.EPAYLOADTOOLARGE}) {
				t.Fatalf("a chunked 2 MiB JSON body answered %d %+v", httpResp.StatusCode, resp.Errors)
			}
		})
		t.Run("JSONBodyKeepsItsCap", func(t *testing.T) {
			body := `{"query": "{ __typename }", "variables": {"pad": "` + strings.Repeat("x", 2<<20) + `"}}`
			if resp := srv.Post([]byte(body)); resp.Status != http.StatusRequestEntityTooLarge {
				t.Fatalf("a 2 MiB JSON body answered %d %+v", resp.Status, resp.Errors)
			}
		})
	})
}

// A batched (JSON array) body is refused with a code that says what to do,
// not INTERNAL.
func TestBatchedRequestRefused(t *testing.T) {
	db := dbtest.Open(t, "sqlite3", database.Options{})
	srv := apitest.New(t, db, httpserver.Config{})
	for _, body := range []string{`[{"query": "{ __typename }"}]`, " \n\t[{\"query\": \"{ __typename }\"}, {\"query\": \"{ __typename }\"}]"} {
		resp := srv.Post([]byte(body))
		if resp.Status != http.StatusBadRequest || !slices.Equal(resp.Codes(), []string{mashang.EBATCHNOTSUPPORTED}) ||
			!strings.Contains(resp.Errors[0].Message, "每个请求只发送一个操作") {
			t.Fatalf("batch %.30q answered %d %+v", body, resp.Status, resp.Errors)
		}
	}
	var got struct {
		Typename string `json:"__typename"`
	}
	srv.Post([]byte(` {"query": "{ __typename }"}`)).Decode(t, &got)
	if got.Typename != "Query" {
		t.Fatalf("a single operation after blanks answered %+v", got)
	}
}

// @defer is not advertised (no transport streams incremental results), and
// a document that uses it is refused rather than silently answered whole.
func TestDeferNotAdvertised(t *testing.T) {
	db := dbtest.Open(t, "sqlite3", database.Options{})
	srv := apitest.New(t, db, httpserver.Config{})
	var got struct {
		Schema struct{ Directives []struct{ Name string } } `json:"__schema"`
	}
	srv.Query(`{ __schema { directives { name } } }`, nil).Decode(t, &got)
	var names []string
	for _, d := range got.Schema.Directives {
		names = append(names, d.Name)
	}
	if slices.Contains(names, "defer") || !slices.Contains(names, "include") {
		t.Fatalf("introspected directives %v: want include, not defer", names)
	}
	resp := srv.Query(`{ ... @defer { __typename } }`, nil)
	if !slices.Equal(resp.Codes(), []string{mashang.EGRAPHQLVALIDATION}) {
		t.Fatalf("a @defer document answered %+v", resp)
	}
}

// Dashboards on the allowed origins (MASHANG_ALLOWED_ORIGINS) may call the
// API from the browser; other origins get no CORS headers.
func TestCORS(t *testing.T) {
	db := dbtest.Open(t, "sqlite3", database.Options{})
	srv := apitest.New(t, db, httpserver.Config{Limits: graph.Limits{AllowedOrigins: []string{"dash.example.org", "*.gov.cn"}}})
	request := func(method, path, origin string, header map[string]string) *http.Response {
		t.Helper()
		var body io.Reader
		if method == http.MethodPost {
			body = strings.NewReader(`{"query": "{ __typename }"}`)
		}
		req, _ := http.NewRequest(method, srv.URL+path, body)
		req.Header.Set("Origin", origin)
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/json")
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	preflight := map[string]string{"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type"}
	varyOrigin := func(t *testing.T, resp *http.Response) {
		t.Helper()
		if !strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "Origin") {
			t.Errorf("Vary = %q, want Origin", resp.Header.Values("Vary"))
		}
	}

	t.Run("Allowed", func(t *testing.T) {
		for _, origin := range []string{"https://dash.example.org", "https://wjw.jl.gov.cn"} {
			resp := request(http.MethodPost, "/graphql", origin, nil)
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Access-Control-Allow-Origin") != origin {
				t.Fatalf("%s: %d, Access-Control-Allow-Origin %q", origin, resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
			}
			if resp.Header.Get("Access-Control-Allow-Credentials") != "" {
				t.Errorf("credentials allowed although the API uses bearer tokens only")
			}
			if !strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "X-Request-Id") {
				t.Errorf("Access-Control-Expose-Headers = %q", resp.Header.Get("Access-Control-Expose-Headers"))
			}
			varyOrigin(t, resp)
		}
		// A refused token is readable too, so the dashboard can log in again.
		resp := request(http.MethodPost, "/graphql", "https://dash.example.org", map[string]string{"Authorization": "Bearer nonsense"})
		if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("Access-Control-Allow-Origin") != "https://dash.example.org" {
			t.Fatalf("bad token: %d, Access-Control-Allow-Origin %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
		}
	})
	t.Run("Disallowed", func(t *testing.T) {
		for _, origin := range []string{"https://evil.example.com", "https://dash.example.org.evil.com", "https://gov.cn.evil.com", "null"} {
			resp := request(http.MethodPost, "/graphql", origin, nil)
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
				t.Fatalf("SECURITY: %s got Access-Control-Allow-Origin %q", origin, got)
			}
			varyOrigin(t, resp)
			resp = request(http.MethodOptions, "/graphql", origin, preflight)
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" || resp.Header.Get("Access-Control-Allow-Methods") != "" {
				t.Fatalf("SECURITY: preflight from %s allowed: %q", origin, got)
			}
		}
	})
	t.Run("Preflight", func(t *testing.T) {
		resp := request(http.MethodOptions, "/graphql", "https://dash.example.org", preflight)
		h := resp.Header
		if resp.StatusCode != http.StatusNoContent || h.Get("Access-Control-Allow-Origin") != "https://dash.example.org" {
			t.Fatalf("preflight: %d, Access-Control-Allow-Origin %q", resp.StatusCode, h.Get("Access-Control-Allow-Origin"))
		}
		if !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") {
			t.Errorf("Access-Control-Allow-Methods = %q", h.Get("Access-Control-Allow-Methods"))
		}
		allowed := strings.ToLower(h.Get("Access-Control-Allow-Headers"))
		if !strings.Contains(allowed, "authorization") || !strings.Contains(allowed, "content-type") {
			t.Errorf("Access-Control-Allow-Headers = %q", allowed)
		}
		if h.Get("Access-Control-Max-Age") != "600" || h.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("Max-Age %q, Allow-Credentials %q", h.Get("Access-Control-Max-Age"), h.Get("Access-Control-Allow-Credentials"))
		}
		varyOrigin(t, resp)
		// A header the API does not read is not allowed.
		resp = request(http.MethodOptions, "/graphql", "https://dash.example.org", map[string]string{"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-evil"})
		if resp.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("preflight with an unknown header allowed")
		}
		// The published code keys are an API endpoint too.
		resp = request(http.MethodOptions, "/.well-known/health-code-keys", "https://dash.example.org", map[string]string{"Access-Control-Request-Method": "GET"})
		if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "https://dash.example.org" {
			t.Fatalf("keys preflight: %d %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
		}
	})
}

// tenMiBZip is a zip archive of exactly 10 MiB: one stored entry, and a
// comment making up the rest.
func tenMiBZip(t *testing.T) []byte {
	t.Helper()
	build := func(comment string) []byte {
		var buf bytes.Buffer
		z := zip.NewWriter(&buf)
		w, err := z.CreateHeader(&zip.FileHeader{Name: "pad.bin", Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(make([]byte, 10<<20-4096))
		if err := z.SetComment(comment); err != nil {
			t.Fatal(err)
		}
		if err := z.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	out := build(strings.Repeat("x", 10<<20-len(build(""))))
	if len(out) != 10<<20 {
		t.Fatalf("the zip has %d bytes", len(out))
	}
	return out
}

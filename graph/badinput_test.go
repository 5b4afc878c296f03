package graph_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/internal/apitest"
)

// written counts the rows an attack could have written.
func written(t *testing.T, db *database.DB) string {
	t.Helper()
	ctx, c := context.Background(), db.Client
	persons, err1 := c.Person.Query().Count(ctx)
	scans, err2 := c.Scan.Query().Count(ctx)
	decls, err3 := c.HealthDeclaration.Query().Count(ctx)
	audit, err4 := c.AuditEvent.Query().Count(ctx)
	for _, err := range []error{err1, err2, err3, err4} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return fmt.Sprintf("persons %d, scans %d, declarations %d, audit events %d", persons, scans, decls, audit)
}

// refusedUnwritten asserts that resp is refused with code and nothing was
// written since before.
func refusedUnwritten(t *testing.T, w *healthWorld, what, before string, resp *apitest.Response, code string) {
	t.Helper()
	if !slices.Equal(resp.Codes(), []string{code}) {
		t.Errorf("%s: answered %d %+v, want %s", what, resp.Status, resp.Errors, code)
	}
	if after := written(t, w.db); after != before {
		t.Errorf("%s wrote: before %s, after %s", what, before, after)
	}
}

const (
	registerMutation = `mutation($in: RegisterPersonInput!) { registerPerson(input: $in) { person { id } } }`
	declareMutation  = `mutation($in: DeclareHealthInput!) { declareHealth(input: $in) { day } }`
	scansMutation    = `mutation($in: [ScanInput!]!) { recordScans(input: $in) { stored failed } }`
)

// Issue 10 #13: PostgreSQL's text cannot hold U+0000; a string with one was
// an INTERNAL error from the database. It is refused with INVALID_INPUT
// before any resolver runs, on every input, variable or literal.
func TestAnAttackerSendingNULBytesWritesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		before := written(t, db)
		id := validID(t, "22010419900307051")
		resp := w.srv.Query(registerMutation, map[string]any{"in": map[string]any{"name": "张\x00三", "idNumber": id}})
		refusedUnwritten(t, w, "registerPerson with a NUL in the name", before, resp, mashang.EINVALID)
		if len(resp.Errors) == 1 && resp.Errors[0].Extensions["field"] != "in.name" && resp.Errors[0].Extensions["field"] != "input.name" {
			t.Errorf("field %v, want the name", resp.Errors[0].Extensions["field"])
		}
		resp = w.srv.Query(`mutation { registerPerson(input: {name: "张\u0000三", idNumber: "`+id+`"}) { person { id } } }`, nil)
		refusedUnwritten(t, w, "a literal NUL", before, resp, mashang.EINVALID)
		resp = w.srv.Query(declareMutation, map[string]any{"in": map[string]any{"personToken": w.resident.Token, "travel": "北京\x00", "symptoms": []string{"咳\x00嗽"}}})
		refusedUnwritten(t, w, "declareHealth with NULs", before, resp, mashang.EINVALID)
		resp = w.srv.QueryAs(w.scanner.token, scansMutation, map[string]any{"in": []any{
			map[string]any{"clientId": "ok-1", "site": w.park, "method": "MANUAL", "temperature": 36.5, "manual": map[string]any{"name": "李四", "idNumber": validID(t, "22010419900307061")}},
			map[string]any{"clientId": "nul\x00", "site": w.park, "method": "MANUAL", "temperature": 36.5, "manual": map[string]any{"name": "李四", "idNumber": validID(t, "22010419900307061")}},
		}})
		refusedUnwritten(t, w, "a batch with one NUL", before, resp, mashang.EINVALID)
	})
}

// Issue 10 #13: NaN and Infinity are not JSON, and 1e999 is no float64:
// each is refused with INVALID_INPUT, nothing stored.
func TestAnAttackerSendingNaNOrInfinityWritesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		before := written(t, db)
		for _, temp := range []string{"NaN", "Infinity", "-Infinity", "1e999", "-1e400"} {
			body := fmt.Sprintf(`{"query": %q, "variables": {"in": {"personToken": %q, "temperature": %s}}}`, declareMutation, w.resident.Token, temp)
			resp := w.srv.Post([]byte(body))
			// 1e999 is JSON but no float64: gqlparser's variable coercion
			// refuses it as GRAPHQL_VALIDATION_FAILED, as clear a code.
			code := mashang.EINVALID
			if !strings.Contains(temp, "Infinity") && temp != "NaN" {
				code = mashang.EGRAPHQLVALIDATION
			}
			refusedUnwritten(t, w, "temperature "+temp, before, resp, code)
		}
	})
}

// Issue 10 #13: a `not` filter nested 2,000 or 20,000 deep is refused with
// a clear code (INVALID_INPUT, or GRAPHQL_PARSE_FAILED for a document
// nested past the parser's limit), not INTERNAL; so is an empty `not: {}`.
func TestAnAttackerNestingFiltersDeeplyGetsAClearCode(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		const q = `query($w: RegionWhereInput) { regions(where: $w, first: 1) { edges { node { id } } } }`
		for _, depth := range []int{25, 2000, 20000} {
			nested := strings.Repeat(`{"not": `, depth) + `{"name": "x"}` + strings.Repeat("}", depth)
			resp := w.srv.Post([]byte(`{"query": "` + strings.ReplaceAll(q, `"`, `\"`) + `", "variables": {"w": ` + nested + `}}`))
			if !slices.Equal(resp.Codes(), []string{mashang.EINVALID}) {
				t.Errorf("variables nested %d deep: %d %+v", depth, resp.Status, resp.Errors)
			}
			literal := strings.Repeat(`{not: `, depth) + `{name: "x"}` + strings.Repeat("}", depth)
			resp = w.srv.QueryAs(w.initiator, `{ regions(first: 1, where: `+literal+`) { edges { node { id } } } }`, nil)
			if codes := resp.Codes(); !slices.Equal(codes, []string{mashang.EINVALID}) && !slices.Equal(codes, []string{mashang.EGRAPHQLPARSE}) {
				t.Errorf("a literal nested %d deep: %+v", depth, resp.Errors)
			}
		}
		for _, where := range []string{`{not: {}}`, `{and: [{}, {name: "x"}]}`, `{not: {not: {or: [{}]}}}`} {
			resp := w.srv.QueryAs(w.initiator, `{ regions(first: 1, where: `+where+`) { edges { node { id } } } }`, nil)
			if !slices.Equal(resp.Codes(), []string{mashang.EINVALID}) {
				t.Errorf("where %s: %+v", where, resp.Errors)
			}
		}
		// A filter of ordinary depth still works.
		var got struct{ Regions struct{ Edges []any } }
		w.srv.QueryAs(w.initiator, `{ regions(first: 1, where: {not: {not: {and: [{nameNEQ: "x"}, {or: [{level: PROVINCE}, {not: {level: PROVINCE}}]}]}}}) { edges { node { id } } } }`, nil).Decode(t, &got)
		if len(got.Regions.Edges) != 1 {
			t.Fatalf("an ordinary filter found %+v", got)
		}
	})
}

func handMadeCursor(v any) string {
	var b bytes.Buffer
	_ = msgpack.NewEncoder(&b).Encode(v)
	return base64.RawStdEncoding.EncodeToString(b.Bytes())
}

// Issue 10 #13: a hand-made cursor (a value of the wrong shape or type for
// the ordering) is INVALID_INPUT, never INTERNAL.
func TestAnAttackerHandMakingCursorsGetsInvalidInput(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		malformed := map[string]any{
			"not base64":        "%%%",
			"a bare string":     map[string]any{"i": 1, "v": "zzz"},
			"a bare number":     map[string]any{"i": 1, "v": 123},
			"a map":             map[string]any{"i": 1, "v": map[string]any{"a": 1}},
			"a map in the list": map[string]any{"i": 1, "v": []any{map[string]any{"a": 1}}},
			"bytes":             map[string]any{"i": 1, "v": []any{[]byte{0, 1}}},
			"a NUL":             map[string]any{"i": 1, "v": []any{"a\x00b"}},
			"too many values":   map[string]any{"i": 1, "v": []any{1, 2, 3}},
			"a string id":       map[string]any{"i": "x"},
		}
		wrongType := map[string]any{
			"a string for a time":   map[string]any{"i": 1, "v": []any{"zzz"}},
			"a bool for a time":     map[string]any{"i": 1, "v": []any{true}},
			"a number for a time":   map[string]any{"i": 1, "v": []any{123}},
			"a string for a number": map[string]any{"i": 1, "v": []any{"abc"}},
		}
		query := func(field, cursor string) *apitest.Response {
			return w.srv.QueryAs(w.initiator, `query($c: Cursor) { regions(after: $c, first: 2, orderBy: {field: `+field+`}) { edges { node { id } } } }`, map[string]any{"c": cursor})
		}
		for name, c := range malformed {
			cursor, ok := c.(string)
			if !ok {
				cursor = handMadeCursor(c)
			}
			for _, field := range []string{"CREATED_AT", "NAME", "CHILD_COUNT"} {
				if resp := query(field, cursor); !slices.Equal(resp.Codes(), []string{mashang.EINVALID}) {
					t.Errorf("%s, ordered by %s: %+v", name, field, resp.Errors)
				}
			}
		}
		for name, c := range wrongType {
			field := "CREATED_AT"
			if strings.HasSuffix(name, "number") {
				field = "CHILD_COUNT"
			}
			// SQLite compares any two values; PostgreSQL refuses: either
			// way, never INTERNAL.
			if resp := query(field, handMadeCursor(c)); len(resp.Errors) > 0 && !slices.Equal(resp.Codes(), []string{mashang.EINVALID}) {
				t.Errorf("%s: %+v", name, resp.Errors)
			}
		}
		// A cursor the API returned still pages.
		var page struct {
			Regions struct{ PageInfo struct{ EndCursor string } }
		}
		w.srv.QueryAs(w.initiator, `{ regions(first: 1, orderBy: {field: NAME}) { edges { node { id } } pageInfo { endCursor } } }`, nil).Decode(t, &page)
		if resp := query("NAME", page.Regions.PageInfo.EndCursor); len(resp.Errors) > 0 {
			t.Fatalf("a real cursor refused: %+v", resp.Errors)
		}
	})
}

// Issue 10 #14: GraphQL's input coercion refuses a string for a Float or an
// Int ("temperature": "37" was stored as 37 °C), and an Int beyond 32 bits.
func TestAClientSendingNumbersAsStringsIsRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		before := written(t, db)
		resp := w.srv.Query(declareMutation, map[string]any{"in": map[string]any{"personToken": w.resident.Token, "temperature": "37"}})
		refusedUnwritten(t, w, `declareHealth with temperature "37"`, before, resp, mashang.EINVALID)
		resp = w.srv.QueryAs(w.scanner.token, scansMutation, map[string]any{"in": []any{
			map[string]any{"clientId": "str-1", "site": w.park, "method": "MANUAL", "temperature": "36.5", "manual": map[string]any{"name": "李四", "idNumber": validID(t, "22010419900307061")}},
		}})
		refusedUnwritten(t, w, `recordScans with temperature "36.5"`, before, resp, mashang.EINVALID)
		for _, first := range []any{"2", 3000000000, 2.5} {
			resp = w.srv.QueryAs(w.initiator, `query($n: Int) { regions(first: $n) { totalCount } }`, map[string]any{"n": first})
			// A fraction is refused by gqlparser's variable coercion already.
			if !slices.Equal(resp.Codes(), []string{mashang.EINVALID}) && (first != 2.5 || !slices.Equal(resp.Codes(), []string{mashang.EGRAPHQLVALIDATION})) {
				t.Errorf("first: %v answered %+v", first, resp.Errors)
			}
		}
		// Numbers stay numbers: 37 and 36.8 are accepted.
		var got struct{ DeclareHealth struct{ Day string } }
		w.srv.Query(declareMutation, map[string]any{"in": map[string]any{"personToken": w.resident.Token, "temperature": 37}}).Decode(t, &got)
		if got.DeclareHealth.Day == "" {
			t.Fatal("a numeric temperature was refused")
		}
	})
}

// Issue 10 #14: the name limits promised (100 characters for a person's or
// a holder's name) count characters, not bytes: ent's MaxLen counted UTF-8
// bytes, so a 40-character Chinese name (120 bytes) was refused.
func TestAResidentWithALongChineseNameCanRegister(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newHealthWorld(t, db)
		for i, n := range []int{40, 100} {
			name := strings.Repeat("张", n)
			resp := w.srv.Query(registerMutation, map[string]any{"in": map[string]any{"name": name, "idNumber": validID(t, fmt.Sprintf("2201041990030707%d", i))}})
			if len(resp.Errors) > 0 {
				t.Fatalf("a %d-character name refused: %+v", n, resp.Errors)
			}
		}
		before := written(t, db)
		resp := w.srv.Query(registerMutation, map[string]any{"in": map[string]any{"name": strings.Repeat("张", 101), "idNumber": validID(t, "22010419900307089")}})
		refusedUnwritten(t, w, "a 101-character name", before, resp, mashang.EINVALID)
		// An account holder's name, and the scanner's name copied onto scans.
		holder := strings.Repeat("李", 100)
		acc := createAccount(t, w.srv, w.initiator, "GRID_WORKER", w.community, holder, "13600000091", "")
		if acc.ID == "" || acc.token == "" {
			t.Fatalf("a holder with a 100-character name: %+v", acc)
		}
	})
}

package graph_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/graph"
	"github.com/mashang/mashang/graph/generated"
	"github.com/mashang/mashang/validate"
)

// answerWorld is healthWorld with a SENIOR of 朝阳区 (opened through an
// application) and an INTERMEDIATE below it: every role of the platform.
type answerWorld struct {
	*healthWorld
	t                    *testing.T
	senior, intermediate account
	street               string
	seq                  int
}

// mutationCase is one call of a mutation as one role: the arguments (the
// answer's selection is added), and what must then be stored and answered.
type mutationCase struct {
	role  string
	token func() string
	defs  string
	// extra selects the scalars check reads.
	extra string
	args  string
	vars  func() map[string]any
	// check reads the stored write and compares it with the answer.
	check func(t *testing.T, answer map[string]any)
}

// TestEveryMutationAnswersItsWrite runs every mutation of the schema, as
// every role allowed to call it, selecting every linked object of its
// answer (three levels deep): no error, the write stored, the linked objects
// as they now are (issue 9 point 1). A mutation without a case fails.
func TestEveryMutationAnswersItsWrite(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{Resolvers: &graph.Resolver{}}).Schema()
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		w := newAnswerWorld(t, db)
		cases := w.cases()
		var names []string
		for _, f := range schema.Mutation.Fields {
			if !strings.HasPrefix(f.Name, "__") {
				names = append(names, f.Name)
			}
		}
		sort.Strings(names)
		for _, name := range mutationOrder(names) {
			cs, ok := cases[name]
			if !ok {
				t.Errorf("mutation %s has no case in TestEveryMutationAnswersItsWrite: add one", name)
				continue
			}
			f := schema.Mutation.Fields.ForName(name)
			sel := linkedSelection(schema, schema.Types[f.Type.Name()], 3)
			for _, c := range cs {
				t.Run(name+"/As"+c.role, func(t *testing.T) {
					q := "mutation" + c.defs + " { " + name + c.args + " " + sel + " }"
					if c.extra != "" {
						q = "mutation" + c.defs + " { " + name + c.args + " " + strings.TrimSuffix(sel, "}") + c.extra + " } }"
					}
					var vars map[string]any
					if c.vars != nil {
						vars = c.vars()
					}
					token := ""
					if c.token != nil {
						token = c.token()
					}
					resp := w.srv.QueryAs(token, q, vars)
					if len(resp.Errors) > 0 {
						t.Fatalf("errors %+v\nquery %s", resp.Errors, q)
					}
					var data map[string]any
					if err := json.Unmarshal(resp.Data, &data); err != nil {
						t.Fatal(err)
					}
					answer, _ := data[name].(map[string]any)
					if c.check != nil {
						c.check(t, answer)
					}
				})
			}
		}
	})
}

// mutationOrder runs the mutations that consume the state others build
// (a disabled account to request and be reactivated) in a fixed order.
func mutationOrder(names []string) []string {
	first := []string{"registerPerson", "disableAccount", "requestReactivation", "activateAccount", "giveGrant", "revokeGrant", "registerPersistedQuery"}
	last := []string{"logout"}
	var out []string
	out = append(out, first...)
	for _, n := range names {
		if !contains(first, n) && !contains(last, n) {
			out = append(out, n)
		}
	}
	for _, n := range append(first, last...) {
		if !contains(names, n) {
			out = removeName(out, n)
		}
	}
	return append(out, last...)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func removeName(list []string, s string) []string {
	var out []string
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

// linkedSelection selects, on def, its id (or __typename) and every linked
// object (object, interface or list of them; not connections, nothing that
// needs an argument) to depth levels.
func linkedSelection(schema *ast.Schema, def *ast.Definition, depth int) string {
	if def.Kind == ast.Scalar || def.Kind == ast.Enum {
		return ""
	}
	parts := []string{"__typename"}
	if def.Kind == ast.Union {
		return "{ __typename }"
	}
	if f := def.Fields.ForName("id"); f != nil {
		parts = append(parts, "id")
	}
	for _, f := range def.Fields {
		// Person.identity unmasks personal data: a deliberate, audited
		// refusal without a PII_VIEWER grant, not a linked object.
		if strings.HasPrefix(f.Name, "__") || depth == 0 || needsArguments(f) || f.Name == "identity" {
			continue
		}
		t := schema.Types[f.Type.Name()]
		if t == nil || (t.Kind != ast.Object && t.Kind != ast.Interface) || strings.HasSuffix(t.Name, "Connection") {
			continue
		}
		parts = append(parts, f.Name+" "+linkedSelection(schema, t, depth-1))
	}
	return "{ " + strings.Join(parts, " ") + " }"
}

func needsArguments(f *ast.FieldDefinition) bool {
	for _, a := range f.Arguments {
		if a.Type.NonNull && a.DefaultValue == nil {
			return true
		}
	}
	return false
}

func newAnswerWorld(t *testing.T, db *database.DB) *answerWorld {
	w := &answerWorld{healthWorld: newHealthWorld(t, db), t: t}
	w.street = fmt.Sprint(w.tree("220104001"))
	var app struct{ SubmitSeniorApplication struct{ ID string } }
	w.srv.QueryAs(w.initiator, `mutation($in: SeniorApplicationInput!) { submitSeniorApplication(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"unitName": "朝阳区卫生服务中心", "uscc": w.uscc(), "scopeId": w.district,
			"holder": map[string]any{"name": "高级扫码员", "phone": "13600000041", "idNumber": validID(t, "22010419800101041")}}}).Decode(t, &app)
	var dec struct {
		DecideApplication struct {
			Account         struct{ ID string }
			InitialPassword string
		}
	}
	w.srv.QueryAs(w.initiator, `mutation($id: ID!) { decideApplication(id: $id, approve: true) { account { id } initialPassword } }`,
		map[string]any{"id": app.SubmitSeniorApplication.ID}).Decode(t, &dec)
	w.senior = account{ID: dec.DecideApplication.Account.ID, token: w.srv.Login("13600000041", dec.DecideApplication.InitialPassword)}
	w.intermediate = createAccount(t, w.srv, w.senior.token, "INTERMEDIATE", w.street, "中级扫码员", "13600000042", validID(t, "22010419800101042"))
	// Scanners scan with a green code of their own (seed 001 §7).
	registerPerson(t, w.srv, "高级扫码员", validID(t, "22010419800101041"), w.community)
	registerPerson(t, w.srv, "中级扫码员", validID(t, "22010419800101042"), w.community)
	return w
}

func (w *answerWorld) tree(code string) int {
	var got struct{ RegionByCode struct{ ID string } }
	w.srv.Query(`query($c: String!) { regionByCode(code: $c) { id } }`, map[string]any{"c": code}).Decode(w.t, &got)
	var id int
	fmt.Sscan(got.RegionByCode.ID, &id)
	return id
}

func (w *answerWorld) uscc() string {
	w.seq++
	first17 := fmt.Sprintf("91220104MA%07d", w.seq)
	c, err := validate.USCCCheckChar(first17)
	if err != nil {
		w.t.Fatal(err)
	}
	return first17 + string(c)
}

// phone is a new phone number for a new holder.
func (w *answerWorld) phone() string {
	w.seq++
	return fmt.Sprintf("1370000%04d", w.seq)
}

// get reads a string at a dotted path of an answer.
func get(m map[string]any, path string) any {
	var v any = m
	for _, k := range strings.Split(path, ".") {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

func want(t *testing.T, answer map[string]any, path string, value any) {
	t.Helper()
	if got := get(answer, path); fmt.Sprint(got) != fmt.Sprint(value) {
		t.Fatalf("answer %s = %v, want %v (answer %v)", path, got, value, answer)
	}
}

func tok(s *string) func() string { return func() string { return *s } }

func (w *answerWorld) cases() map[string][]mutationCase {
	t, srv := w.t, w.srv
	var (
		disabled      account
		disabledToken string
		grantID       string
		docID         string
		person        registered
		refresh       string
	)
	holder := func() map[string]any {
		p := w.phone()
		return map[string]any{"name": "持有人" + p[7:], "phone": p, "password": "pass-" + p}
	}
	create := func(role, scope string) func() map[string]any {
		return func() map[string]any {
			return map[string]any{"in": map[string]any{"role": role, "scopeId": scope, "holder": holder()}}
		}
	}
	// An account a SENIOR or INTERMEDIATE opens or hands over waits for its
	// holder's consent, who is not shown meanwhile (issue 10 §2).
	createdBy := func(superior *account) func(t *testing.T, a map[string]any) {
		return func(t *testing.T, a map[string]any) {
			want(t, a, "superior.id", superior.ID)
			want(t, a, "disabledReason", "PENDING_CONSENT")
			if a["holder"] != nil {
				t.Fatalf("the holder of an account waiting for consent is shown: %v", a)
			}
		}
	}
	// accounts to replace, made by each creator
	ordinaryOf := func(by *account, scope string) func() string {
		return func() string {
			return createAccount(t, srv, by.token, "ORDINARY", scope, "替换前", w.phone(), "").ID
		}
	}
	replace := func(target func() string) func() map[string]any {
		return func() map[string]any {
			h := holder()
			h["name"] = "新持有人"
			return map[string]any{"id": target(), "h": h}
		}
	}
	replaced := func(t *testing.T, a map[string]any) { want(t, a, "holder.name", "新持有人") }
	replacedPending := func(t *testing.T, a map[string]any) {
		want(t, a, "disabledReason", "PENDING_CONSENT")
		if a["holder"] != nil {
			t.Fatalf("the holder of an account waiting for consent is shown: %v", a)
		}
	}
	// An account waiting for a new person's consent, and that person's token.
	var bindingToken string
	waiting := func() map[string]any {
		h := holder()
		var out struct{ CreateAccount struct{ ID string } }
		srv.QueryAs(w.senior.token, `mutation($in: CreateAccountInput!) { createAccount(input: $in) { id } }`,
			map[string]any{"in": map[string]any{"role": "ORDINARY", "scopeId": w.park, "holder": h}}).Decode(t, &out)
		bindingToken = srv.Login(h["phone"].(string), h["password"].(string))
		return map[string]any{"id": out.CreateAccount.ID}
	}
	initiator := account{token: w.initiator}
	scanIn := func(site string) func() map[string]any {
		return func() map[string]any {
			w.seq++
			return map[string]any{"in": map[string]any{"clientId": fmt.Sprintf("ans-%d", w.seq), "site": site, "method": "MANUAL",
				"manual": map[string]any{"name": "路人", "idNumber": validID(t, fmt.Sprintf("220104197001010%02d", w.seq%100))}, "temperature": 36.5, "latitude": 43.86, "longitude": 125.31}}
		}
	}
	scanned := func(t *testing.T, a map[string]any) {
		if a["id"] == nil {
			t.Fatalf("no scan in the answer %v", a)
		}
	}
	return map[string][]mutationCase{
		"registerPerson": {{role: "Anonymous", defs: "($in: RegisterPersonInput!)", args: "(input: $in)",
			vars: func() map[string]any {
				return map[string]any{"in": map[string]any{"name": "王五", "idNumber": validID(t, "22010419900307051"), "residenceRegion": w.community}}
			},
			extra: "person { id } personToken",
			check: func(t *testing.T, a map[string]any) {
				person = registered{ID: fmt.Sprint(get(a, "person.id")), Token: fmt.Sprint(a["personToken"])}
			}}},
		"disableAccount": {{role: "INTERMEDIATE", token: tok(&w.intermediate.token), defs: "($id: ID!)", args: "(id: $id)",
			vars: func() map[string]any {
				disabled = createAccount(t, srv, w.intermediate.token, "ORDINARY", w.park, "将停用", w.phone(), "")
				disabledToken = disabled.token
				return map[string]any{"id": disabled.ID}
			},
			extra: "account { status }", check: func(t *testing.T, a map[string]any) { want(t, a, "account.status", "DISABLED") }},
			{role: "SENIOR", token: tok(&w.senior.token), defs: "($id: ID!)", args: "(id: $id, cascade: true)",
				vars: func() map[string]any {
					return map[string]any{"id": createAccount(t, srv, w.senior.token, "ORDINARY", w.park, "将停用", w.phone(), "").ID}
				},
				extra: "account { status }", check: func(t *testing.T, a map[string]any) { want(t, a, "account.status", "DISABLED") }},
			{role: "INITIATOR", token: tok(&w.initiator), defs: "($id: ID!)", args: "(id: $id)",
				vars: func() map[string]any {
					return map[string]any{"id": createAccount(t, srv, w.initiator, "ORDINARY", w.park, "将停用", w.phone(), "").ID}
				},
				extra: "account { status }", check: func(t *testing.T, a map[string]any) { want(t, a, "account.status", "DISABLED") }}},
		"requestReactivation": {{role: "DisabledHolder", token: tok(&disabledToken), defs: "($id: ID!)", args: `(id: $id, note: "请恢复")`,
			vars:  func() map[string]any { return map[string]any{"id": disabled.ID} },
			extra: "account { status }",
			check: func(t *testing.T, a map[string]any) {
				want(t, a, "account.id", disabled.ID)
				want(t, a, "account.status", "DISABLED")
				var p struct {
					PendingReactivations struct {
						Edges []struct{ Node struct{ ID string } }
					}
				}
				srv.QueryAs(w.intermediate.token, `{ pendingReactivations { edges { node { id } } } }`, nil).Decode(t, &p)
				if e := p.PendingReactivations.Edges; len(e) != 1 || e[0].Node.ID != a["id"] {
					t.Fatalf("the superior has pending %v, want the request %v", e, a["id"])
				}
			}}},
		"activateAccount": {{role: "INTERMEDIATE", token: tok(&w.intermediate.token), defs: "($id: ID!)", args: "(id: $id)",
			vars:  func() map[string]any { return map[string]any{"id": disabled.ID} },
			extra: "account { status }", check: func(t *testing.T, a map[string]any) { want(t, a, "account.status", "ACTIVE") }}},
		"giveGrant": {{role: "INITIATOR", token: tok(&w.initiator), defs: "($id: ID!, $e: Time!)", args: `(accountId: $id, kind: PII_VIEWER, expiresAt: $e, reason: "流调", caseNumber: "案2026-1")`,
			vars: func() map[string]any {
				return map[string]any{"id": w.official.ID, "e": time.Now().Add(24 * time.Hour).Format(time.RFC3339)}
			},
			check: func(t *testing.T, a map[string]any) {
				grantID = fmt.Sprint(a["id"])
				want(t, a, "account.id", w.official.ID)
			}}},
		"revokeGrant": {{role: "INITIATOR", token: tok(&w.initiator), defs: "($id: ID!)", args: "(id: $id)",
			vars: func() map[string]any { return map[string]any{"id": grantID} }}},
		// Statistics exports (issue 12, point 5): the job answers with its kind.
		"startStatsExport": {{role: "INITIATOR", token: tok(&w.initiator), args: `(where: {period: TODAY}, groupBy: [REGION], measures: [SCANS])`,
			extra: "kind status", check: func(t *testing.T, a map[string]any) { want(t, a, "kind", "STATS") }}},
		"startDailyReport": {{role: "INITIATOR", token: tok(&w.initiator), extra: "kind status",
			check: func(t *testing.T, a map[string]any) { want(t, a, "kind", "DAILY_REPORT") }}},
		// Scan records (issue 14): the official's own district, fevers only.
		"startScansExport": {{role: "OFFICIAL", token: tok(&w.official.token), args: `(where: {fever: true})`, extra: "kind status total",
			check: func(t *testing.T, a map[string]any) { want(t, a, "kind", "SCANS") }}},
		// Trusted documents (issue 12, point 6): the official's is decided by the province.
		"registerPersistedQuery": {
			{role: "INITIATOR", token: tok(&w.initiator), args: `(name: "province-doc", document: "{ regions(first: 1) { totalCount } }")`},
			{role: "SENIOR", token: tok(&w.senior.token), args: `(name: "senior-doc", document: "{ sites(first: 1) { totalCount } }")`},
			{role: "OFFICIAL", token: tok(&w.official.token), args: `(name: "official-doc", document: "{ scans(first: 1) { totalCount } }")`, extra: "status",
				check: func(t *testing.T, a map[string]any) { docID = fmt.Sprint(a["id"]); want(t, a, "status", "PENDING") }},
		},
		"decidePersistedQuery": {{role: "INITIATOR", token: tok(&w.initiator), defs: "($id: ID!)", args: "(id: $id, decision: APPROVE)", extra: "status",
			vars: func() map[string]any { return map[string]any{"id": docID} }, check: func(t *testing.T, a map[string]any) { want(t, a, "status", "APPROVED") }}},
		"createAccount": {
			{role: "INITIATOR", token: tok(&w.initiator), defs: "($in: CreateAccountInput!)", args: "(input: $in)", vars: create("ORDINARY", w.park)},
			{role: "SENIOR", token: tok(&w.senior.token), defs: "($in: CreateAccountInput!)", args: "(input: $in)", vars: create("INTERMEDIATE", w.street), extra: "disabledReason holder { name }", check: createdBy(&w.senior)},
			{role: "INTERMEDIATE", token: tok(&w.intermediate.token), defs: "($in: CreateAccountInput!)", args: "(input: $in)", vars: create("ORDINARY", w.park), extra: "disabledReason holder { name }", check: createdBy(&w.intermediate)},
		},
		"replaceAccount": {
			{role: "INITIATOR", token: tok(&w.initiator), defs: "($id: ID!, $h: HolderInput!)", args: "(id: $id, holder: $h)", vars: replace(ordinaryOf(&initiator, w.park)), extra: "holder { name }", check: replaced},
			{role: "SENIOR", token: tok(&w.senior.token), defs: "($id: ID!, $h: HolderInput!)", args: "(id: $id, holder: $h)", vars: replace(ordinaryOf(&w.senior, w.park)), extra: "disabledReason holder { name }", check: replacedPending},
			{role: "INTERMEDIATE", token: tok(&w.intermediate.token), defs: "($id: ID!, $h: HolderInput!)", args: "(id: $id, holder: $h)", vars: replace(ordinaryOf(&w.intermediate, w.park)), extra: "disabledReason holder { name }", check: replacedPending},
		},
		"acceptAccountBinding": {{role: "Holder", token: tok(&bindingToken), defs: "($id: ID!)", args: "(id: $id)", vars: waiting,
			extra: "status holder { name }",
			check: func(t *testing.T, a map[string]any) {
				want(t, a, "status", "ACTIVE")
				if get(a, "holder.name") == nil {
					t.Fatalf("the holder does not see themself: %v", a)
				}
			}}},
		"setAccountHolderIdNumber": {{role: "INITIATOR", token: tok(&w.initiator), defs: "($id: ID!, $n: String!)", args: "(id: $id, idNumber: $n)",
			vars: func() map[string]any {
				return map[string]any{"id": createAccount(t, srv, w.initiator, "ORDINARY", w.park, "补录", w.phone(), "").ID, "n": validID(t, "22010419870707042")}
			},
			extra: "holderCode", check: func(t *testing.T, a map[string]any) { want(t, a, "holderCode", "LINKED") }}},
		"declineAccountBinding": {{role: "Holder", token: tok(&bindingToken), defs: "($id: ID!)", args: "(id: $id)", vars: waiting}},
		"submitSeniorApplication": {
			{role: "INITIATOR", token: tok(&w.initiator), defs: "($in: SeniorApplicationInput!)", args: "(input: $in)", vars: w.application(w.district)},
			{role: "SENIOR", token: tok(&w.senior.token), defs: "($in: SeniorApplicationInput!)", args: "(input: $in)", vars: w.application(w.street),
				check: func(t *testing.T, a map[string]any) { want(t, a, "submittedBy.id", w.senior.ID) }},
			{role: "OFFICIAL", token: tok(&w.official.token), defs: "($in: SeniorApplicationInput!)", args: "(input: $in)", vars: w.application(w.street),
				check: func(t *testing.T, a map[string]any) { want(t, a, "submittedBy.id", w.official.ID) }},
		},
		"decideApplication": {{role: "INITIATOR", token: tok(&w.initiator), defs: "($id: ID!)", args: "(id: $id, approve: true)",
			vars: func() map[string]any {
				var app struct{ SubmitSeniorApplication struct{ ID string } }
				in := w.application(w.district)()
				in["in"].(map[string]any)["uscc"] = "91220104MA0000999" + string(must(validate.USCCCheckChar("91220104MA0000999")))
				srv.QueryAs(w.initiator, `mutation($in: SeniorApplicationInput!) { submitSeniorApplication(input: $in) { id } }`, in).Decode(t, &app)
				return map[string]any{"id": app.SubmitSeniorApplication.ID}
			},
			extra: "account { unit { uscc } } application { status }",
			check: func(t *testing.T, a map[string]any) {
				want(t, a, "account.unit.uscc", "91220104MA0000999"+string(must(validate.USCCCheckChar("91220104MA0000999"))))
				want(t, a, "application.status", "APPROVED")
			}}},
		"handleAlert": {
			{role: "OFFICIAL", token: tok(&w.official.token), defs: "($in: HandleAlertInput!)", args: "(input: $in)",
				vars:  func() map[string]any { return w.alertStep("ASSIGN", "请核实") },
				extra: "status", check: func(t *testing.T, a map[string]any) { want(t, a, "status", "ASSIGNED") }},
			{role: "GRID_WORKER", token: tok(&w.grid.token), defs: "($in: HandleAlertInput!)", args: "(input: $in)",
				vars:  func() map[string]any { return w.alertStep("VISIT", "已核实") },
				extra: "status", check: func(t *testing.T, a map[string]any) { want(t, a, "status", "VISITED") }},
			{role: "SENIOR", token: tok(&w.senior.token), defs: "($in: HandleAlertInput!)", args: "(input: $in)",
				vars:  func() map[string]any { return w.alertStep("CLOSE", "解除") },
				extra: "status", check: func(t *testing.T, a map[string]any) { want(t, a, "status", "CLOSED") }},
		},
		"pauseAlerts": {
			{role: "OFFICIAL", token: tok(&w.official.token), defs: "($r: ID!)", args: `(region: $r, paused: true, reason: "导入")`, vars: func() map[string]any { return map[string]any{"r": w.district} }},
			{role: "INITIATOR", token: tok(&w.initiator), defs: "($r: ID!)", args: `(region: $r, paused: false)`, vars: func() map[string]any { return map[string]any{"r": w.district} }},
		},
		"issueCode": {{role: "Anonymous", defs: "($t: String!)", args: "(input: {personToken: $t, ttlMinutes: 5})",
			vars: func() map[string]any { return map[string]any{"t": person.Token} }}},
		"issueSiteCode": {{role: "SENIOR", token: tok(&w.senior.token), defs: "($s: ID!)", args: "(site: $s)",
			vars: func() map[string]any { return map[string]any{"s": w.park} }}},
		"importControlList": {
			{role: "OFFICIAL", token: tok(&w.official.token), defs: "($c: String!)", args: `(filename: "名单.csv", contentBase64: $c)`, vars: w.controlList},
			{role: "INITIATOR", token: tok(&w.initiator), defs: "($c: String!)", args: `(filename: "名单.csv", contentBase64: $c)`, vars: w.controlList},
		},
		"declareHealth": {{role: "Anonymous", defs: "($t: String!)", args: `(input: {personToken: $t, temperature: 36.6, symptoms: [], travel: "无"})`,
			vars: func() map[string]any { return map[string]any{"t": person.Token} }}},
		"addTestResult": {
			{role: "OFFICIAL", token: tok(&w.official.token), defs: "($p: ID!, $at: Time!)", args: `(input: {person: $p, kind: PCR, result: NEGATIVE, sampledAt: $at, source: "医院"})`, vars: w.personAt(&person)},
			{role: "INITIATOR", token: tok(&w.initiator), defs: "($p: ID!, $at: Time!)", args: `(input: {person: $p, kind: PCR, result: NEGATIVE, sampledAt: $at, source: "医院"})`, vars: w.personAt(&person)},
		},
		"setRisk": {
			{role: "OFFICIAL", token: tok(&w.official.token), defs: "($p: ID!)", args: `(input: {person: $p, risk: SUSPECTED})`,
				vars:  func() map[string]any { return map[string]any{"p": person.ID} },
				extra: "colour", check: func(t *testing.T, a map[string]any) { want(t, a, "colour", "RED") }},
			{role: "INITIATOR", token: tok(&w.initiator), defs: "($p: ID!)", args: `(input: {person: $p, risk: NONE})`,
				vars: func() map[string]any { return map[string]any{"p": person.ID} }},
		},
		"publishRuleSet": {{role: "INITIATOR", token: tok(&w.initiator), defs: "($r: String!)", args: `(input: {rules: $r, note: "调整"})`,
			vars:  func() map[string]any { return map[string]any{"r": answerRules} },
			extra: "inForce", check: func(t *testing.T, a map[string]any) { want(t, a, "inForce", true) }}},
		"publishKeyAreas": {{role: "INITIATOR", token: tok(&w.initiator), args: `(input: {regions: ["4201"], note: "武汉市"})`,
			extra: "inForce", check: func(t *testing.T, a map[string]any) { want(t, a, "inForce", true) }}},
		"recordScan": {
			{role: "ORDINARY", token: tok(&w.scanner.token), defs: "($in: ScanInput!)", args: "(input: $in)", vars: scanIn(w.park), check: scanned},
			{role: "INTERMEDIATE", token: tok(&w.intermediate.token), defs: "($in: ScanInput!)", args: "(input: $in)", vars: scanIn(w.park), check: scanned},
			{role: "SENIOR", token: tok(&w.senior.token), defs: "($in: ScanInput!)", args: "(input: $in)", vars: scanIn(w.park), check: scanned},
		},
		// Self-scan with the resident's personToken (issue 11, point 6).
		"selfScan": {{role: "Anonymous", defs: "($in: SelfScanInput!)", args: "(input: $in)",
			vars: func() map[string]any {
				w.seq++
				return map[string]any{"in": map[string]any{"clientId": fmt.Sprintf("self-%d", w.seq), "siteCode": posterCode(t, w.healthWorld),
					"personToken": w.resident.Token, "location": atThePark, "temperature": 36.5}}
			},
			extra: "scan { id }",
			check: func(t *testing.T, a map[string]any) {
				if get(a, "scan.id") == nil || a["error"] != nil {
					t.Fatalf("no self-scan in the answer %v", a)
				}
			}}},
		"recordScans": {
			{role: "ORDINARY", token: tok(&w.scanner.token), defs: "($in: [ScanInput!]!)", args: "(input: $in)",
				vars: func() map[string]any { return map[string]any{"in": []any{scanIn(w.park)()["in"]}} }},
			{role: "SENIOR", token: tok(&w.senior.token), defs: "($in: [ScanInput!]!)", args: "(input: $in)",
				vars: func() map[string]any { return map[string]any{"in": []any{scanIn(w.park)()["in"]}} }},
		},
		"createSite": {
			{role: "INITIATOR", token: tok(&w.initiator), defs: "($p: ID!)", args: `(input: {name: "新站点", category: PARK, parentId: $p})`, vars: func() map[string]any { return map[string]any{"p": w.community} }},
			{role: "SENIOR", token: tok(&w.senior.token), defs: "($p: ID!)", args: `(input: {name: "新站点", category: PARK, parentId: $p})`, vars: func() map[string]any { return map[string]any{"p": w.community} }},
		},
		"updateSite": {
			{role: "INITIATOR", token: tok(&w.initiator), defs: "($id: ID!)", args: `(id: $id, input: {name: "南湖公园（改）"})`, vars: func() map[string]any { return map[string]any{"id": w.park} },
				extra: "name", check: func(t *testing.T, a map[string]any) { want(t, a, "name", "南湖公园（改）") }},
			{role: "SENIOR", token: tok(&w.senior.token), defs: "($id: ID!)", args: `(id: $id, input: {name: "南湖公园"})`, vars: func() map[string]any { return map[string]any{"id": w.park} },
				extra: "name", check: func(t *testing.T, a map[string]any) { want(t, a, "name", "南湖公园") }},
		},
		// Issue 12: the province anywhere, a district official below its district.
		"setRegionPopulation": {
			{role: "INITIATOR", token: tok(&w.initiator), defs: "($r: ID!)", args: `(region: $r, population: 1000, registrationTarget: 900)`,
				vars:  func() map[string]any { return map[string]any{"r": w.tree("220104")} },
				extra: "population", check: func(t *testing.T, a map[string]any) { want(t, a, "population", 1000) }},
			{role: "OFFICIAL", token: tok(&w.official.token), defs: "($r: ID!)", args: `(region: $r, population: 600)`,
				vars:  func() map[string]any { return map[string]any{"r": w.tree("220104001")} },
				extra: "population", check: func(t *testing.T, a map[string]any) { want(t, a, "population", 600) }},
		},
		"importRegionPopulations": {
			{role: "INITIATOR", token: tok(&w.initiator), defs: "($c: String!)", args: `(filename: "人数.xlsx", contentBase64: $c)`,
				vars: w.populationsXLSX, extra: "updated", check: func(t *testing.T, a map[string]any) { want(t, a, "updated", 1) }},
			{role: "OFFICIAL", token: tok(&w.official.token), defs: "($c: String!)", args: `(filename: "人数.xlsx", contentBase64: $c)`,
				vars: w.populationsXLSX, extra: "updated", check: func(t *testing.T, a map[string]any) { want(t, a, "updated", 1) }},
		},
		"setSiteStatus": {
			{role: "INITIATOR", token: tok(&w.initiator), defs: "($id: ID!)", args: `(id: $id, enabled: true)`, vars: func() map[string]any { return map[string]any{"id": w.park} }},
			{role: "SENIOR", token: tok(&w.senior.token), defs: "($id: ID!)", args: `(id: $id, built: true)`, vars: func() map[string]any { return map[string]any{"id": w.park} }},
		},
		"moveSite": {
			{role: "INITIATOR", token: tok(&w.initiator), defs: "($id: ID!, $p: ID!)", args: `(id: $id, parentId: $p)`,
				vars: func() map[string]any {
					return map[string]any{"id": w.newSite(w.community), "p": w.tree("220104001002")}
				},
				extra: "region { code }", check: func(t *testing.T, a map[string]any) { want(t, a, "region.code", "220104001002") }},
			{role: "SENIOR", token: tok(&w.senior.token), defs: "($id: ID!, $p: ID!)", args: `(id: $id, parentId: $p)`,
				vars: func() map[string]any {
					return map[string]any{"id": w.newSite(w.community), "p": w.tree("220104001002")}
				},
				extra: "region { code }", check: func(t *testing.T, a map[string]any) { want(t, a, "region.code", "220104001002") }},
		},
		"login": {{role: "Anonymous", args: fmt.Sprintf(`(phone: %q, password: %q)`, "13600000033", "pass-13600000033"),
			extra: "refreshToken", check: func(t *testing.T, a map[string]any) { refresh = fmt.Sprint(a["refreshToken"]) }}},
		"refreshToken": {{role: "Anonymous", defs: "($r: String!)", args: "(refreshToken: $r)",
			vars: func() map[string]any { return map[string]any{"r": refresh} }}},
		"switchAccount": {{role: "GRID_WORKER", token: tok(&w.grid.token), defs: "($id: ID!)", args: "(id: $id)",
			vars: func() map[string]any { return map[string]any{"id": w.grid.ID} }}},
		"logout": {
			{role: "INITIATOR", token: tok(&w.initiator)}, {role: "SENIOR", token: tok(&w.senior.token)},
			{role: "INTERMEDIATE", token: tok(&w.intermediate.token)}, {role: "ORDINARY", token: tok(&w.scanner.token)},
			{role: "OFFICIAL", token: tok(&w.official.token)}, {role: "GRID_WORKER", token: tok(&w.grid.token)},
		},
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func (w *answerWorld) application(scope string) func() map[string]any {
	return func() map[string]any {
		p := w.phone()
		return map[string]any{"in": map[string]any{"unitName": "单位" + p[7:], "uscc": w.uscc(), "scopeId": scope,
			"holder": map[string]any{"name": "申请人", "phone": p}}}
	}
}

// alertStep raises (once) a colour alert for the resident and takes a step.
func (w *answerWorld) alertStep(action, note string) map[string]any {
	var got struct {
		Alerts struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	w.srv.QueryAs(w.official.token, `{ alerts(first: 1) { edges { node { id } } } }`, nil).Decode(w.t, &got)
	if len(got.Alerts.Edges) == 0 {
		w.srv.QueryAs(w.official.token, `mutation($p: ID!) { setRisk(input: {person: $p, risk: SUSPECTED}) { colour } }`,
			map[string]any{"p": w.resident.ID}).Decode(w.t, &struct{}{})
		w.srv.QueryAs(w.official.token, `{ alerts(first: 1) { edges { node { id } } } }`, nil).Decode(w.t, &got)
	}
	in := map[string]any{"alert": got.Alerts.Edges[0].Node.ID, "action": action, "note": note}
	if action == "ASSIGN" {
		in["assignee"] = w.grid.ID
	}
	return map[string]any{"in": in}
}

func (w *answerWorld) controlList() map[string]any {
	csv := "id_number,risk,quarantine_end\n" + validID(w.t, "22010419900307031") + ",QUARANTINED," + time.Now().AddDate(0, 0, 14).Format("2006-01-02") + "\n"
	return map[string]any{"c": base64.StdEncoding.EncodeToString([]byte(csv))}
}

func (w *answerWorld) personAt(p *registered) func() map[string]any {
	return func() map[string]any {
		return map[string]any{"p": p.ID, "at": time.Now().Add(-time.Hour).Format(time.RFC3339)}
	}
}

func (w *answerWorld) newSite(region string) string {
	var got struct{ CreateSite struct{ ID string } }
	w.srv.QueryAs(w.initiator, `mutation($p: ID!) { createSite(input: {name: "将搬迁", category: PARK, parentId: $p}) { id } }`,
		map[string]any{"p": region}).Decode(w.t, &got)
	return got.CreateSite.ID
}

const answerRules = `{"params": {"fever_c": 37.3}, "rules": [
	{"colour": "RED", "when": "person.risk == 'CONFIRMED' || person.risk == 'SUSPECTED'", "cause": "confirmed or suspected"},
	{"colour": "ORANGE", "when": "(person.risk == 'CLOSE_CONTACT' || person.risk == 'QUARANTINED') && (!person.has_quarantine_end || now < person.quarantine_ends || person.symptomatic)", "cause": "quarantine not ended"},
	{"colour": "YELLOW", "when": "person.has_temperature && person.temperature >= params.fever_c", "cause": "fever on site"}]}`

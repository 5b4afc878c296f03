package httpserver

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestOperationsAreClassedByTheirRootFieldNames(t *testing.T) {
	cases := []struct {
		name, query, operation string
		want                   Class
	}{
		{"one scan", `mutation($in: ScanInput!) { recordScan(input: $in) { id } }`, "", ClassScan},
		{"a batch", `mutation { recordScans(input: []) { stored } }`, "", ClassScan},
		{"a self-scan under an alias", `mutation { door: selfScan(input: {}) { decision } __typename }`, "", ClassScan},
		{"a scan beside another mutation", `mutation { recordScan(input: {}) { id } logout }`, "", ClassRead},
		{"a read aliased as a scan", `query { recordScan: viewer { id } }`, "", ClassRead},
		{"a query", `{ viewer { id } }`, "", ClassRead},
		{"stats", `{ stats(under: "1") { scans } }`, "", ClassAnalytics},
		{"statsExport aliased", `{ x: statsExport(under: "1") }`, "", ClassAnalytics},
		{"supervision in a fragment", `query { ...F } fragment F on Query { ... on Query { supervision { sites } } }`, "", ClassAnalytics},
		{"stats beside a read", `{ viewer { id } statsByDay { n } }`, "", ClassAnalytics},
		{"the named operation of several", `query A { viewer { id } } mutation B { recordScan(input: {}) { id } }`, "B", ClassScan},
		{"the other one", `query A { statsExport } mutation B { recordScan(input: {}) { id } }`, "A", ClassAnalytics},
		{"several without a name", `query A { statsExport } mutation B { recordScan(input: {}) { id } }`, "", ClassRead},
		{"not GraphQL", `mutation { recordScan(`, "", ClassRead},
		{"introspection", `{ __schema { types { name } } }`, "", ClassRead},
	}
	cl := newClassifier()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for range 2 { // parsed, then cached
				if got := cl.classOf(&graphQLRequest{Query: c.query, OperationName: c.operation}); got != c.want {
					t.Errorf("class %v, want %v", got, c.want)
				}
			}
		})
	}
}

func TestAPersistedQueryHashFindsTheClassOfItsDocument(t *testing.T) {
	cl := newClassifier()
	const scan = `mutation { recordScan(input: {}) { id } }`
	req := &graphQLRequest{Query: scan}
	req.Extensions.PersistedQuery = &struct {
		Sha256Hash string `json:"sha256Hash"`
	}{"b2c0f5f3"}
	if got := cl.classOf(req); got != ClassScan {
		t.Fatalf("registered: %v", got)
	}
	byHash := &graphQLRequest{}
	byHash.Extensions.PersistedQuery = &struct {
		Sha256Hash string `json:"sha256Hash"`
	}{sha256Hex(scan)}
	if got := cl.classOf(byHash); got != ClassScan {
		t.Errorf("by its hash: %v, want scan", got)
	}
	byHash.Extensions.PersistedQuery.Sha256Hash = sha256Hex("{ viewer { id } }x")
	if got := cl.classOf(byHash); got != ClassRead {
		t.Errorf("an unknown hash: %v, want read", got)
	}
	if got := cl.classOf(&graphQLRequest{DocumentID: []byte(`"ministry-daily"`)}); got != ClassAnalytics {
		t.Errorf("a stored document by id: %v, want analytics", got)
	}
}

// The shared total: a scan may use all of it, a read three quarters, an
// analytics request half — analytics are shed first, then reads.
func TestAnalyticsAreShedFirstWhenTheProcessIsBusy(t *testing.T) {
	g := newGate(Admission{Scans: 8, Reads: 8, Analytics: 8, Total: 8, Wait: -1})
	ctx := context.Background()
	for i := range 4 {
		if !g.acquire(ctx, ClassRead) {
			t.Fatalf("read %d refused with %d in flight", i+1, i)
		}
	}
	if g.acquire(ctx, ClassAnalytics) {
		t.Error("an analytics request was admitted with half of the total in flight")
	}
	for i := range 2 {
		if !g.acquire(ctx, ClassRead) {
			t.Fatalf("read %d refused", 5+i)
		}
	}
	if g.acquire(ctx, ClassRead) {
		t.Error("a read was admitted past three quarters of the total")
	}
	for i := range 2 {
		if !g.acquire(ctx, ClassScan) {
			t.Fatalf("scan %d refused while the total has room", i+1)
		}
	}
	if g.acquire(ctx, ClassScan) {
		t.Error("a scan was admitted past the total")
	}
	for range 3 {
		g.release(ClassRead)
	}
	g.release(ClassScan)
	if g.acquire(ctx, ClassAnalytics) {
		t.Error("an analytics request was admitted with half of the total in flight")
	}
	g.release(ClassScan)
	if !g.acquire(ctx, ClassAnalytics) {
		t.Error("an analytics request was refused below half of the total")
	}
}

func TestAWaitingRequestTakesTheNextFreeSlot(t *testing.T) {
	g := newGate(Admission{Scans: 1, Reads: 1, Analytics: 1, Total: -1, Wait: time.Hour})
	ctx := context.Background()
	if !g.acquire(ctx, ClassScan) {
		t.Fatal("the first scan was refused")
	}
	got := make(chan bool)
	go func() { got <- g.acquire(ctx, ClassScan) }()
	waitFor(t, func() bool { return waiting(g, ClassScan) == 1 })
	// The waiting room holds a quarter of the class's slots, at least one: one more is shed at once.
	if g.acquire(ctx, ClassScan) {
		t.Error("a scan was admitted past the waiting room")
	}
	g.release(ClassScan)
	if !<-got {
		t.Error("the waiting scan was shed when a slot came free")
	}
	if n := g.inFlight(ClassScan); n != 1 {
		t.Errorf("%d scans in flight, want 1", n)
	}

	// A waiter whose request ends (the client went away) gives up its place.
	cctx, cancel := context.WithCancel(ctx)
	go func() { got <- g.acquire(cctx, ClassScan) }()
	waitFor(t, func() bool { return waiting(g, ClassScan) == 1 })
	cancel()
	if <-got {
		t.Error("a cancelled waiter was admitted")
	}
	if waiting(g, ClassScan) != 0 {
		t.Error("a cancelled waiter kept its place")
	}
}

// A request waits for its class only: scans waiting do not hold up a read
// that has a slot, and a freed slot goes to a waiting scan before a read.
func TestAFreedSlotGoesToAWaitingScanBeforeARead(t *testing.T) {
	g := newGate(Admission{Scans: 2, Reads: 2, Analytics: 1, Total: 2, Wait: time.Hour})
	ctx := context.Background()
	// Total 2: reads may hold 1 (three quarters, rounded down), scans 2.
	for i := 0; i < 2; i++ {
		if !g.acquire(ctx, ClassScan) {
			t.Fatalf("scan %d refused", i+1)
		}
	}
	scan, read := make(chan bool), make(chan bool)
	go func() { read <- g.acquire(ctx, ClassRead) }()
	waitFor(t, func() bool { return waiting(g, ClassRead) == 1 })
	go func() { scan <- g.acquire(ctx, ClassScan) }()
	waitFor(t, func() bool { return waiting(g, ClassScan) == 1 })
	g.release(ClassScan)
	if !<-scan {
		t.Fatal("the waiting scan was shed")
	}
	g.release(ClassScan)
	if waiting(g, ClassRead) != 1 {
		t.Fatal("the read was admitted with a scan and a waiting scan's slot in flight")
	}
	g.release(ClassScan)
	if !<-read {
		t.Fatal("the waiting read was shed")
	}
}

func TestDefaultsFollowTheProcessorsAndThePool(t *testing.T) {
	a := AdmissionDefaults(Admission{}, 2, 20)
	if a.Scans != 2 || a.Reads != 8 || a.Analytics != 1 || a.Total != 12 || a.Wait != DefaultAdmissionWait || a.RetryAfter != time.Second {
		t.Errorf("2 processors, pool 20: %+v", a)
	}
	a = AdmissionDefaults(Admission{Reads: -1, Wait: time.Second}, 16, 20)
	if a.Scans != 16 || a.Reads != -1 || a.Analytics != 8 || a.Total != 20 || a.Wait != maxAdmissionWait {
		t.Errorf("16 processors, pool 20, reads unbounded, a long wait: %+v", a)
	}
}

func waiting(g *gate, c Class) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.waiters[c])
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10 s")
		}
		time.Sleep(time.Millisecond)
	}
}

// Classifying from the members checkJSONBody read gives the class that
// decoding the whole body gives (issue 15 point 3: the body is read once).
func TestTheMembersCheckJSONBodyReadClassAsTheBodyDoes(t *testing.T) {
	bodies := []string{
		`{"query":"mutation($in: [ScanInput!]!) { recordScans(input: $in) { stored } }","variables":{"in":[{"clientId":"a"}]}}`,
		`{"variables":{"in":[]},"query":"mutation { recordScan(input: {}) { id } }","operationName":null}`,
		`{"query":"query A { statsExport } mutation B { recordScan(input: {}) { id } }","operationName":"B"}`,
		`{"QUERY":"mutation { selfScan(input: {}) { decision } }"}`,
		`{"query":"{ viewer { id } }","Query":"mutation { recordScan(input: {}) { id } }"}`,
		`{"extensions":{"persistedQuery":{"sha256Hash":5}},"query":"mutation { recordScan(input: {}) { id } }"}`,
		`{"documentId":"ministry-daily"}`,
		`{"id":null,"query":"{ stats { n } }"}`,
	}
	for _, body := range bodies {
		obj, refusal := jsonBodyRefusal([]byte(body))
		if refusal != nil {
			t.Fatalf("%s: refused: %v", body, refusal)
		}
		plain := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		plain.Header.Set("Content-Type", "application/json")
		checked := plain.Clone(context.WithValue(plain.Context(), bodyMembersKey{}, obj))
		checked.Body = io.NopCloser(strings.NewReader(body))
		if got, want := newClassifier().classify(checked), newClassifier().classify(plain); got != want {
			t.Errorf("%s: class %v from the members, %v from the body", body, got, want)
		}
	}
}

// The members checkJSONBody reads are those json.Unmarshal reads.
func TestTheMembersOfABodyAreThoseUnmarshalReads(t *testing.T) {
	bodies := []string{
		`{}`, ` { } `, `{"a":1}`, `{"a":-1.5e3,"b":true,"c":null,"d":"x\"}y","e":[1,{"f":"]"}],"g":{"h":{}}}`,
		"{\n\t\"query\" : \"{ viewer { id } }\" ,\r\n \"variables\" : {\"in\":[{\"a\":\"\\\\\"}]} }",
		`{"a":1,"a":2}`, `{"\u0071uery":"x","QUERY":"y"}`, `{"a":"é\u00e9"}`,
	}
	for _, body := range bodies {
		var want map[string]json.RawMessage
		if err := json.Unmarshal([]byte(body), &want); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		got, ok := members([]byte(body))
		if !ok || len(got) != len(want) {
			t.Errorf("%s: members %v (%v), want %v", body, got, ok, want)
			continue
		}
		for k, v := range want {
			if string(got[k]) != string(v) {
				t.Errorf("%s: member %q is %s, want %s", body, k, got[k], v)
			}
		}
	}
	for _, body := range []string{`null`, `"x"`, `12`, `true`} {
		if _, ok := members([]byte(body)); ok {
			t.Errorf("%s: read as an object", body)
		}
	}
}

package graph_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent/site"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
	"github.com/mashang/mashang/validate"
)

// validID builds a GB 11643 resident ID from 17 digits.
func validID(t *testing.T, first17 string) string {
	t.Helper()
	d, err := validate.ResidentIDCheckDigit(first17)
	if err != nil {
		t.Fatal(err)
	}
	return first17 + string(d)
}

// wsClient speaks graphql-transport-ws to the server. One goroutine reads
// the connection (coder/websocket closes a connection whose read times
// out), the tests wait on its channel.
type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
	ctx  context.Context
	in   chan map[string]any
}

func subscribe(t *testing.T, srv *apitest.Server, tok, query string, vars map[string]any) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/graphql"
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(websocket.StatusNormalClosure, "") })
	c := &wsClient{t: t, conn: conn, ctx: ctx, in: make(chan map[string]any, 64)}
	go func() {
		defer close(c.in)
		for {
			var m map[string]any
			if err := wsjson.Read(ctx, conn, &m); err != nil {
				return
			}
			if m["type"] != "ping" && m["type"] != "pong" {
				c.in <- m
			}
		}
	}()
	if err := wsjson.Write(ctx, conn, map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + tok}}); err != nil {
		t.Fatal(err)
	}
	if m := c.read(5 * time.Second); m["type"] != "connection_ack" {
		t.Fatalf("expected connection_ack, got %v", m)
	}
	if err := wsjson.Write(ctx, conn, map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}}); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *wsClient) read(timeout time.Duration) map[string]any {
	c.t.Helper()
	select {
	case m, ok := <-c.in:
		if !ok {
			c.t.Fatal("the websocket closed")
		}
		return m
	case <-time.After(timeout):
		c.t.Fatalf("nothing arrived on the websocket within %s", timeout)
	}
	return nil
}

// next waits for the next subscription payload.
func (c *wsClient) next(timeout time.Duration) map[string]any {
	c.t.Helper()
	m := c.read(timeout)
	if m["type"] != "next" {
		c.t.Fatalf("expected next, got %v", m)
	}
	payload, _ := m["payload"].(map[string]any)
	if errs, ok := payload["errors"]; ok {
		c.t.Fatalf("subscription errors: %v", errs)
	}
	data, _ := payload["data"].(map[string]any)
	a, _ := data["alertRaised"].(map[string]any)
	return a
}

// nothing asserts that no message arrives within d.
func (c *wsClient) nothing(d time.Duration) {
	c.t.Helper()
	select {
	case m, ok := <-c.in:
		if ok {
			c.t.Fatalf("unexpected message %v", m)
		}
	case <-time.After(d):
	}
}

type account struct{ ID, token string }

func createAccount(t *testing.T, srv *apitest.Server, as, role, scopeID, name, phone, idNumber string) account {
	t.Helper()
	var out struct{ CreateAccount struct{ ID string } }
	holder := map[string]any{"name": name, "phone": phone, "password": "pass-" + phone}
	if idNumber != "" {
		holder["idNumber"] = idNumber
	}
	srv.QueryAs(as, `mutation($in: CreateAccountInput!) { createAccount(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"role": role, "scopeId": scopeID, "holder": holder}}).Decode(t, &out)
	token := srv.Login(phone, "pass-"+phone)
	acceptPending(t, srv, token)
	return account{ID: out.CreateAccount.ID, token: token}
}

// acceptPending accepts, as the holder of token, every account waiting for
// their consent (issue 10 §2: an account a SENIOR or INTERMEDIATE opens
// waits for it); the same token then acts as the accepted account.
func acceptPending(t *testing.T, srv *apitest.Server, token string) {
	t.Helper()
	var v struct {
		Viewer struct{ PendingBindings []struct{ ID string } }
	}
	srv.QueryAs(token, `{ viewer { pendingBindings { id } } }`, nil).Decode(t, &v)
	for _, b := range v.Viewer.PendingBindings {
		srv.QueryAs(token, `mutation($id: ID!) { acceptAccountBinding(id: $id) { id } }`, map[string]any{"id": b.ID}).Decode(t, &struct{}{})
	}
}

type registered struct{ ID, Token string }

func registerPerson(t *testing.T, srv *apitest.Server, name, id, residence string) registered {
	t.Helper()
	var out struct {
		RegisterPerson struct {
			Person      struct{ ID, Colour, IDNumberMasked string }
			PersonToken string
		}
	}
	in := map[string]any{"name": name, "idNumber": id, "phone": "13812345678"}
	if residence != "" {
		in["residenceRegion"] = residence
	}
	srv.Query(`mutation($in: RegisterPersonInput!) { registerPerson(input: $in) { person { id colour idNumberMasked } personToken } }`,
		map[string]any{"in": in}).Decode(t, &out)
	p := out.RegisterPerson
	if p.Person.Colour != "GREEN" || !strings.HasPrefix(p.PersonToken, "msp_") || strings.Contains(p.Person.IDNumberMasked, id[6:14]) {
		t.Fatalf("registered %+v", p)
	}
	return registered{ID: p.Person.ID, Token: p.PersonToken}
}

func issueCode(t *testing.T, srv *apitest.Server, personToken string) string {
	t.Helper()
	var out struct {
		IssueCode struct{ Token, Colour, PngBase64, SVG string }
	}
	srv.Query(`mutation($t: String!) { issueCode(input: {personToken: $t, ttlMinutes: 5}) { token colour pngBase64 svg } }`,
		map[string]any{"t": personToken}).Decode(t, &out)
	png, _ := base64.StdEncoding.DecodeString(out.IssueCode.PngBase64)
	if !strings.HasPrefix(out.IssueCode.Token, "HC1:") || len(png) < 8 || string(png[1:4]) != "PNG" || !strings.Contains(out.IssueCode.SVG, "<svg") {
		t.Fatalf("code %+v", out.IssueCode.Token)
	}
	return out.IssueCode.Token
}

type scanOut struct {
	ID, Decision, Colour, NameMasked, IDNumberMasked, Method, SiteName, ScannerName string
	Temperature                                                                     float64
	AlertReasons                                                                    []string
}

const scanFields = `id decision colour nameMasked idNumberMasked method siteName scannerName temperature alertReasons`

func recordScan(t *testing.T, srv *apitest.Server, as string, in map[string]any) (scanOut, *apitest.Response) {
	t.Helper()
	resp := srv.QueryAs(as, `mutation($in: ScanInput!) { recordScan(input: $in) { `+scanFields+` } }`, map[string]any{"in": in})
	var out struct{ RecordScan scanOut }
	if len(resp.Errors) == 0 {
		resp.Decode(t, &out)
	}
	return out.RecordScan, resp
}

func personColour(t *testing.T, srv *apitest.Server, as, id string) string {
	t.Helper()
	var out struct{ Node struct{ Colour string } }
	srv.QueryAs(as, `query($id: ID!) { node(id: $id) { ... on Person { colour } } }`, map[string]any{"id": id}).Decode(t, &out)
	return out.Node.Colour
}

// healthWorld is a small world for the SECURITY tests of issue 4: a
// resident of 朝阳区, its official and grid worker, a scanner at 南湖公园,
// and an official of 宁国市 with a site there.
type healthWorld struct {
	srv                                    *apitest.Server
	db                                     *database.DB
	initiator                              string
	official, outsider, grid, scanner      account
	resident                               registered
	park, ningguoSite, district, community string
}

func newHealthWorld(t *testing.T, db *database.DB) *healthWorld {
	t.Helper()
	f := newFixture(t, db)
	w := &healthWorld{db: db, srv: apitest.New(t, db, httpserver.Config{})}
	w.initiator = w.srv.LoginInitiator()
	w.district = fmt.Sprint(f.chaoyangID)
	w.community = fmt.Sprint(f.tree.ByCode["220104001001"].ID)
	w.park = fmt.Sprint(f.park.ID)
	ng, err := db.Client.Site.Query().Where(site.Name("河沥溪街道办事处政府")).Only(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	w.ningguoSite = fmt.Sprint(ng.ID)
	w.official = createAccount(t, w.srv, w.initiator, "OFFICIAL", w.district, "朝阳区卫健局", "13600000031", "")
	w.outsider = createAccount(t, w.srv, w.initiator, "OFFICIAL", fmt.Sprint(f.ningguoID), "宁国市卫健局", "13600000032", "")
	w.grid = createAccount(t, w.srv, w.initiator, "GRID_WORKER", w.community, "网格员", "13600000033", "")
	scannerID := validID(t, "22010419800101031")
	w.scanner = createAccount(t, w.srv, w.initiator, "ORDINARY", w.park, "扫码员", "13600000034", scannerID)
	registerPerson(t, w.srv, "扫码员", scannerID, w.community)
	w.resident = registerPerson(t, w.srv, "赵六", validID(t, "22010419900307031"), w.community)
	return w
}

func wantCodes(t *testing.T, resp *apitest.Response, codes ...string) {
	t.Helper()
	if !slices.Equal(resp.Codes(), codes) {
		t.Fatalf("errors %+v, want codes %v", resp.Errors, codes)
	}
}

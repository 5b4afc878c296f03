package graph_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent/privacy"
	"github.com/mashang/mashang/graph"
	"github.com/mashang/mashang/httpserver"
	"github.com/mashang/mashang/internal/apitest"
)

// fastWebsocket makes the websocket's timers short enough for tests.
var fastWebsocket = httpserver.Config{Limits: func() graph.Limits {
	l := graph.DefaultLimits
	l.Websocket = graph.WebsocketLimits{InitTimeout: 300 * time.Millisecond, KeepAlive: 100 * time.Millisecond, SessionCheck: 50 * time.Millisecond}
	return l
}()}

// rawWS is a websocket client that sees every message and the close frame.
// One goroutine reads (coder/websocket drops a connection whose read
// context ends), the tests wait on its channel.
type rawWS struct {
	t    *testing.T
	conn *websocket.Conn
	in   chan wsRead
}

type wsRead struct {
	data []byte
	err  error
}

func dialWS(t *testing.T, srv *apitest.Server, subprotocols ...string) *rawWS {
	t.Helper()
	if subprotocols == nil {
		subprotocols = []string{"graphql-transport-ws"}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/graphql"
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: subprotocols})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	c := &rawWS{t: t, conn: conn, in: make(chan wsRead, 64)}
	go func() {
		for {
			_, data, err := conn.Read(context.Background())
			c.in <- wsRead{data, err}
			if err != nil {
				return
			}
		}
	}()
	return c
}

func (c *rawWS) sendText(s string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.conn.Write(ctx, websocket.MessageText, []byte(s)); err != nil {
		c.t.Fatal(err)
	}
}

func (c *rawWS) send(m map[string]any) {
	c.t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		c.t.Fatal(err)
	}
	c.sendText(string(b))
}

func (c *rawWS) init(token string) {
	c.t.Helper()
	c.send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + token}})
	if m, _ := c.next(5 * time.Second); m["type"] != "connection_ack" {
		c.t.Fatalf("expected connection_ack, got %v", m)
	}
}

// errNothing is what next returns when nothing arrived in time.
var errNothing = errors.New("nothing arrived")

// next returns the next message other than a ping, or the close error.
func (c *rawWS) next(timeout time.Duration) (map[string]any, error) {
	c.t.Helper()
	return c.nextOf(timeout, func(m map[string]any) bool { return m["type"] != "ping" })
}

func (c *rawWS) nextOf(timeout time.Duration, want func(map[string]any) bool) (map[string]any, error) {
	c.t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case r := <-c.in:
			if r.err != nil {
				c.in <- r // the connection stays closed
				return nil, r.err
			}
			var m map[string]any
			if err := json.Unmarshal(r.data, &m); err != nil {
				c.t.Fatalf("the server sent %q", r.data)
			}
			if want(m) {
				return m, nil
			}
		case <-deadline:
			return nil, errNothing
		}
	}
}

// wantClose reads until the server closes the connection and checks the
// close code; the reason must say something.
func (c *rawWS) wantClose(code websocket.StatusCode, reason string) {
	c.t.Helper()
	for {
		m, err := c.next(5 * time.Second)
		if err == nil {
			if m["type"] == "next" || m["type"] == "complete" || m["type"] == "error" {
				continue
			}
			c.t.Fatalf("expected close %d, got message %v", code, m)
		}
		var ce websocket.CloseError
		if !errors.As(err, &ce) {
			c.t.Fatalf("expected close %d, got %v", code, err)
		}
		if ce.Code != code || ce.Reason == "" || !strings.Contains(ce.Reason, reason) {
			c.t.Fatalf("closed with %d %q, want %d with a reason containing %q", ce.Code, ce.Reason, code, reason)
		}
		return
	}
}

const alertQuery = `subscription { alertRaised { id } }`

func (c *rawWS) subscribe(id string) {
	c.send(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": alertQuery}})
}

// A connection_init without a token, or with a token that does not
// authenticate, is refused with 4401 (Unauthorized), which graphql-ws does
// not retry — not acknowledged, nor closed with 1000, which it retries at
// once, forever.
func TestWebsocketRefusesConnectionInitForAnonymousCaller(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		srv := apitest.New(t, db, fastWebsocket)
		t.Run("NoToken", func(t *testing.T) {
			c := dialWS(t, srv)
			c.send(map[string]any{"type": "connection_init"})
			c.wantClose(4401, "Unauthorized")
		})
		t.Run("BadToken", func(t *testing.T) {
			c := dialWS(t, srv)
			c.send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer msa_not-a-token"}})
			c.wantClose(4401, "Unauthorized")
		})
		t.Run("RefreshTokenAsBearer", func(t *testing.T) {
			c := dialWS(t, srv)
			c.send(map[string]any{"type": "connection_init", "payload": map[string]any{"authorization": "Bearer msr_not-an-access-token"}})
			c.wantClose(4401, "Unauthorized")
		})
	})
}

// Protocol errors close with graphql-transport-ws's own codes; the server
// pings an idle connection and answers the client's pings.
func TestWebsocketProtocolCloseCodes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		srv := apitest.New(t, db, fastWebsocket)
		tok := srv.LoginInitiator()
		t.Run("InvalidMessage4400", func(t *testing.T) {
			c := dialWS(t, srv)
			c.sendText("{not json")
			c.wantClose(4400, "Invalid message")
		})
		t.Run("UnknownTypeAfterAck4400", func(t *testing.T) {
			c := dialWS(t, srv)
			c.init(tok)
			c.send(map[string]any{"type": "start", "id": "1"})
			c.wantClose(4400, "Invalid message")
		})
		t.Run("SubscribeBeforeAck4401", func(t *testing.T) {
			c := dialWS(t, srv)
			c.subscribe("1")
			c.wantClose(4401, "Unauthorized")
		})
		t.Run("NoInit4408", func(t *testing.T) {
			c := dialWS(t, srv)
			c.wantClose(4408, "timeout")
		})
		t.Run("SubscriberExists4409", func(t *testing.T) {
			c := dialWS(t, srv)
			c.init(tok)
			c.subscribe("1")
			c.subscribe("1")
			c.wantClose(4409, "Subscriber for 1 already exists")
		})
		t.Run("TwoInits4429", func(t *testing.T) {
			c := dialWS(t, srv)
			c.init(tok)
			c.send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + tok}})
			c.wantClose(4429, "Too many initialisation requests")
		})
		t.Run("OtherSubprotocol4406", func(t *testing.T) {
			c := dialWS(t, srv, "graphql-ws")
			c.wantClose(4406, "Subprotocol not acceptable")
		})
		t.Run("KeepAlivePings", func(t *testing.T) {
			c := dialWS(t, srv)
			c.init(tok)
			if m, err := c.nextOf(5*time.Second, func(map[string]any) bool { return true }); err != nil || m["type"] != "ping" {
				t.Fatalf("expected the server's ping, got %v %v", m, err)
			}
			c.send(map[string]any{"type": "ping"})
			if m, err := c.next(5 * time.Second); err != nil || m["type"] != "pong" {
				t.Fatalf("expected pong, got %v %v", m, err)
			}
		})
	})
}

// An open subscription ends (4403, with the reason) when its session ends:
// logged out, expired, its account disabled or its holder replaced. Alerts
// carry personal data; someone who has left must stop receiving them.
func TestSubscriptionEndsWithItsSession(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		srv := apitest.New(t, db, fastWebsocket)
		initiator := srv.LoginInitiator()
		district := f.chaoyangID
		n := 0
		official := func(t *testing.T) (account, *rawWS) {
			n++
			phone := "1360000010" + string(rune('0'+n))
			a := createAccount(t, srv, initiator, "OFFICIAL", fmt.Sprint(district), "朝阳区卫健局", phone, "")
			c := dialWS(t, srv)
			c.init(a.token)
			c.subscribe("alerts")
			// The session still stands: nothing but pings for a few checks.
			if m, err := c.next(300 * time.Millisecond); !errors.Is(err, errNothing) {
				t.Fatalf("before the session ended: %v %v", m, err)
			}
			return a, c
		}
		t.Run("LoggedOut", func(t *testing.T) {
			a, c := official(t)
			srv.QueryAs(a.token, `mutation { logout }`, nil).Decode(t, &struct{}{})
			c.wantClose(4403, "logged out")
			again := dialWS(t, srv)
			again.send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + a.token}})
			again.wantClose(4401, "Unauthorized")
		})
		t.Run("Expired", func(t *testing.T) {
			a, c := official(t)
			ctx := authz.AsSystem(privacy.DecisionContext(context.Background(), privacy.Allow))
			v, err := srv.Services.Auth.Authenticate(ctx, a.token)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Client.Session.UpdateOneID(v.SessionID).
				SetExpiresAt(time.Now().Add(-time.Second)).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			c.wantClose(4403, "expired")
		})
		t.Run("AccountDisabled", func(t *testing.T) {
			a, c := official(t)
			srv.QueryAs(initiator, `mutation($id: ID!) { disableAccount(id: $id) { __typename } }`,
				map[string]any{"id": a.ID}).Decode(t, &struct{}{})
			c.wantClose(4403, "disabled")
			again := dialWS(t, srv)
			again.send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + a.token}})
			again.wantClose(4403, "disabled")
		})
		t.Run("HolderReplaced", func(t *testing.T) {
			a, c := official(t)
			srv.QueryAs(initiator, `mutation($id: ID!, $h: HolderInput!) { replaceAccount(id: $id, holder: $h) { id } }`,
				map[string]any{"id": a.ID, "h": map[string]any{"name": "接任者", "phone": "13600000199", "password": "pass-13600000199"}}).Decode(t, &struct{}{})
			c.wantClose(4403, "replaced")
		})
	})
}

package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	coderws "github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/auth"
	"github.com/mashang/mashang/authz"
)

// Subscriptions speak graphql-transport-ws (the protocol of the npm
// graphql-ws library), written here rather than taken from gqlgen's
// transport.Websocket: that one acknowledges a connection_init without a
// token, closes protocol errors with 1002 and a refused token with 1000
// (which graphql-ws answers by reconnecting at once, forever), and cannot
// close a connection whose session has ended.

// wsSubprotocol is the only websocket subprotocol served.
const wsSubprotocol = "graphql-transport-ws"

// Close codes of graphql-transport-ws, and the RFC 6455 ones used besides.
// graphql-ws (client.ts, shouldRetryConnectOrThrow) never retries 4400,
// 4401, 4406, 4409 and 4429; it retries 4403 and 4408 (and 1013) with an
// exponential backoff of at most 5 attempts. So a token that will never
// work is refused with 4401, once; a session ended while connected closes
// with 4403, and the one retry then meets the 4401 of its dead token.
const (
	closeBadRequest            = 4400
	closeUnauthorized          = 4401
	closeForbidden             = 4403
	closeSubprotocolNotAllowed = 4406
	closeInitTimeout           = 4408
	closeSubscriberExists      = 4409
	closeTooManyInits          = 4429
	closeTryAgainLater         = 1013
)

// maxCloseReason is how many bytes RFC 6455 leaves for a close reason.
const maxCloseReason = 123

// WebsocketLimits tune subscriptions; zero fields take DefaultWebsocket's.
type WebsocketLimits struct {
	// InitTimeout is how long a connection may stay without connection_init.
	InitTimeout time.Duration
	// KeepAlive is the interval of the server's pings.
	KeepAlive time.Duration
	// SessionCheck is the interval at which an open connection's session
	// is checked again (logout, expiry, account disabled, holder
	// replaced): the longest a connection outlives its session.
	SessionCheck time.Duration
	// ReadLimit bounds one message from the client, in bytes.
	ReadLimit int64
}

// DefaultWebsocket are the websocket limits a server runs with.
var DefaultWebsocket = WebsocketLimits{InitTimeout: 10 * time.Second, KeepAlive: 15 * time.Second,
	SessionCheck: 5 * time.Second, ReadLimit: 1 << 20}

func (l WebsocketLimits) withDefaults() WebsocketLimits {
	d := DefaultWebsocket
	if l.InitTimeout > 0 {
		d.InitTimeout = l.InitTimeout
	}
	if l.KeepAlive > 0 {
		d.KeepAlive = l.KeepAlive
	}
	if l.SessionCheck > 0 {
		d.SessionCheck = l.SessionCheck
	}
	if l.ReadLimit > 0 {
		d.ReadLimit = l.ReadLimit
	}
	return d
}

// sessionAuth is what the websocket needs of auth.Service.
type sessionAuth interface {
	Authenticate(ctx context.Context, accessToken string) (*mashang.Viewer, error)
	CheckSession(ctx context.Context, v *mashang.Viewer) error
}

// websocketTransport serves subscriptions (and queries and mutations, as
// the protocol allows) over graphql-transport-ws.
type websocketTransport struct {
	auth   sessionAuth
	limits WebsocketLimits
	// origins are the host patterns besides the same origin whose pages
	// may open a websocket (coder/websocket checks Origin against Host).
	origins []string
	logger  *slog.Logger
}

var _ graphql.Transport = websocketTransport{}

func newWebsocketTransport(a sessionAuth, limits Limits, logger *slog.Logger) websocketTransport {
	return websocketTransport{auth: a, limits: limits.Websocket.withDefaults(), origins: limits.AllowedOrigins, logger: logger}
}

func (t websocketTransport) Supports(r *http.Request) bool { return r.Header.Get("Upgrade") != "" }

func (t websocketTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	conn, err := coderws.Accept(w, r, &coderws.AcceptOptions{
		Subprotocols: []string{wsSubprotocol}, OriginPatterns: t.origins,
	})
	if err != nil {
		return // Accept has answered the request
	}
	if conn.Subprotocol() != wsSubprotocol {
		_ = conn.Close(closeSubprotocolNotAllowed, "Subprotocol not acceptable: use graphql-transport-ws")
		return
	}
	conn.SetReadLimit(t.limits.ReadLimit)
	ctx, cancel := context.WithCancel(r.Context())
	c := &wsConn{t: t, conn: conn, exec: exec, headers: r.Header, cancel: cancel, ops: map[string]context.CancelFunc{}}
	defer c.running.Wait()
	defer c.close(coderws.StatusNormalClosure, "")
	in := c.readLoop(ctx)
	v, ok := c.init(ctx, in)
	if !ok {
		return
	}
	// SECURITY: every operation of the connection acts as the viewer of
	// its connection_init, and is filtered by its scope.
	c.serve(authz.WithRequest(mashang.NewContextWithViewer(ctx, v)), in, v)
}

// wsMessage is one message of graphql-transport-ws, either way.
type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// wsIn is a message read, or why none could be.
type wsIn struct {
	msg wsMessage
	bad string // a close reason for 4400
}

// wsConn is one websocket connection.
type wsConn struct {
	t       websocketTransport
	conn    *coderws.Conn
	exec    graphql.GraphExecutor
	headers http.Header
	cancel  context.CancelFunc

	mu      sync.Mutex
	ops     map[string]context.CancelFunc
	closed  bool
	running sync.WaitGroup
}

// readLoop reads the client's messages until the connection ends; the
// channel closes then.
func (c *wsConn) readLoop(ctx context.Context) <-chan wsIn {
	in := make(chan wsIn)
	go func() {
		defer close(in)
		for {
			// A cancelled read context would close the connection without
			// our close code: reads end when the connection does.
			typ, data, err := c.conn.Read(context.Background())
			if err != nil {
				c.cancel()
				return
			}
			select {
			case in <- parseWSMessage(typ, data):
			case <-ctx.Done():
				return
			}
		}
	}()
	return in
}

func parseWSMessage(typ coderws.MessageType, data []byte) wsIn {
	var m wsMessage
	if typ != coderws.MessageText || json.Unmarshal(data, &m) != nil || m.Type == "" {
		return wsIn{bad: "Invalid message received"}
	}
	switch m.Type {
	case "subscribe":
		if m.ID == "" || len(m.Payload) == 0 {
			return wsIn{bad: "Invalid message received: subscribe needs an id and a payload"}
		}
	case "complete":
		if m.ID == "" {
			return wsIn{bad: "Invalid message received: complete needs an id"}
		}
	case "connection_init", "ping", "pong":
	default:
		return wsIn{bad: "Invalid message received: unknown type"}
	}
	return wsIn{msg: m}
}

// init waits for connection_init and authenticates it; false when the
// connection was closed instead.
func (c *wsConn) init(ctx context.Context, in <-chan wsIn) (*mashang.Viewer, bool) {
	timeout := time.NewTimer(c.t.limits.InitTimeout)
	defer timeout.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, false
		case <-timeout.C:
			c.close(closeInitTimeout, "Connection initialisation timeout")
			return nil, false
		case m, ok := <-in:
			switch {
			case !ok:
				return nil, false
			case m.bad != "":
				c.close(closeBadRequest, m.bad)
				return nil, false
			case m.msg.Type == "ping":
				c.send(wsMessage{Type: "pong"})
			case m.msg.Type == "pong":
			case m.msg.Type == "connection_init":
				return c.authenticate(ctx, m.msg.Payload)
			default:
				// SECURITY: no operation before the connection is acknowledged.
				c.close(closeUnauthorized, "Unauthorized")
				return nil, false
			}
		}
	}
}

// authenticate checks the token of connection_init's payload
// ({"Authorization": "Bearer …"}) and acknowledges the connection.
// SECURITY: a connection without a valid token, or whose acting account is
// disabled, is closed before any operation (4401, 4403).
func (c *wsConn) authenticate(ctx context.Context, payload json.RawMessage) (*mashang.Viewer, bool) {
	var p map[string]any
	if len(payload) > 0 && json.Unmarshal(payload, &p) != nil {
		c.close(closeBadRequest, "Invalid message received: connection_init payload must be an object")
		return nil, false
	}
	header, _ := p["Authorization"].(string)
	if header == "" {
		header, _ = p["authorization"].(string)
	}
	token := auth.BearerToken(header)
	if token == "" {
		c.close(closeUnauthorized, `Unauthorized: log in and pass {"Authorization": "Bearer <access token>"} in connection_init`)
		return nil, false
	}
	v, err := c.t.auth.Authenticate(ctx, token)
	var appErr *mashang.Error
	switch {
	case errors.As(err, &appErr):
		c.close(closeUnauthorized, "Unauthorized: "+appErr.Message)
		return nil, false
	case err != nil:
		c.t.logger.ErrorContext(ctx, "websocket: authentication failed", "error", err.Error())
		c.close(closeTryAgainLater, "Try again later")
		return nil, false
	case v.Disabled:
		c.close(closeForbidden, "Forbidden: account disabled")
		return nil, false
	}
	c.send(wsMessage{Type: "connection_ack"})
	return v, true
}

// serve runs the acknowledged connection: operations, the server's pings
// and the periodic check of the session.
func (c *wsConn) serve(ctx context.Context, in <-chan wsIn, v *mashang.Viewer) {
	ping := time.NewTicker(c.t.limits.KeepAlive)
	defer ping.Stop()
	check := time.NewTicker(c.t.limits.SessionCheck)
	defer check.Stop()
	failures := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-ping.C:
			c.send(wsMessage{Type: "ping"})
		case <-check.C:
			if !c.sessionStands(ctx, v, &failures) {
				return
			}
		case m, ok := <-in:
			if !ok || !c.handle(ctx, m) {
				return
			}
		}
	}
}

// sessionStands checks v's session again and closes the connection when
// it has ended: logged out or expired (4403; the client's retry then meets
// 4401), account disabled or its holder replaced (4403). Three failed
// checks in a row close it too (1013): an unchecked session is not served.
// SECURITY: alerts carry personal data; they stop reaching someone who
// has left within one SessionCheck interval, on every replica, since the
// check reads the database.
func (c *wsConn) sessionStands(ctx context.Context, v *mashang.Viewer, failures *int) bool {
	checkCtx, cancel := context.WithTimeout(ctx, c.t.limits.SessionCheck)
	defer cancel()
	err := c.t.auth.CheckSession(checkCtx, v)
	var appErr *mashang.Error
	switch {
	case err == nil:
		*failures = 0
		return true
	case errors.As(err, &appErr):
		c.close(closeForbidden, "Forbidden: "+appErr.Message)
		return false
	case ctx.Err() != nil:
		return false
	}
	*failures++
	c.t.logger.WarnContext(ctx, "websocket: session check failed", "error", err.Error(), "failures", *failures)
	if *failures < 3 {
		return true
	}
	c.close(closeTryAgainLater, "Try again later")
	return false
}

// handle answers one message of an acknowledged connection; false when it
// closed the connection.
func (c *wsConn) handle(ctx context.Context, m wsIn) bool {
	switch {
	case m.bad != "":
		c.close(closeBadRequest, m.bad)
		return false
	case m.msg.Type == "connection_init":
		c.close(closeTooManyInits, "Too many initialisation requests")
		return false
	case m.msg.Type == "ping":
		c.send(wsMessage{Type: "pong"})
	case m.msg.Type == "subscribe":
		return c.start(ctx, m.msg)
	case m.msg.Type == "complete":
		c.mu.Lock()
		stop := c.ops[m.msg.ID]
		delete(c.ops, m.msg.ID)
		c.mu.Unlock()
		if stop != nil {
			stop()
		}
	}
	return true
}

// start runs the operation of a subscribe message on its own goroutine.
func (c *wsConn) start(ctx context.Context, m wsMessage) bool {
	received := graphql.Now()
	var params graphql.RawParams
	dec := json.NewDecoder(bytes.NewReader(m.Payload))
	dec.UseNumber()
	if err := dec.Decode(&params); err != nil {
		c.close(closeBadRequest, "Invalid message received: bad subscribe payload")
		return false
	}
	params.Headers = c.headers
	params.ReadTime = graphql.TraceTiming{Start: received, End: graphql.Now()}
	opCtx, stop := context.WithCancel(ctx)
	c.mu.Lock()
	if _, dup := c.ops[m.ID]; dup {
		c.mu.Unlock()
		stop()
		c.close(closeSubscriberExists, limitReason("Subscriber for "+m.ID+" already exists"))
		return false
	}
	c.ops[m.ID] = stop
	c.running.Add(1)
	c.mu.Unlock()
	go c.run(opCtx, m.ID, &params)
	return true
}

// run executes one operation and streams its results as next messages,
// then complete; an operation that cannot start answers error instead.
func (c *wsConn) run(ctx context.Context, id string, params *graphql.RawParams) {
	defer c.running.Done()
	ctx = graphql.StartOperationTrace(ctx)
	rc, errs := c.exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp := c.exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs)
		c.finish(ctx, id, "error", resp.Errors)
		return
	}
	ctx = graphql.WithOperationContext(ctx, rc)
	defer func() {
		if p := recover(); p != nil {
			resp := c.exec.DispatchError(ctx, gqlerror.List{gqlerror.WrapIfUnwrapped(rc.Recover(ctx, p))})
			c.finish(ctx, id, "error", resp.Errors)
		}
	}()
	responses, respCtx := c.exec.DispatchOperation(ctx, rc)
	for {
		resp := responses(respCtx)
		if resp == nil {
			break
		}
		c.sendPayload(id, "next", resp)
	}
	c.finish(ctx, id, "complete", nil)
}

// finish forgets a finished operation and, unless the client completed it
// or the connection is closing, sends its last message: complete, or error
// with the errors.
func (c *wsConn) finish(ctx context.Context, id, typ string, errs gqlerror.List) {
	c.mu.Lock()
	stop, current := c.ops[id]
	delete(c.ops, id)
	c.mu.Unlock()
	if !current {
		return
	}
	defer stop()
	switch {
	case ctx.Err() != nil:
	case typ == "error":
		c.sendPayload(id, typ, errs)
	default:
		c.send(wsMessage{ID: id, Type: typ})
	}
}

func (c *wsConn) sendPayload(id, typ string, payload any) {
	b, err := json.Marshal(payload)
	if err != nil {
		c.t.logger.Error("websocket: cannot encode a message", "error", err.Error())
		return
	}
	c.send(wsMessage{ID: id, Type: typ, Payload: b})
}

// writeTimeout bounds one write: a client that stops reading is dropped.
const writeTimeout = 10 * time.Second

func (c *wsConn) send(m wsMessage) {
	b, err := json.Marshal(m)
	if err != nil {
		return
	}
	// Not the connection's context: a cancelled write context makes
	// coder/websocket drop the connection without our close code.
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	if err := c.conn.Write(ctx, coderws.MessageText, b); err != nil {
		c.cancel()
	}
}

// close ends the connection with code and reason, once: its operations
// stop, then the close frame is sent.
func (c *wsConn) close(code coderws.StatusCode, reason string) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	for _, stop := range c.ops {
		stop()
	}
	c.mu.Unlock()
	c.cancel()
	_ = c.conn.Close(code, limitReason(reason))
}

// limitReason cuts a close reason to what a close frame holds, on a
// character boundary.
func limitReason(s string) string {
	if len(s) <= maxCloseReason {
		return s
	}
	s = s[:maxCloseReason]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

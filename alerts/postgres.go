package alerts

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lib/pq"
	"github.com/mashang/mashang"
)

// Channel is the PostgreSQL notification channel of alert pushes.
const Channel = "mashang_alerts"

// maxPayload bounds one notification's payload: PostgreSQL refuses 8000
// bytes or more; the margin leaves room for an encoding that is not UTF-8.
const maxPayload = 7900

// listenTimeout bounds how long NewPostgresBroker waits for its LISTEN.
const listenTimeout = 15 * time.Second

// pgBroker keeps the replicas' subscriptions in step (DESIGN §11): a
// publish is one NOTIFY statement; every replica's listener, the
// publisher's own included, fans the notifications out to its local
// subscribers. Publish never delivers locally, so each subscriber hears a
// message exactly once.
type pgBroker struct {
	channel  string
	db       *sql.DB
	listener *pq.Listener
	h        *hub
	logger   *slog.Logger
	done     chan struct{}

	closeOnce sync.Once
	closeErr  error
	// starting receives the first failed connection attempt while
	// NewPostgresBroker waits for its LISTEN.
	starting  chan error
	startedUp atomic.Bool
}

// NewPostgresBroker listens on Channel with a dedicated, reconnecting
// connection (pq.NewListener on dsn) and publishes with pg_notify on db.
// It returns once the LISTEN is in place, so every notification committed
// after it returns reaches this replica's subscribers; it fails when the
// first connection attempt fails (or nothing answers within 15 s).
// Notifications sent while the listening connection is down are lost (they
// are pushes; the alerts themselves are in the table), and logged as such.
// The channel is per database, not per schema: deployments sharing one
// database each need their own channel (NewPostgresBrokerOn, ChannelFor).
func NewPostgresBroker(dsn string, db *sql.DB, logger *slog.Logger) (Broker, error) {
	return NewPostgresBrokerOn(dsn, db, Channel, logger)
}

// ChannelFor is the notification channel of a deployment working in the
// PostgreSQL schema schema ("" for the default one): schemas sharing a
// database must not hear each other's alerts.
func ChannelFor(schema string) string {
	if schema == "" || schema == "public" {
		return Channel
	}
	ch := Channel + "_" + schema
	if len(ch) > 63 { // PostgreSQL truncates identifiers at 63 bytes
		ch = ch[:63]
	}
	return ch
}

// NewPostgresBrokerOn is NewPostgresBroker on another channel.
func NewPostgresBrokerOn(dsn string, db *sql.DB, channel string, logger *slog.Logger) (Broker, error) {
	if db == nil {
		return nil, fmt.Errorf("alerts: NewPostgresBroker needs the database handle to publish with")
	}
	if logger == nil {
		logger = slog.Default()
	}
	b := &pgBroker{channel: channel, db: db, h: newHub(), logger: logger, done: make(chan struct{}), starting: make(chan error, 1)}
	b.listener = pq.NewListener(dsn, time.Second, time.Minute, b.event)

	// Listen waits for a connection however long it takes: at start-up a
	// failed connection is an error to report at once (a wrong DSN, the
	// server down); later ones are retried.
	errc := make(chan error, 1)
	go func() { errc <- b.listener.Listen(channel) }()
	timer := time.NewTimer(listenTimeout)
	defer timer.Stop()
	var err error
	select {
	case err = <-errc:
	case err = <-b.starting:
	case <-timer.C:
		err = fmt.Errorf("no answer within %s", listenTimeout)
	}
	if err != nil {
		_ = b.listener.Close()
		return nil, fmt.Errorf("alerts: LISTEN %s: %w", channel, err)
	}
	b.startedUp.Store(true)
	go b.run()
	return b, nil
}

func (b *pgBroker) event(ev pq.ListenerEventType, err error) {
	switch ev {
	case pq.ListenerEventConnectionAttemptFailed:
		if !b.startedUp.Load() {
			select {
			case b.starting <- err:
			default:
			}
		}
		b.logger.Warn("alerts: LISTEN connection attempt failed", "err", err)
	case pq.ListenerEventDisconnected:
		b.logger.Warn("alerts: LISTEN connection lost; reconnecting", "err", err)
	case pq.ListenerEventReconnected:
		b.logger.Info("alerts: LISTEN connection re-established")
	}
}

// run fans the notifications out until the listener is closed.
func (b *pgBroker) run() {
	defer close(b.done)
	// A dead connection is noticed only when something is sent on it: ping
	// when nothing has arrived for a while (pq's advice).
	ping := time.NewTicker(90 * time.Second)
	defer ping.Stop()
	for {
		select {
		case n, ok := <-b.listener.Notify:
			if !ok {
				return
			}
			if n == nil {
				b.logger.Warn("alerts: LISTEN reconnected; pushes sent while it was down were not delivered (the alerts are in the list)")
				continue
			}
			if n.Channel != b.channel {
				continue
			}
			msgs, err := decodePayload(n.Extra)
			if err != nil {
				b.logger.Warn("alerts: unreadable notification dropped", "err", err, "bytes", len(n.Extra))
				continue
			}
			b.h.deliver(msgs)
		case <-ping.C:
			go func() { _ = b.listener.Ping() }()
		}
	}
}

// Publish sends msgs in as few notifications as fit the payload limit, in
// one statement. It does not deliver locally: this replica's listener does.
func (b *pgBroker) Publish(ctx context.Context, msgs []Message) error {
	if b.h.isClosed() {
		return ErrClosed
	}
	if len(msgs) == 0 {
		return nil
	}
	payloads, err := encodePayloads(msgs, maxPayload)
	if err != nil {
		return mashang.Wrap(err, "alerts.Publish")
	}
	if _, err := b.db.ExecContext(ctx, `SELECT pg_notify($1, p) FROM unnest($2::text[]) WITH ORDINALITY AS t(p, n) ORDER BY n`, b.channel, pq.Array(payloads)); err != nil {
		return fmt.Errorf("alerts: NOTIFY %d messages: %w", len(msgs), err)
	}
	return nil
}

func (b *pgBroker) Subscribe() (<-chan Message, func()) { return b.h.subscribe() }

// Close stops listening and closes every subscription.
func (b *pgBroker) Close() error {
	b.closeOnce.Do(func() {
		b.closeErr = b.listener.Close()
		<-b.done
		b.h.close()
	})
	return b.closeErr
}

func (b *pgBroker) Dropped() uint64 { return b.h.dropped.Load() }

// Subscribers is the number of open subscriptions on this replica.
func (b *pgBroker) Subscribers() int { return b.h.count() }

// encodePayloads packs msgs, in order, into JSON arrays of at most limit
// bytes each, filling each before starting the next.
func encodePayloads(msgs []Message, limit int) ([]string, error) {
	var (
		out []string
		buf []byte
	)
	for _, m := range msgs {
		j, err := json.Marshal(m)
		if err != nil {
			return nil, fmt.Errorf("alerts: encode message: %w", err)
		}
		if len(j)+2 > limit {
			return nil, fmt.Errorf("alerts: message of alert %d is %d bytes, more than a notification holds", m.AlertID, len(j))
		}
		if len(buf) > 0 && len(buf)+len(j)+2 > limit { // ",…]"
			out = append(out, string(append(buf, ']')))
			buf = buf[:0]
		}
		if len(buf) == 0 {
			buf = append(buf, '[')
		} else {
			buf = append(buf, ',')
		}
		buf = append(buf, j...)
	}
	if len(buf) > 0 {
		out = append(out, string(append(buf, ']')))
	}
	return out, nil
}

func decodePayload(p string) ([]Message, error) {
	var msgs []Message
	if err := json.Unmarshal([]byte(p), &msgs); err != nil {
		return nil, mashang.Wrap(err, "alerts.decodePayload")
	}
	return msgs, nil
}

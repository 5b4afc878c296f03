package alerts

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// SubscriberBuffer is how many messages wait for a subscriber before
// further ones are dropped for it.
const SubscriberBuffer = 256

// ErrClosed is returned by Publish on a closed broker.
var ErrClosed = errors.New("alerts: broker closed")

// Broker carries messages to the subscribers of every replica.
type Broker interface {
	Publish(ctx context.Context, msgs []Message) error
	// Subscribe returns a channel of messages published on any replica, and
	// a cancel func. Slow subscribers never block publishers: a message that
	// finds a subscriber's buffer (SubscriberBuffer) full is dropped for it,
	// and counted. The channel is closed by cancel and by Close.
	Subscribe() (<-chan Message, func())
	Close() error
}

// DropCounter is implemented by the brokers of this package: the messages
// dropped so far because a subscriber's buffer was full.
type DropCounter interface {
	Dropped() uint64
}

// SubscriberCounter is implemented by both brokers: the subscriptions
// open on this replica (the alert_subscribers metric; tests wait on it).
type SubscriberCounter interface {
	Subscribers() int
}

// hub fans messages out to the local subscribers.
type hub struct {
	mu      sync.RWMutex
	subs    map[*subscriber]struct{}
	closed  bool
	dropped atomic.Uint64
}

type subscriber struct{ ch chan Message }

func newHub() *hub { return &hub{subs: map[*subscriber]struct{}{}} }

func (h *hub) subscribe() (<-chan Message, func()) {
	s := &subscriber{ch: make(chan Message, SubscriberBuffer)}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		close(s.ch)
		return s.ch, func() {}
	}
	h.subs[s] = struct{}{}
	return s.ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if _, ok := h.subs[s]; ok {
			delete(h.subs, s)
			close(s.ch)
		}
	}
}

// deliver never blocks: sends happen under the read lock, and a channel is
// closed only under the write lock, so no send meets a closed channel.
func (h *hub) deliver(msgs []Message) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for s := range h.subs {
		for _, m := range msgs {
			select {
			case s.ch <- m:
			default:
				h.dropped.Add(1)
			}
		}
	}
}

func (h *hub) isClosed() bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.closed
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.closed = true
	for s := range h.subs {
		delete(h.subs, s)
		close(s.ch)
	}
}

// memoryBroker is one process's fan-out: enough when there is one replica
// (SQLite) and in tests.
type memoryBroker struct{ h *hub }

// NewMemoryBroker returns an in-process broker.
func NewMemoryBroker() Broker { return &memoryBroker{h: newHub()} }

func (b *memoryBroker) Publish(ctx context.Context, msgs []Message) error {
	if b.h.isClosed() {
		return ErrClosed
	}
	b.h.deliver(msgs)
	return nil
}

func (b *memoryBroker) Subscribe() (<-chan Message, func()) { return b.h.subscribe() }

func (b *memoryBroker) Close() error {
	b.h.close()
	return nil
}

func (b *memoryBroker) Dropped() uint64 { return b.h.dropped.Load() }

// Subscribers is the number of open subscriptions.
func (b *memoryBroker) Subscribers() int { return b.h.count() }

func (h *hub) count() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.subs)
}

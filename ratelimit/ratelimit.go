// Package ratelimit keeps the counts of the server's rate limits (logins,
// registrations) where every replica sees them, and carries what the
// limits need through a request: the client's address (set by httpserver
// from the socket peer and the trusted proxies' X-Forwarded-For) and the
// Retry-After of a refusal.
//
// Two stores implement the same Store: Redis (NewRedis, for a deployment of
// several replicas: one count per key whatever replica serves the request;
// GCRA through github.com/go-redis/redis_rate) and process memory
// (NewMemory, golang.org/x/time/rate token buckets: a single replica only,
// since every replica would keep counts of its own).
package ratelimit

import (
	"context"
	"errors"
	"math"
	"sync"
	"time"

	"github.com/mashang/mashang"
)

// Limit allows Events per Period, at most Burst of them at once (Burst 0
// means Events): a generic cell rate / token bucket, which refills one event
// every Period/Events.
type Limit struct {
	Events int
	Period time.Duration
	Burst  int
}

// PerHour allows n events an hour, all at once if need be.
func PerHour(n int) Limit { return Limit{Events: n, Period: time.Hour} }

// Enabled reports whether the limit limits anything.
func (l Limit) Enabled() bool { return l.Events > 0 && l.Period > 0 }

func (l Limit) burst() int {
	if l.Burst > 0 {
		return l.Burst
	}
	return l.Events
}

// interval is the time one event takes to refill.
func (l Limit) interval() time.Duration { return l.Period / time.Duration(l.Events) }

// Result is the answer of Store.Allow.
type Result struct {
	// Allowed: the events were counted.
	Allowed bool
	// Remaining is how many more events the key may have now.
	Remaining int
	// RetryAfter is, when the events were refused or none remain, the time
	// until one more event fits; 0 otherwise.
	RetryAfter time.Duration
}

// Store keeps rate-limit state. Implementations are safe for concurrent use;
// keys are chosen by the callers (package prefixes such as "login:").
type Store interface {
	// Allow counts cost events on key against limit, or none when they do
	// not fit.
	Allow(ctx context.Context, key string, limit Limit, cost int) (Result, error)
	// Incr adds one to the counter at key and returns it; the counter is
	// forgotten ttl after its first increment.
	Incr(ctx context.Context, key string, ttl time.Duration) (int64, error)
	// Block refuses key for d (replacing an earlier block).
	Block(ctx context.Context, key string, d time.Duration) error
	// Blocked returns how long key stays blocked; 0 when it is not.
	Blocked(ctx context.Context, key string) (time.Duration, error)
	// Reset forgets keys: their counters, blocks and limits.
	Reset(ctx context.Context, keys ...string) error
}

// Refused is a refusal by a rate limit: the error a client is shown and
// when it may try again (extensions.retryAfterSeconds, HTTP Retry-After).
type Refused struct {
	Err        *mashang.Error
	RetryAfter time.Duration
}

func (r *Refused) Error() string { return r.Err.Error() }
func (r *Refused) Unwrap() error { return r.Err }

// After returns err as a refusal that may be retried after d.
func After(d time.Duration, err *mashang.Error) error {
	return &Refused{Err: err, RetryAfter: d}
}

// RetryAfter returns the whole seconds (at least 1) a refusal in err's chain
// asks the client to wait.
func RetryAfter(err error) (int, bool) {
	var r *Refused
	if !errors.As(err, &r) {
		return 0, false
	}
	return Seconds(r.RetryAfter), true
}

// Seconds rounds d up to whole seconds, at least 1.
func Seconds(d time.Duration) int {
	s := int(math.Ceil(d.Seconds()))
	if s < 1 {
		s = 1
	}
	return s
}

// retryHint collects the longest Retry-After of one request's refusals.
type retryHint struct {
	mu      sync.Mutex
	seconds int
}

type hintKey struct{}

// WithRetryHint prepares ctx to collect the refusals of one request;
// the returned function reads the seconds to send as Retry-After (0: none).
func WithRetryHint(ctx context.Context) (context.Context, func() int) {
	h := &retryHint{}
	return context.WithValue(ctx, hintKey{}, h), func() int {
		h.mu.Lock()
		defer h.mu.Unlock()
		return h.seconds
	}
}

// NoteRetryAfter records a refusal of the request in ctx, asking the client
// to wait seconds.
func NoteRetryAfter(ctx context.Context, seconds int) {
	h, _ := ctx.Value(hintKey{}).(*retryHint)
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if seconds > h.seconds {
		h.seconds = seconds
	}
}

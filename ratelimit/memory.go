package ratelimit

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Memory is a Store in the memory of one process.
//
// SECURITY: its counts are per replica. Behind a load balancer that spreads
// requests over N replicas a client gets up to N times every limit: run a
// single replica with it, or configure Redis (NewRedis, MASHANG_REDIS_URL).
type Memory struct {
	now func() time.Time

	mu       sync.Mutex
	buckets  map[string]*bucket
	counters map[string]*counter
	blocks   map[string]time.Time
	writes   int
}

type bucket struct {
	limit Limit
	lim   *rate.Limiter
}

type counter struct {
	n       int64
	expires time.Time
}

// NewMemory returns an in-process store; now is its clock (nil: time.Now).
func NewMemory(now func() time.Time) *Memory {
	if now == nil {
		now = time.Now
	}
	return &Memory{now: now, buckets: map[string]*bucket{}, counters: map[string]*counter{}, blocks: map[string]time.Time{}}
}

// sweepEvery is how many writes pass between sweeps of spent keys, which
// keep memory bounded when a client cycles through phones or addresses.
const sweepEvery = 1024

// Allow implements Store.
func (m *Memory) Allow(_ context.Context, key string, l Limit, cost int) (Result, error) {
	if !l.Enabled() {
		return Result{Allowed: true, Remaining: cost}, nil
	}
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	b := m.buckets[key]
	if b == nil || b.limit != l {
		b = &bucket{limit: l, lim: rate.NewLimiter(rate.Every(l.interval()), l.burst())}
		m.buckets[key] = b
	}
	m.wrote(now)
	res := Result{Allowed: b.lim.AllowN(now, cost)}
	tokens := b.lim.TokensAt(now)
	res.Remaining = int(tokens)
	if !res.Allowed || res.Remaining == 0 {
		need := float64(cost)
		if res.Allowed {
			need = 1
		}
		res.RetryAfter = time.Duration((need - tokens) * float64(l.interval()))
	}
	return res, nil
}

// Incr implements Store.
func (m *Memory) Incr(_ context.Context, key string, ttl time.Duration) (int64, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.counters[key]
	if c == nil || !now.Before(c.expires) {
		c = &counter{expires: now.Add(ttl)}
		m.counters[key] = c
	}
	c.n++
	m.wrote(now)
	return c.n, nil
}

// Block implements Store.
func (m *Memory) Block(_ context.Context, key string, d time.Duration) error {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.blocks[key] = now.Add(d)
	m.wrote(now)
	return nil
}

// Blocked implements Store.
func (m *Memory) Blocked(_ context.Context, key string) (time.Duration, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if until, ok := m.blocks[key]; ok && now.Before(until) {
		return until.Sub(now), nil
	}
	return 0, nil
}

// Reset implements Store.
func (m *Memory) Reset(_ context.Context, keys ...string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range keys {
		delete(m.buckets, k)
		delete(m.counters, k)
		delete(m.blocks, k)
	}
	return nil
}

// wrote counts a write and now and then forgets what no longer limits
// anything: full buckets, expired counters and blocks. Callers hold m.mu.
func (m *Memory) wrote(now time.Time) {
	m.writes++
	if m.writes%sweepEvery != 0 {
		return
	}
	for k, b := range m.buckets {
		if b.lim.TokensAt(now) >= float64(b.limit.burst()) {
			delete(m.buckets, k)
		}
	}
	for k, c := range m.counters {
		if !now.Before(c.expires) {
			delete(m.counters, k)
		}
	}
	for k, until := range m.blocks {
		if !now.Before(until) {
			delete(m.blocks, k)
		}
	}
}

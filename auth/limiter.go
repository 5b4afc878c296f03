package auth

import (
	"context"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// KeyKind says what a limiter key counts failed logins of.
type KeyKind int

// Key kinds.
const (
	// KeyPhone counts failures per phone number (its keyed hash, never the
	// number itself), whether or not a user has that number.
	KeyPhone KeyKind = iota + 1
	// KeyAddress counts failures per client address (an IPv4 address or an
	// IPv6 /64 network).
	KeyAddress
)

// Key names one counter of a Limiter.
type Key struct {
	Kind  KeyKind
	Value string
}

// Limiter counts failed logins and refuses further attempts for a key once
// it has too many failures within its window.
//
// Implementations must be safe for concurrent use. The methods take a
// context and return errors so that an implementation can keep its state in
// the database (shared by every replica); MemoryLimiter keeps it in memory.
type Limiter interface {
	// Blocked reports whether attempts for key are refused at now and, if
	// so, from when on they are allowed again.
	Blocked(ctx context.Context, key Key, now time.Time) (retryAt time.Time, blocked bool, err error)
	// Failed records a failed attempt for key at now.
	Failed(ctx context.Context, key Key, now time.Time) error
	// Reset forgets the failures of key.
	Reset(ctx context.Context, key Key) error
}

// Default limits of Config.Limiter: seed-independent, chosen so a person who
// mistypes a few times is never stopped while a password-guessing run is
// slowed to a handful of guesses per phone per quarter hour.
const (
	DefaultLimitWindow     = 15 * time.Minute
	DefaultPhoneFailures   = 5
	DefaultAddressFailures = 30
)

// MemoryLimiter is a sliding-window Limiter held in the memory of one
// process.
//
// SECURITY: its counts are per replica. Behind a load balancer that spreads
// requests over N replicas an attacker gets up to N times the limit; run a
// single replica, use sticky routing by client address, or replace it with a
// database-backed Limiter when that matters.
type MemoryLimiter struct {
	window time.Duration
	limits map[KeyKind]int

	mu       sync.Mutex
	failures map[Key][]time.Time // oldest first, at most limit entries
	writes   int
}

// NewMemoryLimiter returns a limiter that blocks a phone after perPhone
// failures and an address after perAddress failures within window. A limit
// of 0 or less disables that kind.
func NewMemoryLimiter(window time.Duration, perPhone, perAddress int) *MemoryLimiter {
	return &MemoryLimiter{
		window:   window,
		limits:   map[KeyKind]int{KeyPhone: perPhone, KeyAddress: perAddress},
		failures: make(map[Key][]time.Time),
	}
}

// sweepEvery is how many writes pass between sweeps of stale keys, which
// keep memory bounded when an attacker cycles through phones or addresses.
const sweepEvery = 1024

// recent returns the failures of key within the window ending at now.
// Callers hold l.mu.
func (l *MemoryLimiter) recent(key Key, now time.Time) []time.Time {
	ts := l.failures[key]
	cut := now.Add(-l.window)
	i := 0
	for i < len(ts) && !ts[i].After(cut) {
		i++
	}
	return ts[i:]
}

// Blocked implements Limiter.
func (l *MemoryLimiter) Blocked(_ context.Context, key Key, now time.Time) (time.Time, bool, error) {
	limit := l.limits[key.Kind]
	if limit <= 0 {
		return time.Time{}, false, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	ts := l.recent(key, now)
	if len(ts) < limit {
		return time.Time{}, false, nil
	}
	// Allowed again once the oldest of the last `limit` failures leaves the
	// window.
	return ts[len(ts)-limit].Add(l.window), true, nil
}

// Failed implements Limiter.
func (l *MemoryLimiter) Failed(_ context.Context, key Key, now time.Time) error {
	limit := l.limits[key.Kind]
	if limit <= 0 {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	ts := append(l.recent(key, now), now)
	if len(ts) > limit {
		ts = ts[len(ts)-limit:]
	}
	// Copy so the backing array does not keep growing at its front.
	l.failures[key] = append([]time.Time(nil), ts...)
	l.writes++
	if l.writes%sweepEvery == 0 {
		cut := now.Add(-l.window)
		for k, v := range l.failures {
			if len(v) == 0 || !v[len(v)-1].After(cut) {
				delete(l.failures, k)
			}
		}
	}
	return nil
}

// Reset implements Limiter.
func (l *MemoryLimiter) Reset(_ context.Context, key Key) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, key)
	return nil
}

// addressKey reduces a remote address ("1.2.3.4:5678", "[2001:db8::1]:443",
// or a bare address) to what the limiter counts: the IPv4 address, or the
// IPv6 /64 network (one subscriber usually holds a whole /64, so counting
// single IPv6 addresses would limit nothing). "" means unknown: not counted.
func addressKey(remoteAddr string) string {
	s := strings.TrimSpace(remoteAddr)
	if s == "" {
		return ""
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		s = ap.Addr().String()
	}
	a, err := netip.ParseAddr(strings.Trim(s, "[]"))
	if err != nil {
		if len(s) > 100 {
			s = s[:100]
		}
		return s
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

package graph

import (
	"net"
	"sync"
	"time"
)

// windowLimiter allows limit events per key within a fixed window.
// SECURITY: it keeps anonymous callers from registering persons in bulk,
// which would also let them test, ID number by ID number, who is
// registered (registerPerson answers CONFLICT for a known document). Its
// counts are per replica, like the login limiter's.
type windowLimiter struct {
	limit  int
	window time.Duration

	mu   sync.Mutex
	hits map[string]*windowCount
}

type windowCount struct {
	start time.Time
	n     int
}

func newWindowLimiter(limit int, window time.Duration) *windowLimiter {
	return &windowLimiter{limit: limit, window: window, hits: map[string]*windowCount{}}
}

// allow counts one event for key at now; when over the limit it returns
// false and when the window ends.
func (l *windowLimiter) allow(key string, now time.Time) (bool, time.Time) {
	if l == nil || l.limit <= 0 {
		return true, time.Time{}
	}
	if host, _, err := net.SplitHostPort(key); err == nil {
		key = host
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.hits) > 100_000 { // bounded memory: forget ended windows
		for k, c := range l.hits {
			if now.Sub(c.start) >= l.window {
				delete(l.hits, k)
			}
		}
	}
	c := l.hits[key]
	if c == nil || now.Sub(c.start) >= l.window {
		c = &windowCount{start: now}
		l.hits[key] = c
	}
	if c.n >= l.limit {
		return false, c.start.Add(l.window)
	}
	c.n++
	return true, time.Time{}
}

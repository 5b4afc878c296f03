package ratelimit_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ratelimit"
	"github.com/mashang/mashang/ratelimit/redistest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// stores runs f over the in-process store and over Redis: both keep the
// same promises.
func stores(t *testing.T, f func(t *testing.T, s ratelimit.Store)) {
	t.Run("memory", func(t *testing.T) { f(t, ratelimit.NewMemory(nil)) })
	t.Run("redis", func(t *testing.T) { f(t, redistest.Store(t, redistest.Prefix(t))) })
}

func TestALimitRefusesTheEventPastItsBurst(t *testing.T) {
	stores(t, func(t *testing.T, s ratelimit.Store) {
		ctx := context.Background()
		l := ratelimit.Limit{Events: 3, Period: time.Hour}
		for i := 1; i <= 3; i++ {
			res, err := s.Allow(ctx, "k", l, 1)
			if err != nil || !res.Allowed || res.Remaining != 3-i {
				t.Fatalf("event %d: %+v %v", i, res, err)
			}
			if i == 3 && (res.RetryAfter <= 0 || res.RetryAfter > 20*time.Minute) {
				t.Fatalf("no event left, but RetryAfter = %v, want about 20 min", res.RetryAfter)
			}
		}
		res, err := s.Allow(ctx, "k", l, 1)
		if err != nil || res.Allowed {
			t.Fatalf("the fourth event within the hour was allowed: %+v %v", res, err)
		}
		if res.RetryAfter < 19*time.Minute || res.RetryAfter > 20*time.Minute {
			t.Fatalf("RetryAfter = %v, want about 20 min (one event refills every 20)", res.RetryAfter)
		}
		if res, _ := s.Allow(ctx, "other", l, 1); !res.Allowed {
			t.Fatal("another key was limited")
		}
		if err := s.Reset(ctx, "k"); err != nil {
			t.Fatal(err)
		}
		if res, _ := s.Allow(ctx, "k", l, 1); !res.Allowed {
			t.Fatal("still limited after Reset")
		}
	})
}

func TestCountersAndBlocks(t *testing.T) {
	stores(t, func(t *testing.T, s ratelimit.Store) {
		ctx := context.Background()
		for i := int64(1); i <= 3; i++ {
			if n, err := s.Incr(ctx, "c", time.Hour); err != nil || n != i {
				t.Fatalf("Incr %d = %d, %v", i, n, err)
			}
		}
		if d, err := s.Blocked(ctx, "b"); err != nil || d != 0 {
			t.Fatalf("an unknown key is blocked for %v (%v)", d, err)
		}
		if err := s.Block(ctx, "b", time.Minute); err != nil {
			t.Fatal(err)
		}
		if d, _ := s.Blocked(ctx, "b"); d <= 50*time.Second || d > time.Minute {
			t.Fatalf("blocked for %v, want about a minute", d)
		}
		if err := s.Reset(ctx, "b", "c"); err != nil {
			t.Fatal(err)
		}
		if d, _ := s.Blocked(ctx, "b"); d != 0 {
			t.Fatal("blocked after Reset")
		}
		if n, _ := s.Incr(ctx, "c", time.Hour); n != 1 {
			t.Fatalf("counter after Reset = %d, want 1", n)
		}
	})
}

func TestMemoryStoreForgetsWhatExpired(t *testing.T) {
	c := &clock{t: time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)}
	s := ratelimit.NewMemory(c.Now)
	ctx := context.Background()
	_, _ = s.Incr(ctx, "c", time.Minute)
	_ = s.Block(ctx, "b", time.Minute)
	l := ratelimit.Limit{Events: 1, Period: time.Minute}
	_, _ = s.Allow(ctx, "l", l, 1)
	if res, _ := s.Allow(ctx, "l", l, 1); res.Allowed {
		t.Fatal("allowed past the limit")
	}
	c.Add(time.Minute)
	if n, _ := s.Incr(ctx, "c", time.Minute); n != 1 {
		t.Fatalf("counter outlived its ttl: %d", n)
	}
	if d, _ := s.Blocked(ctx, "b"); d != 0 {
		t.Fatalf("block outlived its time: %v", d)
	}
	if res, _ := s.Allow(ctx, "l", l, 1); !res.Allowed {
		t.Fatal("the limit did not refill")
	}
	// Many keys, spent long ago, do not stay in memory forever.
	for i := range 5000 {
		_, _ = s.Incr(ctx, fmt.Sprint("spray", i), time.Second)
	}
	c.Add(time.Hour)
	for i := range 2048 {
		_ = s.Block(ctx, fmt.Sprint("later", i), time.Second)
	}
	if n := ratelimit.MemoryKeys(s); n > 4096 {
		t.Fatalf("%d keys kept; spent ones are never swept", n)
	}
}

// TestTwoReplicasShareCountsThroughRedis: behind a load balancer every
// replica must see the same counts, or an attacker gets N times the limit.
func TestTwoReplicasShareCountsThroughRedis(t *testing.T) {
	ctx := context.Background()
	prefix := redistest.Prefix(t)
	a, b := redistest.Store(t, prefix), redistest.Store(t, prefix)
	l := ratelimit.Limit{Events: 4, Period: time.Hour}
	for i := range 4 {
		s := a
		if i%2 == 1 {
			s = b
		}
		if res, err := s.Allow(ctx, "login", l, 1); err != nil || !res.Allowed {
			t.Fatalf("event %d: %+v %v", i+1, res, err)
		}
	}
	for name, s := range map[string]ratelimit.Store{"a": a, "b": b} {
		if res, _ := s.Allow(ctx, "login", l, 1); res.Allowed {
			t.Fatalf("replica %s allowed a fifth event: the replicas count apart", name)
		}
	}
	if n, _ := a.Incr(ctx, "streak", time.Hour); n != 1 {
		t.Fatal(n)
	}
	if n, _ := b.Incr(ctx, "streak", time.Hour); n != 2 {
		t.Fatalf("replica b counted %d, want 2 (a's increment)", n)
	}
	_ = a.Block(ctx, "lock", time.Minute)
	if d, _ := b.Blocked(ctx, "lock"); d <= 0 {
		t.Fatal("replica b does not see a's block")
	}
}

func TestIPv6AddressesAreKeyedByTheirSlash64(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7:5555":                   "192.0.2.7",
		"192.0.2.7":                        "192.0.2.7",
		"[::ffff:192.0.2.7]:80":            "192.0.2.7",
		"[2001:db8:1:2::1]:443":            "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff:ffff:ffff:ffff": "2001:db8:1:2::/64",
		"2001:db8:1:3::1":                  "2001:db8:1:3::/64",
		"fe80::1%eth0":                     "fe80::/64",
		"":                                 "",
	} {
		if got := ratelimit.AddressKey(in); got != want {
			t.Errorf("AddressKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestARefusalCarriesItsRetryAfter(t *testing.T) {
	err := ratelimit.After(1500*time.Millisecond, mashang.Errorf(mashang.ERATELIMITED, "Too many failed login attempts. Try again in %d %s (after %v).", 1, "minute", time.Now()))
	if secs, ok := ratelimit.RetryAfter(mashang.Wrap(err, "x")); !ok || secs != 2 {
		t.Fatalf("RetryAfter = %d, %v; want 2 (rounded up)", secs, ok)
	}
	var e *mashang.Error
	if !errors.As(err, &e) || mashang.ErrorCode(err) != mashang.ERATELIMITED {
		t.Fatal("the client's error is not in the chain")
	}
	ctx, read := ratelimit.WithRetryHint(context.Background())
	ratelimit.NoteRetryAfter(ctx, 3)
	ratelimit.NoteRetryAfter(ctx, 2)
	if read() != 3 {
		t.Fatalf("hint = %d, want the longest, 3", read())
	}
}

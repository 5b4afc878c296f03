package ratelimit

import (
	"context"
	"fmt"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// Redis is a Store in Redis: every replica connected to the same Redis sees
// the same counts. Limits use redis_rate's GCRA script (one round trip,
// atomic in Redis); counters and blocks are plain keys with a TTL. Redis
// keeps them in memory only: a restart of Redis forgets the limits, which
// start afresh.
type Redis struct {
	rdb     redis.UniversalClient
	limiter *redis_rate.Limiter
	prefix  string
}

// DefaultRedisPrefix starts every key the store writes.
const DefaultRedisPrefix = "mashang:rl:"

// NewRedis returns a store over rdb whose keys start with prefix ("":
// DefaultRedisPrefix).
func NewRedis(rdb redis.UniversalClient, prefix string) *Redis {
	if prefix == "" {
		prefix = DefaultRedisPrefix
	}
	return &Redis{rdb: rdb, limiter: redis_rate.NewLimiter(rdb), prefix: prefix}
}

// OpenRedis connects to the Redis of url (redis://[user:password@]host:port/db
// or rediss:// for TLS) and checks that it answers.
func OpenRedis(ctx context.Context, url string) (*Redis, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("rate-limit Redis URL: %w", err)
	}
	rdb := redis.NewClient(opt)
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		_ = rdb.Close()
		return nil, fmt.Errorf("rate-limit Redis at %s: %w", opt.Addr, err)
	}
	return NewRedis(rdb, ""), nil
}

// Close closes the connections.
func (r *Redis) Close() error { return r.rdb.Close() }

// Allow implements Store.
func (r *Redis) Allow(ctx context.Context, key string, l Limit, cost int) (Result, error) {
	if !l.Enabled() {
		return Result{Allowed: true, Remaining: cost}, nil
	}
	rl := redis_rate.Limit{Rate: l.Events, Period: l.Period, Burst: l.burst()}
	res, err := r.limiter.AllowN(ctx, r.prefix+key, rl, cost)
	if err != nil {
		return Result{}, fmt.Errorf("ratelimit: %w", err)
	}
	out := Result{Allowed: res.Allowed > 0, Remaining: res.Remaining}
	switch {
	case !out.Allowed:
		out.RetryAfter = res.RetryAfter
	case out.Remaining == 0:
		// The bucket is empty once ResetAfter has refilled all but one.
		out.RetryAfter = max(res.ResetAfter-time.Duration(l.burst()-1)*l.interval(), time.Millisecond)
	}
	return out, nil
}

// Incr implements Store.
func (r *Redis) Incr(ctx context.Context, key string, ttl time.Duration) (int64, error) {
	k := r.prefix + key
	var incr *redis.IntCmd
	_, err := r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.SetNX(ctx, k, 0, ttl)
		incr = p.Incr(ctx, k)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("ratelimit: %w", err)
	}
	return incr.Val(), nil
}

// Block implements Store.
func (r *Redis) Block(ctx context.Context, key string, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	if err := r.rdb.Set(ctx, r.prefix+key, 1, d).Err(); err != nil {
		return fmt.Errorf("ratelimit: %w", err)
	}
	return nil
}

// Blocked implements Store.
func (r *Redis) Blocked(ctx context.Context, key string) (time.Duration, error) {
	d, err := r.rdb.PTTL(ctx, r.prefix+key).Result()
	if err != nil {
		return 0, fmt.Errorf("ratelimit: %w", err)
	}
	if d < 0 { // -2: no key; -1: no expiry (never written by Block)
		return 0, nil
	}
	return d, nil
}

// Reset implements Store.
func (r *Redis) Reset(ctx context.Context, keys ...string) error {
	all := make([]string, 0, len(keys))
	for _, k := range keys {
		all = append(all, r.prefix+k)
		// redis_rate keeps its state under a prefix of its own.
		if err := r.limiter.Reset(ctx, r.prefix+k); err != nil {
			return fmt.Errorf("ratelimit: %w", err)
		}
	}
	if err := r.rdb.Del(ctx, all...).Err(); err != nil {
		return fmt.Errorf("ratelimit: %w", err)
	}
	return nil
}

// Package redistest connects tests to the Redis the rate limits share
// (TEST_REDIS_URL, default redis://127.0.0.1:6379/0). Unreachable, the test
// is skipped, or fails with CI=true, as dbtest does for PostgreSQL.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/mashang/mashang/ratelimit"
)

// DefaultURL is used when TEST_REDIS_URL is unset.
const DefaultURL = "redis://127.0.0.1:6379/0"

// Prefix returns a key prefix of its own for one test, so tests sharing a
// Redis never see each other's counts.
func Prefix(tb testing.TB) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "mashang-test:" + hex.EncodeToString(b[:]) + ":"
}

// Store returns a store over a new connection to the test Redis, with
// prefix; call it twice with one prefix for two replicas' stores.
func Store(tb testing.TB, prefix string) *ratelimit.Redis {
	tb.Helper()
	url := os.Getenv("TEST_REDIS_URL")
	if url == "" {
		url = DefaultURL
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		tb.Fatalf("TEST_REDIS_URL: %v", err)
	}
	rdb := redis.NewClient(opt)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		_ = rdb.Close()
		if os.Getenv("CI") == "true" {
			tb.Fatalf("Redis at %s is unreachable (%v); on CI this is a failure: start it or set TEST_REDIS_URL", opt.Addr, err)
		}
		tb.Skipf("Redis at %s is unreachable (%v); set TEST_REDIS_URL or start it (CI=true makes this a failure)", opt.Addr, err)
	}
	tb.Cleanup(func() {
		ctx := context.Background()
		if keys, err := rdb.Keys(ctx, prefix+"*").Result(); err == nil && len(keys) > 0 {
			rdb.Del(ctx, keys...)
		}
		if keys, err := rdb.Keys(ctx, "rate:"+prefix+"*").Result(); err == nil && len(keys) > 0 {
			rdb.Del(ctx, keys...)
		}
		_ = rdb.Close()
	})
	return ratelimit.NewRedis(rdb, prefix)
}

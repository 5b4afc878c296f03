package auth

import (
	"context"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ratelimit"
)

// LoginLimits are the limits of Login. Every login attempt counts, right or
// wrong (issue 10 §3); failures count on the pair of phone and client
// address, so a stranger guessing at someone's phone locks out only
// himself, never the holder on their own device (issue 10 §10).
type LoginLimits struct {
	// PairFailures is the number of failures in a row, for one phone from
	// one address, after which that pair is locked: for Backoff after the
	// PairFailures-th failure, doubling with every further failure up to
	// MaxBackoff. A success ends the streak; so does a day (StreakTTL)
	// without a failure.
	PairFailures int
	Backoff      time.Duration
	MaxBackoff   time.Duration
	StreakTTL    time.Duration
	// AddressFailures bounds the failures from one address at any phones
	// (looser: an office shares an address).
	AddressFailures ratelimit.Limit
	// AddressAttempts and PairAttempts bound every attempt, successful or
	// not: each costs an Argon2id hash and, when right, opens a session.
	AddressAttempts ratelimit.Limit
	PairAttempts    ratelimit.Limit
}

// DefaultLoginLimits: seed-independent, chosen so a person who mistypes a
// few times is never stopped while a guessing run is slowed to a handful of
// guesses per phone per address, and growing waits after that.
var DefaultLoginLimits = LoginLimits{
	PairFailures:    5,
	Backoff:         time.Minute,
	MaxBackoff:      time.Hour,
	StreakTTL:       24 * time.Hour,
	AddressFailures: ratelimit.Limit{Events: 30, Period: 15 * time.Minute},
	AddressAttempts: ratelimit.Limit{Events: 300, Period: 15 * time.Minute},
	PairAttempts:    ratelimit.Limit{Events: 20, Period: 15 * time.Minute},
}

// loginKeys are the store keys of one login attempt. The phone appears only
// as its keyed hash, never as the number.
type loginKeys struct {
	pair, addr string // addr "" when the address is unknown
}

func newLoginKeys(phoneHash, remoteAddr string) loginKeys {
	a := ratelimit.AddressKey(remoteAddr)
	k := loginKeys{pair: "login:pair:" + phoneHash + "@" + a}
	if a != "" {
		k.addr = "login:addr:" + a
	}
	return k
}

// loginAllowed refuses an attempt of a locked pair or address, then counts
// it as an attempt. It is checked before the password, and counts for
// unknown phones too, so a refusal reveals nothing.
func (s *Service) loginAllowed(ctx context.Context, k loginKeys, now time.Time) error {
	blocks := []string{k.pair + ":lock"}
	if k.addr != "" {
		blocks = append(blocks, k.addr+":lock")
	}
	for _, key := range blocks {
		d, err := s.limits.Blocked(ctx, key)
		if err != nil {
			return mashang.Wrap(err, "auth.loginAllowed")
		}
		if d > 0 {
			return errRateLimited(d, now)
		}
	}
	tries := []struct {
		key   string
		limit ratelimit.Limit
	}{{k.pair + ":try", s.login.PairAttempts}}
	if k.addr != "" {
		tries = append(tries, struct {
			key   string
			limit ratelimit.Limit
		}{k.addr + ":try", s.login.AddressAttempts})
	}
	for _, t := range tries {
		res, err := s.limits.Allow(ctx, t.key, t.limit, 1)
		if err != nil {
			return mashang.Wrap(err, "auth.loginAllowed")
		}
		if !res.Allowed {
			return errTooManyAttempts(res.RetryAfter, now)
		}
	}
	return nil
}

// loginFailed counts a failure of the pair (locking it with a growing wait
// once its streak reaches PairFailures) and of the address, and returns the
// one message for wrong credentials.
func (s *Service) loginFailed(ctx context.Context, k loginKeys) error {
	n, err := s.limits.Incr(ctx, k.pair+":streak", s.login.StreakTTL)
	if err != nil {
		return mashang.Wrap(err, "auth.loginFailed")
	}
	if d := s.login.backoff(n); d > 0 {
		if err := s.limits.Block(ctx, k.pair+":lock", d); err != nil {
			return mashang.Wrap(err, "auth.loginFailed")
		}
	}
	if k.addr != "" {
		res, err := s.limits.Allow(ctx, k.addr+":fail", s.login.AddressFailures, 1)
		if err != nil {
			return mashang.Wrap(err, "auth.loginFailed")
		}
		if res.RetryAfter > 0 {
			if err := s.limits.Block(ctx, k.addr+":lock", res.RetryAfter); err != nil {
				return mashang.Wrap(err, "auth.loginFailed")
			}
		}
	}
	return errBadCredentials
}

// loginSucceeded ends the pair's streak of failures.
// SECURITY: the address keeps its counts, or an attacker holding one valid
// login could clear them between guesses at other phones.
func (s *Service) loginSucceeded(ctx context.Context, k loginKeys) error {
	return mashang.Wrap(s.limits.Reset(ctx, k.pair+":streak"), "auth.loginSucceeded")
}

// backoff is the lock after the n-th failure in a row of one pair: none
// before PairFailures, then Backoff doubling up to MaxBackoff.
func (l LoginLimits) backoff(n int64) time.Duration {
	if l.PairFailures <= 0 || n < int64(l.PairFailures) {
		return 0
	}
	d := l.Backoff
	for i := int64(l.PairFailures); i < n && d < l.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, l.MaxBackoff)
}

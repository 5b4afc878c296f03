package token

import (
	"crypto/ed25519"
	"fmt"
	"sync"
	"time"

	"github.com/mashang/mashang"
)

// DefaultMaxTTL bounds a token's lifetime when Signer.MaxTTL is zero. Site
// codes are posted on walls and live longer than person codes; a retired
// key stays published for this long.
const DefaultMaxTTL = 31 * 24 * time.Hour

// MaxPersonTTL is the longest a person's code may live, whatever a
// deployment configures (DESIGN §7: minutes, never more than 30): a colour
// it carries is never older than that when another province reads it.
const MaxPersonTTL = 30 * time.Minute

// Signer issues tokens for one issuer. Set the exported fields before first
// use; afterwards use the methods, which are safe for concurrent use.
type Signer struct {
	Issuer   string        // e.g. province code "22"
	Current  Key           // signs new tokens
	Previous []Key         // retired keys, kept for verification until NotAfter
	MaxTTL   time.Duration // longest token lifetime; 0 means DefaultMaxTTL
	// PersonMaxTTL is the longest a person's code may live: 0 or more than
	// MaxPersonTTL means MaxPersonTTL. It is published with the keys.
	PersonMaxTTL time.Duration

	mu sync.RWMutex
}

// PersonTTLLimit is the longest a person's code signed here may live.
func (s *Signer) PersonTTLLimit() time.Duration {
	if s.PersonMaxTTL <= 0 || s.PersonMaxTTL > MaxPersonTTL {
		return MaxPersonTTL
	}
	return s.PersonMaxTTL
}

func (s *Signer) maxTTL() time.Duration {
	if s.MaxTTL > 0 {
		return s.MaxTTL
	}
	return DefaultMaxTTL
}

// Issue signs a token. colour must be ColourNone for KindSite and a real
// colour for KindPerson; ttl is rounded down to whole seconds and must be
// between one second and MaxTTL.
func (s *Signer) Issue(kind Kind, subject uint64, colour Colour, ttl time.Duration, now time.Time) (string, Claims, error) {
	return s.IssueTested(kind, subject, colour, false, ttl, now)
}

// IssueTested is Issue with Claims.RecentTest set to recentTest (a
// person's code only).
func (s *Signer) IssueTested(kind Kind, subject uint64, colour Colour, recentTest bool, ttl time.Duration, now time.Time) (string, Claims, error) {
	if recentTest && kind != KindPerson {
		return "", Claims{}, mashang.FieldErrorf(mashang.EINVALID, "kind", "only a person's code carries a test")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !validIssuer(s.Issuer) {
		return "", Claims{}, mashang.Errorf(mashang.EINTERNAL, "token signer issuer %q is not a valid issuer id", s.Issuer)
	}
	if len(s.Current.Private) != ed25519.PrivateKeySize {
		return "", Claims{}, mashang.Errorf(mashang.EINTERNAL, "token signer has no signing key configured")
	}
	if !validKindColour(kind, colour) {
		if kind == KindSite {
			return "", Claims{}, mashang.FieldErrorf(mashang.EINVALID, "colour", "a site code carries no colour")
		}
		if kind == KindPerson {
			return "", Claims{}, mashang.FieldErrorf(mashang.EINVALID, "colour", "a person's code needs a colour (GREEN, YELLOW, ORANGE or RED)")
		}
		return "", Claims{}, mashang.FieldErrorf(mashang.EINVALID, "kind", "unknown code kind %d", kind)
	}
	secs := int64(ttl / time.Second)
	if secs < 1 || ttl > s.maxTTL() {
		return "", Claims{}, mashang.FieldErrorf(mashang.EINVALID, "ttl", "code lifetime %s must be between 1s and %s", ttl, s.maxTTL())
	}
	if kind == KindPerson && ttl > s.PersonTTLLimit() {
		return "", Claims{}, mashang.FieldErrorf(mashang.EINVALID, "ttl", "a person's code lives at most %s", s.PersonTTLLimit())
	}
	iat := now.Unix()
	exp := iat + secs
	if !fitsUint32(iat) || !fitsUint32(exp) {
		return "", Claims{}, mashang.Errorf(mashang.EINTERNAL, "cannot issue a code at %s: time out of range", now.UTC())
	}
	c := Claims{
		Version: Version, Kind: kind, Issuer: s.Issuer, KeyID: s.Current.ID,
		Subject: subject, Colour: colour, RecentTest: recentTest,
		IssuedAt: time.Unix(iat, 0).UTC(), ExpiresAt: time.Unix(exp, 0).UTC(),
	}
	if na := s.Current.NotAfter; !na.IsZero() && c.ExpiresAt.After(na) {
		return "", Claims{}, mashang.Errorf(mashang.EINTERNAL,
			"signing key %d is retired at %s, before this code would expire; rotate the signing key", s.Current.ID, na.UTC().Format(time.RFC3339))
	}
	payload := marshal(c)
	sig := ed25519.Sign(s.Current.Private, payload)
	return Prefix + b64.EncodeToString(append(payload, sig...)), c, nil
}

// Rotate is RotateAt(newKey, time.Now()).
func (s *Signer) Rotate(newKey Key) error { return s.RotateAt(newKey, time.Now()) }

// RotateAt makes newKey the signing key. The old current key moves to
// Previous with NotAfter = now + MaxTTL (or its own earlier NotAfter), the
// latest instant any token it signed can still be valid; keys already past
// their NotAfter are pruned. newKey's ID must differ from every kept key's.
func (s *Signer) RotateAt(newKey Key, now time.Time) error {
	if len(newKey.Private) != ed25519.PrivateKeySize {
		return fmt.Errorf("token: new signing key has no private key")
	}
	if newKey.Public == nil {
		newKey.Public = newKey.Private.Public().(ed25519.PublicKey)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pruneLocked(now)
	if len(s.Current.Private) == ed25519.PrivateKeySize && s.Current.ID == newKey.ID {
		return fmt.Errorf("token: new signing key id %d equals the current key's", newKey.ID)
	}
	for _, k := range s.Previous {
		if k.ID == newKey.ID {
			return fmt.Errorf("token: new signing key id %d is still in use by a retired key (until %s)", k.ID, k.NotAfter.UTC().Format(time.RFC3339))
		}
	}
	if len(s.Current.Private) == ed25519.PrivateKeySize {
		old := s.Current
		retire := now.Add(s.maxTTL())
		if old.NotAfter.IsZero() || retire.Before(old.NotAfter) {
			old.NotAfter = retire
		}
		old.Public = keyPublic(old)
		old.Private = nil // a retired key never signs again
		s.Previous = append(s.Previous, old)
	}
	s.Current = newKey
	return nil
}

// Prune drops retired keys whose NotAfter has passed: every token they
// signed has expired.
func (s *Signer) Prune(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pruneLocked(now)
}

func (s *Signer) pruneLocked(now time.Time) {
	kept := s.Previous[:0]
	for _, k := range s.Previous {
		if !now.After(k.NotAfter) {
			kept = append(kept, k)
		}
	}
	clear(s.Previous[len(kept):])
	s.Previous = kept
}

// PublishedKeys is the key set to serve at /.well-known/health-code-keys:
// the current key and every retired key not yet pruned.
func (s *Signer) PublishedKeys() KeySet {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ks := KeySet{Issuer: s.Issuer, PersonCodeMaxMinutes: int(s.PersonTTLLimit() / time.Minute)}
	if pub := keyPublic(s.Current); pub != nil {
		ks.Keys = append(ks.Keys, PublicKey{ID: s.Current.ID, Public: pub, NotAfter: s.Current.NotAfter})
	}
	for _, k := range s.Previous {
		ks.Keys = append(ks.Keys, PublicKey{ID: k.ID, Public: k.Public, NotAfter: k.NotAfter})
	}
	return ks
}

// lookup returns the verification key (id) if the signer knows it.
func (s *Signer) lookup(id uint16) (PublicKey, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if pub := keyPublic(s.Current); pub != nil && s.Current.ID == id {
		return PublicKey{ID: id, Public: pub, NotAfter: s.Current.NotAfter}, true
	}
	for _, k := range s.Previous {
		if k.ID == id {
			return PublicKey{ID: id, Public: k.Public, NotAfter: k.NotAfter}, true
		}
	}
	return PublicKey{}, false
}

// keyPublic returns k's public key, derived from the private key if unset.
func keyPublic(k Key) ed25519.PublicKey {
	if len(k.Public) == ed25519.PublicKeySize {
		return k.Public
	}
	if len(k.Private) == ed25519.PrivateKeySize {
		return k.Private.Public().(ed25519.PublicKey)
	}
	return nil
}

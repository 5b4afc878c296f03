package token

import (
	"crypto/ed25519"
	"fmt"
	"sync"
	"time"

	"github.com/mashang/mashang"
)

// DefaultSkew is the clock skew allowed between issuer and scanner when
// checking a token's issued-at.
const DefaultSkew = 2 * time.Minute

type trustID struct {
	issuer string
	kid    uint16
}

// TrustList holds the public keys whose tokens are accepted: other
// provinces' published key sets plus, through Own, this deployment's signer
// (consulted live, so rotation needs no reload). Safe for concurrent use.
type TrustList struct {
	Own  *Signer       // this deployment's signer; may be nil
	Skew time.Duration // allowed clock skew; 0 means DefaultSkew
	// CacheSize bounds the verified-signature cache (tokens whose
	// signature was checked, kept until they expire): a code is scanned at
	// several doors during its few minutes. 0 means DefaultCacheSize; a
	// negative size disables the cache.
	CacheSize int

	mu   sync.RWMutex
	keys map[trustID]PublicKey
	gen  uint64 // bumped by every change of the keys: drops the cache

	cmu   sync.Mutex
	cache map[string]verified
}

// DefaultCacheSize is the default number of verified tokens remembered
// (about 250 bytes each).
const DefaultCacheSize = 100_000

type verified struct {
	claims   Claims
	notAfter time.Time // the signing key's
	gen      uint64
}

// NewTrustList returns a trust list that accepts own's tokens (own may be nil).
func NewTrustList(own *Signer) *TrustList { return &TrustList{Own: own} }

// Add trusts one public key of an issuer; notAfter zero means no end. It
// replaces an earlier key with the same (issuer, id).
func (t *TrustList) Add(issuer string, id uint16, pub ed25519.PublicKey, notAfter time.Time) error {
	if err := checkKey(issuer, id, pub); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.gen++
	t.putLocked(issuer, PublicKey{ID: id, Public: pub, NotAfter: notAfter})
	return nil
}

func checkKey(issuer string, id uint16, pub ed25519.PublicKey) error {
	if !validIssuer(issuer) {
		return fmt.Errorf("token: %q is not a valid issuer id (1-%d of A-Z a-z 0-9 . _ -)", issuer, MaxIssuerLen)
	}
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("token: issuer %s key %d is not a 32-byte Ed25519 public key", issuer, id)
	}
	return nil
}

func (t *TrustList) putLocked(issuer string, k PublicKey) {
	if t.keys == nil {
		t.keys = map[trustID]PublicKey{}
	}
	k.Public = append(ed25519.PublicKey(nil), k.Public...)
	t.keys[trustID{issuer, k.ID}] = k
}

// AddKeySet trusts every key of a published set (e.g. from ParseKeySet).
func (t *TrustList) AddKeySet(ks KeySet) error {
	for _, k := range ks.Keys {
		if err := t.Add(ks.Issuer, k.ID, k.Public, k.NotAfter); err != nil {
			return err
		}
	}
	return nil
}

// ReplaceKeySet makes ks the issuer's only trusted keys (a refreshed fetch
// of its published set: keys it no longer publishes stop being trusted).
// The swap is atomic: a Verify running meanwhile sees the old keys or the
// new ones, never none. An invalid set changes nothing.
func (t *TrustList) ReplaceKeySet(ks KeySet) error {
	for _, k := range ks.Keys {
		if err := checkKey(ks.Issuer, k.ID, k.Public); err != nil {
			return fmt.Errorf("%w; the trusted keys of %q are unchanged", err, ks.Issuer)
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.gen++
	for id := range t.keys {
		if id.issuer == ks.Issuer {
			delete(t.keys, id)
		}
	}
	for _, k := range ks.Keys {
		t.putLocked(ks.Issuer, k)
	}
	return nil
}

// Remove stops trusting one key.
func (t *TrustList) Remove(issuer string, id uint16) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.gen++
	delete(t.keys, trustID{issuer, id})
}

func (t *TrustList) lookup(issuer string, id uint16) (PublicKey, bool) {
	if t.Own != nil && t.Own.Issuer == issuer {
		if k, ok := t.Own.lookup(id); ok {
			return k, true
		}
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	k, ok := t.keys[trustID{issuer, id}]
	return k, ok
}

// Verify checks a token offline and returns its claims, or a *mashang.Error
// with code TOKEN_MALFORMED, TOKEN_UNKNOWN_ISSUER, TOKEN_FORGED,
// TOKEN_NOT_YET_VALID or TOKEN_EXPIRED (checked in that order). Claims are
// returned only with a nil error.
func (t *TrustList) Verify(tok string, now time.Time) (Claims, error) {
	t.mu.RLock()
	gen := t.gen
	t.mu.RUnlock()
	if v, ok := t.cached(tok, gen); ok {
		return t.checkTimes(v.claims, v.notAfter, now)
	}
	c, payload, sig, err := split(tok)
	if err != nil {
		return Claims{}, err
	}
	k, ok := t.lookup(c.Issuer, c.KeyID)
	if !ok {
		return Claims{}, mashang.Errorf(mashang.ETOKENUNKNOWNISSUER,
			"this code was issued by %q with key %d, which is not on the trust list; it cannot be accepted here (if %q is a recognised province, refresh its published keys)",
			c.Issuer, c.KeyID, c.Issuer)
	}
	if !ed25519.Verify(k.Public, payload, sig) {
		return Claims{}, mashang.Errorf(mashang.ETOKENFORGED,
			"this code's signature is invalid: it was altered or forged; refuse it and do not record the scan as valid")
	}
	c, err = t.checkTimes(c, k.NotAfter, now)
	if err == nil {
		t.remember(tok, verified{claims: c, notAfter: k.NotAfter, gen: gen})
	}
	return c, err
}

// cached returns the verified entry of tok when it was verified under the
// current keys.
func (t *TrustList) cached(tok string, gen uint64) (verified, bool) {
	if t.CacheSize < 0 {
		return verified{}, false
	}
	t.cmu.Lock()
	v, ok := t.cache[tok]
	t.cmu.Unlock()
	return v, ok && v.gen == gen
}

// remember keeps a verified token; when the cache is full it first drops
// an eighth of it (map order is random), so memory stays bounded.
func (t *TrustList) remember(tok string, v verified) {
	size := t.CacheSize
	if size < 0 {
		return
	}
	if size == 0 {
		size = DefaultCacheSize
	}
	t.cmu.Lock()
	defer t.cmu.Unlock()
	if t.cache == nil {
		t.cache = make(map[string]verified)
	}
	if len(t.cache) >= size {
		drop := size/8 + 1
		for k := range t.cache {
			delete(t.cache, k)
			if drop--; drop == 0 {
				break
			}
		}
	}
	t.cache[tok] = v
}

// checkTimes applies the time rules to claims whose signature is good.
func (t *TrustList) checkTimes(c Claims, keyNotAfter time.Time, now time.Time) (Claims, error) {
	skew := t.Skew
	if skew <= 0 {
		skew = DefaultSkew
	}
	if c.IssuedAt.After(now.Add(skew)) {
		return Claims{}, mashang.Errorf(mashang.ETOKENNOTYETVALID,
			"this code is dated %v, in the future; check this scanner's clock, or ask the holder to refresh their code",
			c.IssuedAt)
	}
	if !now.Before(c.ExpiresAt) {
		return Claims{}, mashang.Errorf(mashang.ETOKENEXPIRED,
			"this code expired at %v; ask the holder to refresh their health code and scan again",
			c.ExpiresAt)
	}
	if !keyNotAfter.IsZero() && now.After(keyNotAfter) {
		return Claims{}, mashang.Errorf(mashang.ETOKENEXPIRED,
			"this code was signed with key %d of %q, retired at %v; ask the holder to refresh their health code and scan again",
			c.KeyID, c.Issuer, keyNotAfter)
	}
	return c, nil
}

package token

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Key is one signing key. NotAfter, when set, is the last instant at which
// the key is trusted for verification (and a Signer will not sign a token
// outliving it). Zero means no end.
type Key struct {
	ID       uint16
	Private  ed25519.PrivateKey
	Public   ed25519.PublicKey
	NotAfter time.Time
}

// GenerateKey returns a fresh key with a random ID; set ID to choose one.
func GenerateKey() Key {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic("token: crypto/rand failed: " + err.Error())
	}
	var id [2]byte
	if _, err := rand.Read(id[:]); err != nil {
		panic("token: crypto/rand failed: " + err.Error())
	}
	return Key{ID: binary.BigEndian.Uint16(id[:]), Private: priv, Public: pub}
}

// NewKey builds a Key from a private key (e.g. from ParsePrivateKey).
func NewKey(id uint16, priv ed25519.PrivateKey) Key {
	return Key{ID: id, Private: priv, Public: priv.Public().(ed25519.PublicKey)}
}

// ParsePrivateKey parses a private key from configuration: the base64
// (standard or URL alphabet, padded or not) of a 32-byte Ed25519 seed, or of
// a 64-byte seed‖public key whose halves agree.
func ParsePrivateKey(s string) (ed25519.PrivateKey, error) {
	s = strings.TrimSpace(s)
	var raw []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if raw, err = enc.DecodeString(s); err == nil {
			break
		}
	}
	if err != nil {
		return nil, errors.New("token: signing key is not valid base64")
	}
	switch len(raw) {
	case ed25519.SeedSize:
		return ed25519.NewKeyFromSeed(raw), nil
	case ed25519.PrivateKeySize:
		k := ed25519.NewKeyFromSeed(raw[:ed25519.SeedSize])
		if !bytes.Equal(k, raw) {
			return nil, errors.New("token: signing key's public half does not match its seed")
		}
		return k, nil
	}
	return nil, fmt.Errorf("token: signing key is %d bytes, want a 32-byte Ed25519 seed", len(raw))
}

// EncodePrivateKey returns the configuration form of priv: base64url of its seed.
func EncodePrivateKey(priv ed25519.PrivateKey) string {
	return base64.RawURLEncoding.EncodeToString(priv.Seed())
}

// KeySet is an issuer's published public keys.
type KeySet struct {
	Issuer string
	Keys   []PublicKey
	// PersonCodeMaxMinutes is the longest the issuer's person codes live
	// (DESIGN §7: at most 30); 0 when the issuer did not publish it.
	PersonCodeMaxMinutes int
}

// PublicKey is one published verification key.
type PublicKey struct {
	ID       uint16
	Public   ed25519.PublicKey
	NotAfter time.Time // zero: no end
}

type jsonKeySet struct {
	Issuer               string    `json:"issuer"`
	PersonCodeMaxMinutes int       `json:"personCodeMaxMinutes,omitempty"`
	Keys                 []jsonKey `json:"keys"`
}

type jsonKey struct {
	Kid      *int   `json:"kid"`
	Alg      string `json:"alg"`
	X        string `json:"x"`
	NotAfter string `json:"notAfter,omitempty"`
}

// MarshalJSON encodes the set as
// {"issuer":"22","personCodeMaxMinutes":30,"keys":[{"kid":1,"alg":"Ed25519","x":"<base64url>","notAfter":"<RFC 3339>"}]}.
func (ks KeySet) MarshalJSON() ([]byte, error) {
	out := jsonKeySet{Issuer: ks.Issuer, PersonCodeMaxMinutes: ks.PersonCodeMaxMinutes, Keys: make([]jsonKey, 0, len(ks.Keys))}
	for _, k := range ks.Keys {
		kid := int(k.ID)
		jk := jsonKey{Kid: &kid, Alg: "Ed25519", X: base64.RawURLEncoding.EncodeToString(k.Public)}
		if !k.NotAfter.IsZero() {
			jk.NotAfter = k.NotAfter.UTC().Format(time.RFC3339)
		}
		out.Keys = append(out.Keys, jk)
	}
	return json.Marshal(out)
}

// UnmarshalJSON is ParseKeySet.
func (ks *KeySet) UnmarshalJSON(b []byte) error {
	v, err := ParseKeySet(b)
	if err != nil {
		return err
	}
	*ks = v
	return nil
}

// ParseKeySet parses and validates a published key set (ours or another
// province's), ready for TrustList.AddKeySet.
func ParseKeySet(b []byte) (KeySet, error) {
	var in jsonKeySet
	if err := json.Unmarshal(b, &in); err != nil {
		return KeySet{}, fmt.Errorf("token: key set is not valid JSON: %w", err)
	}
	if !validIssuer(in.Issuer) {
		return KeySet{}, fmt.Errorf("token: key set issuer %q is not a valid issuer id (1-%d of A-Z a-z 0-9 . _ -)", in.Issuer, MaxIssuerLen)
	}
	if in.PersonCodeMaxMinutes < 0 || in.PersonCodeMaxMinutes > int(MaxPersonTTL/time.Minute) {
		return KeySet{}, fmt.Errorf("token: key set %s: personCodeMaxMinutes %d is not in 0..%d", in.Issuer, in.PersonCodeMaxMinutes, int(MaxPersonTTL/time.Minute))
	}
	ks := KeySet{Issuer: in.Issuer, PersonCodeMaxMinutes: in.PersonCodeMaxMinutes}
	seen := map[uint16]bool{}
	for i, jk := range in.Keys {
		if jk.Kid == nil || *jk.Kid < 0 || *jk.Kid > 0xffff {
			return KeySet{}, fmt.Errorf("token: key set %s key %d: kid missing or not in 0..65535", in.Issuer, i)
		}
		id := uint16(*jk.Kid)
		if seen[id] {
			return KeySet{}, fmt.Errorf("token: key set %s: kid %d appears twice", in.Issuer, id)
		}
		seen[id] = true
		if jk.Alg != "Ed25519" {
			return KeySet{}, fmt.Errorf("token: key set %s kid %d: alg %q is not Ed25519", in.Issuer, id, jk.Alg)
		}
		x, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(jk.X, "="))
		if err != nil || len(x) != ed25519.PublicKeySize {
			return KeySet{}, fmt.Errorf("token: key set %s kid %d: x is not a base64url 32-byte Ed25519 public key", in.Issuer, id)
		}
		pk := PublicKey{ID: id, Public: ed25519.PublicKey(x)}
		if jk.NotAfter != "" {
			t, err := time.Parse(time.RFC3339, jk.NotAfter)
			if err != nil {
				return KeySet{}, fmt.Errorf("token: key set %s kid %d: notAfter %q is not RFC 3339", in.Issuer, id, jk.NotAfter)
			}
			pk.NotAfter = t.UTC()
		}
		ks.Keys = append(ks.Keys, pk)
	}
	return ks, nil
}

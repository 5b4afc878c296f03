// Package pii protects personal data at rest (DESIGN.md §8; seed 001 §3:
// 所有个人数据均采用加密传输和存储, 个人隐私等敏感数据一律脱敏后再进行前后台显示).
// ID and phone numbers are sealed with AES-256-GCM; beside each sealed value
// the database keeps a keyed hash (HMAC-SHA-256) for exact lookups and a
// masked form for display, so the plain value is needed only when a granted
// official unmasks it.
package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/mashang/mashang"
)

// KeySize is the length of the master key in bytes.
const KeySize = 32

// Box seals and opens personal data and computes lookup hashes. Two
// sub-keys are derived from the master key so the hash key never encrypts.
type Box struct {
	aead    cipher.AEAD
	hashKey []byte
}

// NewBox returns a Box over a 32-byte master key.
func NewBox(master []byte) (*Box, error) {
	if len(master) != KeySize {
		return nil, fmt.Errorf("personal-data key must be %d bytes, got %d", KeySize, len(master))
	}
	encKey := derive(master, "mashang pii encryption v1")
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, mashang.Wrap(err, "pii.NewBox cipher")
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, mashang.Wrap(err, "pii.NewBox GCM")
	}
	return &Box{aead: aead, hashKey: derive(master, "mashang pii lookup v1")}, nil
}

// ParseKey decodes a key given as 64 hex digits or standard base64.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) == KeySize {
		return b, nil
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == KeySize {
		return b, nil
	}
	return nil, errors.New("MASHANG_PII_KEY must be 32 random bytes written as 64 hex digits or base64 (e.g. `openssl rand -hex 32`)")
}

// NewKey returns a fresh random master key.
func NewKey() []byte {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		panic(err)
	}
	return k
}

func derive(master []byte, label string) []byte {
	m := hmac.New(sha256.New, master)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// Seal encrypts a value; the result is nonce ‖ ciphertext ‖ tag. The field
// name is bound as associated data, so a sealed phone cannot be replayed as
// an ID number.
func (b *Box) Seal(field, plain string) []byte {
	nonce := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(plain)+b.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic(err)
	}
	return b.aead.Seal(nonce, nonce, []byte(plain), []byte(field))
}

// Open decrypts a value sealed for field.
func (b *Box) Open(field string, sealed []byte) (string, error) {
	n := b.aead.NonceSize()
	if len(sealed) < n+b.aead.Overhead() {
		return "", errors.New("sealed value too short")
	}
	plain, err := b.aead.Open(nil, sealed[:n], sealed[n:], []byte(field))
	if err != nil {
		return "", errors.New("sealed value does not open with this key")
	}
	return string(plain), nil
}

// Hash returns the keyed lookup hash of a normalised value for field.
func (b *Box) Hash(field, value string) string {
	m := hmac.New(sha256.New, b.hashKey)
	m.Write([]byte(field))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}

// Field names bound into seals and hashes.
const (
	FieldPhone    = "phone"
	FieldIDNumber = "id_number"
	FieldAddress  = "address"
)

// MaskAddress keeps the first six characters of an address (the district
// or the road) and hides the rest, and its length: 南关区自由大****.
func MaskAddress(a string) string {
	r := []rune(a)
	if len(r) <= 6 {
		return string(r[:min(len(r), 2)]) + "****"
	}
	return string(r[:6]) + "****"
}

// MaskPhone shows the first three and last four digits: 138****5678.
func MaskPhone(p string) string { return maskMiddle(p, 3, 4) }

// MaskID shows the first six and last four characters of an ID number:
// 220104********1234 (DESIGN.md §2).
func MaskID(id string) string { return maskMiddle(id, 6, 4) }

// MaskName keeps the first character of a name: 张** .
func MaskName(name string) string {
	n := utf8.RuneCountInString(name)
	if n <= 1 {
		return name
	}
	r, _ := utf8.DecodeRuneInString(name)
	return string(r) + strings.Repeat("*", n-1)
}

func maskMiddle(s string, head, tail int) string {
	r := []rune(s)
	if len(r) <= head+tail {
		if len(r) <= 2 {
			return strings.Repeat("*", len(r))
		}
		return string(r[0]) + strings.Repeat("*", len(r)-2) + string(r[len(r)-1])
	}
	return string(r[:head]) + strings.Repeat("*", len(r)-head-tail) + string(r[len(r)-tail:])
}

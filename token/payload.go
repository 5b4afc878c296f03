package token

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"github.com/mashang/mashang"
)

const (
	// Prefix starts every token string.
	Prefix = "HC1:"
	// Version is the payload layout version this package writes.
	Version = 1
	// MaxIssuerLen is the longest issuer id.
	MaxIssuerLen = 32
	// MaxPayloadLen is the longest payload; always ≤ 120 bytes.
	MaxPayloadLen = fixedLen + MaxIssuerLen
	// SignatureLen is the Ed25519 signature length appended to the payload.
	SignatureLen = 64
	// MaxTokenLen is the longest token string.
	MaxTokenLen = len(Prefix) + (MaxPayloadLen+SignatureLen)*4/3 + 1

	fixedLen = 22

	// flagRecentTest is the colour byte's bit for Claims.RecentTest.
	flagRecentTest = 0x80
)

// Kind says whose code a token is.
type Kind uint8

const (
	KindPerson Kind = 1 // a person's health code; carries a colour
	KindSite   Kind = 2 // a site's self-scan code (场所码); no colour
)

func (k Kind) String() string {
	switch k {
	case KindPerson:
		return "PERSON"
	case KindSite:
		return "SITE"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// ParseKind parses "PERSON" or "SITE".
func ParseKind(s string) (Kind, error) {
	switch s {
	case "PERSON":
		return KindPerson, nil
	case "SITE":
		return KindSite, nil
	}
	return 0, fmt.Errorf("unknown token kind %q (want PERSON or SITE)", s)
}

// Colour is a health-code colour. ColourNone is used by site tokens.
type Colour uint8

const (
	ColourNone   Colour = 0
	ColourGreen  Colour = 1
	ColourYellow Colour = 2
	ColourOrange Colour = 3
	ColourRed    Colour = 4
)

func (c Colour) String() string {
	switch c {
	case ColourNone:
		return ""
	case ColourGreen:
		return "GREEN"
	case ColourYellow:
		return "YELLOW"
	case ColourOrange:
		return "ORANGE"
	case ColourRed:
		return "RED"
	}
	return fmt.Sprintf("Colour(%d)", uint8(c))
}

// ParseColour parses GREEN, YELLOW, ORANGE or RED.
func ParseColour(s string) (Colour, error) {
	switch s {
	case "GREEN":
		return ColourGreen, nil
	case "YELLOW":
		return ColourYellow, nil
	case "ORANGE":
		return ColourOrange, nil
	case "RED":
		return ColourRed, nil
	}
	return 0, mashang.Errorf(mashang.EINVALID, "unknown colour %q (want GREEN, YELLOW, ORANGE or RED)", s)
}

// Claims is what a token says.
type Claims struct {
	Version uint8
	Kind    Kind
	Issuer  string
	KeyID   uint16
	Subject uint64
	Colour  Colour // ColourNone for KindSite
	// RecentTest: the holder of a person's code had a negative PCR or a
	// positive antibody test in the 7 days before it was issued (seed 004
	// §二(五)). Carried in the colour byte's high bit (flagRecentTest), so
	// codes without it keep the version 1 layout.
	RecentTest bool
	IssuedAt   time.Time
	ExpiresAt  time.Time
}

// validIssuer reports whether s is a usable issuer id.
func validIssuer(s string) bool {
	if len(s) == 0 || len(s) > MaxIssuerLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func validKindColour(k Kind, c Colour) bool {
	switch k {
	case KindPerson:
		return c >= ColourGreen && c <= ColourRed
	case KindSite:
		return c == ColourNone
	}
	return false
}

// marshal encodes c's payload. c must already be validated.
func marshal(c Claims) []byte {
	b := make([]byte, fixedLen, fixedLen+len(c.Issuer))
	b[0] = Version
	b[1] = byte(c.Kind)
	b[2] = byte(c.Colour)
	if c.RecentTest {
		b[2] |= flagRecentTest
	}
	binary.BigEndian.PutUint16(b[3:], c.KeyID)
	binary.BigEndian.PutUint64(b[5:], c.Subject)
	binary.BigEndian.PutUint32(b[13:], uint32(c.IssuedAt.Unix()))
	binary.BigEndian.PutUint32(b[17:], uint32(c.ExpiresAt.Unix()))
	b[21] = byte(len(c.Issuer))
	return append(b, c.Issuer...)
}

// unmarshal decodes a payload, refusing anything but the exact layout.
func unmarshal(b []byte) (Claims, error) {
	if len(b) < fixedLen {
		return Claims{}, malformed("too short")
	}
	if b[0] != Version {
		return Claims{}, malformed("unsupported version %d", b[0])
	}
	n := int(b[21])
	if len(b) != fixedLen+n {
		return Claims{}, malformed("wrong length")
	}
	c := Claims{
		Version:    b[0],
		Kind:       Kind(b[1]),
		Colour:     Colour(b[2] &^ flagRecentTest),
		RecentTest: b[2]&flagRecentTest != 0,
		KeyID:      binary.BigEndian.Uint16(b[3:]),
		Subject:    binary.BigEndian.Uint64(b[5:]),
		IssuedAt:   time.Unix(int64(binary.BigEndian.Uint32(b[13:])), 0).UTC(),
		ExpiresAt:  time.Unix(int64(binary.BigEndian.Uint32(b[17:])), 0).UTC(),
		Issuer:     string(b[fixedLen:]),
	}
	if !validKindColour(c.Kind, c.Colour) || c.RecentTest && c.Kind != KindPerson {
		return Claims{}, malformed("bad kind or colour")
	}
	if !validIssuer(c.Issuer) {
		return Claims{}, malformed("bad issuer id")
	}
	if !c.ExpiresAt.After(c.IssuedAt) {
		return Claims{}, malformed("expiry not after issue time")
	}
	return c, nil
}

var b64 = base64.RawURLEncoding.Strict()

// split decodes a token string into claims, payload and signature without
// checking the signature or times.
func split(tok string) (Claims, []byte, []byte, error) {
	if len(tok) > MaxTokenLen {
		return Claims{}, nil, nil, malformed("too long")
	}
	if len(tok) < len(Prefix) || tok[:len(Prefix)] != Prefix {
		return Claims{}, nil, nil, malformed("it does not start with %q", Prefix)
	}
	raw, err := b64.DecodeString(tok[len(Prefix):])
	if err != nil {
		return Claims{}, nil, nil, malformed("bad encoding")
	}
	if len(raw) < fixedLen+SignatureLen {
		return Claims{}, nil, nil, malformed("too short")
	}
	payload, sig := raw[:len(raw)-SignatureLen], raw[len(raw)-SignatureLen:]
	c, err := unmarshal(payload)
	if err != nil {
		return Claims{}, nil, nil, err
	}
	return c, payload, sig, nil
}

// Inspect decodes a token's claims WITHOUT verifying its signature or times.
// Use it only to log or report what a refused token claimed (e.g. its
// issuer); never to accept one.
func Inspect(tok string) (Claims, error) {
	c, _, _, err := split(tok)
	return c, err
}

// fitsUint32 reports whether t is representable in the payload.
func fitsUint32(t int64) bool { return t >= 0 && t <= math.MaxUint32 }

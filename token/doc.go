// Package token issues and verifies the signed health-code tokens of
// DESIGN §7: a person's code (个人码, carrying a colour) and a site's
// self-scan code (场所码), both short-lived, Ed25519-signed, verifiable
// offline with the issuer's published keys, and rendered as QR codes.
//
// # Token string
//
//	"HC1:" + base64url_nopad(payload ‖ signature)
//
// signature is the 64-byte Ed25519 signature of payload (the raw bytes
// below, nothing else) under the key named by (issuer, key id).
//
// # Payload layout (version 1, all integers big-endian)
//
//	offset size field
//	     0    1 version      = 1
//	     1    1 kind         1 PERSON, 2 SITE
//	     2    1 colour       PERSON: 1 GREEN, 2 YELLOW, 3 ORANGE, 4 RED; SITE: 0
//	     3    2 key id       uint16
//	     5    8 subject      uint64 (person or site id at the issuer)
//	    13    4 issued-at    uint32 unix seconds
//	    17    4 expires-at   uint32 unix seconds, > issued-at
//	    21    1 n            issuer length, 1..MaxIssuerLen
//	    22    n issuer       ASCII [A-Za-z0-9._-], e.g. province code "22"
//
// The payload is 22+n ≤ 54 bytes (MaxPayloadLen), well under the 120-byte
// budget, so a token is at most 4+158 = 162 characters and its QR code stays
// small. Any other length, an unknown version, kind or colour, trailing
// bytes or non-canonical base64 make the token TOKEN_MALFORMED.
//
// # Keys and rotation
//
// A Signer signs with its Current key and keeps Previous keys, each with a
// NotAfter, only for verification. Rotate retires the current key with
// NotAfter = now + MaxTTL (every token it ever signed expires by then) and
// Prune drops retired keys once that instant has passed. PublishedKeys is
// the key set served at /.well-known/health-code-keys:
//
//	{"issuer":"22","personCodeMaxMinutes":30,"keys":[{"kid":1,"alg":"Ed25519","x":"<base64url>","notAfter":"<RFC 3339>"}]}
//
// A TrustList maps (issuer, key id) to a public key and its validity; it
// holds other provinces' key sets (ParseKeySet, AddKeySet) and consults the
// deployment's own Signer live. Verify refuses a token with an
// *mashang.Error whose code says why: TOKEN_MALFORMED, TOKEN_UNKNOWN_ISSUER,
// TOKEN_FORGED, TOKEN_NOT_YET_VALID or TOKEN_EXPIRED.
package token

package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"

	"github.com/mashang/mashang"
)

// Argon2id parameters of new password hashes: the OWASP Password Storage
// Cheat Sheet's first recommendation (m=19 MiB, t=2, p=1). On a 2-core server
// one hash takes some tens of milliseconds — slow for an attacker with a
// stolen table, quick enough for a login. The parameters are written into
// every encoded hash, so they can be raised later without breaking old
// hashes.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonSaltLen = 16
	argonKeyLen  = 32
)

// Bounds accepted when decoding a stored hash, so a corrupted or planted
// row cannot make one login allocate gigabytes or spin for minutes.
const (
	maxArgonMemory  = 256 * 1024 // KiB
	maxArgonTime    = 16
	maxArgonThreads = 16
)

// Password length limits (in characters). MaxPasswordLen keeps the KDF input
// bounded; people use passphrases, not novels.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

// SECURITY: every Argon2id run holds argonMemory of RAM. A burst of logins
// (or an attacker spraying them from many addresses) must not exhaust the
// server's memory, so at most a few hashes run at once; the rest queue.
var kdfSlots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))

// kdfRuns counts Argon2id runs, so a test can tell that a path ran the KDF
// without timing it.
var kdfRuns atomic.Int64

func argonKey(pw string, salt []byte, t, m uint32, p uint8, keyLen uint32) []byte {
	kdfRuns.Add(1)
	kdfSlots <- struct{}{}
	defer func() { <-kdfSlots }()
	return argon2.IDKey([]byte(pw), salt, t, m, p, keyLen)
}

var b64 = base64.RawStdEncoding // PHC strings use unpadded standard base64

// HashPassword returns an Argon2id hash of pw in the PHC string format
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, with a fresh random salt.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argonKey(pw, salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// errMalformedHash is returned for a stored hash that is not one of ours.
var errMalformedHash = errors.New("password hash is not a valid argon2id PHC string")

// CheckPassword reports whether pw matches the encoded Argon2id hash. A wrong
// password is (false, nil); an error means the stored hash is unusable.
func CheckPassword(encoded, pw string) (bool, error) {
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, hash
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false, errMalformedHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version || parts[2] != fmt.Sprintf("v=%d", version) {
		return false, errMalformedHash
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || parts[3] != fmt.Sprintf("m=%d,t=%d,p=%d", m, t, p) {
		return false, errMalformedHash
	}
	// SECURITY: refuse parameters outside sane bounds (see maxArgon*).
	if m < 8*uint32(p) || m > maxArgonMemory || t < 1 || t > maxArgonTime || p < 1 || p > maxArgonThreads {
		return false, errMalformedHash
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return false, errMalformedHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) < 16 || len(want) > 64 {
		return false, errMalformedHash
	}
	got := argonKey(pw, salt, t, m, p, uint32(len(want)))
	// SECURITY: constant-time comparison, so response time does not tell an
	// attacker how many leading bytes of the hash they matched.
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// MinPasswordScore is the least zxcvbn score (0–4) a new password needs:
// 3 means "safely unguessable", an estimated 10^8 guesses or more — beyond
// an online attack under the login limit, and costly offline against
// Argon2id.
const MinPasswordScore = 3

// ValidatePassword checks a new password against the policy: at least
// MinPasswordLen characters, at most MaxPasswordLen, not only digits (a
// phone or ID number as password is the first thing an attacker tries), and
// not easy to guess: a common password, a word with digits, a keyboard
// walk, a repetition or a sequence (the zxcvbn strength estimator, with its
// dictionaries of common passwords, names and words) — judged on the NFKC
// form, so the full-width ｐａｓｓｗｏｒｄ１２ that a Chinese input method types
// is as weak as password12.
func ValidatePassword(pw string) error {
	if !utf8.ValidString(pw) {
		return mashang.FieldErrorf(mashang.EINVALID, "password", "Password contains invalid characters.")
	}
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLen {
		return mashang.FieldErrorf(mashang.EINVALID, "password", "Password must have at least %d characters; it has %d.", MinPasswordLen, n)
	}
	if n > MaxPasswordLen {
		return mashang.FieldErrorf(mashang.EINVALID, "password", "Password must have at most %d characters; it has %d.", MaxPasswordLen, n)
	}
	folded := norm.NFKC.String(pw)
	allDigits := true
	for _, r := range folded {
		if !unicode.IsDigit(r) {
			allDigits = false
			break
		}
	}
	if allDigits {
		return mashang.FieldErrorf(mashang.EINVALID, "password", "Password must not consist of digits only; add letters or symbols.")
	}
	if zxcvbn.PasswordStrength(latinShape(folded), nil).Score < MinPasswordScore {
		return mashang.FieldErrorf(mashang.EINVALID, "password", "Password is too easy to guess: it is a common password or is made of a common word, a name, a date, a keyboard pattern, a repetition or a sequence. Choose a longer phrase of several unrelated words.")
	}
	return nil
}

// latinShape prepares a password for zxcvbn, whose matchers and
// dictionaries are Latin and which misjudges other scripts (a phrase of
// Chinese characters scores 0): each non-ASCII character becomes a fixed
// three-character token that looks random to it, so a repeated character is
// still a repetition, and distinct characters count as symbols of a large
// alphabet.
func latinShape(pw string) string {
	const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	var b strings.Builder
	for _, r := range pw {
		if r < utf8.RuneSelf {
			b.WriteRune(r)
			continue
		}
		h := uint32(r) * 2654435761 // Knuth's multiplicative hash: neighbours land far apart
		for i := 0; i < 3; i++ {
			b.WriteByte(alphabet[h%uint32(len(alphabet))])
			h /= uint32(len(alphabet))
		}
	}
	return b.String()
}

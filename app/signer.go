package app

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/token"
)

// LoadSigner builds the signer of this deployment's codes (DESIGN.md §7)
// from configuration:
//
//	current:  "KID:SEED" — the key id (1–65535) and the base64 Ed25519 seed
//	previous: "KID:SEED:NOTAFTER;…" — retired keys still trusted until NOTAFTER (RFC 3339)
//
// Without a current key, an SQLite deployment (development) keeps a
// generated one in a file beside the database; PostgreSQL deployments must
// configure it.
func LoadSigner(issuer, current, previous, databaseURL string, logger *slog.Logger) (*token.Signer, error) {
	s := &token.Signer{Issuer: issuer}
	if current == "" {
		if database.IsPostgres(databaseURL) {
			return nil, fmt.Errorf("set MASHANG_CODE_SIGNING_KEY (\"KID:SEED\", the seed being 32 random bytes in base64): health codes are signed with it")
		}
		var err error
		current, err = devSecret(sqlitePath(databaseURL)+".signing", "MASHANG_CODE_SIGNING_KEY", func() string {
			k := token.GenerateKey()
			if k.ID == 0 {
				k.ID = 1
			}
			return fmt.Sprintf("%d:%s", k.ID, token.EncodePrivateKey(k.Private))
		}, logger)
		if err != nil {
			return nil, err
		}
	}
	k, err := parseKeySpec(current, false)
	if err != nil {
		return nil, fmt.Errorf("MASHANG_CODE_SIGNING_KEY: %w", err)
	}
	s.Current = k
	for _, spec := range strings.Split(previous, ";") {
		if spec = strings.TrimSpace(spec); spec == "" {
			continue
		}
		pk, err := parseKeySpec(spec, true)
		if err != nil {
			return nil, fmt.Errorf("MASHANG_CODE_PREVIOUS_KEYS: %w", err)
		}
		if pk.ID == k.ID {
			return nil, fmt.Errorf("MASHANG_CODE_PREVIOUS_KEYS: key id %d is the current key's", pk.ID)
		}
		s.Previous = append(s.Previous, pk)
	}
	return s, nil
}

func parseKeySpec(spec string, withNotAfter bool) (token.Key, error) {
	parts := strings.Split(spec, ":")
	want := 2
	if withNotAfter {
		want = 3
		// RFC 3339 times hold colons: the key is the first two fields.
		if len(parts) > 3 {
			parts = append(parts[:2], strings.Join(parts[2:], ":"))
		}
	}
	if len(parts) != want {
		return token.Key{}, fmt.Errorf("%q: write KID:SEED%s", redactSeed(spec), map[bool]string{true: ":NOTAFTER"}[withNotAfter])
	}
	id, err := strconv.ParseUint(parts[0], 10, 16)
	if err != nil || id == 0 {
		return token.Key{}, fmt.Errorf("key id %q: a number from 1 to 65535", parts[0])
	}
	priv, err := token.ParsePrivateKey(parts[1])
	if err != nil {
		return token.Key{}, fmt.Errorf("key %d: %w", id, err)
	}
	k := token.NewKey(uint16(id), priv)
	if withNotAfter {
		t, err := time.Parse(time.RFC3339, parts[2])
		if err != nil {
			return token.Key{}, fmt.Errorf("key %d: not-after %q is not an RFC 3339 time", id, parts[2])
		}
		k.NotAfter = t
	}
	return k, nil
}

// redactSeed keeps a malformed key spec's secret out of error messages.
func redactSeed(spec string) string {
	if i := strings.IndexByte(spec, ':'); i >= 0 {
		return spec[:i] + ":…"
	}
	return "…"
}

func sqlitePath(databaseURL string) string {
	path := strings.TrimPrefix(strings.TrimPrefix(databaseURL, "sqlite://"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return path
}

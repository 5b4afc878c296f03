package token_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/token"
)

// FuzzVerify: Verify never panics, refuses with a token error code, and
// accepts a string only if it really is payload‖signature under the trusted
// key the claims name, with claims matching that payload and valid now.
func FuzzVerify(f *testing.F) {
	own := newSigner()
	foreign := &token.Signer{Issuer: "44", Current: key(9, 44)}
	trusted := map[string]ed25519.PublicKey{"22/1": key(1, 1).Public, "44/9": key(9, 44).Public}
	tl := token.NewTrustList(own)
	if err := tl.AddKeySet(foreign.PublishedKeys()); err != nil {
		f.Fatal(err)
	}
	now := t0.Add(time.Minute)

	p, _, _ := own.Issue(token.KindPerson, 42, token.ColourGreen, 10*time.Minute, t0)
	site, _, _ := own.Issue(token.KindSite, 7, 0, time.Hour, t0)
	fp, _, _ := foreign.Issue(token.KindPerson, 9, token.ColourRed, 10*time.Minute, t0)
	expired, _, _ := own.Issue(token.KindPerson, 1, token.ColourYellow, time.Second, t0.Add(-time.Hour))
	for _, s := range []string{p, site, fp, expired, "", "HC1:", "HC1:AAAA", p[:len(p)-1], p + "A", strings.ToUpper(p), strings.Replace(p, "A", "B", 1)} {
		f.Add(s)
	}
	codes := map[string]bool{
		mashang.ETOKENMALFORMED: true, mashang.ETOKENFORGED: true, mashang.ETOKENEXPIRED: true,
		mashang.ETOKENUNKNOWNISSUER: true, mashang.ETOKENNOTYETVALID: true,
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := tl.Verify(s, now)
		if err != nil {
			var me *mashang.Error
			if !errors.As(err, &me) || !codes[me.Code] || me.Message == "" {
				t.Fatalf("Verify(%q) error %T %v is not a token error", s, err, err)
			}
			if c != (token.Claims{}) {
				t.Fatalf("Verify(%q) returned claims with an error", s)
			}
			return
		}
		// Accepted: check independently of the package.
		if !strings.HasPrefix(s, token.Prefix) {
			t.Fatalf("accepted %q without prefix", s)
		}
		raw, derr := base64.RawURLEncoding.DecodeString(s[len(token.Prefix):])
		if derr != nil || len(raw) <= 64 {
			t.Fatalf("accepted undecodable %q", s)
		}
		payload, sig := raw[:len(raw)-64], raw[len(raw)-64:]
		pub, ok := trusted[c.Issuer+"/"+strconv.Itoa(int(c.KeyID))]
		if !ok || !ed25519.Verify(pub, payload, sig) {
			t.Fatalf("accepted %q not signed by the trusted key for %s/%d", s, c.Issuer, c.KeyID)
		}
		if len(payload) > 120 || payload[len(payload)-len(c.Issuer)-1] != byte(len(c.Issuer)) || string(payload[len(payload)-len(c.Issuer):]) != c.Issuer {
			t.Fatalf("claims issuer %q does not match signed payload", c.Issuer)
		}
		if !now.Before(c.ExpiresAt) || c.IssuedAt.After(now.Add(token.DefaultSkew)) {
			t.Fatalf("accepted %q outside its validity: %+v", s, c)
		}
	})
}

package token_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/token"
)

var t0 = time.Date(2022, 4, 1, 8, 0, 0, 0, time.UTC)

func key(id uint16, seed byte) token.Key {
	s := bytes.Repeat([]byte{seed}, ed25519.SeedSize)
	return token.NewKey(id, ed25519.NewKeyFromSeed(s))
}

func newSigner() *token.Signer {
	return &token.Signer{Issuer: "22", Current: key(1, 1), MaxTTL: time.Hour}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s, got nil error", code)
	}
	var me *mashang.Error
	if !errors.As(err, &me) {
		t.Fatalf("want *mashang.Error %s, got %T %v", code, err, err)
	}
	if me.Code != code {
		t.Fatalf("want code %s, got %s: %s", code, me.Code, me.Message)
	}
	if me.Message == "" {
		t.Fatal("empty message")
	}
}

func decode(t *testing.T, tok string) []byte {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(tok, token.Prefix))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func encode(raw []byte) string { return token.Prefix + base64.RawURLEncoding.EncodeToString(raw) }

func TestRoundTripBothKinds(t *testing.T) {
	s := newSigner()
	tl := token.NewTrustList(s)
	cases := []struct {
		kind   token.Kind
		subj   uint64
		colour token.Colour
	}{
		{token.KindPerson, 42, token.ColourGreen},
		{token.KindPerson, ^uint64(0), token.ColourRed},
		{token.KindSite, 7, token.ColourNone},
	}
	for _, tc := range cases {
		tok, c, err := s.Issue(tc.kind, tc.subj, tc.colour, 5*time.Minute, t0)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(tok, "HC1:") {
			t.Fatalf("prefix: %s", tok)
		}
		raw := decode(t, tok)
		if n := len(raw) - ed25519.SignatureSize; n > 120 {
			t.Fatalf("payload %d bytes > 120", n)
		}
		got, err := tl.Verify(tok, t0.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if got != c {
			t.Fatalf("claims %+v != issued %+v", got, c)
		}
		if got.Kind != tc.kind || got.Subject != tc.subj || got.Colour != tc.colour || got.Issuer != "22" || got.KeyID != 1 ||
			!got.IssuedAt.Equal(t0) || !got.ExpiresAt.Equal(t0.Add(5*time.Minute)) {
			t.Fatalf("claims %+v", got)
		}
	}
}

func TestPayloadBudget(t *testing.T) {
	if token.MaxPayloadLen > 120 {
		t.Fatalf("MaxPayloadLen %d > 120", token.MaxPayloadLen)
	}
	longest := strings.Repeat("x", token.MaxIssuerLen)
	s := &token.Signer{Issuer: longest, Current: key(65535, 3)}
	tok, _, err := s.Issue(token.KindPerson, ^uint64(0), token.ColourOrange, time.Minute, t0)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(decode(t, tok)) - 64; n > 120 || n != token.MaxPayloadLen {
		t.Fatalf("payload %d bytes (max %d)", n, token.MaxPayloadLen)
	}
	if len(tok) > token.MaxTokenLen {
		t.Fatalf("token %d chars > MaxTokenLen %d", len(tok), token.MaxTokenLen)
	}
	if _, err := token.NewTrustList(s).Verify(tok, t0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := (&token.Signer{Issuer: longest + "x", Current: key(1, 3)}).Issue(token.KindSite, 1, 0, time.Minute, t0); err == nil {
		t.Fatal("over-long issuer accepted")
	}
}

func TestIssueRefusesBadInput(t *testing.T) {
	s := newSigner()
	for name, tc := range map[string]struct {
		issue func() error
		code  string // bad input is the caller's; a bad signer is the deployment's
	}{
		"site with colour": {func() error { _, _, err := s.Issue(token.KindSite, 1, token.ColourGreen, time.Minute, t0); return err }, mashang.EINVALID},
		"person no colour": {func() error { _, _, err := s.Issue(token.KindPerson, 1, token.ColourNone, time.Minute, t0); return err }, mashang.EINVALID},
		"bad kind":         {func() error { _, _, err := s.Issue(9, 1, token.ColourGreen, time.Minute, t0); return err }, mashang.EINVALID},
		"zero ttl":         {func() error { _, _, err := s.Issue(token.KindPerson, 1, token.ColourGreen, 0, t0); return err }, mashang.EINVALID},
		"ttl over max": {func() error {
			_, _, err := s.Issue(token.KindPerson, 1, token.ColourGreen, 2*time.Hour, t0)
			return err
		}, mashang.EINVALID},
		"person ttl over 30 min": {func() error {
			_, _, err := s.Issue(token.KindPerson, 1, token.ColourGreen, 31*time.Minute, t0)
			return err
		}, mashang.EINVALID},
		"person ttl over the signer's limit": {func() error {
			lim := &token.Signer{Issuer: "22", Current: key(1, 1), PersonMaxTTL: 10 * time.Minute}
			_, _, err := lim.Issue(token.KindPerson, 1, token.ColourGreen, 11*time.Minute, t0)
			return err
		}, mashang.EINVALID},
		"no key": {func() error {
			_, _, err := (&token.Signer{Issuer: "22"}).Issue(token.KindSite, 1, 0, time.Minute, t0)
			return err
		}, mashang.EINTERNAL},
		"before 1970": {func() error { _, _, err := s.Issue(token.KindSite, 1, 0, time.Minute, time.Unix(-5, 0)); return err }, mashang.EINTERNAL},
	} {
		t.Run(name, func(t *testing.T) { wantCode(t, tc.issue(), tc.code) })
	}
}

func TestExpiryAndNotYetValid(t *testing.T) {
	s := newSigner()
	tl := token.NewTrustList(s)
	tok, _, err := s.Issue(token.KindPerson, 1, token.ColourYellow, 10*time.Minute, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tl.Verify(tok, t0.Add(10*time.Minute-time.Second)); err != nil {
		t.Fatalf("just before expiry: %v", err)
	}
	_, err = tl.Verify(tok, t0.Add(10*time.Minute))
	wantCode(t, err, mashang.ETOKENEXPIRED)
	_, err = tl.Verify(tok, t0.Add(24*time.Hour))
	wantCode(t, err, mashang.ETOKENEXPIRED)

	// Scanner clock behind the issuer: within skew accepted, beyond refused.
	if _, err := tl.Verify(tok, t0.Add(-90*time.Second)); err != nil {
		t.Fatalf("within skew: %v", err)
	}
	_, err = tl.Verify(tok, t0.Add(-3*time.Minute))
	wantCode(t, err, mashang.ETOKENNOTYETVALID)
	tl.Skew = 5 * time.Minute
	if _, err := tl.Verify(tok, t0.Add(-3*time.Minute)); err != nil {
		t.Fatalf("custom skew: %v", err)
	}
}

func TestTampering(t *testing.T) {
	s := newSigner()
	tl := token.NewTrustList(s)
	tok, _, err := s.Issue(token.KindPerson, 1000, token.ColourRed, 10*time.Minute, t0)
	if err != nil {
		t.Fatal(err)
	}
	raw := decode(t, tok)
	payloadLen := len(raw) - 64

	// Turn RED into GREEN: still well-formed, signature no longer matches.
	green := bytes.Clone(raw)
	green[2] = byte(token.ColourGreen)
	_, err = tl.Verify(encode(green), t0)
	wantCode(t, err, mashang.ETOKENFORGED)

	// Change the subject.
	subj := bytes.Clone(raw)
	subj[12] ^= 1
	_, err = tl.Verify(encode(subj), t0)
	wantCode(t, err, mashang.ETOKENFORGED)

	// Extend the expiry.
	exp := bytes.Clone(raw)
	exp[17]++
	_, err = tl.Verify(encode(exp), t0)
	wantCode(t, err, mashang.ETOKENFORGED)

	// Every single signature bit flipped.
	for i := payloadLen; i < len(raw); i++ {
		bad := bytes.Clone(raw)
		bad[i] ^= 0x80
		_, err = tl.Verify(encode(bad), t0)
		wantCode(t, err, mashang.ETOKENFORGED)
	}

	// Re-signed with a key the issuer does not own.
	other := key(1, 9)
	forged := append(bytes.Clone(raw[:payloadLen]), ed25519.Sign(other.Private, raw[:payloadLen])...)
	_, err = tl.Verify(encode(forged), t0)
	wantCode(t, err, mashang.ETOKENFORGED)
}

func TestMalformed(t *testing.T) {
	s := newSigner()
	tl := token.NewTrustList(s)
	tok, _, _ := s.Issue(token.KindSite, 1, 0, time.Minute, t0)
	raw := decode(t, tok)
	for name, bad := range map[string]string{
		"empty":          "",
		"no prefix":      strings.TrimPrefix(tok, "HC1:"),
		"bad base64":     tok[:10] + "!" + tok[11:],
		"truncated":      tok[:len(tok)-4],
		"trailing":       encode(append(bytes.Clone(raw), 0)),
		"padding":        tok + "==",
		"huge":           "HC1:" + strings.Repeat("A", 10000),
		"version":        encode(append([]byte{2}, raw[1:]...)),
		"only signature": encode(raw[len(raw)-64:]),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := tl.Verify(bad, t0)
			wantCode(t, err, mashang.ETOKENMALFORMED)
		})
	}
}

func TestUnknownIssuer(t *testing.T) {
	s := newSigner()
	tl := token.NewTrustList(s)

	foreign := &token.Signer{Issuer: "44", Current: key(1, 4)}
	tok, _, _ := foreign.Issue(token.KindPerson, 1, token.ColourGreen, time.Minute, t0)
	_, err := tl.Verify(tok, t0)
	wantCode(t, err, mashang.ETOKENUNKNOWNISSUER)
	if c, err := token.Inspect(tok); err != nil || c.Issuer != "44" {
		t.Fatalf("Inspect: %+v %v", c, err)
	}

	// Known issuer, unknown key id.
	rogue := &token.Signer{Issuer: "22", Current: key(77, 5)}
	tok, _, _ = rogue.Issue(token.KindPerson, 1, token.ColourGreen, time.Minute, t0)
	_, err = tl.Verify(tok, t0)
	wantCode(t, err, mashang.ETOKENUNKNOWNISSUER)

	// A nil-Own trust list knows nobody.
	tok, _, _ = s.Issue(token.KindSite, 1, 0, time.Minute, t0)
	_, err = (&token.TrustList{}).Verify(tok, t0)
	wantCode(t, err, mashang.ETOKENUNKNOWNISSUER)
}

func TestRotation(t *testing.T) {
	s := newSigner() // MaxTTL 1h
	// Hour-long codes are site codes: a person's lives at most 30 minutes.
	tl := token.NewTrustList(s)
	old, _, err := s.Issue(token.KindSite, 1, token.ColourNone, time.Hour, t0)
	if err != nil {
		t.Fatal(err)
	}
	rot := t0.Add(10 * time.Minute)
	if err := s.RotateAt(key(1, 2), rot); err == nil {
		t.Fatal("rotation to the same key id accepted")
	}
	if err := s.RotateAt(key(2, 2), rot); err != nil {
		t.Fatal(err)
	}
	fresh, c, err := s.Issue(token.KindSite, 1, token.ColourNone, time.Hour, rot)
	if err != nil || c.KeyID != 2 {
		t.Fatalf("new token: %+v %v", c, err)
	}
	if err := s.RotateAt(key(1, 6), rot); err == nil {
		t.Fatal("reusing a retired key's id accepted")
	}

	// Both keys published; the old one with its retirement time.
	ks := s.PublishedKeys()
	if len(ks.Keys) != 2 || ks.Keys[0].ID != 2 || ks.Keys[1].ID != 1 || !ks.Keys[1].NotAfter.Equal(rot.Add(time.Hour)) {
		t.Fatalf("published %+v", ks)
	}
	if len(s.Previous) != 1 || s.Previous[0].Private != nil {
		t.Fatal("retired key kept its private half")
	}

	// The old token verifies until its own expiry.
	if _, err := tl.Verify(old, t0.Add(59*time.Minute)); err != nil {
		t.Fatalf("old token before expiry: %v", err)
	}
	_, err = tl.Verify(old, t0.Add(time.Hour))
	wantCode(t, err, mashang.ETOKENEXPIRED)

	// Another province that fetched our set before the retirement verifies both.
	b, _ := json.Marshal(ks)
	remote := &token.TrustList{}
	parsed, err := token.ParseKeySet(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.AddKeySet(parsed); err != nil {
		t.Fatal(err)
	}
	if _, err := remote.Verify(old, t0.Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := remote.Verify(fresh, t0.Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}

	// Before retirement Prune keeps the key; after it, the key is dropped.
	s.Prune(rot.Add(time.Hour))
	if len(s.PublishedKeys().Keys) != 2 {
		t.Fatal("pruned too early")
	}
	after := rot.Add(time.Hour + time.Second)
	s.Prune(after)
	ks = s.PublishedKeys()
	if len(ks.Keys) != 1 || ks.Keys[0].ID != 2 {
		t.Fatalf("after prune %+v", ks)
	}
	// A token with key 1 (here, a valid-looking one signed with the retired
	// private key by someone who kept it) is no longer from a known key.
	leaked := &token.Signer{Issuer: "22", Current: key(1, 1), MaxTTL: time.Hour}
	late, _, _ := leaked.Issue(token.KindSite, 1, token.ColourNone, time.Hour, after)
	_, err = tl.Verify(late, after)
	wantCode(t, err, mashang.ETOKENUNKNOWNISSUER)
	// The remote, still holding the stale key, refuses it as retired.
	_, err = remote.Verify(late, after)
	wantCode(t, err, mashang.ETOKENEXPIRED)
	// And refreshing the remote's copy forgets the key.
	b, _ = json.Marshal(ks)
	parsed, _ = token.ParseKeySet(b)
	if err := remote.ReplaceKeySet(parsed); err != nil {
		t.Fatal(err)
	}
	_, err = remote.Verify(late, after)
	wantCode(t, err, mashang.ETOKENUNKNOWNISSUER)
}

func TestCurrentKeyNotAfterBoundsIssue(t *testing.T) {
	k := key(3, 3)
	k.NotAfter = t0.Add(5 * time.Minute)
	s := &token.Signer{Issuer: "22", Current: k}
	if _, _, err := s.Issue(token.KindSite, 1, 0, 10*time.Minute, t0); err == nil {
		t.Fatal("issued a token outliving its key")
	}
	if _, _, err := s.Issue(token.KindSite, 1, 0, 5*time.Minute, t0); err != nil {
		t.Fatal(err)
	}
}

func TestForeignProvince(t *testing.T) {
	jilin := newSigner()
	guangdong := &token.Signer{Issuer: "44", Current: key(9, 44)}
	published, err := json.Marshal(guangdong.PublishedKeys())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(published, []byte(`"issuer":"44"`)) || !bytes.Contains(published, []byte(`"alg":"Ed25519"`)) || !bytes.Contains(published, []byte(`"kid":9`)) {
		t.Fatalf("published JSON %s", published)
	}
	ks, err := token.ParseKeySet(published)
	if err != nil {
		t.Fatal(err)
	}
	tl := token.NewTrustList(jilin)
	if err := tl.AddKeySet(ks); err != nil {
		t.Fatal(err)
	}
	tok, _, err := guangdong.Issue(token.KindPerson, 555, token.ColourOrange, 3*time.Minute, t0)
	if err != nil {
		t.Fatal(err)
	}
	c, err := tl.Verify(tok, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if c.Issuer != "44" || c.Colour != token.ColourOrange || c.Subject != 555 || c.Kind != token.KindPerson {
		t.Fatalf("foreign claims %+v", c)
	}
	// Own tokens still verify.
	own, _, _ := jilin.Issue(token.KindSite, 3, 0, time.Minute, t0)
	if c, err := tl.Verify(own, t0); err != nil || c.Issuer != "22" {
		t.Fatalf("own token: %+v %v", c, err)
	}
	// A foreign set cannot vouch for a token a third party signed as "44".
	fake := &token.Signer{Issuer: "44", Current: key(9, 45)}
	tok, _, _ = fake.Issue(token.KindPerson, 555, token.ColourGreen, time.Minute, t0)
	_, err = tl.Verify(tok, t0)
	wantCode(t, err, mashang.ETOKENFORGED)
}

func TestParseKeySetRejects(t *testing.T) {
	x := base64.RawURLEncoding.EncodeToString(key(1, 1).Public)
	for name, in := range map[string]string{
		"not json":   `{`,
		"no issuer":  `{"keys":[]}`,
		"bad issuer": `{"issuer":"a b","keys":[]}`,
		"no kid":     `{"issuer":"22","keys":[{"alg":"Ed25519","x":"` + x + `"}]}`,
		"kid range":  `{"issuer":"22","keys":[{"kid":70000,"alg":"Ed25519","x":"` + x + `"}]}`,
		"dup kid":    `{"issuer":"22","keys":[{"kid":1,"alg":"Ed25519","x":"` + x + `"},{"kid":1,"alg":"Ed25519","x":"` + x + `"}]}`,
		"alg":        `{"issuer":"22","keys":[{"kid":1,"alg":"RS256","x":"` + x + `"}]}`,
		"short x":    `{"issuer":"22","keys":[{"kid":1,"alg":"Ed25519","x":"AAAA"}]}`,
		"notAfter":   `{"issuer":"22","keys":[{"kid":1,"alg":"Ed25519","x":"` + x + `","notAfter":"tomorrow"}]}`,
	} {
		if _, err := token.ParseKeySet([]byte(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	ks, err := token.ParseKeySet([]byte(`{"issuer":"22","keys":[{"kid":0,"alg":"Ed25519","x":"` + x + `","notAfter":"2022-04-01T09:00:00Z"}]}`))
	if err != nil || len(ks.Keys) != 1 || ks.Keys[0].ID != 0 || !ks.Keys[0].NotAfter.Equal(t0.Add(time.Hour)) {
		t.Fatalf("%+v %v", ks, err)
	}
}

func TestPrivateKeyConfig(t *testing.T) {
	k := token.GenerateKey()
	if len(k.Private) != ed25519.PrivateKeySize || len(k.Public) != ed25519.PublicKeySize {
		t.Fatal("GenerateKey sizes")
	}
	enc := token.EncodePrivateKey(k.Private)
	for _, s := range []string{
		enc,
		base64.StdEncoding.EncodeToString(k.Private.Seed()),
		base64.StdEncoding.EncodeToString(k.Private),
		"  " + enc + "\n",
	} {
		got, err := token.ParsePrivateKey(s)
		if err != nil || !got.Equal(k.Private) {
			t.Fatalf("ParsePrivateKey(%q): %v", s, err)
		}
	}
	bad := bytes.Clone(k.Private)
	bad[40] ^= 1
	for _, s := range []string{"", "not base64!", base64.StdEncoding.EncodeToString([]byte("short")), base64.StdEncoding.EncodeToString(bad)} {
		if _, err := token.ParsePrivateKey(s); err == nil {
			t.Errorf("ParsePrivateKey(%q) accepted", s)
		}
	}
	// A signer configured from the seed alone works (Public derived).
	priv, _ := token.ParsePrivateKey(enc)
	s := &token.Signer{Issuer: "22", Current: token.Key{ID: 4, Private: priv}}
	tok, _, err := s.Issue(token.KindSite, 1, 0, time.Minute, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := token.NewTrustList(s).Verify(tok, t0); err != nil {
		t.Fatal(err)
	}
	if ks := s.PublishedKeys(); len(ks.Keys) != 1 || !ks.Keys[0].Public.Equal(k.Public) {
		t.Fatalf("published %+v", ks)
	}
}

func TestQR(t *testing.T) {
	s := newSigner()
	tok, _, _ := s.Issue(token.KindPerson, 123456789, token.ColourGreen, 5*time.Minute, t0)
	b, err := token.PNG(tok, 256)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 256 || img.Bounds().Dy() != 256 {
		t.Fatalf("PNG %v", img.Bounds())
	}

	svg, err := token.SVG(tok)
	if err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(strings.NewReader(svg))
	var root string
	paths := 0
	for {
		tk, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG not well-formed: %v", err)
		}
		if se, ok := tk.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
				if se.Name.Space != "http://www.w3.org/2000/svg" {
					t.Fatalf("namespace %q", se.Name.Space)
				}
			}
			if se.Name.Local == "path" {
				paths++
			}
		}
	}
	if root != "svg" || paths != 1 || strings.Count(svg, "h1v1h-1z") < 100 {
		t.Fatalf("SVG root=%s paths=%d", root, paths)
	}
	if _, err := token.PNG("", 256); err == nil {
		t.Fatal("empty PNG accepted")
	}
	if _, err := token.SVG(""); err == nil {
		t.Fatal("empty SVG accepted")
	}
}

func TestKindColourNames(t *testing.T) {
	for _, c := range []token.Colour{token.ColourGreen, token.ColourYellow, token.ColourOrange, token.ColourRed} {
		if got, err := token.ParseColour(c.String()); err != nil || got != c {
			t.Fatal(c)
		}
	}
	for _, k := range []token.Kind{token.KindPerson, token.KindSite} {
		if got, err := token.ParseKind(k.String()); err != nil || got != k {
			t.Fatal(k)
		}
	}
	if _, err := token.ParseColour("BLUE"); err == nil {
		t.Fatal("BLUE")
	}
}

// TestVerifiedCache: a token verified once is answered from the cache, but
// the time rules still apply on every use, and a change of the trusted keys
// drops what was verified under them.
func TestVerifiedCache(t *testing.T) {
	jilin := newSigner()
	guangdong := &token.Signer{Issuer: "44", Current: key(9, 44)}
	tl := token.NewTrustList(jilin)
	if err := tl.AddKeySet(guangdong.PublishedKeys()); err != nil {
		t.Fatal(err)
	}
	tok, _, err := guangdong.Issue(token.KindPerson, 7, token.ColourGreen, 3*time.Minute, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tl.Verify(tok, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if c, err := tl.Verify(tok, t0.Add(2*time.Minute)); err != nil || c.Subject != 7 {
		t.Fatalf("second use: %+v %v", c, err)
	}
	_, err = tl.Verify(tok, t0.Add(3*time.Minute))
	wantCode(t, err, mashang.ETOKENEXPIRED)
	tl.Remove("44", 9)
	_, err = tl.Verify(tok, t0.Add(time.Minute))
	wantCode(t, err, mashang.ETOKENUNKNOWNISSUER)

	// A forged copy is never confused with the cached original.
	if err := tl.AddKeySet(guangdong.PublishedKeys()); err != nil {
		t.Fatal(err)
	}
	if _, err := tl.Verify(tok, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	raw := decode(t, tok)
	raw[len(raw)-1] ^= 1
	_, err = tl.Verify(encode(raw), t0.Add(time.Minute))
	wantCode(t, err, mashang.ETOKENFORGED)

	// The cache stays within its size.
	small := token.NewTrustList(jilin)
	small.CacheSize = 16
	for i := 0; i < 200; i++ {
		tok, _, _ := jilin.Issue(token.KindPerson, uint64(i+1), token.ColourGreen, time.Minute, t0)
		if _, err := small.Verify(tok, t0); err != nil {
			t.Fatal(err)
		}
	}
	if n := small.CachedForTest(); n > 16 {
		t.Fatalf("cache holds %d tokens, bound 16", n)
	}
}

// TestReplaceKeySetIsAtomic: refreshing an issuer's published keys never
// leaves a moment in which its valid codes are refused as unknown.
func TestReplaceKeySetIsAtomic(t *testing.T) {
	guangdong := &token.Signer{Issuer: "44", Current: key(9, 44)}
	tl := &token.TrustList{CacheSize: -1} // every Verify looks the key up
	if err := tl.AddKeySet(guangdong.PublishedKeys()); err != nil {
		t.Fatal(err)
	}
	tok, _, err := guangdong.Issue(token.KindPerson, 7, token.ColourGreen, 3*time.Minute, t0)
	if err != nil {
		t.Fatal(err)
	}
	// Verifiers run throughout the refreshes; each reports its first
	// refusal. The window the test looks for is short, so it starts the
	// refreshes only once every verifier is running.
	const verifiers = 2
	var (
		wg      sync.WaitGroup
		started sync.WaitGroup
		done    = make(chan struct{})
		refused = make(chan error, verifiers)
	)
	for range verifiers {
		wg.Add(1)
		started.Add(1)
		go func() {
			defer wg.Done()
			first := true
			for {
				_, err := tl.Verify(tok, t0)
				if first {
					started.Done()
					first = false
				}
				if err != nil {
					refused <- err
					return
				}
				select {
				case <-done:
					return
				default:
				}
			}
		}()
	}
	started.Wait()
	for range 20000 {
		if err := tl.ReplaceKeySet(guangdong.PublishedKeys()); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	wg.Wait()
	close(refused)
	if err := <-refused; err != nil {
		t.Fatalf("a valid code was refused during a key refresh: %v", err)
	}

	// An invalid set is refused whole and the trusted keys stay.
	bad := guangdong.PublishedKeys()
	bad.Keys = append(bad.Keys, token.PublicKey{ID: 10, Public: ed25519.PublicKey{1, 2, 3}})
	if err := tl.ReplaceKeySet(bad); err == nil {
		t.Fatal("a key set with a 3-byte key was accepted")
	}
	if _, err := tl.Verify(tok, t0); err != nil {
		t.Fatalf("a refused refresh dropped the trusted keys: %v", err)
	}
}

// DESIGN §7: the person-code limit is published with the keys, and a
// province that reads our set learns it.
func TestPersonCodeLimitIsPublished(t *testing.T) {
	s := &token.Signer{Issuer: "22", Current: key(1, 1), PersonMaxTTL: 10 * time.Minute}
	b, err := json.Marshal(s.PublishedKeys())
	if err != nil || !strings.Contains(string(b), `"personCodeMaxMinutes":10`) {
		t.Fatalf("published %s %v", b, err)
	}
	ks, err := token.ParseKeySet(b)
	if err != nil || ks.PersonCodeMaxMinutes != 10 {
		t.Fatalf("parsed %+v %v", ks, err)
	}
	if _, err := token.ParseKeySet([]byte(`{"issuer":"44","personCodeMaxMinutes":1440,"keys":[]}`)); err == nil {
		t.Fatal("a day-long person-code limit accepted")
	}
	if got := (&token.Signer{Issuer: "22", PersonMaxTTL: 24 * time.Hour}).PersonTTLLimit(); got != token.MaxPersonTTL {
		t.Fatalf("limit %s, want the 30-minute ceiling", got)
	}
}

package auth_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/auth"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := auth.HashPassword(goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not an argon2id PHC string with the documented parameters", h)
	}
	if strings.Contains(h, goodPassword) {
		t.Fatal("hash contains the password")
	}
	ok, err := auth.CheckPassword(h, goodPassword)
	if err != nil || !ok {
		t.Fatalf("right password: ok=%v err=%v", ok, err)
	}
	for _, wrong := range []string{"", "correct horse battery ", "Correct horse battery", "correct horse batter"} {
		ok, err := auth.CheckPassword(h, wrong)
		if err != nil || ok {
			t.Errorf("wrong password %q: ok=%v err=%v", wrong, ok, err)
		}
	}
	h2, _ := auth.HashPassword(goodPassword)
	if h2 == h {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
}

func TestCheckPasswordRefusesMalformedHashes(t *testing.T) {
	h, _ := auth.HashPassword(goodPassword)
	parts := strings.Split(h, "$")
	for name, enc := range map[string]string{
		"empty":          "",
		"bcrypt":         "$2a$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
		"argon2i":        strings.Replace(h, "argon2id", "argon2i", 1),
		"wrong version":  strings.Replace(h, "v=19", "v=16", 1),
		"huge memory":    strings.Join([]string{"", parts[1], parts[2], "m=4194304,t=2,p=1", parts[4], parts[5]}, "$"),
		"many passes":    strings.Join([]string{"", parts[1], parts[2], "m=19456,t=1000,p=1", parts[4], parts[5]}, "$"),
		"trailing junk":  strings.Join([]string{"", parts[1], parts[2], "m=19456,t=2,p=1x", parts[4], parts[5]}, "$"),
		"bad salt":       strings.Join([]string{"", parts[1], parts[2], parts[3], "!!", parts[5]}, "$"),
		"truncated hash": strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "AAAA"}, "$"),
	} {
		t.Run(name, func(t *testing.T) {
			ok, err := auth.CheckPassword(enc, goodPassword)
			if err == nil || ok {
				t.Fatalf("ok=%v err=%v, want an error", ok, err)
			}
		})
	}
}

func TestValidatePassword(t *testing.T) {
	for _, tc := range []struct {
		pw string
		ok bool
	}{
		{"short1!", false},
		{"123456789012", false}, // digits only
		{"１２３４５６７８９０１", false},  // full-width digits only
		{"abcdefghij", false},   // a sequence
		{"春眠不觉晓处处闻啼鸟夜来风雨声", true},
		{"很很很很很很很很很很", false}, // a repetition
		{strings.Repeat("a", auth.MaxPasswordLen+1), false},
		{"13800138000a", false}, // a phone number and a letter
		{"mashang-demo-2026", true},
		{"correct horse battery", true},
	} {
		err := auth.ValidatePassword(tc.pw)
		if tc.ok != (err == nil) {
			t.Errorf("ValidatePassword(%q) = %v, want ok=%v", tc.pw, err, tc.ok)
		}
		if err != nil {
			var e *mashang.Error
			if !errors.As(err, &e) || e.Field != "password" || e.Code != mashang.EINVALID {
				t.Errorf("ValidatePassword(%q) error %#v is not an INVALID_INPUT on field password", tc.pw, err)
			}
		}
	}
}

func TestBearerToken(t *testing.T) {
	for header, want := range map[string]string{
		"":                   "",
		"Bearer msa_abc":     "msa_abc",
		"bearer  msa_abc ":   "msa_abc",
		"Basic dXNlcjpwYXNz": "",
		"msa_abc":            "",
		"Bearer":             "",
	} {
		if got := auth.BearerToken(header); got != want {
			t.Errorf("BearerToken(%q) = %q, want %q", header, got, want)
		}
	}
}

// Issue 10 §11: a holder (or the superior typing an initial password for
// them) cannot choose a common or weak password, nor its full-width twin.
func TestAHolderCannotChooseACommonPassword(t *testing.T) {
	for _, pw := range []string{
		"aaaaaaaaaa", "password12", "Password123", "qwertyuiop", "1qaz2wsx3edc", "woaini1314", "abcd123456",
		"ａａａａａａａａａａ", "ｐａｓｓｗｏｒｄ１２", "Ｐａｓｓｗｏｒｄ１２３", "ｑｗｅｒｔｙｕｉｏｐ",
	} {
		err := auth.ValidatePassword(pw)
		var e *mashang.Error
		if !errors.As(err, &e) || e.Code != mashang.EINVALID || e.Field != "password" {
			t.Errorf("ValidatePassword(%q) = %v, want INVALID_INPUT on password", pw, err)
		}
	}
}

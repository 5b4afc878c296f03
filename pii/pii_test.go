package pii_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mashang/mashang/pii"
)

func TestSealOpenHash(t *testing.T) {
	box, err := pii.NewBox(pii.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	const phone = "13812345678"
	a, b := box.Seal(pii.FieldPhone, phone), box.Seal(pii.FieldPhone, phone)
	if bytes.Equal(a, b) {
		t.Fatal("two seals of one value are equal: the nonce is not random")
	}
	if bytes.Contains(a, []byte(phone)) || bytes.Contains(a, []byte("5678")) {
		t.Fatal("sealed value contains the plain text")
	}
	got, err := box.Open(pii.FieldPhone, a)
	if err != nil || got != phone {
		t.Fatalf("Open = %q, %v", got, err)
	}
	t.Run("ErrWrongField", func(t *testing.T) {
		if _, err := box.Open(pii.FieldIDNumber, a); err == nil {
			t.Fatal("a sealed phone opened as an ID number")
		}
	})
	t.Run("ErrTampered", func(t *testing.T) {
		c := append([]byte(nil), a...)
		c[len(c)-1] ^= 1
		if _, err := box.Open(pii.FieldPhone, c); err == nil {
			t.Fatal("tampered value opened")
		}
	})
	t.Run("ErrOtherKey", func(t *testing.T) {
		other, _ := pii.NewBox(pii.NewKey())
		if _, err := other.Open(pii.FieldPhone, a); err == nil {
			t.Fatal("opened with another key")
		}
		if other.Hash(pii.FieldPhone, phone) == box.Hash(pii.FieldPhone, phone) {
			t.Fatal("hash does not depend on the key")
		}
	})
	if h1, h2 := box.Hash(pii.FieldPhone, phone), box.Hash(pii.FieldPhone, phone); h1 != h2 {
		t.Fatal("hash is not deterministic")
	}
	if box.Hash(pii.FieldPhone, phone) == box.Hash(pii.FieldIDNumber, phone) {
		t.Fatal("hash does not depend on the field")
	}
}

func TestMasks(t *testing.T) {
	cases := map[string]string{
		pii.MaskPhone("13812345678"):     "138****5678",
		pii.MaskID("220104199001011234"): "220104********1234",
		pii.MaskName("张三丰"):              "张**",
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("mask = %q, want %q", got, want)
		}
	}
	if m := pii.MaskID("G12345678"); strings.Contains(m, "2345") {
		t.Errorf("short passport number barely masked: %q", m)
	}
}

func TestParseKey(t *testing.T) {
	if _, err := pii.ParseKey(strings.Repeat("ab", 32)); err != nil {
		t.Fatal(err)
	}
	if _, err := pii.ParseKey("short"); err == nil {
		t.Fatal("short key accepted")
	}
}

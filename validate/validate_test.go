package validate_test

import (
	"strings"
	"testing"
	"time"

	"github.com/mashang/mashang/validate"
)

func TestUSCC(t *testing.T) {
	valid := []string{"91350100M000100Y43"} // the example of GB 32100-2015
	for _, c := range valid {
		if err := validate.USCC(c); err != nil {
			t.Errorf("USCC(%s) = %v, want valid", c, err)
		}
	}
	cases := map[string]string{
		"ErrWrongCheck":  "91350100M000100Y44",
		"ErrShort":       "91350100M000100Y4",
		"ErrForbiddenI":  "91350100I000100Y43",
		"ErrLowerCase":   "91350100m000100Y43",
		"ErrCheckIsChar": "9135010000000000SZ",
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if err := validate.USCC(c); err == nil {
				t.Fatalf("USCC(%s) accepted", c)
			}
		})
	}
	// A Chinese input method types full-width characters: 18 of them are
	// not "too long", and the message must say what to fix.
	t.Run("ErrFullWidthCharacter", func(t *testing.T) {
		err := validate.USCC("91350100Ｍ000100Y43")
		if err == nil || strings.Contains(err.Error(), "must have 18 characters") || !strings.Contains(err.Error(), "position 9") || !strings.Contains(err.Error(), "half-width") {
			t.Fatalf("USCC with a full-width Ｍ: %v; want the position and the half-width hint", err)
		}
	})
	t.Run("CheckCharRoundTrip", func(t *testing.T) {
		body := "91341881MA2N0A1B3"
		ch, err := validate.USCCCheckChar(body)
		if err != nil {
			t.Fatal(err)
		}
		if err := validate.USCC(body + string(ch)); err != nil {
			t.Fatalf("built code rejected: %v", err)
		}
	})
}

func TestResidentID(t *testing.T) {
	// GB 11643-1999 annex example (the second one, born 1880, is refused
	// since issue 10 §12) and a check character X.
	for _, id := range []string{"11010519491231002X"} {
		if err := validate.ResidentID(id); err != nil {
			t.Errorf("ResidentID(%s) = %v, want valid", id, err)
		}
	}
	for name, id := range map[string]string{
		"ErrWrongCheck": "110105194912310021",
		"ErrBadDate":    "110105194902300025",
		"ErrLetter":     "11010519491231A02X",
		"ErrShort":      "11010519491231002",
	} {
		t.Run(name, func(t *testing.T) {
			if err := validate.ResidentID(id); err == nil {
				t.Fatalf("ResidentID(%s) accepted", id)
			}
		})
	}
	t.Run("ErrFullWidthX", func(t *testing.T) {
		err := validate.ResidentID("11010519491231002Ｘ")
		if err == nil || strings.Contains(err.Error(), "must have 18 characters") || !strings.Contains(err.Error(), "half-width") {
			t.Fatalf("ResidentID with a full-width Ｘ: %v; want the half-width hint", err)
		}
	})
}

// withCheck completes 17 digits with their check digit, so only the rule
// under test can refuse the number.
func withCheck(t *testing.T, first17 string) string {
	t.Helper()
	c, err := validate.ResidentIDCheckDigit(first17)
	if err != nil {
		t.Fatal(err)
	}
	return first17 + string(c)
}

// Issue 10 §12: numbers with a valid check digit that no person can hold.
func TestAForgerCannotRegisterAnImpossibleIDNumber(t *testing.T) {
	today := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	for name, first17 := range map[string]string{
		"ErrBornIn2099":        "22010420991231001",
		"ErrBornTomorrow":      "22010420261206001",
		"ErrBornIn1800":        "22010418000101001",
		"ErrBornIn1899":        "22010418991231001",
		"ErrRegion000000":      "00000019800101001",
		"ErrUnknownProvince99": "99010419800101001",
		"ErrUnknownProvince10": "10010419800101001",
	} {
		t.Run(name, func(t *testing.T) {
			id := withCheck(t, first17)
			if err := validate.ResidentIDAt(id, today); err == nil {
				t.Fatalf("ResidentIDAt(%s) accepted", id)
			}
		})
	}
	for _, first17 := range []string{"22010420261205001", "22010419000101001", "81000019800101001", "65010219800101001"} {
		if id := withCheck(t, first17); validate.ResidentIDAt(id, today) != nil {
			t.Errorf("ResidentIDAt(%s) = %v, want valid", id, validate.ResidentIDAt(id, today))
		}
	}
}

// Issue 10 §15: a refused number is personal data; no message may contain
// any four consecutive characters of it.
func TestAnErrorMessageNeverEchoesTheIDNumber(t *testing.T) {
	bad := []string{
		withCheck(t, "22010420991231001"), withCheck(t, "22010418000101001"), withCheck(t, "00000019800101001"),
		"220104198001010421", "22010419800101042", "2201041980010104211", "2201041980A101042X",
		"220104198001010４２1", "22010419800101042Ｘ", "220104198002300421", "ＡＢＣＤ20104198001010",
	}
	for _, id := range bad {
		err := validate.ResidentID(id)
		if err == nil {
			t.Errorf("ResidentID(%s) accepted", id)
			continue
		}
		if s := EchoedPart(err.Error(), id); s != "" {
			t.Errorf("the message for a bad ID number echoes %q: %v", s, err)
		}
	}
}

// EchoedPart returns a substring of secret of at least 4 characters that msg
// contains, or "".
func EchoedPart(msg, secret string) string {
	r := []rune(secret)
	for i := 0; i+4 <= len(r); i++ {
		if part := string(r[i : i+4]); strings.Contains(msg, part) {
			return part
		}
	}
	return ""
}

func TestPhone(t *testing.T) {
	for in, want := range map[string]string{"13812345678": "13812345678", "+86 138-1234-5678": "13812345678", "008619912345678": "19912345678"} {
		got, err := validate.NormalizePhone(in)
		if err != nil || got != want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"12812345678", "1381234567", "1381234567a", "02512345678"} {
		_, err := validate.NormalizePhone(in)
		if err == nil {
			t.Errorf("NormalizePhone(%q) accepted", in)
			continue
		}
		// SECURITY: a rejected number is personal data; the message must not echo it.
		if strings.Contains(err.Error(), in[:7]) {
			t.Errorf("error echoes the number: %v", err)
		}
	}
}

func TestCoordinatesAndTemperature(t *testing.T) {
	if validate.Latitude(43.8) != nil || validate.Latitude(90.1) == nil || validate.Latitude(-91) == nil {
		t.Error("latitude bounds")
	}
	if validate.Longitude(125.3) != nil || validate.Longitude(180.5) == nil {
		t.Error("longitude bounds")
	}
	if validate.Temperature(36.5) != nil || validate.Temperature(33.9) == nil || validate.Temperature(43.1) == nil {
		t.Error("temperature bounds")
	}
}

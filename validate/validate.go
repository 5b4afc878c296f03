// Package validate checks the identifiers and measurements the platform
// accepts: unified social credit codes (GB 32100), resident ID numbers
// (GB 11643), mainland mobile numbers, coordinates and body temperatures.
// Every function returns an error a person can act on, or nil.
package validate

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/mashang/mashang"
)

// usccAlphabet is the 31-character set of GB 32100-2015 (no I, O, S, V, Z).
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCC validates an 18-character unified social credit code, including its
// check character (GB 32100-2015 §4 and annex: weighted sum modulo 31).
func USCC(code string) error {
	r := []rune(code)
	if len(r) != 18 {
		return mashang.Errorf(mashang.EINVALID, "unified social credit code must have 18 characters, got %d", len(r))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexRune(usccAlphabet, r[i])
		if v < 0 {
			if isFullWidth(r[i]) {
				return mashang.Errorf(mashang.EINVALID, "unified social credit code has invalid character %q at position %d (allowed: digits and %s); it is a full-width character: switch the input method to half-width and type it again", r[i], i+1, usccAlphabet[10:])
			}
			return mashang.Errorf(mashang.EINVALID, "unified social credit code has invalid character %q at position %d (allowed: digits and %s)", r[i], i+1, usccAlphabet[10:])
		}
		sum += v * usccWeights[i]
	}
	if want := rune(usccAlphabet[(31-sum%31)%31]); r[17] != want {
		if isFullWidth(r[17]) {
			return mashang.Errorf(mashang.EINVALID, "unified social credit code check character is %q but should be %q; it is a full-width character: switch the input method to half-width and type it again", r[17], want)
		}
		return mashang.Errorf(mashang.EINVALID, "unified social credit code check character is %q but should be %q: check the code for a typing error", r[17], want)
	}
	return nil
}

// isFullWidth tells a full-width digit or letter (Ａ, ３, Ｘ), which a
// Chinese input method types and which looks like the one expected: the
// message then says so.
func isFullWidth(r rune) bool { return r >= 0xFF01 && r <= 0xFF5E }

// USCCCheckChar returns the check character for the first 17 characters of a
// code; it is used to build valid codes for demo data and tests.
func USCCCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, errors.New("need exactly 17 characters")
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccAlphabet, first17[i])
		if v < 0 {
			return 0, fmt.Errorf("invalid character %q at position %d", first17[i], i+1)
		}
		sum += v * usccWeights[i]
	}
	return usccAlphabet[(31-sum%31)%31], nil
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheck = "10X98765432"

// EarliestBirth is the earliest birth date a resident ID number may carry:
// GB 11643 numbers were first issued in 1999 (to the living), and nobody
// born before 1900 is alive to hold one.
var EarliestBirth = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// provinces are the first two digits of the province-level divisions of
// GB/T 2260 (11 北京 … 65 新疆) and those of the numbers issued to residents
// of Taiwan (71, 83), Hong Kong (81) and Macao (82).
var provinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

// ResidentID validates an 18-digit resident identity number (GB 11643-1999)
// as of today: see ResidentIDAt.
func ResidentID(id string) error { return ResidentIDAt(id, time.Now()) }

// ResidentIDAt validates an 18-digit resident identity number
// (GB 11643-1999) as of the day today: six region digits of a known
// province (GB/T 2260), a real birth date between EarliestBirth and today,
// three sequence digits and the ISO 7064 MOD 11-2 check character (0-9 or
// X). The 6-digit region itself is checked against the division table by
// the caller that has one (RegionPrefix).
//
// SECURITY: no message contains any character of the number — it is
// personal data, and messages are logged and shown (issue 10 §15); they name
// positions only.
func ResidentIDAt(id string, today time.Time) error {
	r := []rune(strings.ToUpper(id))
	if len(r) != 18 {
		return mashang.Errorf(mashang.EINVALID, "resident ID number must have 18 characters, got %d", len(r))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := r[i]
		if c < '0' || c > '9' {
			if isFullWidth(c) {
				return mashang.Errorf(mashang.EINVALID, "resident ID number must be 17 digits followed by a digit or X; the character at position %d is full-width: switch the input method to half-width and type it again", i+1)
			}
			return mashang.Errorf(mashang.EINVALID, "resident ID number must be 17 digits followed by a digit or X; position %d is not a digit", i+1)
		}
		sum += int(c-'0') * idWeights[i]
	}
	if !provinces[string(r[:2])] {
		return mashang.Errorf(mashang.EINVALID, "resident ID number has an unknown region (digits 1–6): check the number for a typing error")
	}
	birth, err := time.Parse("20060102", string(r[6:14]))
	if err != nil {
		return mashang.Errorf(mashang.EINVALID, "resident ID number has an impossible birth date (digits 7–14): check the number for a typing error")
	}
	y, m, d := today.Date()
	if birth.After(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) || birth.Before(EarliestBirth) {
		return mashang.Errorf(mashang.EINVALID, "resident ID number has an impossible birth date (digits 7–14): check the number for a typing error")
	}
	if want := rune(idCheck[sum%11]); r[17] != want {
		if isFullWidth(r[17]) {
			return mashang.Errorf(mashang.EINVALID, "resident ID number check character is full-width: switch the input method to half-width and type it again")
		}
		return mashang.Errorf(mashang.EINVALID, "resident ID number check digit does not match the other digits: check the number for a typing error")
	}
	return nil
}

// RegionPrefix returns the region code (the first six digits) of a resident
// ID number that ResidentID accepted, for a caller to look up in the
// division table.
func RegionPrefix(id string) string {
	if len(id) < 6 {
		return ""
	}
	return id[:6]
}

// ResidentIDCheckDigit returns the check character for 17 digits.
func ResidentIDCheckDigit(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, errors.New("need exactly 17 digits")
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("position %d is not a digit", i+1)
		}
		sum += int(c-'0') * idWeights[i]
	}
	return idCheck[sum%11], nil
}

// NormalizePhone accepts a mainland mobile number, optionally written with a
// +86/0086 prefix, spaces or dashes, and returns its 11 digits.
func NormalizePhone(phone string) (string, error) {
	p := strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(phone))
	p = strings.TrimPrefix(p, "+86")
	p = strings.TrimPrefix(p, "0086")
	if len(p) != 11 || p[0] != '1' || p[1] < '3' || p[1] > '9' {
		return "", mashang.Errorf(mashang.EINVALID, "phone number is not a mainland mobile number: give 11 digits starting with 13–19, optionally after +86")
	}
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return "", mashang.Errorf(mashang.EINVALID, "phone number must contain digits only")
		}
	}
	return p, nil
}

// Latitude accepts −90…90 degrees.
func Latitude(v float64) error {
	if math.IsNaN(v) || v < -90 || v > 90 {
		return mashang.Errorf(mashang.EINVALID, "latitude %v is outside −90…90 degrees", v)
	}
	return nil
}

// Longitude accepts −180…180 degrees.
func Longitude(v float64) error {
	if math.IsNaN(v) || v < -180 || v > 180 {
		return mashang.Errorf(mashang.EINVALID, "longitude %v is outside −180…180 degrees", v)
	}
	return nil
}

// Temperature bounds of a body temperature reading (°C); outside them the
// reading is a device or typing error, not a fever.
const (
	MinTemperature = 34.0
	MaxTemperature = 43.0
)

// Temperature accepts a measured body temperature in °C.
func Temperature(c float64) error {
	if math.IsNaN(c) || c < MinTemperature || c > MaxTemperature {
		return mashang.Errorf(mashang.EINVALID, "temperature %.1f °C is outside %.1f–%.1f °C: measure again", c, MinTemperature, MaxTemperature)
	}
	return nil
}

package validate

import "unicode/utf8"

// Clip cuts s to at most n bytes without splitting a UTF-8 character, for
// text that must fit a column whose limit counts bytes (ent's MaxLen): a
// site name in an alert, an SMS body, a row error, an audit target.
func Clip(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

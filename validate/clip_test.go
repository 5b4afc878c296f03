package validate

import (
	"testing"
	"unicode/utf8"
)

func TestClip(t *testing.T) {
	for _, c := range []struct {
		s    string
		n    int
		want string
	}{
		{"南湖公园", 12, "南湖公园"}, // 12 bytes: fits
		{"南湖公园", 11, "南湖公"},  // the 4th character would be split
		{"南湖公园", 7, "南湖"},
		{"南湖公园", 2, ""},
		{"abc", 2, "ab"},
		{"abc", 0, ""},
		{"a南", 3, "a"},
	} {
		got := Clip(c.s, c.n)
		if got != c.want || !utf8.ValidString(got) || len(got) > max(c.n, 0) {
			t.Errorf("Clip(%q, %d) = %q, want %q", c.s, c.n, got, c.want)
		}
	}
}

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
		{"南湖公园", 4, "南湖公园"}, // 4 characters: fits
		{"南湖公园", 12, "南湖公园"},
		{"南湖公园", 3, "南湖公"},
		{"南湖公园", 2, "南湖"},
		{"南湖公园", 0, ""},
		{"abc", 2, "ab"},
		{"abc", 0, ""},
		{"a南b", 2, "a南"},
		{"a南b", -1, ""},
	} {
		got := Clip(c.s, c.n)
		if got != c.want || !utf8.ValidString(got) || utf8.RuneCountInString(got) > max(c.n, 0) {
			t.Errorf("Clip(%q, %d) = %q, want %q", c.s, c.n, got, c.want)
		}
	}
}

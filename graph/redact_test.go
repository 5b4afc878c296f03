package graph

import (
	"strings"
	"testing"
)

// Issue 10 #1: whatever an unexpected error's text quotes of the request,
// the log gets none of it.
func TestAnErrorQuotingTheRequestLeavesNoPersonalDataInTheLog(t *testing.T) {
	for _, c := range []struct{ text, secret string }{
		{`input: json request body could not be decoded: invalid character '}' body:{"variables": {"w": "Sup3rSecret"}}`, "Sup3rSecret"},
		{`pq: invalid input syntax for type timestamp with time zone: "13912345678"`, "13912345678"},
		{`strconv.ParseFloat: parsing "张三 220104199003070111": invalid syntax`, "张三"},
		{`lookup failed for 22010419900307011X at row 3`, "22010419900307011"},
		{`phone 13912345678 rejected`, "13912345678"},
	} {
		got := redactForLog(c.text)
		if strings.Contains(got, c.secret) {
			t.Errorf("SECURITY: redactForLog(%q) = %q keeps %q", c.text, got, c.secret)
		}
	}
	if got := redactForLog("ent: constraint failed (23505) at column 12"); got != "ent: constraint failed (23505) at column 12" {
		t.Errorf("redactForLog mangled a harmless text: %q", got)
	}
}

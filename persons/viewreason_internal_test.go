package persons

import (
	"strings"
	"testing"
)

// An official typing the person's ID number or phone into the reason for a
// read in clear does not put it in clear into the audit log, which cannot
// be cleaned: the reason is stored masked.
func TestAReasonNamingAnIDNumberIsAuditedMasked(t *testing.T) {
	for in, clear := range map[string][]string{
		"核实 11010519900307123X 的密接":        {"11010519900307123X", "19900307"},
		"电话13812345678已打不通":                {"13812345678", "1234"},
		"旧证号110105900307123，案号 2026120501": {"110105900307123"},
	} {
		got, err := viewReason(in)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range clear {
			if strings.Contains(got, c) {
				t.Errorf("%q kept %q in clear: %q", in, c, got)
			}
		}
	}
	// Other numbers (a case number, a date) stay as typed.
	if got, _ := viewReason("案号 2026120501 于 2026-12-05"); got != "案号 2026120501 于 2026-12-05" {
		t.Errorf("a case number was changed: %q", got)
	}
}

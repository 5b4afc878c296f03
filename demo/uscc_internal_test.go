package demo

import (
	"testing"

	"github.com/mashang/mashang/validate"
)

func TestOrgCodeCheck(t *testing.T) {
	// The worked example of GB 11714-1997: D2143569-X.
	if c := orgCodeCheck("D2143569"); c != 'X' {
		t.Errorf("orgCodeCheck(D2143569) = %c, want X", c)
	}
}

func TestUSCCFor(t *testing.T) {
	code, err := usccFor("事业单位", "341881003", 7)
	if err != nil {
		t.Fatal(err)
	}
	if code[:8] != "12341881" || code[8:16] != "18810007" {
		t.Errorf("usccFor = %s, want 12 + 341881 + organisation code 18810007…", code)
	}
	if err := validate.USCC(code); err != nil {
		t.Errorf("usccFor = %s: %v", code, err)
	}
	if _, err := usccFor("公司", "341881", 1); err == nil {
		t.Error("usccFor accepted an unknown kind")
	}
}

package health_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/health"
)

func TestParseRuleSet(t *testing.T) {
	rs := health.DefaultRuleSet()
	rs.Version, rs.Params = 2, map[string]float64{"fever_c": 37.5}
	text, err := json.Marshal(rs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := health.ParseRuleSet(string(text))
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || got.Params["fever_c"] != 37.5 || len(got.Rules) != len(rs.Rules) || got.Rules[0].When != rs.Rules[0].When {
		t.Errorf("parsed %+v, want %+v", got, rs)
	}
	t.Run("ErrNotJSON", func(t *testing.T) {
		_, err := health.ParseRuleSet(`{"rules": [`)
		var e *mashang.Error
		if !errors.As(err, &e) || e.Code != mashang.EINVALID || e.Field != "rules" {
			t.Fatalf("error %v, want INVALID_INPUT on rules", err)
		}
	})
}

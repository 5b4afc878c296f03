package health

import (
	"encoding/json"

	"github.com/mashang/mashang"
)

// ParseRuleSet reads a rule set as the province sends it to publish
// (publishRuleSet's rules argument: {"version":…,"params":…,"rules":[…]}).
// It checks only that the text is a rule set; Compile and Check decide
// whether its rules are sound (seed 003 §五(二): the rules are data the
// province adjusts).
func ParseRuleSet(text string) (RuleSet, error) {
	var rs RuleSet
	if err := json.Unmarshal([]byte(text), &rs); err != nil {
		return RuleSet{}, mashang.FieldErrorf(mashang.EINVALID, "rules", "The rule set is not valid JSON: %v.", err)
	}
	return rs, nil
}

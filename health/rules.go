// Package health holds the colour rules of the health code as data: a
// versioned rule set of CEL expressions (github.com/google/cel-go) that is
// compiled once and evaluated for every colour decision.
//
// The rules live in DESIGN.md §6, taken from seed 001 §4 (“吉祥码”健康状态:
// 绿、黄、橙、红四种). Seed 003 §五(二) (实时调整规则: 根据疫情趋势…及时调整完善
// “安康码”制定标准) is why they are data rather than code: the INITIATOR
// publishes a new RuleSet version, which is compiled (Compile) and dry-run
// against sample persons (DryRun / Check) before it takes effect. Storing
// the versions is left to the caller (package health has no database).
package health

import (
	"time"
)

// The four colours, in priority order RED > ORANGE > YELLOW > GREEN
// (DESIGN.md §6; seed 001 §4).
const (
	Red    = "RED"
	Orange = "ORANGE"
	Yellow = "YELLOW"
	Green  = "GREEN"
)

// priority of each colour; GREEN is the fallback and has no rules.
var priority = map[string]int{Red: 3, Orange: 2, Yellow: 1, Green: 0}

// The risk values of the national platform's epidemic data (seed 001 §4:
// 经国家政务服务平台防疫数据核验).
const (
	RiskNone         = "NONE"
	RiskCloseContact = "CLOSE_CONTACT"
	RiskQuarantined  = "QUARANTINED"
	RiskSuspected    = "SUSPECTED"
	RiskConfirmed    = "CONFIRMED"
)

var validRisk = map[string]bool{RiskNone: true, RiskCloseContact: true, RiskQuarantined: true, RiskSuspected: true, RiskConfirmed: true}

// Facts is what the rules may look at for one person. It is exposed to CEL
// as `person` (see the cel field names below), with `now` (a timestamp) and
// `params` (the rule set's numeric parameters, map(string, double)).
type Facts struct {
	// Risk: NONE, CLOSE_CONTACT, QUARANTINED, SUSPECTED or CONFIRMED; "" means NONE.
	// CEL: person.risk (string).
	Risk string
	// QuarantineEnds is the end of the quarantine / medical observation, if known.
	// CEL: person.has_quarantine_end (bool), person.quarantine_ends (timestamp).
	QuarantineEnds *time.Time
	// Symptomatic: the person shows COVID-19 symptoms (seed 001 §4 orange:
	// 若本人无新冠肺炎症状，隔离期满…可自动恢复绿色码). CEL: person.symptomatic.
	Symptomatic bool
	// LastTemperature is the latest on-site reading in °C, by any scanner.
	// CEL: person.has_temperature (bool), person.temperature (double),
	// person.temperature_at (timestamp).
	LastTemperature   *float64
	LastTemperatureAt *time.Time
	// ValidTestWithin7Days: a valid (negative) test in the last 7 days.
	// CEL: person.valid_test_within_7_days (bool). Not used by DESIGN §6.
	ValidTestWithin7Days bool
	// Region is the code of the person's residence region ("" unknown;
	// seed 003 §二(七), 004 §二(五)). CEL: person.region (string); test a
	// subtree with under(person.region, ['4201']) or startsWith.
	Region string
	// Visits are the regions the person declared they visited (daily
	// check-ins, structured travel). CEL: person.visited, a list of
	// health.visit {region (string), date (timestamp, the day's start in
	// China time), days_ago (int, whole days before now's day)}; the
	// method v.within_days(n) is days_ago <= n.
	Visits []Visit
	// KeyAreas is the key-area list in force (region codes, each covering
	// its subtree). CEL: key_areas (list(string)); not part of person.
	KeyAreas []string
	// Now is the evaluation time. CEL: now (timestamp).
	Now time.Time
	// OfficialRiskChange is set only by setRisk from an authorised official.
	// Transition lets a RED code leave red only when it is set (seed 001 §4
	// 红色: 依照我省防疫期间相关规定实施人员管控和“吉祥码”健康状态色调整).
	// Not visible to CEL.
	OfficialRiskChange bool
}

// Visit is a region (by code) visited on a day (Date: any time of that day).
type Visit struct {
	Region string
	Date   time.Time
}

// Rule: when When (a CEL boolean expression) holds, the person's colour is
// Colour, and Cause is recorded with the colour change.
type Rule struct {
	Colour string `json:"colour"`
	When   string `json:"when"`
	Cause  string `json:"cause"`
}

// RuleSet is one published version of the rules. Rules must be listed in
// priority order (all RED rules, then ORANGE, then YELLOW); the first rule
// that matches decides, GREEN when none does.
type RuleSet struct {
	Version int                `json:"version"`
	Params  map[string]float64 `json:"params"`
	Rules   []Rule             `json:"rules"`
}

// DefaultRuleSet encodes DESIGN.md §6 (seed 001 §4) exactly:
//   - RED: risk SUSPECTED or CONFIRMED (红色: 确诊和疑似病例).
//   - ORANGE: risk CLOSE_CONTACT or QUARANTINED while the quarantine has not
//     ended (no known end counts as not ended) or the person has symptoms
//     (橙色: 密切接触人员或隔离人员; 无症状, 隔离期满…可自动恢复绿色码).
//   - YELLOW: an on-site temperature ≥ params.fever_c (37.3 °C) (黄色: 现场测温
//     异常（体温≥37.3摄氏度）; 经任意扫码员测温登记后可恢复绿色码). “Nothing
//     abnormal in the risk data” follows from the priority order: a person
//     whose risk data is abnormal has already matched a RED or ORANGE rule.
//   - GREEN otherwise (绿色: 核验无异常).
func DefaultRuleSet() RuleSet {
	const quarantineOn = `(!person.has_quarantine_end || now < person.quarantine_ends || person.symptomatic)`
	return RuleSet{
		Version: 1,
		Params:  map[string]float64{"fever_c": 37.3},
		Rules: []Rule{
			{Colour: Red, When: `person.risk == 'CONFIRMED'`, Cause: "risk CONFIRMED"},
			{Colour: Red, When: `person.risk == 'SUSPECTED'`, Cause: "risk SUSPECTED"},
			{Colour: Orange, When: `person.risk == 'CLOSE_CONTACT' && ` + quarantineOn, Cause: "risk CLOSE_CONTACT, quarantine not ended"},
			{Colour: Orange, When: `person.risk == 'QUARANTINED' && ` + quarantineOn, Cause: "risk QUARANTINED, quarantine not ended"},
			{Colour: Yellow, When: `person.has_temperature && person.temperature >= params.fever_c`, Cause: "on-site temperature at or above the fever threshold"},
		},
	}
}

// GreenCause is the cause recorded when no rule matches.
const GreenCause = "nothing abnormal"

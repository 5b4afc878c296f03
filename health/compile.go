package health

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/ast"
	"github.com/google/cel-go/common/operators"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/ext"
	"github.com/mashang/mashang"
)

// person is the CEL view of Facts (type name "health.person").
type person struct {
	Risk                 string    `cel:"risk"`
	HasQuarantineEnd     bool      `cel:"has_quarantine_end"`
	QuarantineEnds       time.Time `cel:"quarantine_ends"`
	Symptomatic          bool      `cel:"symptomatic"`
	HasTemperature       bool      `cel:"has_temperature"`
	Temperature          float64   `cel:"temperature"`
	TemperatureAt        time.Time `cel:"temperature_at"`
	ValidTestWithin7Days bool      `cel:"valid_test_within_7_days"`
	Region               string    `cel:"region"`
	Visited              []visit   `cel:"visited"`
}

// visit is the CEL view of a Visit (type name "health.visit").
type visit struct {
	Region  string    `cel:"region"`
	Date    time.Time `cel:"date"`
	DaysAgo int64     `cel:"days_ago"`
}

// Zone is the day boundary of days_ago: the province's time zone (China
// time by default; MASHANG_TIMEZONE, set by the app at start).
var Zone = time.FixedZone("CST", 8*60*60)

// under reports whether a region code lies in the subtree of any of the
// codes: region codes are hierarchical by prefix (GB/T 2260: 2, 4, 6
// digits; streets 9, communities 12), so 4201 covers 420102 and 420102001.
func under(code string, prefixes []string) bool {
	if code == "" {
		return false
	}
	for _, p := range prefixes {
		if p != "" && strings.HasPrefix(code, p) {
			return true
		}
	}
	return false
}

var celEnv = mustEnv()

func mustEnv() *cel.Env {
	env, err := cel.NewEnv(
		ext.NativeTypes(reflect.TypeOf(person{}), reflect.TypeOf(visit{}), ext.ParseStructTags(true)),
		cel.Variable("person", cel.ObjectType("health.person")),
		cel.Variable("key_areas", cel.ListType(cel.StringType)),
		// under(code, codes): code lies in the subtree of one of codes
		// (e.g. under(v.region, key_areas), under(person.region, ['4201'])).
		// v.within_days(n): the visit v was at most n days ago (days_ago <= n).
		cel.Function("within_days", cel.MemberOverload("visit_within_days_int",
			[]*cel.Type{cel.ObjectType("health.visit"), cel.IntType}, cel.BoolType,
			cel.BinaryBinding(func(v, n ref.Val) ref.Val {
				x, ok := v.Value().(visit)
				days, isInt := n.(types.Int)
				if !ok || !isInt {
					return types.MaybeNoSuchOverloadErr(v)
				}
				return types.Bool(x.DaysAgo >= 0 && x.DaysAgo <= int64(days))
			}))),
		cel.Function("under", cel.Overload("under_string_list_string",
			[]*cel.Type{cel.StringType, cel.ListType(cel.StringType)}, cel.BoolType,
			cel.BinaryBinding(func(code, list ref.Val) ref.Val {
				c, ok := code.(types.String)
				if !ok {
					return types.MaybeNoSuchOverloadErr(code)
				}
				native, err := list.ConvertToNative(reflect.TypeOf([]string{}))
				if err != nil {
					return types.WrapErr(err)
				}
				return types.Bool(under(string(c), native.([]string)))
			}))),
		cel.Variable("now", cel.TimestampType),
		cel.Variable("params", cel.MapType(cel.StringType, cel.DoubleType)),
		cel.CrossTypeNumericComparisons(true),
	)
	if err != nil {
		panic("health: CEL environment: " + err.Error())
	}
	return env
}

// RuleError is one problem in a rule set, named so that the person who wrote
// it can act on it. Index is the rule's 0-based position (-1: the set itself).
// Detail is the same message as a *mashang.Error, so that a caller can show
// it in the request's language (package i18n; previewRuleSet, seed 003
// §五(二)). Offset is where in the rule's trimmed "when" the expression
// engine found the problem (a 0-based character offset), -1 when unknown.
type RuleError struct {
	Index  int
	Field  string // "version", "params", "rules", "colour", "when", "cause", "samples"
	Msg    string
	Offset int
	Detail *mashang.Error
}

func (e *RuleError) Error() string {
	if e.Index < 0 {
		return fmt.Sprintf("rule set: %s: %s", e.Field, e.Msg)
	}
	return fmt.Sprintf("rule %d: %s: %s", e.Index, e.Field, e.Msg)
}

// Program is a compiled rule set: compile once, evaluate many.
type Program struct {
	version       int
	params        ref.Val
	raw           map[string]float64
	rules         []compiledRule
	usesValidTest bool
	usesRegion    bool
}

type compiledRule struct {
	Rule
	prg cel.Program
}

// Version of the rule set this program was compiled from.
func (p *Program) Version() int { return p.version }

// Param returns a parameter of the rule set (e.g. "fever_c").
func (p *Program) Param(name string) (float64, bool) {
	v, ok := p.raw[name]
	return v, ok
}

// UsesValidTest reports whether any rule reads
// person.valid_test_within_7_days, so callers may skip looking it up (asked
// once per batch of scans; decided once, by Compile).
func (p *Program) UsesValidTest() bool { return p.usesValidTest }

// UsesRegion reports whether any rule may read person.region, so callers
// may skip looking up the residence's code (decided once, by Compile).
func (p *Program) UsesRegion() bool { return p.usesRegion }

var paramName = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// Compile type-checks every rule of rs. It returns all problems at once
// (errors.Join of *RuleError): syntax errors, unknown variables or fields,
// expressions that are not boolean, unknown parameters, colours outside
// RED/ORANGE/YELLOW (GREEN is the fallback and takes no rule), rules out of
// priority order, duplicated rules or causes, and a colour with no rule.
func Compile(rs RuleSet) (*Program, error) {
	var errs []error
	add := func(i int, field string, e *mashang.Error) {
		errs = append(errs, &RuleError{Index: i, Field: field, Msg: e.Message, Offset: -1, Detail: e})
	}
	if rs.Version <= 0 {
		add(-1, "version", mashang.Errorf(mashang.EINVALID, "must be a positive number, got %d", rs.Version))
	}
	names := make([]string, 0, len(rs.Params))
	for k := range rs.Params {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if !paramName.MatchString(k) {
			add(-1, "params", mashang.Errorf(mashang.EINVALID, "parameter name %q must be lower-case letters, digits and _", k))
		}
	}
	p := &Program{version: rs.Version, params: types.DefaultTypeAdapter.NativeToValue(copyParams(rs.Params)), raw: copyParams(rs.Params)}
	seenWhen := map[string]int{}
	seenCause := map[string]int{}
	seenColour := map[string]bool{}
	last := len(priority) // priority of the previous rule
	for i, r := range rs.Rules {
		pr, ok := priority[r.Colour]
		switch {
		case !ok:
			add(i, "colour", mashang.Errorf(mashang.EINVALID, "%q is not one of RED, ORANGE, YELLOW", r.Colour))
		case r.Colour == Green:
			add(i, "colour", mashang.Errorf(mashang.EINVALID, "GREEN takes no rule: a person is green when no rule matches"))
		case pr > last:
			add(i, "colour", mashang.Errorf(mashang.EINVALID, "%s rule listed after a lower-priority rule; list RED, then ORANGE, then YELLOW", r.Colour))
		default:
			last = pr
			seenColour[r.Colour] = true
		}
		cause := strings.TrimSpace(r.Cause)
		if cause == "" {
			add(i, "cause", mashang.Errorf(mashang.EINVALID, "must not be empty: it is recorded with every colour change"))
		} else if j, dup := seenCause[cause]; dup {
			add(i, "cause", mashang.Errorf(mashang.EINVALID, "same cause as rule %d; causes must tell rules apart", j))
		} else {
			seenCause[cause] = i
		}
		when := strings.TrimSpace(r.When)
		if when == "" {
			add(i, "when", mashang.Errorf(mashang.EINVALID, "must not be empty"))
			continue
		}
		if j, dup := seenWhen[when]; dup {
			add(i, "when", mashang.Errorf(mashang.EINVALID, "same expression as rule %d", j))
			continue
		}
		seenWhen[when] = i
		checked, iss := celEnv.Compile(when)
		if iss != nil && iss.Err() != nil {
			for _, e := range iss.Errors() {
				errs = append(errs, celProblem(i, when, e.Message, e.Location.Line(), e.Location.Column()))
			}
			continue
		}
		if !checked.OutputType().IsExactType(types.BoolType) {
			add(i, "when", mashang.Errorf(mashang.EINVALID, "must be a boolean expression, got %s", checked.OutputType().String()))
			continue
		}
		if missing := unknownParams(checked, rs.Params); len(missing) > 0 {
			add(i, "when", mashang.Errorf(mashang.EINVALID, "unknown parameter(s) %s; defined: %s", strings.Join(missing, ", "), strings.Join(names, ", ")))
			continue
		}
		prg, err := celEnv.Program(checked, cel.EvalOptions(cel.OptOptimize))
		if err != nil {
			add(i, "when", mashang.Errorf(mashang.EINVALID, "The expression cannot be prepared: %s", err.Error()))
			continue
		}
		p.rules = append(p.rules, compiledRule{Rule: Rule{Colour: r.Colour, When: when, Cause: cause}, prg: prg})
		p.usesValidTest = p.usesValidTest || strings.Contains(when, "valid_test_within_7_days")
		p.usesRegion = p.usesRegion || strings.Contains(when, ".region")
	}
	for _, c := range []string{Red, Orange, Yellow} {
		if !seenColour[c] {
			add(-1, "rules", mashang.Errorf(mashang.EINVALID, "no %s rule (DESIGN.md §6 / seed 001 §4 define all four colours)", c))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return p, nil
}

// celProblem is one issue the expression engine found in a rule's "when",
// with its place (line 1-based, column 0-based) turned into an offset.
func celProblem(i int, when, msg string, line, column int) *RuleError {
	offset := -1
	if line >= 1 && column >= 0 {
		lines := strings.SplitAfter(when, "\n")
		at := 0
		for l := 0; l < line-1 && l < len(lines); l++ {
			at += len([]rune(lines[l]))
		}
		offset = at + column
	}
	e := mashang.Errorf(mashang.EINVALID, "The expression cannot be compiled: %s", msg)
	if offset >= 0 {
		e = mashang.Errorf(mashang.EINVALID, "The expression cannot be compiled at character %d: %s", offset+1, msg)
	}
	return &RuleError{Index: i, Field: "when", Msg: e.Message, Offset: offset, Detail: e}
}

func copyParams(m map[string]float64) map[string]float64 {
	c := make(map[string]float64, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// unknownParams lists the params keys that the expression names (params.x,
// params['x']) but the rule set does not define.
func unknownParams(checked *cel.Ast, defined map[string]float64) []string {
	root := ast.NavigateAST(checked.NativeRep())
	var missing []string
	seen := map[string]bool{}
	note := func(k string) {
		if _, ok := defined[k]; !ok && !seen[k] {
			seen[k] = true
			missing = append(missing, k)
		}
	}
	isParams := func(e ast.Expr) bool { return e.Kind() == ast.IdentKind && e.AsIdent() == "params" }
	for _, e := range ast.MatchDescendants(root, ast.KindMatcher(ast.SelectKind)) {
		s := e.AsSelect()
		if !s.IsTestOnly() && isParams(s.Operand()) {
			note(s.FieldName())
		}
	}
	for _, e := range ast.MatchDescendants(root, ast.FunctionMatcher(operators.Index)) {
		args := e.AsCall().Args()
		if len(args) == 2 && isParams(args[0]) && args[1].Kind() == ast.LiteralKind {
			if s, ok := args[1].AsLiteral().(types.String); ok {
				note(string(s))
			}
		}
	}
	return missing
}

// Evaluate returns the colour of a person with these facts and the cause of
// the rule that decided it (GreenCause when none matched). Rules are tried
// in priority order; the first match wins.
func (p *Program) Evaluate(f Facts) (colour, cause string, err error) {
	v, err := view(f)
	if err != nil {
		return "", "", mashang.Wrap(err, "health.Evaluate")
	}
	keys := f.KeyAreas
	if keys == nil {
		keys = []string{}
	}
	act := map[string]any{"person": v, "now": f.Now, "params": p.params, "key_areas": keys}
	for i, r := range p.rules {
		out, _, err := r.prg.Eval(act)
		if err != nil {
			return "", "", fmt.Errorf("rule %d (%s, %q): %w", i, r.Colour, r.Cause, err)
		}
		if out == types.True {
			return r.Colour, r.Cause, nil
		}
	}
	return Green, GreenCause, nil
}

// dayStart is the start of t's day in China time.
func dayStart(t time.Time) time.Time {
	y, m, d := t.In(Zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, Zone)
}

func view(f Facts) (person, error) {
	v := person{Risk: f.Risk, Symptomatic: f.Symptomatic, ValidTestWithin7Days: f.ValidTestWithin7Days,
		Region: f.Region, Visited: make([]visit, 0, len(f.Visits))}
	today := dayStart(f.Now)
	for _, x := range f.Visits {
		d := dayStart(x.Date)
		v.Visited = append(v.Visited, visit{Region: x.Region, Date: d, DaysAgo: int64(today.Sub(d).Round(time.Hour).Hours() / 24)})
	}
	if v.Risk == "" {
		v.Risk = RiskNone
	}
	if !validRisk[v.Risk] {
		return v, fmt.Errorf("health: unknown risk %q (want NONE, CLOSE_CONTACT, QUARANTINED, SUSPECTED or CONFIRMED)", f.Risk)
	}
	if f.QuarantineEnds != nil {
		v.HasQuarantineEnd, v.QuarantineEnds = true, *f.QuarantineEnds
	}
	if f.LastTemperature != nil {
		v.HasTemperature, v.Temperature = true, *f.LastTemperature
		if f.LastTemperatureAt != nil {
			v.TemperatureAt = *f.LastTemperatureAt
		}
	}
	return v, nil
}

// Package authz decides who may do what (DESIGN.md §5), in two layers:
//
//  1. Casbin decides actions from the few role → object → action lines of
//     policy.csv, asked (role, scopePath, targetPath, object, action) with the
//     acting account's role and scope — never one line per account.
//  2. Ent interceptors (filter.go) restrict every query of a request to the
//     rows within the acting account's scope, whatever resolver or edge it
//     comes through.
package authz

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	stringadapter "github.com/casbin/casbin/v2/persist/string-adapter"

	"github.com/mashang/mashang"
)

//go:embed model.conf
var modelText string

//go:embed policy.csv
var policyText string

// Objects.
const (
	ObjSite        = "site"
	ObjApplication = "application"
	ObjAccount     = "account"
	ObjGrant       = "grant"
	ObjScan        = "scan"
	ObjStatistics  = "statistics"
	ObjPerson      = "person"
	ObjRuleSet     = "ruleset"
	ObjControlList = "controllist"
	ObjAlert       = "alert"
	ObjAudit       = "audit"
	// ObjRegion is a region's population and registration target (issue 12).
	ObjRegion = "region"
	// Trusted documents (issue 12, point 6).
	ObjPersistedQuery = "persistedquery"
)

// AccountObject is the object of creating or replacing an account of a role.
func AccountObject(role string) string { return ObjAccount + ":" + role }

// Actions.
const (
	ActCreate   = "create"
	ActUpdate   = "update"
	ActReplace  = "replace"
	ActDisable  = "disable"
	ActActivate = "activate"
	ActSubmit   = "submit"
	ActDecide   = "decide"
	ActGive     = "give"
	ActRevoke   = "revoke"
	ActRecord   = "record"
	ActRead     = "read"
	ActUnmask   = "unmask"
	ActTrace    = "trace"
	ActSetRisk  = "setrisk"
	ActTest     = "test"
	ActPublish  = "publish"
	ActImport   = "import"
	ActPause    = "pause"
	// ActExport exports records in bulk (masked) as a file (issue 14: scans).
	ActExport = "export"
	// ActSetTarget sets a region's population and registration target.
	ActSetTarget = "settarget"
	ActRegister  = "register"
	// Alerts (alerts.Authorize adds what a policy line cannot say).
	ActSubscribe = "subscribe"
	ActAssign    = "assign"
	ActVisit     = "visit"
	ActClose     = "close"
)

// Enforcer wraps the Casbin enforcer over the embedded model and policy.
// Casbin's decision cache is keyed by (role, relation, object, action): a
// few thousand keys at most, the same for one account or a million.
type Enforcer struct {
	e *casbin.SyncedCachedEnforcer
}

// NewEnforcer loads the embedded model and policy.
func NewEnforcer() (*Enforcer, error) {
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return nil, fmt.Errorf("authz model: %w", err)
	}
	// string-adapter splits lines itself; drop comments and blank lines first.
	var lines []string
	for _, l := range strings.Split(policyText, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	e, err := casbin.NewSyncedCachedEnforcer(m, stringadapter.NewAdapter(strings.Join(lines, "\n")))
	if err != nil {
		return nil, fmt.Errorf("authz policy: %w", err)
	}
	e.AddFunction("reaches", func(args ...any) (any, error) {
		reach, _ := args[0].(string)
		relation, _ := args[1].(string)
		return reachesRelation(reach, relation), nil
	})
	// The policy is embedded and never changes at run time, so cached
	// decisions never go stale.
	e.EnableCache(true)
	return &Enforcer{e: e}, nil
}

// MustEnforcer is NewEnforcer for start-up code; the embedded files are
// tested, so a failure is a programming error.
func MustEnforcer() *Enforcer {
	e, err := NewEnforcer()
	if err != nil {
		panic(err)
	}
	return e
}

var (
	defaultOnce     sync.Once
	defaultEnforcer *Enforcer
)

// OrDefault returns e, or when e is nil an enforcer of the embedded policy,
// built once per process: the policy is compiled in, so every enforcer
// decides alike. For services whose callers may leave the enforcer unset.
func OrDefault(e *Enforcer) *Enforcer {
	if e != nil {
		return e
	}
	defaultOnce.Do(func() { defaultEnforcer = MustEnforcer() })
	return defaultEnforcer
}

// Relations of a target path to a scope path.
const (
	RelSelf    = "self"    // the target is the scope node
	RelBelow   = "below"   // strictly inside the scope's subtree
	RelOutside = "outside" // anywhere else
)

// Relation tells where target lies relative to scope.
func Relation(scope, target string) string {
	switch {
	case scope == "" || !strings.HasPrefix(target, scope):
		return RelOutside
	case target == scope:
		return RelSelf
	}
	return RelBelow
}

// Reaches implements the reach column of the policy on two paths.
func Reaches(reach, scope, target string) bool {
	return reachesRelation(reach, Relation(scope, target))
}

func reachesRelation(reach, relation string) bool {
	switch reach {
	case "any":
		return true
	case "subtree":
		return relation == RelSelf || relation == RelBelow
	case "below":
		return relation == RelBelow
	case "own":
		return relation == RelSelf
	}
	return false
}

// Allowed asks Casbin whether role may act on obj at targetPath from scopePath.
func (e *Enforcer) Allowed(role, scopePath, targetPath, obj, act string) bool {
	ok, err := e.e.Enforce(role, Relation(scopePath, targetPath), obj, act)
	return err == nil && ok
}

// Can reports whether the viewer may act on obj at targetPath, through the
// acting account's role or through one of its unexpired grants.
// SECURITY: every mutation asks this before writing anything.
func (e *Enforcer) Can(v *mashang.Viewer, obj, act, targetPath string, now time.Time) bool {
	if v == nil {
		return false
	}
	if e.Allowed(v.Role, v.ScopePath, targetPath, obj, act) {
		return true
	}
	for _, g := range v.Grants {
		// SECURITY: a region-bound grant (PII_VIEWER, TRACER) decides only
		// through Covering, with its own region; asked here with the
		// holder's scope it would reach past the region the province chose.
		if RegionBound(g.Kind) {
			continue
		}
		if now.Before(g.ExpiresAt) && e.Allowed(g.Kind, v.ScopePath, targetPath, obj, act) {
			return true
		}
	}
	return false
}

// Check is Can returning an error a person can act on: UNAUTHENTICATED for
// an anonymous request, FORBIDDEN naming the rule otherwise.
func (e *Enforcer) Check(v *mashang.Viewer, obj, act, targetPath string, now time.Time) error {
	if v == nil {
		return mashang.Errorf(mashang.EUNAUTHENTICATED, "Log in first.")
	}
	if e.Can(v, obj, act, targetPath, now) {
		return nil
	}
	return mashang.Errorf(mashang.EFORBIDDEN, "A %s account may not %s %s here (policy: no line for %s, %s, %s within your scope).",
		v.Role, act, strings.ReplaceAll(obj, ":", " "), v.Role, obj, act)
}

// Permission is one policy line of a role; Condition is what its service
// adds (CondDerived, …; "" for nothing), set by ViewerPermissions.
type Permission struct{ Object, Action, Reach, Condition string }

// Permissions lists the policy lines of the roles (account role and grant
// kinds), for the UI to hide what the server would refuse.
func (e *Enforcer) Permissions(roles ...string) []Permission {
	var out []Permission
	for _, role := range roles {
		lines, _ := e.e.GetFilteredPolicy(0, role)
		for _, l := range lines {
			if len(l) >= 4 {
				out = append(out, Permission{Object: l[1], Action: l[2], Reach: l[3]})
			}
		}
	}
	return out
}

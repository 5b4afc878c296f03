package alerts

import (
	"errors"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/tree"
)

// Target is what an alert action is asked about: one alert (its place, its
// sector, the grid worker it is assigned to) or, to subscribe and to pause,
// a subtree (ScopePath only).
type Target struct {
	ScopePath string
	// ResidencePath is the residence of the person the alert is about ("" for
	// none): officials and grid workers whose scope holds it reach the alert
	// as if it were raised there (issue 11, point 12).
	ResidencePath string
	Sector        string // "" for none
	AssigneeID    int    // 0 for none
}

// TargetOf returns the target of alert a.
func TargetOf(a *ent.Alert) Target {
	t := Target{ScopePath: a.ScopePath, ResidencePath: a.ResidencePath}
	if a.Sector != nil {
		t.Sector = string(*a.Sector)
	}
	if a.AssigneeID != nil {
		t.AssigneeID = *a.AssigneeID
	}
	return t
}

// target returns the target of the alert m announces.
func (m Message) target() Target {
	return Target{ScopePath: m.ScopePath, ResidencePath: m.ResidencePath, Sector: m.Sector, AssigneeID: m.AssigneeID}
}

// errNoEnforcer refuses everything when the service was built without its
// enforcer: a deployment mistake must not open the alerts to everyone.
var errNoEnforcer = errors.New("alerts: no authz.Enforcer configured")

// Authorize is the one place that decides who may do what with alerts
// (DESIGN §5 "view / handle alerts"; seed 001 §15, seed 003 §五(五)):
//
//   - authz.ActSubscribe: follow the pushes of the subtree t.ScopePath;
//   - authz.ActRead: see alert t (its push, its steps);
//   - authz.ActAssign, authz.ActClose: assign alert t to a grid worker, close it;
//   - authz.ActVisit: record the visit at the door for alert t;
//   - authz.ActPause: pause the pushes of the region t.ScopePath.
//
// The role and the reach come from the alert lines of authz/policy.csv: the
// INITIATOR everywhere, a SENIOR or OFFICIAL within its scope, a
// GRID_WORKER within its community. What a line cannot say is added here:
// an OFFICIAL of a sector reads, assigns and closes only the alerts of its
// sector or of none (a colour change belongs to no sector), and a
// GRID_WORKER reads and visits only the alerts assigned to it. An
// anonymous caller, a disabled session and an empty scope are refused.
func (s *Service) Authorize(v *mashang.Viewer, act string, t Target) error {
	// SECURITY: keeps out anonymous callers and restricted sessions of a
	// disabled account (seed 001 §10).
	switch {
	case v == nil:
		return mashang.Errorf(mashang.EUNAUTHENTICATED, "Log in to see or handle alerts.")
	case v.Disabled:
		return mashang.Errorf(mashang.EACCOUNTDISABLED, "This account is disabled; ask your superior to reactivate it before seeing or handling alerts.")
	case s.Enforcer == nil:
		return errNoEnforcer
	}
	// SECURITY: the policy lines of authz/policy.csv keep out the roles
	// without alerts (INTERMEDIATE and ORDINARY scanners) and everyone
	// acting outside their scope (a SENIOR of another city, an OFFICIAL of
	// another district, a GRID_WORKER of another community).
	if !s.Enforcer.Can(v, authz.ObjAlert, act, t.ScopePath, s.now()) && !s.reachesResidence(v, act, t) {
		return s.refusal(v, act, t)
	}
	// SECURITY: an OFFICIAL of a sector keeps to the alerts of its sector
	// and those of none; it never sees another sector's.
	if v.Role == mashang.RoleOfficial && v.Sector != "" && t.Sector != "" && t.Sector != v.Sector {
		switch act {
		case authz.ActRead, authz.ActAssign, authz.ActClose:
			return s.refusal(v, act, t)
		}
	}
	// SECURITY: a GRID_WORKER sees and visits only what is assigned to it,
	// never another grid worker's alerts nor the unassigned ones.
	if v.Role == mashang.RoleGridWorker && (t.AssigneeID == 0 || t.AssigneeID != v.AccountID) {
		switch act {
		case authz.ActRead, authz.ActVisit:
			return s.refusal(v, act, t)
		}
	}
	return nil
}

// reachesResidence reports whether an OFFICIAL or a GRID_WORKER reaches
// alert t through the residence of the person it is about: a fever at the
// hospital is also the business of the community where the person lives
// (seed 003 §五(五): 基层网格员要及时上门核实; issue 11, point 12). Scanners
// (SENIOR included) keep to their sites' alerts.
func (s *Service) reachesResidence(v *mashang.Viewer, act string, t Target) bool {
	if t.ResidencePath == "" || (v.Role != mashang.RoleOfficial && v.Role != mashang.RoleGridWorker) {
		return false
	}
	// SECURITY: the same policy line, asked at the residence: keeps out the
	// officials and grid workers of every other place.
	return s.Enforcer.Can(v, authz.ObjAlert, act, t.ResidencePath, s.now())
}

// refusal is the FORBIDDEN error of act on t, worded for the person refused.
func (s *Service) refusal(v *mashang.Viewer, act string, t Target) error {
	switch act {
	case authz.ActSubscribe:
		// Whether the role follows alerts anywhere at all decides the advice.
		if !s.Enforcer.Allowed(v.Role, tree.Root, tree.Root, authz.ObjAlert, act) {
			return mashang.Errorf(mashang.EFORBIDDEN, "Alerts go to initiators, seniors, officials and grid workers; a %s account has none.", v.Role)
		}
		return mashang.FieldErrorf(mashang.EFORBIDDEN, "scope", "You may follow alerts only within your own scope.")
	case authz.ActRead:
		return mashang.Errorf(mashang.EFORBIDDEN, "This alert is not among yours: you see the alerts of your scope (of your sector, for an official of a sector), and a grid worker those assigned to them.")
	case authz.ActAssign:
		return mashang.Errorf(mashang.EFORBIDDEN, "Only the province's initiator, or a senior scanner or official whose scope covers this alert's place (and, for an official of a sector, whose sector is the alert's), may assign it.")
	case authz.ActClose:
		return mashang.Errorf(mashang.EFORBIDDEN, "Only the province's initiator, or a senior scanner or official whose scope covers this alert's place (and, for an official of a sector, whose sector is the alert's), may close it.")
	case authz.ActVisit:
		return mashang.Errorf(mashang.EFORBIDDEN, "Only the grid worker this alert is assigned to may record the visit at the door (上门核实).")
	}
	// SECURITY: the policy decides the rest: the role and the reach of its
	// line against the alert's scope (TestAuthorize).
	return s.Enforcer.Check(v, authz.ObjAlert, act, t.ScopePath, s.now())
}

// Visible reports whether message m may be delivered to viewer v, whose
// subscription covers scopePath.
//
// SECURITY: this is the scope filter of pushed alerts, the same rule as the
// alerts list (authz alertScope) through Authorize(ActRead): it keeps out
// whoever could not list the alert, and every alert outside the
// subscription. It is asked for every message, on every replica, before
// delivery.
func (s *Service) Visible(v *mashang.Viewer, scopePath string, m Message) bool {
	if scopePath == "" || m.ScopePath == "" {
		return false
	}
	if !tree.Contains(scopePath, m.ScopePath) && (m.ResidencePath == "" || !tree.Contains(scopePath, m.ResidencePath)) {
		return false
	}
	// SECURITY: the same rule as reading the alert (TestSubscribe).
	return s.Authorize(v, authz.ActRead, m.target()) == nil
}

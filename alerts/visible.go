package alerts

import (
	"github.com/mashang/mashang"
	"github.com/mashang/mashang/tree"
)

// Visible reports whether message m may be delivered to viewer v, whose
// subscription covers scopePath (already checked by the caller to be
// within the viewer's reach).
//
// SECURITY: this is the scope filter of pushed alerts, the same rule as the
// alerts list (DESIGN §5 "view / handle alerts", authz alertScope): the
// INITIATOR everything under scopePath; a SENIOR, or an OFFICIAL (∩ its
// sector: the alerts of its sector and those of none), the alerts under
// both scopePath and its own scope; a GRID_WORKER only the alerts assigned
// to it (under scopePath); every other role, a disabled session and an
// empty scope nothing. It must be called for every message, on every
// replica, before delivery.
func Visible(v *mashang.Viewer, scopePath string, m Message) bool {
	if v == nil || v.Disabled || scopePath == "" || m.ScopePath == "" {
		return false
	}
	if !tree.Contains(scopePath, m.ScopePath) {
		return false
	}
	switch v.Role {
	case mashang.RoleInitiator:
		return true
	case mashang.RoleSenior:
		return v.ScopePath != "" && tree.Contains(v.ScopePath, m.ScopePath)
	case mashang.RoleOfficial:
		if v.ScopePath == "" || !tree.Contains(v.ScopePath, m.ScopePath) {
			return false
		}
		return v.Sector == "" || m.Sector == "" || m.Sector == v.Sector
	case mashang.RoleGridWorker:
		return m.AssigneeID != 0 && m.AssigneeID == v.AccountID
	default:
		return false
	}
}

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
	if v.Role == mashang.RoleGridWorker {
		return m.AssigneeID != 0 && m.AssigneeID == v.AccountID
	}
	return manages(v, m.ScopePath, m.Sector)
}

// manages reports whether v may see, assign and close the alerts of
// scopePath and sector ("" for none).
// SECURITY: DESIGN §5 "view / handle alerts", shared by the pushes
// (Visible) and Handle (mayManage): the INITIATOR everywhere; a SENIOR or
// OFFICIAL only inside its own scope, an OFFICIAL of a sector only the
// alerts of that sector or of none (a colour change belongs to no sector);
// every other role nothing. An empty scope never covers anything.
func manages(v *mashang.Viewer, scopePath, sector string) bool {
	switch v.Role {
	case mashang.RoleInitiator:
		return true
	case mashang.RoleSenior:
		return v.ScopePath != "" && tree.Contains(v.ScopePath, scopePath)
	case mashang.RoleOfficial:
		if v.ScopePath == "" || !tree.Contains(v.ScopePath, scopePath) {
			return false
		}
		return v.Sector == "" || sector == "" || sector == v.Sector
	default:
		return false
	}
}

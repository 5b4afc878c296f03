package alerts

import (
	"context"
	"fmt"
	"strings"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/alert"
	"github.com/mashang/mashang/ent/alertstep"
	"github.com/mashang/mashang/tree"
)

// Actions of Handle, one per step of the workflow OPEN → ASSIGNED → VISITED
// → CLOSED.
const (
	ActionAssign = "ASSIGN"
	ActionVisit  = "VISIT"
	ActionClose  = "CLOSE"
)

// nextStep says, for an alert's status, what comes next (for CONFLICT
// messages a person can act on).
var nextStep = map[alert.Status]string{
	alert.StatusOPEN:     "the next step is ASSIGN, to the grid worker of its community",
	alert.StatusASSIGNED: "the next step is VISIT, recorded by the assigned grid worker after checking at the door (or ASSIGN again to another grid worker)",
	alert.StatusVISITED:  "the next step is CLOSE",
	alert.StatusCLOSED:   "it is closed; there is no further step",
}

// Handle performs one step of an alert's handling and records it as an
// AlertStep, in one transaction (the one in ctx when there is one).
//
// seed 003 §五(五): 对于红码、黄码等人员, 基层网格员要及时上门核实, 如情况属实,
// 按有关规定落实隔离观察等措施 — the alert goes to the grid worker (网格员) of
// the community it belongs to (ASSIGN), who checks at the door and records
// what was found (VISIT); whoever assigned it then closes it (CLOSE). DESIGN
// §5 "view / handle alerts": the INITIATOR all, a SENIOR its own scope, an
// OFFICIAL its region subtree (∩ sector), a GRID_WORKER what is assigned
// to them.
//
// The alert and the assignee are looked up without the request's scope
// filter (the permission checks here decide); an ASSIGN is pushed, with the
// assignee, after the commit so the grid worker's subscription hears of it.
func (s *Service) Handle(ctx context.Context, v *mashang.Viewer, alertID int, action string, assigneeID *int, note string) (*ent.Alert, error) {
	if v == nil {
		return nil, mashang.Errorf(mashang.EUNAUTHENTICATED, "Sign in to handle alerts.")
	}
	if v.Disabled {
		return nil, mashang.Errorf(mashang.EACCOUNTDISABLED, "This account is disabled; ask your superior to reactivate it before handling alerts.")
	}
	switch action {
	case ActionAssign, ActionVisit, ActionClose:
	default:
		return nil, mashang.FieldErrorf(mashang.EINVALID, "action", "Action %q is not one of ASSIGN, VISIT, CLOSE.", action)
	}
	note = strings.TrimSpace(note)
	if len(note) > maxNote {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "note", "The note is %d bytes long; shorten it to at most %d bytes (about %d Chinese characters).", len(note), maxNote, maxNote/3)
	}

	var out *ent.Alert
	err := s.inTx(ctx, func(c *ent.Client) ([]Message, error) {
		a, err := c.Alert.Get(system(ctx), alertID)
		if ent.IsNotFound(err) {
			return nil, mashang.Errorf(mashang.ENOTFOUND, "Alert %d not found.", alertID)
		}
		if err != nil {
			return nil, fmt.Errorf("alerts: read alert %d: %w", alertID, err)
		}
		now := s.now()
		from := a.Status
		upd := c.Alert.UpdateOneID(a.ID).Where(alert.StatusEQ(from)).SetUpdatedAt(now)
		step := c.AlertStep.Create().SetAlertID(a.ID).SetFromStatus(alertstep.FromStatus(from)).
			SetByAccountID(v.AccountID).SetNote(note).SetAt(now)
		var to alert.Status
		var assignee *ent.Account

		switch action {
		case ActionAssign:
			if !mayManage(v, a) {
				return nil, mashang.Errorf(mashang.EFORBIDDEN, "Only the province's initiator, or a senior scanner or official whose scope covers this alert's place (and, for an official of a sector, whose sector is the alert's), may assign it.")
			}
			if from != alert.StatusOPEN && from != alert.StatusASSIGNED {
				return nil, conflict(a, "assigned")
			}
			assignee, err = s.gridWorker(ctx, c, a, assigneeID)
			if err != nil {
				return nil, err
			}
			to = alert.StatusASSIGNED
			upd.SetAssigneeID(assignee.ID).SetAssigneePath(assignee.AccountPath)
			step.SetAssigneeID(assignee.ID)
		case ActionVisit:
			// SECURITY: only the grid worker it is assigned to; nobody
			// records a visit in another's name.
			if v.Role != mashang.RoleGridWorker || a.AssigneeID == nil || *a.AssigneeID != v.AccountID {
				return nil, mashang.Errorf(mashang.EFORBIDDEN, "Only the grid worker this alert is assigned to may record the visit at the door (上门核实).")
			}
			if from != alert.StatusASSIGNED {
				return nil, conflict(a, "visited")
			}
			if note == "" {
				return nil, mashang.FieldErrorf(mashang.EINVALID, "note", "Describe what the visit at the door (上门核实) found.")
			}
			to = alert.StatusVISITED
			// The assignee may change under us (re-assignment): the update
			// holds only while it is still this grid worker's.
			upd.Where(alert.AssigneeID(v.AccountID))
			step.SetAssigneeID(v.AccountID)
		case ActionClose:
			if !mayManage(v, a) {
				return nil, mashang.Errorf(mashang.EFORBIDDEN, "Only the province's initiator, or a senior scanner or official whose scope covers this alert's place (and, for an official of a sector, whose sector is the alert's), may close it.")
			}
			if from != alert.StatusVISITED {
				return nil, conflict(a, "closed")
			}
			to = alert.StatusCLOSED
		}
		// A visit's or a closing's note is added to the alert's notes; an
		// assignment's stays on its step.
		if to != alert.StatusASSIGNED && note != "" {
			notes := appendNote(a.Note, note)
			if len(notes) > maxNote {
				return nil, mashang.FieldErrorf(mashang.EINVALID, "note", "The alert's notes would exceed %d bytes; shorten this note to at most %d bytes.", maxNote, max(0, maxNote-len(a.Note)-1))
			}
			upd.SetNote(notes)
		}
		upd.SetStatus(to)
		step.SetToStatus(alertstep.ToStatus(to))

		updated, err := upd.Save(ctx)
		if ent.IsNotFound(err) {
			return nil, mashang.Errorf(mashang.ECONFLICT, "Alert %d was changed by someone else meanwhile; reload it and try again.", a.ID)
		}
		if err != nil {
			return nil, fmt.Errorf("alerts: update alert %d: %w", a.ID, err)
		}
		if _, err := step.Save(ctx); err != nil {
			return nil, fmt.Errorf("alerts: record step of alert %d: %w", a.ID, err)
		}
		out = updated
		if to == alert.StatusASSIGNED {
			m := MessageOf(updated)
			m.AssigneeID = assignee.ID
			return []Message{m}, nil
		}
		return nil, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// mayManage reports whether v may assign and close alert a (manages).
func mayManage(v *mashang.Viewer, a *ent.Alert) bool {
	sector := ""
	if a.Sector != nil {
		sector = string(*a.Sector)
	}
	return manages(v, a.ScopePath, sector)
}

// gridWorker loads and checks the account an alert is assigned to: an
// ACTIVE GRID_WORKER whose community contains the alert's place.
func (s *Service) gridWorker(ctx context.Context, c *ent.Client, a *ent.Alert, id *int) (*ent.Account, error) {
	if id == nil || *id <= 0 {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "assigneeId", "Choose the grid worker (网格员) of the community this alert belongs to.")
	}
	acc, err := c.Account.Query().Where(account.ID(*id)).Only(system(ctx))
	if ent.IsNotFound(err) {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "assigneeId", "Account %d does not exist; choose the grid worker (网格员) of the community this alert belongs to.", *id)
	}
	if err != nil {
		return nil, fmt.Errorf("alerts: read assignee %d: %w", *id, err)
	}
	switch {
	case acc.Role != account.RoleGRID_WORKER:
		return nil, mashang.FieldErrorf(mashang.EINVALID, "assigneeId", "Account %d is a %s account, not a grid worker (网格员); alerts are assigned to the grid worker of the alert's community.", acc.ID, acc.Role)
	case acc.Status != account.StatusACTIVE:
		return nil, mashang.FieldErrorf(mashang.EINVALID, "assigneeId", "Grid worker account %d is disabled; reactivate it or choose another grid worker of the community.", acc.ID)
	case acc.ScopePath == "" || !tree.Contains(acc.ScopePath, a.ScopePath):
		return nil, mashang.FieldErrorf(mashang.EINVALID, "assigneeId", "Grid worker account %d works in another community; choose a grid worker whose community contains this alert's place.", acc.ID)
	}
	return acc, nil
}

func conflict(a *ent.Alert, wanted string) error {
	return mashang.Errorf(mashang.ECONFLICT, "Alert %d cannot be %s: it is %s; %s.", a.ID, wanted, a.Status, nextStep[a.Status])
}

// appendNote adds a step's note to the alert's notes, one per line.
func appendNote(notes, note string) string {
	switch {
	case note == "":
		return notes
	case notes == "":
		return note
	default:
		return notes + "\n" + note
	}
}

package alerts

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/alert"
	"github.com/mashang/mashang/ent/alertstep"
	"github.com/mashang/mashang/stats"
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

// step is one step of an alert's handling under way: the alert as read,
// who takes the step, and the update and the AlertStep row it builds.
type step struct {
	a        *ent.Alert
	v        *mashang.Viewer
	note     string
	to       alert.Status
	upd      *ent.AlertUpdateOne
	row      *ent.AlertStepCreate
	assignee int // the grid worker an ASSIGN gives the alert to
}

// actions are the steps of Handle, by action.
// actionNames maps an action to its policy action.
var actionNames = map[string]string{ActionAssign: authz.ActAssign, ActionVisit: authz.ActVisit, ActionClose: authz.ActClose}

var actions = map[string]func(s *Service, ctx context.Context, c *ent.Client, st *step, assigneeID *int) error{
	ActionAssign: (*Service).assignStep,
	ActionVisit:  (*Service).visitStep,
	ActionClose:  (*Service).closeStep,
}

// Handle performs one step of an alert's handling for v and records it as
// an AlertStep, in one transaction (the one in ctx when there is one).
//
// seed 003 §五(五): 对于红码、黄码等人员, 基层网格员要及时上门核实, 如情况属实,
// 按有关规定落实隔离观察等措施 — the alert goes to the grid worker (网格员) of
// the community it belongs to (ASSIGN), who checks at the door and records
// what was found (VISIT); whoever assigned it then closes it (CLOSE). Who
// may take which step is Authorize's (DESIGN §5 "view / handle alerts").
//
// The alert is loaded by the system (Authorize then decides whether v may
// act on it; it is returned only when v has acted); an ASSIGN is pushed,
// with the assignee, after the commit so the grid worker's subscription
// hears of it.
func (s *Service) Handle(ctx context.Context, v *mashang.Viewer, alertID int, action string, assigneeID *int, note string) (*ent.Alert, error) {
	// SECURITY: keeps out anonymous callers and disabled sessions before
	// anything is read.
	if v == nil {
		return nil, mashang.Errorf(mashang.EUNAUTHENTICATED, "Sign in to handle alerts.")
	}
	if v.Disabled {
		return nil, mashang.Errorf(mashang.EACCOUNTDISABLED, "This account is disabled; ask your superior to reactivate it before handling alerts.")
	}
	act, ok := actions[action]
	if !ok {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "action", "Action %q is not one of ASSIGN, VISIT, CLOSE.", action)
	}
	note = strings.TrimSpace(note)
	// Issue 10 #14: limits count characters, as the column does.
	if n := utf8.RuneCountInString(note); n > maxNote {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "note", "The note has %d characters; shorten it to at most %d.", n, maxNote)
	}
	var out *ent.Alert
	err := database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		st, err := s.begin(ctx, c, v, alertID, actionNames[action], note)
		if err != nil {
			return err
		}
		if err := act(s, ctx, c, st, assigneeID); err != nil {
			return err
		}
		out, err = s.finish(ctx, c, st)
		return err
	})
	if err != nil {
		return nil, mashang.Wrap(err, "alerts.Handle")
	}
	return out, nil
}

// begin loads the alert, as the system (see Handle), and starts its step.
//
// SECURITY: an alert the viewer may not see answers exactly as one that
// does not exist (NOT_FOUND, same message), so alert ids of other
// districts, sectors or grid workers cannot be probed (issue 10 §9,
// TestAnOfficialOfAnotherDistrictCannotTellItsAlertsFromMissingOnes). Only
// a role that takes the step on no alert at all is refused FORBIDDEN, and
// before anything is read; one who sees the alert but may not take this
// step is refused FORBIDDEN by the step.
func (s *Service) begin(ctx context.Context, c *ent.Client, v *mashang.Viewer, alertID int, act, note string) (*step, error) {
	// SECURITY: keeps out the roles without the step anywhere (INTERMEDIATE
	// and ORDINARY scanners; a grid worker assigning, a senior visiting)
	// before the id is looked up, so the answer does not depend on it.
	if s.Enforcer != nil && !s.Enforcer.Allowed(v.Role, tree.Root, tree.Root, authz.ObjAlert, act) {
		return nil, s.refusal(v, act, Target{})
	}
	a, err := c.Alert.Get(system(ctx), alertID)
	if err != nil && !ent.IsNotFound(err) {
		return nil, fmt.Errorf("alerts: read alert %d: %w", alertID, err)
	}
	// SECURITY: keeps out everyone who may not see the alert (another
	// district, sector or grid worker) with the answer of a missing id.
	if ent.IsNotFound(err) || s.Authorize(v, authz.ActRead, TargetOf(a)) != nil {
		return nil, alertNotFound(alertID)
	}
	now := s.now()
	return &step{a: a, v: v, note: note,
		upd: c.Alert.UpdateOneID(a.ID).Where(alert.StatusEQ(a.Status)).SetUpdatedAt(now),
		row: c.AlertStep.Create().SetAlertID(a.ID).SetFromStatus(alertstep.FromStatus(a.Status)).
			SetByAccountID(v.AccountID).SetNote(note).SetAt(now),
	}, nil
}

// assignStep gives an OPEN or ASSIGNED alert to the grid worker of its
// community.
func (s *Service) assignStep(ctx context.Context, c *ent.Client, st *step, assigneeID *int) error {
	// SECURITY: the INITIATOR, a SENIOR or OFFICIAL of the alert's place (an
	// OFFICIAL of a sector: its sector's or none); keeps out scanners, grid
	// workers and everyone of another place or sector.
	if err := s.Authorize(st.v, authz.ActAssign, TargetOf(st.a)); err != nil {
		return mashang.Wrap(err, "alerts.assignStep")
	}
	if st.a.Status != alert.StatusOPEN && st.a.Status != alert.StatusASSIGNED {
		return conflict(st.a, "assigned")
	}
	assignee, err := s.gridWorker(ctx, c, st.a, assigneeID)
	if err != nil {
		return mashang.Wrap(err, "alerts.assignStep")
	}
	st.to, st.assignee = alert.StatusASSIGNED, assignee.ID
	st.upd.SetAssigneeID(assignee.ID).SetAssigneePath(assignee.AccountPath)
	st.row.SetAssigneeID(assignee.ID)
	return nil
}

// visitStep records, for the grid worker it is assigned to, what the visit at
// the door found.
func (s *Service) visitStep(ctx context.Context, c *ent.Client, st *step, _ *int) error {
	// SECURITY: only the grid worker it is assigned to; nobody records a
	// visit in another's name (another grid worker, the senior, the
	// initiator).
	if err := s.Authorize(st.v, authz.ActVisit, TargetOf(st.a)); err != nil {
		return mashang.Wrap(err, "alerts.visitStep")
	}
	if st.a.Status != alert.StatusASSIGNED {
		return conflict(st.a, "visited")
	}
	if st.note == "" {
		return mashang.FieldErrorf(mashang.EINVALID, "note", "Describe what the visit at the door (上门核实) found.")
	}
	st.to = alert.StatusVISITED
	// The assignee may change under us (re-assignment): the update holds
	// only while it is still this grid worker's.
	st.upd.Where(alert.AssigneeID(st.v.AccountID))
	st.row.SetAssigneeID(st.v.AccountID)
	return nil
}

// closeStep closes a VISITED alert.
func (s *Service) closeStep(ctx context.Context, c *ent.Client, st *step, _ *int) error {
	// SECURITY: whoever may assign it; keeps out the grid worker who
	// visited, scanners, and everyone of another place or sector.
	if err := s.Authorize(st.v, authz.ActClose, TargetOf(st.a)); err != nil {
		return mashang.Wrap(err, "alerts.closeStep")
	}
	if st.a.Status != alert.StatusVISITED {
		return conflict(st.a, "closed")
	}
	st.to = alert.StatusCLOSED
	return nil
}

// finish writes the step: the alert's new status (and notes), then the
// AlertStep row; an assignment is pushed once the transaction commits.
func (s *Service) finish(ctx context.Context, c *ent.Client, st *step) (*ent.Alert, error) {
	a := st.a
	// A visit's or a closing's note is added to the alert's notes; an
	// assignment's stays on its step.
	if st.to != alert.StatusASSIGNED && st.note != "" {
		notes := appendNote(a.Note, st.note)
		if utf8.RuneCountInString(notes) > maxNote {
			return nil, mashang.FieldErrorf(mashang.EINVALID, "note", "The alert's notes would exceed %d characters; shorten this note to at most %d.", maxNote, max(0, maxNote-utf8.RuneCountInString(a.Note)-1))
		}
		st.upd.SetNote(notes)
	}
	updated, err := st.upd.SetStatus(st.to).Save(ctx)
	if ent.IsNotFound(err) {
		return nil, mashang.Errorf(mashang.ECONFLICT, "Alert %d was changed by someone else meanwhile; reload it and try again.", a.ID)
	}
	if err != nil {
		return nil, fmt.Errorf("alerts: update alert %d: %w", a.ID, err)
	}
	row, err := st.row.SetToStatus(alertstep.ToStatus(st.to)).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("alerts: record step of alert %d: %w", a.ID, err)
	}
	// Issue 12: the step is counted in its transaction (assigned, visited
	// with the time to visit, closed).
	var d stats.Delta
	stats.AddAlertStep(&d, a, row.FromStatus.String(), row.ToStatus.String(), row.At)
	if err := s.Rollups.Apply(ctx, c, &d); err != nil {
		return nil, mashang.Wrap(err, "alerts.finish")
	}
	if st.to == alert.StatusASSIGNED {
		m := MessageOf(updated)
		m.AssigneeID = st.assignee
		s.PublishAfterCommit(ctx, []Message{m})
	}
	return updated, nil
}

// Steps lists the steps of alert a, oldest first, for v.
func (s *Service) Steps(ctx context.Context, v *mashang.Viewer, a *ent.Alert) ([]*ent.AlertStep, error) {
	// SECURITY: only who may see the alert sees how it was handled; the
	// rows are read through the request's scope filter as well.
	if err := s.Authorize(v, authz.ActRead, TargetOf(a)); err != nil {
		return nil, mashang.Wrap(err, "alerts.Steps")
	}
	return database.ClientFrom(ctx, s.Client).AlertStep.Query().Where(alertstep.AlertID(a.ID)).
		Order(ent.Asc(alertstep.FieldAt), ent.Asc(alertstep.FieldID)).All(ctx)
}

// gridWorker loads, as the system (a senior's scope filter does not show
// other account trees), and checks the account an alert is assigned to: an
// ACTIVE GRID_WORKER whose community contains the alert's place or the
// residence of the person it is about.
func (s *Service) gridWorker(ctx context.Context, c *ent.Client, a *ent.Alert, id *int) (*ent.Account, error) {
	if id == nil || *id <= 0 {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "assigneeId", "Choose the grid worker (网格员) of the community this alert belongs to.")
	}
	acc, err := c.Account.Query().Where(account.ID(*id)).Only(system(ctx))
	if err != nil && !ent.IsNotFound(err) {
		return nil, fmt.Errorf("alerts: read assignee %d: %w", *id, err)
	}
	// SECURITY: one answer for a missing account and for one of another
	// role, state or community: the message says nothing about another
	// account (issue 10 §9, TestASeniorCannotLearnAnotherAccountsRoleByAssigningToIt).
	if ent.IsNotFound(err) || acc.Role != account.RoleGRID_WORKER || acc.Status != account.StatusACTIVE ||
		acc.ScopePath == "" || !servesAlert(acc.ScopePath, a) {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "assigneeId", "Account %d is not an active grid worker (网格员) of this alert's community; choose one of them.", *id)
	}
	return acc, nil
}

// servesAlert reports whether a grid worker of community scope may be given
// alert a: the alert was raised in the community, or the person it is about
// lives there (issue 11, point 12: a fever at the hospital goes to the grid
// worker where the person lives).
func servesAlert(scope string, a *ent.Alert) bool {
	return tree.Contains(scope, a.ScopePath) || (a.ResidencePath != "" && tree.Contains(scope, a.ResidencePath))
}

// alertNotFound is the one answer for an alert that does not exist and for
// one the viewer may not see.
func alertNotFound(id int) error {
	return mashang.Errorf(mashang.ENOTFOUND, "Alert %d not found.", id)
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

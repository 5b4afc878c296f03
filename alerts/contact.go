package alerts

import (
	"context"
	"errors"
	"strconv"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/audit"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/alert"
	"github.com/mashang/mashang/pii"
)

// Contact is what the visit at the door needs of the person an alert is
// about: the phone and the residence address in full, beside their masks.
// A nil field was not registered.
type Contact struct {
	Phone, PhoneMasked, Address, AddressMasked *string
}

// errNotVisitor: the caller is not the grid worker of an open visit.
var errNotVisitor = errors.New("alerts: not the grid worker of an open visit")

// errNoBox: the service was built without the box that opens sealed data.
var errNoBox = errors.New("alerts: no pii.Box configured")

// Contact returns, for the grid worker alert a is assigned to and while a is
// ASSIGNED, the phone and the residence address of the person a is about,
// and audits the read (alertContact).
//
// seed 001 §11: 个人的身份证号、手机号等隐私数据已做脱敏处理, 须经…授权后, 方可
// 查阅相关人员的信息, 或通过电话或短信等方式进行联络 — an open assignment to
// visit the person (seed 003 §五(五): 基层网格员要及时上门核实) is that
// authorisation, for that grid worker, for as long as the visit is open
// (issue 11, point 13). Everyone else, and the same grid worker once the
// visit is recorded (VISITED) or the alert CLOSED, is refused — the answer
// is null, as for a person outside one's scope — and the refusal is
// audited as well.
func (s *Service) Contact(ctx context.Context, v *mashang.Viewer, a *ent.Alert) (*Contact, error) {
	p, err := s.visitPerson(ctx, v, a, "alertContact", []string{"phone", "address"})
	if errors.Is(err, errNotVisitor) {
		// Refused (and audited): null, like a person outside the caller's
		// scope, so that selecting an alert's fields never fails.
		return nil, nil
	}
	if err != nil || p == nil {
		return nil, mashang.Wrap(err, "alerts.Contact")
	}
	if s.Box == nil {
		return nil, errNoBox
	}
	out := &Contact{PhoneMasked: p.PhoneMasked, AddressMasked: p.AddressMasked}
	if out.Phone, err = s.open(pii.FieldPhone, p.PhoneSealed); err != nil {
		return nil, mashang.Wrap(err, "alerts.Contact")
	}
	if out.Address, err = s.open(pii.FieldAddress, p.AddressSealed); err != nil {
		return nil, mashang.Wrap(err, "alerts.Contact")
	}
	return out, nil
}

// VisitPerson returns the person alert a is about when v is the grid worker
// a is assigned to and a is ASSIGNED, read as the system (the person may
// live outside v's community when the alert was raised there) and audited
// (alertPerson); ok is false for every other caller, who reads Alert.person
// through the scope filter instead (issue 11, point 13).
func (s *Service) VisitPerson(ctx context.Context, v *mashang.Viewer, a *ent.Alert) (p *ent.Person, ok bool, err error) {
	if a.PersonID == nil || s.visitor(v, a) != nil {
		return nil, false, nil
	}
	p, err = s.visitPerson(ctx, v, a, "alertPerson", []string{"person"})
	return p, err == nil, mashang.Wrap(err, "alerts.VisitPerson")
}

// visitor is nil when v may read the contact details of a's person: the
// grid worker a is assigned to, while a is ASSIGNED; errNotVisitor
// otherwise.
func (s *Service) visitor(v *mashang.Viewer, a *ent.Alert) error {
	// SECURITY: the line of the visit itself (Authorize(ActVisit)): only the
	// grid worker a is assigned to, within its community (where a was
	// raised or where its person lives); keeps out other grid workers,
	// officials, seniors, the initiator and scanners
	// (TestOnlyTheAssignedGridWorkerSeesThePhoneAndAddressWhileTheTaskIsOpen).
	if v == nil || v.Role != mashang.RoleGridWorker || s.Authorize(v, authz.ActVisit, TargetOf(a)) != nil {
		return errNotVisitor
	}
	// SECURITY: only while the task is open: a visit recorded or a closed
	// alert gives no more access (seed 001 §11: authorisation first).
	if a.Status != alert.StatusASSIGNED {
		return errNotVisitor
	}
	return nil
}

// visitPerson checks v (visitor), loads a's person as the system and audits
// the read of fields as action, or the refusal.
func (s *Service) visitPerson(ctx context.Context, v *mashang.Viewer, a *ent.Alert, action string, fields []string) (*ent.Person, error) {
	c := database.ClientFrom(ctx, s.Client)
	ev := audit.Event{Action: action, Target: "alert:" + strconv.Itoa(a.ID), Detail: map[string]any{"fields": fields}}
	if v != nil && v.AccountID != 0 {
		acct := v.AccountID
		ev.AccountID = &acct
	}
	if err := s.visitor(v, a); err != nil {
		ev.Refused = string(mashang.EFORBIDDEN)
		if rerr := audit.Record(system(ctx), c, ev, s.now()); rerr != nil {
			return nil, rerr
		}
		return nil, err
	}
	if a.PersonID == nil {
		return nil, nil
	}
	p, err := c.Person.Get(system(ctx), *a.PersonID)
	if err != nil {
		return nil, err
	}
	ev.Detail["person"] = p.ID
	if err := audit.Record(system(ctx), c, ev, s.now()); err != nil {
		return nil, err
	}
	return p, nil
}

// open opens a sealed field, nil when there is none.
func (s *Service) open(field string, sealed *[]byte) (*string, error) {
	if sealed == nil || len(*sealed) == 0 {
		return nil, nil
	}
	plain, err := s.Box.Open(field, *sealed)
	if err != nil {
		return nil, err
	}
	return &plain, nil
}

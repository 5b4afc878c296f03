package alerts_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/scenario"
)

// answer is an error as the caller sees it, with the id it was asked about
// taken out.
func answer(t *testing.T, err error, id int) string {
	t.Helper()
	var e *mashang.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want a coded error", err)
	}
	return e.Code + "|" + e.Field + "|" + strings.ReplaceAll(e.Message, fmt.Sprint(id), "N")
}

// Issue 10 §9: handleAlert on another district's (or sector's, or grid
// worker's) alert answers exactly as on an id that does not exist, for
// every action.
func TestAnOfficialOfAnotherDistrictCannotTellItsAlertsFromMissingOnes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		authz.Install(db.Client)
		f := newFixture(t, db)
		health := scenario.SectorHealth
		x := f.raise(scanRaise(siteA, &health))
		const missing = 987654321
		for _, who := range []struct {
			name string
			by   *ent.Account
		}{
			{"a SENIOR of another city", f.seniorOther},
			{"an OFFICIAL of the city for another sector", f.officialEdu},
			{"a GRID_WORKER it is not assigned to", f.gridB},
		} {
			for _, action := range []string{alerts.ActionAssign, alerts.ActionVisit, alerts.ActionClose} {
				t.Run(who.name+"/"+action, func(t *testing.T) {
					v := viewerOf(who.by)
					_, errForeign := f.svc.Handle(asRequest(v), v, x.ID, action, &f.gridA.ID, "note")
					_, errMissing := f.svc.Handle(asRequest(v), v, missing, action, &f.gridA.ID, "note")
					if a, b := answer(t, errForeign, x.ID), answer(t, errMissing, missing); a != b {
						t.Fatalf("another's alert answers %q, a missing one %q", a, b)
					}
				})
			}
		}
	})
}

// Issue 10 §9: an ASSIGN to an account that is no grid worker of the
// alert's community answers the same whatever that account is: missing, of
// another role (a SENIOR), disabled or of another community.
func TestASeniorCannotLearnAnotherAccountsRoleByAssigningToIt(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		authz.Install(db.Client)
		f := newFixture(t, db)
		health := scenario.SectorHealth
		x := f.raise(scanRaise(siteA, &health))
		v := viewerOf(f.senior)
		var answers = map[string]string{}
		for name, id := range map[string]int{
			"missing": 987654321, "a SENIOR": f.seniorOther.ID, "the INITIATOR": f.initiator.ID, "an INTERMEDIATE": f.notGW.ID,
			"a disabled grid worker": f.gridDisabled.ID, "another community's grid worker": f.gridB.ID,
		} {
			_, err := f.svc.Handle(asRequest(v), v, x.ID, alerts.ActionAssign, &id, "")
			got := answer(t, err, id)
			for _, role := range []string{"SENIOR", "INITIATOR", "INTERMEDIATE", "disabled", "another community", "does not exist"} {
				if strings.Contains(got, role) {
					t.Errorf("assigning to %s: %q tells %q", name, got, role)
				}
			}
			answers[got] = name
		}
		if len(answers) != 1 {
			t.Fatalf("the answers differ: %v", answers)
		}
	})
}

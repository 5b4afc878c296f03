package alerts_test

import (
	"slices"
	"testing"

	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/scenario"
)

func assigneeIDs(as []*alerts.Assignee) []int {
	out := make([]int, 0, len(as))
	for _, a := range as {
		out = append(out, a.ID)
	}
	slices.Sort(out)
	return out
}

func TestAssigneesAreTheActiveGridWorkersWhereTheAlertWasRaisedOrThePersonLives(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		authz.Install(db.Client)
		f := newFixture(t, db)
		health := scenario.SectorHealth
		atSite := f.raise(scanRaise(siteA, &health))
		r := scanRaise(siteA, &health)
		r.ResidencePath = communB
		livesInB := f.raise(r)
		for name, c := range map[string]struct {
			a    *ent.Alert
			want []*ent.Account
		}{
			"raised in A":             {atSite, []*ent.Account{f.gridA, f.gridA2}},
			"raised in A, lives in B": {livesInB, []*ent.Account{f.gridA, f.gridA2, f.gridB}},
		} {
			v := viewerOf(f.official)
			got, err := f.svc.Assignees(asRequest(v), v, c.a)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			want := make([]int, 0, len(c.want))
			for _, a := range c.want {
				want = append(want, a.ID)
			}
			slices.Sort(want)
			// Not the disabled grid worker nor the INTERMEDIATE of community A.
			if !slices.Equal(assigneeIDs(got), want) {
				t.Errorf("%s: assignees %v, want %v", name, assigneeIDs(got), want)
			}
			for _, a := range got {
				if a.Name == "" || a.PhoneMasked == "" {
					t.Errorf("%s: assignee %d without its holder's name or masked phone: %+v", name, a.ID, a)
				}
			}
		}
	})
}

// SECURITY: who may not assign an alert does not learn who its grid
// workers are.
func TestAGridWorkerCannotListTheAssigneesOfAnAlert(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		authz.Install(db.Client)
		f := newFixture(t, db)
		health := scenario.SectorHealth
		x := f.raise(scanRaise(siteA, &health))
		for name, acc := range map[string]*ent.Account{
			"a grid worker of the community": f.gridA,
			"an INTERMEDIATE scanner":        f.intermediate,
			"a SENIOR of another city":       f.seniorOther,
			"an OFFICIAL of another sector":  f.officialEdu,
		} {
			v := viewerOf(acc)
			got, err := f.svc.Assignees(asRequest(v), v, x)
			if err != nil || len(got) != 0 {
				t.Errorf("%s: assignees %v (%v), want none", name, assigneeIDs(got), err)
			}
		}
		// And those who may assign it do.
		for name, acc := range map[string]*ent.Account{"the INITIATOR": f.initiator, "a SENIOR of the district": f.senior, "the health OFFICIAL": f.officialHealth} {
			v := viewerOf(acc)
			if got, err := f.svc.Assignees(asRequest(v), v, x); err != nil || len(got) != 2 {
				t.Errorf("%s: assignees %v (%v), want the two active grid workers of community A", name, assigneeIDs(got), err)
			}
		}
	})
}

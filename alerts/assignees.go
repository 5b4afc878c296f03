package alerts

import (
	"context"
	"fmt"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
)

// Assignee is a grid worker an alert may be assigned to, as the person who
// assigns it needs to recognise them: the account, its holder's name and
// masked phone, and the community it serves (nil for a site scope).
type Assignee struct {
	ID          int
	Name        string
	PhoneMasked string
	Region      *ent.Region
}

// maxAssignees bounds the list: a community has a handful of grid workers.
const maxAssignees = 100

// Assignees lists the active grid workers (网格员) alert a may be assigned
// to — those whose community holds the alert's place or the residence of
// the person it is about (servesAlert, the rule ASSIGN checks) — for whoever
// may assign it; nobody else learns who they are (an empty list).
//
// seed 003 §五(五): 对于红码、黄码等人员, 基层网格员要及时上门核实 — the person
// assigning chooses among the community's grid workers (issue 14). They
// are read as the system: a district official's scope filter shows only its
// own account tree, where the grid workers the province opened are not.
func (s *Service) Assignees(ctx context.Context, v *mashang.Viewer, a *ent.Alert) ([]*Assignee, error) {
	// SECURITY: only the INITIATOR, a SENIOR or OFFICIAL who may assign this
	// alert (of its place or the person's residence, of its sector) sees the
	// grid workers; keeps out scanners, grid workers and everyone of another
	// place or sector (TestAGridWorkerCannotListTheAssigneesOfAnAlert).
	if err := s.Authorize(v, authz.ActAssign, TargetOf(a)); err != nil {
		if c := mashang.ErrorCode(err); c == mashang.EFORBIDDEN || c == mashang.EUNAUTHENTICATED || c == mashang.EACCOUNTDISABLED {
			return nil, nil
		}
		return nil, err // not a refusal (the policy could not be read): said, not hidden as "nobody"
	}
	paths := ancestorPaths(a.ScopePath)
	if a.ResidencePath != "" {
		paths = append(paths, ancestorPaths(a.ResidencePath)...)
	}
	accs, err := s.Client.Account.Query().
		Where(account.RoleEQ(account.RoleGRID_WORKER), account.StatusEQ(account.StatusACTIVE), account.ScopePathIn(paths...)).
		WithHolder().WithScopeRegion().Order(ent.Asc(account.FieldScopePath), ent.Asc(account.FieldID)).Limit(maxAssignees).All(system(ctx))
	if err != nil {
		return nil, fmt.Errorf("alerts: list the grid workers of alert %d: %w", a.ID, err)
	}
	out := make([]*Assignee, 0, len(accs))
	for _, acc := range accs {
		as := &Assignee{ID: acc.ID, Region: acc.Edges.ScopeRegion}
		if h := acc.Edges.Holder; h != nil {
			as.Name, as.PhoneMasked = h.Name, h.PhoneMasked
		}
		out = append(out, as)
	}
	return out, nil
}

// ancestorPaths returns p and the paths of every node above it
// ("/22/", "/22/2201/", …, p): the scope paths whose subtree holds p.
func ancestorPaths(p string) []string {
	var out []string
	for i := 1; i < len(p); i++ {
		if p[i] == '/' {
			out = append(out, p[:i+1])
		}
	}
	return out
}

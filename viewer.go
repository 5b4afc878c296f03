package mashang

import (
	"context"
	"time"
)

// Roles of accounts (seed 001 §6; DESIGN.md §5).
const (
	RoleInitiator    = "INITIATOR"
	RoleSenior       = "SENIOR"
	RoleIntermediate = "INTERMEDIATE"
	RoleOrdinary     = "ORDINARY"
	RoleOfficial     = "OFFICIAL"
	RoleGridWorker   = "GRID_WORKER"
)

// Grant kinds: time-limited extra permissions given by the INITIATOR.
const (
	GrantPIIViewer        = "PII_VIEWER"
	GrantTracer           = "TRACER"
	GrantSectorStatistics = "SECTOR_STATISTICS"
)

// Viewer is who a request acts as: one user acting as exactly one of their
// accounts (多重身份管理, seed 001 §12), loaded from the accounts table once
// per request — the single source of truth.
type Viewer struct {
	UserID      int
	SessionID   int
	AccountID   int
	Role        string
	ScopePath   string // the account's scope node (a region or site path)
	AccountPath string // the account's position in the account tree
	Sector      string // for OFFICIAL accounts limited to a sector; "" otherwise
	UnitID      int    // the unit a SENIOR account is bound to; 0 otherwise
	// Disabled marks a restricted session of a disabled account: its holder
	// may see it and ask the superior to reactivate it, nothing else
	// (seed 001 §10: 任何扫码员账号被禁用，均须向上一级扫码员提出申请).
	Disabled bool
	Grants   []ViewerGrant
}

// ViewerGrant is an unexpired grant of the acting account.
type ViewerGrant struct {
	Kind      string
	Sector    string
	ExpiresAt time.Time
}

// HasGrant reports whether the viewer holds an unexpired grant of kind at now.
func (v *Viewer) HasGrant(kind string, now time.Time) bool {
	if v == nil {
		return false
	}
	for _, g := range v.Grants {
		if g.Kind == kind && now.Before(g.ExpiresAt) {
			return true
		}
	}
	return false
}

type viewerKey struct{}

// NewContextWithViewer returns a context carrying the viewer.
func NewContextWithViewer(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// ViewerFromContext returns the viewer of the request, or nil when the
// request is anonymous.
func ViewerFromContext(ctx context.Context) *Viewer {
	v, _ := ctx.Value(viewerKey{}).(*Viewer)
	return v
}

// RequireViewer returns the viewer in ctx, or UNAUTHENTICATED for an
// anonymous request: the first line of every service method that acts for
// a logged-in caller.
func RequireViewer(ctx context.Context) (*Viewer, error) {
	if v := ViewerFromContext(ctx); v != nil {
		return v, nil
	}
	return nil, Errorf(EUNAUTHENTICATED, "Log in first.")
}

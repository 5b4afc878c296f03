package graph

import (
	"context"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/auth"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/grant"
	"github.com/mashang/mashang/graph/model"
	"github.com/mashang/mashang/ratelimit"
)

// remoteAddr is the client's address for the rate limits (httpserver's
// clientip.go: the socket peer, or X-Forwarded-For behind a trusted proxy).
func remoteAddr(ctx context.Context) string { return ratelimit.ClientAddr(ctx) }

func authPayload(t *auth.Tokens) *model.AuthPayload {
	return &model.AuthPayload{AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, ExpiresAt: t.ExpiresAt, RefreshExpiresAt: t.RefreshExpiresAt}
}

// viewerModel assembles the viewer: the user, their accounts, the acting
// one, its permissions (authz.ViewerPermissions: the policy lines of its role
// and grants, with the conditions the services add) and its unexpired grants.
func (r *Resolver) viewerModel(ctx context.Context, v *mashang.Viewer) (*model.Viewer, error) {
	client := r.clientFrom(ctx)
	user, err := client.User.Get(ctx, v.UserID)
	if err != nil {
		return nil, err
	}
	accs, err := client.Account.Query().Where(account.HolderID(v.UserID)).Order(ent.Asc(account.FieldID)).All(ctx)
	if err != nil {
		return nil, err
	}
	var acting *ent.Account
	for _, a := range accs {
		if a.ID == v.AccountID {
			acting = a
		}
	}
	if acting == nil {
		return nil, mashang.Errorf(mashang.EUNAUTHENTICATED, "Your acting account is no longer yours; log in again.")
	}
	grants, err := client.Grant.Query().Where(grant.AccountID(v.AccountID), grant.ExpiresAtGT(r.Now()), grant.RevokedAtIsNil()).All(ctx)
	if err != nil {
		return nil, err
	}
	perms := []*model.Permission{}
	for _, p := range r.Enforcer.ViewerPermissions(v, r.Now()) {
		perm := &model.Permission{Object: p.Object, Action: p.Action, Reach: p.Reach}
		if p.Condition != "" {
			perm.Condition = &p.Condition
		}
		perms = append(perms, perm)
	}
	pending := []*ent.Account{}
	for _, a := range accs {
		if a.Status == account.StatusDISABLED && a.DisabledReason != nil && *a.DisabledReason == account.DisabledReasonPENDING_CONSENT {
			pending = append(pending, a)
		}
	}
	return &model.Viewer{User: user, Accounts: accs, Acting: acting, Permissions: perms, Grants: grants, PendingBindings: pending}, nil
}

func holderOf(in *model.HolderInput) accounts.Holder {
	if in == nil {
		return accounts.Holder{}
	}
	h := accounts.Holder{Name: in.Name, Phone: in.Phone}
	if in.IDNumber != nil {
		h.IDNumber = *in.IDNumber
	}
	if in.Password != nil {
		h.Password = *in.Password
	}
	return h
}

// scopeNode resolves a scope ID to a region or a site within the viewer's
// reach (the filtered client answers NOT_FOUND otherwise).
func (r *Resolver) scopeNode(ctx context.Context, id int, field string) (regionID, siteID int, path string, err error) {
	n, err := r.clientFrom(ctx).Noder(ctx, id)
	if err != nil {
		return 0, 0, "", mashang.FieldErrorf(mashang.ENOTFOUND, field, "No region or site %d in your scope.", id)
	}
	switch x := n.(type) {
	case *ent.Region:
		return x.ID, 0, x.Path, nil
	case *ent.Site:
		return 0, x.ID, x.Path, nil
	}
	return 0, 0, "", mashang.FieldErrorf(mashang.EINVALID, field, "%s takes the ID of a region or a site.", field)
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func (r *Resolver) statusPayload(ctx context.Context, acc *ent.Account, ids []int) (*model.AccountStatusPayload, error) {
	changed, err := r.clientFrom(ctx).Account.Query().Where(account.IDIn(ids...)).Order(ent.Asc(account.FieldAccountPath)).All(ctx)
	if err != nil {
		return nil, err
	}
	return &model.AccountStatusPayload{Account: acc, Changed: changed}, nil
}

package auth

import (
	"context"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/session"
)

// Why CheckSession ends a viewer's session. The messages are short: a
// websocket close reason holds at most 123 bytes.
var (
	errSessionLoggedOut  = mashang.Errorf(mashang.EUNAUTHENTICATED, "Session logged out.")
	errSessionEnded      = mashang.Errorf(mashang.EUNAUTHENTICATED, "Session expired.")
	errHolderReplaced    = mashang.Errorf(mashang.EFORBIDDEN, "Account holder replaced.")
	errSessionSwitched   = mashang.Errorf(mashang.EFORBIDDEN, "Session switched to another account.")
	errActingDisabled    = mashang.Errorf(mashang.EACCOUNTDISABLED, "Account disabled.")
	errSessionNotCurrent = mashang.Errorf(mashang.EUNAUTHENTICATED, "Session not found.")
)

// CheckSession tells whether v — a viewer Authenticate returned, kept by a
// long-lived connection such as a websocket — still stands: its session
// is neither logged out nor expired, still acts as v's account, whose
// holder is still the session's user and which is still ACTIVE. It returns
// nil, a *mashang.Error saying why v no longer stands, or another error
// when the check itself failed.
//
// Unlike Authenticate it looks the session up by ID, so refreshing the
// access token (which changes the token, not the session) keeps a
// connection open, and it records no activity: an open browser tab is
// not a person at work (SILENT disabling, seed 001 §10).
func (s *Service) CheckSession(ctx context.Context, v *mashang.Viewer) error {
	if v == nil || v.SessionID == 0 {
		return errSessionNotCurrent
	}
	ctx = systemContext(ctx)
	sess, err := s.conn(ctx).Session.Query().
		Where(session.ID(v.SessionID)).
		WithAccount(func(q *ent.AccountQuery) { q.Select(account.FieldHolderID, account.FieldStatus) }).
		Only(ctx)
	if ent.IsNotFound(err) {
		return errSessionNotCurrent
	} else if err != nil {
		return err
	}
	return sessionStands(sess, v, s.now())
}

// sessionStands checks a loaded session (with its account) against v, the
// most telling reason first: a replaced holder's sessions are also revoked.
func sessionStands(sess *ent.Session, v *mashang.Viewer, now time.Time) error {
	acc := sess.Edges.Account
	switch {
	// SECURITY: the holder replaced (更换): the one who left sees no more.
	case acc == nil || acc.HolderID != sess.UserID || sess.UserID != v.UserID:
		return errHolderReplaced
	case sess.AccountID != v.AccountID:
		return errSessionSwitched
	// SECURITY: a disabled account is refused everything a connection serves.
	case acc.Status != account.StatusACTIVE:
		return errActingDisabled
	// SECURITY: logout and expiry end every connection of the session.
	case sess.RevokedAt != nil:
		return errSessionLoggedOut
	case !now.Before(sess.ExpiresAt):
		return errSessionEnded
	}
	return nil
}

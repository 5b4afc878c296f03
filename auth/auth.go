// Package auth identifies the people who operate the platform (DESIGN.md §5,
// §8): users log in with phone and password, receive an access token bound
// to exactly one of their accounts (多重身份管理, seed 001 §12) and a refresh
// token, and every request is authenticated by looking the access token's
// SHA-256 up in the sessions table — so any replica serves any request.
//
// Passwords are hashed with Argon2id; phone and ID numbers are sealed with
// pii.Box and found by their keyed hash. Logins are rate-limited per phone
// and client address together and per client address (LoginLimits), and a
// wrong phone and a wrong password are indistinguishable in message and in
// work done.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/account"
	"github.com/mashang/mashang/ent/grant"
	"github.com/mashang/mashang/ent/privacy"
	"github.com/mashang/mashang/ent/session"
	"github.com/mashang/mashang/ent/user"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/ratelimit"
	"github.com/mashang/mashang/validate"
)

// Token prefixes: they tell a leaked token's kind at a glance (and let
// secret scanners find them); only the SHA-256 of a token is stored.
const (
	AccessTokenPrefix  = "msa_"
	RefreshTokenPrefix = "msr_"
)

// Defaults of Config.
const (
	DefaultAccessTTL  = 2 * time.Hour
	DefaultRefreshTTL = 14 * 24 * time.Hour
	// ActivityInterval is how stale accounts.last_active_at may get before
	// Authenticate writes it again: SILENT disabling works in days, so one
	// write per account per five minutes is precise enough.
	ActivityInterval = 5 * time.Minute
)

// DefaultInitiatorName names the province INITIATOR created at bootstrap.
const DefaultInitiatorName = "省政数局发起扫码员"

// Config tunes a Service; zero fields take their defaults.
type Config struct {
	AccessTTL  time.Duration    // default 2h
	RefreshTTL time.Duration    // default 14 days; a login lasts at most this long
	Now        func() time.Time // default time.Now
	// Limits keeps the login limits' counts; default ratelimit.NewMemory,
	// which is per replica (see ratelimit.Memory): give every replica the
	// same ratelimit.Redis.
	Limits ratelimit.Store
	// Login tunes the limits; the zero value means DefaultLoginLimits.
	Login LoginLimits
	// DB, when set, serves Authenticate through a prepared statement on
	// the raw pool (PostgreSQL keeps its plan; one round trip a request):
	// the lookup every API request makes. Dialect is "sqlite3" or
	// "postgres". Without DB the same query goes through ent.
	DB      *sql.DB
	Dialect string
}

// Service logs users in and authenticates requests.
type Service struct {
	client     *ent.Client
	box        *pii.Box
	accessTTL  time.Duration
	refreshTTL time.Duration
	now        func() time.Time
	limits     ratelimit.Store
	login      LoginLimits

	dummyOnce sync.Once
	dummyHash string

	db       *sql.DB
	dialect  string
	prepMu   sync.Mutex
	prepared atomic.Pointer[sql.Stmt]
}

// New returns a Service over the database client and the personal-data box.
func New(client *ent.Client, box *pii.Box, cfg Config) *Service {
	s := &Service{client: client, box: box, accessTTL: cfg.AccessTTL, refreshTTL: cfg.RefreshTTL, now: cfg.Now, limits: cfg.Limits, login: cfg.Login,
		db: cfg.DB, dialect: cfg.Dialect}
	if s.accessTTL <= 0 {
		s.accessTTL = DefaultAccessTTL
	}
	if s.refreshTTL <= 0 {
		s.refreshTTL = DefaultRefreshTTL
	}
	if s.accessTTL > s.refreshTTL {
		s.accessTTL = s.refreshTTL
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.limits == nil {
		s.limits = ratelimit.NewMemory(s.now)
	}
	if s.login == (LoginLimits{}) {
		s.login = DefaultLoginLimits
	}
	return s
}

// Tokens are the result of a login or a refresh.
type Tokens struct {
	AccessToken      string
	RefreshToken     string
	ExpiresAt        time.Time // of the access token
	RefreshExpiresAt time.Time
	AccountID        int // the acting account
	// Restricted: the acting account is disabled; the session may only see
	// it and request its reactivation.
	Restricted bool
}

// Errors shown to people. They name neither phone numbers nor ID numbers.
var (
	// SECURITY: one message for an unknown phone and a wrong password, so a
	// login form cannot be used to find out who is registered.
	errBadCredentials = mashang.Errorf(mashang.EUNAUTHENTICATED, "Phone number or password is wrong.")
	errSessionExpired = mashang.Errorf(mashang.EUNAUTHENTICATED, "Your session has expired; log in again.")
)

func errAccountDisabled() error {
	return mashang.Errorf(mashang.EACCOUNTDISABLED, "This account is disabled. Ask your direct superior scanner to activate it; you can file a reactivation request for them.")
}

func errNoSuchAccount() error {
	// SECURITY: the same answer whether the account does not exist or
	// belongs to someone else: other users' accounts are never revealed.
	return mashang.FieldErrorf(mashang.ENOTFOUND, "accountId", "You hold no account with this ID.")
}

// errRateLimited refuses a login for wait after too many failures; the
// refusal carries its Retry-After.
func errRateLimited(wait time.Duration, now time.Time) error {
	retryAt := now.Add(wait).Truncate(time.Second)
	minutes := int(math.Ceil(wait.Minutes()))
	if minutes < 1 {
		minutes = 1
	}
	unit := "minutes"
	if minutes == 1 {
		unit = "minute"
	}
	return ratelimit.After(wait, mashang.Errorf(mashang.ERATELIMITED, "Too many failed login attempts. Try again in %d %s (after %v).",
		minutes, unit, retryAt))
}

// errTooManyAttempts refuses a login for wait after too many attempts,
// right or wrong.
func errTooManyAttempts(wait time.Duration, now time.Time) error {
	return ratelimit.After(wait, mashang.Errorf(mashang.ERATELIMITED, "Too many login attempts. Try again in %d seconds (after %v).",
		ratelimit.Seconds(wait), now.Add(wait).Truncate(time.Second)))
}

// systemContext marks the service's own reads and writes: authentication runs
// before there is a viewer, so neither the viewer-scoped privacy policies
// nor the request's scope filter (authz.Filter) apply to them. This is the
// system acting to authenticate: callers (the resolvers of login,
// refreshToken, logout and switchAccount) pass their request context as it
// is, and only this package's lookups run unfiltered.
func systemContext(ctx context.Context) context.Context {
	// SECURITY: only this package's queries run under this context; callers
	// get nothing but tokens and viewers back.
	return authz.AsSystem(privacy.DecisionContext(ctx, privacy.Allow))
}

// conn returns the client of the request transaction when there is one (a
// GraphQL mutation runs in one; on SQLite a second writer beside it would
// wait for its lock), the service's client otherwise.
func (s *Service) conn(ctx context.Context) *ent.Client {
	return database.ClientFrom(ctx, s.client)
}

// newToken returns a fresh random token with prefix and its stored hash.
func newToken(prefix string) (token, hash string, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", fmt.Errorf("token: %w", err)
	}
	token = prefix + base64.RawURLEncoding.EncodeToString(b[:])
	return token, hashToken(token), nil
}

// hashToken is what the sessions table stores of a token.
// SECURITY: a copy of the table does not give working tokens.
func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// BearerToken extracts the token from an "Authorization: Bearer …" header
// value; "" when the header is missing or of another scheme.
func BearerToken(header string) string {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// roleRank orders a user's accounts: the one acted as by default first.
var roleRank = map[account.Role]int{
	account.RoleINITIATOR:    0,
	account.RoleSENIOR:       1,
	account.RoleINTERMEDIATE: 2,
	account.RoleORDINARY:     3,
	account.RoleOFFICIAL:     4,
	account.RoleGRID_WORKER:  5,
}

// AccountsOf returns all accounts held by a user, ACTIVE and DISABLED, by
// role rank (INITIATOR, SENIOR, INTERMEDIATE, ORDINARY, OFFICIAL,
// GRID_WORKER) then id: the order a login picks the acting account in.
func (s *Service) AccountsOf(ctx context.Context, userID int) ([]*ent.Account, error) {
	accounts, err := s.conn(ctx).Account.Query().Where(account.HolderID(userID)).All(systemContext(ctx))
	if err != nil {
		return nil, mashang.Wrap(err, "auth.AccountsOf")
	}
	sort.Slice(accounts, func(i, j int) bool {
		ri, rj := roleRank[accounts[i].Role], roleRank[accounts[j].Role]
		if ri != rj {
			return ri < rj
		}
		return accounts[i].ID < accounts[j].ID
	})
	return accounts, nil
}

// Login checks phone and password and opens a session acting as accountID
// (which must be an ACTIVE account of the user) or, when accountID is 0, as
// the user's first ACTIVE account in AccountsOf order. remoteAddr is the
// client's address as the HTTP layer determined it ("" if unknown).
func (s *Service) Login(ctx context.Context, phone, password, remoteAddr string, accountID int) (*Tokens, error) {
	ctx = systemContext(ctx)
	now := s.now()
	p, err := validate.NormalizePhone(phone)
	if err != nil {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "phone", "Phone number is not valid: %v.", err)
	}
	phoneHash := s.box.Hash(pii.FieldPhone, p)
	keys := newLoginKeys(phoneHash, remoteAddr)
	// SECURITY: every attempt counts, right or wrong, before the password
	// is hashed; failures lock the phone only from the address they came
	// from (TestAStrangerGuessingMyPasswordDoesNotLockMeOut).
	if err := s.loginAllowed(ctx, keys, now); err != nil {
		return nil, err
	}

	client := s.conn(ctx)
	u, err := client.User.Query().Where(user.PhoneHash(phoneHash)).Only(ctx)
	if ent.IsNotFound(err) {
		// SECURITY: do the same Argon2id work as for a known phone, so the
		// response time does not reveal whether the phone is registered.
		_, _ = CheckPassword(s.dummy(), password)
		return nil, s.loginFailed(ctx, keys)
	} else if err != nil {
		return nil, mashang.Wrap(err, "auth.Login")
	}
	ok, err := CheckPassword(u.PasswordHash, password)
	if err != nil {
		return nil, fmt.Errorf("user %d: %w", u.ID, err)
	}
	if !ok {
		return nil, s.loginFailed(ctx, keys)
	}
	if err := s.loginSucceeded(ctx, keys); err != nil {
		return nil, err
	}

	// Only now that the password is verified may the answer depend on the
	// user's accounts.
	accounts, err := s.AccountsOf(ctx, u.ID)
	if err != nil {
		return nil, mashang.Wrap(err, "auth.Login")
	}
	acting, err := pickAccount(accounts, accountID)
	if err != nil {
		return nil, mashang.Wrap(err, "auth.Login")
	}
	tokens, err := s.openSession(ctx, client, u.ID, acting.ID, now)
	if err != nil {
		return nil, mashang.Wrap(err, "auth.Login")
	}
	tokens.Restricted = acting.Status != account.StatusACTIVE
	// Seed 001 §10: logging in counts as activity (SILENT disabling).
	if !tokens.Restricted {
		if err := client.Account.Update().Where(account.ID(acting.ID)).SetLastActiveAt(now).Exec(ctx); err != nil {
			return nil, mashang.Wrap(err, "auth.Login")
		}
	}
	return tokens, nil
}

// dummy returns a hash of a random password with the current parameters,
// computed once.
func (s *Service) dummy() string {
	s.dummyOnce.Do(func() {
		t, _, err := newToken("")
		if err == nil {
			s.dummyHash, err = HashPassword(t)
		}
		if err != nil {
			// Same cost as a real hash: parameters match HashPassword's.
			s.dummyHash = fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g", argonMemory, argonTime, argonThreads)
		}
	})
	return s.dummyHash
}

// pickAccount chooses the acting account of a login.
func pickAccount(accounts []*ent.Account, accountID int) (*ent.Account, error) {
	if accountID > 0 {
		for _, a := range accounts {
			if a.ID == accountID {
				// A disabled account gets a restricted session (Viewer.Disabled).
				return a, nil
			}
		}
		return nil, errNoSuchAccount()
	}
	for _, a := range accounts {
		if a.Status == account.StatusACTIVE {
			return a, nil
		}
	}
	if len(accounts) == 0 {
		return nil, mashang.Errorf(mashang.EFORBIDDEN, "You hold no account yet. Ask the superior who registered you to open one.")
	}
	// Every account is disabled: a restricted session of the first one, so
	// the holder can ask the superior to reactivate it (seed 001 §10).
	return accounts[0], nil
}

// openSession stores a new session and returns its tokens.
func (s *Service) openSession(ctx context.Context, client *ent.Client, userID, accountID int, now time.Time) (*Tokens, error) {
	access, accessHash, err := newToken(AccessTokenPrefix)
	if err != nil {
		return nil, mashang.Wrap(err, "auth.openSession")
	}
	refresh, refreshHash, err := newToken(RefreshTokenPrefix)
	if err != nil {
		return nil, mashang.Wrap(err, "auth.openSession")
	}
	t := &Tokens{
		AccessToken:      access,
		RefreshToken:     refresh,
		ExpiresAt:        now.Add(s.accessTTL),
		RefreshExpiresAt: now.Add(s.refreshTTL),
		AccountID:        accountID,
	}
	err = client.Session.Create().
		SetTokenHash(accessHash).SetRefreshHash(refreshHash).
		SetCreatedAt(now).SetExpiresAt(t.ExpiresAt).SetRefreshExpiresAt(t.RefreshExpiresAt).
		SetUserID(userID).SetAccountID(accountID).
		Exec(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "auth.openSession")
	}
	return t, nil
}

// sessionRow is a session joined with its acting account.
type sessionRow struct {
	SessionID    int        `sql:"session_id"`
	UserID       int        `sql:"session_user_id"`
	AccountID    int        `sql:"session_account_id"`
	ExpiresAt    time.Time  `sql:"session_expires_at"`
	RevokedAt    *time.Time `sql:"session_revoked_at"`
	Role         string     `sql:"account_role"`
	Status       string     `sql:"account_status"`
	ScopePath    string     `sql:"account_scope_path"`
	AccountPath  string     `sql:"account_account_path"`
	Sector       *string    `sql:"account_sector"`
	LastActiveAt *time.Time `sql:"account_last_active_at"`
	UnitID       int        `sql:"account_unit_id"`
	GrantKind    *string    `sql:"grant_kind"`
	GrantSector  *string    `sql:"grant_sector"`
	GrantExpires *time.Time `sql:"grant_expires_at"`
}

// Authenticate resolves a bearer access token to the viewer it acts as: the
// session, its acting account and the account's live grants in one
// statement (viewerQuery; one row per grant). It refuses unknown, expired and revoked tokens and
// disabled acting accounts, and records the account's activity (at most one
// UPDATE per account per ActivityInterval).
func (s *Service) Authenticate(ctx context.Context, accessToken string) (*mashang.Viewer, error) {
	// SECURITY: only access tokens authenticate requests; a refresh token
	// (longer-lived) sent as a bearer token is refused.
	if !strings.HasPrefix(accessToken, AccessTokenPrefix) {
		return nil, errSessionExpired
	}
	ctx = systemContext(ctx)
	now := s.now()
	client := s.conn(ctx)
	var rows []sessionRow
	var err error
	if s.db != nil && ent.TxFromContext(ctx) == nil {
		rows, err = s.viewerRows(ctx, hashToken(accessToken), now)
	} else {
		rows, err = s.viewerRowsEnt(ctx, client, hashToken(accessToken), now)
	}
	if err != nil {
		return nil, mashang.Wrap(err, "auth.Authenticate")
	}
	return s.viewerFrom(ctx, client, rows, now)
}

// viewerRowsEnt loads the session, its account and the account's live
// grants in one statement built by ent.
func (s *Service) viewerRowsEnt(ctx context.Context, client *ent.Client, tokenHash string, now time.Time) ([]sessionRow, error) {
	var rows []sessionRow
	err := client.Session.Query().
		Where(session.TokenHash(tokenHash)).
		Modify(func(sel *entsql.Selector) {
			acc := entsql.Table(account.Table)
			sel.Join(acc).On(sel.C(session.FieldAccountID), acc.C(account.FieldID))
			// SECURITY: the session is valid only while its user still
			// holds the account (a replaced holder's sessions die with it).
			sel.Where(entsql.ColumnsEQ(acc.C(account.FieldHolderID), sel.C(session.FieldUserID)))
			// The account's live grants in the same statement: one row per
			// grant (or one with NULLs), so loading the viewer is one query.
			gr := entsql.Table(grant.Table)
			sel.LeftJoin(gr).OnP(entsql.And(
				entsql.ColumnsEQ(gr.C(grant.FieldAccountID), acc.C(account.FieldID)),
				entsql.IsNull(gr.C(grant.FieldRevokedAt)),
				entsql.GT(gr.C(grant.FieldExpiresAt), now.Round(0)),
			))
			sel.Select()
			for _, c := range []struct{ col, as string }{
				{sel.C(session.FieldID), "session_id"},
				{sel.C(session.FieldUserID), "session_user_id"},
				{sel.C(session.FieldAccountID), "session_account_id"},
				{sel.C(session.FieldExpiresAt), "session_expires_at"},
				{sel.C(session.FieldRevokedAt), "session_revoked_at"},
				{acc.C(account.FieldRole), "account_role"},
				{acc.C(account.FieldStatus), "account_status"},
				{acc.C(account.FieldScopePath), "account_scope_path"},
				{acc.C(account.FieldAccountPath), "account_account_path"},
				{acc.C(account.FieldSector), "account_sector"},
				{acc.C(account.FieldLastActiveAt), "account_last_active_at"},
				{"COALESCE(" + acc.C(account.FieldUnitID) + ", 0)", "account_unit_id"},
				{gr.C(grant.FieldKind), "grant_kind"},
				{gr.C(grant.FieldSector), "grant_sector"},
				{gr.C(grant.FieldExpiresAt), "grant_expires_at"},
			} {
				sel.AppendSelectAs(c.col, c.as)
			}
		}).
		Scan(ctx, &rows)
	return rows, mashang.Wrap(err, "auth.viewerRowsEnt")
}

// viewerFrom checks the loaded rows and builds the viewer.
func (s *Service) viewerFrom(ctx context.Context, client *ent.Client, rows []sessionRow, now time.Time) (*mashang.Viewer, error) {
	if len(rows) == 0 {
		return nil, errSessionExpired
	}
	r := rows[0]
	// SECURITY: expiry and revocation are checked on every request.
	if r.RevokedAt != nil || !now.Before(r.ExpiresAt) {
		return nil, errSessionExpired
	}
	v := &mashang.Viewer{
		// SECURITY: a disabled acting account authenticates only into a
		// restricted session; the API refuses it everything but viewer,
		// requestReactivation and logout (graph.restrictDisabled).
		Disabled:    r.Status != string(account.StatusACTIVE),
		UnitID:      r.UnitID,
		UserID:      r.UserID,
		SessionID:   r.SessionID,
		AccountID:   r.AccountID,
		Role:        r.Role,
		ScopePath:   r.ScopePath,
		AccountPath: r.AccountPath,
	}
	if r.Sector != nil {
		v.Sector = *r.Sector
	}
	for _, g := range rows {
		// SECURITY: expiry checked again in Go, whatever the database's
		// time comparison did with time zones.
		if g.GrantKind == nil || g.GrantExpires == nil || !now.Before(*g.GrantExpires) {
			continue
		}
		vg := mashang.ViewerGrant{Kind: *g.GrantKind, ExpiresAt: *g.GrantExpires}
		if g.GrantSector != nil {
			vg.Sector = *g.GrantSector
		}
		v.Grants = append(v.Grants, vg)
	}
	if !v.Disabled && (r.LastActiveAt == nil || now.Sub(*r.LastActiveAt) >= ActivityInterval) {
		// Activity is bookkeeping: a failed write must not refuse the request.
		if err := client.Account.Update().Where(account.ID(r.AccountID)).SetLastActiveAt(now).Exec(ctx); err != nil {
			slog.WarnContext(ctx, "auth: recording account activity failed", "account", r.AccountID, "err", err)
		}
	}
	return v, nil
}

// grants returns the unexpired, unrevoked grants of an account.
func (s *Service) grants(ctx context.Context, client *ent.Client, accountID int, now time.Time) ([]mashang.ViewerGrant, error) {
	gs, err := client.Grant.Query().
		Where(grant.AccountID(accountID), grant.RevokedAtIsNil(), grant.ExpiresAtGT(now.Round(0))).
		Order(grant.ByID()).
		All(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "auth.grants")
	}
	out := make([]mashang.ViewerGrant, 0, len(gs))
	for _, g := range gs {
		// SECURITY: checked again in Go, whatever the database's time
		// comparison did with time zones.
		if !now.Before(g.ExpiresAt) {
			continue
		}
		vg := mashang.ViewerGrant{Kind: string(g.Kind), ExpiresAt: g.ExpiresAt}
		if g.Sector != nil {
			vg.Sector = string(*g.Sector)
		}
		out = append(out, vg)
	}
	return out, nil
}

// Refresh exchanges a refresh token for a new access token and a new refresh
// token of the same session; the old ones stop working at once. The session
// keeps the refresh expiry of its login: a login lasts at most RefreshTTL.
func (s *Service) Refresh(ctx context.Context, refreshToken string) (*Tokens, error) {
	if !strings.HasPrefix(refreshToken, RefreshTokenPrefix) {
		return nil, errSessionExpired
	}
	ctx = systemContext(ctx)
	now := s.now()
	client := s.conn(ctx)
	oldHash := hashToken(refreshToken)
	sess, err := client.Session.Query().Where(session.RefreshHash(oldHash)).WithAccount().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errSessionExpired
	} else if err != nil {
		return nil, mashang.Wrap(err, "auth.Refresh")
	}
	acc := sess.Edges.Account
	if sess.RevokedAt != nil || !now.Before(sess.RefreshExpiresAt) || acc == nil || acc.HolderID != sess.UserID {
		return nil, errSessionExpired
	}
	access, accessHash, err := newToken(AccessTokenPrefix)
	if err != nil {
		return nil, mashang.Wrap(err, "auth.Refresh")
	}
	refresh, refreshHash, err := newToken(RefreshTokenPrefix)
	if err != nil {
		return nil, mashang.Wrap(err, "auth.Refresh")
	}
	expires := now.Add(s.accessTTL)
	if expires.After(sess.RefreshExpiresAt) {
		expires = sess.RefreshExpiresAt
	}
	// SECURITY: compare-and-swap on the old refresh hash: of two concurrent
	// refreshes with the same token only one succeeds.
	n, err := client.Session.Update().
		Where(session.ID(sess.ID), session.RefreshHash(oldHash), session.RevokedAtIsNil()).
		SetTokenHash(accessHash).SetRefreshHash(refreshHash).SetExpiresAt(expires).
		Save(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "auth.Refresh")
	}
	if n != 1 {
		return nil, errSessionExpired
	}
	return &Tokens{
		AccessToken:      access,
		RefreshToken:     refresh,
		ExpiresAt:        expires,
		RefreshExpiresAt: sess.RefreshExpiresAt,
		AccountID:        sess.AccountID,
	}, nil
}

// Logout revokes a session at once: its access and refresh tokens stop
// working on every replica. Revoking a revoked session is not an error.
func (s *Service) Logout(ctx context.Context, sessionID int) error {
	ctx = systemContext(ctx)
	return s.conn(ctx).Session.Update().
		Where(session.ID(sessionID), session.RevokedAtIsNil()).
		SetRevokedAt(s.now()).
		Exec(ctx)
}

// SwitchAccount makes accountID the acting account of the session
// (多重身份管理, seed 001 §12) and returns the new viewer. The account must be
// held by userID — the session's user — and ACTIVE.
func (s *Service) SwitchAccount(ctx context.Context, sessionID, userID, accountID int) (*mashang.Viewer, error) {
	ctx = systemContext(ctx)
	now := s.now()
	client := s.conn(ctx)
	// SECURITY: the account is looked up among the user's own only: keeps
	// out a holder switching to another user's account (TestSwitchAccount).
	acc, err := client.Account.Query().Where(account.ID(accountID), account.HolderID(userID)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errNoSuchAccount()
	} else if err != nil {
		return nil, mashang.Wrap(err, "auth.SwitchAccount")
	}
	if acc.Status != account.StatusACTIVE {
		return nil, errAccountDisabled()
	}
	// SECURITY: only a live session of the same user is switched: keeps out
	// another user on this session (TestSwitchAccount).
	n, err := client.Session.Update().
		Where(session.ID(sessionID), session.UserID(userID), session.RevokedAtIsNil()).
		SetAccountID(acc.ID).
		Save(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "auth.SwitchAccount")
	}
	if n != 1 {
		return nil, errSessionExpired
	}
	if err := client.Account.Update().Where(account.ID(acc.ID)).SetLastActiveAt(now).Exec(ctx); err != nil {
		return nil, mashang.Wrap(err, "auth.SwitchAccount")
	}
	v := &mashang.Viewer{
		UserID:      userID,
		SessionID:   sessionID,
		AccountID:   acc.ID,
		Role:        string(acc.Role),
		ScopePath:   acc.ScopePath,
		AccountPath: acc.AccountPath,
	}
	if acc.Sector != nil {
		v.Sector = string(*acc.Sector)
	}
	if acc.UnitID != nil {
		v.UnitID = *acc.UnitID
	}
	if v.Grants, err = s.grants(ctx, client, acc.ID, now); err != nil {
		return nil, mashang.Wrap(err, "auth.SwitchAccount")
	}
	return v, nil
}

// RevokeAccountSessions revokes, at once, every session acting as the
// account. Call it inside the transaction that replaces the account's holder
// (更换) — the new holder logs in afresh, the old one is out — with that
// transaction's client; a nil client means the service's own.
func (s *Service) RevokeAccountSessions(ctx context.Context, client *ent.Client, accountID int) error {
	ctx = systemContext(ctx)
	if client == nil {
		client = s.conn(ctx)
	}
	return client.Session.Update().
		Where(session.AccountID(accountID), session.RevokedAtIsNil()).
		SetRevokedAt(s.now()).
		Exec(ctx)
}

// viewerQuery is viewerRowsEnt's statement written out, for the prepared
// fast path; "?" placeholders are turned into "$n" for PostgreSQL.
const viewerQuery = `SELECT s.id, s.user_id, s.account_id, s.expires_at, s.revoked_at,
  a.role, a.status, a.scope_path, a.account_path, a.sector, a.last_active_at, COALESCE(a.unit_id, 0),
  g.kind, g.sector, g.expires_at
FROM sessions s
JOIN accounts a ON s.account_id = a.id AND a.holder_id = s.user_id
LEFT JOIN grants g ON g.account_id = a.id AND g.revoked_at IS NULL AND g.expires_at > ?
WHERE s.token_hash = ?`

// viewerStmt returns viewerQuery prepared on the pool, preparing it on
// first use. A failed prepare (the database briefly unreachable) is not
// remembered: the next request tries again.
func (s *Service) viewerStmt(ctx context.Context) (*sql.Stmt, error) {
	if st := s.prepared.Load(); st != nil {
		return st, nil
	}
	s.prepMu.Lock()
	defer s.prepMu.Unlock()
	if st := s.prepared.Load(); st != nil {
		return st, nil
	}
	q := viewerQuery
	if s.dialect == dialect.Postgres {
		q = strings.Replace(strings.Replace(q, "?", "$1", 1), "?", "$2", 1)
	}
	st, err := s.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("prepare the viewer query: %w", err)
	}
	s.prepared.Store(st)
	return st, nil
}

// viewerRows runs viewerQuery as a prepared statement.
func (s *Service) viewerRows(ctx context.Context, tokenHash string, now time.Time) ([]sessionRow, error) {
	st, err := s.viewerStmt(ctx)
	if err != nil {
		return nil, mashang.Wrap(err, "auth.viewerRows")
	}
	rs, err := st.QueryContext(ctx, now.Round(0), tokenHash)
	if err != nil {
		return nil, mashang.Wrap(err, "auth.viewerRows")
	}
	defer rs.Close()
	var rows []sessionRow
	for rs.Next() {
		var (
			r                         sessionRow
			revoked, lastActive, gExp sql.NullTime
			sector, gKind, gSector    sql.NullString
		)
		if err := rs.Scan(&r.SessionID, &r.UserID, &r.AccountID, &r.ExpiresAt, &revoked,
			&r.Role, &r.Status, &r.ScopePath, &r.AccountPath, &sector, &lastActive, &r.UnitID,
			&gKind, &gSector, &gExp); err != nil {
			return nil, mashang.Wrap(err, "auth.viewerRows")
		}
		if revoked.Valid {
			r.RevokedAt = &revoked.Time
		}
		if lastActive.Valid {
			r.LastActiveAt = &lastActive.Time
		}
		if sector.Valid {
			r.Sector = &sector.String
		}
		if gKind.Valid {
			r.GrantKind = &gKind.String
		}
		if gSector.Valid {
			r.GrantSector = &gSector.String
		}
		if gExp.Valid {
			r.GrantExpires = &gExp.Time
		}
		rows = append(rows, r)
	}
	return rows, rs.Err()
}

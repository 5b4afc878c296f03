package stats

import (
	"context"
	"database/sql"
	"slices"

	"github.com/mashang/mashang/ent"
)

// ACCOUNTS is a gauge (day ""): the scanner accounts (扫码员) there are now,
// at every node of their scope (its regions and, for an account of a site,
// the site and the sites above it), with detail "ROLE/ACTIVE" or
// "ROLE/DISABLED/REASON" (seed 001 §10: MANUAL, CASCADE, SILENT; §7:
// GEOFENCE, CODE_NOT_GREEN; PENDING_CONSENT while the holder has not
// accepted it).
//
// The scanner accounts are those of the roles that record scans: SENIOR,
// INTERMEDIATE and ORDINARY (seed 001 §6 高级 / 中级 / 普通扫码员). The
// INITIATOR (发起扫码员) is the province's one root account, whose scope
// "/" is no node; OFFICIAL and GRID_WORKER accounts scan nobody.
//
// Every write that creates an account, deletes one, changes its status or
// reason, or moves its scope subtracts the account as it was and adds it
// as it is (AddAccounts with -1, then +1), in its transaction. A change of
// holder (更换) changes nothing here unless its status changes with it.

// ScannerRoles are the roles ACCOUNTS counts.
var ScannerRoles = []string{"SENIOR", "INTERMEDIATE", "ORDINARY"}

// AccountFacts are what ACCOUNTS reads of an account.
type AccountFacts struct {
	Role, Status, Reason, ScopePath string
}

// FactsOfAccount returns what ACCOUNTS reads of a.
func FactsOfAccount(a *ent.Account) AccountFacts {
	return AccountFacts{Role: a.Role.String(), Status: a.Status.String(), Reason: orEmpty(a.DisabledReason), ScopePath: a.ScopePath}
}

// detail is the account's detail: ROLE/ACTIVE or ROLE/DISABLED/REASON.
func (f AccountFacts) detail() string {
	if f.Status == "ACTIVE" {
		return f.Role + "/ACTIVE"
	}
	return f.Role + "/" + f.Status + "/" + f.Reason
}

// AddAccount adds n (1 or -1) accounts like f to d; accounts of other roles
// add nothing.
func AddAccount(d *Delta, f AccountFacts, n int64) {
	if !slices.Contains(ScannerRoles, f.Role) {
		return
	}
	d.AddAt(Nodes(f.ScopePath), Key{Metric: Accounts, Detail: f.detail()}, n)
}

// AddAccounts adds n (1 or -1) times each of as to d.
func AddAccounts(d *Delta, as []*ent.Account, n int64) {
	for _, a := range as {
		AddAccount(d, FactsOfAccount(a), n)
	}
}

func init() {
	Register(Recount{Name: "accounts", Metrics: []Metric{Accounts}, Count: recountAccounts})
}

// recountAccounts streams the scanner accounts (a gauge: always whole).
func recountAccounts(ctx context.Context, c *ent.Client, _ string, d *Delta) error {
	return eachRow(ctx, c, "stats.recountAccounts",
		`SELECT role, status, COALESCE(disabled_reason, ''), scope_path FROM accounts WHERE role IN ('SENIOR', 'INTERMEDIATE', 'ORDINARY')`,
		func(r *sql.Rows) error {
			var f AccountFacts
			if err := r.Scan(&f.Role, &f.Status, &f.Reason, &f.ScopePath); err != nil {
				return err
			}
			AddAccount(d, f, 1)
			return nil
		})
}

package graph

import (
	"time"

	"github.com/mashang/mashang/accounts"
	"github.com/mashang/mashang/ent/grant"
	"github.com/mashang/mashang/scenario"
)

// grantInput is giveGrant's arguments as the accounts service takes them.
func grantInput(accountID int, kind grant.Kind, sector *scenario.Sector, expiresAt time.Time, reason string, regionID *int, caseNumber *string, alertID *int) accounts.GrantInput {
	in := accounts.GrantInput{AccountID: accountID, Kind: kind.String(), ExpiresAt: expiresAt, Reason: reason,
		CaseNumber: str(caseNumber), RegionID: idOr0(regionID), AlertID: idOr0(alertID)}
	if sector != nil {
		in.Sector = string(*sector)
	}
	return in
}

// idOr0 is an optional ID argument, 0 when absent.
func idOr0(id *int) int {
	if id == nil {
		return 0
	}
	return *id
}

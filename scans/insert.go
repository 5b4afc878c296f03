package scans

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/scenario"
)

// insert stores the scans (insertRows) and counts them in the statistics
// rollups in the same transaction (the self-scan's path; a batch counts its
// scans, colour changes and alerts raised at once, batch.rollups).
func (s *Service) insert(ctx context.Context, c *ent.Client, rows []*ent.Scan) error {
	if err := s.insertRows(ctx, c, rows); err != nil {
		return err
	}
	return mashang.Wrap(s.Rollups.ApplyScans(ctx, c, rows), "scans.insert")
}

// insertRows stores the scans of a batch and sets their ids. On PostgreSQL
// the batch is one INSERT … SELECT FROM unnest(…) of 32 array parameters
// (the fast path of recordScans: one parse and plan whatever the batch size,
// instead of ent's multi-row VALUES of 32 × n parameters); elsewhere ent's
// bulk create.
func (s *Service) insertRows(ctx context.Context, c *ent.Client, rows []*ent.Scan) error {
	if s.Dialect == dialect.Postgres {
		return insertUnnest(ctx, c, rows)
	}
	return insertBulk(ctx, c, rows)
}

// categoryOf is a site's category, kept on its scans for the statistics.
func categoryOf(st *ent.Site) *scenario.Category {
	c := st.Category
	return &c
}

// insertBulk stores the scans with ent's bulk create.
func insertBulk(ctx context.Context, c *ent.Client, rows []*ent.Scan) error {
	creates := make([]*ent.ScanCreate, len(rows))
	for i, r := range rows {
		creates[i] = c.Scan.Create().
			SetClientID(r.ClientID).SetAccountID(r.AccountID).SetAccountPath(r.AccountPath).
			SetScannerName(r.ScannerName).
			SetSiteID(r.SiteID).SetSitePath(r.SitePath).SetSiteName(r.SiteName).SetSector(r.Sector).SetNillableCategory(r.Category).
			SetNillablePersonID(r.PersonID).SetMethod(r.Method).
			SetNameMasked(r.NameMasked).SetIDNumberMasked(r.IDNumberMasked).SetNillableIDNumberHash(r.IDNumberHash).
			SetIssuer(r.Issuer).SetSubject(r.Subject).SetNillableColour(r.Colour).
			SetTemperature(r.Temperature).SetFever(r.Fever).SetDecision(r.Decision).
			SetAlertReasons(r.AlertReasons).
			SetNillableDeviceLatitude(r.DeviceLatitude).SetNillableDeviceLongitude(r.DeviceLongitude).
			SetNillableDistanceMetres(r.DistanceMetres).SetNillableDeviceAccuracy(r.DeviceAccuracy).SetFarFix(r.FarFix).
			SetNillableClientTime(r.ClientTime).SetServerTime(r.ServerTime).
			SetNillablePresence(r.Presence).SetIdentityCaptured(r.IdentityCaptured).
			SetIdentitySealed(sealedOf(r.IdentitySealed)).SetReviewReasons(r.ReviewReasons)
	}
	saved, err := c.Scan.CreateBulk(creates...).Save(ctx)
	if err != nil {
		return mashang.Wrap(err, "scans.insertBulk")
	}
	for i := range rows {
		rows[i] = saved[i]
	}
	return nil
}

// unnestInsert is the INSERT of insertUnnest: one array parameter a column
// (the sealed identity as hex text, so that a missing one is NULL).
const unnestInsert = `INSERT INTO "scans" ("client_id", "account_id", "account_path", "scanner_name", "site_id", "site_path", "site_name",
 "sector", "person_id", "method", "name_masked", "id_number_masked", "id_number_hash", "issuer", "subject", "colour",
 "temperature", "fever", "decision", "alert_reasons", "device_latitude", "device_longitude", "distance_metres",
 "client_time", "server_time", "presence", "identity_captured", "identity_sealed", "review_reasons",
 "device_accuracy", "far_fix", "category")
SELECT c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21, c22, c23, c24, c25,
 c26, c27, decode(c28, 'hex'), c29, c30, c31, c32
FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[],
 $8::text[], $9::bigint[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[],
 $17::float8[], $18::bool[], $19::text[], $20::jsonb[], $21::float8[], $22::float8[], $23::float8[],
 $24::timestamptz[], $25::timestamptz[], $26::text[], $27::bool[], $28::text[], $29::jsonb[], $30::float8[], $31::bool[], $32::text[])
 AS u(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21, c22, c23, c24, c25, c26, c27, c28, c29, c30, c31, c32)
RETURNING "id", "client_id"`

// insertUnnest stores the scans in one INSERT … SELECT FROM unnest(…) and
// sets their ids.
func insertUnnest(ctx context.Context, c *ent.Client, rows []*ent.Scan) error {
	args, err := unnestArgs(rows)
	if err != nil {
		return mashang.Wrap(err, "scans.insertUnnest")
	}
	res, err := c.QueryContext(ctx, unnestInsert, args...)
	if err != nil {
		return mashang.Wrap(err, "scans.insertUnnest")
	}
	defer res.Close()
	ids := make(map[string]int, len(rows))
	for res.Next() {
		var id int
		var cid string
		if err := res.Scan(&id, &cid); err != nil {
			return mashang.Wrap(err, "scans.insertUnnest")
		}
		ids[cid] = id
	}
	if err := res.Err(); err != nil {
		return mashang.Wrap(err, "scans.insertUnnest")
	}

	// Client ids are unique within a batch (checked before), so they map
	// the returned ids back whatever order PostgreSQL returns them in.
	for _, r := range rows {
		id, ok := ids[r.ClientID]
		if !ok {
			return fmt.Errorf("scans: insert returned no id for client id %q", r.ClientID)
		}
		r.ID = id
	}
	return nil
}

// unnestArgs are the 32 array parameters of unnestInsert, one element a
// row; NULLs are invalid sql.NullStrings.
func unnestArgs(rows []*ent.Scan) ([]any, error) {
	n := len(rows)
	var (
		clientID, accountPath, scanner, sitePath, siteName, sector, method = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		nameMasked, idMasked, issuer, subject, decision                    = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		accountID, siteID                                                  = make([]int64, n), make([]int64, n)
		temperature                                                        = make([]float64, n)
		fever                                                              = make([]bool, n)
		personID, idHash, colour, reasons, lat, lng, dist, clientTime      = make([]sql.NullString, n), make([]sql.NullString, n), make([]sql.NullString, n), make([]sql.NullString, n), make([]sql.NullString, n), make([]sql.NullString, n), make([]sql.NullString, n), make([]sql.NullString, n)
		serverTime                                                         = make([]string, n)
		presence, sealed, review                                           = make([]sql.NullString, n), make([]sql.NullString, n), make([]sql.NullString, n)
		captured, farFix                                                   = make([]bool, n), make([]bool, n)
		accuracy, category                                                 = make([]sql.NullString, n), make([]sql.NullString, n)
	)
	text := func(f *float64) sql.NullString {
		if f == nil {
			return sql.NullString{}
		}
		return sql.NullString{String: fmt.Sprint(*f), Valid: true}
	}
	for i, r := range rows {
		clientID[i], accountID[i], accountPath[i], scanner[i] = r.ClientID, int64(r.AccountID), r.AccountPath, r.ScannerName
		siteID[i], sitePath[i], siteName[i], sector[i] = int64(r.SiteID), r.SitePath, r.SiteName, string(r.Sector)
		method[i], nameMasked[i], idMasked[i], issuer[i], subject[i] = r.Method.String(), r.NameMasked, r.IDNumberMasked, r.Issuer, r.Subject
		temperature[i], fever[i], decision[i] = r.Temperature, r.Fever, r.Decision.String()
		if r.PersonID != nil {
			personID[i] = sql.NullString{String: fmt.Sprint(*r.PersonID), Valid: true}
		}
		if r.IDNumberHash != nil {
			idHash[i] = sql.NullString{String: *r.IDNumberHash, Valid: true}
		}
		if r.Colour != nil {
			colour[i] = sql.NullString{String: r.Colour.String(), Valid: true}
		}
		if r.AlertReasons != nil {
			b, err := json.Marshal(r.AlertReasons)
			if err != nil {
				return nil, mashang.Wrap(err, "scans.unnestArgs")
			}
			reasons[i] = sql.NullString{String: string(b), Valid: true}
		}
		lat[i], lng[i], dist[i] = text(r.DeviceLatitude), text(r.DeviceLongitude), text(r.DistanceMetres)
		accuracy[i], farFix[i] = text(r.DeviceAccuracy), r.FarFix
		if r.ClientTime != nil {
			clientTime[i] = sql.NullString{String: r.ClientTime.UTC().Format(time.RFC3339Nano), Valid: true}
		}
		serverTime[i] = r.ServerTime.UTC().Format(time.RFC3339Nano)
		if r.Presence != nil {
			presence[i] = sql.NullString{String: r.Presence.String(), Valid: true}
		}
		captured[i] = r.IdentityCaptured
		if r.Category != nil {
			category[i] = sql.NullString{String: string(*r.Category), Valid: true}
		}
		if r.IdentitySealed != nil {
			sealed[i] = sql.NullString{String: hex.EncodeToString(*r.IdentitySealed), Valid: true}
		}
		if r.ReviewReasons != nil {
			b, err := json.Marshal(r.ReviewReasons)
			if err != nil {
				return nil, mashang.Wrap(err, "scans.unnestArgs")
			}
			review[i] = sql.NullString{String: string(b), Valid: true}
		}
	}
	return []any{
		pq.Array(clientID), pq.Array(accountID), pq.Array(accountPath), pq.Array(scanner), pq.Array(siteID), pq.Array(sitePath), pq.Array(siteName),
		pq.Array(sector), pq.Array(personID), pq.Array(method), pq.Array(nameMasked), pq.Array(idMasked), pq.Array(idHash), pq.Array(issuer), pq.Array(subject), pq.Array(colour),
		pq.Array(temperature), pq.Array(fever), pq.Array(decision), pq.Array(reasons), pq.Array(lat), pq.Array(lng), pq.Array(dist),
		pq.Array(clientTime), pq.Array(serverTime), pq.Array(presence), pq.Array(captured), pq.Array(sealed), pq.Array(review),
		pq.Array(accuracy), pq.Array(farFix), pq.Array(category),
	}, nil
}

// sealedOf is the sealed identity to store: nil (NULL) when there is none.
func sealedOf(b *[]byte) []byte {
	if b == nil {
		return nil
	}
	return *b
}

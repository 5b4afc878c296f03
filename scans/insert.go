package scans

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"entgo.io/ent/dialect"

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
// row, as PostgreSQL array literals built directly (pq.Array over
// sql.NullString goes through reflection for every element, a tenth of a
// batch's CPU, issue 15 point 3).
func unnestArgs(rows []*ent.Scan) ([]any, error) {
	var cols [32]arrayText
	for i := range cols {
		cols[i].b = append(make([]byte, 0, 16*len(rows)+2), '{')
	}
	for _, r := range rows {
		cols[0].str(r.ClientID)
		cols[1].int(int64(r.AccountID))
		cols[2].str(r.AccountPath)
		cols[3].str(r.ScannerName)
		cols[4].int(int64(r.SiteID))
		cols[5].str(r.SitePath)
		cols[6].str(r.SiteName)
		cols[7].str(string(r.Sector))
		if r.PersonID != nil {
			cols[8].int(int64(*r.PersonID))
		} else {
			cols[8].null()
		}
		cols[9].str(r.Method.String())
		cols[10].str(r.NameMasked)
		cols[11].str(r.IDNumberMasked)
		cols[12].strp(r.IDNumberHash)
		cols[13].str(r.Issuer)
		cols[14].str(r.Subject)
		if r.Colour != nil {
			cols[15].str(r.Colour.String())
		} else {
			cols[15].null()
		}
		cols[16].float(&r.Temperature)
		cols[17].bool(r.Fever)
		cols[18].str(r.Decision.String())
		if err := cols[19].json(r.AlertReasons); err != nil {
			return nil, mashang.Wrap(err, "scans.unnestArgs")
		}
		cols[20].float(r.DeviceLatitude)
		cols[21].float(r.DeviceLongitude)
		cols[22].float(r.DistanceMetres)
		cols[23].time(r.ClientTime)
		cols[24].time(&r.ServerTime)
		if r.Presence != nil {
			cols[25].str(r.Presence.String())
		} else {
			cols[25].null()
		}
		cols[26].bool(r.IdentityCaptured)
		if r.IdentitySealed != nil {
			cols[27].str(hex.EncodeToString(*r.IdentitySealed))
		} else {
			cols[27].null()
		}
		if err := cols[28].json(r.ReviewReasons); err != nil {
			return nil, mashang.Wrap(err, "scans.unnestArgs")
		}
		cols[29].float(r.DeviceAccuracy)
		cols[30].bool(r.FarFix)
		if r.Category != nil {
			cols[31].str(string(*r.Category))
		} else {
			cols[31].null()
		}
	}
	args := make([]any, len(cols))
	for i := range cols {
		args[i] = string(append(cols[i].b, '}'))
	}
	return args, nil
}

// arrayText builds the text of a one-dimensional PostgreSQL array, element
// by element: strings quoted and escaped as lib/pq quotes them, NULL bare.
type arrayText struct{ b []byte }

func (a *arrayText) next() {
	if len(a.b) > 1 {
		a.b = append(a.b, ',')
	}
}

func (a *arrayText) null() {
	a.next()
	a.b = append(a.b, "NULL"...)
}

func (a *arrayText) str(s string) {
	a.next()
	a.b = append(a.b, '"')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' {
			a.b = append(a.b, '\\')
		}
		a.b = append(a.b, s[i])
	}
	a.b = append(a.b, '"')
}

func (a *arrayText) strp(s *string) {
	if s == nil {
		a.null()
		return
	}
	a.str(*s)
}

func (a *arrayText) int(n int64) {
	a.next()
	a.b = strconv.AppendInt(a.b, n, 10)
}

// float writes f in the shortest form that reads back as the same float8.
func (a *arrayText) float(f *float64) {
	if f == nil {
		a.null()
		return
	}
	a.next()
	a.b = strconv.AppendFloat(a.b, *f, 'g', -1, 64)
}

func (a *arrayText) bool(v bool) {
	a.next()
	if v {
		a.b = append(a.b, 't')
	} else {
		a.b = append(a.b, 'f')
	}
}

func (a *arrayText) time(t *time.Time) {
	if t == nil {
		a.null()
		return
	}
	a.next()
	a.b = append(a.b, '"')
	a.b = t.UTC().AppendFormat(a.b, time.RFC3339Nano)
	a.b = append(a.b, '"')
}

// json writes v as a JSON element; a nil slice is NULL.
func (a *arrayText) json(v []string) error {
	if v == nil {
		a.null()
		return nil
	}
	j, err := json.Marshal(v)
	if err != nil {
		return err
	}
	a.str(string(j))
	return nil
}

// sealedOf is the sealed identity to store: nil (NULL) when there is none.
func sealedOf(b *[]byte) []byte {
	if b == nil {
		return nil
	}
	return *b
}

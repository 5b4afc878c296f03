package graph

import (
	"context"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/audit"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/controllist"
	"github.com/mashang/mashang/door"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/importjob"
	entperson "github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/ent/predicate"
	"github.com/mashang/mashang/ent/scan"
	"github.com/mashang/mashang/graph/model"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/scans"
	"github.com/mashang/mashang/token"
)

// personFor finds the person a citizen-facing call acts for: the person of
// the personToken, or a person the viewer's scope filter shows (officials
// and grid workers act for the residents of their region).
// SECURITY: an anonymous caller reaches a person only through its token.
func (r *Resolver) personFor(ctx context.Context, secret *string, id *int) (*ent.Person, error) {
	if secret != nil && *secret != "" {
		return r.Persons.BySecret(authz.AsSystem(ctx), *secret)
	}
	if id == nil {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "personToken", "Give the personToken from registration, or (as an official or grid worker) the person's id.")
	}
	if mashang.ViewerFromContext(ctx) == nil {
		return nil, mashang.Errorf(mashang.EUNAUTHENTICATED, "Give the personToken from registration, or log in to act for a resident.")
	}
	p, err := r.client.Person.Get(ctx, *id) // filtered by the viewer's scope
	if ent.IsNotFound(err) {
		return nil, mashang.FieldErrorf(mashang.ENOTFOUND, "person", "No person %d among the residents you may see.", *id)
	}
	return p, err
}

// personInScope loads a person for a Casbin-checked action at the person's
// residence (unfiltered: Casbin decides by the residence path), with the
// viewer acting.
func (r *Resolver) personInScope(ctx context.Context, id int, obj, act string) (*mashang.Viewer, *ent.Person, error) {
	v, err := requireViewer(ctx)
	if err != nil {
		return nil, nil, err
	}
	p, err := r.client.Person.Get(authz.AsSystem(ctx), id)
	if ent.IsNotFound(err) {
		return nil, nil, mashang.FieldErrorf(mashang.ENOTFOUND, "person", "No person %d.", id)
	}
	if err != nil {
		return nil, nil, err
	}
	// SECURITY: the person's residence must be within the official's reach.
	if err := r.Enforcer.Check(v, obj, act, p.ResidencePath, r.Now()); err != nil {
		return nil, nil, err
	}
	return v, p, nil
}

func (r *Resolver) healthCode(kind token.Kind, subject uint64, colour token.Colour, ttlMinutes *int, def int) (*model.HealthCode, error) {
	if r.Signer == nil {
		return nil, mashang.Errorf(mashang.EUNAVAILABLE, "This deployment has no code signing key configured (MASHANG_CODE_SIGNING_KEY).")
	}
	ttl := def
	if ttlMinutes != nil {
		ttl = *ttlMinutes
	}
	if ttl < 1 || ttl > 1440 {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "ttlMinutes", "A code lives 1 to 1440 minutes.")
	}
	tok, cl, err := r.Signer.Issue(kind, subject, colour, time.Duration(ttl)*time.Minute, r.Now())
	if err != nil {
		return nil, err
	}
	png, err := token.PNG(tok, 320)
	if err != nil {
		return nil, err
	}
	svg, err := token.SVG(tok)
	if err != nil {
		return nil, err
	}
	out := &model.HealthCode{Token: tok, Issuer: cl.Issuer, KeyID: int(cl.KeyID), IssuedAt: cl.IssuedAt, ExpiresAt: cl.ExpiresAt,
		PngBase64: base64.StdEncoding.EncodeToString(png), SVG: svg}
	if kind == token.KindPerson {
		c := entperson.Colour(cl.Colour.String())
		out.Colour = &c
	}
	return out, nil
}

func scanItem(in *model.ScanInput) scans.Item {
	it := scans.Item{ClientID: in.ClientID, SiteID: in.Site, Method: door.Method(in.Method),
		Temperature: in.Temperature, DeviceLat: in.Latitude, DeviceLng: in.Longitude, ClientTime: in.ClientTime}
	if in.Token != nil {
		it.Token = *in.Token
	}
	if in.SiteCode != nil {
		it.SiteCode = *in.SiteCode
	}
	if in.Person != nil {
		it.PersonID = *in.Person
	}
	if in.Colour != nil {
		it.Colour = in.Colour.String()
	}
	if m := in.Manual; m != nil {
		mp := &scans.ManualPerson{Name: m.Name, IDNumber: m.IDNumber}
		if m.IDType != nil {
			mp.IDType = m.IDType.String()
		}
		if m.Phone != nil {
			mp.Phone = *m.Phone
		}
		it.Manual = mp
	}
	return it
}

func itemError(err error) *model.ItemError {
	if err == nil {
		return nil
	}
	e := &model.ItemError{Code: mashang.ErrorCode(err), Message: mashang.ErrorMessage(err)}
	var me *mashang.Error
	if ok := errors.As(err, &me); ok && me.Field != "" {
		f := me.Field
		e.Field = &f
	}
	return e
}

// readUpload reads an uploaded control list, or its base64 bytes.
func readUpload(file *graphql.Upload, filename, b64 *string, max int) (string, []byte, error) {
	switch {
	case file != nil:
		b, err := io.ReadAll(io.LimitReader(file.File, int64(max)+1))
		if err != nil {
			return "", nil, mashang.FieldErrorf(mashang.EINVALID, "file", "The upload could not be read: send it again.")
		}
		name := file.Filename
		if filename != nil && *filename != "" {
			name = *filename
		}
		return name, b, nil
	case b64 != nil:
		if filename == nil || *filename == "" {
			return "", nil, mashang.FieldErrorf(mashang.EINVALID, "filename", "Give the file name (….csv or ….xlsx) with contentBase64.")
		}
		b, err := base64.StdEncoding.DecodeString(*b64)
		if err != nil {
			return "", nil, mashang.FieldErrorf(mashang.EINVALID, "contentBase64", "contentBase64 is not valid base64.")
		}
		return *filename, b, nil
	}
	return "", nil, mashang.FieldErrorf(mashang.EINVALID, "file", "Send the control list as file (an Upload) or as contentBase64 with filename.")
}

// importJobsOf queries the control list jobs v may see: those it submitted
// (any for the INITIATOR). Run it AsSystem: jobs are not scope-filtered.
func (r *Resolver) importJobsOf(v *mashang.Viewer) *ent.ImportJobQuery {
	q := r.client.ImportJob.Query()
	if v.Role != mashang.RoleInitiator {
		q.Where(importjob.SubmittedByID(v.AccountID))
	}
	return q
}

// importJob loads a job the viewer may see, nil when there is none.
func (r *Resolver) importJob(ctx context.Context, id int) (*ent.ImportJob, error) {
	v, err := requireViewer(ctx)
	if err != nil {
		return nil, err
	}
	j, err := r.importJobsOf(v).Where(importjob.ID(id)).Only(authz.AsSystem(ctx))
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return j, err
}

// traced checks the TRACER grant, loads the person unfiltered (a tracer
// follows a person anywhere in the province) and audits the use.
func (r *Resolver) traced(ctx context.Context, action string, personID int, from, to time.Time, extra map[string]any) (*ent.Person, error) {
	v, err := requireViewer(ctx)
	if err != nil {
		return nil, err
	}
	// SECURITY: tracing needs an unexpired TRACER grant (seed 001 §11).
	if err := r.Enforcer.Check(v, authz.ObjPerson, authz.ActTrace, "", r.Now()); err != nil {
		return nil, mashang.Errorf(mashang.EFORBIDDEN, "Tracing needs a TRACER grant from the province (giveGrant); yours is missing or has expired.")
	}
	if !to.After(from) || to.Sub(from) > 62*24*time.Hour {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "to", "Give a time range of at most 62 days with from before to.")
	}
	sys := authz.AsSystem(ctx)
	p, err := r.client.Person.Get(sys, personID)
	if ent.IsNotFound(err) {
		return nil, mashang.FieldErrorf(mashang.ENOTFOUND, "person", "No person %d.", personID)
	}
	if err != nil {
		return nil, err
	}
	detail := map[string]any{"from": from.UTC().Format(time.RFC3339), "to": to.UTC().Format(time.RFC3339)}
	for k, val := range extra {
		detail[k] = val
	}
	acct := v.AccountID
	if err := audit.Record(sys, r.client, audit.Event{AccountID: &acct, Action: action,
		Target: "person:" + strconv.Itoa(p.ID), Detail: detail}, r.Now()); err != nil {
		return nil, err
	}
	return p, nil
}

// maxTrace bounds a trajectory's rows.
const maxTrace = 5000

func (r *Resolver) trajectory(ctx context.Context, p *ent.Person, from, to time.Time) ([]*ent.Scan, error) {
	return r.client.Scan.Query().Where(
		scan.Or(scan.PersonID(p.ID), scan.IDNumberHash(p.IDNumberHash)),
		scan.ServerTimeGTE(from), scan.ServerTimeLT(to),
	).Order(ent.Asc(scan.FieldServerTime), ent.Asc(scan.FieldID)).Limit(maxTrace).All(authz.AsSystem(ctx))
}

func trajectoryCSV(rows []*ent.Scan) string {
	records := [][]string{{"time", "site", "method", "colour", "temperature", "decision", "scanner", "issuer"}}
	for _, s := range rows {
		colour := ""
		if s.Colour != nil {
			colour = s.Colour.String()
		}
		records = append(records, []string{s.ServerTime.UTC().Format(time.RFC3339), s.SiteName, s.Method.String(), colour,
			strconv.FormatFloat(s.Temperature, 'f', 1, 64), s.Decision.String(), s.ScannerName, s.Issuer})
	}
	return csvText(records)
}

func (r *Resolver) contacts(ctx context.Context, p *ent.Person, own []*ent.Scan, window time.Duration) ([]*model.Contact, error) {
	sys := authz.AsSystem(ctx)
	bySite := map[int][]*ent.Scan{}
	for _, s := range own {
		bySite[s.SiteID] = append(bySite[s.SiteID], s)
	}
	var out []*model.Contact
	var contactPerson []int // the registered person of out[i], 0 when none
	seen := map[int]bool{}
	var personIDs []int
	// One query per 100 of the person's scans: each a range on the
	// (site_id, server_time) index.
	for start := 0; start < len(own) && len(out) < maxTrace; start += 100 {
		chunk := own[start:min(start+100, len(own))]
		around := make([]predicate.Scan, len(chunk))
		for i, s := range chunk {
			around[i] = scan.And(scan.SiteID(s.SiteID),
				scan.ServerTimeGTE(s.ServerTime.Add(-window)), scan.ServerTimeLTE(s.ServerTime.Add(window)))
		}
		others, err := r.client.Scan.Query().Where(
			scan.Or(around...),
			scan.Or(scan.PersonIDIsNil(), scan.PersonIDNEQ(p.ID)),
			scan.Or(scan.IDNumberHashIsNil(), scan.IDNumberHashNEQ(p.IDNumberHash)),
		).Order(ent.Asc(scan.FieldServerTime), ent.Asc(scan.FieldID)).Limit(maxTrace).All(sys)
		if err != nil {
			return nil, err
		}
		for _, o := range others {
			if seen[o.ID] {
				continue
			}
			// The person's scan at that site nearest in time.
			var near *ent.Scan
			for _, s := range bySite[o.SiteID] {
				if near == nil || absDuration(o.ServerTime.Sub(s.ServerTime)) < absDuration(o.ServerTime.Sub(near.ServerTime)) {
					near = s
				}
			}
			if near == nil || absDuration(o.ServerTime.Sub(near.ServerTime)) > window {
				continue
			}
			seen[o.ID] = true
			out = append(out, &model.Contact{NameMasked: o.NameMasked, IDNumberMasked: o.IDNumberMasked, SiteName: o.SiteName,
				At: o.ServerTime, PersonAt: near.ServerTime, MinutesApart: absMinutes(o.ServerTime.Sub(near.ServerTime))})
			pid := 0
			if o.PersonID != nil {
				pid = *o.PersonID
				personIDs = append(personIDs, pid)
			}
			contactPerson = append(contactPerson, pid)
			if len(out) >= maxTrace {
				break
			}
		}
	}
	if len(personIDs) > 0 {
		ps, err := r.client.Person.Query().Where(entperson.IDIn(personIDs...)).All(sys)
		if err != nil {
			return nil, err
		}
		byID := make(map[int]*ent.Person, len(ps))
		for _, x := range ps {
			byID[x.ID] = x
		}
		for i, c := range out {
			c.Person = byID[contactPerson[i]]
		}
	}
	return out, nil
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func absMinutes(d time.Duration) float64 {
	return float64(absDuration(d).Round(time.Second)) / float64(time.Minute)
}

func contactsCSV(cs []*model.Contact) string {
	records := [][]string{{"name", "id_number", "site", "contact_time", "person_time", "minutes_apart"}}
	for _, c := range cs {
		records = append(records, []string{c.NameMasked, c.IDNumberMasked, c.SiteName, c.At.UTC().Format(time.RFC3339),
			c.PersonAt.UTC().Format(time.RFC3339), strconv.FormatFloat(c.MinutesApart, 'f', 1, 64)})
	}
	return csvText(records)
}

// csvText renders the records of a tracing export as CSV text.
func csvText(records [][]string) string {
	var b strings.Builder
	_ = csv.NewWriter(&b).WriteAll(records) // a strings.Builder does not fail
	return b.String()
}

// uploadLimit is the largest control list accepted (controllist's default
// when unset).
func uploadLimit(n int) int {
	if n <= 0 {
		return controllist.DefaultMaxBytes
	}
	return n
}

// identity unseals a person's name, ID and phone for a PII_VIEWER and
// audits the read (DESIGN §8: unmasking needs a grant and writes an audit
// event). Without the grant the field is null with a FORBIDDEN error.
// SECURITY: the only field that returns personal data in clear.
func (r *Resolver) identity(ctx context.Context, p *ent.Person) (*model.PersonIdentity, error) {
	v, err := requireViewer(ctx)
	if err != nil {
		return nil, err
	}
	if err := r.Enforcer.Check(v, authz.ObjPerson, authz.ActUnmask, p.ResidencePath, r.Now()); err != nil {
		return nil, mashang.Errorf(mashang.EFORBIDDEN, "Personal data in clear needs a PII_VIEWER grant from the province (giveGrant); yours is missing or has expired.")
	}
	sys := authz.AsSystem(ctx)
	full, err := r.client.Person.Get(sys, p.ID) // the sealed columns are not in every loaded row
	if err != nil {
		return nil, err
	}
	box := r.Deps.Persons.Box
	id, err := box.Open(pii.FieldIDNumber, full.IDNumberSealed)
	if err != nil {
		return nil, err
	}
	out := &model.PersonIdentity{Name: full.Name, IDNumber: id}
	if full.PhoneSealed != nil && len(*full.PhoneSealed) > 0 {
		ph, err := box.Open(pii.FieldPhone, *full.PhoneSealed)
		if err != nil {
			return nil, err
		}
		out.Phone = &ph
	}
	acct := v.AccountID
	if err := audit.Record(sys, r.client, audit.Event{AccountID: &acct, Action: "unmaskPerson",
		Target: "person:" + strconv.Itoa(p.ID), Detail: map[string]any{"fields": []string{"name", "idNumber", "phone"}}}, r.Now()); err != nil {
		return nil, err
	}
	return out, nil
}

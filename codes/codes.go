// Package codes issues the QR codes of DESIGN.md §7: a person's health code
// (a short-lived signed token carrying the person's colour, seed 001 §4
// “吉祥码”) and a site's code (场所码) that residents self-scan (seed 003
// §二(一)). The tokens are signed by package token; this package decides
// who may have which code.
package codes

import (
	"context"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/persons"
	"github.com/mashang/mashang/token"
)

// Lifetimes of a code in minutes when the caller gives none, and the
// longest a caller may ask for. A person's code lives minutes (DESIGN §7):
// at most the signer's limit (token.Signer.PersonMaxTTL, configured by
// MASHANG_PERSON_CODE_MAX_MINUTES, never more than token.MaxPersonTTL, and
// published with the keys), so the colour it carries is never hours stale
// when another province reads it. A site's code is posted on a wall and may
// live a day.
const (
	DefaultPersonTTL = 5
	DefaultSiteTTL   = 1440
	MaxSiteTTL       = 1440
	// DefaultRotateMinutes is how long a site's rotating code (shown on a
	// screen at the door) lives when MASHANG_SITE_CODE_ROTATE_MINUTES is
	// not set (issue 11, point 7: a forwarded photo of it is soon useless).
	DefaultRotateMinutes = 5
)

// Service issues codes.
type Service struct {
	// Client is the API's client (with the scope filter installed); the
	// request's transaction in the context is preferred.
	Client   *ent.Client
	Enforcer *authz.Enforcer
	Persons  *persons.Service
	// Signer signs this deployment's codes; nil: none configured, and every
	// issue is UNAVAILABLE.
	Signer *token.Signer
	Now    func() time.Time // time.Now when nil
	// RotateMinutes is the life of a site's rotating code; 0 means
	// DefaultRotateMinutes.
	RotateMinutes int
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Code is an issued code: the signed token, its claims, and the QR code
// as a PNG image and as an SVG document.
type Code struct {
	Token  string
	Claims token.Claims
	PNG    []byte
	SVG    string
}

// ForPerson issues the health code of the person ref names, with the
// person's colour, valid ttlMinutes (nil: DefaultPersonTTL).
// SECURITY: the caller reaches the person only as persons.Service.Holder
// allows: with the person's own token, or as an official or grid worker of
// the person's residence.
func (s *Service) ForPerson(ctx context.Context, ref persons.Ref, ttlMinutes *int) (*Code, error) {
	p, err := s.Persons.Holder(ctx, ref)
	if err != nil {
		return nil, mashang.Wrap(err, "codes.ForPerson")
	}
	colour, err := token.ParseColour(p.Colour.String())
	if err != nil {
		return nil, mashang.Wrap(err, "codes.ForPerson")
	}
	// seed 004 §二(五): the code carries the 7-day test (issue 11, point 10).
	tested, err := s.Persons.HasValidTest(ctx, p)
	if err != nil {
		return nil, mashang.Wrap(err, "codes.ForPerson")
	}
	return s.issue(token.KindPerson, uint64(p.ID), colour, tested, ttlMinutes)
}

// ForSite issues the code of a site for self-scan, valid ttlMinutes (nil:
// DefaultSiteTTL).
// SECURITY: the site is looked up through the viewer's scope filter (a site
// outside it is NOT_FOUND), and only who may update the site or record
// scans at it shows its code.
func (s *Service) ForSite(ctx context.Context, siteID int, ttlMinutes *int) (*Code, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	st, err := database.ClientFrom(ctx, s.Client).Site.Get(ctx, siteID)
	if ent.IsNotFound(err) {
		return nil, mashang.FieldErrorf(mashang.ENOTFOUND, "site", "No site %d in your scope.", siteID)
	}
	if err != nil {
		return nil, mashang.Wrap(err, "codes.ForSite")
	}
	now := s.now()
	// SECURITY: the site's managers (site/update) and its scanners
	// (scan/record) only; officials and grid workers have neither line.
	if !s.Enforcer.Can(v, authz.ObjSite, authz.ActUpdate, st.Path, now) && !s.Enforcer.Can(v, authz.ObjScan, authz.ActRecord, st.Path, now) {
		return nil, mashang.Errorf(mashang.EFORBIDDEN, "Only the site's managers and its scanners may show the site's code.")
	}
	return s.issue(token.KindSite, uint64(st.ID), token.ColourNone, false, ttlMinutes)
}

// RotatingForSite issues the site's rotating code for a screen at the door:
// a site code that lives RotateMinutes (issue 11, point 7). A self-scan
// accepts it without the phone's location, so a forwarded photo of it
// works only for minutes.
// SECURITY: as ForSite: the site's managers and its scanners only
// (TestAnExpiredRotatingSiteCodeIsRefused shows an official refused).
func (s *Service) RotatingForSite(ctx context.Context, siteID int) (*Code, error) {
	m := s.RotateMinutes
	if m <= 0 {
		m = DefaultRotateMinutes
	}
	return s.ForSite(ctx, siteID, &m)
}

// PersonMaxMinutes is the longest a person's code issued here lives.
func (s *Service) PersonMaxMinutes() int {
	if s.Signer == nil {
		return int(token.MaxPersonTTL / time.Minute)
	}
	return int(s.Signer.PersonTTLLimit() / time.Minute)
}

// issue signs a code of kind for subject and renders its QR code.
func (s *Service) issue(kind token.Kind, subject uint64, colour token.Colour, tested bool, ttlMinutes *int) (*Code, error) {
	if s.Signer == nil {
		return nil, mashang.Errorf(mashang.EUNAVAILABLE, "This deployment has no code signing key configured (MASHANG_CODE_SIGNING_KEY).")
	}
	ttl, limit := DefaultSiteTTL, MaxSiteTTL
	if kind == token.KindPerson {
		limit = s.PersonMaxMinutes()
		ttl = min(DefaultPersonTTL, limit)
	}
	if ttlMinutes != nil {
		ttl = *ttlMinutes
	}
	if ttl < 1 || ttl > limit {
		if kind == token.KindPerson {
			// DESIGN §7: a person's code lives minutes, the holder's choice capped.
			return nil, mashang.FieldErrorf(mashang.EINVALID, "ttlMinutes", "A person's code lives 1 to %d minutes on this deployment.", limit)
		}
		return nil, mashang.FieldErrorf(mashang.EINVALID, "ttlMinutes", "A code lives 1 to 1440 minutes.")
	}
	tok, cl, err := s.Signer.IssueTested(kind, subject, colour, tested, time.Duration(ttl)*time.Minute, s.now())
	if err != nil {
		return nil, mashang.Wrap(err, "codes.issue")
	}
	png, err := token.PNG(tok, 320)
	if err != nil {
		return nil, mashang.Wrap(err, "codes.issue")
	}
	svg, err := token.SVG(tok)
	if err != nil {
		return nil, mashang.Wrap(err, "codes.issue")
	}
	return &Code{Token: tok, Claims: cl, PNG: png, SVG: svg}, nil
}

package graph

import (
	"encoding/base64"
	"time"

	"github.com/mashang/mashang"
	entperson "github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/graph/model"
	"github.com/mashang/mashang/token"
)

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

package graph

import (
	"encoding/base64"

	"github.com/mashang/mashang/codes"
	"github.com/mashang/mashang/graph/model"
	"github.com/mashang/mashang/scenario"
	"github.com/mashang/mashang/token"
)

// healthCode is the API's view of an issued code: a person's code carries
// its colour, a site's none.
func healthCode(c *codes.Code) *model.HealthCode {
	cl := c.Claims
	out := &model.HealthCode{Token: c.Token, Issuer: cl.Issuer, KeyID: int(cl.KeyID), IssuedAt: cl.IssuedAt, ExpiresAt: cl.ExpiresAt,
		PngBase64: base64.StdEncoding.EncodeToString(c.PNG), SVG: c.SVG}
	if cl.Kind == token.KindPerson {
		colour := scenario.Colour(cl.Colour.String())
		out.Colour = &colour
		out.RecentTest = cl.RecentTest
	}
	return out
}

package persons

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/person"
)

// SecretPrefix starts every person credential.
const SecretPrefix = "msp_"

const fieldSecret = "person_secret"

// IssueSecret gives the person a new self-service credential and returns
// it; only its keyed hash is stored, so it is shown once. A new one
// replaces the old (a lost phone). The system acts: callers give it the
// person they have just registered (RegisterWithToken).
func (s *Service) IssueSecret(ctx context.Context, p *ent.Person) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", mashang.Wrap(err, "persons.IssueSecret")
	}
	secret := SecretPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	c := database.ClientFrom(ctx, s.Client)
	if err := c.Person.UpdateOneID(p.ID).SetSecretHash(s.Box.Hash(fieldSecret, secret)).Exec(asSystem(ctx)); err != nil {
		return "", mashang.Wrap(err, "persons.IssueSecret")
	}
	return secret, nil
}

// BySecret returns the person whose credential this is.
// SECURITY: the only way an anonymous caller acts for a person; a wrong
// credential is UNAUTHENTICATED and says nothing about any person. The
// system looks the person up (there is no viewer yet: the credential is
// what establishes who acts).
func (s *Service) BySecret(ctx context.Context, secret string) (*ent.Person, error) {
	if !strings.HasPrefix(secret, SecretPrefix) || len(secret) > 100 {
		return nil, mashang.FieldErrorf(mashang.EUNAUTHENTICATED, "personToken", "This personToken is not valid: use the one given at registration.")
	}
	p, err := database.ClientFrom(ctx, s.Client).Person.Query().
		Where(person.SecretHash(s.Box.Hash(fieldSecret, secret))).Only(asSystem(ctx))
	if ent.IsNotFound(err) {
		return nil, mashang.FieldErrorf(mashang.EUNAUTHENTICATED, "personToken", "This personToken is not valid: use the one given at registration.")
	}
	return p, mashang.Wrap(err, "persons.BySecret")
}

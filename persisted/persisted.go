// Package persisted keeps the trusted documents of the API (issue 12, point
// 6: "a ministry can register a persisted query by name (stored in the
// database, admin-approved) and call it by id"). A ministry's account
// registers a GraphQL query by name; the province INITIATOR approves or
// rejects it, and may revoke it later; clients then send only its id (the
// SHA-256 of its text) and the server runs the approved text.
//
// A trusted document grants nothing: it runs with the caller's own role,
// scope and grants, exactly as if the caller had sent its text. What
// approval buys is that dashboards keep working by id, that the province
// knows which queries ministries depend on (and sees at once which no
// longer fit the schema when it evolves), and that metrics name them.
package persisted

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/audit"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/persistedquery"
)

// MaxDocumentBytes bounds a document's text: a dashboard's queries fit in
// a few KiB, and every call by id costs a read of it.
// ent/schema.PersistedQueryMaxRunes is the same bound on the column.
const MaxDocumentBytes = 16384

// MaxNameLen bounds a name, which becomes a metric label.
const MaxNameLen = 64

// Decision is what the INITIATOR decides about a document.
type Decision string

// Decisions: approve or reject a pending document, revoke an approved one.
const (
	Approve Decision = "APPROVE"
	Reject  Decision = "REJECT"
	Revoke  Decision = "REVOKE"
)

// Service registers and decides trusted documents and finds approved ones.
type Service struct {
	Client   *ent.Client
	Enforcer *authz.Enforcer
	// Schema validates documents: when registered and when called.
	Schema *ast.Schema
	Now    func() time.Time

	// valid remembers the ids of documents found valid: the schema does
	// not change while the process runs, so neither does their validity.
	valid sync.Map
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// ID is the id a document is called by: the hex SHA-256 of its text, as
// Apollo's persisted queries and GraphQL-over-HTTP trusted documents
// ("sha256:<hex>") name it.
func ID(document string) string {
	sum := sha256.Sum256([]byte(document))
	return hex.EncodeToString(sum[:])
}

// Register stores document under name, PENDING the INITIATOR's decision.
// The document must be one or more queries (no mutation or subscription:
// a dashboard reads) that validate against the schema now.
// SECURITY: only the roles of policy.csv's persistedquery register lines
// (INITIATOR, SENIOR, OFFICIAL) register
// (TestAScannerCannotRegisterATrustedDocument).
func (s *Service) Register(ctx context.Context, name, document string) (*ent.PersistedQuery, error) {
	v := mashang.ViewerFromContext(ctx)
	if v == nil {
		return nil, mashang.Errorf(mashang.EUNAUTHENTICATED, "Log in first.")
	}
	now := s.now()
	// SECURITY: keeps out scanners and grid workers (TestAScannerCannotRegisterATrustedDocument).
	if err := s.Enforcer.Check(v, authz.ObjPersistedQuery, authz.ActRegister, v.ScopePath, now); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if err := checkName(name); err != nil {
		return nil, err
	}
	if len(document) > MaxDocumentBytes {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "document", "The document has %d bytes; a trusted document may have at most %d.", len(document), MaxDocumentBytes)
	}
	if err := s.validate(document, "document"); err != nil {
		return nil, err
	}
	id := ID(document)
	var pq *ent.PersistedQuery
	err := database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		// Others' documents are out of the caller's sight: the system looks.
		sys := authz.AsSystem(ctx)
		if taken, err := c.PersistedQuery.Query().Where(persistedquery.Name(name)).Exist(sys); err != nil {
			return err
		} else if taken {
			return mashang.FieldErrorf(mashang.ECONFLICT, "name", "The name %s is taken: choose another (for a new version, e.g. %s-v2).", name, name)
		}
		if dup, err := c.PersistedQuery.Query().Where(persistedquery.Sha256(id)).Exist(sys); err != nil {
			return err
		} else if dup {
			return mashang.FieldErrorf(mashang.ECONFLICT, "document", "This exact document is registered already (id sha256:%s).", id)
		}
		var err error
		pq, err = c.PersistedQuery.Create().SetName(name).SetDocument(document).SetSha256(id).
			SetOwnerID(v.AccountID).SetCreatedAt(now).SetUpdatedAt(now).Save(sys)
		if err != nil {
			return err
		}
		return audit.Record(sys, c, audit.Event{AccountID: &v.AccountID, Action: "registerPersistedQuery",
			Target: "persistedQuery:" + strconv.Itoa(pq.ID), Detail: map[string]any{"name": name, "sha256": id, "bytes": len(document)}}, now)
	})
	if err != nil {
		return nil, mashang.Wrap(err, "persisted.Register")
	}
	return pq, nil
}

// checkName keeps names to what a metric label and a URL carry plainly.
func checkName(name string) error {
	if name == "" || len(name) > MaxNameLen {
		return mashang.FieldErrorf(mashang.EINVALID, "name", "A name has 1 to %d characters: letters, digits, '-', '_' and '.'.", MaxNameLen)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return mashang.FieldErrorf(mashang.EINVALID, "name", "A name has 1 to %d characters: letters, digits, '-', '_' and '.'.", MaxNameLen)
		}
	}
	return nil
}

// validate parses and validates document against the schema; the error
// names field and carries the first problems in gqlparser's words.
func (s *Service) validate(document, field string) error {
	doc, errs := gqlparser.LoadQueryWithRules(s.Schema, document, nil)
	if len(errs) > 0 {
		return mashang.FieldErrorf(mashang.EINVALID, field, "The document does not fit the schema: %s", problems(errs.Error()))
	}
	for _, op := range doc.Operations {
		if op.Operation != ast.Query {
			return mashang.FieldErrorf(mashang.EINVALID, field, "Only queries can be trusted documents; this one has a %s.", string(op.Operation))
		}
	}
	return nil
}

// problems shortens gqlparser's list of errors to what fits a message.
func problems(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "\n", "; ")
	if utf8.RuneCountInString(s) > 500 {
		s = string([]rune(s)[:500]) + "…"
	}
	return s
}

// Decide approves or rejects a PENDING document, or revokes an APPROVED
// one, audited in the same transaction. A rejection or revocation needs a
// reason: the owner reads it.
// SECURITY: only the INITIATOR decides (policy.csv persistedquery decide),
// and never about a document it registered itself: approval is a second
// pair of eyes (TestNobodyApprovesTheirOwnTrustedDocument).
func (s *Service) Decide(ctx context.Context, id int, decision Decision, reason string) (*ent.PersistedQuery, error) {
	v := mashang.ViewerFromContext(ctx)
	now := s.now()
	// SECURITY: keeps out every role but the INITIATOR (TestNobodyApprovesTheirOwnTrustedDocument).
	if err := s.Enforcer.Check(v, authz.ObjPersistedQuery, authz.ActDecide, "/", now); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if decision != Approve && reason == "" {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "reason", "Give the reason for rejecting or revoking the document; its owner reads it.")
	}
	if utf8.RuneCountInString(reason) > 1000 {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "reason", "The reason may have at most 1000 characters.")
	}
	from, to := persistedquery.StatusPENDING, persistedquery.StatusAPPROVED
	switch decision {
	case Approve:
	case Reject:
		to = persistedquery.StatusREJECTED
	case Revoke:
		from, to = persistedquery.StatusAPPROVED, persistedquery.StatusREVOKED
	default:
		return nil, mashang.FieldErrorf(mashang.EINVALID, "decision", "The decision is APPROVE, REJECT or REVOKE.")
	}
	var pq *ent.PersistedQuery
	err := database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		var err error
		pq, err = s.claim(ctx, c, v, id, from, to, reason, now)
		if err != nil {
			return err
		}
		return audit.Record(ctx, c, audit.Event{AccountID: &v.AccountID, Action: "decidePersistedQuery",
			Target: "persistedQuery:" + strconv.Itoa(pq.ID),
			Detail: map[string]any{"decision": string(decision), "name": pq.Name, "sha256": pq.Sha256, "from": string(from), "to": string(to)}}, now)
	})
	if err != nil {
		return nil, mashang.Wrap(err, "persisted.Decide")
	}
	return pq, nil
}

// claim moves document id from status from to status to, refusing the
// owner's own decision and a document in another status. Of two concurrent
// decisions one wins; the other finds the status changed.
func (s *Service) claim(ctx context.Context, c *ent.Client, v *mashang.Viewer, id int, from, to persistedquery.Status, reason string, now time.Time) (*ent.PersistedQuery, error) {
	pq, err := c.PersistedQuery.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, mashang.FieldErrorf(mashang.ENOTFOUND, "id", "No trusted document %d.", id)
	} else if err != nil {
		return nil, err
	}
	// SECURITY: keeps out the owner, even an INITIATOR: a second pair of eyes.
	if pq.OwnerID == v.AccountID {
		return nil, mashang.Errorf(mashang.EFORBIDDEN, "You registered document %s yourself; another INITIATOR account decides about it.", pq.Name)
	}
	if pq.Status != from {
		return nil, mashang.Errorf(mashang.ECONFLICT, "Document %s is %s; only a %s document can be decided this way.", pq.Name, string(pq.Status), string(from))
	}
	upd := c.PersistedQuery.Update().Where(persistedquery.ID(id), persistedquery.StatusEQ(from)).
		SetStatus(to).SetDecidedByID(v.AccountID).SetDecidedAt(now).SetUpdatedAt(now)
	if reason != "" {
		upd.SetDecisionReason(reason)
	}
	n, err := upd.Save(ctx)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, mashang.Errorf(mashang.ECONFLICT, "Document %s was decided meanwhile.", pq.Name)
	}
	return c.PersistedQuery.Get(ctx, id)
}

// Document is an approved document, as a call by id runs it.
type Document struct {
	ID, Name, Text string
}

// Approved returns the APPROVED document with id (hex SHA-256), or nil
// when there is none — unknown, pending, rejected and revoked alike, so a
// caller learns nothing of documents it may not run. It reads as the
// system: which documents are approved is the platform's own knowledge, and
// running one still goes through the caller's permissions.
// SECURITY: only an approved document runs by id
// (TestAnUnapprovedDocumentCannotBeRunByID).
func (s *Service) Approved(ctx context.Context, id string) (*Document, error) {
	id = strings.ToLower(strings.TrimPrefix(id, "sha256:"))
	if len(id) != sha256.Size*2 {
		return nil, nil
	}
	pq, err := s.Client.PersistedQuery.Query().
		Where(persistedquery.Sha256(id), persistedquery.StatusEQ(persistedquery.StatusAPPROVED)).
		Only(authz.AsSystem(database.WithoutTx(ctx)))
	if ent.IsNotFound(err) {
		return nil, nil
	} else if err != nil {
		return nil, mashang.Wrap(err, "persisted.Approved")
	}
	return &Document{ID: pq.Sha256, Name: pq.Name, Text: pq.Document}, nil
}

// Revalidate checks an approved document against the schema as it is now:
// after a field it uses was removed, the caller is told which document no
// longer fits, and why, instead of a bare validation error.
func (s *Service) Revalidate(d *Document) error {
	if _, ok := s.valid.Load(d.ID); ok {
		return nil
	}
	if _, errs := gqlparser.LoadQueryWithRules(s.Schema, d.Text, nil); len(errs) > 0 {
		return mashang.Errorf(mashang.EGRAPHQLVALIDATION, "The trusted document %s (id sha256:%s) no longer fits the schema: %s. Register an updated document.", d.Name, d.ID, problems(errs.Error()))
	}
	s.valid.Store(d.ID, true)
	return nil
}

package graph

import (
	"context"
	"reflect"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
)

// ownTransaction lists the mutations that run without the transaction
// mutateThenAnswer opens: login and token refresh (hashing a password must
// not hold SQLite's write lock), scans (a refusal that disables the scanner
// commits the disabling and still answers with the error) and a control list
// (stored before its job starts on another goroutine).
var ownTransaction = map[string]bool{
	"login": true, "refreshToken": true, "logout": true, "switchAccount": true,
	"recordScan": true, "recordScans": true, "importControlList": true, "selfScan": true,
}

// mutateThenAnswer runs every mutation in a transaction of its own that
// holds the write and its audit event, and commits it BEFORE the answer is
// resolved. A refused attempt at a sensitive field, mutation or not
// (refusalAudited), is audited after the fact (auditRefusal). The answer's fields are then read from committed rows through
// the caller's own scope filter, so what a client selects can neither undo
// the write (a linked object the caller may not see used to fail the whole
// request and roll it back) nor see rows as they were before it (the
// answer used to be read outside the uncommitted transaction).
//
// gqlgen resolves a field's children with the context its resolver ran in;
// answerContext hides the transaction from that context once it is over.
func mutateThenAnswer(root *ent.Client, now func() time.Time) graphql.FieldMiddleware {
	return func(ctx context.Context, next graphql.Resolver) (any, error) {
		countResolved(ctx) // extensions.cost.actual (cost.go)
		fc := graphql.GetFieldContext(ctx)
		if fc != nil && !fc.IsResolver && !fc.IsMethod {
			// A struct field (code, name, childCount…) cannot fail: nothing to
			// audit, no unseen row to answer as null. Most fields of a tree
			// answer are such; skipping the clock and the lookups for them is
			// most of this middleware's cost on reads (issue 15).
			return next(ctx)
		}
		if fc == nil || fc.Object != "Mutation" || !fc.IsResolver {
			res, err := answerUnseenAsNull(ctx, next)
			return res, auditRefusal(ctx, root, now(), err)
		}
		if ownTransaction[fc.Field.Name] {
			res, err := next(ctx)
			if err == nil {
				err = auditMutation(ctx, database.ClientFrom(ctx, root), now())
			} else {
				err = auditRefusal(ctx, root, now(), err)
			}
			return res, err
		}
		actx := &answerContext{Context: ctx}
		var res any
		err := database.InTx(ctx, root, func(txCtx context.Context, c *ent.Client) error {
			actx.inTx = txCtx
			var err error
			if res, err = next(actx); err != nil {
				return err
			}
			return auditMutation(txCtx, c, now())
		}, database.Fresh())
		actx.done.Store(true)
		if err != nil {
			// The transaction rolled back: a refused attempt at a sensitive
			// action is audited in a transaction of its own.
			return nil, auditRefusal(ctx, root, now(), err)
		}
		unwrapEntities(reflect.ValueOf(res), map[uintptr]bool{})
		return res, nil
	}
}

// unwrapEntities points every ent entity in an answer (the entity, a
// payload's fields, lists, eager-loaded edges) that was read in the
// finished transaction back at the database, so that its edges are read
// from committed rows (ent's generated Unwrap).
func unwrapEntities(v reflect.Value, seen map[uintptr]bool) {
	switch v.Kind() {
	case reflect.Interface:
		unwrapEntities(v.Elem(), seen)
	case reflect.Slice:
		for i := range v.Len() {
			unwrapEntities(v.Index(i), seen)
		}
	case reflect.Pointer:
		if v.IsNil() || v.Elem().Kind() != reflect.Struct || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		if u := v.MethodByName("Unwrap"); u.IsValid() && u.Type().NumIn() == 0 && u.Type().NumOut() == 1 && u.Type().Out(0) == v.Type() {
			unwrap(u)
		}
		unwrapEntities(v.Elem(), seen)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				unwrapEntities(v.Field(i), seen)
			}
		}
	}
}

// unwrap calls an entity's Unwrap, which panics for an entity that was not
// read in a transaction (nothing to do then).
func unwrap(u reflect.Value) {
	defer func() { _ = recover() }()
	u.Call(nil)
}

// answerContext is the context a mutation's resolver runs in: it carries
// the mutation's transaction until done, then only the caller's context.
type answerContext struct {
	context.Context // the caller's, without the transaction
	inTx            context.Context
	done            atomic.Bool
}

func (c *answerContext) Value(key any) any {
	if c.done.Load() || c.inTx == nil {
		return c.Context.Value(key)
	}
	return c.inTx.Value(key)
}

// answerUnseenAsNull answers a nullable linked object that the caller's
// scope filter hides (or that is gone) as null, not as NOT_FOUND: a client
// that selects it gets the rest of its answer.
func answerUnseenAsNull(ctx context.Context, next graphql.Resolver) (any, error) {
	res, err := next(ctx)
	if err == nil || !ent.IsNotFound(err) {
		return res, err
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Definition == nil || fc.Field.Definition.Type.NonNull || rootObjects[fc.Object] {
		return res, err
	}
	if fc.Field.Definition.Type.Elem != nil {
		return res, err
	}
	return nil, nil
}

// rootObjects are the operation types: their fields keep NOT_FOUND (asking
// for node(id) of something out of sight is an error the caller must see).
var rootObjects = map[string]bool{"Query": true, "Mutation": true, "Subscription": true}

package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/graph/generated"
	"github.com/mashang/mashang/i18n"
	"github.com/mashang/mashang/ratelimit"
)

// Limits protect the server from expensive operations.
type Limits struct {
	// MaxComplexity is the highest cost an operation may have: every field
	// costs 1, a connection costs its children × first (or last, or
	// DefaultPageSize when neither is given).
	MaxComplexity int
	// MaxDepth is the deepest selection an operation may nest (introspection
	// excluded).
	MaxDepth int
	// MaxMutationFields is the most root fields (aliases included) one
	// mutation operation may have; 0 means DefaultMaxMutationFields, a
	// negative value no limit. A batch goes through one field
	// (recordScans), not through aliases.
	MaxMutationFields int
	// TreeCacheBytes bounds the memory of cached tree answers; 0 disables
	// the cache.
	TreeCacheBytes int
	// AllowedOrigins lists host patterns (path.Match syntax, e.g.
	// "admin.example.org" or "*.example.org") of the pages that may open
	// websockets and, through httpserver's CORS, call the API; empty means
	// same origin only.
	AllowedOrigins []string
	// Websocket tunes subscriptions; zero fields take DefaultWebsocket's.
	Websocket WebsocketLimits
	// MaxUploadBytes caps a multipart (upload) request; 0 means
	// DefaultMaxUploadBytes. JSON bodies keep httpserver's smaller cap.
	MaxUploadBytes int64
}

// DefaultLimits fit a three-level tree of a province with room to spare.
var DefaultLimits = Limits{MaxComplexity: 500_000, MaxDepth: 15, TreeCacheBytes: 64 << 20}

// NewServer returns the GraphQL handler over the services.
func NewServer(d Deps, limits Limits, logger *slog.Logger) *handler.Server {
	client := d.Client
	res := NewResolver(d)
	cfg := generated.Config{Resolvers: res, Schema: schemaWithoutDefer()}
	setComplexity(&cfg.Complexity)
	srv := handler.New(generated.NewExecutableSchema(cfg))

	// SECURITY: subscriptions authenticate in connection_init and end
	// with their session (graph/ws.go).
	srv.AddTransport(newWebsocketTransport(d.Auth, limits, logger))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(postJSON{}) // transport.POST, writing answers without re-encoding them
	srv.AddTransport(multipartForm(limits.MaxUploadBytes))

	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	// Only approved trusted documents run by id (issue 12, point 6); no
	// client stores a text under a hash (gqlgen's APQ would).
	srv.Use(trustedDocuments{docs: res.Persisted})
	srv.Use(&complexityLimit{max: limits.MaxComplexity})
	srv.Use(costReport{}) // extensions.cost on every response (cost.go)
	srv.Use(depthLimit{max: limits.MaxDepth})
	srv.Use(mutationLimit{max: limits.MaxMutationFields})
	srv.Use(&inputGuard{}) // issue 10 #13, #14: NUL, nesting, strict numbers, cursors
	srv.Use(&edgePredicateGuard{})
	if limits.TreeCacheBytes > 0 {
		srv.Use(newTreeCache(client, limits.TreeCacheBytes))
	}
	// Every mutation commits its write before its answer is resolved
	// (mutateThenAnswer); a linked object out of the caller's sight is null.
	srv.AroundFields(mutateThenAnswer(client, d.Now))

	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(WithLoaders(ctx, client, d.Persons))
	})
	srv.AroundRootFields(guardRootField)
	srv.SetErrorPresenter(presentError(logger))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "panic in resolver", "panic", redactForLog(fmt.Sprint(p)))
		return errors.New("internal error")
	})
	return srv
}

// presentError maps every error to extensions.code, and gives its message
// in the request's language (i18n: Chinese unless Accept-Language prefers
// English) with extensions.messageKey and extensions.params, so a client
// may translate it itself. Anything unexpected is logged and shown as the
// generic internal error: never SQL text, Go error text or stack traces.
func presentError(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		appErr := clientError(ctx, gqlErr, err)
		if appErr == nil && !hasCode(gqlErr) {
			logger.ErrorContext(ctx, "internal error", "error", redactForLog(err.Error()), "path", gqlErr.Path.String())
			appErr = mashang.Errorf(mashang.EINTERNAL, "internal error")
		}
		lang := i18n.FromContext(ctx)
		var l i18n.Localized
		if appErr != nil {
			l = i18n.Localize(lang, appErr)
			setCode(gqlErr, appErr.Code)
			if secs, ok := ratelimit.RetryAfter(err); ok {
				// The HTTP layer sends it as Retry-After too.
				gqlErr.Extensions["retryAfterSeconds"] = secs
				ratelimit.NoteRetryAfter(ctx, secs)
			}
			if appErr.Field != "" {
				gqlErr.Extensions["field"] = appErr.Field
			}
		} else {
			// Parser, validation and limit errors carry their code; their
			// English text is kept as params.detail for developers.
			code, _ := gqlErr.Extensions["code"].(string)
			l = i18n.Code(lang, code, map[string]any{"detail": gqlErr.Message})
		}
		gqlErr.Message = l.Message
		gqlErr.Extensions["messageKey"] = l.Key
		gqlErr.Extensions["params"] = l.Params
		return gqlErr
	}
}

// clientError is the *mashang.Error a client is shown for err: its own,
// or one made for ent's errors and argument coercion failures; nil for an
// internal error or one gqlgen coded already.
func clientError(ctx context.Context, gqlErr *gqlerror.Error, err error) *mashang.Error {
	var appErr *mashang.Error
	switch {
	case errors.As(err, &appErr):
		return appErr
	case ent.IsNotFound(err):
		return mashang.Errorf(mashang.ENOTFOUND, "Not found.")
	case ent.IsValidationError(err):
		var ve *ent.ValidationError
		errors.As(err, &ve)
		return mashang.FieldErrorf(mashang.EINVALID, ve.Name, "Invalid %s.", ve.Name)
	case ent.IsConstraintError(err):
		return mashang.Errorf(mashang.ECONFLICT, "This conflicts with existing data (a value that must be unique is taken, or a referenced row is missing).")
	case hasCode(gqlErr):
		return nil
	}
	if refusal := inputFault(ctx, err); refusal != nil {
		return refusal
	}
	arg, name := inputArgument(ctx, gqlErr)
	switch {
	case arg == nil:
		return nil
	case arg.Type.Name() == "Cursor":
		return mashang.FieldErrorf(mashang.EINVALID, name, "Invalid cursor: pass the startCursor or endCursor of a page this API returned.")
	case arg.Type.Name() == "ID":
		// graphql.IntID's text ("strconv.Atoi: parsing …") never reaches a client.
		return mashang.FieldErrorf(mashang.EINVALID, name, "%s is not a valid ID: pass an id this API returned.", name)
	}
	return mashang.FieldErrorf(mashang.EINVALID, name, "The value of %s is not valid.", name)
}

func setCode(e *gqlerror.Error, code string) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = code
}

func hasCode(e *gqlerror.Error) bool {
	_, ok := e.Extensions["code"]
	return ok
}

// inputArgument tells the errors gqlgen raises while decoding an argument (a
// bad cursor, an ID that is not a number): their path continues past the
// field into one of its arguments, whose definition it returns. Resolver
// errors end at the field (nil) and are never shown unless they are ours.
// The name is the path of the value within the argument ("input.siteId").
func inputArgument(ctx context.Context, e *gqlerror.Error) (*ast.ArgumentDefinition, string) {
	if !graphql.HasOperationContext(ctx) {
		return nil, ""
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || fc.Field.Definition == nil {
		return nil, ""
	}
	fieldPath := fc.Path()
	if len(e.Path) <= len(fieldPath) {
		return nil, ""
	}
	name, ok := e.Path[len(fieldPath)].(ast.PathName)
	if !ok || fc.Field.Arguments.ForName(string(name)) == nil {
		return nil, ""
	}
	var parts []string
	for _, p := range e.Path[len(fieldPath):] {
		if n, ok := p.(ast.PathName); ok {
			parts = append(parts, string(n))
		}
	}
	return fc.Field.Definition.Arguments.ForName(string(name)), strings.Join(parts, ".")
}

// allowedWhileDisabled are the root fields a restricted session (a disabled
// acting account) may use: see itself and ask to be reactivated.
// Keyed like authz.RootFields; introspection is never guarded.
var allowedWhileDisabled = map[string]bool{
	"Query.viewer": true, "Mutation.requestReactivation": true,
	// node(id) of its own account and reactivation requests (their state);
	// the scope filter shows a restricted session nothing else
	// (authz.restricted, issue 10 §8).
	"Query.node": true, "Query.nodes": true,
	"Mutation.acceptAccountBinding": true, "Mutation.declineAccountBinding": true,
	"Mutation.logout": true, "Mutation.refreshToken": true, "Mutation.login": true,
}

// rootTypes names the root type of each operation, as authz.RootFields keys it.
var rootTypes = map[ast.Operation]string{ast.Query: "Query", ast.Mutation: "Mutation", ast.Subscription: "Subscription"}

// guardRootField applies authz.RootFields to every root field: an
// unclassified field is refused, a non-public field needs a login, and a
// disabled acting account may only use allowedWhileDisabled.
// SECURITY: a disabled scanner can neither read records nor act (seed 001 §7, §10).
func guardRootField(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	fc := graphql.GetRootFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) || strings.HasPrefix(fc.Field.Name, "__") {
		return next(ctx)
	}
	op := graphql.GetOperationContext(ctx).Operation
	if op == nil {
		return next(ctx)
	}
	// RootFieldContext.Object holds the field name; the operation tells the root type.
	key := rootTypes[op.Operation] + "." + fc.Field.Name
	class, ok := authz.RootFields[key]
	v := mashang.ViewerFromContext(ctx)
	var refusal error
	switch {
	case !ok:
		refusal = mashang.Errorf(mashang.EFORBIDDEN, "%s is not classified for authorization and cannot be used.", key)
	case v == nil && class.Access != authz.Public:
		refusal = mashang.Errorf(mashang.EUNAUTHENTICATED, "Log in to use %s.", fc.Field.Name)
	case v != nil && v.Disabled && !allowedWhileDisabled[key]:
		refusal = mashang.Errorf(mashang.EACCOUNTDISABLED,
			"Your acting account is disabled: you may only request its reactivation (requestReactivation) from your direct superior, or log out.")
	}
	if refusal != nil {
		graphql.AddError(graphql.WithPathContext(ctx, graphql.NewPathWithField(fc.Field.Alias)), refusal)
		return graphql.Null
	}
	return next(ctx)
}

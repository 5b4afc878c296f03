package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	coderws "github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/auth"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/graph/generated"
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
	// TreeCacheBytes bounds the memory of cached tree answers; 0 disables
	// the cache.
	TreeCacheBytes int
	// AllowedOrigins lists host patterns (path.Match syntax, e.g.
	// "admin.example.org" or "*.example.org") of the pages that may open
	// websockets; empty means same origin only.
	AllowedOrigins []string
}

// DefaultLimits fit a three-level tree of a province with room to spare.
var DefaultLimits = Limits{MaxComplexity: 500_000, MaxDepth: 15, TreeCacheBytes: 64 << 20}

// NewServer returns the GraphQL handler over the services.
func NewServer(d Deps, limits Limits, logger *slog.Logger) *handler.Server {
	client := d.Client
	cfg := generated.Config{Resolvers: NewResolver(d)}
	setComplexity(&cfg.Complexity)
	srv := handler.New(generated.NewExecutableSchema(cfg))

	srv.AddTransport(transport.Websocket{
		KeepAlivePingInterval: 10 * time.Second,
		// Browsers may open websockets from the same origin, or from the
		// host patterns configured (coder/websocket checks Origin against Host).
		Implementation: transport.CoderWebsocketImplementation{
			AcceptOptions: coderws.AcceptOptions{OriginPatterns: limits.AllowedOrigins},
		},
		InitTimeout: 10 * time.Second,
		// SECURITY: a subscription acts as the account of the token given
		// in the connection_init payload ("Authorization": "Bearer …"); a
		// connection with a bad token is refused before any operation.
		InitFunc: func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			token := auth.BearerToken(p.Authorization())
			if token == "" {
				return authz.WithRequest(ctx), nil, nil
			}
			v, err := d.Auth.Authenticate(authz.AsSystem(ctx), token)
			if err != nil {
				return ctx, nil, err
			}
			return authz.WithRequest(mashang.NewContextWithViewer(ctx, v)), nil, nil
		},
	})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(limitedPOST{})

	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	srv.Use(&complexityLimit{max: limits.MaxComplexity})
	srv.Use(depthLimit{max: limits.MaxDepth})
	srv.Use(&edgePredicateGuard{})
	if limits.TreeCacheBytes > 0 {
		srv.Use(newTreeCache(client, limits.TreeCacheBytes))
	}
	// Every mutation commits its write before its answer is resolved
	// (mutateThenAnswer); a linked object out of the caller's sight is null.
	srv.AroundFields(mutateThenAnswer(client, d.Now))

	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(WithLoaders(ctx, client))
	})
	srv.AroundRootFields(guardRootField)
	srv.SetErrorPresenter(presentError(logger))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p))
		return errors.New("internal error")
	})
	return srv
}

// presentError maps every error to extensions.code and a message a person
// can act on. Anything unexpected is logged and shown as "internal error":
// never SQL text or stack traces.
func presentError(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		var appErr *mashang.Error
		arg := inputArgument(ctx, gqlErr)
		switch {
		case errors.As(err, &appErr):
			gqlErr.Message = appErr.Message
			setCode(gqlErr, appErr.Code)
			if appErr.Field != "" {
				gqlErr.Extensions["field"] = appErr.Field
			}
		case ent.IsNotFound(err):
			gqlErr.Message = "Not found."
			setCode(gqlErr, mashang.ENOTFOUND)
		case ent.IsValidationError(err):
			var ve *ent.ValidationError
			errors.As(err, &ve)
			gqlErr.Message = fmt.Sprintf("Invalid %s: %v", ve.Name, errors.Unwrap(ve))
			setCode(gqlErr, mashang.EINVALID)
			gqlErr.Extensions["field"] = ve.Name
		case ent.IsConstraintError(err):
			gqlErr.Message = "This conflicts with existing data (a value that must be unique is taken, or a referenced row is missing)."
			setCode(gqlErr, mashang.ECONFLICT)
		case hasCode(gqlErr):
			// Parser, validation and limit errors already carry their code.
		case arg != nil:
			// Argument coercion failures (bad cursor, bad enum value):
			// the message names the argument and is safe to show.
			setCode(gqlErr, mashang.EINVALID)
			if arg.Type.Name() == "Cursor" {
				gqlErr.Message = "Invalid cursor: pass the startCursor or endCursor of a page this API returned."
			}
		default:
			logger.ErrorContext(ctx, "internal error", "error", err.Error(), "path", gqlErr.Path.String())
			gqlErr.Message = "internal error"
			setCode(gqlErr, mashang.EINTERNAL)
		}
		return gqlErr
	}
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
func inputArgument(ctx context.Context, e *gqlerror.Error) *ast.ArgumentDefinition {
	if !graphql.HasOperationContext(ctx) {
		return nil
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || fc.Field.Definition == nil {
		return nil
	}
	fieldPath := fc.Path()
	if len(e.Path) <= len(fieldPath) {
		return nil
	}
	name, ok := e.Path[len(fieldPath)].(ast.PathName)
	if !ok || fc.Field.Arguments.ForName(string(name)) == nil {
		return nil
	}
	return fc.Field.Definition.Arguments.ForName(string(name))
}

// allowedWhileDisabled are the root fields a restricted session (a disabled
// acting account) may use: see itself and ask to be reactivated.
// Keyed like authz.RootFields; introspection is never guarded.
var allowedWhileDisabled = map[string]bool{
	"Query.viewer": true, "Mutation.requestReactivation": true,
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

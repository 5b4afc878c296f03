package httpserver

import (
	"context"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/alerts"
	"github.com/mashang/mashang/graph"
)

// metrics are the server's Prometheus series. It is also a gqlgen extension
// that times each operation by its first root field (operationLabel).
type metrics struct {
	httpRequests  *prometheus.CounterVec
	httpDuration  *prometheus.HistogramVec
	operations    *prometheus.CounterVec
	operationTime *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mashang_http_requests_total", Help: "HTTP requests by route, method and status code.",
		}, []string{"route", "method", "code"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "mashang_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
		}, []string{"route"}),
		operations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mashang_graphql_operations_total", Help: "GraphQL operations by first root field (\"other\" when none; \"persisted:<name>\" for an approved trusted document called by id), type and outcome (ok or error).",
		}, []string{"operation", "type", "outcome"}),
		operationTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "mashang_graphql_operation_duration_seconds", Help: "GraphQL operation latency by first root field.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
		}, []string{"operation", "type"}),
	}
	reg.MustRegister(m.httpRequests, m.httpDuration, m.operations, m.operationTime)
	return m
}

func (m *metrics) observeHTTP(route, method string, code int, d time.Duration) {
	m.httpRequests.WithLabelValues(route, method, strconv.Itoa(code)).Inc()
	m.httpDuration.WithLabelValues(route).Observe(d.Seconds())
}

func (m *metrics) ExtensionName() string                   { return "Metrics" }
func (m *metrics) Validate(graphql.ExecutableSchema) error { return nil }
func (m *metrics) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if !graphql.HasOperationContext(ctx) {
		return resp
	}
	oc := graphql.GetOperationContext(ctx)
	if info, ok := ctx.Value(requestInfoKey).(*requestInfo); ok && info.operation == "" {
		info.operation = operationName(oc)
	}
	name, typ := operationLabel(oc)
	outcome := "ok"
	if resp != nil && len(resp.Errors) > 0 {
		outcome = "error"
	}
	m.operations.WithLabelValues(name, typ, outcome).Inc()
	m.operationTime.WithLabelValues(name, typ).Observe(time.Since(oc.Stats.OperationStart).Seconds())
	return resp
}

// otherOperation labels every operation that names no field of the schema
// (one that did not parse or validate).
const otherOperation = "other"

// operationLabel gives the metric labels of an operation from a bounded
// set (issue 10 #4: 5,000 made-up operation names made 100,000 series):
// the operation is labelled by its first root field, as the schema names
// it (an alias or the client's operation name is never a label), and an
// operation without a field of the schema is "other". There are as many
// values as root fields (plus __typename, __schema and __type), and one
// "persisted:<name>" per approved trusted document called by id (issue 12,
// point 6: names the province approved, never a caller's text).
func operationLabel(oc *graphql.OperationContext) (name, typ string) {
	if oc.Operation == nil {
		return otherOperation, "unknown"
	}
	typ = string(oc.Operation.Operation)
	if doc := graph.TrustedDocumentName(oc); doc != "" {
		return "persisted:" + doc, typ
	}
	if f := firstRootField(oc.Operation.SelectionSet, oc.Doc.Fragments, 0); f != nil && f.Definition != nil {
		return f.Definition.Name, typ
	}
	return otherOperation, typ
}

// firstRootField returns the first field of a root selection set, looking
// through fragments (at most a few levels: validation refuses cycles).
func firstRootField(set ast.SelectionSet, frags ast.FragmentDefinitionList, depth int) *ast.Field {
	if depth > 8 {
		return nil
	}
	for _, sel := range set {
		var f *ast.Field
		switch s := sel.(type) {
		case *ast.Field:
			return s
		case *ast.InlineFragment:
			f = firstRootField(s.SelectionSet, frags, depth+1)
		case *ast.FragmentSpread:
			if def := frags.ForName(s.Name); def != nil {
				f = firstRootField(def.SelectionSet, frags, depth+1)
			}
		}
		if f != nil {
			return f
		}
	}
	return nil
}

// operationName is the client's operation name for the access log, kept
// only when short and plain ("anonymous" without one, "invalid" otherwise).
func operationName(oc *graphql.OperationContext) string {
	name := "anonymous"
	if oc.Operation != nil && oc.Operation.Name != "" {
		name = oc.Operation.Name
	}
	if len(name) > 64 {
		return "invalid"
	}
	for _, r := range name {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return "invalid"
		}
	}
	return name
}

// registerAlertMetrics exposes the live alert pushes of this replica: open
// subscriptions, and pushes dropped because a subscriber fell behind.
func registerAlertMetrics(reg *prometheus.Registry, deps graph.Deps) {
	if deps.Alerts == nil || deps.Alerts.Broker == nil {
		return
	}
	if c, ok := deps.Alerts.Broker.(alerts.SubscriberCounter); ok {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "mashang_alert_subscribers",
			Help: "Open alertRaised subscriptions on this replica.",
		}, func() float64 { return float64(c.Subscribers()) }))
	}
	if d, ok := deps.Alerts.Broker.(alerts.DropCounter); ok {
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "mashang_alert_pushes_dropped_total",
			Help: "Alert pushes dropped because a subscriber's buffer was full (the alerts stay listed).",
		}, func() float64 { return float64(d.Dropped()) }))
	}
}

// registerBuildInfo exposes which binary this replica runs, as the constant
// 1 labelled with its version, VCS revision and Go version (the same as
// `mashang version`), so dashboards can tell replicas of a rollout apart.
func registerBuildInfo(reg prometheus.Registerer, b mashang.Build) {
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name:        "mashang_build_info",
		Help:        "The running binary: always 1, labelled with its module version, VCS revision and Go version.",
		ConstLabels: prometheus.Labels{"version": b.Version, "revision": b.Revision, "goversion": b.GoVersion},
	}, func() float64 { return 1 }))
}

package httpserver

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/i18n"
)

// Admission control (issue 15 point 4): a bounded number of GraphQL
// requests in flight per class, so that at ten times the peak the server
// answers the excess at once with 503 OVERLOADED and Retry-After instead
// of queueing everything until it all times out (Xi'an's 一码通 in
// December 2021, 粤康码's "系统保护" in January 2022). Scans come before
// reads, and reads before analytics: the shared total fills from the top,
// and a lower class may only use a fraction of it.

// Class is what admission control calls a GraphQL request.
type Class int

// The classes, most important first.
const (
	// ClassScan: an operation of recordScan, recordScans and selfScan only.
	ClassScan Class = iota
	// ClassRead: every other query and mutation.
	ClassRead
	// ClassAnalytics: an operation with a statistics field (stats*,
	// statsExport, supervision) or a stored (trusted) document called by id.
	ClassAnalytics
	numClasses
)

var classNames = [numClasses]string{"scan", "read", "analytics"}

func (c Class) String() string { return classNames[c] }

// Admission configures admission control. A zero field takes its default
// from the process (GOMAXPROCS) and the database pool (AdmissionDefaults);
// a negative limit means no limit.
type Admission struct {
	// Scans, Reads, Analytics: requests of the class in flight at once.
	Scans, Reads, Analytics int
	// Total: requests of every class in flight at once. A scan may use all
	// of it, a read three quarters, an analytics request half: when the
	// process is busy, analytics are shed first, then reads.
	Total int
	// Wait: how long a request may wait for a slot before it is shed; at
	// most a quarter as many requests as the class has slots wait (at
	// least one). Negative: none.
	Wait time.Duration
	// RetryAfter: what a shed request is told (whole seconds, at least 1).
	RetryAfter time.Duration
}

// AdmissionOff turns admission control off: for benchmarks of the engine
// itself, whose closed loops queue on purpose.
var AdmissionOff = Admission{Scans: -1, Reads: -1, Analytics: -1, Total: -1}

// Admission defaults that do not depend on the machine.
const (
	DefaultAdmissionWait       = 20 * time.Millisecond
	DefaultAdmissionRetryAfter = time.Second
	maxAdmissionWait           = 100 * time.Millisecond
)

// AdmissionDefaults fills zero fields of a for a process of procs
// processors (GOMAXPROCS) and a database pool of pool connections (0:
// unbounded). Every scan and read holds a connection for its transaction,
// so more of them in flight than the pool only wait inside database/sql,
// where nothing bounds the wait; and a few per processor keep the CPU busy
// while others wait on the database.
func AdmissionDefaults(a Admission, procs, pool int) Admission {
	procs = max(procs, 1)
	if pool <= 0 {
		pool = 6 * procs
	}
	def := func(v *int, d int) {
		if *v == 0 {
			*v = max(d, 1)
		}
	}
	// Scans: one per processor. An accepted scan's latency grows with the
	// scans in flight beside it, and every scan holds the audit chain's lock
	// until it commits, so slots beyond that add waiting, not throughput:
	// BenchmarkOverload on 2 idle processors (2026-12-05) put the accepted
	// p99 under 10× load at 2.2–4.1 × the unloaded one with 2 slots against
	// 4.9–5.9 × with 4, at about the same throughput.
	def(&a.Scans, min(pool, procs))
	def(&a.Reads, min(pool, 4*procs))
	def(&a.Analytics, max(procs/2, 1))
	// The total fits every scan and read slot, so that reads at their limit
	// leave the scans theirs, while analytics stop at half of it.
	def(&a.Total, min(pool, 6*procs))
	if a.Wait == 0 {
		a.Wait = DefaultAdmissionWait
	}
	a.Wait = min(a.Wait, maxAdmissionWait)
	if a.RetryAfter <= 0 {
		a.RetryAfter = DefaultAdmissionRetryAfter
	}
	return a
}

// gate counts the requests in flight and admits, makes wait or sheds.
type gate struct {
	mu       sync.Mutex
	limit    [numClasses]int // per class
	ceiling  [numClasses]int // of the total, per class
	inflight [numClasses]int
	total    int
	waiters  [numClasses][]*waiter // FIFO, at most limit of each
	wait     time.Duration
}

type waiter struct {
	ready    chan struct{}
	admitted bool // set under gate.mu when ready is closed
}

func newGate(a Admission) *gate {
	unlimited := func(n int) int {
		if n < 0 {
			return math.MaxInt
		}
		return n
	}
	total := unlimited(a.Total)
	g := &gate{wait: a.Wait}
	g.limit = [numClasses]int{unlimited(a.Scans), unlimited(a.Reads), unlimited(a.Analytics)}
	g.ceiling = [numClasses]int{total, total, total}
	if a.Total > 0 {
		// The fractions of the total: scans before reads before analytics.
		g.ceiling[ClassRead] = max(total*3/4, 1)
		g.ceiling[ClassAnalytics] = max(total/2, 1)
	}
	return g
}

func (g *gate) admissible(c Class) bool {
	return g.inflight[c] < g.limit[c] && g.total < g.ceiling[c]
}

// room is how many requests of class c may wait: a quarter of its slots
// (at least one), so that a request that waits is served after about a
// quarter of a request's time, never behind a whole round of others.
func (g *gate) room(c Class) int {
	return max(min(g.limit[c], g.ceiling[c])/4, 1)
}

func (g *gate) admitLocked(c Class) {
	g.inflight[c]++
	g.total++
}

// acquire takes a slot of class c, waiting at most g.wait in a room of
// g.room(c); false: shed the request.
func (g *gate) acquire(ctx context.Context, c Class) bool {
	g.mu.Lock()
	if len(g.waiters[c]) == 0 && g.admissible(c) {
		g.admitLocked(c)
		g.mu.Unlock()
		return true
	}
	if g.wait <= 0 || len(g.waiters[c]) >= g.room(c) {
		g.mu.Unlock()
		return false
	}
	w := &waiter{ready: make(chan struct{})}
	g.waiters[c] = append(g.waiters[c], w)
	g.mu.Unlock()

	timer := time.NewTimer(g.wait)
	defer timer.Stop()
	select {
	case <-w.ready:
		return true
	case <-timer.C:
	case <-ctx.Done():
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if w.admitted { // a slot came as the wait ended: keep it
		return true
	}
	for i, x := range g.waiters[c] {
		if x == w {
			g.waiters[c] = append(g.waiters[c][:i], g.waiters[c][i+1:]...)
			break
		}
	}
	return false
}

// release gives back a slot of class c and hands free slots to waiters,
// scans first.
func (g *gate) release(c Class) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inflight[c]--
	g.total--
	for k := ClassScan; k < numClasses; k++ {
		for len(g.waiters[k]) > 0 && g.admissible(k) {
			w := g.waiters[k][0]
			g.waiters[k][0] = nil
			g.waiters[k] = g.waiters[k][1:]
			g.admitLocked(k)
			w.admitted = true
			close(w.ready)
		}
	}
}

// inFlight reads the count of class c (for the gauge).
func (g *gate) inFlight(c Class) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.inflight[c]
}

// admission is the middleware: it classifies a GraphQL request, holds a
// slot of its class while the request is served, and sheds it when none
// is free in time.
type admission struct {
	gate       *gate
	classes    *classifier
	retryAfter int // seconds
	shed       *prometheus.CounterVec
}

func newAdmission(a Admission, reg prometheus.Registerer) *admission {
	ad := &admission{
		gate:       newGate(a),
		classes:    newClassifier(),
		retryAfter: int(math.Ceil(a.RetryAfter.Seconds())),
		shed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mashang_requests_shed_total",
			Help: "GraphQL requests answered 503 OVERLOADED by admission control, by class (scan, read, analytics).",
		}, []string{"class"}),
	}
	reg.MustRegister(ad.shed)
	for c := ClassScan; c < numClasses; c++ {
		ad.shed.WithLabelValues(c.String()) // every class is a series from the start
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name:        "mashang_requests_in_flight",
			Help:        "GraphQL requests being served, by admission class.",
			ConstLabels: prometheus.Labels{"class": c.String()},
		}, func() float64 { return float64(ad.gate.inFlight(c)) }))
	}
	return ad
}

// wrap puts admission control in front of next. A websocket (its
// subscriptions) and a preflight are never shed: they are not GraphQL
// operations of their own (a subscription's events cost what the scans
// that raise them cost).
func (ad *admission) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method != http.MethodPost && r.Method != http.MethodGet) || r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r)
			return
		}
		c := ad.classes.classify(r)
		if !ad.gate.acquire(r.Context(), c) {
			ad.shed.WithLabelValues(c.String()).Inc()
			writeOverloaded(r.Context(), w, acceptedMedia(r), ad.retryAfter)
			return
		}
		defer ad.gate.release(c)
		if onAdmit != nil {
			onAdmit(r, c)
		}
		next.ServeHTTP(w, r)
	})
}

// onAdmit, set by tests only, sees each admitted request before it is
// served, holding its slot: a test fills a class by blocking in it.
var onAdmit func(r *http.Request, c Class)

// writeOverloaded answers a shed request: 503, Retry-After, and the error
// OVERLOADED with retryAfterSeconds, as a rate-limited request is told.
func writeOverloaded(ctx context.Context, w http.ResponseWriter, media string, secs int) {
	err := mashang.Errorf(mashang.EOVERLOADED, "The server is busy: try again in %d seconds.", secs)
	l := i18n.Localize(i18n.FromContext(ctx), err)
	body, _ := json.Marshal(map[string]any{"errors": []map[string]any{{
		"message": l.Message,
		"extensions": map[string]any{"code": mashang.EOVERLOADED, "messageKey": l.Key, "params": l.Params,
			"retryAfterSeconds": secs},
	}}})
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	w.Header().Set("Content-Type", media)
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write(body)
}

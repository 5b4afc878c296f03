package bench_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/auth"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/pii"
)

// BenchmarkAuthorization measures the two halves of an authorization
// decision for a request of a province with 1,000,000 accounts:
//
//   - Decision: the Casbin decision alone (authz.Enforcer.Can), per call;
//   - LoadAccount1M: loading the acting account (auth.Service.Authenticate:
//     session + account in one statement, grants in a second) from a
//     PostgreSQL schema holding 1,000,000 users and accounts, per call, and
//     whether the server's heap grows with the accounts it has served;
//   - LoadAccount1k: the same on 1,000 accounts, for comparison.
func BenchmarkAuthorization(b *testing.B) {
	b.Run("Decision", benchDecision)
	// The same measurement on 1,000 accounts: what does not change with the
	// number of accounts (latency, statements, live heap) shows here.
	b.Run("LoadAccount1k", benchLoadAccount(loadSize{
		shape: treeShape{Seniors: 5, IntermediatesPerSenior: 4, Total: 1_000}, sessions: 1_000}))
	b.Run("LoadAccount1M", benchLoadAccount(loadSize{
		shape: treeShape{Seniors: 50, IntermediatesPerSenior: 20, Total: 1_000_000}, sessions: 100_000}))
}

// benchDecision times 200,000 Casbin decisions one by one over a mix of
// roles, grants, objects, actions and targets, allowed and refused.
//
// The decision cannot depend on the number of accounts: the enforcer holds
// only the ~60 role → object → action lines of policy.csv (one line per
// permission, never one per account), and it is asked
// (role, scopePath, targetPath, obj, act) with the acting account's role and
// scope already in the Viewer — it reads no database and no account list.
// So a province of 1,000,000 accounts costs it exactly what one of ten does,
// and this benchmark needs no database.
func benchDecision(b *testing.B) {
	logLoad(b)
	enf := authz.MustEnforcer()
	now := time.Now()
	later := now.Add(time.Hour)
	type ask struct {
		v        *mashang.Viewer
		obj, act string
		target   string
	}
	roles := []struct{ role, scope string }{
		{mashang.RoleInitiator, "/"},
		{mashang.RoleSenior, "/22/2201/220102/"},
		{mashang.RoleIntermediate, "/22/2201/220102/s4294967301/"},
		{mashang.RoleOrdinary, "/22/2201/220102/s4294967301/"},
		{mashang.RoleOfficial, "/22/2201/"},
		{mashang.RoleGridWorker, "/22/2201/220102/"},
	}
	grants := [][]mashang.ViewerGrant{
		nil,
		{{Kind: mashang.GrantPIIViewer, ExpiresAt: later}},
		{{Kind: mashang.GrantTracer, ExpiresAt: later}, {Kind: mashang.GrantSectorStatistics, Sector: "HEALTH", ExpiresAt: later}},
	}
	type oa struct{ obj, act string }
	actions := []oa{
		{authz.ObjSite, authz.ActCreate}, {authz.ObjSite, authz.ActUpdate},
		{authz.ObjApplication, authz.ActSubmit}, {authz.ObjApplication, authz.ActDecide},
		{authz.AccountObject(mashang.RoleSenior), authz.ActReplace},
		{authz.AccountObject(mashang.RoleIntermediate), authz.ActCreate},
		{authz.AccountObject(mashang.RoleOrdinary), authz.ActCreate},
		{authz.ObjAccount, authz.ActDisable}, {authz.ObjAccount, authz.ActActivate},
		{authz.ObjGrant, authz.ActGive},
		{authz.ObjScan, authz.ActRecord}, {authz.ObjScan, authz.ActRead},
		{authz.ObjStatistics, authz.ActRead},
		{authz.ObjPerson, authz.ActUnmask}, {authz.ObjPerson, authz.ActTrace},
	}
	targets := []string{
		"/22/2201/220102/s4294967301/",                      // an ORDINARY's own site
		"/22/2201/220102/220102001/220102001001/",           // a community below the SENIOR's district
		"/22/2201/220102/",                                  // the SENIOR's district itself
		"/22/2202/220202/s4294967399/",                      // another city
		"/22/2201/220104/220104002/",                        // another district of the same city
		"/22/2201/220102/s4294967301/s4294967305/",          // a sub-site
		"/22/2201/220102/220102001/220102001001/s42949673/", // a site deep below
	}
	rng := rand.New(rand.NewPCG(1, 2))
	asks := make([]ask, 4096)
	for i := range asks {
		r := roles[rng.IntN(len(roles))]
		a := actions[rng.IntN(len(actions))]
		asks[i] = ask{
			v:      &mashang.Viewer{UserID: 1, AccountID: 1, Role: r.role, ScopePath: r.scope, AccountPath: "/a1/", Grants: grants[rng.IntN(len(grants))]},
			obj:    a.obj,
			act:    a.act,
			target: targets[rng.IntN(len(targets))],
		}
	}
	const decisions = 200_000
	// The proposal for the p99 target: the same policy lines, looked up by
	// (role, object, action) instead of Casbin evaluating its matcher once
	// per line. It must decide exactly as Casbin does.
	ix := newPolicyIndex(enf)
	for _, q := range asks {
		if got, want := ix.can(q.v, q.obj, q.act, q.target, now), enf.Can(q.v, q.obj, q.act, q.target, now); got != want {
			b.Fatalf("indexed policy says %v, Casbin %v for %s %s %s at %s", got, want, q.v.Role, q.obj, q.act, q.target)
		}
	}
	// Warm up (expression compilation, caches).
	for i := 0; i < 10_000; i++ {
		q := asks[i%len(asks)]
		enf.Can(q.v, q.obj, q.act, q.target, now)
	}
	measure := func(decide func(q ask) bool) (sorted []time.Duration, allowed int) {
		for n := 0; n < b.N; n++ {
			lat := make([]time.Duration, decisions)
			for i := range lat {
				q := asks[i%len(asks)]
				t0 := time.Now()
				ok := decide(q)
				lat[i] = time.Since(t0)
				if ok {
					allowed++
				}
			}
			sorted = append(sorted, lat...)
		}
		slices.Sort(sorted)
		return sorted, allowed
	}
	b.ResetTimer()
	// What every mutation asks: the role, then each unexpired grant.
	can, allowed := measure(func(q ask) bool { return enf.Can(q.v, q.obj, q.act, q.target, now) })
	// One Casbin Enforce call (the acting role only).
	one, _ := measure(func(q ask) bool { return enf.Allowed(q.v.Role, q.v.ScopePath, q.target, q.obj, q.act) })
	b.StopTimer()
	indexed, _ := measure(func(q ask) bool { return ix.can(q.v, q.obj, q.act, q.target, now) })
	b.ReportMetric(percentileUS(can, 0.50), "decision-p50-us")
	b.ReportMetric(percentileUS(can, 0.99), "decision-p99-us")
	b.ReportMetric(percentileUS(one, 0.50), "enforce-p50-us")
	b.ReportMetric(percentileUS(one, 0.99), "enforce-p99-us")
	b.ReportMetric(percentileUS(indexed, 0.50), "indexed-p50-us")
	b.ReportMetric(percentileUS(indexed, 0.99), "indexed-p99-us")
	b.ReportMetric(float64(allowed)/float64(len(can)), "allowed-fraction")
	b.ReportMetric(0, "ns/op")
}

// policyIndex holds the lines of policy.csv by (role, object, action), read
// from the enforcer itself (Enforcer.Permissions). It is the model's
// matcher — r.role == p.role && r.obj == p.obj && r.act == p.act &&
// reaches(p.reach, r.scope, r.target), effect "some allow" — answered by a
// map lookup and the reach function instead of an expression evaluated over
// every line.
type policyIndex map[[3]string][]string

func newPolicyIndex(enf *authz.Enforcer) policyIndex {
	ix := policyIndex{}
	for _, role := range []string{
		mashang.RoleInitiator, mashang.RoleSenior, mashang.RoleIntermediate, mashang.RoleOrdinary,
		mashang.RoleOfficial, mashang.RoleGridWorker,
		mashang.GrantPIIViewer, mashang.GrantTracer, mashang.GrantSectorStatistics,
	} {
		for _, p := range enf.Permissions(role) {
			k := [3]string{role, p.Object, p.Action}
			ix[k] = append(ix[k], p.Reach)
		}
	}
	return ix
}

func (ix policyIndex) allowed(role, scope, target, obj, act string) bool {
	for _, reach := range ix[[3]string{role, obj, act}] {
		if authz.Reaches(reach, scope, target) {
			return true
		}
	}
	return false
}

// can mirrors authz.Enforcer.Can.
func (ix policyIndex) can(v *mashang.Viewer, obj, act, target string, now time.Time) bool {
	if v == nil {
		return false
	}
	if ix.allowed(v.Role, v.ScopePath, target, obj, act) {
		return true
	}
	for _, g := range v.Grants {
		if now.Before(g.ExpiresAt) && ix.allowed(g.Kind, v.ScopePath, target, obj, act) {
			return true
		}
	}
	return false
}

// loadSize is the database of a LoadAccount benchmark.
type loadSize struct {
	shape    treeShape
	sessions int // live sessions, each of a distinct account
}

const (
	loadCalls   = 20_000  // sequential Authenticate calls timed one by one
	heapCalls   = 100_000 // Authenticate calls between the two heap readings (at most 20 per session)
	heapWorkers = 4
)

// benchLoadAccount measures auth.Service.Authenticate, the loading of the
// acting account of every request, on a database of the given size.
func benchLoadAccount(size loadSize) func(b *testing.B) {
	return func(b *testing.B) {
		logLoad(b)
		stats := newStmtStats()
		var counter dbtest.Counter
		db := dbtest.Open(b, "postgres", database.Options{WrapDriver: func(d dialect.Driver) dialect.Driver {
			return stats.wrap(counter.Wrap(d))
		}})
		ctx := context.Background()
		authz.Install(db.Client)

		t0 := time.Now()
		sd := newSeeder(b, db)
		ids := seedAccountTree(b, sd, size.shape)
		seedSessions(b, sd, ids, size.sessions)
		// Live grants for 1 % of the sessions' accounts, so the second
		// statement sometimes returns rows.
		sd.exec(b, `INSERT INTO grants (created_at, updated_at, kind, expires_at, reason, account_id, granted_by_id)
			SELECT now(), now(), 'PII_VIEWER', now() + interval '1 day', 'bench', account_id, $1
			FROM sessions WHERE (id - $2) % 100 = 0`, ids.Initiator, sessionIDBase)
		sd.settle(b, "users", "accounts", "sessions", "grants")
		b.Logf("seeded %d users and accounts, %d sessions in %s", ids.Total, size.sessions, time.Since(t0).Round(time.Millisecond))

		box, err := pii.NewBox(pii.NewKey())
		if err != nil {
			b.Fatal(err)
		}
		svc := auth.New(db.Client, box, auth.Config{DB: db.SQL, Dialect: db.Dialect})
		// The accounts were active "now" at seeding (last_active_at), so
		// Authenticate does not write: 2 statements a call, the steady
		// state (the activity UPDATE comes at most once per account per
		// auth.ActivityInterval).
		tryAuthenticate := func(i int) (*mashang.Viewer, error) {
			// As the HTTP layer does: the lookup that establishes the viewer runs as the system.
			v, err := svc.Authenticate(authz.AsSystem(ctx), sessionToken(i))
			if err != nil {
				return nil, fmt.Errorf("authenticate session %d: %w", i, err)
			}
			return v, nil
		}
		authenticate := func(i int) *mashang.Viewer {
			v, err := tryAuthenticate(i)
			if err != nil {
				b.Fatal(err)
			}
			return v
		}
		// Warm up: connections, catalog caches, the pages of the sessions touched.
		rng := rand.New(rand.NewPCG(3, 4))
		for i := 0; i < 2000; i++ {
			authenticate(rng.IntN(size.sessions))
		}
		if v := authenticate(0); v.AccountPath == "" || v.Role == "" || len(v.Grants) != 1 {
			b.Fatalf("session 0 authenticated as %+v, want an account with one grant", v)
		}
		// The floor of this machine: one statement with one argument
		// through the same pool (lib/pq: two round trips, parse+describe
		// then bind+execute).
		var rtt []time.Duration
		for i := 0; i < 5000; i++ {
			var x int
			t := time.Now()
			if err := db.SQL.QueryRowContext(ctx, `SELECT $1::int`, i).Scan(&x); err != nil {
				b.Fatal(err)
			}
			rtt = append(rtt, time.Since(t))
		}
		slices.Sort(rtt)

		var all []time.Duration
		var statements int64
		b.ResetTimer()
		for n := 0; n < b.N; n++ {
			lat := make([]time.Duration, loadCalls)
			counter.Reset()
			stats.reset(true)
			for i := range lat {
				s := rng.IntN(size.sessions)
				t := time.Now()
				authenticate(s)
				lat[i] = time.Since(t)
			}
			stats.reset(false)
			statements += counter.Count()
			all = append(all, lat...)
		}
		b.StopTimer()
		slices.Sort(all)
		b.ReportMetric(percentileUS(all, 0.50), "load-p50-us")
		b.ReportMetric(percentileUS(all, 0.99), "load-p99-us")
		b.ReportMetric(float64(statements)/float64(len(all)), "stmts/call")
		for _, st := range stats.top() {
			slices.Sort(st.lat)
			switch st.key {
			case "SELECT sessions JOIN":
				b.ReportMetric(percentileUS(st.lat, 0.50), "join-stmt-p50-us")
			case "SELECT grants":
				b.ReportMetric(percentileUS(st.lat, 0.50), "grants-stmt-p50-us")
			}
		}
		b.ReportMetric(percentileUS(rtt, 0.50), "floor-p50-us")
		b.ReportMetric(percentileUS(rtt, 0.99), "floor-p99-us")

		// Heap: 100,000 more authentications (on the 1M database: of
		// 100,000 different sessions of 100,000 different accounts; on the
		// 1k database 20,000 over its 1,000), then
		// compare the live heap after a full GC before and after. Anything
		// kept per account or per session (a cache, a map of viewers, the
		// enforcer learning accounts) would show as ~100k × its size.
		work := func(calls int) {
			var wg sync.WaitGroup
			var failed error
			var once sync.Once
			next := make(chan int, 64)
			for w := 0; w < heapWorkers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range next {
						if _, err := tryAuthenticate(i % size.sessions); err != nil {
							once.Do(func() { failed = err })
						}
					}
				}()
			}
			for i := 0; i < calls; i++ {
				next <- i
			}
			close(next)
			wg.Wait()
			if failed != nil {
				b.Fatal(failed)
			}
		}
		work(1000) // the pool's connections and their buffers exist before the first reading
		before := liveHeap()
		t1 := time.Now()
		calls := min(heapCalls, 20*size.sessions)
		work(calls)
		after := liveHeap()
		b.Logf("live heap %d B before, %d B after %d authentications of %d distinct sessions (%s)",
			before, after, calls, min(calls, size.sessions), time.Since(t1).Round(time.Millisecond))
		b.ReportMetric(float64(int64(after)-int64(before)), "heap-growth-bytes")
		b.ReportMetric(float64(after), "live-heap-bytes")
		b.ReportMetric(0, "ns/op")
	}
}

// logLoad logs the machine's load average: the latency tails of these
// benchmarks are only meaningful on an otherwise idle machine.
func logLoad(b *testing.B) {
	if data, err := os.ReadFile("/proc/loadavg"); err == nil {
		b.Logf("load average at start: %s", strings.Join(strings.Fields(string(data))[:3], " "))
	}
}

// liveHeap returns HeapAlloc after two full collections.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// percentileUS returns the p-th percentile of sorted durations in µs.
func percentileUS(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return float64(sorted[int(p*float64(len(sorted)-1))].Nanoseconds()) / 1000
}

// The first ids of the tables (ent's global ID ranges, see the migrations):
// explicit ids inside them keep Node IDs resolvable.
const (
	accountIDBase = 12884901888
	userIDBase    = 42949672960
	sessionIDBase = 38654705664
)

// treeShape is an account tree of Total accounts: one INITIATOR, Seniors
// SENIOR accounts under it, IntermediatesPerSenior INTERMEDIATE accounts
// under each SENIOR and the rest ORDINARY accounts spread round-robin over
// the INTERMEDIATEs (consecutive ids under different superiors, as accounts
// opened over time are).
type treeShape struct {
	Seniors, IntermediatesPerSenior, Total int
}

func (s treeShape) intermediates() int { return s.Seniors * s.IntermediatesPerSenior }

// treeIDs names accounts of a seeded tree: account i (0-based, the
// INITIATOR first, then the SENIORs, the INTERMEDIATEs, the ORDINARYs) has
// id accountIDBase+i and is held by user userIDBase+i.
type treeIDs struct {
	Initiator int
	Seniors   []int
	Inters    []int // INTERMEDIATEs
	FirstOrd  int   // id of the first ORDINARY
	Total     int
}

// seedAccountTree inserts one user per account and the account tree in a
// few INSERT … SELECT generate_series statements. SENIORs get the scope of a
// district /22/22CC/22CCDD/ (with scope_region_id when such a region
// exists), the accounts below them a synthetic site of the district.
func seedAccountTree(b *testing.B, sd *seeder, s treeShape) treeIDs {
	b.Helper()
	n := s.Total
	nI := s.intermediates()
	firstI := 1 + s.Seniors
	firstO := firstI + nI
	if n <= firstO {
		b.Fatalf("tree shape %+v leaves no ORDINARY accounts", s)
	}
	sd.exec(b, `INSERT INTO users (id, created_at, updated_at, name, phone_sealed, phone_hash, phone_masked, password_hash)
		SELECT $1::bigint + g, now(), now(), 'bench user ' || g,
		       decode(md5(g::text) || md5('p' || g::text), 'hex'), md5(g::text),
		       '139****' || lpad((g % 10000)::text, 4, '0'),
		       '$argon2id$v=19$m=65536,t=1,p=2$YmVuY2hzYWx0YmVuY2g$' || md5('pw' || g::text)
		FROM generate_series(0, $2::bigint - 1) g`, userIDBase, n)

	// Columns shared by every level: $1 account base, $2 user base.
	const cols = `INSERT INTO accounts (id, created_at, updated_at, role, status, last_active_at,
		scope_path, account_path, superior_id, holder_id, scope_region_id) `
	ini := fmt.Sprintf("/a%d/", accountIDBase)
	sd.exec(b, cols+`VALUES ($1, now(), now(), 'INITIATOR', 'ACTIVE', now(), '/', $2, NULL, $3, NULL)`,
		accountIDBase, ini, userIDBase)
	// district(k) of SENIOR k (0-based): city k/10+1, district k%10+1.
	const district = `('/22/22' || lpad((%[1]s / 10 + 1)::text, 2, '0') || '/22' || lpad((%[1]s / 10 + 1)::text, 2, '0') || lpad((%[1]s %% 10 + 1)::text, 2, '0') || '/')`
	senDistrict := fmt.Sprintf(district, "(g - 1)")
	sd.exec(b, cols+`SELECT $1::bigint + g, now(), now(), 'SENIOR', 'ACTIVE', now(), d.path,
		       $3 || 'a' || ($1::bigint + g) || '/', $1::bigint, $2::bigint + g, r.id
		FROM generate_series(1, $4::bigint) g
		CROSS JOIN LATERAL (SELECT `+senDistrict+` AS path) d
		LEFT JOIN regions r ON r.path = d.path`, accountIDBase, userIDBase, ini, s.Seniors)
	// INTERMEDIATE k (0-based) is under SENIOR 1 + k / IntermediatesPerSenior.
	sd.exec(b, cols+`SELECT $1::bigint + g, now(), now(), 'INTERMEDIATE', 'ACTIVE', now(),
		       sup.scope_path || 's' || (g - $4::bigint) || '/', sup.account_path || 'a' || ($1::bigint + g) || '/',
		       sup.id, $2::bigint + g, sup.scope_region_id
		FROM generate_series($4::bigint, $5::bigint - 1) g
		JOIN accounts sup ON sup.id = $1::bigint + 1 + (g - $4::bigint) / $3::bigint`,
		accountIDBase, userIDBase, s.IntermediatesPerSenior, firstI, firstO)
	// ORDINARY k (0-based) is under INTERMEDIATE k % nI (round-robin).
	sd.exec(b, cols+`SELECT $1::bigint + g, now(), now(), 'ORDINARY', 'ACTIVE', now(),
		       sup.scope_path, sup.account_path || 'a' || ($1::bigint + g) || '/',
		       sup.id, $2::bigint + g, sup.scope_region_id
		FROM generate_series($4::bigint, $5::bigint - 1) g
		JOIN accounts sup ON sup.id = $1::bigint + $6::bigint + (g - $4::bigint) % $3::bigint`,
		accountIDBase, userIDBase, nI, firstO, n, firstI)
	// Later inserts through ent must not collide with the explicit ids.
	sd.exec(b, `SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))`)
	sd.exec(b, `SELECT setval(pg_get_serial_sequence('accounts', 'id'), (SELECT max(id) FROM accounts))`)

	ids := treeIDs{Initiator: accountIDBase, FirstOrd: accountIDBase + firstO, Total: n}
	for i := 1; i < firstI; i++ {
		ids.Seniors = append(ids.Seniors, accountIDBase+i)
	}
	for i := firstI; i < firstO; i++ {
		ids.Inters = append(ids.Inters, accountIDBase+i)
	}
	return ids
}

// sessionToken is the access token of bench session i.
func sessionToken(i int) string { return fmt.Sprintf("%sbench%d", auth.AccessTokenPrefix, i) }

// seedSessions opens k live sessions, session i (token sessionToken(i))
// acting as a distinct account spread over the whole tree (the SENIORs and
// INTERMEDIATEs included).
func seedSessions(b *testing.B, sd *seeder, ids treeIDs, k int) {
	b.Helper()
	if k > ids.Total {
		b.Fatalf("%d sessions for %d accounts", k, ids.Total)
	}
	// Account of session g: (g * 7919) % total, a permutation as long as
	// 7919 (prime) does not divide total.
	if ids.Total%7919 == 0 {
		b.Fatal("total is a multiple of 7919")
	}
	sd.exec(b, `INSERT INTO sessions (id, token_hash, refresh_hash, created_at, expires_at, refresh_expires_at, user_id, account_id)
		SELECT $1::bigint + g,
		       encode(sha256(convert_to($5 || 'bench' || g, 'UTF8')), 'hex'),
		       encode(sha256(convert_to($6 || 'bench' || g, 'UTF8')), 'hex'),
		       now(), now() + interval '1 day', now() + interval '14 days',
		       $2::bigint + (g * 7919) % $4::bigint, $3::bigint + (g * 7919) % $4::bigint
		FROM generate_series(0, $7::bigint - 1) g`,
		sessionIDBase, userIDBase, accountIDBase, ids.Total, auth.AccessTokenPrefix, auth.RefreshTokenPrefix, k)
	sd.exec(b, `SELECT setval(pg_get_serial_sequence('sessions', 'id'), (SELECT max(id) FROM sessions))`)
}

// seeder is one connection for bulk loading. Foreign keys are not checked
// on it when the role may say so (session_replication_role = replica needs a
// superuser): the rows are consistent by construction, and 2 × 1,000,000
// per-row FK triggers would double the load time. Nothing else changes:
// every index and unique constraint is maintained as usual.
type seeder struct {
	conn *sql.Conn
}

func newSeeder(b *testing.B, db *database.DB) *seeder {
	b.Helper()
	conn, err := db.SQL.Conn(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	ctx := context.Background()
	if _, err := conn.ExecContext(ctx, `SET session_replication_role = replica`); err != nil {
		b.Logf("foreign keys stay checked while seeding: %v", err)
	}
	if _, err := conn.ExecContext(ctx, `SET synchronous_commit = off`); err != nil {
		b.Fatal(err)
	}
	return &seeder{conn: conn}
}

// settle makes the freshly loaded tables look like long-lived ones: VACUUM
// sets hint bits and the visibility map (otherwise the first reads of each
// page write it back, during the measurement), ANALYZE gives the planner
// statistics, CHECKPOINT flushes the load's WAL before timing starts.
func (s *seeder) settle(b *testing.B, tables ...string) {
	b.Helper()
	ctx := context.Background()
	t0 := time.Now()
	if _, err := s.conn.ExecContext(ctx, `VACUUM (ANALYZE) `+strings.Join(tables, ", ")); err != nil {
		b.Fatal(err)
	}
	if _, err := s.conn.ExecContext(ctx, `CHECKPOINT`); err != nil {
		b.Logf("no CHECKPOINT before measuring: %v", err)
	}
	b.Logf("VACUUM ANALYZE + CHECKPOINT: %s", time.Since(t0).Round(time.Millisecond))
}

func (s *seeder) exec(b *testing.B, q string, args ...any) {
	b.Helper()
	t0 := time.Now()
	if _, err := s.conn.ExecContext(context.Background(), q, args...); err != nil {
		b.Fatalf("%v\n%s", err, q)
	}
	if d := time.Since(t0); d > time.Second {
		b.Logf("%s: %.60s", d.Round(time.Millisecond), strings.Join(strings.Fields(q), " "))
	}
}

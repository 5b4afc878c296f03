package controllist_test

import (
	"context"
	"testing"
	"time"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/controllist"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/database/dbtest"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/importjob"
	"github.com/mashang/mashang/scenario"
)

// request is an API request's context acting as v (nil: anonymous).
func request(v *mashang.Viewer) context.Context {
	ctx := authz.WithRequest(context.Background())
	if v == nil {
		return ctx
	}
	return mashang.NewContextWithViewer(ctx, v)
}

// waitDone waits for the job Start runs on its own goroutine.
func (e *env) waitDone(t *testing.T, id int) *ent.ImportJob {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		j := e.job(t, id)
		if j.Status == importjob.StatusDONE || j.Status == importjob.StatusFAILED {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d still %s", id, j.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestStartCallers: only officials (within their region) and the INITIATOR
// import control lists (seed 000 §五.2); a refused caller's upload is not
// even read, and nothing is stored.
func TestStartCallers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		authz.Install(db.Client)
		e := newEnv(t, db)
		chaoyang := e.regions["220104"].Path
		id := idFor(t, "220104", 1)
		p := e.register(t, "李四", "RESIDENT_ID", id, "220104")
		file, _ := csvFile("身份证号,风险", id+",确诊")
		for _, tc := range []struct {
			name string
			v    *mashang.Viewer
			code string
		}{
			{"AsAnonymous", nil, mashang.EUNAUTHENTICATED},
			{"AsAGridWorker", &mashang.Viewer{AccountID: 43, Role: mashang.RoleGridWorker, ScopePath: chaoyang}, mashang.EFORBIDDEN},
			{"AsAnOrdinaryScanner", &mashang.Viewer{AccountID: 44, Role: mashang.RoleOrdinary, ScopePath: chaoyang + "s1/"}, mashang.EFORBIDDEN},
			{"AsASenior", &mashang.Viewer{AccountID: 45, Role: mashang.RoleSenior, ScopePath: chaoyang}, mashang.EFORBIDDEN},
		} {
			t.Run(tc.name, func(t *testing.T) {
				read := false
				_, err := e.svc.Start(request(tc.v), func(int) (string, []byte, error) {
					read = true
					return "list.csv", file, nil
				})
				wantCode(t, err, tc.code, "")
				if read {
					t.Error("the upload of a refused caller was read")
				}
			})
		}
		if n := e.db.Client.ImportJob.Query().CountX(context.Background()); n != 0 {
			t.Fatalf("%d jobs stored after refusals, want 0", n)
		}
		off := &mashang.Viewer{AccountID: official, Role: mashang.RoleOfficial, ScopePath: chaoyang}
		job, err := e.svc.Start(request(off), func(max int) (string, []byte, error) {
			if max != controllist.DefaultMaxBytes {
				t.Errorf("read up to %d bytes, want %d", max, controllist.DefaultMaxBytes)
			}
			return "list.csv", file, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if job.ScopePath != chaoyang || job.SubmittedByID != official {
			t.Errorf("job scope %q by %d, want %q by %d", job.ScopePath, job.SubmittedByID, chaoyang, official)
		}
		if j := e.waitDone(t, job.ID); j.Status != importjob.StatusDONE || j.AppliedRows != 1 {
			t.Fatalf("job %s, %d applied", j.Status, j.AppliedRows)
		}
		if got := e.db.Client.Person.GetX(context.Background(), p.ID); got.Colour != scenario.ColourRed {
			t.Errorf("person %s after the import, want RED", got.Colour)
		}
		ini := &mashang.Viewer{AccountID: 1, Role: mashang.RoleInitiator, ScopePath: "/22/"}
		job, err = e.svc.Start(request(ini), func(int) (string, []byte, error) { return "list.csv", file, nil })
		if err != nil || job.ScopePath != "/" {
			t.Fatalf("initiator's job %v %v, want scope /", job, err)
		}
		e.waitDone(t, job.ID)
	})
}

// TestJobsCallers: a caller sees the jobs it submitted, the INITIATOR all.
func TestJobsCallers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		authz.Install(db.Client)
		e := newEnv(t, db)
		file, _ := csvFile("身份证号,风险", idFor(t, "220104", 1)+",确诊")
		job := e.submitRun(t, "list.csv", file, e.regions["220104"].Path)
		for _, tc := range []struct {
			name string
			v    *mashang.Viewer
			want int // jobs seen; -1 for UNAUTHENTICATED
		}{
			{"AsAnonymous", nil, -1},
			{"AsAnOfficialOfAnotherDistrict", &mashang.Viewer{AccountID: 43, Role: mashang.RoleOfficial, ScopePath: e.regions["220105"].Path}, 0},
			{"AsTheSubmitter", &mashang.Viewer{AccountID: official, Role: mashang.RoleOfficial, ScopePath: e.regions["220104"].Path}, 1},
			{"AsTheInitiator", &mashang.Viewer{AccountID: 1, Role: mashang.RoleInitiator, ScopePath: "/"}, 1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ctx := request(tc.v)
				jobs, err := e.svc.Jobs(ctx, nil)
				one, oneErr := e.svc.Job(ctx, job.ID)
				if tc.want < 0 {
					wantCode(t, err, mashang.EUNAUTHENTICATED, "")
					wantCode(t, oneErr, mashang.EUNAUTHENTICATED, "")
					return
				}
				if err != nil || oneErr != nil || len(jobs) != tc.want || (one != nil) != (tc.want == 1) {
					t.Fatalf("jobs %d (%v), job %v (%v); want %d", len(jobs), err, one, oneErr, tc.want)
				}
			})
		}
		_, err := e.svc.Jobs(request(&mashang.Viewer{AccountID: 1, Role: mashang.RoleInitiator, ScopePath: "/"}), ptr(101))
		wantCode(t, err, mashang.EINVALID, "first")
	})
}

func ptr[T any](v T) *T { return &v }

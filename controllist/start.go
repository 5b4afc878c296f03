package controllist

import (
	"context"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/authz"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/importjob"
)

// Upload reads an uploaded control list: its file name and at most max+1
// bytes of it (so that a longer file is refused as too large, not cut).
type Upload func(max int) (filename string, content []byte, err error)

// enforcer is Service.Enforcer, or the embedded policy when unset.
func (s *Service) enforcer() *authz.Enforcer { return authz.OrDefault(s.Enforcer) }

// Start submits a control list for the viewer in ctx (Submit) and starts
// applying it at once on a goroutine of its own; a replica that dies
// mid-way leaves the job to the scheduler's sweep of stale jobs
// (RunPending). The upload is read only once the viewer's right is
// checked. The job's rows are kept within the viewer's scope ("/" for the
// INITIATOR).
// SECURITY: the viewer needs controllist/import: officials within their
// region, the INITIATOR anywhere; scanners and grid workers are refused.
func (s *Service) Start(ctx context.Context, read Upload) (*ent.ImportJob, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.enforcer().Check(v, authz.ObjControlList, authz.ActImport, v.ScopePath, s.now()); err != nil {
		return nil, mashang.Wrap(err, "controllist.Start")
	}
	name, content, err := read(s.maxBytes())
	if err != nil {
		return nil, mashang.Wrap(err, "controllist.Start")
	}
	scope := v.ScopePath
	if v.Role == mashang.RoleInitiator {
		scope = "/"
	}
	// The caller's right is settled: the system stores the job and applies
	// it (import jobs belong to no scope the filter knows).
	sys := authz.AsSystem(ctx)
	job, err := s.Submit(sys, name, content, v.AccountID, scope)
	if err != nil {
		return nil, mashang.Wrap(err, "controllist.Start")
	}
	go func(ctx context.Context, id int) {
		if err := s.Run(ctx, id); err != nil {
			s.logger().Error("control list import failed", "job", id, "error", err)
		}
	}(database.WithoutTx(context.WithoutCancel(sys)), job.ID)
	return job, nil
}

// jobsOf queries the jobs v may see, to be run as the system.
// SECURITY: a caller sees the jobs it submitted, the INITIATOR every job;
// import jobs carry no path the scope filter could use.
func (s *Service) jobsOf(ctx context.Context, v *mashang.Viewer) *ent.ImportJobQuery {
	q := database.ClientFrom(ctx, s.Client).ImportJob.Query()
	if v.Role != mashang.RoleInitiator {
		q.Where(importjob.SubmittedByID(v.AccountID))
	}
	return q
}

// Job returns a job the viewer in ctx may see (jobsOf), nil when there is
// none.
func (s *Service) Job(ctx context.Context, id int) (*ent.ImportJob, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	j, err := s.jobsOf(ctx, v).Where(importjob.ID(id)).Only(authz.AsSystem(ctx))
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return j, mashang.Wrap(err, "controllist.Job")
}

// JobsQuery selects the jobs the viewer in ctx may see (jobsOf), for the
// controlListImports connection to page through. It runs through the
// request's scope filter, which keeps the same jobs (authz: ImportJob).
// SECURITY: an anonymous caller is refused; the others see their own jobs,
// the INITIATOR every job (TestJobsCallers; graph TestConnectionsAreScoped).
func (s *Service) JobsQuery(ctx context.Context) (*ent.ImportJobQuery, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	return s.jobsOf(ctx, v), nil
}

// Jobs returns the newest first jobs the viewer in ctx may see (jobsOf):
// 1 to 100, nil meaning 20.
func (s *Service) Jobs(ctx context.Context, first *int) ([]*ent.ImportJob, error) {
	v, err := mashang.RequireViewer(ctx)
	if err != nil {
		return nil, err
	}
	n := 20
	if first != nil {
		n = *first
	}
	if n < 1 || n > 100 {
		return nil, mashang.FieldErrorf(mashang.EINVALID, "first", "Ask for 1 to 100 imports.")
	}
	return s.jobsOf(ctx, v).Order(ent.Desc(importjob.FieldCreatedAt), ent.Desc(importjob.FieldID)).Limit(n).All(authz.AsSystem(ctx))
}

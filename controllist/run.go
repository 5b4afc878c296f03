package controllist

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mashang/mashang"
	"github.com/mashang/mashang/database"
	"github.com/mashang/mashang/ent"
	"github.com/mashang/mashang/ent/importjob"
	"github.com/mashang/mashang/ent/person"
	"github.com/mashang/mashang/persons"
	"github.com/mashang/mashang/pii"
	"github.com/mashang/mashang/stats"
	"github.com/mashang/mashang/tree"
	"github.com/mashang/mashang/validate"
)

// errLostClaim: another runner took the job over (this one was presumed
// dead); this one stops without writing.
var errLostClaim = errors.New("controllist: the job was taken over by another runner")

// Run applies a job: RUNNING (with started_at), the file parsed, then row by
// row, each row in its own transaction (a row is applied whole or not at
// all) through Persons.SetRiskFor as the job's submitter; the counts and
// heartbeat_at are written every 200 rows (and at least every 15 s) and at
// the end, with status DONE and finished_at. A file that cannot be read (no
// or a bad header, a damaged XLSX, broken CSV quoting) makes the job FAILED
// with the reason in failure, before any row is applied. A DONE or FAILED
// job is left alone (nil). A job RUNNING elsewhere with a recent heartbeat
// is a CONFLICT; one whose heartbeat is older than DefaultStaleAfter is
// taken over and resumed after its last recorded row.
//
// Run works for the platform, not for a request: call it with a context
// that is not an API request's (no viewer filter, no transaction).
func (s *Service) Run(ctx context.Context, jobID int) error {
	if ent.TxFromContext(ctx) != nil {
		return errors.New("controllist: Run opens a transaction per row: call it outside a transaction")
	}
	job, err := s.Client.ImportJob.Query().Where(importjob.ID(jobID)).
		Select(importjob.FieldID, importjob.FieldStatus, importjob.FieldHeartbeatAt, importjob.FieldStartedAt).Only(ctx)
	if ent.IsNotFound(err) {
		return mashang.Errorf(mashang.ENOTFOUND, "No import job %d.", jobID)
	}
	if err != nil {
		return fmt.Errorf("controllist: load job %d: %w", jobID, err)
	}
	switch job.Status {
	case importjob.StatusDONE, importjob.StatusFAILED:
		return nil
	case importjob.StatusRUNNING:
		if job.HeartbeatAt != nil && job.HeartbeatAt.After(s.now().Add(-DefaultStaleAfter)) {
			return mashang.Errorf(mashang.ECONFLICT, "Import job %d is being applied (last progress %v).", jobID, *job.HeartbeatAt)
		}
	}
	hb, ok, err := s.claim(ctx, job)
	if err != nil {
		return mashang.Wrap(err, "controllist.Run")
	}
	if !ok {
		return mashang.Errorf(mashang.ECONFLICT, "Import job %d was started by another runner.", jobID)
	}
	return s.process(ctx, jobID, hb)
}

// RunPending runs, one at a time, the jobs that are PENDING or RUNNING with
// a heartbeat older than staleAfter (their replica died; 0 means
// DefaultStaleAfter), oldest first. Each is claimed with a conditional
// UPDATE that only succeeds if the row is still as read (same status, same
// heartbeat), so two replicas never run the same job. It returns how many
// jobs it ran to DONE or FAILED; errors of single jobs are logged, joined
// and returned after the others ran.
func (s *Service) RunPending(ctx context.Context, staleAfter time.Duration) (int, error) {
	if ent.TxFromContext(ctx) != nil {
		return 0, errors.New("controllist: RunPending opens a transaction per row: call it outside a transaction")
	}
	if staleAfter <= 0 {
		staleAfter = DefaultStaleAfter
	}
	const batch = 16
	ran := 0
	var errs []error
	var tried []int // never twice in one call, whatever happens to a job
	for ctx.Err() == nil {
		cutoff := s.stamp().Add(-staleAfter) // UTC: SQLite compares times as text
		q := s.Client.ImportJob.Query().Where(importjob.Or(
			importjob.StatusEQ(importjob.StatusPENDING),
			importjob.And(importjob.StatusEQ(importjob.StatusRUNNING),
				importjob.Or(importjob.HeartbeatAtIsNil(), importjob.HeartbeatAtLT(cutoff))),
		))
		if len(tried) > 0 {
			q.Where(importjob.IDNotIn(tried...))
		}
		due, err := q.Order(ent.Asc(importjob.FieldID)).Limit(batch).
			Select(importjob.FieldID, importjob.FieldStatus, importjob.FieldHeartbeatAt, importjob.FieldStartedAt).All(ctx)
		if err != nil {
			return ran, errors.Join(append(errs, fmt.Errorf("controllist: list pending jobs: %w", err))...)
		}
		if len(due) == 0 {
			break
		}
		for _, job := range due {
			tried = append(tried, job.ID)
			hb, ok, err := s.claim(ctx, job)
			if err != nil {
				return ran, errors.Join(append(errs, err)...)
			}
			if !ok {
				continue // another replica has it
			}
			if err := s.process(ctx, job.ID, hb); err != nil {
				if ctx.Err() != nil {
					return ran, errors.Join(append(errs, err)...)
				}
				s.logger().Error("control list job not finished", "job", job.ID, "err", err)
				errs = append(errs, fmt.Errorf("job %d: %w", job.ID, err))
			} else {
				ran++
			}
			break // one at a time: look again, the oldest first
		}
	}
	return ran, errors.Join(errs...)
}

// claim marks a job RUNNING with a fresh heartbeat if and only if it is
// still as read: same status and the same heartbeat (IS NOT DISTINCT FROM:
// both NULL or equal). The database applies the UPDATE to one row at a
// time and re-checks the condition, so of two replicas that read the same
// row only one changes it. It returns the heartbeat written, which fences
// this runner's later writes.
func (s *Service) claim(ctx context.Context, job *ent.ImportJob) (time.Time, bool, error) {
	now := s.stamp()
	upd := s.Client.ImportJob.Update().Where(importjob.ID(job.ID), importjob.StatusEQ(job.Status))
	if job.HeartbeatAt == nil {
		upd.Where(importjob.HeartbeatAtIsNil())
	} else {
		upd.Where(importjob.HeartbeatAtEQ(*job.HeartbeatAt))
	}
	upd.SetStatus(importjob.StatusRUNNING).SetHeartbeatAt(now)
	if job.StartedAt == nil {
		upd.SetStartedAt(now)
	}
	n, err := upd.Save(ctx)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("controllist: claim job %d: %w", job.ID, err)
	}
	if n == 1 && job.Status == importjob.StatusRUNNING {
		s.logger().Warn("control list job taken over from a runner that stopped", "job", job.ID, "last_heartbeat", job.HeartbeatAt)
	}
	return now, n == 1, nil
}

// progress is a running job's state, written at checkpoints.
type progress struct {
	job                         *ent.ImportJob
	heartbeat                   time.Time // the last one this runner wrote
	lastWrite                   time.Time
	total, processed            int
	applied, unchanged, invalid int
	rowErrors                   []RowError
	dirtyErrors                 bool
	submitter                   int
	scope                       string
	log                         *slog.Logger
}

func (p *progress) fail(line int, reason string) {
	p.invalid++
	if len(p.rowErrors) < MaxRowErrors {
		p.rowErrors = append(p.rowErrors, RowError{Line: line, Reason: reason})
		p.dirtyErrors = true
	}
}

// process runs a job this runner has claimed with heartbeat hb: the file
// is opened and read (a file that cannot be read fails the job), its rows
// are applied in order from where an earlier runner stopped, and the job is
// marked DONE.
func (s *Service) process(ctx context.Context, jobID int, hb time.Time) error {
	p, err := s.loadProgress(ctx, jobID, hb)
	if err != nil {
		return mashang.Wrap(err, "controllist.process")
	}
	t, err := s.openFile(ctx, p)
	if err != nil || t == nil {
		return mashang. // t == nil: the job FAILED
				Wrap(err, "controllist.process")
	}
	if err := s.begin(ctx, p, len(t.rows)); err != nil {
		return mashang.Wrap(err, "controllist.process")
	}
	seen := map[string]int{} // document hash → line of its first row
	for i, r := range t.rows {
		if err := s.processRow(ctx, p, t, i, r, seen); err != nil {
			return mashang.Wrap(err, "controllist.process")
		}
	}
	if err := s.checkpoint(ctx, p, true); err != nil {
		return mashang.Wrap(err, "controllist.process")
	}
	p.log.Info("control list applied", "rows", p.total, "applied", p.applied, "unchanged", p.unchanged, "invalid", p.invalid)
	return nil
}

// loadProgress loads a claimed job and the progress recorded on it.
func (s *Service) loadProgress(ctx context.Context, jobID int, hb time.Time) (*progress, error) {
	job, err := s.Client.ImportJob.Get(ctx, jobID)
	if err != nil {
		return nil, fmt.Errorf("controllist: load job %d: %w", jobID, err)
	}
	p := &progress{
		job: job, heartbeat: hb, lastWrite: s.now(),
		processed: job.ProcessedRows, applied: job.AppliedRows, unchanged: job.UnchangedRows, invalid: job.InvalidRows,
		submitter: job.SubmittedByID, scope: job.ScopePath, log: s.logger().With("job", job.ID),
	}
	if p.rowErrors, err = RowErrors(job); err != nil {
		p.rowErrors = nil // a fresh start of the errors rather than no run at all
	}
	return p, nil
}

// openFile unseals and reads the job's file. A file that cannot be read
// fails the job: the table is then nil, with the error of failJob.
func (s *Service) openFile(ctx context.Context, p *progress) (*table, error) {
	plain, err := s.Box.Open(FieldControlList, p.job.Content)
	if err != nil {
		return nil, s.failJob(ctx, p, "The stored file does not open with the configured personal-data key: upload it again.")
	}
	t, err := readTable(p.job.Format, []byte(plain), s.maxRows(), s.maxUnzipped())
	var bad *unreadable
	if errors.As(err, &bad) {
		p.log.Info("control list unreadable", "reason", bad.msg)
		return nil, s.failJob(ctx, p, bad.msg)
	}
	return t, mashang.Wrap(err, "controllist.openFile")
}

// begin records the number of rows, starting over when the recorded
// progress cannot belong to this file.
func (s *Service) begin(ctx context.Context, p *progress, total int) error {
	p.total = total
	if p.processed > p.total { // cannot happen with the same file; start over
		p.processed, p.applied, p.unchanged, p.invalid, p.rowErrors = 0, 0, 0, 0, nil
	}
	if err := s.checkpoint(ctx, p, false); err != nil {
		return mashang.Wrap(err, "controllist.begin")
	}
	if p.processed > 0 {
		p.log.Info("control list resumed", "from_row", p.processed, "total", p.total)
	}
	return nil
}

// processRow handles row i of the file: its document is always noted in
// seen (a duplicate is refused even across a takeover), and a row not done
// before is applied or refused with its reason, with a checkpoint every
// checkpointRows rows or checkpointEvery.
func (s *Service) processRow(ctx context.Context, p *progress, t *table, i int, r record, seen map[string]int) error {
	rw, reason := readDocument(t, r)
	var key string
	if reason == "" {
		key = s.Persons.DocumentHash(rw.idType, rw.idNumber)
		if first, dup := seen[key]; dup {
			reason = rowReason(fmt.Sprintf("duplicate of line %d: each document may appear once in a list.", first))
		} else {
			seen[key] = r.line
		}
	}
	if i < p.processed {
		return nil // done before a takeover; only its document counts
	}
	if err := ctx.Err(); err != nil {
		s.saveOnStop(ctx, p)
		return mashang.Wrap(err, "controllist.processRow")
	}
	if reason == "" {
		reason = readRisk(t, r, &rw)
	}
	if reason == "" {
		var err error
		if reason, err = s.apply(ctx, p, rw, key, r.line); err != nil {
			return mashang.Wrap(err, "controllist.processRow")
		}
	}
	if reason != "" {
		p.fail(r.line, scrub(string(reason), rw))
	}
	p.processed = i + 1
	if p.processed%checkpointRows == 0 || s.now().Sub(p.lastWrite) >= checkpointEvery {
		return s.checkpoint(ctx, p, false)
	}
	return nil
}

// apply applies a valid row and counts it. A database error is the row's
// reason (logged), unless the run is stopping, which is returned.
func (s *Service) apply(ctx context.Context, p *progress, rw row, key string, line int) (rowReason, error) {
	out, reason, err := s.applyRow(ctx, p, rw, key)
	if err != nil {
		if ctx.Err() != nil {
			s.saveOnStop(ctx, p)
			return "", mashang.Wrap(err, "controllist.apply")
		}
		p.log.Error("control list row not applied", "line", line, "err", err)
		reason = "internal error while applying this row (logged): upload the list again later to retry it."
	}
	switch out {
	case outcomeApplied:
		p.applied++
	case outcomeUnchanged:
		p.unchanged++
	}
	return reason, nil
}

type outcome int

const (
	outcomeInvalid outcome = iota
	outcomeApplied
	outcomeUnchanged
)

// errNothingWritten rolls back the transaction of a row that changed
// nothing.
var errNothingWritten = errors.New("controllist: nothing written")

// applyRow applies one row in its own transaction: committed when
// something was written, rolled back otherwise. A reason means the row is
// invalid; an error is the database's.
func (s *Service) applyRow(ctx context.Context, p *progress, rw row, key string) (outcome, rowReason, error) {
	var (
		out    outcome
		reason rowReason
	)
	err := database.InTx(ctx, s.Client, func(ctx context.Context, c *ent.Client) error {
		var err error
		if out, reason, err = s.applyInTx(ctx, c, p, rw, key); err == nil && out != outcomeApplied {
			return errNothingWritten
		}
		return err
	}, database.Fresh())
	var me *mashang.Error
	switch {
	case errors.Is(err, errNothingWritten):
		return out, reason, nil
	case errors.As(err, &me):
		return outcomeInvalid, rowReason(me.Message), nil
	case err != nil:
		return outcomeInvalid, "", mashang.Wrap(err, "controllist.applyRow")
	}
	return outcomeApplied, "", nil
}

func (s *Service) applyInTx(ctx context.Context, c *ent.Client, p *progress, rw row, key string) (outcome, rowReason, error) {
	pers, err := c.Person.Query().Where(person.IDNumberHash(key)).Only(ctx)
	registered := false
	switch {
	case ent.IsNotFound(err):
		if rw.name == "" {
			return outcomeInvalid, "no person registered with this ID; add a name column to register them.", nil
		}
		if !covers(p.scope, "") {
			// A person registered here would have no residence, which is
			// outside any region but the whole province's.
			return outcomeInvalid, "no person registered with this ID; a person registered by a control list has no residence, which is outside your region: register them with their residence first, or ask the province to import them.", nil
		}
		pers, err = s.Persons.Register(ctx, persons.RegisterInput{Name: rw.name, IDType: rw.idType, IDNumber: rw.idNumber})
		if err != nil {
			return outcomeInvalid, "", mashang.Wrap(err, "controllist.applyInTx")
		}
		registered = true
	case err != nil:
		return outcomeInvalid, "", mashang.Wrap(err, "controllist.applyInTx")
	}
	if !covers(p.scope, pers.ResidencePath) {
		return outcomeInvalid, "outside your region: this person's residence is not in your scope.", nil
	}
	if pers.Risk.String() == rw.risk && sameTime(pers.QuarantineEnds, rw.ends) {
		if registered {
			return outcomeApplied, "", s.recordChange(ctx, c, p, pers, rw.risk)
		}
		return outcomeUnchanged, "", nil
	}
	if _, err := s.Persons.SetRiskForList(ctx, pers.ID, rw.risk, rw.ends, p.submitter); err != nil {
		return outcomeInvalid, "", mashang.Wrap(err, "controllist.applyInTx")
	}
	return outcomeApplied, "", s.recordChange(ctx, c, p, pers, rw.risk)
}

// recordChange records, in the row's transaction, that the list changed
// pers (a ControlListChange row) and counts it in the rollups (issue 12:
// control-list changes by day, residence and the risk set).
func (s *Service) recordChange(ctx context.Context, c *ent.Client, p *progress, pers *ent.Person, risk string) error {
	at := s.stamp()
	if err := c.ControlListChange.Create().SetJobID(p.job.ID).SetPersonID(pers.ID).SetRisk(risk).
		SetResidencePath(pers.ResidencePath).SetAt(at).Exec(ctx); err != nil {
		return mashang.Wrap(err, "controllist.recordChange")
	}
	var d stats.Delta
	stats.AddControlListChange(&d, pers.ResidencePath, risk, at)
	return mashang.Wrap(s.Rollups.Apply(ctx, c, &d), "controllist.recordChange")
}

// covers reports whether a person living at residence is in scope: "/" is
// the whole platform; otherwise the residence must lie in the scope's
// subtree, and an unknown residence ("") lies in none.
func covers(scope, residence string) bool {
	if scope == "/" {
		return true
	}
	return residence != "" && tree.Contains(scope, residence)
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Truncate(time.Second).Equal(b.Truncate(time.Second))
}

// scrub makes sure a reason carries neither the row's document number nor
// its name in clear, whatever produced it, and keeps it short.
func scrub(reason string, rw row) string {
	for _, v := range []string{rw.rawID, rw.idNumber, strings.ToUpper(rw.rawID)} {
		if len(v) >= 4 {
			reason = strings.ReplaceAll(reason, v, pii.MaskID(v))
		}
	}
	if utf8.RuneCountInString(rw.name) >= 2 {
		reason = strings.ReplaceAll(reason, rw.name, pii.MaskName(rw.name))
	}
	if r := []rune(reason); len(r) > maxReasonRunes {
		reason = string(r[:maxReasonRunes-1]) + "…"
	}
	return reason
}

// checkpoint writes the progress and a new heartbeat, only while this
// runner still holds the job (the heartbeat it wrote last is still there);
// final marks the job DONE.
func (s *Service) checkpoint(ctx context.Context, p *progress, final bool) error {
	now := s.stamp()
	upd := s.Client.ImportJob.Update().
		Where(importjob.ID(p.job.ID), importjob.StatusEQ(importjob.StatusRUNNING), importjob.HeartbeatAtEQ(p.heartbeat)).
		SetTotalRows(p.total).SetProcessedRows(p.processed).
		SetAppliedRows(p.applied).SetUnchangedRows(p.unchanged).SetInvalidRows(p.invalid).
		SetHeartbeatAt(now)
	if p.dirtyErrors || final {
		text, err := json.Marshal(nonNil(p.rowErrors))
		if err != nil {
			return mashang.Wrap(err, "controllist.checkpoint")
		}
		upd.SetRowErrors(string(text))
	}
	if final {
		upd.SetStatus(importjob.StatusDONE).SetFinishedAt(now)
	}
	n, err := upd.Save(ctx)
	if err != nil {
		return fmt.Errorf("controllist: progress of job %d: %w", p.job.ID, err)
	}
	if n == 0 {
		s.logger().Warn("control list job taken over by another runner; stopping", "job", p.job.ID)
		return errLostClaim
	}
	p.heartbeat, p.lastWrite, p.dirtyErrors = now, s.now(), false
	return nil
}

// saveOnStop records the progress when the run is cancelled (shutdown), so
// the runner that takes the job over resumes after the last row done.
func (s *Service) saveOnStop(ctx context.Context, p *progress) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := s.checkpoint(ctx, p, false); err != nil && !errors.Is(err, errLostClaim) {
		s.logger().Warn("control list progress not saved on stop", "job", p.job.ID, "err", err)
	}
}

// failJob marks the job FAILED: the file itself cannot be read.
func (s *Service) failJob(ctx context.Context, p *progress, msg string) error {
	msg = clipEllipsis(msg, 1000) // failure holds at most 1000 bytes
	now := s.stamp()
	n, err := s.Client.ImportJob.Update().
		Where(importjob.ID(p.job.ID), importjob.StatusEQ(importjob.StatusRUNNING), importjob.HeartbeatAtEQ(p.heartbeat)).
		SetStatus(importjob.StatusFAILED).SetFailure(msg).SetFinishedAt(now).SetHeartbeatAt(now).
		Save(ctx)
	if err != nil {
		return fmt.Errorf("controllist: fail job %d: %w", p.job.ID, err)
	}
	if n == 0 {
		return errLostClaim
	}
	return nil
}

func nonNil(e []RowError) []RowError {
	if e == nil {
		return []RowError{}
	}
	return e
}

// messageOf is the message of an error for a row reason: an *mashang.Error's
// own (persons never puts a number in clear into them), else a generic one.
func messageOf(err error) string { return mashang.ErrorMessage(err) }

// clipEllipsis cuts s to at most n bytes, ending in "…" when cut.
func clipEllipsis(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return validate.Clip(s, n-len("…")) + "…"
}

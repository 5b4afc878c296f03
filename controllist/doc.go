// Package controllist imports control lists (管控名单) shared by the health
// authorities (seed 000 §五.2 做好数据共享: 需要隔离人员和解除隔离人员数据要及时上报,
// 确保“吉祥码”颜色能够根据管控工作需要及时调整到位): CSV or XLSX files of ID
// numbers with a risk and a quarantine end, applied as a job with progress
// and row errors.
//
// Start checks that the caller may import (controllist/import: officials
// within their region, the INITIATOR anywhere) and stores the upload through
// Submit as a PENDING ImportJob, sealed with the personal-data key
// (DESIGN.md §8), then runs it at once. Run (or RunPending, on any replica)
// applies it row by row as the system acting for the submitter, each row in
// its own transaction through persons.Service.SetRiskFor, so a person's
// colour follows at once (seed 001 §4: QUARANTINED → ORANGE, CONFIRMED →
// RED, RELEASED → back to GREEN). Job and Jobs show a caller the jobs it
// submitted (the INITIATOR every job).
//
// The file: the first non-blank row is the header; columns are matched
// case-insensitively by English or Chinese name, in any order, and unknown
// columns are ignored:
//
//	id_number       身份证号, 身份证号码, 证件号码, 证件号   required
//	risk            风险, 风险类型, 管控类型                required
//	quarantine_end  隔离结束, 隔离截止 (…日期/时间)          optional
//	id_type         证件类型                                optional, RESIDENT_ID
//	name            姓名                                    optional
//
// Risks: CLOSE_CONTACT (密接, 密切接触者), QUARANTINED (隔离), SUSPECTED
// (疑似), CONFIRMED (确诊), RELEASED (解除: risk NONE; a quarantine end
// given with it is ignored). A quarantine end is a day ("2026-11-30",
// "2026/11/30", an Excel date), meaning the quarantine runs through that
// whole day in persons.Zone, i.e. it ends at the next midnight China
// Standard Time; or an RFC 3339 date-time (a date-time without an offset is
// read in persons.Zone). A QUARANTINED row without an end is accepted: the
// person stays ORANGE until an official releases them or sets an end.
//
// A row is applied to the person holding the document (found by its keyed
// hash) and must lie in the submitter's scope: the person's residence under
// the job's scope_path ("/" covers everyone; an unknown residence is in no
// narrower scope). A person with exactly this risk and end already is
// unchanged and nothing is written, so uploading the same list again applies
// nothing. An unregistered document with a name is registered (no phone, no
// residence) and applied — only for a submitter whose scope is "/": a person
// registered without residence would be outside any narrower scope, so such
// a row is refused before anything is written. A document appearing twice
// in one file is applied at its first row and refused at the others
// ("duplicate of line N").
//
// Line numbers in row errors are 1-based lines of the file (the header is
// line 1; a quoted CSV field spanning lines counts them all) or, for XLSX,
// row numbers of the first sheet. Reasons never carry an ID number or a
// name in clear.
package controllist

import _ "github.com/xuri/excelize/v2" // XLSX reading

// Package controllist imports control lists (管控名单) shared by the health
// authorities (seed 000 §五.2): CSV or XLSX files of ID numbers with a risk
// and a quarantine end, applied as a job with progress and row errors.
package controllist

import _ "github.com/xuri/excelize/v2" // XLSX reading

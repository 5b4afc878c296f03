package stats

import (
	"context"
	"database/sql"
	"time"

	"github.com/mashang/mashang/ent"
)

// COLOUR_CHANGES (seed 001 §4: the four colours and what moves a code
// between them) counts the changes of a person's code colour on the local
// day of the change, at the nodes of where the person lived then (the node
// "" when unknown), with colour = the new colour and detail = the class of
// the cause. The class is fixed when the change is written
// (ColourChange.cause_class) and the residence with it
// (ColourChange.residence_path): the free-text cause names readings and
// rule versions, and a residence may be given later.

// The cause classes of a colour change: what made the platform re-evaluate
// the person.
const (
	// CauseRisk: an official changed the person's risk (setRisk).
	CauseRisk = "RISK"
	// CauseControlList: a control-list import changed the risk (seed 000
	// §五.2 需要隔离人员和解除隔离人员数据要及时上报).
	CauseControlList = "CONTROL_LIST"
	// CauseFever: an on-site temperature at or above the fever line (seed
	// 001 §4 黄色: 现场测温异常).
	CauseFever = "FEVER"
	// CauseNormalTemperature: a normal on-site temperature (黄色:
	// 经任意扫码员测温登记后可恢复绿色码).
	CauseNormalTemperature = "NORMAL_TEMPERATURE"
	// CauseQuarantineEnded: the quarantine sweep (橙色: 隔离期满…自动恢复绿色码).
	CauseQuarantineEnded = "QUARANTINE_ENDED"
	// CauseTest: a nucleic-acid or antibody test recorded.
	CauseTest = "TEST"
	// CauseDeclaration: the person's daily declaration (symptoms).
	CauseDeclaration = "DECLARATION"
	// CauseRules: a re-evaluation under the rule set in force, asked by
	// the system (persons.Reevaluate).
	CauseRules = "RULES"
	// CauseOther: anything else (and changes recorded before the class was
	// kept whose text matched no class).
	CauseOther = "OTHER"
)

// CauseClasses are every class, in the order reports list them.
var CauseClasses = []string{CauseRisk, CauseControlList, CauseFever, CauseNormalTemperature, CauseQuarantineEnded,
	CauseTest, CauseDeclaration, CauseRules, CauseOther}

// AddColourChange adds to d one colour change: to the colour `to` at `at`,
// of a person living at residencePath, for a cause of class `class`.
func AddColourChange(d *Delta, residencePath, to, class string, at time.Time) {
	d.AddAt(placeNodes(residencePath), Key{Day: Day(at), Metric: ColourChanges, Colour: to, Detail: class}, 1)
}

func init() {
	Register(Recount{Name: "colour changes", Metrics: []Metric{ColourChanges}, Count: recountColourChanges})
}

// recountColourChanges streams the colour_changes rows.
func recountColourChanges(ctx context.Context, c *ent.Client, from string, d *Delta) error {
	return eachRow(ctx, c, "stats.recountColourChanges", `SELECT residence_path, to_colour, cause_class, at FROM colour_changes`,
		func(r *sql.Rows) error {
			var (
				path, to, class string
				at              time.Time
			)
			if err := r.Scan(&path, &to, &class, &at); err != nil {
				return err
			}
			if sinceDay(Day(at), from) {
				AddColourChange(d, path, to, class, at)
			}
			return nil
		})
}

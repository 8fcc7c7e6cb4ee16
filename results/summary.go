package results

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// SummaryFile is the Markdown summary of a run, written for
// $GITHUB_STEP_SUMMARY (`cat summary.md >> "$GITHUB_STEP_SUMMARY"`) and for
// pull-request comments.
const SummaryFile = "summary.md"

// WriteSummary writes summary.md into dir for the report r.
func WriteSummary(dir string, r *Report) error {
	var b strings.Builder
	Summary(&b, r)
	return writeAtomic(filepath.Join(dir, SummaryFile), []byte(b.String()))
}

// Summary writes r as GitHub-flavoured Markdown: the overall result in the
// heading, one table row per check with its figures, the totals. It holds no
// images: a step summary cannot show files from the runner's disk, so it
// names report.html instead.
func Summary(w io.Writer, r *Report) {
	mark := map[Outcome]string{Passed: "✅ PASS", Failed: "❌ FAIL", Inconclusive: "❔ INCONCLUSIVE"}[r.Result()]
	fmt.Fprintf(w, "## kvquota %s: %s\n\n", mdCell(r.Scenario), mark)
	target := r.Target
	if r.Emulated {
		target += " (embedded emulator)"
	}
	fmt.Fprintf(w, "Judged against limits profile **%s**, %s. Target: `%s`.\n\n", mdCell(r.Profile), r.WindowWords(), mdCell(target))
	shardsSummary(w, r.Shards)
	if r.Interrupted {
		fmt.Fprint(w, "> [!WARNING]\n> The run was cut short: the verdicts judge only what it received.\n\n")
	}
	if len(r.Verdicts) == 0 {
		fmt.Fprint(w, "The scenario expects nothing, so there is no check.\n\n")
	} else {
		fmt.Fprint(w, "| result | check | at | measured | expected | figures |\n")
		fmt.Fprint(w, "| --- | --- | ---: | ---: | ---: | --- |\n")
		for _, v := range r.Verdicts {
			res := map[Outcome]string{Passed: "✅ pass", Failed: "❌ **fail**", Inconclusive: "❔ inconclusive"}[v.Result()]
			at := "–"
			if v.At != nil {
				at = fmt.Sprintf("%.1f s", v.At.Seconds())
			}
			fmt.Fprintf(w, "| %s | `%s` | %s | %s | %s | %s |\n",
				res, mdCell(CaseName(v)), at, measuredCell(v), expectedCell(v.Comparison, v.Expected, v.Tolerance), mdCell(Figure(v)))
		}
		fmt.Fprintln(w)
		for _, v := range r.Verdicts {
			if v.Result() != Passed && v.Detail != "" {
				fmt.Fprintf(w, "- **%s**: %s\n", mdCell(CaseName(v)), mdCell(v.Detail))
			}
		}
	}
	t := r.Totals
	fmt.Fprintf(w, "\n**%d requests**: %d succeeded, %d throttled (429), %d unauthorized (401), %d forbidden (403), %d other status, %d unanswered.\n",
		t.Requests, t.Succeeded, t.Throttled, t.Unauthorized, t.Forbidden, t.OtherStatus, t.Unreached)
	if len(r.Plots) > 0 {
		fmt.Fprintf(w, "\nPlots and the full report: `%s` and `%s/` in the run directory.\n", HTMLFile, PlotsDir)
	}
}

// expectedCell states the expected figure with its comparison and tolerance:
// "4000 ±1%", "≥ 4000 −1%", "≤ 0".
func expectedCell(comparison string, expected, tol float64) string {
	s := num(expected)
	t := ""
	if tol > 0 {
		t = " ±" + num(tol*100) + "%"
	}
	switch comparison {
	case "at-least":
		return "≥ " + s + t
	case "at-most":
		return "≤ " + s + t
	}
	return s + t
}

// mdCell makes text safe inside a Markdown table cell: no pipes or line
// breaks to split the row, no HTML.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;").Replace(s)
}

// measuredCell is a verdict's figure for a table: its band, e.g. "98–101",
// or its value.
func measuredCell(v Verdict) string {
	if v.Band != nil && num(v.Band.Low) != num(v.Band.High) {
		return num(v.Band.Low) + "–" + num(v.Band.High)
	}
	return num(v.Measured)
}

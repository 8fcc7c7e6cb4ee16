// Package results is the on-disk form of one run: a directory holding
//
//	run.json      what was run, against what, judged how (Meta)
//	scenario.yaml the scenario file as it was, for people
//	results.bin   every result in vegeta's own gob encoding, written as it arrives,
//	              so `vegeta report` and `vegeta plot` read it and a run cut short
//	              keeps everything it received
//	report.json   the verdicts with their figures (Report)
//	junit.xml     the verdicts for CI test reporters
//	summary.md    the verdicts as Markdown, for $GITHUB_STEP_SUMMARY
//	report.html   everything above for a person, in one file with the plots inline
//	plots/        the figures
//
// Everything downstream of the attack (assert, plots, `kvquota report`) reads a
// run from here, never from the attack in memory: data flows one way.
package results

// File names inside a run directory.
const (
	MetaFile     = "run.json"
	ScenarioFile = "scenario.yaml"
	ResultsFile  = "results.bin"
	ReportFile   = "report.json"
	JUnitFile    = "junit.xml"
	PlotsDir     = "plots"
)

package assert

import "github.com/kvquota/kvquota/results"

// Settle is the outcome of v's figures by the rule every check of kvquota
// uses (pass, fail, or inconclusive when v's Band holds values on both sides
// of the tolerance): exported so that verdicts made outside this package,
// clientcheck's, are settled by the same rule rather than a copy of it.
func Settle(v Verdict) results.Outcome { return settle(v) }

package discover

// TieMargin is the least lead, in share of outcomes explained, that tells one
// candidate from another. Below it a model is "ambiguous" against the best;
// between fixed and sliding the schedule first sends a tie-breaking burst
// (see schedule.go) and fits again. The same margin draws the band of
// candidates that fit about as well as the best (band.go).
//
// Half a point: an outcome that a candidate cannot explain by any decision
// time within its request's interval refutes it (the intervals are causal
// bounds), so a lead counts refutations, not the noise of one guessed time
// per request (the old fit, on such guesses, needed 2 points). The half point
// is for the search's steps (window lengths in 0.1% steps, bucket starts in
// 0.2% of a window), which can leave the right model a few outcomes short.
const TieMargin = 0.005

// MinAgreement is the least share of outcomes a finding must explain. Judged
// on intervals, a right model explains all but the few that the search's
// steps (1% in the window, a few phases) miss; below it no candidate
// explains the target (its timing was disturbed beyond its intervals,
// another client used it, or it follows none of the three), the schedule is
// run once more, and a finding that still falls short is ambiguous however
// large its lead.
const MinAgreement = 0.95

// Confidence words a finding's margin.
func Confidence(margin float64) string {
	switch {
	case margin >= 5*TieMargin:
		return "high"
	case margin >= TieMargin:
		return "medium"
	}
	return "ambiguous"
}

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

// MinAgreement is the least share of outcomes a finding must explain: all
// but TieMargin. Judged on intervals, a right model explains every outcome
// but the few the search's steps miss, so a best that falls short means the
// right model was not among the candidates (the seeds the search starts from
// were misread: a busy client merged two windows' clumps, say), and a
// candidate that explains 98% of a fixed 2 s bucket's outcomes may be a
// fixed 4 s one. The fit then searches every window length from the
// shortest it judges to half the schedule, in 3% steps; a finding that still falls short
// (the schedule is run once more first) is ambiguous however large its lead.
const MinAgreement = 1 - TieMargin

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

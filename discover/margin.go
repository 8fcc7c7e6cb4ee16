package discover

// TieMargin is the least lead, in share of outcomes predicted, that tells one
// window model from another. Below it the finding is "ambiguous"; between
// fixed and sliding the schedule first sends a tie-breaking burst (see
// schedule.go) and fits again.
const TieMargin = 0.02

// MinAgreement is the least share of outcomes a finding must predict: below
// it no model explains the target (its timing was disturbed, or it follows
// none of the three), the schedule is run once more, and a finding that still
// falls short is ambiguous however large its lead.
const MinAgreement = 0.9

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

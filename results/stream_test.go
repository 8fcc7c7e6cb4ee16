package results

// Count returns how many results the last iteration yielded.
func (s *Stream) Count() int { return s.n }

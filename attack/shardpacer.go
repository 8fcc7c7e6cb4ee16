package attack

import "fmt"

// Shard returns the pacer of shard index (1-based) of count: it sends hits
// index-1, index-1+count, index-1+2*count, ... of p's schedule, each at the
// moment the whole schedule has it due. This is k6's execution segments for
// an arrival rate, striped: every hit of the whole schedule is sent by
// exactly one shard, so the shards' shares add up to the whole rate exactly
// (not count times a rounded rate/count), and at a steady rate shard i's
// hits fall (i-1)/count of an interval after shard 1's, so the shards
// interleave rather than fire at the same instants. Rate, Hits and Total
// then say the shard's share. Shard 1 of 1 is p's schedule itself.
//
// An index outside 1..count is refused by Err, as a bad schedule is.
func (p *Pacer) Shard(index, count int) *Pacer {
	q := *p
	if index < 1 || index > count {
		q.err = fmt.Errorf("pacer: shard %d of %d: the index is 1-based and at most the number of shards", index, count)
		return &q
	}
	q.stride, q.offset = uint64(count), uint64(index-1)
	return &q
}

// share is how many shards split the schedule: 1 for the whole of it.
func (p *Pacer) share() float64 {
	if p.stride == 0 {
		return 1
	}
	return float64(p.stride)
}

package results

import (
	"container/heap"
	"iter"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Merged reads the results files of several run directories (the shards of
// one run) as one stream, without holding more than one result of each in
// memory: a k-way merge on send time. Each file is in the order results
// arrived, which is nearly but not exactly the order they were sent, so the
// merged stream is as nearly sorted as its files are; the checks sort what
// they keep themselves, and counts and plots do not depend on order.
type Merged struct {
	streams   []*Stream
	counts    []int
	err       error
	truncated bool
}

// OpenMerged returns a merged stream over the results files of dirs.
func OpenMerged(dirs []string) (*Merged, error) {
	m := &Merged{}
	for _, d := range dirs {
		s, err := OpenStream(d)
		if err != nil {
			return nil, err
		}
		m.streams = append(m.streams, s)
	}
	return m, nil
}

// All yields every result of every file, earliest sent first among the
// files' next results. The yielded value is reused: copy what you keep.
func (m *Merged) All() iter.Seq[*vegeta.Result] {
	return func(yield func(*vegeta.Result) bool) {
		m.err, m.truncated = nil, false
		m.counts = make([]int, len(m.streams))
		h := make(heads, 0, len(m.streams))
		defer func() {
			for _, hd := range h {
				hd.stop()
			}
			m.collect()
		}()
		for i, s := range m.streams {
			next, stop := iter.Pull(s.All())
			if r, ok := next(); ok {
				h = append(h, &head{r: r, next: next, stop: stop, src: i})
			} else {
				stop()
			}
		}
		heap.Init(&h)
		for len(h) > 0 {
			hd := h[0]
			m.counts[hd.src]++
			if !yield(hd.r) {
				return
			}
			if r, ok := hd.next(); ok {
				hd.r = r
				heap.Fix(&h, 0)
				continue
			}
			hd.stop()
			heap.Pop(&h)
		}
	}
}

// collect takes the files' errors and truncation once they are read.
func (m *Merged) collect() {
	for _, s := range m.streams {
		if m.err == nil {
			m.err = s.Err()
		}
		m.truncated = m.truncated || s.Truncated()
	}
}

// Err returns the first error that ended a file's reading early.
func (m *Merged) Err() error { return m.err }

// Truncated reports whether any file ended in a result cut off mid-write.
func (m *Merged) Truncated() bool { return m.truncated }

// Counts returns how many results the last iteration read from each file,
// in the order of the directories given.
func (m *Merged) Counts() []int { return m.counts }

// head is a file's next result.
type head struct {
	r    *vegeta.Result
	next func() (*vegeta.Result, bool)
	stop func()
	src  int
}

// heads is a min-heap of the files' next results by send time.
type heads []*head

func (h heads) Len() int { return len(h) }
func (h heads) Less(i, j int) bool {
	if a, b := h[i].r.Timestamp, h[j].r.Timestamp; !a.Equal(b) {
		return a.Before(b)
	}
	return h[i].src < h[j].src
}
func (h heads) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *heads) Push(x any)   { *h = append(*h, x.(*head)) }
func (h *heads) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

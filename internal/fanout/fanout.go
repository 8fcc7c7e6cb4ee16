// Package fanout reads a stream once for several readers.
//
// Decoding results.bin is most of what judging a stored run costs, so the
// checks, the totals and the plots read one decoded stream side by side
// rather than the file once each: about a third of the work, and the second
// core does some of it.
package fanout

import (
	"errors"
	"iter"
	"sync"
)

// A Consumer reads a stream once, and may stop early. The values it is handed
// are shared with the other consumers: it must not change them.
type Consumer[T any] func(iter.Seq[*T]) error

// batch is how many values travel together to the consumers: enough that a
// channel operation per batch costs nothing next to decoding it, few enough
// that the batches in flight stay a few megabytes.
const batch = 1024

// Share reads seq once and hands every value to each consumer, each in its
// own goroutine, and returns when all are done, with their errors joined.
// The stream may reuse the value it yields: Share hands on shallow copies,
// which is safe for a decoder that allocates afresh what the value points to
// (as gob does for a zeroed value). Memory stays bounded: at most a few
// batches per consumer are in flight.
func Share[T any](seq iter.Seq[*T], consumers ...Consumer[T]) error {
	chans := make([]chan []T, len(consumers))
	errs := make([]error, len(consumers))
	var wg sync.WaitGroup
	for i, consume := range consumers {
		ch := make(chan []T, 4)
		chans[i] = ch
		wg.Go(func() {
			errs[i] = consume(func(yield func(*T) bool) {
				for b := range ch {
					for j := range b {
						if !yield(&b[j]) {
							return
						}
					}
				}
			})
			for range ch { // one that stopped early must not hold up the rest
			}
		})
	}
	b := make([]T, 0, batch)
	send := func() {
		for _, ch := range chans {
			ch <- b
		}
		b = make([]T, 0, batch)
	}
	for v := range seq {
		b = append(b, *v)
		if len(b) == batch {
			send()
		}
	}
	if len(b) > 0 {
		send()
	}
	for _, ch := range chans {
		close(ch)
	}
	wg.Wait()
	return errors.Join(errs...)
}

package attack

import (
	"fmt"
	"sync/atomic"
)

// Client is one of several identities an attack spreads its requests over:
// where its tokens come from and, optionally, the loopback address its
// requests leave from. Quota is per vault, not per client, so a scenario
// with several clients (scenarios.Scenario.Clients) shows that a target
// throttles their sum; the source address shows the same for a target that
// would count per address.
type Client struct {
	Tokens TokenSource
	// Source is a loopback address (127.0.0.0/8, ::1) to send from; empty is
	// the default route. It needs the attack to use NewSourceClient.
	Source string
}

// WithClients makes the targeter send its requests from cs in turn, round
// robin, each with its own token (and source address when it names one),
// instead of from the one token source it is given. Fewer than two clients
// change nothing.
func WithClients(cs []Client) TargeterOption {
	return func(c *targetConfig) {
		if len(cs) > 1 {
			c.clients = append([]Client(nil), cs...)
		}
	}
}

// clientRing hands out clients in turn; it is safe for concurrent use, as
// vegeta calls the targeter from many goroutines.
type clientRing struct {
	clients []Client
	next    atomic.Uint64
}

// pick returns the next client's token and source address.
func (r *clientRing) pick(b *builder) (tok, src string, err error) {
	n := r.next.Add(1) - 1
	c := r.clients[n%uint64(len(r.clients))]
	if c.Tokens == nil {
		return "", "", fmt.Errorf("client %d of %d has no token source", n%uint64(len(r.clients))+1, len(r.clients))
	}
	tok, err = c.Tokens.Token(b.ctx)
	return tok, c.Source, err
}

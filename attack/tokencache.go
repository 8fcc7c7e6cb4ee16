package attack

import (
	"context"
	"sync"
	"time"
)

// defaultRefreshBefore is how long before its expiry a cached token is
// replaced, so no request goes out with a token about to lapse.
const defaultRefreshBefore = 5 * time.Minute

// tokenCache keeps one token until shortly before it expires. Vegeta's
// workers all ask for the token at once, so it is asked under one lock: a
// refresh costs one round trip, not one per worker.
type tokenCache struct {
	mu      sync.Mutex
	token   string
	expires time.Time
}

// get returns the cached token, or fetches a new one when there is none or it
// expires within before (defaultRefreshBefore when zero). now is the clock
// (time.Now when nil).
func (c *tokenCache) get(ctx context.Context, now func() time.Time, before time.Duration,
	fetch func(context.Context) (string, time.Time, error)) (string, error) {
	if now == nil {
		now = time.Now
	}
	if before == 0 {
		before = defaultRefreshBefore
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" && now().Add(before).Before(c.expires) {
		return c.token, nil
	}
	tok, exp, err := fetch(ctx)
	if err != nil {
		return "", err
	}
	c.token, c.expires = tok, exp
	return tok, nil
}

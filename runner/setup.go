package runner

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/attack"
	"github.com/kvquota/kvquota/scenarios"
)

// setupRetries bounds how often one setup request is retried after a 429.
const setupRetries = 6

// runSetup sends the scenario's setup requests one after another. Setup is not
// judged, but it does use quota (a scenario that sets up more secrets than a
// window allows is throttled on a real vault), so it backs off on 429 as the
// throttling guidance says: Retry-After when given, else 1 s, 2 s, 4 s, ...
//
// The embedded emulator forgets the setup's quota use once setup is done
// (target.afterSetup), so waiting out its 429s during setup measures
// nothing: there a 429 makes it forget at once (target.forgetQuota) and the
// request is sent again without a wait. A time-scaled secrets-onset's 50
// secrets against a create row of 30 per window had waited 3 s.
//
// share picks the requests this run sends of the setup (setupShare: a
// shard's share); nil sends them all.
func runSetup(ctx context.Context, tg *target, s *scenarios.Scenario, share func([]vegeta.Target) []vegeta.Target) error {
	targets, err := attack.SetupTargets(tg.url, s, tg.tokens)
	if err != nil {
		return err
	}
	if share != nil {
		targets = share(targets)
	}
	client := tg.client()
	defer client.CloseIdleConnections()
	for i := range targets {
		if err := sendSetup(ctx, client, &targets[i], tg.forgetQuota); err != nil {
			return fmt.Errorf("setup step %d of %d (%s %s): %w", i+1, len(targets), targets[i].Method, targets[i].URL, err)
		}
	}
	return nil
}

// sendSetup sends t until it is answered, backing off on 429s; forget, when
// not nil, empties the target's quota instead of a back-off.
func sendSetup(ctx context.Context, client *http.Client, t *vegeta.Target, forget func()) error {
	backoff := time.Second
	for try := 0; ; try++ {
		req, err := t.Request()
		if err != nil {
			return err
		}
		resp, err := client.Do(req.WithContext(ctx))
		if err != nil {
			return err
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		resp.Body.Close()
		switch {
		case resp.StatusCode < 300:
			return nil
		case resp.StatusCode == http.StatusTooManyRequests && try < setupRetries && forget != nil:
			forget()
		case resp.StatusCode == http.StatusTooManyRequests && try < setupRetries:
			wait := backoff
			if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 {
				wait = time.Duration(s) * time.Second
			}
			backoff *= 2
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return ctx.Err()
			}
		default:
			return fmt.Errorf("%s: %s", resp.Status, body)
		}
	}
}

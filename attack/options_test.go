package attack

import "context"

// TokenFunc adapts a function to TokenSource.
type TokenFunc func(ctx context.Context) (string, error)

// Token implements TokenSource.
func (f TokenFunc) Token(ctx context.Context) (string, error) { return f(ctx) }

// WithTargetAPIVersion sets the api-version query parameter of every request
// (kvquota itself sends DefaultAPIVersion).
func WithTargetAPIVersion(v string) TargeterOption {
	return func(c *targetConfig) { c.apiVersion = v }
}

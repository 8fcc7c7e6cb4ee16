package attack

import (
	"context"
	"errors"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/kvquota/kvquota/internal/uuid"
	"github.com/kvquota/kvquota/scenarios"
)

// TokenSource gives the bearer token for the next request. The targeter asks
// for one on every request, so a source that refreshes its token is followed
// at once; caching (as ClientCredentials does) is the source's job, and so is
// being safe to call from many goroutines at once, as vegeta does. An error
// stops the attack, because vegeta stops on any targeter error; the results
// so far are kept, and the error is recorded in the last result, so it must
// never contain a secret or a token.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// DefaultAPIVersion is the Key Vault data-plane API version requests carry
// unless told otherwise.
const DefaultAPIVersion = "7.5"

// DefaultUserAgent names kvquota to the target, so its traffic stands out in
// a vault's logs.
const DefaultUserAgent = "kvquota"

// TargeterOption configures NewTargeter and SetupTargets.
type TargeterOption func(*targetConfig)

type targetConfig struct {
	apiVersion string
	userAgent  string
	ctx        context.Context
	clients    []Client // WithClients
}

// WithTargetUserAgent sets the User-Agent header of every request.
func WithTargetUserAgent(ua string) TargeterOption {
	return func(c *targetConfig) { c.userAgent = ua }
}

// WithTargetContext sets the context token requests are made under (vegeta's
// Targeter has none of its own); cancel it to abandon a slow token fetch.
func WithTargetContext(ctx context.Context) TargeterOption {
	return func(c *targetConfig) { c.ctx = ctx }
}

// builder makes Key Vault requests against one vault: the parts of a target
// that do not depend on the draw.
type builder struct {
	base      string // vault URL without a trailing slash
	query     string // "?api-version=7.5"
	userAgent string
	ctx       context.Context
	tokens    TokenSource
	clients   *clientRing // nil unless WithClients gave several
}

func newBuilder(base string, tokens TokenSource, opts []TargeterOption) (*builder, error) {
	c := targetConfig{apiVersion: DefaultAPIVersion, userAgent: DefaultUserAgent, ctx: context.Background()}
	for _, o := range opts {
		o(&c)
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("target %q is not a vault URL such as https://myvault.vault.azure.net", base)
	}
	if c.apiVersion == "" || strings.IndexFunc(c.apiVersion, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '.' || r == '-')
	}) >= 0 {
		return nil, fmt.Errorf("api-version %q is not a Key Vault API version such as %s", c.apiVersion, DefaultAPIVersion)
	}
	if c.ctx == nil {
		c.ctx = context.Background()
	}
	b := &builder{
		base:      strings.TrimRight(base, "/"),
		query:     "?api-version=" + c.apiVersion,
		userAgent: c.userAgent,
		ctx:       c.ctx,
		tokens:    tokens,
	}
	if len(c.clients) > 1 {
		b.clients = &clientRing{clients: c.clients}
	}
	return b, nil
}

// header returns the headers of one request: a bearer token fresh from the
// source (or from the next of several clients, with its source address), a
// new client request id, and a content type when there is a body. Without a
// token source the request goes out unauthenticated (to see 401s).
func (b *builder) header(withBody bool) (http.Header, error) {
	h := make(http.Header, 4)
	h["X-Ms-Client-Request-Id"] = []string{newRequestID()}
	if b.userAgent != "" {
		h["User-Agent"] = []string{b.userAgent}
	}
	if withBody {
		h["Content-Type"] = []string{"application/json"}
	}
	if b.clients != nil {
		tok, src, err := b.clients.pick(b)
		if err != nil {
			return nil, fmt.Errorf("getting a bearer token: %w", err)
		}
		if err := checkToken(tok); err != nil {
			return nil, err
		}
		h["Authorization"] = []string{"Bearer " + tok}
		if src != "" {
			h[sourceHeader] = []string{src}
		}
		return h, nil
	}
	if b.tokens != nil {
		tok, err := b.tokens.Token(b.ctx)
		if err != nil {
			return nil, fmt.Errorf("getting a bearer token: %w", err)
		}
		if err := checkToken(tok); err != nil {
			return nil, err
		}
		h["Authorization"] = []string{"Bearer " + tok}
	}
	return h, nil
}

// checkToken refuses a token that cannot go in a header. The message never
// repeats the token.
func checkToken(tok string) error {
	if tok == "" {
		return errors.New("getting a bearer token: the token source gave an empty token")
	}
	for i := 0; i < len(tok); i++ {
		if c := tok[i]; c <= ' ' || c >= 0x7f {
			return fmt.Errorf("getting a bearer token: the token has a space or control character at byte %d; it cannot go in a header", i)
		}
	}
	return nil
}

// newRequestID returns a random (version 4) UUID for x-ms-client-request-id.
// It does not come from the scenario's seed: ids must differ between runs to
// find one request in a vault's logs.
func newRequestID() string { return uuid.New() }

// request fills tgt with operation k on the secret name (unused by list-secrets).
func (b *builder) request(tgt *vegeta.Target, k scenarios.OpKind, name string, size, maxResults int, valueSeed uint64) error {
	var path, method string
	switch k {
	case scenarios.GetSecret:
		method, path = http.MethodGet, "/secrets/"+url.PathEscape(name)
	case scenarios.SetSecret:
		method, path = http.MethodPut, "/secrets/"+url.PathEscape(name)
	case scenarios.ListSecrets:
		method, path = http.MethodGet, "/secrets"
	case scenarios.ListSecretVersions:
		method, path = http.MethodGet, "/secrets/"+url.PathEscape(name)+"/versions"
	case scenarios.DeleteSecret:
		method, path = http.MethodDelete, "/secrets/"+url.PathEscape(name)
	default:
		return fmt.Errorf("unknown operation %q", k)
	}
	u := b.base + path + b.query
	if maxResults > 0 {
		u += "&maxresults=" + strconv.Itoa(maxResults)
	}
	var body []byte
	if k == scenarios.SetSecret {
		body = secretBody(size, valueSeed)
	}
	h, err := b.header(body != nil)
	if err != nil {
		return err
	}
	*tgt = vegeta.Target{Method: method, URL: u, Body: body, Header: h}
	return nil
}

// valueAlphabet has 64 characters that need no escaping in JSON, so six
// random bits make one.
const valueAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// secretBody returns {"value":"..."} with a value of size characters drawn
// from seed with splitmix64: cheap, and the same for the same seed.
func secretBody(size int, seed uint64) []byte {
	const head, tail = `{"value":"`, `"}`
	b := make([]byte, 0, len(head)+size+len(tail))
	b = append(b, head...)
	x := seed
	for n := 0; n < size; {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
		z = (z ^ z>>27) * 0x94d049bb133111eb
		z ^= z >> 31
		for j := 0; j < 10 && n < size; j, n = j+1, n+1 {
			b = append(b, valueAlphabet[z&63])
			z >>= 6
		}
	}
	return append(b, tail...)
}

// Streams of the scenario's seed, so the setup's values and the mix's draws
// do not repeat each other.
const (
	mixStream   = 0x6b7671756f74616d // "kvquotam"
	setupStream = 0x6b7671756f746173 // "kvquotas"
)

// mixTargeter draws the requests of a scenario's mix.
type mixTargeter struct {
	b   *builder
	ops []scenarios.Op
	// cum holds the running sums of the weights, for a weighted draw.
	cum []float64
	// imports holds the body of each import entry, made once (importBodies).
	imports [][]byte

	mu     sync.Mutex
	rng    *mrand.Rand
	cursor []int // the next number of each delete-secret entry
	turn   []int // the next vault of each multi-vault entry
}

// NewTargeter returns a vegeta.Targeter that makes Key Vault requests against
// the vault at base from the scenario's mix. Each request draws an operation
// with the mix's weights and a number for "{i}" uniformly from 0 to Count-1
// (delete-secret takes its numbers in order, so it does not delete a secret
// twice before it has deleted all Count); set-secret sends a generated value
// of Size bytes; import-key and import-certificate send real key material
// made once here, in NewTargeter (importBodies), so the hot path only copies
// a header. The draws and values come from the scenario's seed, so the
// same seed gives the same sequence of requests. Each request carries
// api-version (DefaultAPIVersion), a new x-ms-client-request-id and, when
// tokens is not nil, a bearer token asked of tokens for that request.
//
// Vegeta calls the targeter from many goroutines at once; it is safe for
// that, and only the draw itself is serialized.
func NewTargeter(base string, s *scenarios.Scenario, tokens TokenSource, opts ...TargeterOption) (vegeta.Targeter, error) {
	b, err := newBuilder(base, tokens, opts)
	if err != nil {
		return nil, err
	}
	if s == nil || len(s.Mix) == 0 {
		return nil, errors.New("the scenario has no operations to draw requests from")
	}
	t := &mixTargeter{
		b:      b,
		ops:    append([]scenarios.Op(nil), s.Mix...),
		cum:    make([]float64, len(s.Mix)),
		cursor: make([]int, len(s.Mix)),
		turn:   make([]int, len(s.Mix)),
		rng:    mrand.New(mrand.NewPCG(uint64(s.Seed), mixStream)),
	}
	total := 0.0
	for i, o := range t.ops {
		if err := checkOp(o); err != nil {
			return nil, fmt.Errorf("mix[%d]: %w", i, err)
		}
		if o.Op == scenarios.SetSecret && o.Size <= 0 {
			t.ops[i].Size = scenarios.DefaultSize
		}
		total += o.Weight
		t.cum[i] = total
	}
	if t.imports, err = importBodies(t.ops); err != nil {
		return nil, err
	}
	return t.target, nil
}

// checkOp refuses what a scenario file could not hold, for scenarios built in
// code rather than loaded.
func checkOp(o scenarios.Op) error {
	switch {
	case !(o.Weight > 0) || math.IsInf(o.Weight, 0):
		return fmt.Errorf("weight %g is not a positive number", o.Weight)
	case o.Count < 1:
		return fmt.Errorf("count %d is not positive", o.Count)
	case o.Op != scenarios.ListSecrets && o.Name == "":
		return fmt.Errorf("%s needs a name", o.Op)
	case o.Size > scenarios.MaxSize:
		return fmt.Errorf("size %d is more than %d", o.Size, scenarios.MaxSize)
	}
	for _, k := range scenarios.OpKinds {
		if o.Op == k {
			return nil
		}
	}
	return fmt.Errorf("unknown operation %q", o.Op)
}

// draw picks the next operation, its number, its value's seed and, for an
// entry spread over several vaults, the vault (in turn, so they get equal
// shares).
func (t *mixTargeter) draw() (k, i int, valueSeed uint64, vault int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	x := t.rng.Float64() * t.cum[len(t.cum)-1]
	k = sort.Search(len(t.cum), func(j int) bool { return t.cum[j] > x })
	if k == len(t.cum) { // x rounded up to the total
		k--
	}
	o := t.ops[k]
	switch {
	case o.Op == scenarios.DeleteSecret:
		i = t.cursor[k] % o.Count
		t.cursor[k]++
	case o.Count > 1:
		i = t.rng.IntN(o.Count)
	}
	if o.Op == scenarios.SetSecret {
		valueSeed = t.rng.Uint64()
	}
	if o.Vaults > 1 {
		vault = t.turn[k] % o.Vaults
		t.turn[k]++
	}
	return k, i, valueSeed, vault
}

func (t *mixTargeter) target(tgt *vegeta.Target) error {
	if tgt == nil {
		return vegeta.ErrNilTarget
	}
	k, i, seed, vault := t.draw()
	o := t.ops[k]
	if t.imports[k] != nil {
		return t.b.importRequest(tgt, o, o.NameAt(i), vaultPrefix(vault), t.imports[k])
	}
	if o.Op.IsKey() {
		return t.b.keyRequest(tgt, o, o.NameAt(i), vaultPrefix(vault))
	}
	if vault > 0 {
		return t.b.inVault(vaultPrefix(vault)).request(tgt, o.Op, o.NameAt(i), o.Size, o.MaxResults, seed)
	}
	return t.b.request(tgt, o.Op, o.NameAt(i), o.Size, o.MaxResults, seed)
}

// SetupTargets returns the requests of the scenario's setup, in order: for
// each step, a set-secret of every name it creates (or Count versions of a
// name without "{i}"), with values generated from the scenario's seed. Each
// target carries a token asked of tokens when it is built (under the context
// of WithTargetContext), so send them promptly. Setup traffic counts against
// the vault's window like any other: let it leave the window before the
// attack starts.
func SetupTargets(base string, s *scenarios.Scenario, tokens TokenSource, opts ...TargeterOption) ([]vegeta.Target, error) {
	b, err := newBuilder(base, tokens, opts)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, errors.New("no scenario")
	}
	rng := mrand.New(mrand.NewPCG(uint64(s.Seed), setupStream))
	var out []vegeta.Target
	for i, st := range s.Setup {
		if st.Op == scenarios.CreateKey && st.Name != "" && st.Count >= 1 {
			for n := range st.Count {
				var tgt vegeta.Target
				op := scenarios.Op{Op: scenarios.CreateKey, KeyParams: st.KeyParams}
				if err := b.keyRequest(&tgt, op, st.NameAt(n), ""); err != nil {
					return nil, err
				}
				out = append(out, tgt)
			}
			continue
		}
		if st.Op != scenarios.SetSecret || st.Name == "" || st.Count < 1 || st.Size > scenarios.MaxSize {
			return nil, fmt.Errorf("setup[%d]: want a set-secret or create-key of a name, a positive count and a size up to %d", i, scenarios.MaxSize)
		}
		size := st.Size
		if size <= 0 {
			size = scenarios.DefaultSize
		}
		for n := range st.Count {
			var tgt vegeta.Target
			if err := b.request(&tgt, scenarios.SetSecret, st.NameAt(n), size, 0, rng.Uint64()); err != nil {
				return nil, err
			}
			out = append(out, tgt)
		}
	}
	return out, nil
}

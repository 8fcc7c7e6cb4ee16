package plan

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/scenarios"
)

// env is a fake environment for Request.Getenv.
func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

const (
	vault  = "https://myvault.vault.azure.net"
	secret = "s3cr3t-value"
)

// TestResolveRefuses holds every combination the commands refuse, with the
// error each gives. Every refusal is a usage error (exit 2).
func TestResolveRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    Request
		env  []string
		want string
	}{
		{"run without a scenario", Request{Command: Run}, nil, "no scenario given: name a scenario file or a built-in"},
		{"run with a scenario and a suite", Request{Command: Run, Scenario: "secrets-onset", Suite: "quota"}, nil, "give a scenario or --suite, not both"},
		{"unknown scenario", Request{Command: Run, Scenario: "nope"}, nil, "not a scenario file and not a built-in scenario"},
		{"unknown suite", Request{Command: Run, Suite: "nope"}, nil, `unknown suite "nope" (known: conformance, quota)`},
		{"negative time scale", Request{Command: Run, Scenario: "secrets-onset", TimeScale: -1}, nil, "--time-scale -1: want a factor above 0 and at most 1"},
		{"time scale above 1", Request{Command: Discover, TimeScale: 2}, nil, "--time-scale 2: want a factor above 0 and at most 1"},
		{"clientcheck time scale", Request{Command: Clientcheck, TimeScale: 1.5}, nil, "--time-scale 1.5"},
		{"unknown profile", Request{Command: Run, Scenario: "secrets-onset", Profile: "1999"}, nil, `unknown limits profile "1999"`},
		{"unknown profile, emulate", Request{Command: Emulate, Profile: "1999"}, nil, `unknown limits profile "1999"`},
		{"unknown window", Request{Command: Suite, Suite: "quota", Window: "leaky"}, nil, `"leaky"`},
		{"bad limit", Request{Command: Run, Scenario: "secrets-onset", Limits: []string{"secrets"}}, nil, "CLASS=N"},
		{"unknown limit class", Request{Command: Emulate, Limits: []string{"nope=3"}}, nil, "nope"},
		{"unknown lax", Request{Command: Run, Scenario: "secrets-onset", Lax: "sloppy"}, nil, "sloppy"},
		{"lax for discover", Request{Command: Discover, Lax: "no-challenge"}, nil, "--lax is for run"},
		{"unknown fault", Request{Command: Emulate, Faults: []string{"per-vault"}}, nil, `fault "per-vault": want one of`},
		{"fault for discover", Request{Command: Discover, Faults: []string{"per-client"}}, nil, "--fault is for run and emulate"},
		{"fault with a target", Request{Command: Run, Scenario: "secrets-onset", Target: vault, Token: "t", Faults: []string{"unweighted"}}, nil, "--fault changes the embedded emulator; it cannot change a real target"},
		{"bad latency", Request{Command: Run, Scenario: "secrets-onset", Latency: "slow"}, nil, `latency "slow": want BEFORE[,AFTER] as durations such as 40ms,20ms`},
		{"latency for discover", Request{Command: Discover, Latency: "40ms"}, nil, "--latency is for run and emulate"},
		{"latency for clientcheck", Request{Command: Clientcheck, Latency: "40ms"}, nil, "--latency is for run and emulate"},
		{"latency with a target", Request{Command: Run, Scenario: "secrets-onset", Target: vault, Token: "t", Latency: "40ms"}, nil, "--latency slows the embedded emulator; it cannot slow a real target"},
		{"several clients with a target", Request{Command: Run, Scenario: "secrets-clients-onset", Target: vault, Token: "t"}, nil, "spreads over 4 client identities, which only the embedded emulator can issue"},
		{"not a URL", Request{Command: Run, Scenario: "secrets-onset", Target: "myvault"}, nil, `target "myvault" is not a vault URL such as https://myvault.vault.azure.net`},
		{"discover over http", Request{Command: Discover, Target: "http://127.0.0.1:1", Token: "t"}, nil, "is not an https vault URL"},
		{"limit with a target", Request{Command: Run, Scenario: "secrets-onset", Target: vault, Token: "t", Limits: []string{"secrets=10"}}, nil, "--limit changes the embedded emulator; it cannot change a real target"},
		{"limit with a target, discover", Request{Command: Discover, Target: vault, Token: "t", Limits: []string{"secrets=10"}}, nil, "--limit changes the embedded emulator"},
		{"lax with a target", Request{Command: Run, Scenario: "secrets-onset", Target: vault, Token: "t", Lax: "no-challenge"}, nil, "--lax changes the embedded emulator; it cannot change a real target"},
		{"retry-after with a target", Request{Command: Suite, Suite: "quota", Target: vault, Token: "t", RetryAfter: true}, nil, "--retry-after changes the embedded emulator"},
		{"time scale with a target", Request{Command: Run, Scenario: "secrets-onset", Target: vault, Token: "t", TimeScale: 0.1}, nil, "--time-scale shrinks the embedded emulator's windows; a real vault's are 10 s"},
		{"time scale with a target, discover", Request{Command: Discover, Target: vault, Token: "t", TimeScale: 0.1}, nil, "--time-scale shrinks"},
		{"window with a target, discover", Request{Command: Discover, Target: vault, Token: "t", Window: "fixed"}, nil, "--window configures the embedded emulator; discover finds a real target's"},
		{"several vaults with a target", Request{Command: Run, Scenario: "subscription-spill", Target: vault, Token: "t"}, nil, "scenario subscription-spill spreads over"},
		{"a suite with several vaults and a target", Request{Command: Suite, Suite: "quota", Target: vault, Token: "t"}, nil, "spreads over"},
		{"client id without a secret", Request{Command: Run, Scenario: "secrets-onset", Target: vault, TenantID: "T", ClientID: "C"}, nil, "--client-id signs in with a client secret: set $KVQUOTA_CLIENT_SECRET"},
		{"client id without a tenant", Request{Command: Discover, Target: vault, ClientID: "C"}, []string{EnvClientSecret, secret}, "a client-secret sign-in needs --tenant as well as --client-id"},
		{"token for the embedded emulator", Request{Command: Run, Scenario: "secrets-onset", Token: "t"}, nil, "--token is for --target: the embedded emulator signs its own tokens"},
		{"token for the embedded emulator, discover", Request{Command: Discover, Token: "t"}, nil, "--token is for --target"},
		{"ca for the embedded emulator", Request{Command: Suite, Suite: "quota", CAFile: "ca.pem"}, nil, "--ca is for --target"},
		{"tenant alone, embedded", Request{Command: Run, Scenario: "secrets-onset", TenantID: "T"}, nil, "signing in to the embedded emulator takes --tenant and --client-id together"},
		{"client id alone, embedded", Request{Command: Suite, Suite: "quota", ClientID: "C"}, []string{EnvClientSecret, secret}, "takes --tenant and --client-id together"},
		{"no secret, embedded", Request{Command: Suite, Suite: "quota", TenantID: "T", ClientID: "C"}, nil, "--tenant and --client-id sign in to the embedded emulator with a client secret: set $KVQUOTA_CLIENT_SECRET"},
		{"clientcheck with a target", Request{Command: Clientcheck, Target: vault}, nil, "clientcheck serves its own emulated vault: it takes no --target, --token or --ca"},
		{"emulate with a token", Request{Command: Emulate, Token: "t"}, nil, "emulate serves its own emulated vault"},
		{"discover with a scenario", Request{Command: Discover, Scenario: "secrets-onset"}, nil, "discover takes no scenario"},
		{"emulate for an unknown scenario", Request{Command: Emulate, Scenario: "nope"}, nil, "not a scenario file and not a built-in scenario"},
		{"shard not i/N", Request{Command: Run, Scenario: "secrets-onset", Target: vault, Token: "t", Shard: "2"}, nil, `--shard "2": want i/N, e.g. 2/4`},
		{"shards of the embedded emulator", Request{Command: Run, Scenario: "secrets-onset", Shard: "2/4"}, nil, "--shard 2/4: the shards of a run attack one target, and each embedded emulator is a vault of its own: give --target"},
		{"shard not numbers", Request{Command: Run, Scenario: "secrets-onset", Shard: "a/b"}, nil, `--shard "a/b": want i/N`},
		{"shard index 0", Request{Command: Run, Scenario: "secrets-onset", Shard: "0/4"}, nil, `--shard "0/4": the shard index is 1-based and at most the number of shards (1 <= i <= 4)`},
		{"shard index past the count", Request{Command: Run, Scenario: "secrets-onset", Shard: "5/4"}, nil, `--shard "5/4": the shard index is 1-based`},
		{"no shards", Request{Command: Run, Scenario: "secrets-onset", Shard: "0/0"}, nil, `--shard "0/0": the number of shards must be at least 1`},
		{"shard of a suite", Request{Command: Run, Suite: "quota", Shard: "1/2"}, nil, "--shard is for run with one scenario: a suite or suite is not split"},
		{"shard for discover", Request{Command: Discover, Shard: "1/2"}, nil, "--shard is for run with one scenario"},
		{"start-at not a time", Request{Command: Run, Scenario: "secrets-onset", StartAt: "10:15"}, nil, `--start-at "10:15": want an RFC 3339 time such as 2026-12-02T10:15:00Z`},
		{"start-at for a suite", Request{Command: Run, Suite: "quota", StartAt: "2026-12-02T10:15:00Z"}, nil, "--start-at is for run with one scenario"},
		{"source address not an IP", Request{Command: Run, Scenario: "secrets-onset", SourceAddr: "myhost"}, nil, `--source-addr "myhost" is not an IP address`},
		{"source address for auth-conformance", Request{Command: Run, Scenario: "auth-conformance", SourceAddr: "127.0.0.2"}, nil, "--source-addr: scenario auth-conformance chooses the source address of each of its cases"},
		{"source address for a suite", Request{Command: Run, Suite: "quota", SourceAddr: "127.0.0.2"}, nil, "--source-addr is for run with one scenario"},
		{"time scale with a loopback target, discover", Request{Command: Discover, Target: "https://127.0.0.1:8443", Token: "t", TimeScale: 0.1}, nil, "--time-scale shrinks"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.r.Getenv = env(tc.env...)
			p, err := Resolve(tc.r)
			require.Error(t, err)
			assert.Nil(t, p)
			assert.Contains(t, err.Error(), tc.want)
			assert.True(t, errors.Is(err, ErrUsage), "a usage error: %v", err)
			assert.NotContains(t, err.Error(), secret, "no error shows the secret")
		})
	}
}

// TestResolveAccepts holds what each accepted combination resolves to.
func TestResolveAccepts(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 12, 1, 10, 15, 0, 0, time.UTC) }
	resolve := func(t *testing.T, r Request, kv ...string) *Plan {
		t.Helper()
		r.Getenv, r.Now = env(kv...), now
		p, err := Resolve(r)
		require.NoError(t, err)
		return p
	}

	t.Run("a built-in against the embedded emulator", func(t *testing.T) {
		p := resolve(t, Request{Command: Run, Scenario: "secrets-onset"}, EnvToken, "ignored for the emulator")
		require.Len(t, p.Scenarios, 1)
		assert.Equal(t, Run, p.Command)
		assert.True(t, p.Target.Embedded())
		assert.Equal(t, SignIn{}, p.Target.SignIn, "the built-in identity")
		assert.Equal(t, p.Scenarios[0].Profile, p.Profile.Name, "the scenario's own profile")
		assert.Nil(t, p.Scale)
		assert.Equal(t, "kvquota-runs/secrets-onset-20261201-101500", p.Out)
		sr, err := p.Scenario(p.Scenarios[0])
		require.NoError(t, err)
		assert.Equal(t, sr.Documented.Limit(limits.Secrets), sr.Emulated.Limit(limits.Secrets))
	})
	t.Run("profile, window and a wrong emulator", func(t *testing.T) {
		p := resolve(t, Request{Command: Run, Scenario: "secrets-onset", Profile: "2018", Window: "fixed", Limits: []string{"secrets=2400"}, RetryAfter: true, Out: "o"})
		s := p.Scenarios[0]
		assert.Equal(t, "2018", s.Profile)
		assert.Equal(t, limits.Fixed, s.Window)
		assert.Equal(t, "o", p.Out)
		sr, err := p.Scenario(s)
		require.NoError(t, err)
		assert.Equal(t, 2000, sr.Judged.Limit(limits.Secrets), "the judgement stays the documentation's")
		assert.Equal(t, 2400, sr.Emulated.Limit(limits.Secrets))
		cfg := p.EmulatorConfig(sr.Emulated, s.Window)
		assert.True(t, cfg.RetryAfter)
		assert.False(t, cfg.ReuseKeyMaterial)
	})
	t.Run("a suite against a faulty emulator", func(t *testing.T) {
		p := resolve(t, Request{Command: Suite, Suite: "quota", Faults: []string{"per-client", "bad-429-body"}})
		assert.Equal(t, []emulator.Fault{emulator.FaultPerClient, emulator.FaultBad429Body}, p.EmulatorConfig(p.Profile, "").Faults)
	})
	t.Run("a slow emulator", func(t *testing.T) {
		p := resolve(t, Request{Command: Emulate, Latency: "50ms,20ms", LatencySeed: 9})
		assert.Equal(t, emulator.Latency{Before: 50 * time.Millisecond, After: 20 * time.Millisecond, Seed: 9}, p.EmulatorConfig(p.Profile, "").Latency)
	})
	t.Run("time-scaled", func(t *testing.T) {
		p := resolve(t, Request{Command: Run, Scenario: "secrets-onset", TimeScale: 0.1, Limits: []string{"secrets=4400"}})
		require.NotNil(t, p.Scale)
		sr, err := p.Scenario(p.Scenarios[0])
		require.NoError(t, err)
		// 4000 per 10 s keeps its rate at a tenth (400 per 1 s), but 400/s is
		// past the 150/s a scaled scenario may need, so its window stretches
		// to 2.67 s and holds the same 400.
		assert.Equal(t, 2666666666*time.Nanosecond, sr.Judged.Window)
		assert.Equal(t, 400, sr.Judged.Limit(limits.Secrets))
		assert.Equal(t, 440, sr.Emulated.Limit(limits.Secrets), "a wrong limit stays wrong by the same ratio")
		assert.Equal(t, 30, sr.Judged.Limit(limits.SecretsCreate), "one factor for every row: 300 is still 3/40 of 4000")
		assert.Less(t, sr.Scenario.Duration(), p.Scenarios[0].Duration(), "the stages shrink")
		assert.True(t, p.EmulatorConfig(sr.Emulated, limits.Sliding).ReuseKeyMaterial)
	})
	t.Run("time-scaled, a mix of rows keeps their ratio", func(t *testing.T) {
		p := resolve(t, Request{Command: Run, Scenario: "weighted-example", TimeScale: 0.1})
		sr, err := p.Scenario(p.Scenarios[0])
		require.NoError(t, err)
		hsm4096, hsm2048 := sr.Judged.Limit(limits.Class("rsa4096-hsm-other")), sr.Judged.Limit(limits.Class("rsa2048-hsm-other"))
		assert.Equal(t, 50, hsm4096, "the smallest row touched holds 50 a window")
		assert.Equal(t, 8*hsm4096, hsm2048, "250 : 2000 as documented")
	})
	t.Run("a time scale of 1 is none", func(t *testing.T) {
		assert.Nil(t, resolve(t, Request{Command: Run, Scenario: "secrets-onset", TimeScale: 1}).Scale)
	})
	t.Run("a suite, with a window and credentials for the emulator", func(t *testing.T) {
		p := resolve(t, Request{Command: Run, Suite: "quota", Window: "token-bucket", TenantID: "T", ClientID: "C"}, EnvClientSecret, secret)
		assert.Equal(t, Suite, p.Command)
		assert.Greater(t, len(p.Scenarios), 10)
		for _, s := range p.Scenarios {
			assert.Equal(t, limits.TokenBucket, s.Window, s.Name)
			assert.Equal(t, limits.DefaultProfile, s.Profile, s.Name)
		}
		assert.Equal(t, SignIn{TenantID: "T", ClientID: "C", ClientSecret: secret}, p.Target.SignIn)
		assert.Equal(t, "kvquota-runs/suite-quota-20261201-101500", p.Out)
	})
	t.Run("a real target with a token from the environment", func(t *testing.T) {
		p := resolve(t, Request{Command: Run, Scenario: "secrets-onset", Target: vault + "/", CAFile: "ca.pem"}, EnvToken, "tok", EnvClientSecret, secret)
		assert.Equal(t, Target{URL: vault, CAFile: "ca.pem", SignIn: SignIn{Token: "tok"}}, p.Target, "the token wins; no trailing slash")
		assert.Equal(t, "the bearer token given", p.Target.SignIn.Describe(false))
	})
	t.Run("a real target with a client secret", func(t *testing.T) {
		p := resolve(t, Request{Command: Discover, Target: vault, TenantID: "T", ClientID: "C"}, EnvClientSecret, secret)
		assert.Equal(t, SignIn{TenantID: "T", ClientID: "C", ClientSecret: secret}, p.Target.SignIn)
		assert.NotContains(t, p.Target.SignIn.Describe(false), secret)
	})
	t.Run("a real target with DefaultAzureCredential", func(t *testing.T) {
		p := resolve(t, Request{Command: Run, Scenario: "secrets-onset", Target: vault, TenantID: "T"}, EnvClientSecret, secret)
		assert.Equal(t, SignIn{TenantID: "T"}, p.Target.SignIn, "without --client-id the secret is not used")
		assert.Contains(t, p.Target.SignIn.Describe(false), "DefaultAzureCredential")
	})
	t.Run("a shard from a source address, time-scaled against a loopback emulator", func(t *testing.T) {
		p := resolve(t, Request{Command: Run, Scenario: "secrets-onset", Shard: " 3 / 4 ", SourceAddr: "127.0.0.4", Target: "https://127.0.0.1:8443", Token: "t", TimeScale: 0.1, StartAt: "2026-12-01T10:20:00.5+01:00"})
		assert.True(t, time.Date(2026, 12, 1, 9, 20, 0, 5e8, time.UTC).Equal(p.StartAt), "%v", p.StartAt)
		assert.Equal(t, &Shard{Index: 3, Count: 4}, p.Shard)
		assert.Equal(t, "3/4", p.Shard.String())
		assert.Equal(t, "127.0.0.4", p.SourceAddr.String())
		require.NotNil(t, p.Scale, "a kvquota emulate on loopback may be time-scaled")
		sr, err := p.Scenario(p.Scenarios[0])
		require.NoError(t, err)
		assert.Equal(t, p.Scenarios[0].Seed+2, sr.Scenario.Seed, "shard 3 draws its own sequence")
		assert.Nil(t, sr.Emulated, "a target, not the embedded emulator")
		for _, host := range []string{"https://localhost:8443", "https://[::1]:8443"} {
			assert.NotNil(t, resolve(t, Request{Command: Run, Scenario: "secrets-onset", Target: host, Token: "t", TimeScale: 0.1}).Scale, host)
		}
	})
	t.Run("emulate what a scenario's time-scaled run expects", func(t *testing.T) {
		p := resolve(t, Request{Command: Emulate, Scenario: "secrets-onset", TimeScale: 0.1, Limits: []string{"secrets=4800"}})
		run := resolve(t, Request{Command: Run, Scenario: "secrets-onset", TimeScale: 0.1, Limits: []string{"secrets=4800"}})
		sr, err := run.Scenario(run.Scenarios[0])
		require.NoError(t, err)
		assert.Equal(t, sr.Emulated, p.Emulated(), "what the embedded emulator of the run would enforce")
		assert.Equal(t, "2021", p.Profile.Name, "the scenario's profile, not the default")
		assert.Equal(t, limits.Counting(run.Scenarios[0].Window), p.Window, "the model the run's embedded emulator would count by")
		assert.Equal(t, limits.Fixed, resolve(t, Request{Command: Emulate, Scenario: "secrets-onset", Window: "fixed"}).Window)
		assert.Equal(t, "2018", resolve(t, Request{Command: Emulate, Scenario: "secrets-onset", Profile: "2018"}).Emulated().Name)
		// A scenario a program loaded takes the name's place, as for run.
		s, err := scenarios.Resolve("secrets-onset")
		require.NoError(t, err)
		s.Limits = map[limits.Class]int{limits.Secrets: 2000}
		loaded := resolve(t, Request{Command: Emulate, Loaded: s, TimeScale: 0.1})
		assert.Equal(t, 200, loaded.Emulated().Limit(limits.Secrets), "the loaded scenario's 2000 per 10 s, scaled by its own factor")
		assert.InDelta(t, 4*time.Second/3, loaded.Emulated().Window, float64(time.Millisecond), "at most 150/s: x0.133")
	})
	t.Run("the first shard and a shard of one keep the seed", func(t *testing.T) {
		for _, sh := range []string{"1/4", "1/1"} {
			p := resolve(t, Request{Command: Run, Scenario: "secrets-onset", Shard: sh, Target: vault, Token: "t"})
			sr, err := p.Scenario(p.Scenarios[0])
			require.NoError(t, err)
			assert.Equal(t, p.Scenarios[0].Seed, sr.Scenario.Seed, sh)
		}
		assert.Nil(t, resolve(t, Request{Command: Run, Scenario: "secrets-onset"}).Shard, "no --shard: the whole schedule")
		assert.True(t, resolve(t, Request{Command: Run, Scenario: "secrets-onset", Shard: "1/1"}).Target.Embedded(), "a shard of one may use the embedded emulator")
	})
	t.Run("discover, clientcheck and emulate start their own emulator", func(t *testing.T) {
		for _, c := range []Command{Discover, Clientcheck, Emulate} {
			p := resolve(t, Request{Command: c, Window: "fixed", Limits: []string{"secrets=4800"}, TimeScale: 0.1})
			assert.True(t, p.Target.Embedded(), c)
			assert.Equal(t, limits.Fixed, p.Window, c)
			assert.Equal(t, limits.DefaultProfile, p.Profile.Name, c)
			assert.Equal(t, 120, p.Emulated().Limit(limits.Secrets), c)
			assert.Equal(t, 100, p.Judged().Limit(limits.Secrets), c)
		}
		assert.Empty(t, resolve(t, Request{Command: Emulate}).Out, "emulate writes no run directory")
		assert.Equal(t, "kvquota-runs/discover-20261201-101500", resolve(t, Request{Command: Discover}).Out)
	})
}

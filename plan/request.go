package plan

import (
	"time"

	"github.com/kvquota/kvquota/scenarios"
)

// Command is what a plan is for. Each command accepts its own flags; Resolve
// checks the combinations it is given.
type Command string

// The commands that resolve a plan.
const (
	// Run is `kvquota run SCENARIO`, or `kvquota run --suite NAME` when
	// Request.Suite is set (the plan's Command is then Suite).
	Run Command = "run"
	// Suite is every scenario of a named suite, one after another.
	Suite Command = "suite"
	// Discover probes a target for its limits and window model.
	Discover Command = "discover"
	// Clientcheck runs an application against the embedded emulator.
	Clientcheck Command = "clientcheck"
	// Emulate serves the emulated vault.
	Emulate Command = "emulate"
)

// Request is what the user asked for, as flags and the environment say it,
// before anything is checked. The zero value of a field means "not given".
type Request struct {
	Command Command
	// Scenario is a scenario file or a built-in's name (Run); Suite a suite's
	// name (Run with --suite).
	Scenario, Suite string
	// Loaded is a scenario a program loaded itself; it takes Scenario's place.
	Loaded *scenarios.Scenario
	// Profile names the documented limits profile to judge against (and to
	// emulate). Empty: a scenario's own, else limits.DefaultProfile.
	Profile string
	// Window narrows the checks to one window model ("any" for every model
	// the documentation allows) and is the model the embedded emulator counts
	// by (sliding for "any"). Empty: a scenario's own, else any model judged
	// and sliding counted.
	Window string
	// Limits are CLASS=N changes to the embedded emulator's limits: a
	// deliberately wrong target. They never change the judgement.
	Limits []string
	// TimeScale shrinks windows and stages (0 or 1: none).
	TimeScale float64
	// RetryAfter makes the embedded emulator send Retry-After on 429.
	RetryAfter bool
	// Lax makes the embedded emulator deliberately wrong about authentication.
	Lax string
	// Faults make the embedded emulator deliberately wrong about throttling
	// (emulator.Fault names; run and emulate).
	Faults []string
	// Latency makes the embedded emulator slow on purpose, "BEFORE[,AFTER]"
	// (emulator.ParseLatency; run and emulate), its delays seeded with
	// LatencySeed.
	Latency     string
	LatencySeed uint64
	// Target is a vault URL; empty is the embedded emulator (for Run, the
	// scenario's target if it names one).
	Target string
	// Token is a bearer token for Target ($KVQUOTA_TOKEN when empty).
	Token string
	// TenantID and ClientID select a client-secret sign-in when
	// $KVQUOTA_CLIENT_SECRET is set (a secret is never a flag: flags end up in
	// shell history and process lists); TenantID alone is a hint to
	// DefaultAzureCredential.
	TenantID, ClientID string
	// CAFile is a PEM file of extra roots to trust for Target.
	CAFile string
	// Out is the output directory; empty is ./kvquota-runs/<name>-<time>.
	Out string
	// Shard is "i/N": this run sends shard i's share of N (Run only).
	Shard string
	// StartAt is an RFC 3339 time at which the attack starts, after the
	// setup (Run only): the shards of one run start together.
	StartAt string
	// SourceAddr is the local IP address the attack's connections leave
	// from (Run only), e.g. 127.0.0.2 for one of several shards on one
	// machine.
	SourceAddr string

	// Getenv reads the environment; nil is os.Getenv.
	Getenv func(string) string
	// Now dates the default output directory; nil is time.Now.
	Now func() time.Time
}

// The environment variables a request reads.
const (
	EnvToken        = "KVQUOTA_TOKEN"
	EnvClientSecret = "KVQUOTA_CLIENT_SECRET"
)

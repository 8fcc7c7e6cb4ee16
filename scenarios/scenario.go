package scenarios

import (
	"time"

	"github.com/kvquota/kvquota/limits"
)

// Scenario is one validated scenario file.
type Scenario struct {
	// Name identifies the scenario in reports and run directory names.
	Name string
	// Description says what the scenario proves, for reports.
	Description string
	// Source is the file the scenario came from ("builtin:NAME" for embedded ones).
	Source string
	// Raw is the text the scenario was parsed from, so a run directory can keep
	// the exact file it ran.
	Raw []byte
	// Profile is the limits profile the scenario is judged against.
	Profile string
	// Window narrows the checks to one window model (and is the model the
	// embedded emulator counts by). Empty means the checks accept any model the
	// documentation allows and the emulator counts sliding (limits.Counting).
	Window limits.WindowModel
	// Target is an optional vault URL; empty means the embedded emulator.
	Target string
	// Limits overrides class limits of the profile, for emulating a vault whose
	// limits were raised.
	Limits map[limits.Class]int
	// Seed makes the operation mix deterministic.
	Seed int64
	// Clients spreads the attack's requests, round robin, over this many
	// client identities of the embedded emulator, each signing in for its
	// own token and sending from its own loopback address (0 or 1: one).
	// Quota is per vault, not per client: the clients together must be
	// throttled at the vault's limit.
	Clients int
	// Setup runs once before the attack, and its traffic is not judged.
	Setup []SetupStep
	// Stages are the offered load over time, in order.
	Stages []Stage
	// Mix is the weighted operation mix the attack draws from.
	Mix []Op
	// Expect lists the checks the run must pass.
	Expect []Expectation
}

// OpKind names a data-plane operation.
type OpKind string

// The operations a scenario can use.
const (
	GetSecret          OpKind = "get-secret"
	SetSecret          OpKind = "set-secret"
	ListSecrets        OpKind = "list-secrets"
	ListSecretVersions OpKind = "list-secret-versions"
	DeleteSecret       OpKind = "delete-secret"
	// Key operations (keys.go). "Other" operations need a key that a
	// create-key setup step makes.
	CreateKey OpKind = "create-key"
	GetKey    OpKind = "get-key"
	SignKey   OpKind = "sign"
	VerifyKey OpKind = "verify"
	Encrypt   OpKind = "encrypt"
	WrapKey   OpKind = "wrap-key"
	// Imports (imports.go): a key's JWK (PUT /keys/{name}) and a certificate
	// with its private key (POST /certificates/{name}/import). Their class
	// depends on the profile (limits.Profile.ImportClass).
	ImportKey         OpKind = "import-key"
	ImportCertificate OpKind = "import-certificate"
)

// SetupStep creates what the attack needs, e.g. Count secrets named from Name.
type SetupStep struct {
	Op    OpKind
	Count int
	// Name is a pattern; "{i}" stands for 0..Count-1.
	Name string
	// Size is the length in bytes of generated secret values.
	Size int
	// KeyParams describe the keys a create-key step makes.
	KeyParams
}

// Op is one entry of the operation mix.
type Op struct {
	Op     OpKind
	Weight float64
	// Name is a pattern; "{i}" stands for a number drawn uniformly from 0..Count-1
	// (with the scenario's seed), so the mix can spread over many secrets.
	Name  string
	Count int
	// Size is the length in bytes of generated secret values (set-secret).
	Size int
	// MaxResults is the page size of list operations (0: the service default).
	MaxResults int
	// KeyParams describe the key of a key operation: given for create-key,
	// taken from the setup step that creates the key for the others.
	KeyParams
	// Vaults spreads the entry's requests evenly over this many vaults of the
	// embedded emulator (see limits.SplitVault); 0 or 1 is the one vault.
	Vaults int
}

// Stage is a span of offered load. Rate is the rate at its start; when To is set
// the rate moves linearly from Rate to To over Duration (a ramp), else it stays.
type Stage struct {
	Duration time.Duration
	Rate     Rate
	To       *Rate
}

// Rate is an offered rate, either absolute (requests per second) or relative to
// the documented limit rate of the scenario's mix (e.g. "80%").
type Rate struct {
	PerSecond float64
	// OfLimit is the fraction of the mix's limit rate when Relative is true.
	OfLimit  float64
	Relative bool
}

// CheckName names an assert check.
type CheckName string

// The checks a scenario can expect. The assert package implements them.
const (
	CheckOnset           CheckName = "onset"
	CheckNoEarlyThrottle CheckName = "no-early-throttle"
	CheckNoThrottle      CheckName = "no-throttle"
	CheckGoodput         CheckName = "goodput"
	CheckErrorShape      CheckName = "error-shape"
	// CheckSubscriptionOnset: the first 429 comes when the subscription's
	// bucket (all vaults together) is full, while no vault's is.
	CheckSubscriptionOnset CheckName = "subscription-onset"
	// CheckVaultOnset: over several vaults whose sum leaves the
	// subscription room, the first 429 comes when its vault's own window is
	// full, from the vault's bucket (subscription-onset the other way).
	CheckVaultOnset CheckName = "vault-onset"
	// CheckAnswered: every request got an HTTP answer (a target that dies
	// mid-run fails it). Judged on every run with an unanswered request,
	// asked for or not.
	CheckAnswered CheckName = "answered"
)

// Expectation is one check with its tolerance.
type Expectation struct {
	Check CheckName
	// Tolerance is relative (0.01 is 1%); zero means the check's default.
	Tolerance float64
	// Stage is the 1-based stage a stage-bound check (goodput) looks at; zero
	// means the check chooses (goodput: every stage offered above the limit).
	Stage int
}

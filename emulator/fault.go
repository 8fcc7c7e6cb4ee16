package emulator

import (
	"fmt"
	"strings"

	"github.com/kvquota/kvquota/emulator/kverror"
	"github.com/kvquota/kvquota/emulator/quota"
)

// Fault names a deliberate infidelity of the emulated vault's throttling: how
// it counts quota (package quota's Faults) or how it answers a 429 (package
// kverror's Wrong429). Like Lax for authentication, it exists to show that a
// conformance gate fails a wrong vault: `kvquota run --suite quota --fault
// per-client` must exit 1 (docs/conformance.md has the table of which gate
// kills which fault).
//
// Faults are a list, not one setting like Lax, because they are independent
// (a vault can both count per client and send a plain-text 429) and because
// each is carried out by the package that owns its concern: Config.Faults is
// turned into quota.Faults and kverror.Wrong429 in one place (faults below),
// and nothing else in the emulator looks at it. A wrong limit is not a Fault:
// --limit CLASS=N (Profile) says it with a figure.
type Fault string

// The faults. A vault with none is faithful.
const (
	// FaultCountRefused counts refused (429) requests against the quota as
	// if they had been admitted (quota.Faults.CountRefused).
	FaultCountRefused Fault = "count-refused"
	// FaultUnweighted ignores weighting: each class is counted on its own
	// against its row's limit, with no summed cost (quota.Faults.PerClass).
	FaultUnweighted Fault = "unweighted"
	// FaultNoSecretSetRow counts secret sets in the "all other" secrets row
	// (quota.Faults.NoSecretSetRow).
	FaultNoSecretSetRow Fault = "no-secret-set-row"
	// FaultPerClient keeps quota per client identity (the token's appid)
	// instead of per vault (quota.Faults.PerClient).
	FaultPerClient Fault = "per-client"
	// FaultWindowLong and FaultWindowShort count over a window 10% longer or
	// shorter than the profile's (quota.Faults.WindowFactor 1.1 and 0.9).
	FaultWindowLong  Fault = "window-long"
	FaultWindowShort Fault = "window-short"
	// FaultBad429Body answers 429s with a JSON body that is not Key Vault's
	// error shape (kverror.Wrong429.NotKeyVaultBody).
	FaultBad429Body Fault = "bad-429-body"
	// FaultBad429ContentType answers 429s as text/plain
	// (kverror.Wrong429.TextPlain).
	FaultBad429ContentType Fault = "bad-429-content-type"
)

// FaultSettings lists the faults, for flag help and errors.
func FaultSettings() []Fault {
	return []Fault{FaultCountRefused, FaultUnweighted, FaultNoSecretSetRow, FaultPerClient,
		FaultWindowLong, FaultWindowShort, FaultBad429Body, FaultBad429ContentType}
}

// FaultNames lists the faults' names, comma-separated, for flag help.
func FaultNames() string {
	names := make([]string, 0, len(FaultSettings()))
	for _, f := range FaultSettings() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

// ParseFaults checks fault names; an error names the first unknown one and
// the known ones. Repeats are kept once; window-long with window-short is an
// error, as a window cannot be both.
func ParseFaults(names []string) ([]Fault, error) {
	var out []Fault
	seen := map[Fault]bool{}
	for _, n := range names {
		f, ok := parseFault(n)
		if !ok {
			if strings.EqualFold(strings.TrimSpace(n), string(LaxNoChallenge)) {
				return nil, fmt.Errorf("fault %q is a lax setting: use --lax %s", n, LaxNoChallenge)
			}
			return nil, fmt.Errorf("fault %q: want one of %s", n, FaultNames())
		}
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	if seen[FaultWindowLong] && seen[FaultWindowShort] {
		return nil, fmt.Errorf("faults %s and %s cannot both be set", FaultWindowLong, FaultWindowShort)
	}
	return out, nil
}

func parseFault(s string) (Fault, bool) {
	s = strings.TrimSpace(s)
	for _, f := range FaultSettings() {
		if strings.EqualFold(s, string(f)) {
			return f, true
		}
	}
	return "", false
}

// faults turns fs into the settings of the packages that carry them out.
func faults(fs []Fault) (quota.Faults, kverror.Wrong429) {
	var q quota.Faults
	var w kverror.Wrong429
	for _, f := range fs {
		switch f {
		case FaultCountRefused:
			q.CountRefused = true
		case FaultUnweighted:
			q.PerClass = true
		case FaultNoSecretSetRow:
			q.NoSecretSetRow = true
		case FaultPerClient:
			q.PerClient = true
		case FaultWindowLong:
			q.WindowFactor = 1.1
		case FaultWindowShort:
			q.WindowFactor = 0.9
		case FaultBad429Body:
			w.NotKeyVaultBody = true
		case FaultBad429ContentType:
			w.TextPlain = true
		}
	}
	return q, w
}

// faultNames is fs as names, for ParseFaults to check a Config's list.
func faultNames(fs []Fault) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f)
	}
	return out
}

// DescribeFaults names fs for a log line or banner, e.g. "per-client,
// window-long".
func DescribeFaults(fs []Fault) string { return strings.Join(faultNames(fs), ", ") }

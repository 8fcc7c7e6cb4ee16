package quota

import (
	"time"

	"github.com/kvquota/kvquota/limits"
)

// Faults are deliberate errors in the accounting. A conformance gate is only
// worth something if it fails a vault that counts wrong, so the emulator can be
// made to count wrong on demand (emulator.Fault names each one for the
// command line). Every fault is one a real implementation, a proxy or another
// emulator could plausibly have. The zero Faults counts as the documentation
// says.
type Faults struct {
	// CountRefused makes a refused request use room as if it had been
	// admitted. The documentation says throttled requests are not counted;
	// a limiter that records before it decides gets this wrong, and under
	// overload it admits far less than the limit.
	CountRefused bool
	// PerClass ignores weighting by counting each class on its own against
	// its own row's limit, with no summed cost across classes: the natural
	// "one counter per row" implementation. A mix of classes then gets up to
	// a full window of each instead of one window in all.
	PerClass bool
	// NoSecretSetRow counts secret sets (limits.SecretsCreate) in the "all
	// other" secrets row (limits.Secrets), as the 2018 text did and as an
	// implementation that never read the later row would.
	NoSecretSetRow bool
	// PerClient keeps one vault bucket per vault and client identity (the
	// token's appid) instead of one per vault: several clients together
	// then get that many times the vault's limit. The subscription's bucket
	// stays shared.
	PerClient bool
	// WindowFactor multiplies the profile's window (0 or 1: the profile's):
	// 1.1 is a window 10% long (fewer transactions per second at the limit),
	// 0.9 one 10% short.
	WindowFactor float64
}

// width is the window the faulty limiter counts over.
func (f Faults) width(w time.Duration) time.Duration {
	if f.WindowFactor <= 0 || f.WindowFactor == 1 {
		return w
	}
	return time.Duration(float64(w) * f.WindowFactor)
}

// class is the class a transaction is counted as.
func (f Faults) class(c limits.Class) limits.Class {
	if f.NoSecretSetRow && c == limits.SecretsCreate {
		return limits.Secrets
	}
	return c
}

// vaultKey names the bucket of vault for a transaction of class c (already
// mapped by class) from client.
func (f Faults) vaultKey(vault, client string, c limits.Class) string {
	k := vault
	if f.PerClient {
		k += "\x00client=" + client
	}
	if f.PerClass {
		k += "\x00class=" + string(c)
	}
	return k
}

// subKey names the subscription's bucket for class c: one bucket, or one per
// class under PerClass.
func (f Faults) subKey(c limits.Class) string {
	if f.PerClass {
		return string(c)
	}
	return ""
}

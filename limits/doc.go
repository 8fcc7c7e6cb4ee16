// Package limits holds Azure Key Vault's documented service limits as data.
//
// A Profile is one revision of the documentation (see shared/KEYVAULT.md for the
// sources): the window the limits apply to, the limit of every transaction class,
// and the factor by which a subscription's limit exceeds one vault's. Nothing else
// in kvquota hard-codes a limit: the emulator enforces a Profile and the assert
// package checks a run against the same Profile, so the two can never disagree.
//
// Enforcement is weighted: an operation of class c costs 1/Limit(c) of a window's
// budget, and a vault throttles when the summed cost in the window would pass 1.
// Costs are kept as integer counts per class (see Usage) so that sums such as
// the documentation's 248/250 + 16/2000 = 1 come out exact.
package limits

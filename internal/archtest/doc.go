// Package archtest holds the tests that keep kvquota's architecture as
// docs/architecture.md draws it: which package may import which, and the size
// limits of functions and files. It has no code of its own; this file gives
// `go vet` and `go doc` a package to name.
package archtest

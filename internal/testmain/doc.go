// Package testmain holds what the packages' TestMain functions share: the
// test flags a package defaults otherwise than go test does (Default), and
// how the binary ends (Exit).
//
// Exit ends a test binary without the race detector's pause. A binary built with -race that exits with status 0 first sleeps for
// GORACE's atexit_sleep_ms, 1 s unless set, so that goroutines still running
// can report a race before the process ends. When a test binary's
// testing.M.Run has returned 0 there is nothing left for that second to
// catch that testing has not judged already: M.Run fails a test during which
// a race was reported, and fails the whole run for one reported outside any
// test ("race detected outside of test execution"). The second is pure
// waiting, and `go test -race ./...` runs one binary per package, two at a
// time on two cores: with 28 packages, 14 s of every run were spent asleep.
//
// Every package's TestMain ends with Exit(m.Run()) (internal/archtest holds
// every package to it).
//
// Default is for a package whose tests want another setting than go test's
// default unless the command line gives one: four parallel tests where they
// wait on real windows rather than on the CPU (runner, cmd/kvquota), a
// benchtime of a few iterations where benchmarks run as tests (bench).
package testmain

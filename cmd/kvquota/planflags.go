package main

import (
	"context"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/plan"
)

// The flags of a plan.Request, each defined once here and shared by the
// commands that take it.

// targetFlags are the flags that name a real target and sign in to it.
func targetFlags(f *pflag.FlagSet, r *plan.Request) {
	f.StringVar(&r.Target, "target", "", "vault URL to attack instead of the embedded emulator")
	f.StringVar(&r.Token, "token", "", "bearer token for --target (default $"+plan.EnvToken+")")
	f.StringVar(&r.CAFile, "ca", "", "PEM file of CA certificates to trust for --target (e.g. from 'kvquota emulate')")
	signInFlags(f, r)
}

// signInFlags select a credential: with $KVQUOTA_CLIENT_SECRET a
// client-secret sign-in (at the embedded emulator's own authority when there
// is no --target); for a --target without either, DefaultAzureCredential.
func signInFlags(f *pflag.FlagSet, r *plan.Request) {
	f.StringVar(&r.TenantID, "tenant", "", "tenant to sign in to: with --client-id and $"+plan.EnvClientSecret+" a client-secret sign-in (at the embedded emulator's authority without --target); for --target without it, DefaultAzureCredential's tenant")
	f.StringVar(&r.ClientID, "client-id", "", "application (client) id of a client-secret sign-in")
}

// profileFlags choose the documented limits and the window model.
func profileFlags(f *pflag.FlagSet, r *plan.Request, profileHelp string) {
	f.StringVar(&r.Profile, "profile", "", profileHelp+" ("+joinNames(limits.Names())+")")
	f.StringVar(&r.Window, "window", "", "narrow the checks to one window model, which the embedded emulator then counts by: sliding, fixed or token-bucket (default: the checks accept any model the documentation allows, the emulator counts sliding)")
}

// emulatorFlags change the embedded emulator.
func emulatorFlags(f *pflag.FlagSet, r *plan.Request) {
	f.StringArrayVar(&r.Limits, "limit", nil, "change a limit of the embedded emulator, CLASS=N per documented window (repeatable); the judgement stays the documentation's")
	f.BoolVar(&r.RetryAfter, "retry-after", false, "make the embedded emulator send Retry-After on 429")
}

// faultFlag makes the embedded emulator deliberately wrong about throttling.
func faultFlag(f *pflag.FlagSet, r *plan.Request) {
	f.StringArrayVar(&r.Faults, "fault", nil, "make the embedded emulator deliberately wrong about throttling, to see a gate fail (repeatable): "+emulator.FaultNames())
}

// latencyFlags make the embedded emulator slow on purpose.
func latencyFlags(f *pflag.FlagSet, r *plan.Request) {
	f.StringVar(&r.Latency, "latency", "", "make the embedded emulator slow: each request waits a random time up to BEFORE before it is decided and up to AFTER once answered, BEFORE[,AFTER] (e.g. 50ms,20ms), to rehearse a busy machine or a distant vault")
	f.Uint64Var(&r.LatencySeed, "latency-seed", 1, "seed of --latency's random delays")
}

// timeScaleFlag shrinks windows and stages.
func timeScaleFlag(f *pflag.FlagSet, r *plan.Request) {
	f.Float64Var(&r.TimeScale, "time-scale", 0, "shrink windows and stages by this factor for a quick run, e.g. 0.1; limits are scaled too and every report says so")
}

func joinNames(ns []string) string { return strings.Join(ns, ", ") }

// interruptible is the command's context, cancelled by SIGINT or SIGTERM.
func interruptible(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
}

func defaultProfile() string { return limits.DefaultProfile }

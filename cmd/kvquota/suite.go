package main

import (
	"errors"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/runner"
)

// runSuite is `kvquota run --suite NAME`: every scenario of the suite, then
// one table of every verdict with its figures.
func runSuite(cmd *cobra.Command, suite, profile, win string, limitOverrides []string, quiet bool, c runner.Config) error {
	if _, ok := runner.Suites[suite]; !ok {
		return withCode(exitUsage, errors.New("unknown suite "+suite+" (known: "+strings.Join(runner.SuiteNames(), ", ")+")"))
	}
	if profile == "" {
		profile = limits.DefaultProfile
	}
	if _, err := limits.Get(profile); err != nil {
		return withCode(exitUsage, err)
	}
	if win != "" {
		return withCode(exitUsage, errors.New("--window applies to one scenario; a suite runs each with its own"))
	}
	var err error
	if c.TargetLimits, err = limits.ParseOverrides(limitOverrides); err != nil {
		return withCode(exitUsage, err)
	}
	if c.Token == "" {
		c.Token = os.Getenv("KVQUOTA_TOKEN")
	}
	if !quiet {
		c.Log = cmd.ErrOrStderr()
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rs, err := runner.RunSuite(ctx, runner.SuiteConfig{Suite: suite, Profile: profile, Run: c})
	runner.WriteSuiteTable(cmd.OutOrStdout(), profile, rs)
	if err != nil {
		return runExit(nil, err)
	}
	for _, r := range rs {
		if !r.Pass() {
			return withCode(exitFail, errGateFailed)
		}
	}
	return nil
}

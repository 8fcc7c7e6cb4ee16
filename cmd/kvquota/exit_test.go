package main

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestHelpListsTheExitCodesTheGateUses: the exit codes are the CI gate's
// contract and each command's help says them in prose (exit.go holds the
// numbers). A command whose help lists a code that is not one of the
// constants, or leaves out one it can end with, misleads a pipeline author.
func TestHelpListsTheExitCodesTheGateUses(t *testing.T) {
	all := []int{exitPass, exitFail, exitUsage, exitUnreachable, exitInconclusive, exitInterrupted}
	want := map[string][]int{
		"kvquota":     all,
		"run":         all,
		"clientcheck": {exitPass, exitFail, exitUsage, exitInconclusive, exitInterrupted},
		"report":      {exitPass, exitFail, exitUsage, exitInconclusive},
		"discover":    all,
	}
	// A code is a number at the start of the paragraph or after ", " or
	// ": ", followed by its meaning.
	code := regexp.MustCompile(`(?:^|, |: )(\d+) [a-z]`)
	root := newRootCmd()
	for name, codes := range want {
		c := root
		if name != "kvquota" {
			var err error
			c, _, err = root.Find([]string{name})
			if !assert.NoError(t, err, name) {
				continue
			}
		}
		long := strings.Join(strings.Fields(c.Long), " ")
		i := strings.Index(long, "Exit codes")
		if i < 0 {
			i = strings.Index(long, "exit code")
		}
		if !assert.GreaterOrEqual(t, i, 0, "%s's help says its exit codes", name) {
			continue
		}
		var listed []int
		for _, m := range code.FindAllStringSubmatch(long[i:], -1) {
			n, _ := strconv.Atoi(m[1])
			listed = append(listed, n)
		}
		slices.Sort(listed)
		assert.Equal(t, codes, slices.Compact(listed), "%s's help: %s", name, long[i:])
	}
}

// Package actiontest holds the tests of the kvquota GitHub Action: they read
// action.yml at the repository root and run its steps' commands the way a
// runner would (each `run:` step in bash with its env, GITHUB_OUTPUT,
// GITHUB_PATH and GITHUB_STEP_SUMMARY as files), against the embedded
// emulated vault, then check the job summary, the outputs and the exit code.
// GitHub itself is not involved: the `uses:` steps (setup-go, upload-artifact)
// are checked for what they would be handed, not run.
//
// A Go test rather than a shell test, so that it runs with `go test ./...`
// (the README's test command) and can parse action.yml with yaml.v3.
package actiontest

package testmain

import (
	"os"
	"strings"
	"syscall"
)

// Exit ends the process with code, as os.Exit does. A race-built binary
// exiting 0 ends at once, without os.Exit's exit hooks and the race
// detector's pause (see the package comment), unless $GORACE sets
// atexit_sleep_ms: a pause asked for is kept.
//
//lint:ignore deadcode only tests call it: every package's TestMain (package comment)
func Exit(code int) {
	if code == 0 && raceEnabled && !strings.Contains(os.Getenv("GORACE"), "atexit_sleep_ms") {
		syscall.Exit(0)
	}
	os.Exit(code)
}

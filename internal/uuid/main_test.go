package uuid

import (
	"testing"

	"github.com/kvquota/kvquota/internal/testmain"
)

// TestMain ends the binary without the race detector's pause (testmain).
func TestMain(m *testing.M) { testmain.Exit(m.Run()) }

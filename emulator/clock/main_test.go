package clock

import (
	"testing"

	"github.com/kvquota/kvquota/internal/testexit"
)

// TestMain ends the binary without the race detector's pause (testexit).
func TestMain(m *testing.M) { testexit.Exit(m.Run()) }

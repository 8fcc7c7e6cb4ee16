//go:build !linux

package bench

import "os"

// peakRSS is unknown off Linux: ru_maxrss has other units or does not exist,
// and the figure is left out rather than guessed.
func peakRSS(*os.ProcessState) int64 { return 0 }

//go:build !race

package testmain

// raceEnabled says the binary was built with -race.
const raceEnabled = false

//go:build !race

package testexit

// raceEnabled says the binary was built with -race.
const raceEnabled = false

package scenarios

import (
	"errors"
	"testing"
)

// FuzzParse feeds arbitrary bytes to Parse: it must never panic, and every
// failure must be an *Error that names the file.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{minimal, example, mixed, "", "- a", "a: *b", "x-a: &a {<<: *a}",
		"stages: [{duration: 1s, rate: 1}]\nmix: [{op: get-secret, name: \"{i}\", count: 3}]\n"} {
		f.Add([]byte(seed))
	}
	for _, name := range BuiltinNames() {
		src, err := BuiltinSource(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("f.yaml", data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.File != "f.yaml" {
				t.Fatalf("want an *Error naming the file, got %T: %v", err, err)
			}
			return
		}
		p, err := s.LimitsProfile()
		if err != nil {
			t.Fatalf("a valid scenario has a usable profile: %v", err)
		}
		if len(s.Schedule(p)) != len(s.Stages) || s.Duration() <= 0 || s.Duration() > MaxDuration {
			t.Fatalf("a valid scenario has a schedule")
		}
	})
}

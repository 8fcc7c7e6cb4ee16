package scenarios

import (
	"fmt"
	"strconv"
	"strings"
)

// IndexToken is the placeholder in name patterns that stands for a number.
const IndexToken = "{i}"

// MaxNameLength is Key Vault's limit on object names.
const MaxNameLength = 127

// ExpandName returns the name pattern with every "{i}" replaced by i.
func ExpandName(pattern string, i int) string {
	if !strings.Contains(pattern, IndexToken) {
		return pattern
	}
	return strings.ReplaceAll(pattern, IndexToken, strconv.Itoa(i))
}

// NameAt returns the name of the i-th secret the step creates.
func (s SetupStep) NameAt(i int) string { return ExpandName(s.Name, i) }

// NameAt returns the name the entry uses when i is drawn.
func (o Op) NameAt(i int) string { return ExpandName(o.Name, i) }

// checkNamePattern reports whether every expansion of pattern for i in
// 0..count-1 is a valid Key Vault name: ^[0-9a-zA-Z-]+$, 1 to 127 characters.
// Digits are valid name characters, so checking the literal text and the
// length of the longest expansion covers every i.
func checkNamePattern(pattern string, count int) error {
	if pattern == "" {
		return fmt.Errorf("is empty (want a Key Vault name such as app-secret-{i})")
	}
	literal := strings.ReplaceAll(pattern, IndexToken, "")
	for _, r := range literal {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-') {
			hint := ""
			if r == '{' || r == '}' {
				hint = "; the only placeholder is {i}"
			}
			return fmt.Errorf("%q is not a valid name pattern: %q is not allowed (Key Vault names use only 0-9, a-z, A-Z and -%s)", pattern, r, hint)
		}
	}
	longest := len(ExpandName(pattern, max(count-1, 0)))
	if longest == 0 {
		return fmt.Errorf("%q expands to an empty name", pattern)
	}
	if longest > MaxNameLength {
		return fmt.Errorf("%q expands to names of up to %d characters, more than the %d Key Vault allows", pattern, longest, MaxNameLength)
	}
	return nil
}

// names lists the names pattern expands to for i in 0..count-1.
func names(pattern string, count int) []string {
	if !strings.Contains(pattern, IndexToken) {
		return []string{pattern}
	}
	out := make([]string, count)
	for i := range out {
		out[i] = ExpandName(pattern, i)
	}
	return out
}

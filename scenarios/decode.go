package scenarios

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// nodeBudget bounds how many YAML nodes one file may make the decoder visit.
// Aliases and merge keys can make a small file expand exponentially ("billion
// laughs"); a real scenario visits a few hundred nodes.
const nodeBudget = 100_000

// doc walks the YAML tree of one scenario file. It decodes by hand from
// yaml.Node rather than into tagged structs so that every error can name the
// line, column and field, unknown fields are errors, and checks that span
// several fields (does the setup create what the mix reads?) can still point
// at the line where the offending value was written.
type doc struct {
	file string
	// at maps a field path ("mix[0].name") to the node of its value.
	at     map[string]*yaml.Node
	budget int
}

func newDoc(file string) *doc {
	return &doc{file: file, at: make(map[string]*yaml.Node), budget: nodeBudget}
}

// errAt reports a problem with node n, the value (or key) of field.
func (d *doc) errAt(n *yaml.Node, field, format string, args ...any) *Error {
	e := &Error{File: d.file, Field: field, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	return e
}

// errField reports a problem with a field already decoded, at its value.
func (d *doc) errField(field, format string, args ...any) *Error {
	return d.errAt(d.at[field], field, format, args...)
}

// entry is one field of a mapping: its key and its value.
type entry struct{ key, val *yaml.Node }

// child and item build field paths: "stages", "stages[1]", "stages[1].rate".
func child(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func item(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// resolve follows aliases and charges the node budget.
func (d *doc) resolve(n *yaml.Node, path string) (*yaml.Node, error) {
	for hops := 0; n.Kind == yaml.AliasNode; hops++ {
		if n.Alias == nil || hops > 100 {
			return nil, d.errAt(n, path, "alias *%s leads nowhere", n.Value)
		}
		n = n.Alias
	}
	d.budget--
	if d.budget < 0 {
		return nil, d.errAt(n, path, "the file holds more than %d YAML values (aliases count each time they are used); it cannot be a scenario", nodeBudget)
	}
	return n, nil
}

// kindName says what a node is, for "want X, got Y" messages.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.DocumentNode:
		return "a document"
	}
	if n.Tag == "!!null" {
		return "nothing"
	}
	return fmt.Sprintf("the value %q", n.Value)
}

// mapping returns the fields of the mapping n by name. Only the known names
// are accepted, so a typo is an error rather than a silently ignored field.
// YAML merge keys ("<<: *defaults") are honoured: fields written in the
// mapping win over merged ones, and earlier merges win over later ones.
// extension reports keys that may appear in addition to known (the top level
// lets "x-" keys hold anchors, as docker-compose does).
func (d *doc) mapping(n *yaml.Node, path, what string, known []string, extension func(string) bool) (map[string]entry, error) {
	n, err := d.resolve(n, path)
	if err != nil {
		return nil, err
	}
	d.at[path] = n
	if n.Kind != yaml.MappingNode {
		return nil, d.errAt(n, path, "want %s with the fields %s, got %s", what, strings.Join(known, ", "), kindName(n))
	}
	out := make(map[string]entry)
	if err := d.collect(n, path, known, extension, out); err != nil {
		return nil, err
	}
	return out, nil
}

func (d *doc) collect(n *yaml.Node, path string, known []string, extension func(string) bool, out map[string]entry) error {
	var merges []*yaml.Node
	own := make(map[string]*yaml.Node)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			return d.errAt(k, path, "field names must be plain words, got %s", kindName(k))
		}
		name := k.Value
		if prev, dup := own[name]; dup {
			return d.errAt(k, child(path, name), "set twice (first on line %d)", prev.Line)
		}
		own[name] = k
		if extension != nil && extension(name) {
			continue
		}
		if !slices.Contains(known, name) {
			msg := fmt.Sprintf("unknown field (known: %s)", strings.Join(known, ", "))
			if s := closest(name, known); s != "" {
				msg = fmt.Sprintf("unknown field; did you mean %q? (known: %s)", s, strings.Join(known, ", "))
			}
			return d.errAt(k, child(path, name), "%s", msg)
		}
		if _, set := out[name]; !set {
			out[name] = entry{k, v}
		}
	}
	for _, m := range merges {
		m, err := d.resolve(m, path)
		if err != nil {
			return err
		}
		var sources []*yaml.Node
		switch m.Kind {
		case yaml.MappingNode:
			sources = []*yaml.Node{m}
		case yaml.SequenceNode:
			sources = m.Content
		default:
			return d.errAt(m, path, "a merge (<<) wants a mapping or a list of mappings, got %s", kindName(m))
		}
		for _, s := range sources {
			s, err := d.resolve(s, path)
			if err != nil {
				return err
			}
			if s.Kind != yaml.MappingNode {
				return d.errAt(s, path, "a merge (<<) wants a mapping or a list of mappings, got %s", kindName(s))
			}
			if err := d.collect(s, path, known, extension, out); err != nil {
				return err
			}
		}
	}
	return nil
}

// list returns the items of the sequence n.
func (d *doc) list(n *yaml.Node, path, what string) ([]*yaml.Node, error) {
	n, err := d.resolve(n, path)
	if err != nil {
		return nil, err
	}
	d.at[path] = n
	if n.Kind != yaml.SequenceNode {
		return nil, d.errAt(n, path, "want a list of %s (lines starting with \"- \"), got %s", what, kindName(n))
	}
	return n.Content, nil
}

// scalar returns the text of a single value and remembers where it was written.
func (d *doc) scalar(e entry, path string) (string, error) {
	n, err := d.resolve(e.val, path)
	if err != nil {
		return "", err
	}
	d.at[path] = n
	if n.Kind != yaml.ScalarNode {
		return "", d.errAt(n, path, "want a single value, got %s", kindName(n))
	}
	if n.Tag == "!!null" {
		return "", d.errAt(n, path, "has no value")
	}
	return n.Value, nil
}

// closest returns the known name within two edits of s, if there is one, to
// suggest for a typo.
func closest(s string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if dd := editDistance(s, k); dd < bestD {
			best, bestD = k, dd
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/kvquota/kvquota/limits"
)

// MaxFileSize bounds the scenario files Load reads; real ones are a few KiB.
const MaxFileSize = 1 << 20

// The fields each mapping of the format accepts (see format.go).
var (
	topFields    = []string{"name", "description", "profile", "window", "target", "limits", "seed", "clients", "setup", "stages", "mix", "expect"}
	setupFields  = []string{"op", "name", "count", "size", "kty", "key-size", "curve"}
	stageFields  = []string{"duration", "rate", "to"}
	mixFields    = []string{"op", "weight", "name", "count", "size", "max-results", "kty", "key-size", "curve", "vaults"}
	expectFields = []string{"check", "tolerance", "stage"}
)

// Checks lists the checks a scenario can expect.
var Checks = []CheckName{CheckOnset, CheckNoEarlyThrottle, CheckNoThrottle, CheckGoodput, CheckErrorShape, CheckSubscriptionOnset, CheckVaultOnset, CheckAuth, CheckAnswered}

// scenarioName is what a scenario's name may look like: it becomes part of
// run directory names.
var scenarioName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// isExtension lets top-level "x-" fields hold YAML anchors for reuse, as in
// docker-compose files; their content is not read.
func isExtension(key string) bool { return strings.HasPrefix(key, "x-") }

// Load reads and validates the scenario file at path.
func Load(path string) (*Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Msg: "cannot read the scenario: " + pathErr(err), Err: err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, &Error{File: path, Msg: "cannot read the scenario: " + pathErr(err), Err: err}
	}
	if len(data) > MaxFileSize {
		return nil, &Error{File: path, Msg: fmt.Sprintf("the file is larger than %d bytes; it cannot be a scenario", MaxFileSize)}
	}
	return Parse(path, data)
}

// pathErr drops the path from an *fs.PathError, which Error prints already.
func pathErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Parse reads and validates a scenario. name is where data came from (a file
// path, or "builtin:NAME"): errors name it, and it becomes Source. A scenario
// without a name: field is named after the file.
func Parse(name string, data []byte) (*Scenario, error) {
	d := newDoc(name)
	root, err := d.root(data)
	if err != nil {
		return nil, err
	}
	s, err := d.scenario(root)
	if err != nil {
		return nil, err
	}
	s.Source = name
	s.Raw = append([]byte(nil), data...)
	if s.Name == "" {
		base := strings.TrimPrefix(filepath.Base(name), "builtin:")
		base = strings.TrimSuffix(base, filepath.Ext(base))
		if !scenarioName.MatchString(base) {
			return nil, d.errAt(root, "name", "missing, and the file name %q cannot stand in for it (want letters, digits, '.', '_' or '-')", base)
		}
		s.Name = base
	}
	if err := d.validate(s); err != nil {
		return nil, err
	}
	return s, nil
}

// root decodes the one YAML document of data and returns its top node.
func (d *doc) root(data []byte) (*yaml.Node, error) {
	empty := &Error{File: d.file, Msg: "the file is empty; a scenario needs at least stages: and mix:"}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var top yaml.Node
	if err := dec.Decode(&top); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, empty
		}
		return nil, syntaxError(d.file, err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, syntaxError(d.file, err)
	default:
		at := &extra
		if len(extra.Content) > 0 {
			at = extra.Content[0]
		}
		return nil, d.errAt(at, "", "a second YAML document starts here; a scenario file holds exactly one")
	}
	if len(top.Content) == 0 {
		return nil, empty
	}
	root, err := d.resolve(top.Content[0], "")
	if err != nil {
		return nil, err
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil, empty
	}
	if root.Kind != yaml.MappingNode {
		return nil, d.errAt(root, "", "a scenario is a mapping of fields (name:, stages:, mix:, ...), got %s", kindName(root))
	}
	return root, nil
}

// value returns the text of the single value of field key, if it is given.
func (d *doc) value(f map[string]entry, path, key string) (string, bool, error) {
	e, ok := f[key]
	if !ok {
		return "", false, nil
	}
	v, err := d.scalar(e, child(path, key))
	return v, true, err
}

// field parses the value of field key into *into when it is given, and turns
// a parse error into an *Error at the value.
func field[T any](d *doc, f map[string]entry, path, key string, parse func(string) (T, error), into *T) (bool, error) {
	v, ok, err := d.value(f, path, key)
	if err != nil || !ok {
		return ok, err
	}
	x, err := parse(v)
	if err != nil {
		return true, d.errField(child(path, key), "%v", err)
	}
	*into = x
	return true, nil
}

// missing reports a required field that is absent from the mapping at n.
func (d *doc) missing(n *yaml.Node, path, key, why string) *Error {
	return d.errAt(n, child(path, key), "missing: %s", why)
}

func checkScenarioName(v string) (string, error) {
	if !scenarioName.MatchString(v) {
		return "", fmt.Errorf("%q is not a usable name (want 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit)", v)
	}
	return v, nil
}

func checkProfile(v string) (string, error) {
	if _, err := limits.Get(v); err != nil {
		return "", err
	}
	return v, nil
}

func checkTarget(v string) (string, error) {
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q is not a vault URL such as https://myvault.vault.azure.net", v)
	}
	return strings.TrimRight(v, "/"), nil
}

func parseSeed(v string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number", v)
	}
	return n, nil
}

// overrides reads limits: {class: N, ...}.
func (d *doc) overrides(n *yaml.Node) (map[limits.Class]int, error) {
	n, err := d.resolve(n, "limits")
	if err != nil {
		return nil, err
	}
	if n.Kind != yaml.MappingNode {
		return nil, d.errAt(n, "limits", "want a mapping of transaction class to limit per window, e.g. {secrets: 6000}, got %s", kindName(n))
	}
	out := make(map[limits.Class]int)
	seen := make(map[limits.Class]*yaml.Node)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != yaml.ScalarNode {
			return nil, d.errAt(k, "limits", "want transaction class names as keys, got %s", kindName(k))
		}
		path := child("limits", k.Value)
		c, err := limits.ParseClass(k.Value)
		if err != nil {
			return nil, d.errAt(k, path, "%v", err)
		}
		if prev, dup := seen[c]; dup {
			return nil, d.errAt(k, path, "set twice (first on line %d)", prev.Line)
		}
		seen[c] = k
		v, err := d.scalar(entry{k, n.Content[i+1]}, path)
		if err != nil {
			return nil, err
		}
		if out[c], err = parseCount(v, 1, 10_000_000); err != nil {
			return nil, d.errField(path, "%v", err)
		}
	}
	return out, nil
}

func parseOpKind(v string) (OpKind, error) {
	k := OpKind(v)
	if !k.known() {
		known := make([]string, len(OpKinds))
		for i, o := range OpKinds {
			known[i] = string(o)
		}
		msg := fmt.Sprintf("unknown operation %q (known: %s)", v, strings.Join(known, ", "))
		if s := closest(v, known); s != "" {
			msg = fmt.Sprintf("unknown operation %q; did you mean %q? (known: %s)", v, s, strings.Join(known, ", "))
		}
		return "", errors.New(msg)
	}
	return k, nil
}

// opKind reads the op: field, which every setup step and mix entry needs.
func (d *doc) opKind(n *yaml.Node, f map[string]entry, path string) (OpKind, error) {
	var k OpKind
	ok, err := field(d, f, path, "op", parseOpKind, &k)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", d.missing(n, path, "op", "say which operation, e.g. op: get-secret")
	}
	return k, nil
}

// nameAndCount reads name: and count:, which go together: a name that uses
// {i} needs a count to say how many numbers it spreads over.
func (d *doc) nameAndCount(n *yaml.Node, f map[string]entry, path string) (name string, count int, err error) {
	count = 1
	str := func(v string) (string, error) { return v, nil }
	hasName, err := field(d, f, path, "name", str, &name)
	if err != nil {
		return "", 0, err
	}
	hasCount, err := field(d, f, path, "count", func(v string) (int, error) { return parseCount(v, 1, MaxCount) }, &count)
	if err != nil {
		return "", 0, err
	}
	if !hasName {
		return "", 0, d.missing(n, path, "name", "say which secret, e.g. name: app-{i} with count: 50")
	}
	if strings.Contains(name, IndexToken) && !hasCount {
		return "", 0, d.missing(n, path, "count", "the name uses {i}, so count must say how many numbers it stands for")
	}
	if err := checkNamePattern(name, count); err != nil {
		return "", 0, d.errField(child(path, "name"), "%v", err)
	}
	return name, count, nil
}

func (d *doc) setupStep(n *yaml.Node, path string) (SetupStep, error) {
	f, err := d.mapping(n, path, "a setup step", setupFields, nil)
	if err != nil {
		return SetupStep{}, err
	}
	st := SetupStep{Size: DefaultSize}
	if st.Op, err = d.opKind(n, f, path); err != nil {
		return st, err
	}
	if st.Op != SetSecret && st.Op != CreateKey {
		return st, d.errField(child(path, "op"), "%s cannot set up a vault; setup steps are %s and %s", st.Op, SetSecret, CreateKey)
	}
	if st.KeyParams, err = d.keyParams(f, path, st.Op); err != nil {
		return st, err
	}
	if st.Name, st.Count, err = d.nameAndCount(n, f, path); err != nil {
		return st, err
	}
	if _, err := field(d, f, path, "size", func(v string) (int, error) { return parseCount(v, 1, MaxSize) }, &st.Size); err != nil {
		return st, err
	}
	return st, nil
}

func (d *doc) stage(n *yaml.Node, path string) (Stage, error) {
	f, err := d.mapping(n, path, "a stage", stageFields, nil)
	if err != nil {
		return Stage{}, err
	}
	var st Stage
	ok, err := field(d, f, path, "duration", parseDuration, &st.Duration)
	if err != nil {
		return st, err
	}
	if !ok {
		return st, d.missing(n, path, "duration", "say how long the stage lasts, e.g. duration: 30s")
	}
	if ok, err = field(d, f, path, "rate", ParseRate, &st.Rate); err != nil {
		return st, err
	}
	if !ok {
		return st, d.missing(n, path, "rate", "say what load the stage offers, e.g. rate: 80% (of the limit) or rate: 300 (requests/s)")
	}
	var to Rate
	if ok, err = field(d, f, path, "to", ParseRate, &to); err != nil {
		return st, err
	}
	if ok {
		st.To = &to
	}
	return st, nil
}

func (d *doc) op(n *yaml.Node, path string) (Op, error) {
	f, err := d.mapping(n, path, "an operation", mixFields, nil)
	if err != nil {
		return Op{}, err
	}
	o := Op{Weight: 1, Count: 1}
	if o.Op, err = d.opKind(n, f, path); err != nil {
		return o, err
	}
	if _, err := field(d, f, path, "weight", parseWeight, &o.Weight); err != nil {
		return o, err
	}
	if o.Op.named() {
		if o.Name, o.Count, err = d.nameAndCount(n, f, path); err != nil {
			return o, err
		}
		if o.Count > 1 && !strings.Contains(o.Name, IndexToken) {
			return o, d.errField(child(path, "count"), "count %d has no effect without {i} in the name %q", o.Count, o.Name)
		}
	} else {
		for _, k := range []string{"name", "count"} {
			if e, ok := f[k]; ok {
				return o, d.errAt(e.key, child(path, k), "%s lists the whole vault and takes no %s", o.Op, k)
			}
		}
	}
	if o.Op == SetSecret {
		o.Size = DefaultSize
		if _, err := field(d, f, path, "size", func(v string) (int, error) { return parseCount(v, 1, MaxSize) }, &o.Size); err != nil {
			return o, err
		}
	} else if e, ok := f["size"]; ok {
		return o, d.errAt(e.key, child(path, "size"), "only %s sends a value; %s takes no size", SetSecret, o.Op)
	}
	if o.KeyParams, err = d.keyParams(f, path, o.Op); err != nil {
		return o, err
	}
	if _, err := field(d, f, path, "vaults", func(v string) (int, error) { return parseCount(v, 1, MaxVaults) }, &o.Vaults); err != nil {
		return o, err
	}
	if o.Op.listing() {
		if _, err := field(d, f, path, "max-results", func(v string) (int, error) { return parseCount(v, 1, MaxPageSize) }, &o.MaxResults); err != nil {
			return o, err
		}
	} else if e, ok := f["max-results"]; ok {
		return o, d.errAt(e.key, child(path, "max-results"), "only list operations take max-results, not %s", o.Op)
	}
	return o, nil
}

func parseCheck(v string) (CheckName, error) {
	known := make([]string, len(Checks))
	for i, c := range Checks {
		if string(c) == v {
			return c, nil
		}
		known[i] = string(c)
	}
	if s := closest(v, known); s != "" {
		return "", fmt.Errorf("unknown check %q; did you mean %q? (known: %s)", v, s, strings.Join(known, ", "))
	}
	return "", fmt.Errorf("unknown check %q (known: %s)", v, strings.Join(known, ", "))
}

func (d *doc) expectation(n *yaml.Node, path string) (Expectation, error) {
	f, err := d.mapping(n, path, "a check", expectFields, nil)
	if err != nil {
		return Expectation{}, err
	}
	var x Expectation
	ok, err := field(d, f, path, "check", parseCheck, &x.Check)
	if err != nil {
		return x, err
	}
	if !ok {
		return x, d.missing(n, path, "check", "say which check, e.g. check: onset")
	}
	if _, err := field(d, f, path, "tolerance", ParseTolerance, &x.Tolerance); err != nil {
		return x, err
	}
	if x.Check == CheckGoodput {
		if _, err := field(d, f, path, "stage", func(v string) (int, error) { return parseCount(v, 1, 10_000) }, &x.Stage); err != nil {
			return x, err
		}
	} else if e, ok := f["stage"]; ok {
		return x, d.errAt(e.key, child(path, "stage"), "only %s looks at one stage; %s covers the whole run", CheckGoodput, x.Check)
	}
	return x, nil
}

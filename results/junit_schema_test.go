package results_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/results"
)

// junitElement is one element of the JUnit XML schema that CI test reporters
// read: the Jenkins/Ant junit.xsd that GitHub Actions reporters
// (dorny/test-reporter, mikepenz/action-junit-report, EnricoMi/publish-unit-
// test-result-action) and Azure Pipelines' PublishTestResults@2 (format
// JUnit) accept.
type junitElement struct {
	required, optional []string
	children           []string // allowed child elements
	text               bool     // character data allowed
}

var junitSchema = map[string]junitElement{
	"testsuites": {optional: []string{"name", "tests", "failures", "errors", "skipped", "disabled", "time", "timestamp"},
		children: []string{"testsuite"}},
	"testsuite": {required: []string{"name", "tests"},
		optional: []string{"failures", "errors", "skipped", "disabled", "time", "timestamp", "hostname", "id", "package", "file"},
		children: []string{"properties", "testcase", "system-out", "system-err"}},
	"properties": {children: []string{"property"}},
	"property":   {required: []string{"name", "value"}},
	"testcase": {required: []string{"name"},
		optional: []string{"classname", "time", "assertions", "status", "file", "line"},
		children: []string{"skipped", "error", "failure", "system-out", "system-err"}},
	"failure":    {optional: []string{"message", "type"}, text: true},
	"error":      {optional: []string{"message", "type"}, text: true},
	"skipped":    {optional: []string{"message"}, text: true},
	"system-out": {text: true},
	"system-err": {text: true},
}

var (
	xsInt      = regexp.MustCompile(`^[0-9]+$`)
	xsDecimal  = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)
	isoNoZone  = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$`)
	typedAttrs = map[string]*regexp.Regexp{"tests": xsInt, "failures": xsInt, "errors": xsInt, "skipped": xsInt,
		"disabled": xsInt, "assertions": xsInt, "time": xsDecimal, "timestamp": isoNoZone}
)

type xnode struct {
	name     string
	attrs    map[string]string
	children []*xnode
	text     string
}

func parseXML(b []byte) (*xnode, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	var stack []*xnode
	var root *xnode
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return root, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &xnode{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, errors.New("more than one root element")
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			}
		}
	}
}

// validateJUnit checks a junit.xml against junitSchema and the counts a
// reporter shows: a suite's tests and failures must match its test cases.
func validateJUnit(b []byte) error {
	root, err := parseXML(b)
	if err != nil {
		return err
	}
	if root == nil || root.name != "testsuites" {
		return fmt.Errorf("root element must be testsuites, got %v", root)
	}
	return checkJUnit("testsuites", root)
}

func checkJUnit(path string, n *xnode) error {
	el, ok := junitSchema[n.name]
	if !ok {
		return fmt.Errorf("%s: element not in the JUnit schema", path)
	}
	for _, a := range el.required {
		if _, ok := n.attrs[a]; !ok {
			return fmt.Errorf("%s: required attribute %q missing", path, a)
		}
	}
	for a, v := range n.attrs {
		if !slices.Contains(el.required, a) && !slices.Contains(el.optional, a) {
			return fmt.Errorf("%s: attribute %q not in the JUnit schema", path, a)
		}
		if re, ok := typedAttrs[a]; ok && !re.MatchString(v) {
			return fmt.Errorf("%s: attribute %s=%q does not match %s", path, a, v, re)
		}
	}
	if !el.text && strings.TrimSpace(n.text) != "" {
		return fmt.Errorf("%s: text not allowed: %q", path, n.text)
	}
	cases, failures := 0, 0
	for _, c := range n.children {
		if !slices.Contains(el.children, c.name) {
			return fmt.Errorf("%s: child %s not allowed", path, c.name)
		}
		if err := checkJUnit(path+"/"+c.name, c); err != nil {
			return err
		}
		if c.name == "testcase" {
			cases++
			if slices.ContainsFunc(c.children, func(x *xnode) bool { return x.name == "failure" }) {
				failures++
			}
		}
	}
	if n.name == "testsuite" {
		if n.attrs["tests"] != strconv.Itoa(cases) {
			return fmt.Errorf("%s: tests=%s but %d test cases", path, n.attrs["tests"], cases)
		}
		if f, ok := n.attrs["failures"]; ok && f != strconv.Itoa(failures) {
			return fmt.Errorf("%s: failures=%s but %d failed test cases", path, f, failures)
		}
	}
	return nil
}

func TestJUnitXMLMatchesTheSchemaCIReportersRead(t *testing.T) {
	dir := t.TempDir()
	rep := sampleReport()
	require.NoError(t, results.WriteJUnit(dir, rep))
	b, err := os.ReadFile(filepath.Join(dir, results.JUnitFile))
	require.NoError(t, err)
	require.NoError(t, validateJUnit(b), string(b))

	// One test case per verdict; the failure carries measured vs expected.
	root, err := parseXML(b)
	require.NoError(t, err)
	suite := root.children[0]
	var cases []*xnode
	for _, c := range suite.children {
		if c.name == "testcase" {
			cases = append(cases, c)
		}
	}
	require.Len(t, cases, 2)
	require.Equal(t, "onset[secrets]", cases[0].attrs["name"])
	fail := cases[0].children[0]
	require.Equal(t, "failure", fail.name)
	require.Equal(t, "measured 4800 successes per window, expected 4000 ±1% (sliding window)", fail.attrs["message"])
	require.Equal(t, "error-shape[secrets]", cases[1].attrs["name"])
	require.False(t, slices.ContainsFunc(cases[1].children, func(x *xnode) bool { return x.name == "failure" }))
}

func TestTheJUnitCheckRejectsWhatReportersRefuse(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, results.WriteJUnit(dir, sampleReport()))
	good, err := os.ReadFile(filepath.Join(dir, results.JUnitFile))
	require.NoError(t, err)
	for name, tc := range map[string]struct{ from, to, want string }{
		"wrong root":        {"testsuites", "testrun", "root element"},
		"count mismatch":    {`tests="2" failures="1" errors="0" skipped`, `tests="3" failures="1" errors="0" skipped`, "test cases"},
		"failures mismatch": {`failures="1" errors="0" skipped`, `failures="0" errors="0" skipped`, "failed test cases"},
		"zoned timestamp":   {`timestamp="2026-11-22T10:15:00"`, `timestamp="2026-11-22T10:15:00Z"`, "timestamp"},
		"unknown attribute": {`<testcase name=`, `<testcase flaky="yes" name=`, `"flaky"`},
		"nameless case":     {`<testcase name="onset[secrets]"`, `<testcase`, `"name" missing`},
		"comma time":        {`time="50.000"`, `time="50,000"`, "time"},
	} {
		bad := strings.ReplaceAll(string(good), tc.from, tc.to)
		require.NotEqual(t, string(good), bad, "%s: the mutation must apply", name)
		require.ErrorContains(t, validateJUnit([]byte(bad)), tc.want, name)
	}
}

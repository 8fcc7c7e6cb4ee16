package results

import (
	"encoding/xml"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// The JUnit XML elements that GitHub Actions' and Azure Pipelines' test
// reporters read: one test suite per run, one test case per verdict, and a
// failure element carrying the measured and expected figures.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

// junitSkipped marks an inconclusive verdict: neither passed nor failed,
// with the reason as its message.
type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes junit.xml into dir for the report r.
func WriteJUnit(dir string, r *Report) error {
	dur := "0"
	if !r.End.IsZero() {
		dur = fmt.Sprintf("%.3f", r.End.Sub(r.Start).Seconds())
	}
	s := junitSuite{
		Name:      "kvquota." + r.Scenario,
		Time:      dur,
		Timestamp: r.Start.UTC().Format("2006-01-02T15:04:05"),
		Properties: []junitProperty{
			{"profile", r.Profile},
			{"window", string(r.Window)},
			{"target", r.Target},
			{"emulated", fmt.Sprint(r.Emulated)},
			{"interrupted", fmt.Sprint(r.Interrupted)},
		},
	}
	for _, v := range r.Verdicts {
		c := junitCase{
			Name:      CaseName(v),
			Classname: "kvquota." + r.Scenario,
			Time:      "0",
			SystemOut: Figure(v) + "\n" + v.Detail,
		}
		switch v.Result() {
		case Failed:
			c.Failure = &junitFailure{Message: Figure(v), Type: string(v.Check), Text: v.Detail}
			s.Failures++
		case Inconclusive:
			c.Skipped = &junitSkipped{Message: "inconclusive: " + Figure(v) + ". " + v.Detail}
			s.Skipped++
		}
		s.Cases = append(s.Cases, c)
		s.Tests++
	}
	doc := junitSuites{Name: "kvquota", Tests: s.Tests, Failures: s.Failures, Time: dur, Suites: []junitSuite{s}}
	b, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, JUnitFile), append([]byte(xml.Header), append(b, '\n')...))
}

// CaseName names a verdict as a test case: "onset[secrets]".
func CaseName(v Verdict) string {
	if v.Class == "" {
		return string(v.Check)
	}
	return fmt.Sprintf("%s[%s]", v.Check, v.Class)
}

// Figure states a verdict's figures in one line, e.g.
// "measured 4000 transactions in window, expected 4000 ±1% (sliding window)".
func Figure(v Verdict) string {
	var cmp string
	switch v.Comparison {
	case "at-least":
		cmp = "at least "
	case "at-most":
		cmp = "at most "
	}
	tol := ""
	if v.Tolerance > 0 {
		tol = " ±" + num(v.Tolerance*100) + "%"
	}
	m := num(v.Measured)
	if v.Band != nil && num(v.Band.Low) != num(v.Band.High) {
		m = num(v.Band.Low) + " to " + num(v.Band.High)
	}
	fits := ""
	if len(v.Models) > 0 {
		fits = "; the run fits " + strings.Join(v.Models, ", ")
	}
	return fmt.Sprintf("measured %s %s, expected %s%s%s (%s window%s)",
		m, v.Unit, cmp, num(v.Expected), tol, v.Window, fits)
}

// num prints a figure with at most three decimals and no trailing zeros.
func num(f float64) string {
	s := strconv.FormatFloat(f, 'f', 3, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

package results_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kvquota/kvquota/assert"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/results"
)

func TestReportJSONMatchesItsDocumentedSchema(t *testing.T) {
	dir := t.TempDir()
	for name, rep := range map[string]*results.Report{
		"full":    sampleReport("plots/throughput.png", "plots/throughput.svg"),
		"minimal": results.NewReport(&results.Meta{Scenario: "x", Window: "fixed"}, results.Totals{}, nil, nil),
	} {
		if name == "full" {
			rep.Interrupted = true
			rep.Totals.FirstError = "connection refused"
			rep.TimeScale, rep.WindowLength = 10, results.Duration(time.Second)
			rep.ScaledLimits = map[limits.Class]int{limits.Secrets: 400}
			rep.Shards = []results.ShardReport{
				{Index: 1, Count: 2, Host: "node-a", SourceAddr: "127.0.0.2", Dir: "r/1", Clock: time.Unix(100, 0).UTC(), Results: 10},
				{Index: 2, Count: 2, Host: "node-b", Dir: "r/2", Clock: time.Unix(100, 5e6).UTC(), ClockOffset: results.Duration(5 * time.Millisecond), Results: 9},
			}
		}
		require.NoError(t, results.WriteReport(dir, rep))
		b, err := os.ReadFile(filepath.Join(dir, results.ReportFile))
		require.NoError(t, err)
		require.NoError(t, validateJSON(results.ReportJSONSchema, b), name)
	}
	// The file on disk is the one embedded: the documentation names it.
	onDisk, err := os.ReadFile("report.schema.json")
	require.NoError(t, err)
	require.Equal(t, onDisk, results.ReportJSONSchema)
}

func TestTheSchemaRejectsReportsThatBreakIt(t *testing.T) {
	require.NoError(t, results.WriteReport(t.TempDir(), sampleReport()))
	good, err := json.Marshal(sampleReport())
	require.NoError(t, err)
	require.NoError(t, validateJSON(results.ReportJSONSchema, good))
	for name, tc := range map[string]struct{ from, to, want string }{
		"missing field":    {`"pass":false,`, ``, `required property "pass"`},
		"unknown field":    {`"pass":false,`, `"pass":false,"verdict":"ok",`, `"verdict" is not in the schema`},
		"wrong schema":     {`kvquota.report/v2`, `kvquota.report/v1`, "constant"},
		"bad outcome":      {`"outcome":"fail","pass"`, `"outcome":"maybe","pass"`, "not one of"},
		"bad window":       {`"window":"sliding","start"`, `"window":"rolling","start"`, "not one of"},
		"bad comparison":   {`"comparison":"within"`, `"comparison":"near"`, "not one of"},
		"negative count":   {`"requests":25000`, `"requests":-1`, "minimum"},
		"fractional count": {`"requests":25000`, `"requests":2.5`, "integer"},
		"bad time":         {`"start":"2026-11-22T10:15:00.123456789Z"`, `"start":"yesterday"`, "date-time"},
		"string measured":  {`"measured":4800`, `"measured":"4800"`, "number"},
		"bad scaled limit": {`"pass":false,`, `"pass":false,"scaled_limits":{"secrets":"many"},`, "integer"},
	} {
		bad := strings.Replace(string(good), tc.from, tc.to, 1)
		require.NotEqual(t, string(good), bad, "%s: the mutation must apply", name)
		err := validateJSON(results.ReportJSONSchema, []byte(bad))
		require.ErrorContains(t, err, tc.want, name)
	}
}

// TestEveryReportFieldIsDocumented keeps the schema in step with the Go
// types: a field added to Report, Totals or Verdict without a line in
// report.schema.json fails here.
func TestEveryReportFieldIsDocumented(t *testing.T) {
	var s struct {
		Properties map[string]struct {
			Description string                     `json:"description"`
			Properties  map[string]json.RawMessage `json:"properties"`
		} `json:"properties"`
		Defs struct {
			Verdict struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"verdict"`
		} `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(results.ReportJSONSchema, &s))
	names := func(v any) []string {
		var out []string
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			if n, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ","); n != "" && n != "-" {
				out = append(out, n)
			}
		}
		return out
	}
	for _, n := range names(results.Report{}) {
		_, ok := s.Properties[n]
		require.True(t, ok, "report.json field %q is missing from report.schema.json", n)
	}
	for _, n := range names(results.Totals{}) {
		_, ok := s.Properties["totals"].Properties[n]
		require.True(t, ok, "totals field %q is missing from report.schema.json", n)
	}
	for _, n := range names(assert.Verdict{}) {
		_, ok := s.Defs.Verdict.Properties[n]
		require.True(t, ok, "verdict field %q is missing from report.schema.json", n)
	}
}

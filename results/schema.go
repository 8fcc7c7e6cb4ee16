package results

import _ "embed"

// ReportJSONSchema is the JSON Schema (draft 2020-12) of report.json, the
// documented contract for CI scripts that read it; report.schema.json in this
// directory is the file, describing every field. A test holds Report to it.
//
//go:embed report.schema.json
var ReportJSONSchema []byte

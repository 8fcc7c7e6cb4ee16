package results_test

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// validateJSON checks doc against the subset of JSON Schema that
// report.schema.json uses: type, const, enum, required, properties,
// additionalProperties (false or a schema), items, minimum, format: date-time, and $ref
// into #/$defs. A keyword outside the subset is an error, so the schema
// cannot grow a rule this validator silently ignores.
func validateJSON(schema, doc []byte) error {
	var root map[string]any
	if err := json.Unmarshal(schema, &root); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	var v any
	d := json.NewDecoder(strings.NewReader(string(doc)))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return fmt.Errorf("document: %w", err)
	}
	return (&validator{root: root}).check("$", root, v)
}

type validator struct{ root map[string]any }

var known = []string{"$schema", "$id", "title", "description", "type", "const", "enum", "required",
	"properties", "additionalProperties", "items", "minimum", "format", "$ref", "$defs"}

func (va *validator) check(path string, s map[string]any, v any) error {
	for k := range s {
		if !slices.Contains(known, k) {
			return fmt.Errorf("%s: schema keyword %q is outside the validator's subset", path, k)
		}
	}
	if ref, ok := s["$ref"].(string); ok {
		name, ok := strings.CutPrefix(ref, "#/$defs/")
		def, _ := va.root["$defs"].(map[string]any)[name].(map[string]any)
		if !ok || def == nil {
			return fmt.Errorf("%s: unresolvable $ref %q", path, ref)
		}
		return va.check(path, def, v)
	}
	if t, ok := s["type"].(string); ok {
		if err := checkType(path, t, v); err != nil {
			return err
		}
	}
	if c, ok := s["const"]; ok && fmt.Sprint(c) != fmt.Sprint(v) {
		return fmt.Errorf("%s: %v is not the constant %v", path, v, c)
	}
	if e, ok := s["enum"].([]any); ok && !slices.ContainsFunc(e, func(x any) bool { return fmt.Sprint(x) == fmt.Sprint(v) }) {
		return fmt.Errorf("%s: %v is not one of %v", path, v, e)
	}
	if m, ok := s["minimum"].(float64); ok {
		if n, isNum := v.(json.Number); isNum {
			if f, _ := n.Float64(); f < m {
				return fmt.Errorf("%s: %v is below the minimum %v", path, v, m)
			}
		}
	}
	if s["format"] == "date-time" {
		if str, ok := v.(string); ok {
			if _, err := time.Parse(time.RFC3339Nano, str); err != nil {
				return fmt.Errorf("%s: %q is not a date-time: %w", path, str, err)
			}
		}
	}
	if obj, ok := v.(map[string]any); ok {
		props, _ := s["properties"].(map[string]any)
		for _, r := range asSlice(s["required"]) {
			if _, ok := obj[r.(string)]; !ok {
				return fmt.Errorf("%s: required property %q is missing", path, r)
			}
		}
		for k, val := range obj {
			ps, ok := props[k].(map[string]any)
			if !ok {
				switch extra := s["additionalProperties"].(type) {
				case bool:
					if !extra {
						return fmt.Errorf("%s: property %q is not in the schema", path, k)
					}
					continue
				case map[string]any:
					ps = extra
				default:
					continue
				}
			}
			if err := va.check(path+"."+k, ps, val); err != nil {
				return err
			}
		}
	}
	if arr, ok := v.([]any); ok {
		if is, ok := s["items"].(map[string]any); ok {
			for i, x := range arr {
				if err := va.check(fmt.Sprintf("%s[%d]", path, i), is, x); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

func checkType(path, t string, v any) error {
	ok := false
	switch t {
	case "object":
		_, ok = v.(map[string]any)
	case "array":
		_, ok = v.([]any)
	case "string":
		_, ok = v.(string)
	case "boolean":
		_, ok = v.(bool)
	case "number":
		_, ok = v.(json.Number)
	case "integer":
		if n, isNum := v.(json.Number); isNum {
			f, err := n.Float64()
			ok = err == nil && f == math.Trunc(f) && !strings.ContainsAny(n.String(), ".eE")
		}
	default:
		return fmt.Errorf("%s: unknown type %q in schema", path, t)
	}
	if !ok {
		return fmt.Errorf("%s: %v is not of type %s", path, v, t)
	}
	return nil
}

package scenarios

import (
	"gopkg.in/yaml.v3"

	"github.com/kvquota/kvquota/limits"
)

// scenario reads a scenario's top-level mapping: its header fields, then
// each of its sections in turn.
func (d *doc) scenario(root *yaml.Node) (*Scenario, error) {
	f, err := d.mapping(root, "", "a scenario", topFields, isExtension)
	if err != nil {
		return nil, err
	}
	s := &Scenario{Profile: limits.DefaultProfile}
	if err := d.header(f, s); err != nil {
		return nil, err
	}
	if e, ok := f["limits"]; ok {
		if s.Limits, err = d.overrides(e.val); err != nil {
			return nil, err
		}
	}
	if err := eachItem(d, f, "setup", "setup steps", d.setupStep, &s.Setup); err != nil {
		return nil, err
	}
	e, ok := f["stages"]
	if !ok {
		return nil, d.missing(root, "", "stages", "a scenario needs at least one stage, e.g. stages: [{duration: 30s, rate: 80%}]")
	}
	if err := eachItem(d, f, "stages", "stages", d.stage, &s.Stages); err != nil {
		return nil, err
	}
	if len(s.Stages) == 0 {
		return nil, d.errAt(e.val, "stages", "a scenario needs at least one stage")
	}
	d.at["stages"] = e.key // problems with the stages as a whole point at "stages:"
	e, ok = f["mix"]
	if !ok {
		return nil, d.missing(root, "", "mix", "a scenario needs at least one operation, e.g. mix: [{op: get-secret, name: app-{i}, count: 50}]")
	}
	if err := eachItem(d, f, "mix", "operations", d.op, &s.Mix); err != nil {
		return nil, err
	}
	if len(s.Mix) == 0 {
		return nil, d.errAt(e.val, "mix", "a scenario needs at least one operation")
	}
	if err := eachItem(d, f, "expect", "checks", d.expectation, &s.Expect); err != nil {
		return nil, err
	}
	return s, nil
}

// header reads the scalar fields: name, description, profile, window,
// target, seed, clients.
func (d *doc) header(f map[string]entry, s *Scenario) error {
	str := func(v string) (string, error) { return v, nil }
	for _, read := range []func() (bool, error){
		func() (bool, error) { return field(d, f, "", "name", checkScenarioName, &s.Name) },
		func() (bool, error) { return field(d, f, "", "description", str, &s.Description) },
		func() (bool, error) { return field(d, f, "", "profile", checkProfile, &s.Profile) },
		func() (bool, error) { return field(d, f, "", "window", limits.ParseWindowModel, &s.Window) },
		func() (bool, error) { return field(d, f, "", "target", checkTarget, &s.Target) },
		func() (bool, error) { return field(d, f, "", "seed", parseSeed, &s.Seed) },
		func() (bool, error) {
			return field(d, f, "", "clients", func(v string) (int, error) { return parseCount(v, 1, MaxClients) }, &s.Clients)
		},
	} {
		if _, err := read(); err != nil {
			return err
		}
	}
	return nil
}

// eachItem reads the list under key, when present, one item at a time with
// read, appending to into.
func eachItem[T any](d *doc, f map[string]entry, key, what string, read func(*yaml.Node, string) (T, error), into *[]T) error {
	e, ok := f[key]
	if !ok {
		return nil
	}
	items, err := d.list(e.val, key, what)
	if err != nil {
		return err
	}
	for i, n := range items {
		v, err := read(n, item(key, i))
		if err != nil {
			return err
		}
		*into = append(*into, v)
	}
	return nil
}

package scenarios

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// validate checks what no single field can: that the stages fit in
// MaxDuration and offer some load within MaxRate, that checks refer to stages
// that exist, and that the mix never reads a secret the setup does not create
// (it would answer 404, and a run full of 404s proves nothing about quotas).
func (d *doc) validate(s *Scenario) error {
	for _, check := range []func(*Scenario) error{d.checkKeys, d.checkLimits, d.checkStages, d.checkExpect, d.checkSetupSize, d.checkCoverage, d.checkDeletes} {
		if err := check(s); err != nil {
			return err
		}
	}
	return nil
}

func (d *doc) checkLimits(s *Scenario) error {
	if _, err := s.LimitsProfile(); err != nil {
		return d.errField("limits", "%v", err)
	}
	return nil
}

func (d *doc) checkStages(s *Scenario) error {
	var total time.Duration
	for i, st := range s.Stages {
		total += st.Duration
		if total > MaxDuration {
			return d.errField(child(item("stages", i), "duration"), "the stages add up to more than %s, the longest a scenario may last", MaxDuration)
		}
	}
	p, err := s.LimitsProfile()
	if err != nil {
		return d.errField("limits", "%v", err)
	}
	var hits float64
	for i, sp := range s.Schedule(p) {
		path := item("stages", i)
		if sp.StartRate > MaxRate {
			return d.errField(child(path, "rate"), "%s is %.0f requests/s against profile %s, more than the %d a scenario may offer", s.Stages[i].Rate, sp.StartRate, p.Name, MaxRate)
		}
		if sp.EndRate > MaxRate {
			return d.errField(child(path, "to"), "%s is %.0f requests/s against profile %s, more than the %d a scenario may offer", s.Stages[i].To, sp.EndRate, p.Name, MaxRate)
		}
		hits += sp.Hits()
	}
	if hits < 1 {
		return d.errField("stages", "the stages offer no requests (every rate is 0, or too low to send one)")
	}
	return nil
}

func (d *doc) checkExpect(s *Scenario) error {
	seen := make(map[Expectation]int)
	for i, x := range s.Expect {
		path := item("expect", i)
		if x.Stage > len(s.Stages) {
			return d.errField(child(path, "stage"), "there is no stage %d: the scenario has %d (numbered from 1)", x.Stage, len(s.Stages))
		}
		key := Expectation{Check: x.Check, Stage: x.Stage}
		if j, dup := seen[key]; dup {
			return d.errField(child(path, "check"), "%s is already expected by expect[%d]", x.Check, j)
		}
		seen[key] = i
	}
	return nil
}

// checkSetupSize bounds the setup, which runs before the attack and whose
// names the coverage check lists.
func (d *doc) checkSetupSize(s *Scenario) error {
	total, spread := 0, 0
	for i, st := range s.Setup {
		if total += st.Count; total > MaxCount {
			return d.errField(child(item("setup", i), "count"), "the setup creates more than %d secrets in all", MaxCount)
		}
	}
	for i, o := range s.Mix {
		if spread += o.Count; spread > MaxCount {
			return d.errField(child(item("mix", i), "count"), "the mix spreads over more than %d names in all", MaxCount)
		}
	}
	return nil
}

// checkCoverage makes sure every secret the mix reads (or deletes) is one the
// setup creates.
func (d *doc) checkCoverage(s *Scenario) error {
	created := make(map[string]bool)
	for _, st := range s.Setup {
		for _, n := range names(st.Name, st.Count) {
			created[n] = true
		}
	}
	for i, o := range s.Mix {
		if !o.Op.needsExisting() {
			continue
		}
		for _, n := range names(o.Name, o.Count) {
			if !created[n] {
				return d.errField(child(item("mix", i), "name"), "%s of %q would answer 404: no set-secret setup step creates it%s", o.Op, n, setupHint(s, o))
			}
		}
	}
	return nil
}

// setupHint suggests the setup step that would cover o.
func setupHint(s *Scenario, o Op) string {
	if len(s.Setup) == 0 {
		return fmt.Sprintf(" (add setup: [{op: set-secret, name: %q, count: %d}])", o.Name, o.Count)
	}
	if strings.Contains(o.Name, IndexToken) {
		return fmt.Sprintf(" (the setup must create %q for every %s from 0 to %d)", o.Name, IndexToken, o.Count-1)
	}
	return ""
}

// checkDeletes refuses a mix that deletes secrets other entries use: after the
// first delete they would answer 404 (reads) or 409 (sets, on a soft-delete
// vault), which is not the traffic the scenario means to offer.
func (d *doc) checkDeletes(s *Scenario) error {
	used := make(map[string]int)
	for i, o := range s.Mix {
		if o.Op == DeleteSecret || !o.Op.named() {
			continue
		}
		for _, n := range names(o.Name, o.Count) {
			if _, ok := used[n]; !ok {
				used[n] = i
			}
		}
	}
	for i, o := range s.Mix {
		if o.Op != DeleteSecret {
			continue
		}
		for _, n := range names(o.Name, o.Count) {
			if j, ok := used[n]; ok {
				return d.errField(child(item("mix", i), "name"), "deletes %q, which mix[%d] (%s) uses too; give deletes secrets of their own", n, j, s.Mix[j].Op)
			}
		}
		// Each secret can be deleted once; the deletes after that answer 404.
		if deletes := math.Ceil(offered(s) * o.Weight / totalWeight(s)); float64(o.Count) < deletes {
			return d.errField(child(item("mix", i), "count"), "the stages send about %.0f deletes, more than the %d secrets this entry deletes (each can be deleted once; the rest would answer 404): raise count, and the setup's with it, to %.0f or more",
				deletes, o.Count, math.Ceil(deletes*1.1))
		}
	}
	return nil
}

// offered returns the requests the stages offer against the scenario's own
// profile.
func offered(s *Scenario) float64 {
	p, err := s.LimitsProfile()
	if err != nil {
		return 0
	}
	var hits float64
	for _, sp := range s.Schedule(p) {
		hits += sp.Hits()
	}
	return hits
}

func totalWeight(s *Scenario) float64 {
	var w float64
	for _, o := range s.Mix {
		w += o.Weight
	}
	return w
}

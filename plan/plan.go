package plan

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/kvquota/kvquota/emulator"
	"github.com/kvquota/kvquota/limits"
	"github.com/kvquota/kvquota/scenarios"
)

// Plan is a resolved request: everything a command needs to carry it out, and
// nothing left to decide.
type Plan struct {
	Command Command
	// Scenarios are what Run (one) and Suite (each of the suite's built-ins)
	// run, with --profile and --window applied; none for other commands.
	Scenarios []*scenarios.Scenario
	// Suite is the suite's name (Suite).
	Suite string
	// Profile is the documented profile named: --profile, else for Run the
	// scenario's own, else limits.DefaultProfile. A Run's scenario may still
	// change its figures (its overrides: Plan.Scenario applies them).
	Profile *limits.Profile
	// Window is the model named by --window (sliding by default) for the
	// commands that start an emulator themselves; for Run and Suite each
	// scenario carries its own.
	Window limits.WindowModel
	// TargetLimits change the embedded emulator's limits, not the judgement.
	TargetLimits map[limits.Class]int
	// Scale is the time scaling; nil runs at full length.
	Scale *Scale
	// Target is what is attacked or probed, and how to sign in to it.
	Target Target
	// RetryAfter and Lax configure the embedded emulator.
	RetryAfter bool
	Lax        emulator.Lax
	// Faults make the embedded emulator count or answer throttling wrong.
	Faults []emulator.Fault
	// Latency makes the embedded emulator slow on purpose.
	Latency emulator.Latency
	// Out is the output directory.
	Out string
	// Shard is set when the run is one shard of several (--shard); nil
	// runs the whole schedule.
	Shard *Shard
	// SourceAddr is the local address the attack's connections leave from;
	// nil lets the system choose.
	SourceAddr net.IP
	// StartAt is when the attack starts, once the setup is done and out of
	// the target's window (--start-at); zero starts it then.
	StartAt time.Time

	emulated *limits.Profile // Emulated's answer
}

// Resolve checks r and resolves it into a plan. Every error wraps ErrUsage
// and says which flags do not go together, or what is wrong with one.
func Resolve(r Request) (*Plan, error) {
	r = r.withDefaults()
	if r.Command == Run && r.Suite != "" {
		if r.Scenario != "" || r.Loaded != nil {
			return nil, usagef("give a scenario or --suite, not both")
		}
		r.Command = Suite
	}
	p := &Plan{Command: r.Command, Suite: r.Suite, RetryAfter: r.RetryAfter}
	steps := []func(*Plan, Request) error{
		(*Plan).resolveScale, (*Plan).resolveProfile, (*Plan).resolveWindow,
		(*Plan).resolveEmulator, (*Plan).resolveScenarios, (*Plan).resolveShard, (*Plan).resolveTarget,
		(*Plan).resolveOut,
	}
	for _, step := range steps {
		if err := step(p, r); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (r Request) withDefaults() Request {
	if r.Getenv == nil {
		r.Getenv = os.Getenv
	}
	if r.Now == nil {
		r.Now = time.Now
	}
	return r
}

func (p *Plan) resolveScale(r Request) error {
	if r.TimeScale < 0 || r.TimeScale > 1 {
		return usagef("--time-scale %g: want a factor above 0 and at most 1, e.g. 0.1 for a tenth of the time", r.TimeScale)
	}
	s, err := newScale(r.TimeScale)
	if err != nil {
		return usagef("--time-scale: %w", err)
	}
	p.Scale = s
	return nil
}

func (p *Plan) resolveProfile(r Request) error {
	name := r.Profile
	if name == "" {
		name = limits.DefaultProfile
	}
	prof, err := limits.Get(name)
	if err != nil {
		return usage(err)
	}
	p.Profile = prof
	return nil
}

func (p *Plan) resolveWindow(r Request) error {
	m, err := limits.ParseWindowModel(r.Window)
	if err != nil {
		return usage(err)
	}
	p.Window = m
	return nil
}

// resolveEmulator reads the settings that change the embedded emulator.
func (p *Plan) resolveEmulator(r Request) error {
	var err error
	if p.TargetLimits, err = limits.ParseOverrides(r.Limits); err != nil {
		return usage(err)
	}
	if _, err := p.Profile.WithOverrides(p.TargetLimits); err != nil {
		return usage(err)
	}
	if p.Lax, err = emulator.ParseLax(r.Lax); err != nil {
		return usage(err)
	}
	if p.Lax != "" && p.Command != Run && p.Command != Suite {
		return usagef("--lax is for run")
	}
	if p.Faults, err = emulator.ParseFaults(r.Faults); err != nil {
		return usage(err)
	}
	if len(p.Faults) > 0 && p.Command != Run && p.Command != Suite && p.Command != Emulate {
		return usagef("--fault is for run and emulate")
	}
	if p.Latency, err = emulator.ParseLatency(r.Latency, r.LatencySeed); err != nil {
		return usage(err)
	}
	if !p.Latency.IsZero() && p.Command != Run && p.Command != Suite && p.Command != Emulate {
		return usagef("--latency is for run and emulate")
	}
	return nil
}

// resolveScenarios loads what Run and Suite run and applies --profile and
// --window to each.
func (p *Plan) resolveScenarios(r Request) error {
	switch p.Command {
	case Run:
		s, err := loadScenario(r)
		if err != nil {
			return err
		}
		if r.Profile == "" {
			if p.Profile, err = limits.Get(s.Profile); err != nil {
				return usage(err)
			}
		}
		p.Scenarios = []*scenarios.Scenario{s}
	case Suite:
		ss, err := scenarios.Suite(r.Suite)
		if err != nil {
			return usage(err)
		}
		p.Scenarios = ss
	case Emulate:
		if r.Scenario != "" || r.Loaded != nil {
			return p.emulateFor(r)
		}
		fallthrough
	default:
		if r.Scenario != "" || r.Suite != "" {
			return usagef("%s takes no scenario", p.Command)
		}
		e, err := p.Profile.WithOverrides(p.TargetLimits)
		if err != nil {
			return usage(err)
		}
		p.emulated = p.Scale.Profile(e, p.Profile)
		return nil
	}
	for _, s := range p.Scenarios {
		s.Profile = p.Profile.Name
		if r.Window != "" {
			s.Window = p.Window
		}
	}
	return nil
}

// loadScenario is the scenario Run runs: the one loaded, or the file or
// built-in named.
func loadScenario(r Request) (*scenarios.Scenario, error) {
	if r.Loaded != nil {
		c := *r.Loaded
		return &c, nil
	}
	if r.Scenario == "" {
		return nil, usagef("no scenario given: name a scenario file or a built-in (see 'kvquota scenarios'), or run a --suite")
	}
	s, err := scenarios.Resolve(r.Scenario)
	if err != nil {
		return nil, usage(err)
	}
	return s, nil
}

// resolveOut names the output directory.
func (p *Plan) resolveOut(r Request) error {
	p.Out = r.Out
	if p.Out != "" || p.Command == Emulate {
		return nil
	}
	name := string(p.Command)
	switch p.Command {
	case Run:
		name = p.Scenarios[0].Name
	case Suite:
		name = "suite-" + p.Suite
	}
	p.Out = filepath.Join("kvquota-runs", fmt.Sprintf("%s-%s", name, r.Now().Format("20060102-150405")))
	return nil
}

// EmulatorConfig is the configuration of an embedded emulator enforcing
// emulated (a profile from Plan.Scenario, or the plan's own profile with its
// target limits and scaling: Plan.Emulated).
func (p *Plan) EmulatorConfig(emulated *limits.Profile, window limits.WindowModel) emulator.Config {
	return emulator.Config{
		Profile:    emulated,
		Window:     limits.Counting(window),
		RetryAfter: p.RetryAfter,
		Lax:        p.Lax,
		Faults:     p.Faults,
		Latency:    p.Latency,
		// A time-scaled run creates keys faster than RSA generation keeps up
		// with on a small machine (emulator.PrepareKeyMaterial).
		ReuseKeyMaterial: p.Scale != nil,
	}
}

// Emulated is the profile an emulator started by the plan enforces when no
// scenario decides it (discover, clientcheck, emulate): the plan's profile
// with the target limits, scaled.
func (p *Plan) Emulated() *limits.Profile { return p.emulated }

// Judged is the documented profile the plan's commands without scenarios
// judge or compare against, scaled as the emulator is.
func (p *Plan) Judged() *limits.Profile { return p.Scale.Profile(p.Profile, p.Profile) }

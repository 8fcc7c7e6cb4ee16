#!/usr/bin/env bash
# The shell of the kvquota GitHub Action (action.yml at the repository root),
# kept here so that it can be run and tested outside GitHub
# (internal/actiontest runs action.yml's steps with this script).
#
#   action-run.sh install   build kvquota from the action's own checkout and
#                           put it on the job's PATH ($GITHUB_PATH)
#   action-run.sh run       run kvquota as the INPUT_* variables say, append
#                           the run's summary.md to $GITHUB_STEP_SUMMARY, set
#                           the step's outputs (outcome, exit-code, run-dir)
#                           and exit as the verdict says
#
# Inputs come as environment variables (action.yml maps each input to one),
# never spliced into the script's text: a scenario name cannot inject shell.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# decide CODE FAIL_ON_INCONCLUSIVE prints the outcome kvquota's exit code CODE
# means (cmd/kvquota/exit.go) and returns the code the step exits with: a
# failed check fails the job; an inconclusive verdict (exit 4) fails it too
# unless FAIL_ON_INCONCLUSIVE is false; any other code is an error and is
# passed on as it is.
decide() {
  local code=$1 fail_inconclusive=$2
  case $code in
    0) echo pass; return 0 ;;
    1) echo fail; return 1 ;;
    4) echo inconclusive
       if [ "$fail_inconclusive" = true ]; then return 4; fi
       return 0 ;;
    *) echo error; return "$code" ;;
  esac
}

# meaning CODE is a sentence for the job summary when there is no report.
meaning() {
  case $1 in
    2) echo "a usage or scenario error (see the step's log)" ;;
    3) echo "the target could not be reached" ;;
    130) echo "interrupted" ;;
    *) echo "an unexpected exit code" ;;
  esac
}

# summaries DIR prints the run's summary.md, or each scenario's for a suite.
summaries() {
  local dir=$1 f found=""
  if [ -f "$dir/summary.md" ]; then cat "$dir/summary.md"; return 0; fi
  for f in "$dir"/*/summary.md; do
    [ -f "$f" ] || continue
    cat "$f"; echo; found=1
  done
  [ -n "$found" ]
}

install() {
  local bin=${RUNNER_TEMP:-$(mktemp -d)}/kvquota-action/bin
  (cd "$here" && GOBIN=$bin go install -trimpath ./cmd/kvquota) || return 2
  echo "$bin" >>"${GITHUB_PATH:-/dev/null}"
  "$bin/kvquota" --help >/dev/null && echo "kvquota built: $bin/kvquota"
}

# run_dir is --out: the out-dir input, or kvquota-runs/<scenario or suite>.
run_dir() {
  if [ -n "${INPUT_OUT_DIR:-}" ]; then echo "$INPUT_OUT_DIR"; return; fi
  local name=${INPUT_SCENARIO:-${INPUT_SUITE:-run}}
  name=$(basename "$name"); name=${name%.yaml}; name=${name%.yml}
  echo "kvquota-runs/$name"
}

run() {
  local fail_inconclusive=${INPUT_FAIL_ON_INCONCLUSIVE:-true}
  case $fail_inconclusive in
    true | false) ;;
    *) echo "::error::fail-on-inconclusive must be true or false, got '$fail_inconclusive'"; return 2 ;;
  esac
  local out args=(run) extra=()
  out=$(run_dir)
  [ -n "${INPUT_SCENARIO:-}" ] && args+=("$INPUT_SCENARIO")
  [ -n "${INPUT_SUITE:-}" ] && args+=(--suite "$INPUT_SUITE")
  [ -n "${INPUT_PROFILE:-}" ] && args+=(--profile "$INPUT_PROFILE")
  [ -n "${INPUT_TARGET:-}" ] && args+=(--target "$INPUT_TARGET")
  [ -n "${INPUT_CA:-}" ] && args+=(--ca "$INPUT_CA")
  [ -n "${INPUT_TIME_SCALE:-}" ] && args+=(--time-scale "$INPUT_TIME_SCALE")
  # extra-args: split on white space, never globbed.
  read -r -a extra <<<"${INPUT_EXTRA_ARGS:-}"
  args+=(--out "$out" "${extra[@]}")

  echo "kvquota ${args[*]}"
  local code=0
  kvquota "${args[@]}" || code=$?
  local outcome status=0
  outcome=$(decide "$code" "$fail_inconclusive") || status=$?

  local summary=${GITHUB_STEP_SUMMARY:-/dev/null}
  if ! summaries "$out" >>"$summary"; then
    printf '## kvquota: no report\n\n`kvquota %s` exited %d: %s.\n' "${args[*]}" "$code" "$(meaning "$code")" >>"$summary"
  fi
  if [ "$outcome" = inconclusive ]; then
    printf '\n> [!NOTE]\n> Inconclusive: the evidence could not tell (see each verdict); fail-on-inconclusive is %s.\n' "$fail_inconclusive" >>"$summary"
    [ "$status" = 0 ] && echo "::warning::kvquota's verdict is inconclusive (fail-on-inconclusive is false)"
  fi
  {
    echo "outcome=$outcome"
    echo "exit-code=$code"
    [ -d "$out" ] && echo "run-dir=$out"
  } >>"${GITHUB_OUTPUT:-/dev/null}"
  echo "outcome: $outcome (kvquota exited $code)"
  return "$status"
}

main() {
  case ${1:-} in
    install) install ;;
    run) run ;;
    *) echo "usage: $0 install|run" >&2; return 2 ;;
  esac
}

# Sourced (by the tests, for decide), it only defines the functions.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi

#!/usr/bin/env bash
# wrong-vaults.sh: which gate command kills which deliberately wrong vault
# (issue 12, must-show 2; docs/conformance.md has the table this prints).
#
# For each wrong emulator (a --limit off by 5% or by one, a --fault, a --lax
# setting) it runs
#   1. the quick gate, the whole quota suite time-scaled:
#        kvquota run --suite quota --time-scale 0.1 <wrong>
#      or, for a wrong vault the quota suite cannot see (a missing challenge:
#      kvquota's client gets its token without one), the conformance suite,
#      every built-in, as CI runs it
#   2. at full length, only the scenario(s) meant to kill that wrong vault:
#        kvquota run <scenario> <wrong>
#      (the whole suite at full length is 26 scenarios of 25-60 s each plus
#      setup, well over half an hour per wrong vault: too long to repeat for
#      twelve of them on a shared 2-core machine)
# and prints one Markdown table row per wrong vault: the quick suite's
# outcome, the scenarios that FAILED and those only INCONCLUSIVE, and the
# full-length outcome of each chosen scenario. A row for the right vault
# comes first: the gate must pass it.
#
# Usage: scripts/wrong-vaults.sh [ROW...]    (ROW names as in the table:
#        right, secrets-5pct-high, ..., no-challenge; default all)
# Environment: KVQUOTA (a built kvquota; default: build one), OUT (where run
# directories and logs go; default a fresh temporary directory),
# QUICK_ONLY=1 (skip the full-length column).
# Exit status: 0 when every wrong vault was kept out by the quick suite (a
# non-zero exit) and the right vault passed; 1 otherwise.
set -u -o pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$(mktemp -d -t kvquota-wrong-vaults.XXXXXX)}
mkdir -p "$OUT"
if [ -z "${KVQUOTA:-}" ]; then
	KVQUOTA="$OUT/kvquota"
	(cd "$here" && go build -o "$KVQUOTA" ./cmd/kvquota) || exit 2
fi

# name | the wrong setting (flags) | full-length scenarios meant to kill it | quick suite (default quota)
# Profile: the suite's default (2025); secrets row 4000, RSA-2048 HSM CREATE 10.
rows=(
	"right||secrets-onset"
	"secrets-5pct-high|--limit secrets=4200|secrets-onset"
	"secrets-5pct-low|--limit secrets=3800|secrets-onset"
	"window-long|--fault window-long|secrets-onset"
	"window-short|--fault window-short|secrets-onset"
	"count-refused|--fault count-refused|secrets-overload"
	"unweighted|--fault unweighted|weighted-even-mix weighted-example"
	"no-secret-set-row|--fault no-secret-set-row|secrets-create-onset shared-create-row"
	"per-client|--fault per-client|secrets-clients-onset"
	"create-off-by-one|--limit rsa2048-hsm-create=11|rsa2048-hsm-create-onset"
	"bad-429-body|--fault bad-429-body|secrets-overload"
	"bad-429-content-type|--fault bad-429-content-type|secrets-overload"
	"no-challenge|--lax no-challenge|auth-conformance|conformance"
)

outcome() { # exit code -> word
	case $1 in
	0) echo PASS ;; 1) echo FAIL ;; 4) echo INCONCLUSIVE ;; 130) echo INTERRUPTED ;; *) echo "ERROR($1)" ;;
	esac
}

# scenarios_with LABEL LOG: the scenarios with a verdict LABEL in a suite
# table (FAIL wins over INCONCLUSIVE for a scenario with both).
scenarios_with() {
	local failed
	failed=$(awk '$1 == "FAIL" || $1 == "ERROR" { print $2 }' "$2" | sort -u)
	if [ "$1" = FAIL ]; then
		echo "$failed" | paste -sd, -
	else
		comm -23 <(awk '$1 == "INCONCLUSIVE" { print $2 }' "$2" | sort -u) <(echo "$failed") | paste -sd, -
	fi
}

want=" $* "
ok=1
echo "| wrong vault | setting | quick suite (x0.1) | FAILED (quick) | INCONCLUSIVE (quick) | full length: scenario outcome | took |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for row in "${rows[@]}"; do
	IFS='|' read -r name flags full suite <<<"$row"
	suite=${suite:-quota}
	if [ $# -gt 0 ] && [[ $want != *" $name "* ]]; then continue; fi
	began=$(date +%s)
	log="$OUT/$name-quick.log"
	# shellcheck disable=SC2086 # flags are words on purpose
	"$KVQUOTA" run --suite "$suite" --time-scale 0.1 -q --out "$OUT/$name-quick" $flags >"$log" 2>"$OUT/$name-quick.err"
	rc=$?
	quick=$(outcome $rc)
	failed=$(scenarios_with FAIL "$log")
	undecided=$(scenarios_with INCONCLUSIVE "$log")
	fulls=""
	if [ -z "${QUICK_ONLY:-}" ]; then
		for s in $full; do
			# shellcheck disable=SC2086
			"$KVQUOTA" run "$s" -q --out "$OUT/$name-full-$s" $flags >"$OUT/$name-full-$s.log" 2>&1
			fulls+="$s $(outcome $?); "
		done
	fi
	took=$(($(date +%s) - began))
	[ "$suite" = quota ] || quick+=" ($suite suite)"
	echo "| $name | ${flags:--} | $quick | ${failed:--} | ${undecided:--} | ${fulls%; } | ${took}s |"
	if [ "$name" = right ]; then
		[ $rc -eq 0 ] || ok=0
	else
		[ $rc -ne 0 ] || ok=0
	fi
done
echo
echo "run directories and logs: $OUT"
[ $ok -eq 1 ]

#!/usr/bin/env bash
# Runs the Azure SDK for Go's OWN Key Vault test suites (azsecrets, azkeys,
# azcertificates), in live mode, against `kvquota emulate --drop-in`, and
# prints per suite how many top-level tests passed, failed and skipped. It
# exits non-zero when any test failed or a suite could not run.
#
# The suites keep the SDK's defaults: challenge resource verification and
# MSAL's instance discovery stay on, so https://kv1.vault.azure.net/ and
# https://login.microsoftonline.com/ must reach the emulator. The script gives
# them a private /etc/hosts inside a mount namespace (unshare --mount and a
# bind mount), so the machine's own /etc/hosts and DNS are never changed, and
# everything stays on loopback. It needs root (the namespace, and port 443).
#
# Usage: sdktest/run-sdk-suites.sh [suite...]   (default: all three)
# Environment: KVQUOTA_SDK_ADDR (loopback address, default 127.0.0.1),
#   KVQUOTA_SDK_TIMEOUT (go test -timeout per suite, default 10m),
#   KVQUOTA_SDK_RUN (go test -run pattern, default all),
#   KVQUOTA_SDK_LOGS (a directory to keep each suite's go test -json output,
#   stderr and the emulator's log in; by default they go with the temporary
#   directory).
set -euo pipefail
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "$self")/.."
repo=$(pwd)

# The suites and their versions: the newest the Go module proxy serves.
declare -A version=(
  [azsecrets]=v1.5.1
  [azkeys]=v1.5.0
  [azcertificates]=v1.5.0
)
# Tests that need a service the emulator is not and that do not skip
# themselves without it: azkeys' TestReleaseKey fetches a token from an
# attestation service (AZURE_KEYVAULT_ATTESTATION_URL, whose default is a
# made-up host) for both of its subtests, even the Managed HSM one. They are
# not run, and counted as skipped.
declare -A needs=(
  [azkeys]="TestReleaseKey"
)
declare -A why=(
  [TestReleaseKey]="needs an attestation service"
)
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(azsecrets azkeys azcertificates)
addr=${KVQUOTA_SDK_ADDR:-127.0.0.1}
timeout=${KVQUOTA_SDK_TIMEOUT:-10m}

# The emulator's built-in identity (emulator/auth/identity.go; published test
# credentials that open nothing but an emulator; sdktest/suites_test.go keeps
# them in step).
tenant=7e2c5a31-0c1d-4e8a-9f3b-6b7671756f74
client=4d1f6c9a-2b7e-4c35-8a10-6b7671756f74
secret=kvquota-emulator-secret

case "$addr" in 127.*) ;; *) echo "KVQUOTA_SDK_ADDR must be a loopback address, got $addr"; exit 2 ;; esac

if [ "${KVQUOTA_SDK_INSIDE:-}" != 1 ]; then
  command -v go >/dev/null || { echo "Go is required"; exit 2; }
  [ "$(id -u)" = 0 ] || { echo "run as root: the suites need a private /etc/hosts (a mount namespace) and port 443"; exit 2; }
  if ! command -v unshare >/dev/null || ! command -v mount >/dev/null; then
    apt-get update -qq && apt-get install -y -qq util-linux mount >/dev/null
  fi
  work=$(mktemp -d /tmp/kvquota-sdk-suites.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  echo "== building kvquota"
  go build -o "$work/kvquota" ./cmd/kvquota
  for s in "${suites[@]}"; do
    [ -n "${version[$s]:-}" ] || { echo "unknown suite $s (want: ${!version[*]})"; exit 2; }
    mod=github.com/Azure/azure-sdk-for-go/sdk/security/keyvault/$s@${version[$s]}
    dir=$(go mod download -json "$mod" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    [ -d "$dir" ] || { echo "could not download $mod"; exit 1; }
    cp -r "$dir" "$work/$s" && chmod -R u+w "$work/$s"
  done
  { cat /etc/hosts; echo "$addr kv1.vault.azure.net login.microsoftonline.com"; } > "$work/hosts"
  export KVQUOTA_SDK_INSIDE=1 KVQUOTA_SDK_WORK="$work"
  # A private mount namespace: the bind mount over /etc/hosts ends with it.
  unshare --mount --propagation private "$self" "${suites[@]}"
  exit $?
fi

# Inside the namespace.
work=$KVQUOTA_SDK_WORK
mount --bind "$work/hosts" /etc/hosts
# The documented limits stay on. The suites create keys far faster than a
# real vault's round trips let them (more HSM creates in a few seconds than
# the 10 per 10 s the limits allow), and the SDK's three retries, about 9 s
# of back-off without a hint, can end inside the window; --retry-after tells
# the SDK how long the window needs, and it waits exactly that.
"$work/kvquota" emulate --drop-in --retry-after --addr "$addr:443" --ca-out "$work/ca.pem" >"$work/emulator.log" 2>&1 &
emu=$!
trap 'kill "$emu" 2>/dev/null; wait "$emu" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q '^Ctrl-C stops it' "$work/emulator.log" 2>/dev/null && break
  kill -0 "$emu" 2>/dev/null || { cat "$work/emulator.log"; exit 1; }
  sleep 0.1
done
grep -q '^Ctrl-C stops it' "$work/emulator.log" || { echo "the emulator did not start"; cat "$work/emulator.log"; exit 1; }

export AZURE_RECORD_MODE=live AZURE_SERVICE_DIRECTORY=KV
export KV_TENANT_ID=$tenant KV_CLIENT_ID=$client KV_CLIENT_SECRET=$secret
export AZURE_KEYVAULT_URL=https://kv1.vault.azure.net/
export AZURE_AUTHORITY_HOST=https://login.microsoftonline.com/
export SSL_CERT_FILE=$work/ca.pem GOWORK=off
# No Managed HSM and no attestation service: the suites skip what needs them.
unset AZURE_MANAGEDHSM_URL AZURE_KEYVAULT_ATTESTATION_URL

status=0
summary=()
for s in "${suites[@]}"; do
  echo "== $s ${version[$s]} (go test, live mode, against the emulator)"
  start=$(date +%s)
  rc=0
  skips=(${needs[$s]:-})
  skipre=""
  [ ${#skips[@]} -eq 0 ] || skipre="^($(IFS='|'; echo "${skips[*]}"))\$"
  (cd "$work/$s" && go test -count=1 -json -timeout "$timeout" ${KVQUOTA_SDK_RUN:+-run "$KVQUOTA_SDK_RUN"} ${skipre:+-skip "$skipre"} . \
    >"$work/$s.json" 2>"$work/$s.stderr") || rc=$?
  secs=$(( $(date +%s) - start ))
  # Top-level tests: events with a Test name that has no '/'.
  count() { grep -E "\"Action\":\"$1\"" "$work/$s.json" | grep -cE '"Test":"[^"/]+"' || true; }
  pass=$(count pass); fail=$(count fail); skip=$(( $(count skip) + ${#skips[@]} ))
  for n in "${skips[@]}"; do echo "  SKIP $n (not run: ${why[$n]})"; done
  for a in fail skip; do
    grep -E "\"Action\":\"$a\"" "$work/$s.json" | grep -oE '"Test":"[^"/]+"' |
      sed "s/\"Test\":\"\(.*\)\"/  ${a^^} \1/" || true
  done
  if grep -q 'panic: test timed out' "$work/$s.json"; then
    echo "  the suite timed out after $timeout (a test or TestMain's cleanup waited on something the emulator lacks)"
    fail=${fail}+timeout
  fi
  if [ "$rc" != 0 ] && [ "$fail" = 0 ]; then
    echo "  the suite did not run to the end (go test exit $rc):"; tail -20 "$work/$s.stderr"
    grep -E '"Action":"output"' "$work/$s.json" | tail -20 | sed 's/.*"Output":"\(.*\)".*/  \1/' || true
    fail=error
  fi
  line="$s ${version[$s]}: passed $pass, failed $fail, skipped $skip (top-level tests, ${secs}s)"
  echo "$line"
  summary+=("$line")
  [ "$rc" = 0 ] && [ "$fail" = 0 ] || status=1
done
if [ -n "${KVQUOTA_SDK_LOGS:-}" ]; then
  mkdir -p "$KVQUOTA_SDK_LOGS" && cp "$work"/*.json "$work"/*.stderr "$work/emulator.log" "$KVQUOTA_SDK_LOGS"/ 2>/dev/null || true
fi
echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status

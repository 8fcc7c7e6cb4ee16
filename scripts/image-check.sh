#!/usr/bin/env bash
# The container image, proved the way a user meets it: build the Dockerfile's
# runtime stage, serve `kvquota emulate` from it, and gate a run against it
# from the host. Called by .ci/run; it runs as well by hand (as root).
#
# No registry for base images is reachable here, so the image is built from a
# CGO_ENABLED=0 binary built on this machine (the Dockerfile's `prebuilt`
# stage: FROM scratch, nothing pulled). The container reaches and is reached
# only over loopback: --network host, and a dockerd started here gets no bridge.
#
# Usage: scripts/image-check.sh WORKDIR   (a scratch directory it may fill)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$1
image=kvquota:ci
name=kvquota-ci-emulator
addr=127.0.1.14:8443   # a loopback address of its own: no port clash with a developer's emulator

if ! command -v dockerd >/dev/null || [ ! -x /usr/bin/docker ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi
# Debian's client builds with BuildKit itself; a newer client elsewhere on the
# PATH may want the buildx plugin, which Debian 12 does not package.
docker() { DOCKER_BUILDKIT=1 /usr/bin/docker "$@"; }

dockerd_pid=""
cleanup() {
  docker rm -f "$name" "$name-service" >/dev/null 2>&1 || true
  if [ -n "$dockerd_pid" ]; then kill "$dockerd_pid" 2>/dev/null && wait "$dockerd_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

# poll CMD...: run CMD every 0.2 s until it succeeds, for at most 60 s.
poll() {
  local deadline=$((SECONDS + 60))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then echo "gave up after 60 s: $*"; return 1; fi
    sleep 0.2
  done
}

if ! docker info >/dev/null 2>&1; then
  echo "starting dockerd (log: $work/dockerd.log)"
  dockerd --bridge=none --iptables=false >"$work/dockerd.log" 2>&1 &
  dockerd_pid=$!
  poll docker info || { tail -20 "$work/dockerd.log"; exit 1; }
fi
docker version --format 'docker client {{.Client.Version}}, server {{.Server.Version}}'

echo "-- build the runtime stage from a host-built static binary"
ctx=$work/image-context
mkdir -p "$ctx"
CGO_ENABLED=0 go build -trimpath -ldflags=-s -o "$ctx/kvquota" ./cmd/kvquota
cp /etc/ssl/certs/ca-certificates.crt "$ctx/"
docker build -q --build-arg KVQUOTA_FROM=prebuilt -f Dockerfile -t "$image" "$ctx"
user=$(docker image inspect "$image" --format '{{.Config.User}}')
echo "image $image: user $user, $(docker image inspect "$image" --format '{{.Size}}') bytes"
[ "$user" = "65532:65532" ] || { echo "the image must run as 65532, runs as '$user'"; exit 1; }

echo "-- kvquota emulate in the container, its CA written to a mounted directory"
ca=$work/ca
mkdir -p "$ca" && chown 65532:65532 "$ca"   # the container's user writes there
docker rm -f "$name" >/dev/null 2>&1 || true
docker run -d --name "$name" --network host -v "$ca:/ca" "$image" \
  emulate --addr "$addr" --ca-out /ca/ca.pem >/dev/null
poll test -s "$ca/ca.pem" || { docker logs "$name"; exit 1; }
docker logs "$name"

echo "-- kvquota run secrets-below-limit from the host against it"
host_kvquota=$ctx/kvquota
KVQUOTA_TOKEN=$("$host_kvquota" token --authority "https://$addr" --ca "$ca/ca.pem")
export KVQUOTA_TOKEN
# A right vault must not fail (exit 1); inconclusive (exit 4) is a busy
# machine's honest answer and is printed.
code=0
"$host_kvquota" run secrets-below-limit --target "https://$addr" --ca "$ca/ca.pem" --out "$work/below" -q || code=$?
case $code in
  0) ;;
  4) echo "-- inconclusive (exit 4): no verdict failed" ;;
  *) echo "kvquota run against the image's emulator exited $code"; exit 1 ;;
esac
test -s "$work/below/report.json"

echo "-- the container stops on docker stop (SIGTERM) and says so with exit 0"
docker stop -t 10 "$name" >/dev/null
code=$(docker inspect "$name" --format '{{.State.ExitCode}}')
[ "$code" = 0 ] || { echo "the emulator exited $code on SIGTERM"; docker logs "$name"; exit 1; }
echo "-- as a service container runs it: no arguments, the address from the environment, the CA in the image's /tmp"
svc=$name-service
docker run -d --name "$svc" --network host -e KVQUOTA_EMULATE_ADDR=127.0.1.15:8443 "$image" >/dev/null
poll docker cp "$svc:/tmp/kvquota-emulator-ca.pem" "$work/service-ca.pem" || { docker logs "$svc"; docker rm -f "$svc"; exit 1; }
"$host_kvquota" token --authority https://127.0.1.15:8443 --ca "$work/service-ca.pem" >/dev/null
docker rm -f "$svc" >/dev/null
echo "image check passed"

# kvquota's container image: one static binary on an empty base, run as a
# non-root user, with one writable directory (/tmp, owned by that user: the
# emulator's CA goes there unless --ca-out says otherwise).
#
# Build it from the source (needs BuildKit, Docker's builder since 23.0, and a
# registry holding golang:1.26):
#
#   docker build -t kvquota .
#
# Or build the same runtime stage from a binary built elsewhere, so that no
# base image is pulled at all (what .ci/run does; the context is a directory
# holding `kvquota`, a CGO_ENABLED=0 build, and `ca-certificates.crt`):
#
#   docker build --build-arg KVQUOTA_FROM=prebuilt -f Dockerfile -t kvquota CONTEXT
#
# Run it: docker run --rm kvquota --help; the README has the `emulate` and
# `run` lines.

# Which stage hands the runtime its /rootfs: "build" (from source) or
# "prebuilt" (from the context). BuildKit builds only the one named.
ARG KVQUOTA_FROM=build
ARG GO_IMAGE=golang:1.26

# From source: a static binary, and the builder's system roots so that
# `kvquota run --target https://NAME.vault.azure.net` can verify Key Vault.
FROM ${GO_IMAGE} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags=-s -o /rootfs/kvquota ./cmd/kvquota \
 && mkdir -p /rootfs/etc/ssl/certs \
 && cp /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/

# From a binary and system roots in the build context.
FROM scratch AS prebuilt
COPY kvquota /rootfs/kvquota
COPY ca-certificates.crt /rootfs/etc/ssl/certs/ca-certificates.crt

FROM ${KVQUOTA_FROM} AS binary

# The image: nothing but the binary and the roots. USER before WORKDIR makes
# /tmp the user's (BuildKit creates a WORKDIR as the current user).
FROM scratch AS runtime
COPY --from=binary /rootfs/ /
USER 65532:65532
WORKDIR /tmp
ENV HOME=/tmp TMPDIR=/tmp
EXPOSE 8443
ENTRYPOINT ["/kvquota"]
# `docker run kvquota` serves the emulator on loopback; a service container
# sets KVQUOTA_EMULATE_ADDR=0.0.0.0:8443 to publish it.
CMD ["emulate"]

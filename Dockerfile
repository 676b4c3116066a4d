# syntax=docker/dockerfile:1.7
# The modelgate image: one binary that runs as the operator, the webhook and the validator of
# the operator's validation Jobs.
#
# The build stage sets up the machine with scripts/setup.sh, the script the README's
# `make` runs (SETUP_BUILD_ONLY=1: the Debian packages, without the test bed and the model
# server), and compiles the binary the way `make build` does. The runtime stage holds that
# binary, the shared libraries `ldd` says it loads, and the CA bundle for https:// and s3://
# datasets: nothing else, no shell, no package manager. tests/ship checks both stages against
# scripts/setup.sh and the Makefile.

FROM debian:12 AS build
WORKDIR /src
COPY . .
RUN SETUP_BUILD_ONLY=1 scripts/setup.sh
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release && ninja -C build modelgate
RUN <<'ROOTFS'
set -eu
binary=${BINARY:-/src/build/modelgate}
rootfs=${ROOTFS:-/rootfs}
mkdir -p "$rootfs/usr/local/bin" "$rootfs/etc/ssl/certs"
strip --strip-unneeded -o "$rootfs/usr/local/bin/modelgate" "$binary"
# The dynamic loader and every library it resolves for the binary, at the same paths.
for lib in $(ldd "$binary" | grep -o '/[^ ]*'); do
  cp -L --parents "$lib" "$rootfs"
done
cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/"
ROOTFS

FROM scratch
COPY --from=build /rootfs/ /
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
# The user the operator's validation pods and the chart's pods run as (runAsNonRoot).
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/modelgate"]

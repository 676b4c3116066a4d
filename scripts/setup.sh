#!/usr/bin/env bash
# Installs what modelgate's build, tests and demo need on a fresh Debian 12 machine:
# Debian packages, the pinned control-plane binaries of the test bed (built from source
# through the Go module proxy, cached outside the clone), and the model server's Python
# environment. Idempotent; prints nothing when everything is already in place.
#
# Environment: MODELGATE_CACHE (default /var/cache/modelgate, where the test bed's non-root
# pods can read it) holds the built binaries and the Python environment; SETUP_SKIP_PYTHON=1
# skips the Python environment; SETUP_BUILD_ONLY=1 stops after the Debian packages (the
# Dockerfile's build stage).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

# Everything the build (C++), the test bed (Go launcher, network namespaces, PKI) and the
# end-to-end tests use. Keep this list the single source: the Dockerfile runs this script.
packages=(
  g++ cmake ninja-build pkg-config make git
  libcpprest-dev libboost-dev libboost-system-dev libssl-dev zlib1g-dev
  nlohmann-json3-dev libyaml-cpp-dev libspdlog-dev libgtest-dev libgmock-dev
  openssl iproute2 procps psmisc util-linux curl ca-certificates jq python3 python3-venv
  lua5.1
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
[ -z "${SETUP_BUILD_ONLY:-}" ] || exit 0

# Chromium, for the headless browser check of the HTML report; the image build needs none of it.
if ! dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q 'install ok installed'; then
  echo "setup: installing Debian packages: chromium"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

# clang with its sanitizer and libFuzzer runtimes and llvm-symbolizer, for the sanitizer build
# and the fuzz targets (scripts/sanitize.sh, docs/fuzzing.md); the image build needs none of it.
clang_packages=(clang-19 libclang-rt-19-dev llvm-19)
clang_missing=()
for p in "${clang_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || clang_missing+=("$p")
done
if ((${#clang_missing[@]})); then
  echo "setup: installing Debian packages: ${clang_missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${clang_missing[@]}" >/dev/null
fi

if ! command -v go >/dev/null 2>&1; then
  echo "setup: Go 1.26 or newer is needed to build the test bed's control plane; install it and run again" >&2
  exit 1
fi

# Control-plane binaries: built once per pinned version, then reused.
"$root/e2e/testbed/tools/build.sh" >/dev/null
# Helm, for the chart's tests and the in-cluster install.
"$root/scripts/helm.sh" >/dev/null

# The model server's Python environment (MLServer + scikit-learn), once it is defined.
if [ -z "${SETUP_SKIP_PYTHON:-}" ] && [ -x "$root/e2e/modelserver/setup-venv.sh" ]; then
  "$root/e2e/modelserver/setup-venv.sh"
fi

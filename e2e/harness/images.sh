#!/usr/bin/env bash
# Prints the node agent's image map for the end-to-end tests and the demo: which local
# command runs for each container image (Docker semantics: entrypoint + cmd).
#   images.sh BUILD_DIR
# Pods run as non-root users, and a checkout or build directory may sit where they cannot
# reach (under /root, say), so the files an image runs are staged first into a
# world-readable directory keyed by the build directory. The modelgate binary is hard-linked
# when it can be (same file system), else copied.
set -euo pipefail
build=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${MODELGATE_CACHE:-/var/cache/modelgate}
python=/usr/bin/python3
images="/var/tmp/modelgate-images-$(printf '%s' "$build" | sha256sum | cut -c1-12)"
rm -rf "$images"
mkdir -p "$images"
chmod 755 "$images"
ln -f "$build/modelgate" "$images/modelgate" 2>/dev/null || cp "$build/modelgate" "$images/modelgate"
install -m 755 "$root/e2e/modelserver/serving-image.sh" "$images/serving-image.sh"
cat <<JSON
{
  "images": {
    "testbed/sh:1": {"entrypoint": ["/bin/sh", "-c"], "cmd": []},
    "testbed/sleep:1": {"entrypoint": ["/bin/sleep"], "cmd": ["3600"]},
    "testbed/python:1": {"entrypoint": ["$python"], "cmd": []},
    "modelgate/modelgate:dev": {"entrypoint": ["$images/modelgate"], "cmd": []},
    "modelgate/mlserver-sklearn:1.0": {"entrypoint": ["/bin/bash", "$images/serving-image.sh", "$cache/venv"], "cmd": []}
  }
}
JSON

#!/usr/bin/env bash
# Prints the node agent's image map for the end-to-end tests: which local command runs
# for each container image (Docker semantics: entrypoint + cmd).
set -euo pipefail
build=$(cd "$1" && pwd)
cache=${MODELGATE_CACHE:-$HOME/.cache/modelgate}
python=$(command -v python3)
cat <<JSON
{
  "images": {
    "testbed/sh:1": {"entrypoint": ["/bin/sh", "-c"], "cmd": []},
    "testbed/sleep:1": {"entrypoint": ["/bin/sleep"], "cmd": ["3600"]},
    "testbed/python:1": {"entrypoint": ["$python"], "cmd": []},
    "modelgate/modelgate:dev": {"entrypoint": ["$build/modelgate"], "cmd": []},
    "modelgate/mlserver-sklearn:1.0": {"entrypoint": ["$cache/venv/bin/mlserver"], "cmd": ["start", "."]}
  }
}
JSON

#!/usr/bin/env bash
# Creates the Python virtual environment that runs MLServer and trains the example models,
# in ${MODELGATE_CACHE:-$HOME/.cache/modelgate}/venv. Idempotent: when the venv already
# matches requirements.txt it returns at once without output. Prints the venv path with
# --print-path.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cache="${MODELGATE_CACHE:-$HOME/.cache/modelgate}"
venv="$cache/venv"
requirements="$here/requirements.txt"
stamp="$venv/.modelgate-requirements.sha256"

if [[ "${1:-}" == "--print-path" ]]; then
  echo "$venv"
  exit 0
fi

wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [[ -x "$venv/bin/mlserver" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
  exit 0
fi

python="${MODELGATE_PYTHON:-python3}"
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)'; then
  echo "setup-venv: $python is older than Python 3.10, which MLServer needs" >&2
  exit 1
fi

echo "setup-venv: installing MLServer and scikit-learn into $venv" >&2
mkdir -p "$cache"
# The stamp is written last, so an interrupted install is started over rather than trusted.
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
echo "$wanted" > "$stamp"
echo "setup-venv: ready at $venv" >&2

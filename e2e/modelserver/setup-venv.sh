#!/usr/bin/env bash
# Creates the Python virtual environment that runs MLServer and trains the example models,
# in ${MODELGATE_CACHE:-/var/cache/modelgate}/venv. Idempotent: when the venv already
# matches requirements.txt it returns at once without output. Prints the venv path with
# --print-path.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cache="${MODELGATE_CACHE:-/var/cache/modelgate}"
venv="$cache/venv"
requirements="$here/requirements.txt"
stamp="$venv/.modelgate-requirements.sha256"

if [[ "${1:-}" == "--print-path" ]]; then
  echo "$venv"
  exit 0
fi

# Debian's own Python: the test bed's pods run as a non-root user, who must be able to reach
# the interpreter the venv links to (a pyenv under /root would not do).
python="${MODELGATE_PYTHON:-/usr/bin/python3}"
wanted="$( (cat "$requirements"; echo "$python") | sha256sum | cut -d' ' -f1)"
if [[ -x "$venv/bin/mlserver" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
  exit 0
fi

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

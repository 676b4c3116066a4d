#!/usr/bin/env bash
# Creates the benchmark's Python environment (pandas, scipy, DuckDB) in
# ${MODELGATE_CACHE:-~/.cache/modelgate}/bench-venv and prints its path. Idempotent: a venv
# that matches requirements.txt is reused without output on stderr.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${MODELGATE_CACHE:-$HOME/.cache/modelgate}"
venv="$cache/bench-venv"
python="${MODELGATE_PYTHON:-/usr/bin/python3}"
wanted="$( (cat "$here/requirements.txt"; echo "$python") | sha256sum | cut -d' ' -f1)"
stamp="$venv/.modelgate-requirements.sha256"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
  echo "setup-venv: installing pandas, scipy and DuckDB into $venv" >&2
  mkdir -p "$cache"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$here/requirements.txt"
  # Written last, so an interrupted install is started over rather than trusted.
  echo "$wanted" >"$stamp"
fi
echo "$venv"

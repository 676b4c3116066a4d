#!/usr/bin/env bash
# Starts MLServer on 127.0.0.1 serving every model folder under MODELS_DIR (as written by
# train.py), HTTP only on a free port; gRPC and metrics go to other free ports since MLServer
# cannot turn them off. Writes the HTTP port to PORT_FILE once chosen, then runs MLServer
# in the foreground (exec), so the caller's process id is MLServer's.
#
# Usage: serve.sh MODELS_DIR PORT_FILE
# REQUIRES: setup-venv.sh has run.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: serve.sh MODELS_DIR PORT_FILE" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
venv="$("$here/setup-venv.sh" --print-path)"
if [[ ! -x "$venv/bin/mlserver" ]]; then
  echo "serve.sh: no MLServer in $venv; run $here/setup-venv.sh first" >&2
  exit 1
fi

# Three distinct free ports, chosen by the kernel.
read -r http_port grpc_port metrics_port < <("$venv/bin/python" - <<'PY'
import socket
sockets = [socket.socket() for _ in range(3)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in sockets])
PY
)

export MLSERVER_HOST=127.0.0.1
export MLSERVER_HTTP_PORT="$http_port"
export MLSERVER_GRPC_PORT="$grpc_port"
export MLSERVER_METRICS_PORT="$metrics_port"
# One process: inference runs in the server's own event loop, no worker pool to start.
export MLSERVER_PARALLEL_WORKERS=0
export MLSERVER_LOAD_MODELS_AT_STARTUP=true
echo "$http_port" > "$2.tmp"
mv "$2.tmp" "$2"
exec "$venv/bin/mlserver" start "$1"

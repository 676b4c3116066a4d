#!/usr/bin/env bash
# The test bed's "modelgate/mlserver-sklearn:1.0" image: MLServer serving one scikit-learn
# model the way a serving container for modelgate does (docs/validation-job.md): the artifact
# from MODELGATE_ARTIFACT_URI (a file:// URI of a joblib file), under the name
# MODELGATE_MODEL_NAME, on MODELGATE_PORT. MLServer's gRPC and metrics listeners, which it
# cannot turn off, take the next two ports, so a candidate on 8080 and a champion on 9080
# share one pod's network namespace.
#
# Usage (as the image's entrypoint): serving-image.sh VENV
set -euo pipefail
venv=${1:?usage: serving-image.sh VENV}
uri=${MODELGATE_ARTIFACT_URI:?MODELGATE_ARTIFACT_URI is not set}
name=${MODELGATE_MODEL_NAME:?MODELGATE_MODEL_NAME is not set}
port=${MODELGATE_PORT:-8080}
case "$uri" in
  file://*) artifact=${uri#file://} ;;
  *) echo "serving-image: $uri: only file:// artifacts are served on the test bed" >&2; exit 1 ;;
esac
[ -r "$artifact" ] || { echo "serving-image: cannot read the artifact $artifact" >&2; exit 1; }

# The model folder goes to /tmp, the pod's writable emptyDir (the root file system is read-only).
folder=$(mktemp -d /tmp/model.XXXXXX)
"$venv/bin/python" - "$folder/model-settings.json" "$name" "$artifact" <<'PY'
import json, sys
path, name, artifact = sys.argv[1:]
settings = {"name": name, "implementation": "mlserver_sklearn.SKLearnModel",
            "parameters": {"uri": artifact, "version": "v1"}}
open(path, "w").write(json.dumps(settings))
PY
export HOME=/tmp
export MLSERVER_HOST=0.0.0.0
export MLSERVER_HTTP_PORT=$port
export MLSERVER_GRPC_PORT=$((port + 1))
export MLSERVER_METRICS_PORT=$((port + 2))
export MLSERVER_PARALLEL_WORKERS=${MLSERVER_PARALLEL_WORKERS:-0}
export MLSERVER_LOAD_MODELS_AT_STARTUP=true
exec "$venv/bin/mlserver" start "$folder"

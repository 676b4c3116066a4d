#!/usr/bin/env bash
# The stress benchmark: modelgate's load generator (bench/gates/load_bench.cc, the stress
# gate's code) next to wrk against the same nginx answering a fixed Open Inference Protocol
# response on 127.0.0.1, one after the other in one run.
#  1. closed loop at each of CONNECTIONS (same for both tools), one thread each, two rounds:
#     requests/s and latency of both;
#  2. a stalled server: nginx's worker is stopped (SIGSTOP) for STALL seconds in the middle
#     of each run; modelgate in open loop at RATE requests/s (latency from the intended send
#     time), modelgate in closed loop, and wrk (closed loop): only the open loop's p99 shows
#     the stall, the closed loops' p99 do not (coordinated omission).
# Prints one JSON object per run on stdout, key=value progress on stderr.
#
#   bench/gates/stress.sh BUILD_DIR [--connections "4 16"] [--seconds 10] [--rate 2000]
#                         [--stall 1]
set -euo pipefail
build=$(cd "$1" && pwd)
shift
here=$(cd "$(dirname "$0")" && pwd)
connection_counts="4 16" seconds=10 rate=2000 stall=1
while [ $# -gt 0 ]; do
  case "$1" in
    --connections) connection_counts=$2 ;;
    --seconds) seconds=$2 ;;
    --rate) rate=$2 ;;
    --stall) stall=$2 ;;
    *) echo "stress.sh: unknown flag $1" >&2; exit 2 ;;
  esac
  shift 2
done
load_bench="$build/bench/gates/modelgate_load_bench"
[ -x "$load_bench" ] || { echo "stress.sh: build $load_bench first" >&2; exit 2; }
command -v wrk >/dev/null && command -v nginx >/dev/null ||
  { echo "stress.sh: needs wrk and nginx (apt-get install wrk nginx-light)" >&2; exit 2; }

work=$(mktemp -d)
nginx_pid="" worker=""
cleanup() {
  [ -n "$worker" ] && kill -CONT "$worker" 2>/dev/null || true
  if [ -n "$nginx_pid" ]; then
    kill "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
log() { echo "$(date +%T) $*" >&2; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# What MLServer answers for one row of the breast-cancer classifier, and the request.
answer='{"model_name":"breast-cancer","id":"bench","parameters":{},"outputs":[{"name":"predict","shape":[1,1],"datatype":"INT64","parameters":{"content_type":"np"},"data":[1]}]}'
printf '%s' '{"inputs":[{"name":"input-0","shape":[1,4],"datatype":"FP64","data":[17.99,10.38,122.8,1001.0]}]}' >"$work/body.json"
cat >"$work/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $work;
  server {
    listen 127.0.0.1:$port;
    location / {
      default_type application/json;
      return 200 '$answer';
    }
  }
}
CONF
nginx -p "$work" -c "$work/nginx.conf" &
nginx_pid=$!
url="http://127.0.0.1:$port/v2/models/breast-cancer/infer"
deadline=$((SECONDS + 10))
until curl -fsS -o /dev/null -d @"$work/body.json" "$url" 2>/dev/null; do
  ((SECONDS < deadline)) || { cat "$work/error.log" >&2; echo "nginx did not start" >&2; exit 1; }
  sleep 0.1
done
worker=$(pgrep -P "$nginx_pid")

# Runs wrk and prints its result as the same JSON as modelgate_load_bench.
run_wrk() {
  BODY_FILE="$work/body.json" wrk -t1 -c"$connections" -d"${seconds}s" --timeout 10s --latency \
    -s "$here/post.lua" "$url" >"$work/wrk.txt"
  python3 "$here/wrk_json.py" "$connections" <"$work/wrk.txt"
}
run_modelgate() {
  "$load_bench" "$url" --connections "$connections" --seconds "$seconds" --threads 1 \
    --method POST --body-file "$work/body.json" --timeout-ms 10000 "$@"
}
# Runs "$@" while nginx's worker is stopped for $stall seconds, starting at a third of the run.
with_stall() {
  ( sleep "$(python3 -c "print($seconds / 3)")"
    kill -STOP "$worker"; sleep "$stall"; kill -CONT "$worker" ) &
  local stopper=$!
  "$@"
  wait "$stopper"
}
tag() { python3 -c "import json,sys; d=json.load(sys.stdin); d.update(json.loads(sys.argv[1])); print(json.dumps(d))" "$1"; }

for connections in $connection_counts; do
  log "event=closed_loop connections=$connections seconds=$seconds"
  for round in 1 2; do
    run_modelgate | tag "{\"run\":\"closed\",\"tool\":\"modelgate\",\"round\":$round}"
    run_wrk | tag "{\"run\":\"closed\",\"tool\":\"wrk\",\"round\":$round}"
  done
done
log "event=stall rate=$rate stall_seconds=$stall connections=$connections"
with_stall run_modelgate --rate "$rate" | tag '{"run":"stall","tool":"modelgate-open"}'
with_stall run_modelgate | tag '{"run":"stall","tool":"modelgate-closed"}'
with_stall run_wrk | tag '{"run":"stall","tool":"wrk"}'

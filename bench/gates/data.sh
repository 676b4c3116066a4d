#!/usr/bin/env bash
# The data gate benchmark: one generated training CSV of ~1 GiB and a reference of ~256 MiB
# (make_data.py, cached), judged one after the other in one run by
#   modelgate          the data gate (modelgate_data_gate_bench: ProfileDataset and
#                      EvaluateDataGate, as `modelgate validate` runs them), quantile sketches
#                      past 100,000 values per column, as shipped;
#   modelgate-exact    the same with every value kept (--exact): memory grows with the rows,
#                      statistics are exact;
#   modelgate-1thread  the shipped gate on one thread;
#   modelgate-validate `modelgate validate --gate data` on a ModelVersion naming the two
#                      files (when BUILD_DIR has the modelgate binary): the product's path,
#                      which also bins every feature for the report;
#   pandas             pandas.read_csv + scipy.stats + numpy (data_gate_pandas.py);
#   duckdb             DuckDB's read_csv and SQL aggregates (data_gate_duckdb.py);
# each under /usr/bin/time -v, then compare.py holds every result against pandas + scipy.
# Writes RESULT_DIR/<tool>.json (the result), <tool>.time (time -v) and summary.jsonl
# (tool, wall seconds, peak RSS), and prints compare.py's table.
#
#   bench/gates/data.sh BUILD_DIR RESULT_DIR [--training-mb 1024] [--reference-mb 256]
set -euo pipefail
build=$(cd "$1" && pwd)
out=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
training_mb=1024 reference_mb=256
while [ $# -gt 0 ]; do
  case "$1" in
    --training-mb) training_mb=$2 ;;
    --reference-mb) reference_mb=$2 ;;
    *) echo "data.sh: unknown flag $1" >&2; exit 2 ;;
  esac
  shift 2
done
bench="$build/bench/gates/modelgate_data_gate_bench"
[ -x "$bench" ] || { echo "data.sh: build $bench first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "data.sh: needs GNU time (apt-get install time)" >&2; exit 2; }
log() { echo "$(date +%T) $*" >&2; }

venv=$("$here/setup-venv.sh")
cache="${MODELGATE_CACHE:-$HOME/.cache/modelgate}"
data="$cache/bench-data/${training_mb}m-${reference_mb}m"
log "event=make_data dir=$data"
"$venv/bin/python" "$here/make_data.py" "$data" --training-mb "$training_mb" \
  --reference-mb "$reference_mb"
mkdir -p "$out"
: >"$out/summary.jsonl"

# run TOOL COMMAND...: times COMMAND, keeps its stdout as TOOL.json.
run() {
  local tool=$1
  shift
  log "event=run tool=$tool"
  # Exit 1 is a verdict (the gate failed), not a failure of the run.
  nice -n 10 /usr/bin/time -v -o "$out/$tool.time" "$@" >"$out/$tool.json" || [ $? -eq 1 ]
  python3 - "$tool" "$out/$tool.time" >>"$out/summary.jsonl" <<'PY'
import json, re, sys
text = open(sys.argv[2]).read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
seconds = sum(float(p) * 60**i for i, p in enumerate(reversed(wall.split(":"))))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
cpu = re.search(r"Percent of CPU this job got: (\d+)%", text).group(1)
print(json.dumps({"tool": sys.argv[1], "seconds": seconds, "rss_mib": rss / 1024,
                  "cpu_percent": int(cpu)}))
PY
}

files=("$data/reference.csv" "$data/training.csv")
run modelgate "$bench" "${files[@]}" --exclude label
run modelgate-1thread "$bench" "${files[@]}" --exclude label --threads 1
run pandas "$venv/bin/python" "$here/data_gate_pandas.py" "${files[@]}" --exclude label
run duckdb "$venv/bin/python" "$here/data_gate_duckdb.py" "${files[@]}" --exclude label
run modelgate-exact "$bench" "${files[@]}" --exclude label --exact
# The product's own command on the same files, when the build has it.
if [ -x "$build/modelgate" ]; then
  cat >"$out/modelversion.yaml" <<YAML
apiVersion: modelgate.io/v1alpha1
kind: ModelVersion
metadata: {name: bench-data-gate}
spec:
  model: bench
  version: 1.0.0
  artifact: {uri: "file:///dev/null", format: sklearn}
  serving: {image: bench/none:1, port: 8080, protocol: v2}
  datasets:
    training: {uri: "file://$data/training.csv", format: csv}
    reference: {uri: "file://$data/reference.csv", format: csv}
  schema: {task: classification, target: label}
  gates:
    quality: {enabled: false}
    robustness: {enabled: false}
    stress: {enabled: false}
YAML
  run modelgate-validate "$build/modelgate" validate -f "$out/modelversion.yaml" --gate data \
    --output json
  python3 - "$out/modelgate-validate.json" <<'PY'
import json, sys
gate = next(g for g in json.load(open(sys.argv[1]))["gates"] if g["gate"] == "data")
print(f"modelgate validate --gate data: {gate['verdict']}, drift share "
      f"{gate['metrics']['driftShare']:.2f}: {gate['message']}")
PY
fi
python3 - "$data/stamp.json" >"$out/data.json" <<'PY'
import json, sys
print(json.dumps(json.load(open(sys.argv[1]))["files"]))
PY
"$venv/bin/python" "$here/compare.py" "$out/pandas.json" "modelgate=$out/modelgate.json" \
  "modelgate-exact=$out/modelgate-exact.json" "duckdb=$out/duckdb.json" | tee "$out/compare.txt"
# The profile must not depend on the thread count (parallel_profile.h): same statistics.
python3 - "$out/modelgate.json" "$out/modelgate-1thread.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
same = a["columns"] == b["columns"] and a["verdict"] == b["verdict"]
print("modelgate on 1 thread and on the default threads: "
      f"{'identical statistics' if same else 'DIFFERENT statistics'}")
sys.exit(0 if same else 1)
PY

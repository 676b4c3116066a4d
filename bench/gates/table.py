#!/usr/bin/env python3
"""Prints the gate benchmarks' terse table from data.sh's result directory and stress.sh's
JSON lines.

    table.py DATA_RESULT_DIR STRESS.jsonl
"""
import json
import pathlib
import sys


def data_table(out):
    rows = {r["tool"]: r for r in map(json.loads, (out / "summary.jsonl").read_text().splitlines())}
    files = json.loads((out / "data.json").read_text())
    size = sum(f["bytes"] for f in files.values()) / 2**30
    print(f"data gate: {size:.2f} GiB of CSV (training {files['training.csv']['rows']:,} rows, "
          f"reference {files['reference.csv']['rows']:,} rows; 20 numeric, 5 categorical columns)")
    base = rows["modelgate"]["seconds"]
    print(f"  {'tool':<18} {'wall s':>7} {'CPU %':>6} {'peak RSS MiB':>13} {'time vs modelgate':>18}")
    for tool in ["modelgate", "modelgate-1thread", "modelgate-exact", "duckdb", "pandas"]:
        r = rows.get(tool)
        if r:
            print(f"  {tool:<18} {r['seconds']:>7.2f} {r['cpu_percent']:>6} {r['rss_mib']:>13.0f} "
                  f"{r['seconds'] / base:>17.1f}x")
    print("  agreement with pandas + scipy:")
    for line in (out / "compare.txt").read_text().splitlines():
        print("    " + line)


def stress_table(path):
    runs = [json.loads(line) for line in pathlib.Path(path).read_text().splitlines() if line]
    closed = [r for r in runs if r["run"] == "closed"]
    print(f"stress: nginx on 127.0.0.1, {closed[0]['connections']} connections, one thread each")
    print(f"  {'tool':<16} {'req/s':>9} {'p50 us':>8} {'p99 us':>9} {'mean us':>8} "
          f"{'conns/(req/s*mean)':>19}")
    totals = {}
    for r in closed:
        lat = r["latency_us"]
        little = r["connections"] / (r["requests_per_second"] * lat["mean"] / 1e6)
        totals.setdefault(r["tool"], []).append(r["requests_per_second"])
        print(f"  {r['tool']:<16} {r['requests_per_second']:>9.0f} {lat['p50']:>8.0f} "
              f"{lat['p99']:>9.0f} {lat['mean']:>8.0f} {little:>19.2f}")
    ratio = sum(totals["modelgate"]) / sum(totals["wrk"])
    print(f"  modelgate / wrk requests per second: {ratio:.2f}")
    stall = [r for r in runs if r["run"] == "stall"]
    print("  server stalled (SIGSTOP) for a while mid-run:")
    for r in stall:
        lat = r["latency_us"]
        rate = f"open loop, {r['requests_per_second']:.0f} req/s" if r["loop"] == "open" else "closed loop"
        print(f"  {r['tool']:<16} {rate:<27} p50 {lat['p50'] / 1e3:>8.2f} ms  "
              f"p99 {lat['p99'] / 1e3:>8.2f} ms  max {lat['max'] / 1e3:>8.1f} ms")


if __name__ == "__main__":
    data_table(pathlib.Path(sys.argv[1]))
    print()
    stress_table(sys.argv[2])

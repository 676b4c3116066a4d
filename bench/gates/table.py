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
    for tool in ["modelgate", "modelgate-1thread", "modelgate-validate", "modelgate-exact",
                 "duckdb", "pandas"]:
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
    print("stress: nginx on 127.0.0.1, one thread each; latency in us")
    print(f"  {'':<16} {'':>8} {'as measured':^22} {'as wrk prints it (back-filled)':^33}")
    print(f"  {'tool, conns':<16} {'req/s':>8} {'p50':>6} {'p99':>6} {'mean':>6}  "
          f"{'p50':>6} {'p99':>6} {'mean':>6} {'conns/(req/s*mean)':>19}")
    totals = {}
    for r in closed:
        measured = r.get("latency_us")
        shown = r.get("corrected_latency_us", measured) if r["tool"] == "modelgate" else measured
        totals.setdefault(r["tool"], []).append(r["requests_per_second"])
        if r["tool"] == "modelgate":
            raw = f"{measured['p50']:>6.0f} {measured['p99']:>6.0f} {measured['mean']:>6.0f}"
            little = r["connections"] / (r["requests_per_second"] * measured["mean"] / 1e6)
            little_text = f"{little:.2f} measured"
        else:
            raw = f"{'-':>6} {'-':>6} {'-':>6}"
            little = r["connections"] / (r["requests_per_second"] * shown["mean"] / 1e6)
            little_text = f"{little:.2f} back-filled"
        name = f"{r['tool']}, {r['connections']}"
        print(f"  {name:<16} {r['requests_per_second']:>8.0f} {raw}  {shown['p50']:>6.0f} "
              f"{shown['p99']:>6.0f} {shown['mean']:>6.0f} {little_text:>19}")
    ratios = []
    for connections in sorted({r["connections"] for r in closed}):
        rate = {t: sum(r["requests_per_second"] for r in closed
                       if r["tool"] == t and r["connections"] == connections) for t in totals}
        ratios.append(f"{rate['modelgate'] / rate['wrk']:.2f} at {connections} connections")
    print("  modelgate / wrk requests per second: " + ", ".join(ratios))
    stall = [r for r in runs if r["run"] == "stall"]
    print("  server stopped (SIGSTOP) for a while mid-run:")
    for r in stall:
        lat = r["latency_us"]
        kind = (f"open loop at {r['requests_per_second']:.0f} req/s" if r["loop"] == "open"
                else "closed loop" + (" (back-filled)" if r["tool"] == "wrk" else ""))
        print(f"  {r['tool']:<17} {kind:<29} p50 {lat['p50'] / 1e3:>7.2f} ms  "
              f"p99 {lat['p99'] / 1e3:>7.2f} ms  max {lat['max'] / 1e3:>7.1f} ms")


if __name__ == "__main__":
    data_table(pathlib.Path(sys.argv[1]))
    print()
    stress_table(sys.argv[2])

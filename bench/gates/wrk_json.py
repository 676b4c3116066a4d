#!/usr/bin/env python3
"""Reads wrk --latency output on stdin and prints it as modelgate_load_bench's JSON."""
import json
import re
import sys

UNITS = {"us": 1, "ms": 1e3, "s": 1e6, "m": 60e6}


def micros(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


out = sys.stdin.read()
latency = {f"p{p}": micros(v) for p, v in re.findall(r"^\s+(50|90|99)(?:\.000)?%\s+(\S+)$", out, re.M)}
summary = re.search(r"^\s+Latency\s+(\S+)\s+\S+\s+(\S+)", out, re.M)
latency["mean"] = micros(summary.group(1))
latency["max"] = micros(summary.group(2))
requests = int(re.search(r"(\d+) requests in", out).group(1))
errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
errors += int(non2xx.group(1)) if non2xx else 0
print(json.dumps({"loop": "closed", "connections": int(sys.argv[1]), "requests": requests,
                  "errors": errors,
                  "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
                  "latency_us": latency}))

#!/usr/bin/env python3
"""Joins the creates recorded by create_modelversions.py with the operator's log and prints
the latencies of one run as JSON.

  event-to-Job  the operator's `event=job_created` timestamp minus the moment the create of
                that ModelVersion returned to the client (both from the same wall clock;
                the log has millisecond resolution)
  create        the API server's own latency for the create, as the client saw it

  latency_report.py --creates creates.csv --log operator.log --namespace NS
"""

import argparse
import csv
import datetime
import json
import math
import re
import sys

JOB_CREATED = re.compile(
    r"^(\S+) info event=job_created namespace=(\S+) name=(\S+) gate=(\S+) job=(\S+)")


def percentile(values, p):
    """Nearest rank: the smallest value with at least p % of the values at or below it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(values_ms):
    return {
        "count": len(values_ms),
        "p50_ms": round(percentile(values_ms, 50), 1),
        "p90_ms": round(percentile(values_ms, 90), 1),
        "p99_ms": round(percentile(values_ms, 99), 1),
        "max_ms": round(max(values_ms), 1),
    }


def parse_time(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()


def first_jobs(log_path, namespace):
    """ModelVersion name -> the time its first Job was created."""
    created = {}
    with open(log_path, errors="replace") as log:
        for line in log:
            match = JOB_CREATED.match(line)
            if match and match.group(2) == namespace:
                created.setdefault(match.group(3), parse_time(match.group(1)))
    return created


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creates", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--namespace", required=True)
    args = parser.parse_args()

    with open(args.creates, newline="") as f:
        creates = [row for row in csv.DictReader(f) if row["status"] == "201"]
    if not creates:
        sys.exit("latency_report: no successful creates")
    jobs = first_jobs(args.log, args.namespace)
    create_ms, event_to_job_ms, late_ms = [], [], []
    missing = 0
    for row in creates:
        sent, returned = float(row["sent"]), float(row["returned"])
        create_ms.append((returned - sent) * 1000)
        late_ms.append((sent - float(row["due"])) * 1000)
        if row["name"] in jobs:
            event_to_job_ms.append((jobs[row["name"]] - returned) * 1000)
        else:
            missing += 1
    first_sent = min(float(row["sent"]) for row in creates)
    last_returned = max(float(row["returned"]) for row in creates)
    report = {
        "model_versions": len(creates),
        "rate_per_s": round(len(creates) / (last_returned - first_sent), 1),
        "create": summary(create_ms),
        "client_lateness": summary(late_ms),
        "jobs_missing": missing,
    }
    if event_to_job_ms:
        report["event_to_job"] = summary(event_to_job_ms)
        last_job = max(jobs[row["name"]] for row in creates if row["name"] in jobs)
        report["first_create_to_last_job_s"] = round(last_job - first_sent, 2)
        report["last_create_to_last_job_s"] = round(last_job - last_returned, 2)
        report["p99_ratio_event_to_job_vs_create"] = round(
            report["event_to_job"]["p99_ms"] / report["create"]["p99_ms"], 2)
    json.dump(report, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()

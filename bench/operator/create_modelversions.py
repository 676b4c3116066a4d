#!/usr/bin/env python3
"""Creates ModelVersions at a fixed rate, the way `kubectl apply` creates them, and records
when each create was sent and when it returned.

The load is open loop: create i is due at start + i / rate whatever happened to the ones
before, so a slow API server shows up as create latency and lateness, not as a lower rate
hidden from the numbers. Each of the --connections threads keeps one HTTPS connection
alive and authenticates with the client certificate of the kubeconfig's current user.

Writes one CSV row per create: name, due, sent, returned (Unix seconds, the clock the
operator's log timestamps use), HTTP status.

  create_modelversions.py --namespace NS --first 0 --count 1000 --rate 100 --out creates.csv
"""

import argparse
import base64
import csv
import http.client
import json
import os
import queue
import resource
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def model_version(namespace, index):
    """A ModelVersion shaped like examples/modelversion-classifier.yaml's production model,
    with the last-applied annotation that `kubectl apply` adds on create."""
    name = f"bench-{index:05d}"
    obj = {
        "apiVersion": "modelgate.io/v1alpha1",
        "kind": "ModelVersion",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "labels": {"app.kubernetes.io/name": "breast-cancer", "modelgate.io/bench": "true"},
        },
        "spec": {
            "model": "breast-cancer",
            "version": f"1.0.{index}",
            "artifact": {
                "uri": f"s3://models/breast-cancer/{index}/model.joblib",
                "format": "sklearn",
            },
            "serving": {"image": "modelgate/mlserver-sklearn:1.0", "port": 8080,
                        "protocol": "v2"},
            "datasets": {
                "training": {"uri": "s3://data/breast-cancer/training.csv", "format": "csv"},
                "holdout": {"uri": "s3://data/breast-cancer/holdout.csv", "format": "csv"},
                "reference": {"uri": "s3://data/breast-cancer/reference.csv", "format": "csv"},
            },
            "schema": {"task": "classification", "target": "target"},
            "gates": {
                "data": {"maxDriftShare": 0.3, "maxNullRate": 0.05},
                "quality": {"metric": "auc", "threshold": 0.9, "baselineMargin": 0.1,
                            "positiveClass": "1"},
                "stress": {"mode": "closed", "concurrency": 4, "durationSeconds": 10,
                           "warmupSeconds": 1, "maxP99Ms": 250, "maxErrorRate": 0.01},
            },
        },
    }
    applied = json.dumps(obj, separators=(",", ":"), sort_keys=True)
    obj["metadata"]["annotations"] = {LAST_APPLIED: applied + "\n"}
    return name, json.dumps(obj).encode()


class Cluster:
    """The API server and the credentials of the kubeconfig's current context."""

    def __init__(self, tmpdir):
        view = json.loads(subprocess.check_output(
            ["kubectl", "config", "view", "--raw", "--minify", "-o", "json"]))
        cluster = view["clusters"][0]["cluster"]
        user = view["users"][0]["user"]
        url = urllib.parse.urlsplit(cluster["server"])
        self.host, self.port = url.hostname, url.port or 443
        files = {}
        for key, field in (("ca", "certificate-authority-data"),
                           ("cert", "client-certificate-data"), ("key", "client-key-data")):
            if field not in (cluster if key == "ca" else user):
                sys.exit(f"create_modelversions: the kubeconfig has no {field}")
            path = os.path.join(tmpdir, key + ".pem")
            with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "wb") as out:
                out.write(base64.b64decode((cluster if key == "ca" else user)[field]))
            files[key] = path
        self.context = ssl.create_default_context(cafile=files["ca"])
        self.context.load_cert_chain(files["cert"], files["key"])

    def connect(self):
        return http.client.HTTPSConnection(self.host, self.port, context=self.context,
                                           timeout=60)


def run(args):
    with tempfile.TemporaryDirectory() as tmpdir:
        cluster = Cluster(tmpdir)
    # The context holds the certificates in memory; the files are gone.
    path = (f"/apis/modelgate.io/v1alpha1/namespaces/{args.namespace}/modelversions"
            "?fieldManager=kubectl-client-side-apply")
    bodies = [model_version(args.namespace, args.first + i) for i in range(args.count)]
    work = queue.Queue()
    for i in range(args.count):
        work.put(i)
    rows = [None] * args.count
    start = time.time() + 0.5

    def worker():
        conn = cluster.connect()
        while True:
            try:
                i = work.get_nowait()
            except queue.Empty:
                break
            due = start + i / args.rate
            delay = due - time.time()
            if delay > 0:
                time.sleep(delay)
            name, body = bodies[i]
            sent = time.time()
            try:
                conn.request("POST", path, body, {"Content-Type": "application/json",
                                                   "Accept": "application/json"})
                response = conn.getresponse()
                response.read()
                code = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = cluster.connect()
                code = 0
            rows[i] = (name, due, sent, time.time(), code)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(args.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with open(args.out, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "due", "sent", "returned", "status"])
        for row in rows:
            writer.writerow([row[0], f"{row[1]:.6f}", f"{row[2]:.6f}", f"{row[3]:.6f}", row[4]])
    failed = sum(1 for row in rows if row[4] != 201)
    elapsed = rows[-1][3] - rows[0][2] if rows else 0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"created {args.count - failed} of {args.count} ModelVersions in {elapsed:.1f} s, "
          f"client CPU {usage.ru_utime + usage.ru_stime:.1f} s", file=sys.stderr)
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--namespace", required=True)
    parser.add_argument("--first", type=int, default=0, help="index of the first name")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--rate", type=float, required=True, help="creates per second")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--out", required=True, help="CSV of the creates")
    sys.exit(run(parser.parse_args()))


if __name__ == "__main__":
    main()

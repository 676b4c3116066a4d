#!/usr/bin/env python3
"""Writes the objects of the admission benchmark as JSON files.

  make_objects.py objects --namespace NS --model-versions N --policies P --out DIR
      DIR/modelversions.json  a List of N ModelVersions shaped like real ones (serving,
                              datasets, a 20-feature schema, all four gates configured)
      DIR/policies.json       a List of P ModelGatePolicies, all matching NS, all Enforce
      DIR/review.json         the AdmissionReview the API server sends for creating a
                              Deployment in NS that names the first ModelVersion
  make_objects.py statuses < LIST > LIST
      gives every ModelVersion of a List (kubectl get -o json) the status the operator
      writes when all four gates passed: conditions, gate entries with metrics, digest.
"""
import argparse
import datetime
import hashlib
import json
import sys

GATES = ["data", "quality", "robustness", "stress"]
CONDITIONS = {"data": "DataValidated", "quality": "QualityValidated",
              "robustness": "RobustnessValidated", "stress": "StressTested"}


def digest(name):
    return "sha256:" + hashlib.sha256(name.encode()).hexdigest()


def model_version(i):
    name = "fraud-%05d" % i
    features = [{"name": "f%02d" % k, "type": "numeric", "nullable": k % 3 == 0, "min": 0}
                for k in range(18)]
    features += [{"name": "country", "type": "categorical",
                  "categories": ["de", "fr", "nl", "us"]},
                 {"name": "note", "type": "text", "nullable": True}]
    return {
        "apiVersion": "modelgate.io/v1alpha1", "kind": "ModelVersion",
        "metadata": {"name": name, "labels": {"app.kubernetes.io/name": "fraud",
                                              "modelgate.io/bench": "true"}},
        "spec": {
            "model": "fraud", "version": "1.%d.0" % i,
            "artifact": {"uri": "s3://bench-models/fraud/%s/model.joblib" % name,
                         "digest": digest(name), "format": "sklearn"},
            "serving": {"image": "modelgate/mlserver-sklearn:1.0", "port": 8080,
                        "protocol": "v2", "modelName": "fraud",
                        "env": [{"name": "MLSERVER_PARALLEL_WORKERS", "value": "0"},
                                {"name": "MLSERVER_LOGGING_LEVEL", "value": "WARNING"}],
                        "resources": {"requests": {"cpu": "500m", "memory": "512Mi"},
                                      "limits": {"memory": "1Gi"}}},
            "datasets": {d: {"uri": "s3://bench-data/fraud/%s.csv" % d, "format": "csv"}
                         for d in ("training", "holdout", "reference")},
            "schema": {"task": "classification", "target": "label", "features": features},
            "gates": {
                "data": {"maxDriftShare": 0.3, "method": "auto", "maxNullRate": 0.05},
                "quality": {"metric": "auc", "threshold": 0.8, "baselineMargin": 0.05,
                            "batchSize": 64, "positiveClass": "1"},
                "robustness": {"requestTimeoutSeconds": 5, "maxFailures": 0},
                "stress": {"mode": "closed", "concurrency": 4, "durationSeconds": 30,
                           "maxP99Ms": 250, "maxErrorRate": 0.01}},
        },
    }


def policy(i, namespace):
    return {
        "apiVersion": "modelgate.io/v1alpha1", "kind": "ModelGatePolicy",
        "metadata": {"name": "bench-%03d" % i, "labels": {"modelgate.io/bench": "true"}},
        "spec": {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": namespace}},
            "requiredGates": GATES,
            "floors": [{"gate": "quality", "metric": "auc", "min": 0.8},
                       {"gate": "data", "metric": "driftShare", "max": 0.5},
                       {"gate": "stress", "metric": "p99Ms", "max": 250}],
            "maxValidationAge": "720h",
            "enforcement": "Enforce",
            "exemptions": [{"users": ["break-glass-%d" % i], "reason": "incident response"},
                           {"serviceAccounts": ["kube-system/replicaset-controller"]}],
        },
    }


def review(namespace, model):
    labels = {"app": "fraud-api"}
    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {
            "name": "fraud-api", "namespace": namespace, "labels": labels,
            "annotations": {"modelgate.io/model-version": model},
            "managedFields": [{"manager": "kubectl", "operation": "Apply",
                               "apiVersion": "apps/v1", "time": "2026-01-01T00:00:00Z",
                               "fieldsType": "FieldsV1",
                               "fieldsV1": {"f:metadata": {"f:annotations": {
                                   "f:modelgate.io/model-version": {}}},
                                   "f:spec": {"f:replicas": {}, "f:template": {}}}}]},
        "spec": {
            "replicas": 3, "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels,
                             "annotations": {"modelgate.io/model-version": model}},
                "spec": {"containers": [{
                    "name": "model", "image": "modelgate/mlserver-sklearn:1.0",
                    "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
                    "env": [{"name": "MODEL_NAME", "value": "fraud"}],
                    "resources": {"requests": {"cpu": "500m", "memory": "512Mi"}},
                    "readinessProbe": {"httpGet": {"path": "/v2/health/ready",
                                                   "port": "http"}}}]}}},
    }
    return {
        "apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
        "request": {
            "uid": "0df28fbd-5f5f-4a8f-9f0a-2b3c4d5e6f70",
            "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
            "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
            "requestKind": {"group": "apps", "version": "v1", "kind": "Deployment"},
            "requestResource": {"group": "apps", "version": "v1", "resource": "deployments"},
            "name": "fraud-api", "namespace": namespace, "operation": "CREATE",
            "userInfo": {"username": "alice", "uid": "u-1",
                         "groups": ["ml-engineers", "system:authenticated"]},
            "object": deployment, "oldObject": None, "dryRun": False,
            "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions",
                        "fieldManager": "kubectl-client-side-apply"},
        },
    }


def passed_status(mv, now):
    gen = mv["metadata"].get("generation", 1)
    metrics = {"data": {"driftShare": 0.1, "maxNullRate": 0.01},
               "quality": {"auc": 0.93, "accuracy": 0.9, "f1": 0.88, "logLoss": 0.21},
               "robustness": {"cases": 42, "failures": 0},
               "stress": {"p50Ms": 4.1, "p95Ms": 9.8, "p99Ms": 14.2, "errorRate": 0,
                          "rps": 812}}
    conditions = [{"type": "Ready", "status": "True", "observedGeneration": gen,
                   "lastTransitionTime": now, "reason": "Validated",
                   "message": "4/4 gates passed"}]
    conditions += [{"type": CONDITIONS[g], "status": "True", "observedGeneration": gen,
                    "lastTransitionTime": now, "reason": "Passed",
                    "message": "gate %s passed" % g} for g in GATES]
    return {
        "phase": "Passed", "observedGeneration": gen, "gatesPassed": "4/4",
        "conditions": conditions,
        "gates": [{"name": g, "phase": "Passed", "job": "%s-%s-g%d" % (
            mv["metadata"]["name"], g, gen), "attempts": 1, "startedAt": now,
            "finishedAt": now, "metrics": metrics[g], "message": "passed"} for g in GATES],
        "validatedDigest": mv["spec"]["artifact"]["digest"], "validatedAt": now,
    }


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    objects = sub.add_parser("objects")
    objects.add_argument("--namespace", required=True)
    objects.add_argument("--model-versions", type=int, default=1000)
    objects.add_argument("--policies", type=int, default=10)
    objects.add_argument("--out", required=True)
    sub.add_parser("statuses")
    args = parser.parse_args()

    if args.command == "statuses":
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        items = json.load(sys.stdin)
        for mv in items["items"]:
            mv["status"] = passed_status(mv, now)
        json.dump(items, sys.stdout)
        return

    def write(name, value):
        with open("%s/%s" % (args.out, name), "w") as f:
            json.dump(value, f)

    write("modelversions.json", {"apiVersion": "v1", "kind": "List", "items": [
        model_version(i) for i in range(1, args.model_versions + 1)]})
    write("policies.json", {"apiVersion": "v1", "kind": "List", "items": [
        policy(i, args.namespace) for i in range(1, args.policies + 1)]})
    write("review.json", review(args.namespace, "fraud-00001"))


if __name__ == "__main__":
    main()

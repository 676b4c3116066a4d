#!/usr/bin/env python3
"""Writes the reference values the gates' statistics are tested against.

Run from anywhere with numpy, scipy and scikit-learn installed:
    python3 tests/gates/vectors/make_vectors.py
It rewrites drift.json, ks.json and metrics.json next to itself. Every sample is either
written out in full or described by a "golden" generator that the C++ tests reproduce bit
for bit: x_i = shift + scale * fmod((i + 1) * alpha, 1.0) for i in 0..n-1, optionally
rounded to `decimals` places (round half to even on the scaled value, as numpy.round).
"""
import json
import math
import pathlib
import sys

import numpy as np
import scipy
import scipy.special
import scipy.stats
import sklearn
from scipy.spatial.distance import jensenshannon
from sklearn import metrics

HERE = pathlib.Path(__file__).resolve().parent


def golden(n, alpha=0.6180339887498949, scale=1.0, shift=0.0, decimals=None):
    x = np.array([shift + scale * math.fmod((i + 1) * alpha, 1.0) for i in range(n)])
    if decimals is not None:
        x = np.round(x, decimals)
    return x


def sample(spec):
    if isinstance(spec, dict):
        return golden(**spec)
    return np.asarray(spec, dtype=float)


def versions():
    return {"numpy": np.__version__, "scipy": scipy.__version__,
            "scikit-learn": sklearn.__version__, "python": sys.version.split()[0]}


# ---------------------------------------------------------------- Kolmogorov–Smirnov
def ks_vectors():
    rng = np.random.default_rng(20261128)
    cases = []
    small = [
        ("equal_sizes", rng.normal(0, 1, 20).round(6).tolist(), rng.normal(0.5, 1, 20).round(6).tolist()),
        ("unequal_sizes", rng.normal(0, 1, 30).round(6).tolist(), rng.normal(0.3, 1.2, 47).round(6).tolist()),
        ("ties_integers", rng.integers(0, 6, 40).astype(float).tolist(), rng.integers(1, 7, 33).astype(float).tolist()),
        ("identical", [1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]),
        ("disjoint", [1.0, 2.0, 3.0], [10.0, 11.0, 12.0, 13.0, 14.0]),
        ("single_values", [0.5], [0.7]),
        ("constant_columns", [3.0] * 12, [3.0] * 9 + [4.0]),
    ]
    for name, a, b in small:
        r = scipy.stats.ks_2samp(a, b, method="auto")
        cases.append({"name": name, "a": a, "b": b, "statistic": float(r.statistic),
                      "p_value": float(r.pvalue)})
    generated = [
        ("exact_large_unequal", dict(n=3000), dict(n=2500, alpha=0.7548776662466927, shift=0.02)),
        ("exact_at_limit", dict(n=10000), dict(n=9000, alpha=0.41421356237309503, shift=0.01)),
        ("asymptotic_just_over_limit", dict(n=10001), dict(n=8000, alpha=0.7548776662466927, shift=0.015)),
        ("asymptotic_large", dict(n=60000), dict(n=50000, alpha=0.41421356237309503, shift=0.05, scale=1.1)),
        ("asymptotic_no_drift", dict(n=40000), dict(n=30000, alpha=0.7548776662466927)),
        ("asymptotic_tiny_vs_large", dict(n=20000), dict(n=7, alpha=0.7548776662466927)),
        ("asymptotic_ties", dict(n=20000, decimals=1), dict(n=15000, alpha=0.41421356237309503, decimals=1, shift=0.03)),
    ]
    for name, sa, sb in generated:
        r = scipy.stats.ks_2samp(golden(**sa), golden(**sb), method="auto")
        cases.append({"name": name, "a": sa, "b": sb, "statistic": float(r.statistic),
                      "p_value": float(r.pvalue)})
    kolmogorov = []
    for n in [5, 37, 140, 141, 500, 5000, 30000, 100000, 100001, 2000000]:
        for x in [0.6 / n, 0.9 / n, 1.5 / n, 0.3 / math.sqrt(n), 0.8 / math.sqrt(n),
                  1.2 / math.sqrt(n), 1.6 / math.sqrt(n), 3.0 / math.sqrt(n), 0.45, 0.7,
                  1 - 0.5 / n]:
            if 0 < x < 1:
                kolmogorov.append({"n": n, "x": x, "sf": float(scipy.stats.kstwo.sf(x, n))})
    smirnov = []
    for n in [2, 10, 300, 5000, 999999, 1000001]:
        for x in [0.3 / n, 2.5 / n, 0.5 / math.sqrt(n), 1.5 / math.sqrt(n), 0.6]:
            if 0 < x < 1:
                smirnov.append({"n": n, "x": x, "sf": float(scipy.special.smirnov(n, x))})
    return {"versions": versions(), "two_sample": cases, "kolmogorov_sf": kolmogorov,
            "smirnov_sf": smirnov}


# ---------------------------------------------------------------- drift (Evidently's way)
def evidently_floor(p):
    p = p.copy()
    smallest = p[p != 0].min()
    p[p == 0] = smallest / 10**6 if smallest <= 0.0001 else 0.0001
    return p


def psi_from_counts(r, c):
    r = evidently_floor(np.asarray(r, float) / np.sum(r))
    c = evidently_floor(np.asarray(c, float) / np.sum(c))
    return float(np.sum((r - c) * np.log(r / c)))


def decile_bins(ref, cur):
    edges = np.quantile(ref, np.arange(1, 10) / 10)
    r = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=10)
    c = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=10)
    return edges, r, c


def sturges_counts(ref, cur):
    edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
    return np.histogram(ref, edges)[0], np.histogram(cur, edges)[0], len(edges) - 1


def drift_vectors():
    rng = np.random.default_rng(7)
    numeric = [
        ("normal_shift", rng.normal(0, 1, 400).round(5).tolist(), rng.normal(0.4, 1, 300).round(5).tolist()),
        ("same_distribution", rng.normal(5, 2, 500).round(4).tolist(), rng.normal(5, 2, 450).round(4).tolist()),
        ("ties_and_empty_bins", rng.integers(0, 4, 200).astype(float).tolist(), rng.integers(2, 9, 150).astype(float).tolist()),
        ("constant_reference", [2.0] * 50, rng.normal(2, 0.1, 40).round(4).tolist()),
        ("current_outside_reference", rng.uniform(0, 1, 100).round(5).tolist(), rng.uniform(5, 6, 80).round(5).tolist()),
    ]
    numeric_cases = []
    for name, a, b in numeric:
        ref, cur = np.asarray(a), np.asarray(b)
        edges, rc, cc = decile_bins(ref, cur)
        sr, sc, nb = sturges_counts(ref, cur)
        numeric_cases.append({
            "name": name, "reference": a, "current": b,
            "decile_edges": edges.tolist(),
            "psi": psi_from_counts(rc, cc),
            "sturges_bins": nb,
            "jensenshannon_sturges": float(jensenshannon(sr / len(ref), sc / len(cur))),
            "wasserstein": float(scipy.stats.wasserstein_distance(ref, cur)),
            "wasserstein_norm": float(scipy.stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)),
            "reference_std": float(np.std(ref)),
        })
    categorical = [
        ("shifted_shares", [50, 30, 20], [30, 30, 40]),
        ("same_shares", [100, 50, 25], [40, 20, 10]),
        ("empty_category_current", [40, 40, 20], [50, 50, 0]),
        ("new_category_current", [40, 60, 0], [30, 50, 20]),
        ("many_categories", [12, 7, 30, 1, 9, 22, 5, 14], [10, 9, 25, 4, 8, 20, 9, 15]),
        ("tiny_shares", [100000, 1, 5], [90000, 0, 40]),
    ]
    categorical_cases = []
    for name, r, c in categorical:
        r_arr, c_arr = np.asarray(r, float), np.asarray(c, float)
        k_norm = c_arr.sum() / r_arr.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            chi = scipy.stats.chisquare(c_arr, r_arr * k_norm)
        categorical_cases.append({
            "name": name, "reference": r, "current": c,
            "psi": psi_from_counts(r_arr, c_arr),
            "jensenshannon": float(jensenshannon(r_arr / r_arr.sum(), c_arr / c_arr.sum())),
            "chisquare_statistic": None if not np.isfinite(chi.statistic) else float(chi.statistic),
            "chisquare_p_value": float(chi.pvalue) if np.isfinite(chi.pvalue) else 0.0,
        })
    z_cases = []
    from scipy.stats import norm
    for name, ref, cur in [("balanced_shift", ["a"] * 60 + ["b"] * 40, ["a"] * 35 + ["b"] * 65),
                           ("no_shift", ["x"] * 30 + ["y"] * 70, ["x"] * 15 + ["y"] * 35),
                           ("one_sided", ["x"] * 10, ["x"] * 8 + ["y"] * 2)]:
        keys = sorted(set(ref) | set(cur))
        r = np.array([0 if v == keys[0] else 1 for v in ref])
        c = np.array([0 if v == keys[0] else 1 for v in cur])
        p1, p2 = r.mean(), c.mean()
        pooled = (p1 * len(r) + p2 * len(c)) / (len(r) + len(c))
        z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1 / len(r) + 1 / len(c)))
        z_cases.append({"name": name, "reference_first": int((r == 0).sum()), "reference_total": len(r),
                        "current_first": int((c == 0).sum()), "current_total": len(c),
                        "p_value": float(2 * (1 - norm.cdf(abs(z))))})
    chi2_sf = [{"k": k, "x": x, "sf": float(scipy.stats.chi2.sf(x, k))}
               for k in [1, 2, 3, 7, 30, 200] for x in [0.01, 0.5, 2.0, 9.5, 40.0, 250.0]]
    quantiles = []
    for name, values in [("ties", [1, 1, 2, 2, 2, 3, 7, 7, 9, 10, 10, 10]),
                         ("two_values", [0, 1]), ("one_value", [4.5]),
                         ("uneven", rng.exponential(3, 37).round(4).tolist())]:
        quantiles.append({"name": name, "values": [float(v) for v in values],
                          "q": [0.0, 0.1, 0.25, 0.5, 0.9, 1.0],
                          "expected": np.quantile(np.asarray(values, float), [0.0, 0.1, 0.25, 0.5, 0.9, 1.0]).tolist()})
    return {"versions": versions(), "numeric": numeric_cases, "categorical": categorical_cases,
            "z_test": z_cases, "chi2_sf": chi2_sf, "quantiles": quantiles}


# ---------------------------------------------------------------- model quality metrics
def metrics_vectors():
    rng = np.random.default_rng(11)
    out = {"versions": versions(), "classification": [], "roc_auc_binary": [],
           "roc_auc_ovr": [], "log_loss": [], "regression": []}
    for name, y_true, y_pred in [
        ("binary", rng.integers(0, 2, 40).tolist(), rng.integers(0, 2, 40).tolist()),
        ("multiclass", rng.integers(0, 3, 50).tolist(), rng.integers(0, 3, 50).tolist()),
        ("missing_predicted_class", [0, 1, 2, 2, 1, 0, 2], [0, 0, 0, 0, 0, 0, 0]),
        ("label_only_in_predictions", [0, 0, 1, 1], [0, 2, 1, 1]),
        ("single_class", [1, 1, 1, 1], [1, 1, 0, 1]),
    ]:
        entry = {"name": name, "y_true": y_true, "y_pred": y_pred,
                 "accuracy": metrics.accuracy_score(y_true, y_pred)}
        for avg in ["macro", "weighted"]:
            p, r, f, _ = metrics.precision_recall_fscore_support(y_true, y_pred, average=avg, zero_division=0)
            entry[avg] = {"precision": float(p), "recall": float(r), "f1": float(f)}
        if set(y_true) | set(y_pred) <= {0, 1}:
            p, r, f, _ = metrics.precision_recall_fscore_support(y_true, y_pred, average="binary", pos_label=1, zero_division=0)
            entry["binary"] = {"precision": float(p), "recall": float(r), "f1": float(f)}
        out["classification"].append(entry)
    for name, y, s in [
        ("random", rng.integers(0, 2, 60).tolist(), rng.uniform(0, 1, 60).round(3).tolist()),
        ("heavy_ties", [0, 0, 1, 1, 0, 1, 1, 0, 1, 0], [0.5, 0.5, 0.5, 0.7, 0.2, 0.7, 0.5, 0.2, 0.9, 0.7]),
        ("perfect", [0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]),
        ("inverted", [0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]),
        ("all_tied", [0, 1, 0, 1, 1], [0.3] * 5),
    ]:
        out["roc_auc_binary"].append({"name": name, "y_true": y, "score": s,
                                      "auc": float(metrics.roc_auc_score(y, s))})
    for name, k, n in [("three_classes", 3, 45), ("four_classes", 4, 60)]:
        y = rng.integers(0, k, n)
        y[:k] = np.arange(k)
        raw = rng.uniform(0, 1, (n, k)).round(2) + 0.01
        prob = raw / raw.sum(axis=1, keepdims=True)
        out["roc_auc_ovr"].append({"name": name, "y_true": y.tolist(), "proba": prob.tolist(),
                                   "auc": float(metrics.roc_auc_score(y, prob, multi_class="ovr", average="macro"))})
    for name, y, proba in [
        ("binary_clipping", [0, 1, 1, 0], [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.4, 0.6]]),
        ("multiclass", [0, 2, 1, 2], [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4], [0.5, 0.5, 0.0]]),
        ("confident_right", [1, 0], [[0.0, 1.0], [1.0, 0.0]]),
    ]:
        out["log_loss"].append({"name": name, "y_true": y, "proba": proba,
                                "log_loss": float(metrics.log_loss(y, proba, labels=list(range(len(proba[0])))))})
    for name, y, p in [
        ("typical", rng.normal(10, 3, 30).round(3).tolist(), rng.normal(10, 3, 30).round(3).tolist()),
        ("constant_true_perfect", [2.0, 2.0, 2.0], [2.0, 2.0, 2.0]),
        ("constant_true_imperfect", [2.0, 2.0, 2.0], [2.0, 2.5, 1.0]),
        ("worse_than_mean", [1.0, 2.0, 3.0], [3.0, 2.0, 1.0]),
    ]:
        out["regression"].append({"name": name, "y_true": y, "y_pred": p,
                                  "rmse": float(np.sqrt(metrics.mean_squared_error(y, p))),
                                  "mae": float(metrics.mean_absolute_error(y, p)),
                                  "r2": float(metrics.r2_score(y, p))})
    return out


def write(name, data):
    with open(HERE / name, "w") as f:
        json.dump(data, f, indent=1, sort_keys=True, allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    write("ks.json", ks_vectors())
    write("drift.json", drift_vectors())
    write("metrics.json", metrics_vectors())

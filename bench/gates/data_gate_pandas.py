#!/usr/bin/env python3
"""The data gate's checks the way a data scientist writes them: pandas.read_csv, then
scipy.stats per column (ks_2samp, wasserstein_distance, jensenshannon, chisquare) and PSI
with numpy. Prints the same JSON shape as modelgate_data_gate_bench.

    data_gate_pandas.py REFERENCE.csv TRAINING.csv [--exclude label] [--max-drift-share 0.5]
"""

import argparse
import json
import time

import numpy as np
import pandas as pd
import scipy.stats

import drift_reference as ref_rules


def sturges_counts(r, c):
    edges = np.histogram_bin_edges(np.concatenate([r, c]), bins="sturges")
    return np.histogram(r, edges)[0], np.histogram(c, edges)[0]


def numeric_column(r, c):
    d = scipy.stats.ks_2samp(r, c)
    edges = np.quantile(r, np.arange(1, 10) / 10)
    rb = np.bincount(np.searchsorted(edges, r, side="right"), minlength=10)
    cb = np.bincount(np.searchsorted(edges, c, side="right"), minlength=10)
    out = {
        "kind": "numeric", "min": float(c.min()), "max": float(c.max()),
        "ks_d": float(d.statistic), "ks_p": float(d.pvalue),
        "psi": ref_rules.psi_from_counts(rb, cb),
        "wasserstein": float(scipy.stats.wasserstein_distance(r, c) / max(np.std(r), 0.001)),
    }
    n_unique = len(np.union1d(np.unique(r), np.unique(c)))
    method = ref_rules.default_method(True, len(r), n_unique)
    if method == "wasserstein":
        score = out["wasserstein"]
    elif method == "jensenshannon":
        if len(np.unique(r)) > 20:
            score = float(scipy.spatial.distance.jensenshannon(*sturges_counts(r, c)))
        else:
            rv, rn = np.unique(r, return_counts=True)
            cv, cn = np.unique(c, return_counts=True)
            score = ref_rules.categorical_statistics(dict(zip(rv, rn)),
                                                     dict(zip(cv, cn)))["jensenshannon"]
    else:
        raise SystemExit(f"method {method} is not used by the benchmark's data")
    out.update(method=method, score=score, drifted=ref_rules.drifted(method, score))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference")
    parser.add_argument("training")
    parser.add_argument("--exclude", action="append", default=[])
    parser.add_argument("--max-drift-share", type=float, default=0.5)
    args = parser.parse_args()

    start = time.monotonic()
    reference = pd.read_csv(args.reference)
    training = pd.read_csv(args.training)
    loaded = time.monotonic()

    columns, findings = {}, []
    for name in reference.columns:
        if name in args.exclude:
            continue
        r_col, c_col = reference[name], training[name]
        null_rate = float(c_col.isna().mean())
        r, c = r_col.dropna(), c_col.dropna()
        if pd.api.types.is_numeric_dtype(r) and pd.api.types.is_numeric_dtype(c):
            column = numeric_column(r.to_numpy(float), c.to_numpy(float))
        else:
            r_counts = r.astype(str).value_counts().to_dict()
            c_counts = c.astype(str).value_counts().to_dict()
            findings += ref_rules.category_findings(name, r_counts, c_counts)
            column = {"kind": "categorical", **ref_rules.categorical_statistics(r_counts, c_counts)}
            column.update(method="jensenshannon", score=column["jensenshannon"])
            column["drifted"] = ref_rules.drifted("jensenshannon", column["score"])
        column["null_rate"] = null_rate
        column["reference_null_rate"] = float(r_col.isna().mean())
        columns[name] = column
    verdict, share, failures = ref_rules.verdict(columns, findings, args.max_drift_share)
    done = time.monotonic()
    print(json.dumps({
        "verdict": verdict, "drift_share": share, "findings": failures,
        "reference_rows": len(reference), "training_rows": len(training),
        "load_seconds": loaded - start, "statistics_seconds": done - loaded,
        "columns": columns}, indent=1))


if __name__ == "__main__":
    main()

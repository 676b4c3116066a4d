#!/usr/bin/env python3
"""Holds the data gate's results against pandas + scipy (the reference) and prints one line
per contender: verdict and findings, per-feature drift decisions, KS D, and the largest
relative difference of every other statistic.

    compare.py REFERENCE.json NAME=RESULT.json [NAME=RESULT.json ...] [--bound-from NAME]

A result with "sketch_rank_error_bound" and sketched columns is held to the sketch's
documented error instead of equality: |D - D_ref| <= eps_ref + eps_cur (gates/quantile_sketch.h).
Exit 1 when a contender whose statistics should be exact disagrees beyond 1e-6 relative
(KS D must be equal), or any verdict differs.
"""

import json
import sys

TOLERANCE = 1e-6
STATISTICS = ["ks_p", "psi", "wasserstein", "jensenshannon", "chisquare_p", "null_rate"]


def relative(a, b):
    if a == b:
        return 0.0
    return abs(a - b) / max(abs(a), abs(b))


def compare(reference, result):
    rc, cc = reference["columns"], result["columns"]
    same_verdict = (result["verdict"] == reference["verdict"]
                    and sorted((f["check"], f["column"]) for f in result["findings"])
                    == sorted((f["check"], f["column"]) for f in reference["findings"]))
    flags = sum(cc[n]["drifted"] == rc[n]["drifted"] for n in rc)
    sketched = any(c.get("sketched") for c in cc.values())
    d_diffs = [abs(cc[n]["ks_d"] - rc[n]["ks_d"]) for n in rc if "ks_d" in rc[n]]
    worst = {}
    for s in STATISTICS:
        diffs = [relative(cc[n][s], rc[n][s]) for n in rc
                 if rc[n].get(s) is not None and cc[n].get(s) is not None]
        worst[s] = max(diffs) if diffs else 0.0
    ks_p_flags = sum((cc[n]["ks_p"] < 0.05) == (rc[n]["ks_p"] < 0.05) for n in rc if "ks_p" in rc[n])
    return {"same_verdict": same_verdict, "flags": flags, "columns": len(rc), "sketched": sketched,
            "max_d_diff": max(d_diffs), "d_equal": sum(d == 0 for d in d_diffs),
            "numeric": len(d_diffs), "worst": worst, "ks_p_flags": ks_p_flags}


def main():
    reference = json.load(open(sys.argv[1]))
    ok = True
    print(f"{'vs pandas+scipy':<16} {'verdict':<8} {'drift':>6} {'KS D':<34} {'KS p<.05':>8}  "
          "max relative difference")
    for arg in sys.argv[2:]:
        name, path = arg.split("=", 1)
        result = json.load(open(path))
        c = compare(reference, result)
        if c["sketched"]:
            bound = 2 * result["sketch_rank_error_bound"]
            d = f"max |dD| {c['max_d_diff']:.2e} (bound {bound:.2e})"
            ok &= c["max_d_diff"] <= bound
        else:
            d = f"equal in {c['d_equal']}/{c['numeric']}"
            ok &= c["d_equal"] == c["numeric"]
            ok &= all(v <= TOLERANCE for v in c["worst"].values())
        ok &= c["same_verdict"] and c["flags"] == c["columns"]
        worst = " ".join(f"{k} {v:.0e}" for k, v in c["worst"].items())
        print(f"{name:<16} {'same' if c['same_verdict'] else 'DIFFERS':<8} "
              f"{c['flags']:>3}/{c['columns']:<2} {d:<34} {c['ks_p_flags']:>5}/{c['numeric']:<2}  "
              f"{worst}")
    print(f"reference: {reference['verdict']}, drift share {reference['drift_share']:.2f}, "
          "findings: " + "; ".join(f"{f['check']} {f['column']}".strip()
                                   for f in reference["findings"]))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

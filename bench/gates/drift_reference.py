"""The data gate's rules written once in Python, for the pandas + scipy and DuckDB sides of
the data gate benchmark. Every function takes what a dataframe or a SQL query gives (value
arrays or value counts) and decides as gates/data_gate.cc does, with the statistics of
scipy and Evidently (tests/gates/vectors/make_vectors.py checks the C++ against the same
definitions on small vectors).
"""

import numpy as np
import scipy.stats
from scipy.spatial.distance import jensenshannon

P_VALUE_METHODS = {"ks", "chisquare", "z"}
DEFAULT_THRESHOLD = {"ks": 0.05, "chisquare": 0.05, "z": 0.05, "wasserstein": 0.1,
                     "jensenshannon": 0.1, "psi": 0.1}


def default_method(numeric, reference_rows, n_unique):
    """Evidently's _get_default_stattest (gates/drift_method.h)."""
    if reference_rows <= 1000:
        if numeric:
            return "ks" if n_unique > 5 else ("chisquare" if n_unique > 2 else "z")
        return "chisquare" if n_unique > 2 else "z"
    if numeric:
        return "wasserstein" if n_unique > 5 else "jensenshannon"
    return "jensenshannon"


def drifted(method, score):
    threshold = DEFAULT_THRESHOLD[method]
    return score < threshold if method in P_VALUE_METHODS else score >= threshold


def evidently_floor(p):
    p = p.copy()
    smallest = p[p != 0].min()
    p[p == 0] = smallest / 10**6 if smallest <= 0.0001 else 0.0001
    return p


def psi_from_counts(r, c):
    r = evidently_floor(np.asarray(r, float) / np.sum(r))
    c = evidently_floor(np.asarray(c, float) / np.sum(c))
    return float(np.sum((r - c) * np.log(r / c)))


def chisquare_p(r, c):
    """Evidently's chisquare: reference counts scaled to the current total as f_exp."""
    r = np.asarray(r, float)
    c = np.asarray(c, float)
    if len(r) < 2:
        return 1.0
    if np.any((r == 0) & (c > 0)):
        return 0.0  # a category never seen in the reference: an infinite statistic
    keep = r > 0
    expected = r[keep] / r.sum() * c.sum()
    return float(scipy.stats.chisquare(c[keep], expected).pvalue)


def aligned_counts(reference_counts, current_counts):
    """Two {value: count} maps aligned on the sorted union of their values."""
    values = sorted(set(reference_counts) | set(current_counts))
    return (np.array([reference_counts.get(v, 0) for v in values], float),
            np.array([current_counts.get(v, 0) for v in values], float))


def ks_p_value(d, n, m):
    """scipy.stats.ks_2samp's p-value for a D computed elsewhere (method='auto'); exact only
    for samples of at most 10,000, which a sketch-sized benchmark never has."""
    if max(n, m) <= 10000:
        raise ValueError("exact KS p-values need the samples; use scipy.stats.ks_2samp")
    return float(scipy.stats.kstwo.sf(d, np.round(m * n / (m + n))))


def categorical_statistics(reference_counts, current_counts):
    r, c = aligned_counts(reference_counts, current_counts)
    return {"jensenshannon": float(jensenshannon(r, c)), "chisquare_p": chisquare_p(r, c),
            "psi": psi_from_counts(r, c)}


def verdict(columns, findings, max_drift_share=0.5):
    """The gate's verdict from per-column results and failing findings."""
    checked = [c for c in columns.values() if "drifted" in c]
    share = sum(c["drifted"] for c in checked) / len(checked) if checked else 0.0
    failures = list(findings)
    if share > max_drift_share:
        failures.append({"check": "drift", "column": ""})
    return ("Failed" if failures else "Passed"), share, failures


def category_findings(column, reference_counts, current_counts):
    unseen = sorted(set(current_counts) - set(reference_counts))
    if not unseen:
        return []
    return [{"check": "categories", "column": column,
             "message": f'"{column}" has {len(unseen)} unseen categor'
                        f'{"y" if len(unseen) == 1 else "ies"}: '
                        + ", ".join(f'"{u}"' for u in unseen[:5])}]

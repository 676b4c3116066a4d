#!/usr/bin/env python3
"""Writes the reference values the report's drift histograms are tested against.

Run from anywhere with numpy installed:
    python3 tests/gates/vectors/make_report_vectors.py
It rewrites drift_histogram.json next to itself. Samples are written out in full or as the
"golden" generator of make_vectors.py (x_i = shift + scale * fmod((i + 1) * alpha, 1.0),
optionally rounded to `decimals` places). The histogram of a feature shares numpy.histogram
bins between reference and training: the Sturges rule on the larger side, at most 40 bins,
over the range of both sides.
"""
import json
import math
import pathlib

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent


def golden(n, alpha=0.6180339887498949, scale=1.0, shift=0.0, decimals=None):
    x = np.array([shift + scale * math.fmod((i + 1) * alpha, 1.0) for i in range(n)])
    if decimals is not None:
        x = np.round(x, decimals)
    return x


def case(name, reference_spec, training_spec):
    def sample(spec):
        return np.array(spec, dtype=float) if isinstance(spec, list) else golden(**spec)

    reference, training = sample(reference_spec), sample(training_spec)
    bins = min(int(math.ceil(math.log2(max(len(reference), len(training))))) + 1, 40)
    low = min(reference.min(), training.min())
    high = max(reference.max(), training.max())
    reference_counts, edges = np.histogram(reference, bins=bins, range=(low, high))
    training_counts, _ = np.histogram(training, bins=bins, range=(low, high))
    return {
        "name": name,
        "reference": reference_spec,
        "training": training_spec,
        "edges": edges.tolist(),
        "referenceCounts": reference_counts.tolist(),
        "trainingCounts": training_counts.tolist(),
    }


def main():
    cases = [
        case("small integers", [1, 2, 2, 3, 3, 3, 4, 4, 4, 4], [2, 3, 4, 5, 5, 6]),
        case("shifted and wider", {"n": 1000}, {"n": 600, "scale": 2.0, "shift": 0.3}),
        case("rounded, values on edges", {"n": 50, "decimals": 1},
             {"n": 70, "decimals": 1, "shift": 0.2}),
        case("many rows", {"n": 5000, "scale": 10.0}, {"n": 4000, "scale": 9.0}),
    ]
    out = {"numpy": np.__version__, "histograms": cases}
    (HERE / "drift_histogram.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()

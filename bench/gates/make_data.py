#!/usr/bin/env python3
"""Writes the data gate benchmark's datasets: a production reference and a training set.

    make_data.py OUT_DIR [--training-mb 1024] [--reference-mb 256] [--seed 20240601]

Both CSVs have 20 numeric columns (n00..n19), 5 categorical ones (c0..c4) and a binary
`label`, values rounded to 4 decimals as exported tables usually are (so there are ties).
The training set drifts from the reference in a known way:

    n10  normal, mean +0.25 sd   (every method sees it)
    n05  normal, sd x1.5         (every method sees it)
    n15  normal, mean +0.05 sd   (KS sees it at this size; normed Wasserstein and PSI do not)
    n19  lognormal, sigma 0.5 -> 0.6
    n09  null rate 1% -> 6%
    c2   shares (.5 .3 .2) -> (.3 .3 .4)
    c4   one new level, "kappa", in 0.1% of the rows

Rows are written in chunks through DuckDB's CSV writer. Deterministic for a seed. Existing
files of the right size and seed are kept (a stamp file records what made them).
"""

import argparse
import json
import os
import pathlib
import shutil
import sys

import duckdb
import numpy as np
import pandas as pd

CHUNK_ROWS = 250_000
LEVELS = {
    "c0": ["alpha", "beta", "gamma", "delta"],
    "c1": ["red", "green", "blue", "cyan", "magenta", "yellow", "black", "white"],
    "c2": ["north", "south", "east"],
    "c3": [f"store{i:03d}" for i in range(200)],
    "c4": ["iota", "theta", "kappa", "lambda"],
}


def numeric_columns(rng, n, drifted):
    """The 20 numeric columns of one chunk, as name -> array (NaN for null)."""
    cols = {}
    for i in range(20):
        name = f"n{i:02d}"
        kind = i % 5
        if kind == 0:
            x = rng.normal(50 + i, 10, n)
        elif kind == 1:
            x = rng.exponential(3.0, n)
        elif kind == 2:
            x = rng.uniform(-1, 1, n) * (i + 1)
        elif kind == 3:
            x = rng.poisson(4, n).astype(float)  # whole numbers: heavy ties
        else:
            x = rng.lognormal(0.0, 0.5, n)
        if drifted:
            if name == "n10":
                x = x + 0.25 * 10
            elif name == "n05":
                x = 55 + (x - 55) * 1.5
            elif name == "n15":
                x = x + 0.05 * 10
            elif name == "n19":
                x = rng.lognormal(0.0, 0.6, n)
        x = np.round(x, 4)
        null_rate = {"n08": 0.02, "n09": 0.06 if drifted else 0.01}.get(name, 0.0)
        if null_rate:
            x[rng.random(n) < null_rate] = np.nan
        cols[name] = x
    return cols


def categorical_columns(rng, n, drifted):
    cols = {}
    probabilities = {
        "c0": [0.4, 0.3, 0.2, 0.1],
        "c1": [1 / 8] * 8,
        "c2": [0.3, 0.3, 0.4] if drifted else [0.5, 0.3, 0.2],
        "c3": None,  # Zipf-like
        "c4": [0.6, 0.299, 0.001, 0.1] if drifted else [0.6, 0.3, 0.0, 0.1],
    }
    for name, levels in LEVELS.items():
        p = probabilities[name]
        if p is None:
            w = 1 / np.arange(1, len(levels) + 1)
            p = w / w.sum()
        codes = rng.choice(len(levels), size=n, p=p)
        cols[name] = pd.Categorical.from_codes(codes, categories=levels)
    return cols


def chunk(rng, n, drifted):
    cols = numeric_columns(rng, n, drifted)
    cols.update(categorical_columns(rng, n, drifted))
    score = (cols["n00"] - 50) / 10 + (cols["n05"] - 3) / 3
    cols["label"] = (np.nan_to_num(score) + rng.normal(0, 1, n) > 0).astype(np.int64)
    frame = pd.DataFrame(cols)
    # Whole-number columns print as "4", not "4.0"; nulls as empty fields.
    for name in frame.columns:
        if name.startswith("n") and int(name[1:]) % 5 == 3:
            frame[name] = frame[name].astype("Int64")
    return frame


def write(path, target_bytes, seed, drifted):
    rng = np.random.default_rng(seed)
    parts = path.parent / (path.name + ".parts")
    shutil.rmtree(parts, ignore_errors=True)
    parts.mkdir()
    written = 0
    rows = 0
    index = 0
    while written < target_bytes:
        frame = chunk(rng, CHUNK_ROWS, drifted)
        part = parts / f"{index:05d}.csv"
        duckdb.sql(f"COPY (SELECT * FROM frame) TO '{part}' (HEADER {str(index == 0).lower()})")
        written += part.stat().st_size
        rows += len(frame)
        index += 1
    with open(path, "wb") as out:
        for part in sorted(parts.iterdir()):
            with open(part, "rb") as f:
                shutil.copyfileobj(f, out, 16 << 20)
    shutil.rmtree(parts)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=pathlib.Path)
    parser.add_argument("--training-mb", type=int, default=1024)
    parser.add_argument("--reference-mb", type=int, default=256)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    wanted = {"training_mb": args.training_mb, "reference_mb": args.reference_mb,
              "seed": args.seed, "generator": pathlib.Path(__file__).read_text()}
    stamp = args.out_dir / "stamp.json"
    if stamp.exists() and json.loads(stamp.read_text()).get("made") == wanted:
        print(f"make_data: {args.out_dir} is up to date", file=sys.stderr)
        return
    stamp.unlink(missing_ok=True)
    made = {}
    for name, mb, seed, drifted in [("reference.csv", args.reference_mb, args.seed, False),
                                    ("training.csv", args.training_mb, args.seed + 1, True)]:
        rows = write(args.out_dir / name, mb << 20, seed, drifted)
        made[name] = {"rows": rows, "bytes": os.path.getsize(args.out_dir / name)}
        print(f"make_data: {name}: {rows} rows, {made[name]['bytes'] >> 20} MiB", file=sys.stderr)
    stamp.write_text(json.dumps({"made": wanted, "files": made}))


if __name__ == "__main__":
    main()

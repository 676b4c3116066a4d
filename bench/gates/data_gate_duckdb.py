#!/usr/bin/env python3
"""The data gate's aggregates computed by DuckDB: both CSVs loaded with read_csv, then per
numeric column null counts, range, population sd, reference deciles (quantile_cont, numpy's
linear rule), PSI bin counts, and KS D and the Wasserstein distance from the two exact CDFs
over the union of values (window sums); per categorical column the value counts. Only the
final arithmetic on those few numbers (p-values, PSI, JS) happens in Python. Prints the same
JSON shape as modelgate_data_gate_bench.

    data_gate_duckdb.py REFERENCE.csv TRAINING.csv [--exclude label] [--threads N]
"""

import argparse
import json
import time

import duckdb

import drift_reference as ref_rules

NUMERIC_TYPES = {"DOUBLE", "BIGINT", "INTEGER", "FLOAT", "DECIMAL", "SMALLINT", "TINYINT",
                 "HUGEINT", "UBIGINT"}


def scalar_row(con, sql):
    return con.execute(sql).fetchone()


def numeric_column(con, name, rows):
    q = f'"{name}"'
    r_n, r_min, r_max, r_sd = scalar_row(
        con, f"SELECT count({q}), min({q}), max({q}), stddev_pop({q}) FROM ref")
    c_n, c_min, c_max = scalar_row(con, f"SELECT count({q}), min({q}), max({q}) FROM cur")
    edges = scalar_row(con, f"SELECT quantile_cont({q}, [0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9]) "
                            f"FROM ref")[0]
    bin_expr = " + ".join(f"({q} >= {e!r})::INT" for e in edges)
    bins = []
    for table in ("ref", "cur"):
        counts = dict(con.execute(f"SELECT {bin_expr} AS b, count(*) FROM {table} "
                                  f"WHERE {q} IS NOT NULL GROUP BY b").fetchall())
        bins.append([counts.get(i, 0) for i in range(10)])
    d, w, n_unique = scalar_row(con, f"""
        WITH r AS (SELECT {q} AS v, count(*) AS n FROM ref WHERE {q} IS NOT NULL GROUP BY v),
             c AS (SELECT {q} AS v, count(*) AS n FROM cur WHERE {q} IS NOT NULL GROUP BY v),
             j AS (SELECT coalesce(r.v, c.v) AS v, coalesce(r.n, 0) AS rn, coalesce(c.n, 0) AS cn
                   FROM r FULL OUTER JOIN c ON r.v = c.v),
             f AS (SELECT v, sum(rn) OVER (ORDER BY v) / {r_n} AS fr,
                          sum(cn) OVER (ORDER BY v) / {c_n} AS fc,
                          lead(v) OVER (ORDER BY v) AS next_v FROM j)
        SELECT max(abs(fr - fc)), sum(abs(fr - fc) * (next_v - v)), count(*) FROM f""")
    out = {"kind": "numeric", "min": float(c_min), "max": float(c_max), "ks_d": float(d),
           "ks_p": ref_rules.ks_p_value(float(d), r_n, c_n),
           "psi": ref_rules.psi_from_counts(bins[0], bins[1]),
           "wasserstein": float(w) / max(float(r_sd), 0.001)}
    method = ref_rules.default_method(True, r_n, n_unique)
    if method != "wasserstein":
        raise SystemExit(f"method {method} is not used by the benchmark's data")
    score = out["wasserstein"]
    out.update(method=method, score=score, drifted=ref_rules.drifted(method, score))
    out["null_rate"] = (rows[1] - c_n) / rows[1]
    out["reference_null_rate"] = (rows[0] - r_n) / rows[0]
    return out


def categorical_column(con, name, rows):
    q = f'"{name}"'
    counts = [dict(con.execute(f"SELECT {q}, count(*) FROM {table} WHERE {q} IS NOT NULL "
                               f"GROUP BY {q}").fetchall()) for table in ("ref", "cur")]
    out = {"kind": "categorical", **ref_rules.categorical_statistics(*counts)}
    out.update(method="jensenshannon", score=out["jensenshannon"])
    out["drifted"] = ref_rules.drifted("jensenshannon", out["score"])
    out["null_rate"] = (rows[1] - sum(counts[1].values())) / rows[1]
    out["reference_null_rate"] = (rows[0] - sum(counts[0].values())) / rows[0]
    return out, ref_rules.category_findings(name, *counts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference")
    parser.add_argument("training")
    parser.add_argument("--exclude", action="append", default=[])
    parser.add_argument("--max-drift-share", type=float, default=0.5)
    parser.add_argument("--threads", type=int, default=0, help="0: DuckDB's default (all cores)")
    args = parser.parse_args()

    start = time.monotonic()
    con = duckdb.connect()
    if args.threads:
        con.execute(f"SET threads = {args.threads}")
    for table, path in (("ref", args.reference), ("cur", args.training)):
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, header = true)", [path])
    loaded = time.monotonic()
    rows = [scalar_row(con, f"SELECT count(*) FROM {t}")[0] for t in ("ref", "cur")]
    types = dict(con.execute("SELECT column_name, data_type FROM duckdb_columns() "
                             "WHERE table_name = 'ref' ORDER BY column_index").fetchall())

    columns, findings = {}, []
    for name, data_type in types.items():
        if name in args.exclude:
            continue
        if data_type in NUMERIC_TYPES:
            columns[name] = numeric_column(con, name, rows)
        else:
            columns[name], found = categorical_column(con, name, rows)
            findings += found
    verdict, share, failures = ref_rules.verdict(columns, findings, args.max_drift_share)
    done = time.monotonic()
    print(json.dumps({
        "verdict": verdict, "drift_share": share, "findings": failures,
        "reference_rows": rows[0], "training_rows": rows[1],
        "threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
        "load_seconds": loaded - start, "statistics_seconds": done - loaded,
        "columns": columns}, indent=1))


if __name__ == "__main__":
    main()

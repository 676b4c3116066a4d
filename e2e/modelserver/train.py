"""Trains the example models that modelgate's gates are tested against, and their datasets.

Usage: train.py OUTPUT_DIR

Writes, from scikit-learn's bundled breast cancer dataset (no download):
  OUTPUT_DIR/models/good/       imputer + scaler + logistic regression: the candidate that passes
  OUTPUT_DIR/models/worse/      a one-split decision tree: clearly worse than the champion
  OUTPUT_DIR/models/slow/       the good model behind a runtime that sleeps before answering
  OUTPUT_DIR/models/nullfail/   scaler + logistic regression without an imputer: a null in any
                                feature makes scikit-learn raise, and MLServer answers 500
  OUTPUT_DIR/data/training.csv, holdout.csv, reference.csv, training-drifted.csv
  OUTPUT_DIR/models/diabetes/   imputer + scaler + ridge regression of diabetes progression,
                                with data/diabetes-{training,holdout,reference}.csv
  OUTPUT_DIR/data/holdout-expected.csv  what the good model predicts for each hold-out row
                                (class and probability of class 1), for checking a client
Each model folder holds model-settings.json and model.joblib, ready for `mlserver start`.
The run is deterministic (fixed seeds), so the files are the same on every machine.
"""

import json
import shutil
import sys
from pathlib import Path

import joblib
import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

SEED = 20240607
HERE = Path(__file__).resolve().parent


def write_model(folder: Path, name: str, model, implementation: str, extra=None):
    folder.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, folder / "model.joblib")
    settings = {
        "name": name,
        "implementation": implementation,
        "parameters": {"uri": "./model.joblib", "version": "v1"},
    }
    if extra:
        settings["parameters"]["extra"] = extra
    (folder / "model-settings.json").write_text(json.dumps(settings, indent=2) + "\n")


def write_csv(path: Path, columns, features, target=None, target_name="target", label=True):
    frame_columns = list(columns) + ([target_name] if target is not None else [])
    with path.open("w") as out:
        out.write(",".join(frame_columns) + "\n")
        for i, row in enumerate(features):
            cells = [repr(float(v)) for v in row]
            if target is not None:
                cells.append(str(int(target[i])) if label else repr(float(target[i])))
            out.write(",".join(cells) + "\n")


def write_diabetes(out: Path):
    """A regressor of disease progression (scikit-learn's diabetes data) and its datasets."""
    data = load_diabetes()
    x, y = data.data, data.target
    x_rest, x_ref, y_rest, y_ref = train_test_split(x, y, test_size=0.2, random_state=SEED)
    x_train, x_hold, y_train, y_hold = train_test_split(
        x_rest, y_rest, test_size=0.3, random_state=SEED)
    model = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), Ridge(alpha=1.0))
    model.fit(x_train, y_train)
    write_model(out / "models" / "diabetes", "diabetes", model, "mlserver_sklearn.SKLearnModel")
    columns = list(data.feature_names)
    for name, xs, ys in (("training", x_train, y_train), ("holdout", x_hold, y_hold),
                         ("reference", x_ref, y_ref)):
        write_csv(out / "data" / f"diabetes-{name}.csv", columns, xs, ys,
                  target_name="progression", label=False)


def main(argv):
    if len(argv) != 2:
        print("usage: train.py OUTPUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[1])
    data = load_breast_cancer()
    columns = [name.replace(" ", "_") for name in data.feature_names]
    x, y = data.data, data.target
    # Production's sample (reference) is kept apart from the training and hold-out split.
    x_rest, x_ref, y_rest, y_ref = train_test_split(
        x, y, test_size=0.2, random_state=SEED, stratify=y)
    x_train, x_hold, y_train, y_hold = train_test_split(
        x_rest, y_rest, test_size=0.3, random_state=SEED, stratify=y_rest)

    good = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(),
                         LogisticRegression(max_iter=5000, random_state=SEED))
    good.fit(x_train, y_train)
    worse = make_pipeline(SimpleImputer(strategy="median"),
                          DecisionTreeClassifier(max_depth=1, random_state=SEED))
    worse.fit(x_train, y_train)
    nullfail = make_pipeline(StandardScaler(),
                             LogisticRegression(max_iter=5000, random_state=SEED))
    nullfail.fit(x_train, y_train)

    models = out / "models"
    sklearn_runtime = "mlserver_sklearn.SKLearnModel"
    write_model(models / "good", "good", good, sklearn_runtime)
    write_model(models / "worse", "worse", worse, sklearn_runtime)
    write_model(models / "nullfail", "nullfail", nullfail, sklearn_runtime)
    write_model(models / "slow", "slow", good, "slow_runtime.SlowSKLearnModel",
                extra={"delay_seconds": 0.2})
    shutil.copy(HERE / "slow_runtime.py", models / "slow" / "slow_runtime.py")

    datasets = out / "data"
    datasets.mkdir(parents=True, exist_ok=True)
    write_csv(datasets / "training.csv", columns, x_train, y_train)
    write_csv(datasets / "holdout.csv", columns, x_hold, y_hold)
    write_csv(datasets / "reference.csv", columns, x_ref, y_ref)
    # Production moved: the first ten features shifted by one standard deviation and
    # stretched, far past any drift threshold.
    drifted = x_train.copy()
    spread = x_train.std(axis=0)
    drifted[:, :10] = drifted[:, :10] * 1.5 + spread[:10]
    write_csv(datasets / "training-drifted.csv", columns, drifted, y_train)

    predicted = good.predict(x_hold)
    probability = good.predict_proba(x_hold)[:, 1]
    with (datasets / "holdout-expected.csv").open("w") as expected:
        expected.write("predict,proba_1\n")
        for label, p in zip(predicted, probability):
            expected.write(f"{int(label)},{float(p)!r}\n")
    write_diabetes(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

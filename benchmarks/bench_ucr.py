"""UCR/UEA classification: LSTMClassifier test accuracy beside published 1-NN DTW and ROCKET.

For each bundled set (GunPoint, ItalyPowerDemand, BasicMotions), a small grid of settings is
compared by stratified k-fold cross-validation on the TRAIN split only; the best setting is
refitted on the whole train split and scored once on the test split. The test split is never
used to choose anything.

Pipeline: optional per-series standardisation (each case and channel to mean 0, std 1) -> optional
"patching" (``patch`` consecutive timesteps become one timestep with ``patch * channels``
features, so the LSTM reads a shorter sequence) -> LSTMClassifier.

A 1-NN Euclidean baseline (on standardised series) is computed as a sanity check. Published
numbers come from /work/shared/data/ucr/README.md (UCR 2018 summary; ROCKET and InceptionTime
authors' result files).

Run from the project root:

    .venv/bin/python benchmarks/bench_ucr.py
    .venv/bin/python benchmarks/bench_ucr.py --sets GunPoint --epochs 50 --folds 3   # quicker
    .venv/bin/python benchmarks/bench_ucr.py --ensemble 5   # soft vote of 5 network seeds
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from functools import partial

import numpy as np
from sklearn.metrics import accuracy_score
from sklearn.base import clone
from sklearn.ensemble import VotingClassifier
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from tsforecast.datasets import load_ucr

# Published test accuracies (see /work/shared/data/ucr/README.md).
PUBLISHED = {
    "GunPoint": {"1-NN DTW": 0.907, "ROCKET": 1.000},
    "ItalyPowerDemand": {"1-NN DTW": 0.950, "ROCKET": 0.970},
    "BasicMotions": {"1-NN DTW": 0.975, "ROCKET": 1.000},
}

# Candidate patch sizes per set (divisors of the series length), searched by CV on train.
PATCHES = {"GunPoint": [5, 10], "ItalyPowerDemand": [1, 3], "BasicMotions": [5, 10]}
# Per-series standardisation on/off, searched by CV on train. The univariate UCR sets are
# distributed z-normalised per series (so it is a no-op there); for BasicMotions (raw
# accelerometer/gyroscope) it removes the amplitude, which may or may not help.
STANDARDIZE = {"GunPoint": [True], "ItalyPowerDemand": [True], "BasicMotions": [True, False]}


def standardize(X):
    """Per-series, per-channel z-normalisation of a (n, T, C) array (constant series -> 0)."""
    X = np.asarray(X, dtype=float)
    mu = X.mean(axis=1, keepdims=True)
    sd = X.std(axis=1, keepdims=True)
    return (X - mu) / np.where(sd > 0, sd, 1.0)


def identity(X):
    return np.asarray(X, dtype=float)


def to_patches(X, patch=1):
    """(n, T, C) -> (n, T // patch, patch * C): ``patch`` consecutive steps become one step."""
    X = np.asarray(X, dtype=float)
    if patch == 1:
        return X
    n, t, c = X.shape
    if t % patch:
        raise ValueError(f"patch={patch} does not divide the series length {t}.")
    return X.reshape(n, t // patch, patch * c)


def one_nn_euclidean(X_train, y_train, X_test):
    a = standardize(X_train).reshape(len(X_train), -1)
    b = standardize(X_test).reshape(len(X_test), -1)
    d = (b**2).sum(1)[:, None] - 2 * b @ a.T + (a**2).sum(1)[None, :]
    return y_train[np.argmin(d, axis=1)]


def describe(params):
    return (f"standardize={params['standardize__func'] is standardize}, "
            f"patch={params['patch__func'].keywords['patch']}, bidirectional={params['lstm__bidirectional']}")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sets", nargs="+", default=list(PUBLISHED), choices=list(PUBLISHED))
    p.add_argument("--epochs", type=int, default=300, help="maximum epochs (default 300)")
    p.add_argument("--folds", type=int, default=4, help="CV folds on the train split (default 4)")
    p.add_argument("--units", type=int, default=64, help="LSTM units (one layer; default 64)")
    p.add_argument("--patience", type=int, default=50,
                   help="stop when the training loss has not improved for this many epochs (default 50)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--ensemble", type=int, default=1,
                   help="refit the chosen setting with this many network seeds and average their predict_proba "
                        "(scikit-learn's VotingClassifier(voting='soft')); default 1 (no ensemble)")
    p.add_argument("--no-grid", action="store_true",
                   help="skip the CV search: first patch size, bidirectional=True")
    return p.parse_args(argv)


def make_model(args, patch):
    from tsforecast import LSTMClassifier

    return Pipeline([
        ("standardize", FunctionTransformer(standardize)),
        ("patch", FunctionTransformer(partial(to_patches, patch=patch))),
        ("lstm", LSTMClassifier(
            units=(args.units,),
            dropout=0.2,
            bidirectional=True,
            epochs=args.epochs,
            batch_size=16,
            learning_rate=3e-3,
            validation_fraction=0.0,
            early_stopping=True,  # on the training loss (no validation split): stops at a plateau
            patience=args.patience,
            random_state=args.seed,
            verbose=0,
        )),
    ])


def main(argv=None):
    args = parse_args(argv)
    rows = []
    for name in args.sets:
        X_tr, y_tr = load_ucr(name, "train")
        X_te, y_te = load_ucr(name, "test")
        t0 = time.perf_counter()
        patches = PATCHES[name]
        model = make_model(args, patches[0])
        chosen = f"standardize=True, patch={patches[0]}, bidirectional=True"
        cv_acc = float("nan")
        if not args.no_grid:
            grid = {
                "standardize__func": [standardize if on else identity for on in STANDARDIZE[name]],
                "patch__func": [partial(to_patches, patch=p) for p in patches],
                "lstm__bidirectional": [False, True],
            }
            search = GridSearchCV(
                model, grid, cv=StratifiedKFold(args.folds, shuffle=True, random_state=args.seed),
                scoring="accuracy", n_jobs=1, refit=True,
            )
            search.fit(X_tr, y_tr)
            model = search.best_estimator_
            bp = search.best_params_
            chosen = describe(bp)
            cv_acc = search.best_score_
            for params, mean in zip(search.cv_results_["params"], search.cv_results_["mean_test_score"]):
                print(f"  {name} CV: {describe(params)}: {mean:.3f}", flush=True)
        else:
            model.fit(X_tr, y_tr)
        if args.ensemble > 1:  # soft voting over seeds of the chosen setting (the CV choice is unchanged)
            members = [
                (f"seed{k}", clone(model).set_params(lstm__random_state=1000 * args.seed + k))
                for k in range(args.ensemble)
            ]
            model = VotingClassifier(members, voting="soft").fit(X_tr, y_tr)
            chosen += f", soft vote of {args.ensemble} seeds"
        fit_s = time.perf_counter() - t0
        acc = accuracy_score(y_te, model.predict(X_te))
        nn_acc = accuracy_score(y_te, one_nn_euclidean(X_tr, y_tr, X_te))
        rows.append((name, acc, cv_acc, chosen, nn_acc, fit_s))
        print(f"  done: {name}: LSTM test accuracy {acc:.4f} ({chosen}; CV {cv_acc:.3f}), "
              f"{fit_s:.0f}s", flush=True)

    print()
    print("| set | LSTMClassifier | setting (CV on train) | train-CV acc | 1-NN ED (ours) | 1-NN DTW | ROCKET "
          "| search+fit s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, acc, cv_acc, chosen, nn_acc, fit_s in rows:
        pub = PUBLISHED[name]
        print(f"| {name} | {acc:.3f} | {chosen} | {cv_acc:.3f} | {nn_acc:.3f} | {pub['1-NN DTW']:.3f} | "
              f"{pub['ROCKET']:.3f} | {fit_s:.0f} |")
    print(f"\ncommand: {' '.join([os.path.basename(sys.executable), *sys.argv])}")
    return rows


if __name__ == "__main__":
    main()

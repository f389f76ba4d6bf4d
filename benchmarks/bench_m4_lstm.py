"""One global LSTMForecaster on M4 Hourly or Weekly: sMAPE, MASE and OWA against Naive2.

Scores follow the competition (sMAPE and MASE per series, averaged; OWA
relative to Naive2 computed here with ``Naive2Forecaster``; MASE and Naive2
use m=24 for Hourly and m=1 for Weekly, the competition's rule).

``--holdout validation`` (the default) holds out each series' last h
TRAINING values and trains on the rest: this is where settings and defaults
are chosen. ``--holdout test`` trains on the whole training series and scores
the M4 test values: run it once per setting that was chosen on validation.

``--params`` takes LSTMForecaster keyword arguments as JSON; nothing set means
the forecaster's defaults (``horizon`` is always the competition's h; the
series carry no dates, so ``seasonal_periods`` is passed: 24 Hourly, 52 Weekly,
unless ``--params`` sets it). Each run appends one JSON line to ``--log``.

    .venv/bin/python benchmarks/bench_m4_lstm.py --freq Hourly
    .venv/bin/python benchmarks/bench_m4_lstm.py --freq Weekly --params '{"window": 104, "patch": 52}'
    .venv/bin/python benchmarks/bench_m4_lstm.py --freq Hourly --holdout test --label chosen
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np
import pandas as pd

from tsforecast import LSTMForecaster, Naive2Forecaster
from tsforecast.datasets import load_m4
from tsforecast.metrics import mase, owa, smape

from _m4_hourly import DEFAULT_DATA  # noqa: E402  (benchmarks/ is on sys.path when a script runs)

#: competition horizon, season length of the data (models) and of Naive2/MASE
SETTINGS = {"Hourly": (48, 24, 24), "Weekly": (13, 52, 1)}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--freq", choices=sorted(SETTINGS), default="Hourly")
    p.add_argument("--holdout", choices=["validation", "test"], default="validation")
    p.add_argument("--params", default="{}", help="LSTMForecaster keyword arguments as JSON")
    p.add_argument("--n-series", type=int, default=None, help="first N series only")
    p.add_argument("--aggregate", type=int, default=1,
                   help="sum K consecutive values (aligned at each series' end) before anything else: "
                        "Weekly with K=4 is a panel of 4-week series (season 13, horizon 18), shaped like a "
                        "monthly competition panel; validation only")
    p.add_argument("--data", default=DEFAULT_DATA)
    p.add_argument("--label", default="")
    p.add_argument("--log", default=None, help="append a JSON line with the scores to this file")
    p.add_argument("--save", default=None, help="write the forecasts to SAVE_<label>.npz (names, forecasts)")
    return p.parse_args(argv)


def aggregate(s, k):
    """Sums of ``k`` consecutive values, aligned at the end of the series (a leading remainder is dropped)."""
    v = s.to_numpy()
    v = v[v.size % k:].reshape(-1, k).sum(axis=1)
    return pd.Series(v)


def split(freq, holdout, data, n_series, h, k=1):
    train, test = load_m4(freq, data, split="both")
    names = list(train)[:n_series]
    if k > 1:
        if holdout != "validation":
            sys.exit("--aggregate is for validation only (the M4 test values are not aggregated)")
        train = {n: aggregate(train[n], k) for n in names}
        names = [n for n in names if train[n].size > 2 * h]  # enough left to train on after the hold-out
    if holdout == "validation":
        return {k: train[k].iloc[:-h] for k in names}, {k: train[k].iloc[-h:].to_numpy() for k in names}
    return {k: train[k] for k in names}, {k: test[k].to_numpy() for k in names}


def per_series_scores(pred, train, truth, m):
    """sMAPE and MASE of each series (two arrays, in the order of ``truth``)."""
    s, q = [], []
    for k, y in truth.items():
        f = np.asarray(pred[k], dtype=float)[: len(y)]
        s.append(smape(y, f))
        q.append(mase(y, f, y_train=train[k].to_numpy(), m=m))
    return np.array(s), np.array(q)


def scores(pred, train, truth, m):
    s, q = per_series_scores(pred, train, truth, m)
    return float(np.mean(s)), float(np.mean(q))


def interval_coverage(model, truth, coverage=0.9):
    """Share of the true values inside the model's ``coverage`` intervals (None without calibration)."""
    if getattr(model, "calibration_residuals_", None) is None:
        return None
    iv = model.predict_interval(coverage=coverage)
    inside = [np.mean((iv[(k, "lower")].dropna().to_numpy()[: len(y)] <= y)
                      & (y <= iv[(k, "upper")].dropna().to_numpy()[: len(y)]))
              for k, y in truth.items()]
    return round(float(np.mean(inside)), 3)


def score_fields(s, q, s2, q2, fit_s, fit_cpu):
    """The scores and fit times every M4 benchmark line carries (model sMAPE/MASE, Naive2's, OWA)."""
    return {"smape": round(s, 3), "mase": round(q, 3), "owa": round(owa(s, q, s2, q2), 4),
            "naive2": [round(s2, 3), round(q2, 3)], "fit_s": round(fit_s, 1), "fit_cpu_s": round(fit_cpu, 1)}


def emit(result, log):
    """Print ``result`` as one JSON line, and append it to the file ``log`` when given."""
    print(json.dumps(result))
    if log:
        with open(log, "a") as fh:
            fh.write(json.dumps(result) + "\n")
    return result


def forecasts(model, names):
    """Per-series forecast arrays from a panel forecast (wide or dict)."""
    pred = model.predict()
    if isinstance(pred, dict):
        return {k: np.asarray(pred[k]) for k in names}
    return {k: pred[k].dropna().to_numpy() for k in names}


def main(argv=None):
    args = parse_args(argv)
    if not os.path.isdir(args.data):
        sys.exit(f"M4 data folder {args.data} not found; pass --data.")
    h, m_model, m_score = SETTINGS[args.freq]
    if args.aggregate > 1:
        h, m_model, m_score = 18, -(-m_model // args.aggregate), -(-m_model // args.aggregate)
    train, truth = split(args.freq, args.holdout, args.data, args.n_series, h, args.aggregate)
    params = {"seasonal_periods": m_model, **json.loads(args.params), "horizon": h}
    model = LSTMForecaster(**params)
    t0, c0 = time.perf_counter(), time.process_time()
    model.fit(train)
    fit_s, fit_cpu = time.perf_counter() - t0, time.process_time() - c0
    pred = forecasts(model, list(train))
    if args.save:
        np.savez(f"{args.save}_{args.label}.npz", names=np.array(list(pred)),
                 forecasts=np.array([np.asarray(v, float)[:h] for v in pred.values()]))
    naive2 = Naive2Forecaster(seasonal_periods=m_score, horizon=h).fit(train)
    s, q = scores(pred, train, truth, m_score)
    s2, q2 = scores(forecasts(naive2, list(train)), train, truth, m_score)
    result = {
        "freq": args.freq + (f"/{args.aggregate}" if args.aggregate > 1 else ""), "holdout": args.holdout, "label": args.label, "params": params,
        "n_series": len(train), **score_fields(s, q, s2, q2, fit_s, fit_cpu),
        "epochs_run": len(model.history_["loss"]), "n_windows": model.n_windows_,
        "coverage90": interval_coverage(model, truth),
        "fitted": {k: getattr(model, k) for k in ("window_", "windows_", "patch_", "strategy_", "n_estimators_", "damping_")
                   if hasattr(model, k)},
    }
    return emit(result, args.log)


if __name__ == "__main__":
    main()

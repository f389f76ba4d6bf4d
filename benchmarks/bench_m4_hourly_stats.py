"""M4 Hourly with the statistical models: Naive2, Theta and MSTL, sMAPE / MASE / OWA.

The 414 hourly series (h=48) are forecast one by one with
``Naive2Forecaster(seasonal_periods=24)``, ``ThetaForecaster(seasonal_periods=24)``
and ``MSTLForecaster()``: each series gets an hourly ``DatetimeIndex`` (M4 gives
no dates; the start is arbitrary), so MSTL reads its seasons, a day and a week
``(24, 168)``, from the frequency. Scores follow the competition: sMAPE and
MASE (m=24) per series, averaged over the series; OWA relative to Naive2
(computed here on the same series). The table also gives the median CPU
seconds per series (fit + forecast). A model that fails on a series falls back
to Naive2's forecast for it, and the table counts those series.

``--validation`` never reads the test file: the last 48 points of each
TRAINING series are the test, the rest the training data. Use it to choose
settings (e.g. ``--models mstl-ets mstl-theta``: the trend forecaster), then run the test once.

Run from the project root (reads ../shared/data/m4 by default; exits without
error when the folder is absent):

    nice .venv/bin/python benchmarks/bench_m4_hourly_stats.py --validation \\
        --models theta mstl-ets mstl-theta mstl-24 mstl-24-theta
    nice .venv/bin/python benchmarks/bench_m4_hourly_stats.py
    nice .venv/bin/python benchmarks/bench_m4_hourly_stats.py --limit 20     # quick look
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from tsforecast.datasets import load_m4
from tsforecast.forecasting import HoltWintersForecaster, Naive2Forecaster, ThetaForecaster
from tsforecast.forecasting.mstl import MSTLForecaster
from tsforecast.metrics import mase, owa, smape

from _m4_hourly import DEFAULT_DATA, OFFICIAL  # noqa: E402  (benchmarks/ is on sys.path when a script runs)

H, M = 48, 24  # M4 Hourly horizon and the MASE season


#: name -> (label, factory); the factories build fresh, unfitted forecasters
MODELS = {
    "naive2": ("Naive2Forecaster(seasonal_periods=24)", lambda: Naive2Forecaster(seasonal_periods=M)),
    "theta": ("ThetaForecaster(seasonal_periods=24)", lambda: ThetaForecaster(seasonal_periods=M)),
    "mstl": ("MSTLForecaster()", lambda: MSTLForecaster()),
    "mstl-ets": ("MSTLForecaster(trend_forecaster=HoltWintersForecaster(seasonal_periods=1))",
                 lambda: MSTLForecaster(trend_forecaster=HoltWintersForecaster(seasonal_periods=1))),
    "mstl-theta": ("MSTLForecaster(trend_forecaster=ThetaForecaster(seasonal_periods=1))",
                   lambda: MSTLForecaster(trend_forecaster=ThetaForecaster(seasonal_periods=1))),
    "mstl-24": ("MSTLForecaster(seasonal_periods=24)", lambda: MSTLForecaster(seasonal_periods=M)),
    "mstl-24-theta": ("MSTLForecaster(seasonal_periods=24, trend_forecaster=ThetaForecaster(seasonal_periods=1))",
                      lambda: MSTLForecaster(seasonal_periods=M, trend_forecaster=ThetaForecaster(seasonal_periods=1))),
}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data-dir", default=DEFAULT_DATA, help="folder with Hourly-train.csv / Hourly-test.csv")
    p.add_argument("--validation", action="store_true",
                   help="test on the last 48 points of each training series (the test file is not read)")
    p.add_argument("--limit", type=int, default=None, help="use the first N series only (default: all 414)")
    p.add_argument("--models", nargs="+", default=["naive2", "theta", "mstl"], choices=sorted(MODELS),
                   help="models to run (naive2 is always run: OWA is relative to it)")
    p.add_argument("--n-jobs", type=int, default=1, help="joblib jobs over the series (default 1)")
    return p.parse_args(argv)


def load(data_dir, validation, limit):
    """``(train, test)`` dicts of hourly Series (test: the next 48 values)."""
    if validation:
        full = load_m4("Hourly", data_dir, split="train")
        train = {k: s.iloc[:-H] for k, s in full.items()}
        test = {k: s.iloc[-H:] for k, s in full.items()}
    else:
        train, test = load_m4("Hourly", data_dir, split="both")
    names = list(train)[:limit]
    index = lambda n: pd.date_range("2000-01-01", periods=n, freq="h")  # noqa: E731 (arbitrary start)
    train = {k: pd.Series(train[k].to_numpy(), index=index(len(train[k])), name=k) for k in names}
    return train, {k: test[k].to_numpy() for k in names}


def forecast_one(factory, y):
    """``(forecast or None, error message or None, CPU seconds)`` of one series."""
    t0 = time.process_time()
    try:
        pred = factory().fit(y).predict(H).to_numpy()
        err = None
    except (ValueError, np.linalg.LinAlgError) as exc:
        pred, err = None, f"{type(exc).__name__}: {exc}"
    return pred, err, time.process_time() - t0


def run_model(factory, train, n_jobs):
    out = Parallel(n_jobs=n_jobs)(delayed(forecast_one)(factory, y) for y in train.values())
    return dict(zip(train, out))


def scores(preds, train, test):
    s = [smape(test[k], preds[k]) for k in train]
    q = [mase(test[k], preds[k], y_train=train[k].to_numpy(), m=M) for k in train]
    return float(np.mean(s)), float(np.mean(q))


def main(argv=None):
    args = parse_args(argv)
    if not os.path.isdir(args.data_dir):
        print(f"M4 data folder {os.path.abspath(args.data_dir)} not found; skipping (pass --data-dir).")
        return 0
    train, test = load(args.data_dir, args.validation, args.limit)
    models = ["naive2"] + [m for m in args.models if m != "naive2"]
    rows, naive2 = [], None
    for name in models:
        label, factory = MODELS[name]
        t0 = time.perf_counter()
        result = run_model(factory, train, args.n_jobs)
        wall = time.perf_counter() - t0
        failed = {k: err for k, (pred, err, _) in result.items() if err is not None}
        if naive2 is None:
            if failed:
                raise RuntimeError(f"Naive2 failed on {len(failed)} series, e.g. {next(iter(failed.items()))}")
            naive2 = {k: pred for k, (pred, _, _) in result.items()}
        preds = {k: (naive2[k] if err is not None else pred) for k, (pred, err, _) in result.items()}
        s, q = scores(preds, train, test)
        cpu = float(np.median([c for _, _, c in result.values()]))
        rows.append((label, s, q, cpu, len(failed), wall))
        for k, err in list(failed.items())[:3]:
            print(f"  {label} failed on {k}: {err}", file=sys.stderr)
    s2, q2 = rows[0][1], rows[0][2]

    where = ("validation: last 48 points of each training series" if args.validation
             else "test: the competition's test file")
    print(f"\nM4 Hourly, {len(train)} series, h={H}, MASE m={M}; {where}\n")
    print("| method | sMAPE | MASE | OWA | median CPU s / series | failed series (Naive2 used) | wall s |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, s, q, cpu, n_failed, wall in rows:
        print(f"| {label} | {s:.3f} | {q:.3f} | {owa(s, q, s2, q2):.3f} | {cpu:.3f} | {n_failed} | {wall:.0f} |")
    if not args.validation and args.limit is None:
        print("\nOfficial M4 results (same metrics, all 414 series):\n")
        print("| method | sMAPE | MASE | OWA |")
        print("| --- | --- | --- | --- |")
        for label, (s, q, o) in OFFICIAL.items():
            print(f"| {label} (official) | {s:.3f} | {q:.3f} | {o:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

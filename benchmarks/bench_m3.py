"""Models on the series of the M3 competition: sMAPE, MASE and OWA against Naive2.

The M3 data are not shipped (nor in ``../shared``): pass ``--data`` the path of the public
``M3C.xls`` (reading it needs ``xlrd``) or of one sheet saved as CSV, and ``--sheet`` which one:
``Month`` (the default; 1,428 series, h=18), ``Quart`` (756, h=8), ``Year`` (645, h=6) or ``Other``
(174, h=8). Each row's ``N`` values include the competition's test values (``NF``).

``--holdout validation`` (the default) cuts the test values off, then holds out each series' last
h TRAINING values and trains on the rest: this is where settings and defaults are chosen.
``--holdout test`` trains on the whole training part and scores the M3 test values: report it once
per setting that was chosen on validation.

Every series gets a ``PeriodIndex`` of its sheet's frequency (from the sheet's start year and month
or quarter; rows with no start begin in 1990), so the models find the season themselves, as a user's
would; ``Other`` has no dates (a plain integer index, no season). Scores follow the M3/M4 convention
(MASE and Naive2 with m = 12, 4, 1, 1, OWA from the mean sMAPE and MASE).

``--models`` lists ``lstm`` (``LSTMForecaster(horizon=h, **--params)``), ``theta``, ``hw``,
``esrnn`` and ``comb`` (``EnsembleForecaster`` of that LSTM and Theta: the mean of their forecasts). By default a model is fitted once on the whole panel (one global network);
``--per-series`` fits a fresh copy on each series alone, as a user with one series would.

    .venv/bin/python benchmarks/bench_m3.py --data /tmp/m3/M3C.xls --models theta,hw,lstm
    .venv/bin/python benchmarks/bench_m3.py --data M3Month.csv --models lstm --params '{"random_state": 1}'
    .venv/bin/python benchmarks/bench_m3.py --data M3C.xls --sheet Year --per-series --n-series 100
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings

import numpy as np
import pandas as pd

from tsforecast import (EnsembleForecaster, ESRNNForecaster, HoltWintersForecaster, LSTMForecaster, Naive2Forecaster,
                        ThetaForecaster)
from tsforecast.metrics import owa

from bench_m4_lstm import forecasts, interval_coverage, per_series_scores  # noqa: E402  (benchmarks/ is on sys.path when a script runs)

SHEETS = {"Month": ("M", 18, 12), "Quart": ("Q", 8, 4), "Year": ("Y", 6, 1), "Other": (None, 8, 1)}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", required=True, help="M3C.xls or one sheet of it as CSV")
    p.add_argument("--sheet", choices=sorted(SHEETS), default="Month")
    p.add_argument("--holdout", choices=["validation", "test"], default="validation")
    p.add_argument("--models", default="lstm")
    p.add_argument("--params", default="{}", help="LSTMForecaster / ESRNNForecaster keyword arguments as JSON")
    p.add_argument("--per-series", action="store_true", help="fit each model on each series alone")
    p.add_argument("--n-series", type=int, default=None, help="every k-th series so that about N remain")
    p.add_argument("--label", default="")
    p.add_argument("--log", default=None, help="append a JSON line per model to this file")
    p.add_argument("--save", default=None, help="write each model's forecasts to SAVE_<label>_<model>.npz")
    return p.parse_args(argv)


def load(path, sheet="Month"):
    """One M3 sheet as a dict name -> (Series with its test values, category)."""
    if not os.path.exists(path):
        sys.exit(f"{path} not found: pass --data the M3C.xls file or one of its sheets as CSV.")
    freq = SHEETS[sheet][0]
    table = pd.read_excel(path, sheet_name="M3" + sheet) if path.lower().endswith(".xls") else pd.read_csv(path)
    out = {}
    for _, row in table.iterrows():
        n = int(row["N"])
        values = row.iloc[6:6 + n].to_numpy(float)
        if freq is None:
            index = pd.RangeIndex(n)
        else:
            year = int(row.iloc[4]) if pd.notna(row.iloc[4]) else 0
            sub = int(row.iloc[5]) if freq != "Y" and pd.notna(row.iloc[5]) else 1
            if year < 1800 or not 1 <= sub <= (12 if freq == "M" else 4):
                year, sub = 1990, 1
            start = pd.Period(year=year, month=sub, freq="M") if freq == "M" else (
                pd.Period(year=year, quarter=sub, freq="Q") if freq == "Q" else pd.Period(year=year, freq="Y"))
            index = pd.period_range(start, periods=n, freq=freq)
        out[str(row["Series"]).strip()] = (pd.Series(values, index=index), str(row["Category"]).strip())
    return out


def split(data, holdout, h, n_series=None):
    names = list(data)
    if n_series:
        names = names[:: max(1, len(names) // n_series)]
    train = {k: data[k][0].iloc[:-h] for k in names}
    if holdout == "validation":
        return {k: v.iloc[:-h] for k, v in train.items()}, {k: v.iloc[-h:].to_numpy() for k, v in train.items()}
    return train, {k: data[k][0].iloc[-h:].to_numpy() for k in names}


def make(name, params, h):
    if name == "lstm":
        return LSTMForecaster(**{**params, "horizon": h})
    if name == "esrnn":
        return ESRNNForecaster(**{**params, "horizon": h})
    if name == "theta":
        return ThetaForecaster(horizon=h)
    if name == "hw":
        return HoltWintersForecaster(horizon=h)
    if name == "comb":  # the mean of the LSTM (one global network over the panel) and Theta
        return EnsembleForecaster([("lstm", LSTMForecaster(**params)), ("theta", ThetaForecaster())], horizon=h)
    raise SystemExit(f"unknown model {name!r}")


FITTED = ("seasonal_periods_", "window_", "windows_", "patch_", "refit_", "n_estimators_", "damping_")


def fit_and_forecast(name, params, h, train, per_series):
    """Forecasts per series, the fitted models and the fit's wall and CPU seconds."""
    t0, c0 = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if per_series:
            models = {k: make(name, params, h).fit(y) for k, y in train.items()}
        else:
            models = {None: make(name, params, h).fit(train)}
    fit_s, fit_cpu = time.perf_counter() - t0, time.process_time() - c0
    if per_series:
        pred = {k: np.asarray(m.predict(), float) for k, m in models.items()}
    else:
        pred = forecasts(models[None], list(train))
    return pred, models, fit_s, fit_cpu


def describe(models):
    """What the models chose: one value, or a count of each value over the per-series models."""
    out = {}
    for key in FITTED:
        values = [getattr(m, key) for m in models.values() if hasattr(m, key)]
        if values:
            counts = {}
            for v in values:
                counts[str(v)] = counts.get(str(v), 0) + 1
            out[key] = values[0] if len(counts) == 1 and len(values) == 1 else counts
    return out


def coverage(models, truth, per_series):
    """Share of the true values inside the models' 90% intervals (None for a model without intervals)."""
    if not per_series:
        model = models[None]
        if getattr(model, "calibration_residuals_", None) is None and hasattr(model, "predict_interval"):
            try:  # a statistical model or a combination: its own intervals
                iv = model.predict_interval(coverage=0.9)
            except (ValueError, NotImplementedError):
                return None
            inside = [np.mean((iv[(k, "lower")].dropna().to_numpy()[: len(y)] <= y)
                              & (y <= iv[(k, "upper")].dropna().to_numpy()[: len(y)])) for k, y in truth.items()]
            return round(float(np.mean(inside)), 3)
        return interval_coverage(model, truth)
    hits = []
    for k, model in models.items():
        if getattr(model, "calibration_residuals_", None) is not None:
            iv = model.predict_interval(coverage=0.9)
            lo, hi = iv["lower"].to_numpy(float), iv["upper"].to_numpy(float)
            hits.append(np.mean((lo <= truth[k]) & (truth[k] <= hi)))
    return round(float(np.mean(hits)), 3) if hits else None


def main(argv=None):
    args = parse_args(argv)
    _, h, m = SHEETS[args.sheet]
    data = load(args.data, args.sheet)
    train, truth = split(data, args.holdout, h, args.n_series)
    cats = np.array([data[k][1] for k in truth])
    n2 = per_series_scores(forecasts(Naive2Forecaster(seasonal_periods=m, horizon=h).fit(train), list(train)), train, truth, m)
    params = json.loads(args.params)
    for name in args.models.split(","):
        pred, models, fit_s, fit_cpu = fit_and_forecast(name, params, h, train, args.per_series)
        if args.save:
            np.savez(f"{args.save}_{args.label}_{name}.npz", names=np.array(list(pred)), forecasts=np.array(list(pred.values())))
        s, q = per_series_scores(pred, train, truth, m)
        by_cat = {c: round(owa(s[cats == c].mean(), q[cats == c].mean(), n2[0][cats == c].mean(),
                               n2[1][cats == c].mean()), 3) for c in sorted(set(cats))}
        member_damping = [e.damping_ for mod in models.values() for e in getattr(mod, "estimators_", None) or []
                          if hasattr(e, "damping_")]
        result = {"model": name, "sheet": args.sheet, "holdout": args.holdout, "label": args.label,
                  "per_series": args.per_series, "params": params if name in ("lstm", "esrnn", "comb") else {},
                  "n_series": len(train), "smape": round(float(s.mean()), 3), "mase": round(float(q.mean()), 3),
                  "owa": round(owa(s.mean(), q.mean(), n2[0].mean(), n2[1].mean()), 4),
                  "naive2": [round(float(n2[0].mean()), 3), round(float(n2[1].mean()), 3)], "owa_by_category": by_cat,
                  "coverage90": coverage(models, truth, args.per_series), "fit_s": round(fit_s, 1),
                  "fit_cpu_s": round(fit_cpu, 1), "fitted": describe(models),
                  "member_damping": {str(v): member_damping.count(v) for v in sorted(set(member_damping))}}
        print(json.dumps(result, default=str), flush=True)
        if args.log:
            with open(args.log, "a") as fh:
                fh.write(json.dumps(result, default=str) + "\n")


if __name__ == "__main__":
    main()

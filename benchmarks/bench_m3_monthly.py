"""Models on the 1,428 monthly series of the M3 competition: sMAPE, MASE and OWA against Naive2.

The M3 data are not shipped (nor in ``../shared``): pass ``--data`` the path of the public
``M3C.xls`` (sheet ``M3Month``; reading it needs ``xlrd``) or of that sheet saved as CSV. Each row's
``N`` values include the competition's 18 test values (``NF``).

``--holdout validation`` (the default) cuts the test values off, then holds out each series' last
18 TRAINING values and trains on the rest: this is where settings and defaults are chosen.
``--holdout test`` trains on the whole training part and scores the M3 test values: report it once
per setting that was chosen on validation.

Every series gets a monthly ``PeriodIndex`` (from the sheet's start year and month; the few with no
start begin in 1990-01), so the models find the season themselves (12), as a user's would. Scores
follow the M3/M4 convention (MASE and Naive2 with m=12, OWA from the mean sMAPE and MASE).

``--models`` lists ``lstm`` (``LSTMForecaster(horizon=18, **--params)``), ``theta``, ``hw``,
``esrnn``; statistical rows are deterministic and cached in ``--cache`` when given.

    .venv/bin/python benchmarks/bench_m3_monthly.py --data /tmp/m3/M3C.xls --models theta,hw,lstm
    .venv/bin/python benchmarks/bench_m3_monthly.py --data M3Month.csv --models lstm --params '{"random_state": 1}'
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

from tsforecast import ESRNNForecaster, HoltWintersForecaster, LSTMForecaster, Naive2Forecaster, ThetaForecaster
from tsforecast.metrics import owa

from bench_m4_lstm import forecasts, interval_coverage, per_series_scores  # noqa: E402  (benchmarks/ is on sys.path when a script runs)

H, M = 18, 12


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", required=True, help="M3C.xls or the M3Month sheet as CSV")
    p.add_argument("--holdout", choices=["validation", "test"], default="validation")
    p.add_argument("--models", default="lstm")
    p.add_argument("--params", default="{}", help="LSTMForecaster / ESRNNForecaster keyword arguments as JSON")
    p.add_argument("--n-series", type=int, default=None, help="every k-th series so that about N remain")
    p.add_argument("--label", default="")
    p.add_argument("--log", default=None, help="append a JSON line per model to this file")
    p.add_argument("--save", default=None, help="write each model's forecasts to SAVE_<label>_<model>.npz")
    return p.parse_args(argv)


def load(path):
    """The M3 monthly sheet as a dict name -> (monthly Series with its test values, category)."""
    if not os.path.exists(path):
        sys.exit(f"{path} not found: pass --data the M3C.xls file or its M3Month sheet as CSV.")
    if path.lower().endswith(".xls"):
        sheet = pd.read_excel(path, sheet_name="M3Month")
    else:
        sheet = pd.read_csv(path)
    out = {}
    for _, row in sheet.iterrows():
        n = int(row["N"])
        values = row.iloc[6:6 + n].to_numpy(float)
        year, month = int(row["Starting Year"]), int(row["Starting Month"])
        if year < 1800 or not 1 <= month <= 12:
            year, month = 1990, 1
        index = pd.period_range(pd.Period(year=year, month=month, freq="M"), periods=n, freq="M")
        out[str(row["Series"]).strip()] = (pd.Series(values, index=index), str(row["Category"]).strip())
    return out


def split(data, holdout, n_series=None):
    names = list(data)
    if n_series:
        names = names[:: max(1, len(names) // n_series)]
    train = {k: data[k][0].iloc[:-H] for k in names}
    if holdout == "validation":
        return {k: v.iloc[:-H] for k, v in train.items()}, {k: v.iloc[-H:].to_numpy() for k, v in train.items()}
    return train, {k: data[k][0].iloc[-H:].to_numpy() for k in names}


def make(name, params):
    if name == "lstm":
        return LSTMForecaster(**{**params, "horizon": H})
    if name == "esrnn":
        return ESRNNForecaster(**{**params, "horizon": H})
    if name == "theta":
        return ThetaForecaster(horizon=H)
    if name == "hw":
        return HoltWintersForecaster(horizon=H)
    raise SystemExit(f"unknown model {name!r}")


def main(argv=None):
    args = parse_args(argv)
    data = load(args.data)
    train, truth = split(data, args.holdout, args.n_series)
    cats = np.array([data[k][1] for k in truth])
    n2 = per_series_scores(forecasts(Naive2Forecaster(seasonal_periods=M, horizon=H).fit(train), list(train)), train, truth, M)
    params = json.loads(args.params)
    for name in args.models.split(","):
        model = make(name, params)
        t0, c0 = time.perf_counter(), time.process_time()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(train)
        fit_s, fit_cpu = time.perf_counter() - t0, time.process_time() - c0
        pred = forecasts(model, list(train))
        if args.save:
            np.savez(f"{args.save}_{args.label}_{name}.npz", names=np.array(list(pred)), forecasts=np.array(list(pred.values())))
        s, q = per_series_scores(pred, train, truth, M)
        by_cat = {c: round(owa(s[cats == c].mean(), q[cats == c].mean(), n2[0][cats == c].mean(),
                               n2[1][cats == c].mean()), 3) for c in sorted(set(cats))}
        result = {"model": name, "holdout": args.holdout, "label": args.label,
                  "params": params if name in ("lstm", "esrnn") else {}, "n_series": len(train),
                  "smape": round(float(s.mean()), 3), "mase": round(float(q.mean()), 3),
                  "owa": round(owa(s.mean(), q.mean(), n2[0].mean(), n2[1].mean()), 4),
                  "naive2": [round(float(n2[0].mean()), 3), round(float(n2[1].mean()), 3)], "owa_by_category": by_cat,
                  "coverage90": interval_coverage(model, truth), "fit_s": round(fit_s, 1), "fit_cpu_s": round(fit_cpu, 1),
                  "fitted": {k: getattr(model, k) for k in ("seasonal_periods_", "window_", "windows_", "patch_",
                                                            "refit_", "n_estimators_", "damping_") if hasattr(model, k)},
                  "member_damping": [m.damping_ for m in getattr(model, "estimators_", None) or [] if hasattr(m, "damping_")]}
        print(json.dumps(result, default=str), flush=True)
        if args.log:
            with open(args.log, "a") as fh:
                fh.write(json.dumps(result, default=str) + "\n")


if __name__ == "__main__":
    main()

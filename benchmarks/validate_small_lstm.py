"""Validation of the LSTM's small-data recipe on the bundled single series (never their test windows).

Each series (airline and elnino, monthly, h=18; the 12 quarterly macrodata series, h=8; nile and sunspots,
yearly, h=6) first loses its last 3h points (the default benchmark's test windows), then is forecast from
3 origins h apart: 48 forecasts. OWA is computed from the mean sMAPE and MASE (m = the season) against
Naive2, over all forecasts ("owa") and per dataset (macrodata's 12 series are one dataset); "dataset_mean"
is the mean of the 5 per-dataset OWAs. LSTM rows also give the share of the truth inside the 90% interval.
Nothing here touches the benchmark's test windows.

    nice .venv/bin/python benchmarks/validate_small_lstm.py '{"stats": 1, "default": {}}'
    nice .venv/bin/python benchmarks/validate_small_lstm.py '{"no_refit": {"refit": false}}'

The argument maps a row name to LSTMForecaster keyword arguments (added to horizon, seasonal_periods
and random_state=0, which a row may override); the key "stats" adds Theta and Holt-Winters rows. (Until the ninth session the
script had the first 42 forecasts only, without nile and sunspots.)
"""
import json, sys, time, warnings

import numpy as np

from tsforecast import HoltWintersForecaster, LSTMForecaster, Naive2Forecaster, ThetaForecaster
from tsforecast.datasets import dataset_info, load_dataset
from tsforecast.metrics import mase, smape

DATASETS = [("airline", 18), ("elnino", 18), ("macrodata", 8), ("nile", 6), ("sunspots", 6)]


def series():
    out = []
    for name, h in DATASETS:
        data = load_dataset(name)
        m = dataset_info(name)["season_length"]
        cols = data.items() if hasattr(data, "columns") else [(name, data)]
        for col, y in cols:
            v = y.to_numpy(float)[: -3 * h]
            for k in range(3):
                w = v[: v.size - k * h] if k else v
                out.append((name, f"{col}@{k}", w[:-h], w[-h:], m, h))
    return out


def run(S, make):
    sm, ms, cov, damp, t0 = [], [], [], [], time.perf_counter()
    for _, _, tr, te, m, h in S:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est = make(m, h).fit(tr)
            f = np.asarray(est.predict(h), float)
            if isinstance(est, LSTMForecaster) and est.calibration_residuals_ is not None:
                iv = est.predict_interval(np.arange(1, h + 1), coverage=0.9)
                lo, hi = np.asarray(iv["lower"], float), np.asarray(iv["upper"], float)
                cov.append(float(np.mean((te >= lo) & (te <= hi))))
            for member in getattr(est, "estimators_", None) or [est]:
                if hasattr(member, "damping_"):
                    damp.append(member.damping_)
        sm.append(smape(te, f))
        ms.append(mase(te, f, y_train=tr, m=m))
    return np.array(sm), np.array(ms), cov, damp, time.perf_counter() - t0


def main():
    variants = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    S = series()
    datasets = np.array([d for d, *_ in S])
    n2 = run(S, lambda m, h: Naive2Forecaster(seasonal_periods=m, horizon=h))

    def owa(s, q, sel):
        return 0.5 * (s[sel].mean() / n2[0][sel].mean() + q[sel].mean() / n2[1][sel].mean())

    def report(name, r):
        s, q, cov, damp, t = r
        per = {d: round(owa(s, q, datasets == d), 3) for d, _ in DATASETS}
        print(json.dumps({"name": name, "smape": round(s.mean(), 3), "mase": round(q.mean(), 3),
                          "owa": round(owa(s, q, slice(None)), 3), "dataset_mean": round(float(np.mean(list(per.values()))), 3),
                          **per, "coverage90": round(float(np.mean(cov)), 3) if cov else None, "s": round(t, 1),
                          **({"damping_": {str(v): damp.count(v) for v in sorted(set(damp))}} if damp else {})}), flush=True)

    if variants.pop("stats", None):
        report("theta", run(S, lambda m, h: ThetaForecaster(seasonal_periods=m, horizon=h)))
        report("hw", run(S, lambda m, h: HoltWintersForecaster(seasonal_periods=m, horizon=h)))
    for name, params in variants.items():
        report(name, run(S, lambda m, h: LSTMForecaster(horizon=h, seasonal_periods=m, **{"random_state": 0, **params})))


if __name__ == "__main__":
    main()

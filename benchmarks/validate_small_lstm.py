"""Validation of the LSTM's small-data recipe on the bundled monthly and quarterly series.

Each series (airline and elnino, monthly, h=18; the 12 quarterly macrodata series, h=8) first loses its
last 3h points (the default benchmark's test windows), then is forecast from 3 origins h apart: 42
forecasts. OWA is computed from the mean sMAPE and MASE (m = the season) against Naive2;
``airline_owa``/``macro_owa`` are means of per-forecast OWAs of those groups. Nothing here touches the
benchmark's test windows.

    nice .venv/bin/python benchmarks/validate_small_lstm.py '{"stats": 1, "default": {}}'
    nice .venv/bin/python benchmarks/validate_small_lstm.py '{"no_ds": {"deseasonalize": null}}'

The argument maps a row name to LSTMForecaster keyword arguments (added to horizon, seasonal_periods
and random_state=0); the key "stats" adds Theta and Holt-Winters rows.
"""
import json, sys, time, warnings
sys.path.insert(0, "benchmarks")
import numpy as np
from tsforecast import LSTMForecaster, ThetaForecaster, HoltWintersForecaster, Naive2Forecaster
from tsforecast.datasets import load_dataset, dataset_info
from tsforecast.metrics import smape, mase

def series():
    out = []
    for name, h in [("airline", 18), ("elnino", 18), ("macrodata", 8)]:
        data = load_dataset(name); m = dataset_info(name)["season_length"]
        cols = data.items() if hasattr(data, "columns") else [(name, data)]
        for col, y in cols:
            v = y.to_numpy(float)[: -3 * h]
            for k in range(3):
                w = v[: v.size - k * h] if k else v
                out.append((f"{col}@{k}", w[:-h], w[-h:], m, h))
    return out

VARIANTS = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
S = series()
def run(name, make):
    sm, ms, t0 = [], [], time.perf_counter()
    for sid, tr, te, m, h in S:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            f = np.asarray(make(m, h).fit(tr).predict(h), float)
        sm.append(smape(te, f)); ms.append(mase(te, f, y_train=tr, m=m))
    return np.array(sm), np.array(ms), time.perf_counter() - t0

base = {"naive2": lambda m, h: Naive2Forecaster(seasonal_periods=m, horizon=h)}
n2 = run("naive2", base["naive2"])
def report(name, r):
    s, q, t = r
    owa = 0.5 * (s.mean() / n2[0].mean() + q.mean() / n2[1].mean())
    # per-series relative OWA too (median of per-forecast owa)
    per = 0.5 * (s / np.maximum(n2[0], 1e-9) + q / np.maximum(n2[1], 1e-9))
    print(json.dumps({"name": name, "smape": round(s.mean(), 3), "mase": round(q.mean(), 3), "owa": round(owa, 4),
                      "airline_owa": round(float(per[:3].mean()), 3), "macro_owa": round(float(per[6:].mean()), 3), "s": round(t, 1)}), flush=True)
if "stats" in VARIANTS:
    report("theta", run("theta", lambda m, h: ThetaForecaster(seasonal_periods=m, horizon=h)))
    report("hw", run("hw", lambda m, h: HoltWintersForecaster(seasonal_periods=m, horizon=h)))
    VARIANTS.pop("stats")
for name, params in VARIANTS.items():
    report(name, run(name, lambda m, h: LSTMForecaster(horizon=h, seasonal_periods=m, random_state=0, **params)))

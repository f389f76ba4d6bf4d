"""What the LSTM defaults cost: fit seconds and accuracy against the statistical models, and per ensemble size.

On the default benchmark's series (airline, monthly, h=18; nile, yearly, h=6) with its three rolling
origins (the last 3h points, step h), every model is fitted at each origin and scored by sMAPE and MASE
(m = the season, 1 for nile); fit seconds are medians over the origins, measured in one run.
``LSTMForecaster(horizon=h)`` is the plain default (3 networks on these small series); the rows
``n_estimators=1`` and ``5`` change only the ensemble size, ``refit=False`` keeps the networks trained
without the held-out windows (the default before the ninth session). For reporting only: nothing is
chosen here.

    nice .venv/bin/python benchmarks/bench_lstm_cost.py
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pandas as pd

from tsforecast import (ARIMAForecaster, HoltWintersForecaster, LSTMForecaster, Naive2Forecaster,
                        ThetaForecaster)
from tsforecast.datasets import load_airline, load_nile
from tsforecast.metrics import mase, smape

SERIES = {"airline": (load_airline, 18, 12), "nile": (load_nile, 6, 1)}


def models(h, m):
    return {
        "naive2": Naive2Forecaster(seasonal_periods=m, horizon=h),
        "theta": ThetaForecaster(seasonal_periods=m, horizon=h),
        "holtwinters": HoltWintersForecaster(seasonal_periods=m, horizon=h),
        "arima": ARIMAForecaster(order="auto", seasonal_periods=m, horizon=h),
        "lstm n_estimators=1": LSTMForecaster(horizon=h, n_estimators=1, random_state=0),
        "lstm (default: 3)": LSTMForecaster(horizon=h, random_state=0),
        "lstm refit=False": LSTMForecaster(horizon=h, refit=False, random_state=0),
        "lstm n_estimators=5": LSTMForecaster(horizon=h, n_estimators=5, random_state=0),
    }


def main():
    rows = []
    for name, (load, h, m) in SERIES.items():
        y = load()
        for model_name, model in models(h, m).items():
            secs, sm, ms = [], [], []
            for k in (3, 2, 1):  # origins: the last 3h, 2h, h points held out
                train, test = y.iloc[: -k * h], y.iloc[-k * h:][:h]
                t0 = time.perf_counter()
                model.fit(train)
                secs.append(time.perf_counter() - t0)
                f = np.asarray(model.predict(h), dtype=float)
                sm.append(smape(test.to_numpy(), f))
                ms.append(mase(test.to_numpy(), f, y_train=train.to_numpy(), m=m))
            rows.append(dict(series=name, model=model_name, smape=np.mean(sm), mase=np.mean(ms),
                             fit_s_median=np.median(secs)))
            print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    naive = table[table.model == "naive2"].set_index("series")
    table["owa"] = [0.5 * (r.smape / naive.loc[r.series, "smape"] + r.mase / naive.loc[r.series, "mase"])
                    for r in table.itertuples()]
    print(table.round(3).to_string(index=False))


if __name__ == "__main__":
    main()

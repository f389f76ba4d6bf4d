"""M4 Hourly with ONE global LSTMForecaster: sMAPE, MASE and OWA against Naive2.

All 414 hourly series (h=48, seasonality 24) train one network: the last
``--window`` hours in (default 168 = one week, fed as 7 time steps of 24
values with ``--patch 24``), all 48 hours out, per-window normalisation, MAE
loss, the remaining settings are LSTMForecaster's defaults. Scores follow the
competition: sMAPE and MASE (m=24) per series, averaged; OWA relative to
Naive2, which is computed here with tsforecast's
``Naive2Forecaster(seasonal_periods=24)`` on the same series. The official
Naive2 / Theta / winner rows of the M4 results table are printed for
reference.

Run from the project root (reads ../shared/data/m4 by default):

    .venv/bin/python benchmarks/bench_m4_hourly_lstm.py
    .venv/bin/python benchmarks/bench_m4_hourly_lstm.py --n-series 50 --epochs 3     # quick look
    .venv/bin/python benchmarks/bench_m4_hourly_lstm.py --patch 1                     # one value per step
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

from tsforecast import LSTMForecaster, Naive2Forecaster, to_long
from tsforecast.datasets import load_m4
from tsforecast.metrics import mase, owa, smape

from _m4_hourly import DEFAULT_DATA, OFFICIAL  # noqa: E402  (benchmarks/ is on sys.path when a script runs)
from tsforecast.utils._frequency import default_horizon, season_length_from_freq
from tsforecast.neural.regressor import LSTMRegressor




def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default=DEFAULT_DATA, help="folder with Hourly-train.csv / Hourly-test.csv")
    p.add_argument("--n-series", type=int, default=None, help="use the first N series only (default: all 414)")
    p.add_argument("--epochs", type=int, default=None, help="maximum epochs (default: LSTMForecaster's)")
    p.add_argument("--max-minutes", type=float, default=10.0,
                   help="stop training after the epoch that passes this many minutes (default 10)")
    p.add_argument("--window", type=int, default=168)
    p.add_argument("--patch", type=int, default=24, help="values per LSTM time step (1 = one value per step)")
    p.add_argument("--units", type=int, nargs="+", default=None, help="LSTM units per layer (default: 64 64)")
    p.add_argument("--batch-size", type=int, default=None)
    p.add_argument("--learning-rate", type=float, default=None)
    p.add_argument("--validation-fraction", type=float, default=None)
    p.add_argument("--normalize", default="window", choices=["window", "series", "none"])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--verbose", type=int, default=1)
    return p.parse_args(argv)


class _TimeLimitedRegressor(LSTMRegressor):
    """LSTMRegressor that stops after the epoch that passes a wall-clock budget (benchmark only)."""

    max_seconds = None

    def _extra_callbacks(self, keras):
        limit = self.max_seconds

        class TimeLimit(keras.callbacks.Callback):
            def on_train_begin(self, logs=None):
                self.t0 = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None):
                if limit is not None and time.perf_counter() - self.t0 > limit:
                    self.model.stop_training = True

        return [TimeLimit()]


class _BenchForecaster(LSTMForecaster):
    max_seconds = None

    def _regressor(self, n_windows):
        reg = super()._regressor(n_windows)
        timed = _TimeLimitedRegressor(**reg.get_params())
        timed.max_seconds = self.max_seconds
        return timed


def main(argv=None):
    args = parse_args(argv)
    if not os.path.isdir(args.data):
        sys.exit(f"M4 data folder {args.data} not found; pass --data.")
    train, test = load_m4("Hourly", args.data, split="both")
    names = list(train)[: args.n_series]
    train = {k: train[k] for k in names}
    test = {k: test[k] for k in names}
    h, m = default_horizon("H"), season_length_from_freq("H")  # M4 Hourly: 48, 24

    params = dict(window=args.window, horizon=h, patch=args.patch, random_state=args.seed, verbose=args.verbose,
                  normalize=None if args.normalize == "none" else args.normalize)
    for opt, key in [("epochs", "epochs"), ("batch_size", "batch_size"), ("learning_rate", "learning_rate"),
                     ("validation_fraction", "validation_fraction")]:
        if getattr(args, opt) is not None:
            params[key] = getattr(args, opt)
    if args.units:
        params["units"] = tuple(args.units)
    model = _BenchForecaster(**params)
    model.max_seconds = None if args.max_minutes is None else 60 * args.max_minutes

    t0 = time.perf_counter()
    model.fit(train)
    fit_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    pred = model.predict(h)
    pred_s = time.perf_counter() - t1
    epochs_run = len(model.history_["loss"])

    naive2 = Naive2Forecaster(seasonal_periods=m, horizon=h).fit(train).predict(h)

    # long format (unique_id, ds, y_pred[, lower, upper]): the series end at different times
    calibrated = model.calibration_residuals_ is not None
    long = to_long(pred, model.predict_interval(h, coverage=0.9) if calibrated else None)
    y_true = np.concatenate([test[k].to_numpy() for k in names])  # the same order: series, then time
    coverage = float(np.mean((y_true >= long["lower"]) & (y_true <= long["upper"]))) if calibrated else None

    def scores(long):
        s, q = [], []
        for k, part in long.groupby("unique_id", sort=False):
            f, y = part["y_pred"].to_numpy(), test[k].to_numpy()
            s.append(smape(y, f))
            q.append(mase(y, f, y_train=train[k].to_numpy(), m=m))
        return float(np.mean(s)), float(np.mean(q))

    s_lstm, q_lstm = scores(long)
    s_n2, q_n2 = scores(to_long(naive2))
    owa_lstm = owa(s_lstm, q_lstm, s_n2, q_n2)

    cfg = model.get_params()
    print()
    print(f"M4 Hourly, {len(names)} series, h={h}: one global LSTMForecaster")
    print(f"settings: window={cfg['window']} patch={cfg['patch']} units={cfg['units']} "
          f"normalize={cfg['normalize']} loss={cfg['loss']} epochs<={cfg['epochs']} "
          f"batch_size={cfg['batch_size']} (used: {model.regressor_.batch_size}) learning_rate={cfg['learning_rate']} "
          f"validation_fraction={cfg['validation_fraction']} early_stopping={cfg['early_stopping']}")
    print(f"training windows: {model.n_windows_}, epochs run: {epochs_run}, fit {fit_s:.0f} s "
          f"({model.n_windows_ * epochs_run / fit_s:,.0f} windows/s incl. windowing and calibration), "
          f"predict {pred_s:.2f} s, CPU cores visible: {os.cpu_count()}")
    if coverage is not None:
        print(f"90% conformal prediction intervals: {100 * coverage:.1f}% of the {len(names) * h} test values inside "
              f"(calibrated on {model.calibration_residuals_.shape[0]} held-out windows)")
    print()
    print("| method | sMAPE | MASE | OWA |")
    print("| --- | --- | --- | --- |")
    print(f"| LSTMForecaster (this run) | {s_lstm:.3f} | {q_lstm:.3f} | {owa_lstm:.3f} |")
    print(f"| Naive2 (tsforecast, this run) | {s_n2:.3f} | {q_n2:.3f} | 1.000 |")
    for name, (s, q, o) in OFFICIAL.items():
        print(f"| {name} (official M4) | {s:.3f} | {q:.3f} | {o:.3f} |")
    if args.n_series is not None:
        print("\n(subset of series: the official rows are for all 414 and are not comparable)")
    return owa_lstm


if __name__ == "__main__":
    main()

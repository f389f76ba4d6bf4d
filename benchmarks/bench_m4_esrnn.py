"""One ESRNNForecaster on M4 Hourly or Weekly: sMAPE, MASE and OWA against Naive2.

Same protocol as ``bench_m4_lstm.py`` (whose ``split`` and ``scores`` helpers it uses):
sMAPE and MASE per series, averaged; OWA relative to Naive2 computed here with
``Naive2Forecaster``; MASE and Naive2 use m=24 for Hourly and m=1 for Weekly.

``--holdout validation`` (the default) holds out each series' last h TRAINING values and
trains on the rest: choose settings there. ``--holdout test`` trains on the whole training
series and scores the M4 test values: run it once per setting chosen on validation.

``--params`` takes ESRNNForecaster keyword arguments as JSON (``horizon`` is always the
competition's h; ``seasonal_periods`` is 24 Hourly and 52 Weekly unless ``--params`` sets it).
Each run prints one JSON line and appends it to ``--log`` if given.

    .venv/bin/python benchmarks/bench_m4_esrnn.py --freq Hourly
    .venv/bin/python benchmarks/bench_m4_esrnn.py --freq Weekly --params '{"window": 52, "patch": 13}'
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

from tsforecast import ESRNNForecaster, Naive2Forecaster

from _m4_hourly import DEFAULT_DATA  # noqa: E402  (benchmarks/ is on sys.path when a script runs)
from bench_m4_lstm import SETTINGS, emit, forecasts, interval_coverage, score_fields, scores, split  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--freq", choices=sorted(SETTINGS), default="Hourly")
    p.add_argument("--holdout", choices=["validation", "test"], default="validation")
    p.add_argument("--params", default="{}", help="ESRNNForecaster keyword arguments as JSON")
    p.add_argument("--n-series", type=int, default=None, help="first N series only")
    p.add_argument("--data", default=DEFAULT_DATA)
    p.add_argument("--label", default="")
    p.add_argument("--log", default=None, help="append a JSON line with the scores to this file")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if not os.path.isdir(args.data):
        sys.exit(f"M4 data folder {args.data} not found; pass --data.")
    h, m_model, m_score = SETTINGS[args.freq]
    train, truth = split(args.freq, args.holdout, args.data, args.n_series, h)
    params = {"seasonal_periods": m_model, **json.loads(args.params), "horizon": h}
    if isinstance(params.get("units"), list):
        params["units"] = tuple(params["units"])
    model = ESRNNForecaster(**params)
    t0, c0 = time.perf_counter(), time.process_time()
    model.fit(train)
    fit_s, fit_cpu = time.perf_counter() - t0, time.process_time() - c0
    pred = forecasts(model, list(train))
    naive2 = Naive2Forecaster(seasonal_periods=m_score, horizon=h).fit(train)
    s, q = scores(pred, train, truth, m_score)
    s2, q2 = scores(forecasts(naive2, list(train)), train, truth, m_score)
    alphas = np.array(list(model.alpha_.values()))
    coverage = interval_coverage(model, truth)  # share of the held-out values inside the 90% intervals
    result = {
        "freq": args.freq, "holdout": args.holdout, "label": args.label,
        "params": {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items()},
        "n_series": len(train), **score_fields(s, q, s2, q2, fit_s, fit_cpu),
        "epochs_run": [len(hist["loss"]) for hist in model.history_],
        "best_epoch": [int(np.argmin(hist.get("val_loss", hist["loss"]))) + 1 for hist in model.history_],
        "window": model.window_,
        "patch": model.patch_, "coverage90": coverage, "alpha_median": round(float(np.median(alphas)), 3),
    }
    return emit(result, args.log)


if __name__ == "__main__":
    main()

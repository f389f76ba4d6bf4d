"""Peak memory and speed of a global LSTMForecaster fit: in-memory windows vs streamed windows (issue 16).

Each case runs in a fresh subprocess, which generates its own wide DataFrame panel (random walks
plus a daily cycle, float64), imports TensorFlow, fits ``LSTMForecaster(window=24, horizon=12,
epochs=1, random_state=0)`` and predicts every series. Reported per case:

* ``data_MB``: the panel's size; ``base_MB``: resident memory (``ru_maxrss``) after generating
  the panel and importing TensorFlow/Keras (the data plus the framework's own footprint);
* ``peak_MB``: peak resident memory of the whole run; ``extra_MB = peak_MB - base_MB``;
* ``windows``: training windows (all series), ``per_epoch``: windows trained on in the epoch;
* ``fit_s``, ``windows_per_s`` (``per_epoch / fit_s``, preparation included), ``predict_s``
  and ``forward_s`` (one forward pass of the network over the last windows, for comparison).

Usage::

    nice python benchmarks/bench_lstm_memory.py                      # the default table
    nice python benchmarks/bench_lstm_memory.py --case 1000 300 memory
    nice python benchmarks/bench_lstm_memory.py --case 100000 300 stream 200000

A case is ``n_series length path [max_windows_per_epoch]`` with path ``memory``
(``streaming=False``) or ``stream`` (``streaming=True``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

#: (n_series, length, path, max_windows_per_epoch) of the default table
CASES = [
    (1_000, 300, "memory", None),
    (1_000, 300, "stream", None),
    (10_000, 300, "memory", None),
    (10_000, 300, "stream", 200_000),
    (100_000, 300, "stream", 200_000),
    (1_000, 20_000, "stream", 200_000),
]


def _rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _panel(n_series, length, seed=0):
    import pandas as pd

    rng = np.random.default_rng(seed)
    t = np.arange(length)
    values = np.empty((length, n_series))
    for i in range(0, n_series, 1000):  # in blocks: no big temporaries
        k = min(1000, n_series - i)
        walk = np.cumsum(rng.normal(size=(length, k)), axis=0)
        values[:, i : i + k] = 100 + rng.uniform(1, 10, k) * np.sin(2 * np.pi * t / 24)[:, None] + walk
    return pd.DataFrame(values, columns=[f"s{i}" for i in range(n_series)], copy=False)


def run_case(n_series, length, path, cap, units):
    panel = _panel(n_series, length)
    from tsforecast import LSTMForecaster
    from tsforecast.neural._keras import import_keras

    import_keras()
    base = _rss_mb()
    f = LSTMForecaster(window=24, horizon=12, epochs=1, units=units, random_state=0,
                       streaming=path == "stream", max_windows_per_epoch=cap)
    t0 = time.perf_counter()
    f.fit(panel)
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    pred = f.predict()
    predict_s = time.perf_counter() - t0
    assert pred.shape == (12, n_series) and np.isfinite(pred.to_numpy()).all()
    # one forward pass of the network over the (already normalised) last windows
    zw = np.stack([st["z"] for st in f._series_state])
    Xn = f._network_windows(zw)[0]
    x = f.regressor_._x_scaler.transform(Xn[:, :, None] if Xn.ndim == 2 else Xn).astype(np.float32)
    t0 = time.perf_counter()
    f.regressor_.model_.predict(x, batch_size=8192, verbose=0)
    forward_s = time.perf_counter() - t0
    per_epoch = min(cap or f.n_windows_, f.n_windows_)
    peak = _rss_mb()
    return {
        "n_series": n_series, "length": length, "path": path, "max_windows_per_epoch": cap,
        "data_MB": round(panel.to_numpy().nbytes / 2**20), "base_MB": round(base), "peak_MB": round(peak),
        "extra_MB": round(peak - base), "windows": int(f.n_windows_), "per_epoch": int(per_epoch),
        "fit_s": round(fit_s, 1), "windows_per_s": round(per_epoch / fit_s), "predict_s": round(predict_s, 2),
        "forward_s": round(forward_s, 2), "streaming_": bool(f.streaming_),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", nargs="+", help="n_series length memory|stream [max_windows_per_epoch]")
    parser.add_argument("--units", type=int, nargs="+", default=[64, 64])
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per case")
    args = parser.parse_args(argv)
    if args.case:  # one case, in this process
        n, length, path = int(args.case[0]), int(args.case[1]), args.case[2]
        cap = int(args.case[3]) if len(args.case) > 3 else None
        print(json.dumps(run_case(n, length, path, cap, tuple(args.units))), flush=True)
        return
    for n, length, path, cap in CASES:  # each case in a fresh process: ru_maxrss is per process
        cmd = [sys.executable, os.path.abspath(__file__), "--case", str(n), str(length), path]
        cmd += [] if cap is None else [str(cap)]
        cmd += ["--units", *map(str, args.units)]
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
            line = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr[-500:]
        except subprocess.TimeoutExpired:
            line = json.dumps({"n_series": n, "length": length, "path": path, "error": "timeout"})
        print(line, flush=True)


if __name__ == "__main__":
    main()

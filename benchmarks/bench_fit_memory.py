"""Memory of one process that fits one LSTM forecaster after another (an analyst's loop over series).

Runs the loop three times, each in a fresh process: as the product does it (after each training,
the gradient functions TensorFlow registered while tracing its step are dropped and TensorFlow's
eager kernel cache is emptied, see ``tsforecast/neural/_trace_memory.py``), with only the first of
the two (``registry``), and with neither (``keep``: what TensorFlow alone does), and prints
the resident memory after the first fit, after the last, and the growth per fit (from the second
fit to the last, divided by the number of fits between them).

    .venv/bin/python benchmarks/bench_fit_memory.py                       # 30 small fits per loop
    .venv/bin/python benchmarks/bench_fit_memory.py --fits 12 --params '{}'  # the default forecaster
    .venv/bin/python benchmarks/bench_fit_memory.py --model esrnn
"""
import argparse
import json
import os
import subprocess
import sys
import warnings

import numpy as np

SMALL = {"window": 12, "units": 8, "epochs": 5, "n_estimators": 1, "normalize": "window"}


def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def loop(args):
    """The fits, in this process; prints one JSON line with the resident memory after each fit."""
    import gc

    import tsforecast.neural._trace_memory as trace_memory
    from tsforecast import ESRNNForecaster, LSTMForecaster
    from tsforecast.datasets import load_airline

    if args.mode != "release":  # the kernel cache is kept
        trace_memory.clear_kernel_cache = lambda: None
    if args.mode == "keep":  # and the gradient functions: what TensorFlow alone does
        trace_memory.forget_gradient_functions = lambda *a: 0
    y = np.asarray(load_airline(), float)
    params = json.loads(args.params)
    cls = ESRNNForecaster if args.model == "esrnn" else LSTMForecaster
    after = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i in range(args.fits):
            est = cls(horizon=12, random_state=i, **params).fit(y[: len(y) - i % 12])  # a different series each time
            est.predict(12)
            del est
            gc.collect()
            after.append(round(rss_mb(), 1))
    print(json.dumps({"mode": args.mode, "rss_mb": after}))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--fits", type=int, default=30)
    p.add_argument("--model", choices=["lstm", "esrnn"], default="lstm")
    p.add_argument("--params", help="JSON parameters of the forecaster (default: a small LSTM, or the ES-RNN's defaults)")
    p.add_argument("--modes", default="release,registry,keep", help="the loops to run (comma-separated)")
    p.add_argument("--mode", choices=["release", "registry", "keep"], help=argparse.SUPPRESS)  # one loop, in this process
    args = p.parse_args()
    if args.params is None:
        args.params = json.dumps(SMALL if args.model == "lstm" else {"epochs": 5})
    if args.mode:
        return loop(args)
    rows = []
    for mode in args.modes.split(","):
        out = subprocess.run([sys.executable, __file__, "--fits", str(args.fits), "--model", args.model,
                              "--params", args.params, "--mode", mode], capture_output=True, text=True, check=True)
        rss = json.loads(out.stdout.strip().splitlines()[-1])["rss_mb"]
        per_fit = (rss[-1] - rss[1]) / (len(rss) - 2) if len(rss) > 2 else float("nan")
        rows.append((mode, rss[0], rss[-1], per_fit))
    print(f"{args.fits} fits of {args.model} {args.params}, one process per row")
    print("| after each training | RSS after fit 1 (MB) | after the last (MB) | growth per fit (MB) |")
    print("| --- | --- | --- | --- |")
    labels = {"release": "gradient functions dropped, kernel cache emptied (the product)",
              "registry": "gradient functions dropped", "keep": "nothing released (TensorFlow alone)"}
    for mode, first, last, per_fit in rows:
        label = labels[mode]
        print(f"| {label} | {first:.0f} | {last:.0f} | {per_fit:.1f} |")


if __name__ == "__main__":
    main()

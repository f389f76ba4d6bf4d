"""Throughput of the benchmark runner (cells/second) in-process, with joblib and with 1..N Dask workers.

Runs the same benchmark under each executor and prints a table. Dask runs
use a ``distributed.LocalCluster`` of worker *processes* with one thread
each. Every executor first runs a small warm-up benchmark that is not timed
(worker start, imports), so the table measures steady throughput; the best
of ``--repeat`` timed runs is reported.

Data: by default auto ARIMA plus the naive baselines on the bundled airline
and nile series, 6 rolling origins. ``--m4 Weekly`` (or ``Hourly``) runs on
the first ``--n-series`` series of that M4 group instead (train + test, one
origin: the competition's holdout; horizon 13 / 48, season length 1 / 24 as
in M4's rules), read from ``--m4-path`` (default ../shared/data/m4 beside the
project). Auto ARIMA cells on M4 Weekly last about a second each, long
enough for the scaling to show.

``--write-csv FILE`` writes that M4 group (``--n-series 0``: all series) in
the layout of the ``tsforecast benchmark --datasets FILE.csv`` option (an
integer time index, one column per series, shorter series padded with empty
cells at the start) and exits: the README's "scale out" example.

Throughput can only scale up to the number of idle cores of the machine;
the header prints the core count and the load average before and after the
runs (a loaded machine gives no scaling number).

Usage::

    .venv/bin/python benchmarks/bench_dask_scaling.py
    .venv/bin/python benchmarks/bench_dask_scaling.py --m4 Weekly --n-series 60 --models arima \\
        --executors dask --repeat 1
    .venv/bin/python benchmarks/bench_dask_scaling.py --m4 Weekly --n-series 0 --write-csv m4-weekly.csv
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

#: /work/shared/data/m4 beside the project (benchmarks may read it; the product may not)
DEFAULT_M4 = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "m4")

#: M4 rules per group: horizon, season length
M4_GROUPS = {"Weekly": (13, 1), "Hourly": (48, 24)}

EXECUTORS = ("inprocess", "joblib", "dask")


def _available(models):
    from tsforecast.benchmark import make_model

    keep = []
    for name in models:
        try:
            make_model(name, season_length=12, horizon=6)
            keep.append(name)
        except ImportError as exc:
            print(f"# skipping model {name!r}: {exc}")
    return keep


def m4_series(group, path, n_series):
    """The first ``n_series`` series of an M4 group (0: all), train and test joined: dict id -> Series."""
    import pandas as pd

    from tsforecast.datasets import load_m4

    train, test = load_m4(group, path, split="both")
    ids = list(train)[: n_series or None]
    return {k: pd.concat([train[k], test[k]]).rename(k) for k in ids}


def write_cli_csv(series, path):
    """Write series of different lengths as one CSV: integer index, one column each, aligned at the end."""
    import pandas as pd

    length = max(len(s) for s in series.values())
    frame = pd.DataFrame({k: pd.Series(s.to_numpy(), index=range(length - len(s), length))
                          for k, s in series.items()}, index=range(length))
    frame.index.name = "t"
    frame.to_csv(path)
    return frame.shape


def _timed(label, workers, kwargs, warm, repeat, **executor):
    from tsforecast.benchmark import run

    run(**warm, **executor)
    best, res = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        res = run(**kwargs, **executor)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return {"executor": label, "workers": workers, "cells": len(res), "failed": int((res["status"] != "ok").sum()),
            "seconds": best, "cells_per_s": len(res) / best, "result": res,
            "cell_s": float((res["fit_seconds"] + res["predict_seconds"]).mean())}


def _load():
    try:
        return "load average %.2f %.2f %.2f (1/5/15 min)" % os.getloadavg()
    except OSError:  # pragma: no cover - platforms without it
        return "load average unknown"


def _settings(args):
    """``(kwargs, warm kwargs, description)`` of the timed benchmark."""
    models = _available(args.models.split(","))
    if args.m4 is None:
        kwargs = dict(models=models, datasets=args.datasets.split(","), n_windows=args.n_windows or 6)
        return kwargs, dict(kwargs, n_windows=1), f"{args.datasets}, {kwargs['n_windows']} windows"
    horizon, m = M4_GROUPS[args.m4]
    series = m4_series(args.m4, args.m4_path, args.n_series)
    name = f"m4_{args.m4.lower()}"
    kwargs = dict(models=models, datasets={name: series}, horizon=horizon, season_length=m,
                  n_windows=args.n_windows or 1)
    warm = dict(kwargs, datasets={name: dict(list(series.items())[:2])})
    return kwargs, warm, f"M4 {args.m4} ({len(series)} series, h={horizon}, m={m}), {kwargs['n_windows']} window(s)"


def _show_differences(ref, res, row):
    """Print the cells whose numbers differ from the first executor's."""
    if res.equals(ref):
        return
    cols = [c for c in ref.columns if c not in ("dataset", "series", "model", "fold", "status", "error")]
    diff = (res[cols] - ref[cols]).abs().max(axis=1)
    bad = diff[diff > 0].index
    print(f"# {row['executor']} ({row['workers']}): {len(bad)} cell(s) differ from the first executor's, "
          f"largest difference {diff.max():.3g}:")
    for i in bad[:10]:
        print(f"#   {res.loc[i, 'series']} {res.loc[i, 'model']} fold {res.loc[i, 'fold']}: "
              f"{ref.loc[i, cols].to_dict()} vs {res.loc[i, cols].to_dict()}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="arima,naive2,snaive,drift,theta,holtwinters")
    parser.add_argument("--datasets", default="airline,nile", help="bundled datasets (without --m4)")
    parser.add_argument("--m4", choices=sorted(M4_GROUPS), help="run on this M4 group instead")
    parser.add_argument("--m4-path", default=DEFAULT_M4, help="folder with {Group}-train.csv and {Group}-test.csv")
    parser.add_argument("--n-series", type=int, default=60, help="first N series of the M4 group (0: all)")
    parser.add_argument("--n-windows", type=int, help="rolling origins (default: 6 bundled, 1 M4)")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per executor (the best is shown)")
    parser.add_argument("--max-workers", type=int, default=2)
    parser.add_argument("--executors", default=",".join(EXECUTORS), help=f"any of {','.join(EXECUTORS)}")
    parser.add_argument("--write-csv", metavar="FILE", help="write the M4 group as a CLI dataset CSV and exit")
    args = parser.parse_args(argv)

    if args.m4 is not None and not os.path.isdir(args.m4_path):
        print(f"# no M4 data at {args.m4_path}; nothing to do")
        return 0
    if args.write_csv:
        if args.m4 is None:
            parser.error("--write-csv needs --m4 Weekly or --m4 Hourly")
        shape = write_cli_csv(m4_series(args.m4, args.m4_path, args.n_series), args.write_csv)
        horizon, m = M4_GROUPS[args.m4]
        print(f"wrote {args.write_csv}: {shape[1]} series, {shape[0]} time points; benchmark it with "
              f"--datasets {args.write_csv} --horizon {horizon} --season-length {m} --n-windows 1")
        return 0
    executors = args.executors.split(",")
    unknown = sorted(set(executors) - set(EXECUTORS))
    if unknown:
        parser.error(f"unknown executor(s) {unknown}; choose from {list(EXECUTORS)}")

    from distributed import Client, LocalCluster

    kwargs, warm, what = _settings(args)
    print(f"# machine: {os.cpu_count()} CPU cores, Python {platform.python_version()}; before: {_load()}")
    print(f"# benchmark: models {','.join(kwargs['models'])} on {what}, best of {args.repeat}")
    sys.stdout.flush()

    rows = []
    if "inprocess" in executors:
        rows.append(_timed("in-process (n_jobs=1)", 1, kwargs, warm, args.repeat))
    if "joblib" in executors:
        rows.append(_timed("joblib loky (n_jobs=2)", 2, kwargs, warm, args.repeat, n_jobs=2))
    if "dask" in executors:
        for n in range(1, args.max_workers + 1):
            with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                    Client(cluster) as client:
                rows.append(_timed("dask LocalCluster", n, kwargs, warm, args.repeat, dask=client))
    print(f"# after: {_load()}")

    ref = rows[0]["result"].drop(columns=["fit_seconds", "predict_seconds"])
    for r in rows[1:]:
        _show_differences(ref, r["result"].drop(columns=["fit_seconds", "predict_seconds"]), r)
    base = next((r for r in rows if r["executor"] == "dask LocalCluster" and r["workers"] == 1), rows[0])
    print()
    print(f"| executor | workers | cells | failed | mean cell s | seconds | cells/s "
          f"| vs {base['executor']} ({base['workers']}) | same numbers |")
    print("|:--|--:|--:|--:|--:|--:|--:|--:|:--|")
    for r in rows:
        same = r["result"].drop(columns=["fit_seconds", "predict_seconds"]).equals(ref)
        print(f"| {r['executor']} | {r['workers']} | {r['cells']} | {r['failed']} | {r['cell_s']:.2f} | {r['seconds']:.1f} | "
              f"{r['cells_per_s']:.2f} | {r['cells_per_s'] / base['cells_per_s']:.2f}x | {'yes' if same else 'NO'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

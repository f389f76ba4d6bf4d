"""Throughput of the benchmark runner (cells/second) in-process, with joblib and with 1 and 2 Dask workers.

Runs the same benchmark (default: auto ARIMA plus the naive baselines on
airline and nile, 6 rolling origins) under each executor and prints a
table. Dask runs use a ``distributed.LocalCluster`` of worker *processes*
with one thread each. Every executor first runs a small warm-up benchmark
that is not timed (worker start, imports), so the table measures steady
throughput; the best of ``--repeat`` timed runs is reported.

Usage::

    .venv/bin/python benchmarks/bench_dask_scaling.py
    .venv/bin/python benchmarks/bench_dask_scaling.py --models arima,naive2 --n-windows 4 --repeat 1

Throughput can only scale up to the number of cores of the machine
(printed in the header).
"""

from __future__ import annotations

import argparse
import os
import platform
import time


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


def _timed(label, workers, kwargs, repeat, **executor):
    from tsforecast.benchmark import run

    warm = dict(kwargs, n_windows=1)
    run(**warm, **executor)
    best, res = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        res = run(**kwargs, **executor)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return {"executor": label, "workers": workers, "cells": len(res), "failed": int((res["status"] != "ok").sum()),
            "seconds": best, "cells_per_s": len(res) / best, "result": res}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="arima,naive2,snaive,drift,theta,holtwinters")
    parser.add_argument("--datasets", default="airline,nile")
    parser.add_argument("--n-windows", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--max-workers", type=int, default=2)
    args = parser.parse_args(argv)

    from distributed import Client, LocalCluster

    models = _available(args.models.split(","))
    kwargs = dict(models=models, datasets=args.datasets.split(","), n_windows=args.n_windows)
    print(f"# machine: {os.cpu_count()} CPU cores, Python {platform.python_version()}")
    print(f"# benchmark: models {','.join(models)} on {args.datasets}, {args.n_windows} windows, "
          f"best of {args.repeat}")

    rows = [_timed("in-process (n_jobs=1)", 1, kwargs, args.repeat)]
    rows.append(_timed("joblib loky (n_jobs=2)", 2, kwargs, args.repeat, n_jobs=2))
    for n in range(1, args.max_workers + 1):
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            rows.append(_timed("dask LocalCluster", n, kwargs, args.repeat, dask=client))

    ref = rows[0]["result"].drop(columns=["fit_seconds", "predict_seconds"])
    base = next(r for r in rows if r["executor"] == "dask LocalCluster" and r["workers"] == 1)["cells_per_s"]
    print()
    print("| executor | workers | cells | failed | seconds | cells/s | vs 1 Dask worker | same numbers |")
    print("|:--|--:|--:|--:|--:|--:|--:|:--|")
    for r in rows:
        same = r["result"].drop(columns=["fit_seconds", "predict_seconds"]).equals(ref)
        print(f"| {r['executor']} | {r['workers']} | {r['cells']} | {r['failed']} | {r['seconds']:.1f} | "
              f"{r['cells_per_s']:.2f} | {r['cells_per_s'] / base:.2f}x | {'yes' if same else 'NO'} |")


if __name__ == "__main__":
    main()

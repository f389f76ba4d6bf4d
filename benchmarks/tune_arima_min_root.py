"""Choose ARIMAForecaster's ``min_root`` on a validation holdout of M4 Weekly.

Each value of ``--min-roots`` runs ``ARIMAForecaster(order="auto", min_root=r)`` on every M4
Weekly series. By default (``--validation``, on) the holdout is the last 13 weeks of each
*training* series, so the M4 test values are never read while choosing; ``--test`` scores the
official test holdout instead (to report a choice already made). OWA is relative to Naive2 on
the same holdout; times are CPU seconds of fit + predict (see ``bench_auto_models.py``).

Run from the project root:

    .venv/bin/python benchmarks/tune_arima_min_root.py --min-roots 1.01,1.003,1.001,1.0001
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import sys  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_auto_models as bench  # noqa: E402

from tsforecast import ARIMAForecaster  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--min-roots", default="1.01,1.003", help="comma-separated min_root values")
    p.add_argument("--test", action="store_true", help="score the M4 test holdout instead of the validation one")
    p.add_argument("--m4-path", default=bench.DEFAULT_M4)
    p.add_argument("--n-series", type=int, default=None, help="first N weekly series (default all 359)")
    args = p.parse_args(argv)
    roots = [float(r) for r in args.min_roots.split(",") if r]
    names = [f"min_root={r:g}" for r in roots]
    runners = {"naive2": bench.make_runner("naive2")}
    for name, r in zip(names, roots):
        runners[name] = (lambda r: lambda y, h, m: ARIMAForecaster(order="auto", seasonal_periods=m, min_root=r)
                         .fit(y).predict(h))(r)
        bench.LABELS[name] = f"tsforecast ARIMA auto, {name}"
    series = bench.m4_weekly(args.m4_path, args.n_series, validation=not args.test)
    rows = bench.run_group(series, ["naive2", *names], runners)
    title = f"M4 Weekly, {'test' if args.test else 'validation (last 13 training weeks)'} holdout"
    print(bench.table(title, bench.summarise(rows, ["naive2", *names])))
    print(f"\ncommand: {' '.join([os.path.basename(sys.executable), *sys.argv])}")


if __name__ == "__main__":
    main()

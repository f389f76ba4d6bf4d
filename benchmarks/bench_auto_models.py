"""Auto ARIMA / auto Holt-Winters vs pmdarima and statsforecast: time and accuracy per series.

For every series, every method forecasts the same holdout from the same
training data, one method after the other (so they share the machine's load
conditions), and we record the CPU seconds of the process (``time.process_time``,
the primary measure: other processes on a shared machine inflate wall time
but not it) and the wall seconds of fit + predict.

Methods (``--methods``):

* ``arima``: ``ARIMAForecaster(order="auto")`` (stepwise, AICc, default
  ``approximation="auto"``);
* ``arima_exact``: the same with ``approximation=False`` (exact ML for every candidate);
* ``hw``: ``HoltWintersForecaster()`` (error, trend, damping, season by AICc);
* ``theta``: ``ThetaForecaster()``;
* ``pmdarima``: ``pmdarima.auto_arima`` (stepwise, AICc, same maximum orders
  ``max_p=5, max_q=5, max_P=2, max_Q=2, max_d=2, max_D=1``; its defaults
  otherwise: KPSS for d, OCSB for D);
* ``sf_arima`` / ``sf_ets``: statsforecast ``AutoARIMA`` / ``AutoETS``;
* ``naive2``: M4's Naive2, the reference of OWA.

statsforecast compiles its models with numba on first use: each statsforecast
model is run once on a synthetic series before timing (reported separately as
"numba warm-up"), so per-series times exclude compilation.

All methods run with one BLAS thread (``OPENBLAS_NUM_THREADS=1`` etc. are set
before NumPy loads unless already set): the Kalman filters work on tiny
matrices where a multi-threaded BLAS is many times slower, and this way no
method is penalised for it (tsforecast's ARIMA limits BLAS to one thread
itself anyway).

Data: the bundled seasonal datasets (``--datasets``, default airline and elnino
(monthly, m=12) and the 12 quarterly macrodata series (m=4); holdout = last two
seasons, models use the dataset's season length, MASE scale m = season length) and M4 Weekly from ``--m4-path`` (default ../shared/data/m4
beside the project; h=13; season length 1 for the models and for the MASE
scale, as in M4's rules for weekly data). ``--n-series N`` takes the first N
weekly series (deterministic); ``--max-seconds`` stops starting new weekly
series once the run has lasted that long.

Run from the project root:

    .venv/bin/python benchmarks/bench_auto_models.py --n-series 40 --max-seconds 600
    .venv/bin/python benchmarks/bench_auto_models.py --datasets airline --n-series 0
    .venv/bin/python benchmarks/bench_auto_models.py --origins 3 --n-series 100 \\
        --m4-methods naive2,arima,hw,sf_arima,sf_ets      # pmdarima on the bundled series only

Each table also gives every method's total CPU time relative to its statsforecast counterpart
(AutoARIMA for the ARIMAs, AutoETS for Holt-Winters).
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

from tsforecast.benchmark import make_model  # noqa: E402
from tsforecast.datasets import dataset_info, load_dataset, load_m4  # noqa: E402
from tsforecast.metrics import mase, owa, smape  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_M4 = os.path.join(HERE, "..", "..", "shared", "data", "m4")
ALL_METHODS = ["naive2", "arima", "arima_exact", "hw", "theta", "pmdarima", "sf_arima", "sf_ets"]
DEFAULT_METHODS = ["naive2", "arima", "hw", "theta", "pmdarima", "sf_arima", "sf_ets"]
LABELS = {
    "naive2": "Naive2 (tsforecast)",
    "arima": "tsforecast ARIMA auto",
    "arima_exact": "tsforecast ARIMA auto, exact search",
    "hw": "tsforecast Holt-Winters auto",
    "theta": "tsforecast Theta",
    "pmdarima": "pmdarima auto_arima (stepwise)",
    "sf_arima": "statsforecast AutoARIMA",
    "sf_ets": "statsforecast AutoETS",
}
# the statsforecast model each method's CPU time is compared with (total CPU of the group)
SF_COUNTERPART = {"arima": "sf_arima", "arima_exact": "sf_arima", "pmdarima": "sf_arima", "hw": "sf_ets"}
MAX_ORDERS = dict(max_p=5, max_q=5, max_P=2, max_Q=2, max_d=2, max_D=1)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--datasets", default="airline,elnino,macrodata", help="comma-separated bundled datasets ('' for none)")
    p.add_argument("--m4-path", default=DEFAULT_M4, help="folder with Weekly-train.csv / Weekly-test.csv")
    p.add_argument("--n-series", type=int, default=None, help="first N M4 Weekly series (default all 359; 0 = none)")
    p.add_argument("--max-seconds", type=float, default=None, help="start no new M4 series after this many seconds")
    p.add_argument("--methods", default=",".join(DEFAULT_METHODS), help=f"comma-separated, from {ALL_METHODS}")
    p.add_argument("--m4-methods", default=None,
                   help="methods for the M4 Weekly group (default: --methods), e.g. without the slow pmdarima")
    p.add_argument("--origins", type=int, default=1,
                   help="forecast origins per bundled series, h steps apart (default 1: the last h values only)")
    p.add_argument("--json", default=None, help="also write per-series results to this JSON file")
    p.add_argument("--verbose", action="store_true", help="print one line per series")
    p.add_argument("--validation", action="store_true",
                   help="for tuning: forecast the last h values of each training series from the values before "
                        "them (the test values are not read)")
    return p.parse_args(argv)


# ----------------------------------------------------------------- methods
def make_runner(name):
    """A function (y, h, m) -> forecast array for the method ``name``."""
    registry = {"naive2": "naive2", "arima": "arima", "arima_exact": "arima", "hw": "holtwinters", "theta": "theta"}
    if name in registry:  # the benchmark registry's models (arima: order="auto", seasonal_periods=m)
        params = {"approximation": False} if name == "arima_exact" else {}

        def run(y, h, m):
            return make_model(registry[name], season_length=m, horizon=h).set_params(**params).fit(y).predict(h)

        return run
    if name == "pmdarima":
        import pmdarima as pm

        def run(y, h, m):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = pm.auto_arima(
                    y, m=m, seasonal=m > 1, stepwise=True, information_criterion="aicc",
                    suppress_warnings=True, error_action="ignore", **MAX_ORDERS,
                )
                return np.asarray(model.predict(h), float)

        return run
    if name in ("sf_arima", "sf_ets"):
        from statsforecast.models import AutoARIMA, AutoETS

        def run(y, h, m):
            model = AutoARIMA(season_length=m, **MAX_ORDERS) if name == "sf_arima" else AutoETS(season_length=m)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return np.asarray(model.forecast(y=np.asarray(y, float), h=h)["mean"], float)

        return run
    raise SystemExit(f"unknown method {name!r}; choose from {ALL_METHODS}")


def warm_up(name, run):
    """Run statsforecast once on small synthetic series (numba compilation); return seconds."""
    if not name.startswith("sf_"):
        return 0.0
    rng = np.random.default_rng(0)
    t = time.perf_counter()
    for m in (1, 12):
        y = 100 + 10 * np.sin(np.arange(60) * 2 * np.pi / 12) + np.cumsum(rng.normal(size=60))
        run(y, 6, m)
    return time.perf_counter() - t


# ------------------------------------------------------------------ series
def bundled_series(names, validation=False, origins=1):
    """(id, train, test, m, m_mase) per bundled series and forecast origin.

    With ``origins=K`` each series is forecast from K origins, h steps apart (non-overlapping test
    windows: the last h values, the h before them, ...), so that one series cannot decide the group.
    """
    out = []
    for name in names:
        data = load_dataset(name)
        m = dataset_info(name)["season_length"]
        h = 2 * m if m > 1 else 10
        cols = data.items() if hasattr(data, "columns") else [(name, data)]  # macrodata: one series per column
        for col, y in cols:
            v = y.to_numpy(float)
            if validation:  # the holdout is the h values before the test holdout
                v = v[:-h]
            sid = col if col == name else f"{name}.{col}"
            for k in range(origins):
                w = v[: v.size - k * h] if k else v
                out.append((sid if origins == 1 else f"{sid}@-{k * h}", w[:-h], w[-h:], m, m))
    return out


def m4_weekly(path, n_series, validation=False):
    if validation:  # the holdout is the last h=13 training weeks; test values are not read
        train = load_m4("Weekly", path, split="train")
        test = {sid: y.iloc[-13:] for sid, y in train.items()}
        train = {sid: y.iloc[:-13] for sid, y in train.items()}
    else:
        train, test = load_m4("Weekly", path, split="both")
    ids = list(train)
    if n_series is not None:
        ids = ids[:n_series]
    # models and MASE use m = 1 for weekly data (M4 rules)
    return [(sid, train[sid].to_numpy(float), test[sid].to_numpy(float), 1, 1) for sid in ids]


def run_group(series, methods, runners, deadline=None, verbose=False):
    rows = []
    for sid, ytr, yte, m, m_mase in series:
        if deadline is not None and time.perf_counter() > deadline:
            break
        row = {"series": sid, "n": int(ytr.size), "h": int(yte.size), "m": m, "methods": {}}
        naive2 = None
        for name in methods:
            c0, w0 = time.process_time(), time.perf_counter()
            err = None
            try:
                pred = np.asarray(runners[name](ytr, yte.size, m), float)
                if pred.shape != yte.shape or not np.all(np.isfinite(pred)):
                    raise ValueError(f"bad forecast shape/values {pred.shape}")
            except Exception as exc:  # a failing method falls back to Naive2 and is counted
                err = f"{type(exc).__name__}: {exc}"
                pred = None
            cpu, wall = time.process_time() - c0, time.perf_counter() - w0
            if name == "naive2":
                naive2 = pred
            if pred is None:
                pred = naive2 if naive2 is not None else np.repeat(ytr[-1], yte.size)
            row["methods"][name] = {
                "cpu": cpu,
                "wall": wall,
                "smape": smape(yte, pred),
                "mase": mase(yte, pred, y_train=ytr, m=m_mase),
                "error": err,
            }
        rows.append(row)
        if verbose:
            cells = " ".join(
                f"{k}={v['cpu']:.2f}s/{v['smape']:.2f}{'!' if v['error'] else ''}" for k, v in row["methods"].items()
            )
            print(f"  {sid} (n={ytr.size}, m={m}): {cells}", flush=True)
    return rows


def summarise(rows, methods):
    out = {}
    for name in methods:
        cells = [r["methods"][name] for r in rows]
        cpu = np.array([c["cpu"] for c in cells])
        out[name] = {
            "series": len(cells),
            "median_cpu": float(np.median(cpu)),
            "total_cpu": float(cpu.sum()),
            "median_wall": float(np.median([c["wall"] for c in cells])),
            "total_wall": float(np.sum([c["wall"] for c in cells])),
            "smape": float(np.mean([c["smape"] for c in cells])),
            "mase": float(np.mean([c["mase"] for c in cells])),
            "failed": int(sum(c["error"] is not None for c in cells)),
        }
    if "naive2" in out:
        s2, m2 = out["naive2"]["smape"], out["naive2"]["mase"]
        for v in out.values():
            v["owa"] = owa(v["smape"], v["mase"], s2, m2) if s2 > 0 and m2 > 0 else float("nan")
    ref = out.get("pmdarima", {}).get("total_cpu")
    for name, v in out.items():
        v["vs_pmdarima"] = v["total_cpu"] / ref if ref else float("nan")
        sf = out.get(SF_COUNTERPART.get(name), {}).get("total_cpu")
        v["vs_statsforecast"] = v["total_cpu"] / sf if sf else float("nan")
    return out


def table(title, summary):
    lines = [
        f"**{title}**",
        "",
        "| method | series | median CPU s/series | total CPU s | median wall s/series | sMAPE | MASE | OWA "
        "| CPU time vs pmdarima | CPU time vs statsforecast | failed |",
        "|:--|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name, v in summary.items():
        vs_sf = "-" if np.isnan(v["vs_statsforecast"]) else f"{v['vs_statsforecast']:.2f}x"
        lines.append(
            f"| {LABELS[name]} | {v['series']} | {v['median_cpu']:.3f} | {v['total_cpu']:.1f} | {v['median_wall']:.3f} | "
            f"{v['smape']:.3f} | {v['mase']:.3f} | {v.get('owa', float('nan')):.3f} | {v['vs_pmdarima']:.2f}x | "
            f"{vs_sf} | {v['failed']} |"
        )
    return "\n".join(lines)


def main(argv=None):
    args = parse_args(argv)
    methods = [m for m in args.methods.split(",") if m]
    if "naive2" not in methods:
        methods.insert(0, "naive2")
    m4_methods = methods if args.m4_methods is None else [m for m in args.m4_methods.split(",") if m]
    if "naive2" not in m4_methods:
        m4_methods.insert(0, "naive2")
    runners = {name: make_runner(name) for name in dict.fromkeys(methods + m4_methods)}
    warm = {name: warm_up(name, runners[name]) for name in runners}
    t0 = time.perf_counter()
    deadline = None if args.max_seconds is None else t0 + args.max_seconds
    groups = []
    names = [d for d in args.datasets.split(",") if d]
    if names:
        print(f"bundled datasets: {names}", flush=True)
        title = "Bundled seasonal datasets" + (f", {args.origins} origins each" if args.origins > 1 else "")
        rows = run_group(bundled_series(names, args.validation, args.origins), methods, runners, None, args.verbose)
        groups.append((title, rows, methods))
    if args.n_series != 0:
        if not os.path.exists(os.path.join(args.m4_path, "Weekly-train.csv")):
            print(f"M4 Weekly not found in {args.m4_path}; skipped", file=sys.stderr)
        else:
            series = m4_weekly(args.m4_path, args.n_series, args.validation)
            print(f"M4 Weekly: up to {len(series)} series", flush=True)
            rows = run_group(series, m4_methods, runners, deadline, args.verbose)
            groups.append((f"M4 Weekly, first {len(rows)} series (h=13, m=1)", rows, m4_methods))
    elapsed = time.perf_counter() - t0
    print()
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, load average at end "
          f"{os.getloadavg()[0]:.1f}; run took {elapsed:.0f} s wall")
    sf_warm = {k: round(v, 1) for k, v in warm.items() if k.startswith("sf_")}
    if sf_warm:
        print(f"statsforecast numba warm-up (compilation, excluded from the per-series times), seconds: {sf_warm}")
    print()
    result = {}
    for title, rows, group_methods in groups:
        summary = summarise(rows, group_methods)
        print(table(title, summary))
        print()
        result[title] = {"summary": summary, "rows": rows}
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"warm_up": warm, "groups": result}, fh, indent=1)
    return result


if __name__ == "__main__":
    main()

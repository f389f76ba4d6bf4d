"""The ``tsforecast`` command line: model-comparison benchmarks and dataset listings.

Examples::

    tsforecast benchmark --output bench-output            # the default comparison
    tsforecast benchmark --models naive2,theta,arima --datasets airline,sunspots \\
        --horizon 12 --n-windows 4 --output out --n-jobs 2 --time-limit 120
    tsforecast benchmark --config bench.toml --resume
    tsforecast datasets
    tsforecast models
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

__all__ = ["main", "build_parser", "DEFAULTS"]

#: the default comparison: runs in a few minutes on two cores
DEFAULTS = {
    "models": ["naive2", "snaive", "theta", "arima", "holtwinters", "lstm"],
    "datasets": ["airline", "nile"],
    "horizon": None,
    "n_windows": 3,
    "step": None,
    "metrics": ["smape", "mase", "owa"],
    "output": "bench-output",
    "resume": False,
    "n_jobs": 1,
    "time_limit": None,
    "scheduler": None,
    "plots": True,
}

_CONFIG_KEYS = set(DEFAULTS) | {"season_length"}

_BENCH_EPILOG = """\
Model names: naive, snaive, naive2, drift, theta, arima, holtwinters, lstm (see
`tsforecast models`), or 'package.module:ClassName' for your own forecaster.
Datasets: bundled names (see `tsforecast datasets`) or CSV files (first column
the time index, one column per series).

Output folder:
  results.csv      one row per (dataset, series, model, fold), written as cells finish
  leaderboard.csv  mean sMAPE/MASE/OWA, mean rank, total fit time, failures per model
  leaderboard.md   the same as a Markdown table
  leaderboard.png, accuracy_vs_time.png, forecasts_<dataset>.png   plots
  forecasts.csv    every forecast, one row per cell and step (unique_id, ds, y_true, y_pred,
                   lower/upper: 90% intervals of each dataset's first series, last fold)
  run.json         the run's settings and models (checked by --resume)

Config file (TOML; command-line options win):
  [benchmark]
  models = ["naive2", "theta", "arima111"]
  datasets = ["airline", "data/sales.csv"]
  horizon = 12
  n_windows = 4
  [models.arima111]                       # a configured model
  class = "tsforecast:ARIMAForecaster"
  params = { order = [1, 1, 1], seasonal_periods = "$m" }   # "$m" season length, "$h" horizon
"""


def build_parser():
    """The argument parser of the ``tsforecast`` command."""
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="tsforecast",
        description="Time-series forecasting toolkit: compare forecasting models on bundled or your own data.",
        epilog="Run `tsforecast COMMAND --help` for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"tsforecast {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    bench = sub.add_parser(
        "benchmark",
        help="compare forecasting models with rolling-origin evaluation",
        description=(
            "Compare forecasting models on several datasets with rolling-origin evaluation:\n"
            "every model is fitted and scored on the same folds of every series (sMAPE,\n"
            "MASE, OWA relative to Naive2). Results are written as they are produced, so an\n"
            "interrupted run can be continued with --resume. Without options it runs the\n"
            f"default comparison: models {','.join(DEFAULTS['models'])}\n"
            f"on datasets {','.join(DEFAULTS['datasets'])}."
        ),
        epilog=_BENCH_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bench.add_argument("--models", metavar="M1,M2", help=f"comma-separated models (default: {','.join(DEFAULTS['models'])})")
    bench.add_argument("--datasets", metavar="D1,D2",
                       help=f"comma-separated dataset names or CSV files (default: {','.join(DEFAULTS['datasets'])})")
    bench.add_argument("--horizon", type=int, metavar="H",
                       help="steps to forecast (default: per dataset, the M4 horizon of its frequency: "
                            "yearly 6, quarterly 8, monthly 18, weekly 13, daily 14, hourly 48)")
    bench.add_argument("--n-windows", type=int, metavar="N", help=f"forecast origins per series (default: {DEFAULTS['n_windows']})")
    bench.add_argument("--step", type=int, metavar="S", help="points between origins (default: the horizon)")
    bench.add_argument("--metrics", metavar="M1,M2", help="metrics: smape,mase,owa,mae,rmse,mape (default: smape,mase,owa)")
    bench.add_argument("--season-length", type=int, metavar="M",
                       help="season length of CSV datasets (default: from the time index frequency)")
    bench.add_argument("--output", "-o", metavar="DIR", help=f"output folder (default: {DEFAULTS['output']})")
    bench.add_argument("--resume", action="store_true", default=None,
                       help="continue the run in --output: skip finished cells, never duplicate rows")
    bench.add_argument("--n-jobs", type=int, metavar="J", help="parallel worker processes (-1: all cores; default: 1)")
    bench.add_argument("--time-limit", type=float, metavar="S",
                       help="seconds allowed per fit; slower fits are abandoned and recorded as failed")
    bench.add_argument("--scheduler", metavar="ADDR",
                       help="run the cells on a Dask distributed cluster, e.g. tcp://host:8786")
    bench.add_argument("--config", metavar="FILE", help="TOML file with a [benchmark] table (see below)")
    bench.add_argument("--no-plots", dest="plots", action="store_false", default=None, help="do not draw PNG plots")
    bench.add_argument("--quiet", "-q", action="store_true", help="no progress bar")

    sub.add_parser("datasets", help="list the bundled datasets",
                   description="List the datasets `tsforecast benchmark --datasets` knows by name.")
    sub.add_parser("models", help="list the benchmark's model names",
                   description="List the model names `tsforecast benchmark --models` accepts.")
    return parser


# --------------------------------------------------------------------- config
def _load_toml(path):
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            raise SystemExit(
                "error: reading --config needs Python 3.11+ (tomllib) or the 'tomli' package: pip install tomli"
            ) from None
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise SystemExit(f"error: config file {path} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise SystemExit(f"error: config file {path} is not valid TOML: {exc}") from None


def _split(value):
    if value is None:
        return None
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]


def _substitute(value, m, h):
    if isinstance(value, str) and value in ("$m", "$season_length"):
        return m
    if isinstance(value, str) and value in ("$h", "$horizon"):
        return h
    if isinstance(value, list):
        return [_substitute(v, m, h) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, m, h) for k, v in value.items()}
    return value


def _configured_model(name, spec):
    """A factory for a ``[models.NAME]`` table: ``class`` (import path) and ``params``."""
    from .benchmark import import_model

    if not isinstance(spec, dict) or "class" not in spec:
        raise SystemExit(f"error: [models.{name}] needs class = 'package.module:ClassName' and optional params")
    unknown = set(spec) - {"class", "params"}
    if unknown:
        raise SystemExit(f"error: [models.{name}] has unknown key(s) {sorted(unknown)}; use class and params")
    try:
        cls = import_model(spec["class"])  # "tsforecast:ARIMAForecaster" or "tsforecast.ARIMAForecaster"
    except ValueError as exc:
        raise SystemExit(f"error: [models.{name}]: {exc}") from None
    params = spec.get("params", {})

    def factory(season_length, horizon):
        return cls(**_substitute(params, season_length, horizon))

    return factory


def _settings(args):
    settings = dict(DEFAULTS)
    config_models = {}
    if args.config:
        doc = _load_toml(args.config)
        unknown_tables = set(doc) - {"benchmark", "models"}
        if unknown_tables:
            raise SystemExit(f"error: {args.config}: unknown table(s) {sorted(unknown_tables)}; use [benchmark] and [models.NAME]")
        table = doc.get("benchmark", {})
        unknown = set(table) - _CONFIG_KEYS
        if unknown:
            raise SystemExit(f"error: {args.config}: unknown key(s) {sorted(unknown)} in [benchmark]; "
                             f"known: {sorted(_CONFIG_KEYS)}")
        settings.update(table)
        config_models = {name: _configured_model(name, spec) for name, spec in doc.get("models", {}).items()}
    for key in ("models", "datasets", "horizon", "n_windows", "step", "metrics", "season_length", "output",
                "resume", "n_jobs", "time_limit", "scheduler", "plots"):
        value = getattr(args, key, None)
        if value is not None:
            settings[key] = value
    for key in ("models", "datasets", "metrics"):
        settings[key] = _split(settings[key])
    models = {name: config_models.get(name, name) for name in settings["models"]}
    settings["models"] = models
    return settings


def _datasets(names):
    """Dataset names and CSV files -> the ``datasets`` argument of ``run`` (None: a bundled dataset)."""
    out = {}
    for name in names:
        if name.lower().endswith(".csv"):
            out[os.path.splitext(os.path.basename(name))[0]] = _read_csv_dataset(name)
        else:
            out[name] = None
    return out


def _read_csv_dataset(path):
    import pandas as pd

    from .utils._series import infer_offset

    if not os.path.exists(path):
        raise SystemExit(f"error: dataset file {path} not found")
    df = pd.read_csv(path, index_col=0)
    if df.shape[1] == 0:
        raise SystemExit(f"error: {path} has no series columns (the first column is the time index)")
    if pd.api.types.is_numeric_dtype(df.index):  # positions (or years): not nanoseconds since 1970
        return df.reset_index(drop=True)
    try:
        idx = pd.DatetimeIndex(pd.to_datetime(df.index))
        freq = infer_offset(idx) if len(idx) >= 3 else None
        if freq is not None:
            df.index = pd.DatetimeIndex(idx, freq=freq)
        else:
            df = df.reset_index(drop=True)
    except (ValueError, TypeError):
        df = df.reset_index(drop=True)
    return df


# -------------------------------------------------------------------- commands
def _cmd_datasets():
    from .datasets import list_datasets

    print(list_datasets().to_string())
    return 0


def _cmd_models():
    from .benchmark import list_models

    models = list_models()
    width = max(map(len, models))
    for name, desc in models.items():
        print(f"{name.ljust(width)}  {desc}")
    return 0


def _cmd_benchmark(args):
    from .benchmark import leaderboard, run, to_markdown

    s = _settings(args)
    datasets = _datasets(s["datasets"])
    if s.get("season_length") is not None:  # applies to the CSV datasets; bundled ones know theirs
        s["season_length"] = {k: s["season_length"] for k, v in datasets.items() if v is not None}
    out = s["output"]
    kwargs = dict(horizon=s["horizon"], n_windows=s["n_windows"], step=s["step"], metrics=s["metrics"],
                  n_jobs=s["n_jobs"], results=out, resume=bool(s["resume"]), time_limit=s["time_limit"],
                  dask=s["scheduler"], progress=not args.quiet, season_length=s.get("season_length"))
    print(f"benchmark: models {', '.join(s['models'])} on datasets {', '.join(s['datasets'])}; "
          f"output in {out}", file=sys.stderr)
    results = run(s["models"], datasets, **kwargs)
    board = leaderboard(results)
    files = ["results.csv", "forecasts.csv", "run.json", "leaderboard.csv", "leaderboard.md"]
    if s["plots"]:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            print("matplotlib is not installed: no plots (pip install 'tsforecast[plot]')", file=sys.stderr)
        else:
            files += _plots(results, board, datasets, out, s)
    cols = [c for c in ("dataset", "model", "smape", "mase", "owa", "mean_rank", "fit_seconds", "n_cells", "n_failed")
            if c in board.columns]
    print(to_markdown(board[cols]))
    print(f"wrote {', '.join(files)} to {out}")
    return 0


def _plots(results, board, datasets, out, s):
    """Leaderboard, accuracy-vs-time and example-forecast PNGs; returns the file names."""
    from .plotting import figure, plot_accuracy_vs_time, plot_leaderboard

    metric = "owa" if "owa" in board.columns else s["metrics"][0]
    fig, ax = figure(figsize=(8, 1.5 + 0.3 * len(board)))
    plot_leaderboard(board, metric=metric, ax=ax)
    ax.set_title(f"Benchmark leaderboard: {metric} by model and dataset")
    fig.savefig(os.path.join(out, "leaderboard.png"), dpi=110)

    fig, ax = figure(figsize=(6.5, 4.5))
    plot_accuracy_vs_time(board, metric=metric, ax=ax)
    ax.set_title("Accuracy vs fitting time (all datasets)")
    fig.savefig(os.path.join(out, "accuracy_vs_time.png"), dpi=110)
    return ["leaderboard.png", "accuracy_vs_time.png"] + _plot_forecasts(results, datasets, out, s)


def _plot_forecasts(results, datasets, out, s):
    """One figure per dataset: each model's forecast of the first series on the last fold."""
    import numpy as np
    import pandas as pd

    from .benchmark import load_forecasts, resolve_datasets
    from .plotting import figure, plot_forecast

    path = os.path.join(out, "forecasts.csv")
    if not os.path.exists(path):
        return []
    fc = load_forecasts(path)
    written = []
    for d in resolve_datasets(datasets, horizon=s["horizon"], step=s["step"], season_length=s.get("season_length")):
        sname = next(iter(d.series))  # the series whose last fold keeps its intervals
        fold = fc.loc[(fc["dataset"] == d.name) & (fc["unique_id"] == sname), "fold"].max()
        part = fc[(fc["dataset"] == d.name) & (fc["unique_id"] == sname) & (fc["fold"] == fold)
                  & fc["model"].isin(list(s["models"]))]
        if part.empty:
            continue
        y = d.series[sname]
        cut = len(y) - d.horizon  # the last fold ends at the end of the series
        models = [m for m in s["models"] if m in set(part["model"])]
        ncols = min(3, len(models))
        nrows = -(-len(models) // ncols)
        fig, axes = figure(nrows, ncols, figsize=(4.6 * ncols, 3.2 * nrows), sharey=True, squeeze=False)
        axes = list(axes.flat)
        for ax, model in zip(axes, models):
            rec = part[part["model"] == model].sort_values("step")
            row = results[(results["dataset"] == d.name) & (results["series"] == sname)
                          & (results["model"] == model) & (results["fold"] == fold)]
            title = model
            if len(row) and "smape" in row and row["status"].iloc[0] == "ok":
                title += f"  (sMAPE {row['smape'].iloc[0]:.1f})"
            bounds = rec[["lower", "upper"]].to_numpy(float)
            interval = None if np.isnan(bounds).any() else (bounds[:, 0], bounds[:, 1])
            forecast = pd.Series(rec["y_pred"].to_numpy(float), index=y.index[cut:])
            plot_forecast(y.iloc[:cut], forecast, interval, ax=ax, actual=y.iloc[cut:],
                          last=max(3 * d.horizon, 2 * d.season_length), title=title)
            ax.tick_params(axis="x", labelrotation=30, labelsize="small")
        for ax in axes[len(models):]:
            ax.set_visible(False)
        fig.suptitle(f"{d.name}: series {sname!r}, last fold, 90% intervals")
        name = f"forecasts_{d.name}.png"
        fig.savefig(os.path.join(out, name), dpi=100)
        written.append(name)
    return written


def main(argv=None):
    """Entry point of the ``tsforecast`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    if args.command is None:
        parser.print_help()
        return 0
    from .benchmark._executors import NoWorkerError

    try:
        if args.command == "datasets":
            return _cmd_datasets()
        if args.command == "models":
            return _cmd_models()
        return _cmd_benchmark(args)
    except (ValueError, TypeError, ImportError, OSError, NoWorkerError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted; finished cells are saved: continue with --resume", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""The model-comparison benchmark runner: rolling-origin evaluation of many models on many series.

:func:`run` plans the cells (:mod:`._plan`: one per dataset, series, model
and fold, every model on the same folds), hands them to an executor
(:mod:`._executors`: this process, joblib worker processes or a Dask
cluster), and scores each result as it comes back (:mod:`._scoring`). A
cell copies the model, fits it on the training part of the fold (within
the time limit, see :mod:`._cell`), forecasts ``horizon`` steps and is
scored against the held-out values; Naive2 is fitted by the runner itself
on every fold as the reference of OWA.

Whatever the executor, results come back to this process, which appends
each cell's forecasts to ``forecasts.csv`` (:mod:`._forecasts`) and then
its line to ``results.csv`` as it completes (see :mod:`._store` for the
crash-safety rules), so a run killed at any moment can be resumed without
losing or repeating a cell; ``run.json`` (:mod:`._config`) holds the
settings a resumed run must match.
"""

from __future__ import annotations

import logging
import os

import pandas as pd

from ._config import run_config, write_run_config
from ._data import resolve_datasets
from ._executors import dask_results, local_results
from ._forecasts import FORECAST_COLUMNS, forecast_records
from ._leaderboard import KEY, leaderboard, to_markdown, typed_results
from ._plan import check_executor, check_metrics, check_models, check_positive_int, plan, result_columns
from ._progress import Progress
from ._scoring import naive2_reference, score_cell
from ._store import CSVStore, atomic_write_text

__all__ = ["run"]

logger = logging.getLogger("tsforecast.benchmark")


def _open_results(folder, config, columns, resume):
    """Check/write ``run.json``, open the result stores and read the finished cells back."""
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise ValueError(f"results must be a folder (results.csv and the leaderboard go into it); {folder} is a file.")
    os.makedirs(folder, exist_ok=True)
    write_run_config(os.path.join(folder, "run.json"), config, resume)
    store = CSVStore(os.path.join(folder, "results.csv"), columns, resume=resume)  # drops a torn last line
    fstore = CSVStore(os.path.join(folder, "forecasts.csv"), FORECAST_COLUMNS, resume=resume, keep_records=False)
    done = pd.DataFrame(store.records, columns=columns)
    if len(done):
        done = typed_results(done).drop_duplicates(KEY, keep="last")
    return store, fstore, done


def run(
    models,
    datasets,
    horizon=None,
    n_windows=3,
    step=None,
    metrics=("smape", "mase", "owa"),
    n_jobs=1,
    results=None,
    resume=False,
    time_limit=None,
    dask=None,
    progress=False,
    season_length=None,
):
    """Compare forecasting models on many series with rolling-origin evaluation.

    For each series, ``n_windows`` forecast origins ``step`` points apart
    are chosen so that the last test window ends at the end of the series;
    the folds are computed once, so every model sees exactly the same
    folds. Each (dataset, series, model, fold) cell copies the model, fits
    it on the training part, forecasts ``horizon`` steps and scores them.
    A model that raises, returns NaN/inf, or exceeds ``time_limit`` on one
    cell is recorded as ``"failed"`` with the error text, and the run goes
    on.

    Parameters
    ----------
    models : dict of str to model, or list of str
        Name -> forecaster (any object with ``fit(y)``/``predict(fh)``, such
        as a ``GridSearchCV`` over a forecaster), registry name
        (:func:`list_models`; configured per dataset from its season length
        and the horizon), import path ``"package.module:Name"`` or factory
        ``f(season_length, horizon)``. A list of registry names uses the
        names as labels. Every parameter named ``horizon`` (also nested,
        like ``estimator__horizon``) is set to the benchmark's horizon.
    datasets : str, list of str or dict of str to data
        Names of bundled datasets (:func:`tsforecast.datasets.list_datasets`)
        or name -> Series / DataFrame (one series per column) / dict of
        Series / 1-D array.
    horizon : int, dict of dataset to int, or None
        Forecast horizon; default: the M4 horizon of the dataset's
        frequency (yearly 6, quarterly 8, monthly 18, weekly 13, daily 14,
        hourly 48).
    n_windows : int, default=3
        Forecast origins (folds) per series.
    step : int, dict or None
        Points between origins; default ``horizon`` (non-overlapping tests).
    metrics : sequence of str, default=("smape", "mase", "owa")
        Any of ``mae``, ``rmse``, ``mape``, ``smape``, ``mase`` (scaled
        with the dataset's season length) and ``owa`` (relative to Naive2
        fitted by the runner on the same fold; implies ``smape`` and
        ``mase``, and adds the ``naive2_smape``/``naive2_mase`` columns).
    n_jobs : int, default=1
        Parallel joblib worker processes for the cells (-1: all cores).
    results : path-like, optional
        Folder for ``results.csv`` (one line per cell, appended as cells
        finish), ``forecasts.csv`` (every forecast in long format, one row
        per cell and step: ``unique_id``, ``ds``, ``y_true``, ``y_pred``,
        and the 90% interval of the first series of each dataset on its
        last fold, for plots; read it with :func:`load_forecasts`),
        ``run.json`` (the settings, models by registry name or class and
        parameters) and, at the end, ``leaderboard.csv``/``.md``.
    resume : bool, default=False
        Keep the cells already in ``results`` and run only the missing
        ones (settings must match; new models or datasets may be added).
        Without it an existing ``results.csv`` is replaced.
    time_limit : float, optional
        Seconds allowed per fit; a fit that takes longer is abandoned and
        its cell recorded as failed (its thread runs on in the background
        until it returns; see :mod:`tsforecast.benchmark._cell`).
    dask : str or distributed.Client, optional
        Run the cells on a Dask distributed cluster: a scheduler address
        (``"tcp://host:8786"``) or a connected ``Client``. ``n_jobs`` is
        then ignored. The cells of a worker that dies are re-run on the
        others (see ``Returns``), and ``time_limit`` applies on the workers
        as it does here.
    progress : bool, default=False
        Draw a progress bar on stderr (on a terminal it also shows how
        long the run has waited for a cell, e.g. during a long LSTM fit).
    season_length : int or dict of dataset to int, optional
        Season length ``m`` (default: the bundled dataset's, else from the
        index frequency: 12 monthly, 4 quarterly, 52 weekly, 7 daily, 24
        hourly, else 1).

    Returns
    -------
    DataFrame
        One row per cell: ``dataset``, ``series``, ``model``, ``fold`` (0 =
        oldest origin), the metrics, ``fit_seconds``,
        ``predict_seconds``, ``status`` (``"ok"``/``"failed"``) and
        ``error``, ordered by dataset, series, model, fold.
        ``attrs["retried"]`` lists the keys ``(dataset, series, model,
        fold)`` of the cells that were run again because the worker
        process running them died (joblib or Dask; see
        :mod:`tsforecast.benchmark._executors`); a warning names them too.
        Each cell is recorded once either way.

    Examples
    --------
    >>> from tsforecast.benchmark import run
    >>> res = run(["naive", "snaive"], "airline", horizon=12, n_windows=2)
    >>> res[["model", "fold", "smape", "owa", "status"]].round(2)
        model  fold  smape   owa status
    0   naive     0  22.59  1.65     ok
    1   naive     1  16.12  2.27     ok
    2  snaive     0  11.76  0.86     ok
    3  snaive     1  10.57  1.46     ok
    """
    metrics = check_metrics(metrics)
    n_windows = check_positive_int(n_windows, "n_windows")
    check_executor(n_jobs, time_limit)
    if resume and results is None:
        raise ValueError("resume=True needs results= (the folder of the run to resume).")
    factories, registry = check_models(models)
    data = resolve_datasets(datasets, horizon=horizon, step=step, season_length=season_length)

    estimators, cells = plan(data, factories, n_windows)
    by_name = {d.name: d for d in data}
    columns = result_columns(metrics)
    store = fstore = None
    done = pd.DataFrame(columns=columns)
    if results is not None:
        folder = os.fspath(results)
        config = run_config(data, estimators, registry, n_windows, metrics)
        store, fstore, done = _open_results(folder, config, columns, resume)
    done_keys = set(zip(done["dataset"], done["series"], done["model"], done["fold"].astype(int)))
    todo = [c for c in cells if c.key not in done_keys]
    if done_keys:
        logger.info("resuming: %d of %d cells already done", len(cells) - len(todo), len(cells))

    jobs = []
    for i, c in enumerate(todo):
        d = by_name[c.dataset]
        y = d.series[c.series]
        jobs.append((i, estimators[c.dataset, c.model], y.iloc[: c.cut], d.horizon, time_limit, c.example))

    refs = {}
    new_rows = []
    bar = Progress(len(cells), done=len(cells) - len(todo), enabled=progress, tick=1.0)
    retried = set()  # positions of the cells the executor ran again after a worker died
    seen = set()
    stream = dask_results(jobs, dask, retried) if dask is not None else local_results(jobs, n_jobs, retried)
    try:
        for i, out in stream:
            if i in seen:  # never record a cell twice, whatever an executor does
                logger.warning("cell %s came back twice; the second result is ignored", _label(todo[i]))
                continue
            seen.add(i)
            c = todo[i]
            d = by_name[c.dataset]
            series = d.series[c.series]
            y = series.to_numpy()
            y_train, y_test = y[: c.cut], y[c.cut: c.cut + d.horizon]
            ref_key = (c.dataset, c.series, c.fold)
            if "owa" in metrics and ref_key not in refs:
                refs[ref_key] = naive2_reference(y_train, y_test, d.season_length)
            row = score_cell(c, out, y_train, y_test, d.season_length, metrics, refs.get(ref_key))
            if fstore is not None and out["forecast"] is not None:
                fstore.append_many(forecast_records(c, series, d.horizon, out))
            if store is not None:
                store.append(row)
            new_rows.append(row)
            bar.update(failed=row["status"] != "ok")
    finally:
        stream.close()  # restores thread limits, cancels pending Dask futures
        bar.close()
        for s in (store, fstore):
            if s is not None:
                s.close()

    table = _collect(done, new_rows, columns, cells)
    table.attrs["retried"] = _report_retried([todo[i] for i in sorted(retried)])
    if results is not None:
        board = leaderboard(table)
        atomic_write_text(os.path.join(folder, "leaderboard.csv"), board.to_csv(index=False))
        atomic_write_text(os.path.join(folder, "leaderboard.md"), to_markdown(board))
    return table


def _label(cell):
    return f"{cell.dataset}/{cell.series}/{cell.model}/fold {cell.fold}"


def _report_retried(cells, show=20):
    """Warn which cells were run again after a worker died; their keys."""
    if cells:
        names = ", ".join(_label(c) for c in cells[:show])
        more = f" and {len(cells) - show} more" if len(cells) > show else ""
        logger.warning("%d cell(s) were started again because the worker process running or holding them "
                       "died or left: %s%s (each is recorded once)", len(cells), names, more)
    return [c.key for c in cells]


def _collect(done, new_rows, columns, cells):
    new = pd.DataFrame(new_rows, columns=columns)
    frames = [f for f in (done, new) if len(f)]
    if not frames:
        return typed_results(pd.DataFrame(columns=columns))
    table = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    table = typed_results(table.astype({c: object for c in ("status", "error")}))
    order = {c.key: i for i, c in enumerate(cells)}
    pos = [order.get(k) for k in zip(table["dataset"], table["series"], table["model"], table["fold"])]
    table = table.assign(_pos=pos).dropna(subset=["_pos"]).sort_values("_pos", kind="mergesort")
    return table.drop(columns="_pos").reset_index(drop=True)

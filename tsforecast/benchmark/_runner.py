"""The model-comparison benchmark runner: rolling-origin evaluation of many models on many series.

Work is split into *cells*, one per (dataset, series, model, fold). The
folds of a series are computed once, before any model is seen, so every
model is evaluated on exactly the same training/test splits. A cell copies
the model, fits it on the training part of the fold, forecasts ``horizon``
steps and is scored against the held-out values; Naive2 is fitted by the
runner itself on every fold as the reference of OWA.

Cells run in this process (``n_jobs=1``), in joblib worker processes
(``n_jobs > 1`` or ``-1``), or on a Dask distributed cluster (``dask=``).
Whatever the executor, results come back to this process, which scores
them and appends one line per cell to ``results.csv`` as they complete (see
:mod:`tsforecast.benchmark._store` for the crash-safety rules), so a run
killed at any moment can be resumed without losing or repeating a cell.
Each cell uses one BLAS/OpenMP thread (the parallelism is across cells):
joblib and Dask worker processes are set up that way, and in-process runs
limit the thread pools with ``threadpoolctl`` while the cells run.

Time limits
-----------
With ``time_limit=S`` each fit runs in a separate daemon thread of the
process executing the cell, and the cell waits at most ``S`` seconds for
it. A fit still running after ``S`` seconds is *abandoned*: the cell is
recorded as failed ("time limit exceeded") and the run moves on, but
Python cannot stop a thread, so the abandoned fit keeps running in the
background, using CPU, until it returns on its own; its result is then
discarded. Being a daemon thread it never keeps the process alive: it ends
when the process ends (the CLI process, a joblib worker when joblib shuts
its pool down, or a Dask worker).

Worker crashes
--------------
A cell can kill the joblib worker process running it (a segmentation
fault in compiled code, the out-of-memory killer, ``os._exit``). joblib
then stops the whole pool and raises ``TerminatedWorkerError``; the cells
whose results had come back are kept (and already written), the others
are unfinished. Each cell leaves a marker file (in a temporary folder)
while it runs, so the runner knows which unfinished cells were running
when the pool broke: it re-runs each of those alone, in a fresh pool, then
the other unfinished cells together. A cell that kills its worker when it
runs alone is recorded as failed ("WorkerDied: ..."); every other cell
runs normally and is recorded once (a cell whose result was lost with the
pool is simply run again). Without markers (e.g. an unwritable temporary
folder) the unfinished cells are halved until the culprit runs alone. A
cell that kills its worker thus costs two pool restarts. In-process runs (``n_jobs=1``) cannot survive a cell
that kills the process itself; Dask retries a cell on another worker and
then records it as failed (``KilledWorker``).
"""

from __future__ import annotations

import json
import logging
import math
import os
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
import pandas as pd

from ..metrics import METRICS, owa
from ._data import _named_items, resolve_datasets
from ._leaderboard import _KEY, _typed, leaderboard, to_markdown
from ._models import copy_model, model_factory
from ._store import CSVStore, atomic_write_text

__all__ = ["run", "load_forecasts", "fit_predict"]

logger = logging.getLogger("tsforecast.benchmark")

_TAIL = ["fit_seconds", "predict_seconds", "status", "error"]
_FORECAST_COLUMNS = _KEY + ["forecast", "lower", "upper"]
_MAX_ERROR = 1000
#: coverage of the prediction intervals stored for the example forecasts
EXAMPLE_COVERAGE = 0.9


class TimeLimitExceeded(Exception):
    """A fit did not finish within the benchmark's time limit."""


# ----------------------------------------------------------------- worker side
def _fit_with_limit(est, y, limit):
    if limit is None:
        est.fit(y)
        return
    box = {}

    def target():
        try:
            est.fit(y)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the waiting thread
            box["exc"] = exc

    worker = threading.Thread(target=target, name="tsforecast-benchmark-fit", daemon=True)
    worker.start()
    worker.join(limit)
    if worker.is_alive():
        raise TimeLimitExceeded(f"fit did not finish within the time limit of {limit:g} s; abandoned")
    if "exc" in box:
        raise box["exc"]


def _outcome(error=""):
    """The result record of one cell before (or without) a forecast."""
    return {"forecast": None, "lower": None, "upper": None, "fit_seconds": math.nan,
            "predict_seconds": math.nan, "error": error}


def _error_text(exc):
    text = f"{type(exc).__name__}: {exc}"
    text = " ".join(text.splitlines())
    return text if len(text) <= _MAX_ERROR else text[: _MAX_ERROR - 3] + "..."


def fit_predict(estimator, y_train, horizon, *, time_limit=None, interval=False, coverage=EXAMPLE_COVERAGE):
    """Evaluate one cell: copy ``estimator``, fit it on ``y_train``, forecast ``horizon`` steps.

    Never raises for a model error: the returned dict has ``error`` set
    instead (an exception, a forecast of the wrong length or with NaN/inf
    values, or the time limit exceeded). Warnings raised inside are not
    shown.

    Parameters
    ----------
    estimator : forecaster
        Any object with ``fit(y)`` and ``predict(fh)``; it is copied first.
    y_train : Series
        The training part of the fold.
    horizon : int
        Steps to forecast.
    time_limit : float, optional
        Seconds allowed for the fit (see the module docstring).
    interval : bool
        Also compute a prediction interval (when the model has
        ``predict_interval``; ``GridSearchCV`` uses its best estimator's).
    coverage : float
        Coverage of that interval.

    Returns
    -------
    dict
        ``forecast`` (list of floats or None), ``lower``/``upper`` (lists or
        None), ``fit_seconds``, ``predict_seconds``, ``error`` ("" when fine).

    Examples
    --------
    >>> from tsforecast import NaiveForecaster
    >>> from tsforecast.benchmark import fit_predict
    >>> out = fit_predict(NaiveForecaster(), [1.0, 2.0, 3.0], 2)
    >>> out["forecast"], out["error"]
    ([3.0, 3.0], '')
    """
    out = _outcome()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            est = copy_model(estimator, horizon)
        except Exception as exc:  # noqa: BLE001 - a model's failure is a result
            out["error"] = _error_text(exc)
            return out
        start = time.perf_counter()
        try:
            _fit_with_limit(est, y_train, time_limit)
        except Exception as exc:  # noqa: BLE001
            out["fit_seconds"] = time.perf_counter() - start
            out["error"] = _error_text(exc)
            return out
        out["fit_seconds"] = time.perf_counter() - start
        start = time.perf_counter()
        try:
            pred = np.asarray(est.predict(horizon), dtype=float).ravel()
        except Exception as exc:  # noqa: BLE001
            out["predict_seconds"] = time.perf_counter() - start
            out["error"] = _error_text(exc)
            return out
        out["predict_seconds"] = time.perf_counter() - start
        if pred.size != horizon:
            out["error"] = f"BadForecast: predict({horizon}) returned {pred.size} values; expected {horizon}"
            return out
        if not np.isfinite(pred).all():
            bad = int(np.flatnonzero(~np.isfinite(pred))[0]) + 1
            out["error"] = f"BadForecast: the forecast contains NaN or infinite values (first at step {bad})"
            return out
        out["forecast"] = pred.tolist()
        if interval:
            target = getattr(est, "best_estimator_", est)
            if hasattr(target, "predict_interval"):
                try:
                    iv = target.predict_interval(horizon, coverage=coverage)
                    lower = np.asarray(iv["lower"], dtype=float).ravel()
                    upper = np.asarray(iv["upper"], dtype=float).ravel()
                    if lower.size == horizon and upper.size == horizon:
                        out["lower"], out["upper"] = lower.tolist(), upper.tolist()
                except Exception:  # noqa: BLE001 - intervals are optional
                    pass
    return out


def _job(i, estimator, y_train, horizon, time_limit, interval, markers=None):
    if markers is None:
        return i, fit_predict(estimator, y_train, horizon, time_limit=time_limit, interval=interval)
    # a file named after the cell exists while it runs: left behind only if the process dies
    mark = os.path.join(markers, str(i))
    try:
        open(mark, "wb").close()
    except OSError:  # best effort: without the marker a crash is located by halving
        pass
    try:
        return i, fit_predict(estimator, y_train, horizon, time_limit=time_limit, interval=interval)
    finally:
        try:
            os.remove(mark)
        except OSError:
            pass


# ------------------------------------------------------------------- executors
def _local_results(jobs, n_jobs):
    if n_jobs in (None, 1) or len(jobs) <= 1:
        from threadpoolctl import threadpool_limits

        # One BLAS/OpenMP thread per cell, as in joblib's and Dask's worker processes: the
        # cells are small fits, and multi-threaded BLAS on them is much slower (oversubscription).
        # The previous limits are restored when the loop ends or the generator is closed.
        with threadpool_limits(limits=1):
            for job in jobs:
                yield _job(*job)
        return
    yield from _parallel_results(jobs, n_jobs)


def _parallel_results(jobs, n_jobs):
    """Run the jobs in joblib worker processes, surviving workers that die (see "Worker crashes" above)."""
    from concurrent.futures import BrokenExecutor  # joblib/loky's TerminatedWorkerError is one

    from joblib import Parallel, delayed

    with tempfile.TemporaryDirectory(prefix="tsforecast-cells-") as markers:
        groups = [list(jobs)]
        while groups:
            group = groups.pop(0)
            pending = {job[0]: job for job in group}
            try:
                parallel = Parallel(n_jobs=n_jobs, return_as="generator_unordered")
                for i, out in parallel(delayed(_job)(*job, markers) for job in group):
                    del pending[i]
                    yield i, out
            except BrokenExecutor as exc:
                lost = [job for job in group if job[0] in pending]  # the cells that did not come back
                running = {job[0] for job in lost if os.path.exists(os.path.join(markers, str(job[0])))}
                for i in running:
                    os.remove(os.path.join(markers, str(i)))
                if len(lost) == 1:  # then it is the one that killed its worker
                    logger.warning("a worker process died running cell %d; it is recorded as failed", lost[0][0])
                    text = ("WorkerDied: the worker process running this cell died (a crash such as a segmentation "
                            "fault, the out-of-memory killer, os._exit or a signal): " + " ".join(str(exc).split()))
                    yield lost[0][0], _outcome(text if len(text) <= _MAX_ERROR else text[: _MAX_ERROR - 3] + "...")
                elif running:  # the culprit is among the cells that were running: each alone, then the rest
                    logger.warning("a worker process died; re-running %d unfinished cells", len(lost))
                    alone = [[job] for job in lost if job[0] in running]
                    rest = [job for job in lost if job[0] not in running]
                    groups[:0] = alone + ([rest] if rest else [])
                else:
                    logger.warning("a worker process died; re-running %d unfinished cells in two groups", len(lost))
                    half = len(lost) // 2
                    groups[:0] = [lost[:half], lost[half:]]


def _dask_client(dask):
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - optional dependency
        raise ImportError("dask= needs the 'distributed' package: pip install 'tsforecast[dask]'.") from exc
    if isinstance(dask, Client):
        return dask, False
    if dask is True:
        from distributed import get_client

        return get_client(), False
    if isinstance(dask, str):
        return Client(dask, set_as_default=False), True
    raise TypeError(f"dask must be a scheduler address such as 'tcp://host:8786' or a distributed.Client; got {dask!r}.")


def _dask_results(jobs, dask):
    from distributed import as_completed

    client, own = _dask_client(dask)
    futures = {}
    try:
        for job in jobs:
            fut = client.submit(_job, *job, pure=False)
            futures[fut] = job[0]
        for fut in as_completed(list(futures), loop=client.loop):
            i = futures.pop(fut)
            try:
                yield fut.result()
            except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker: that cell fails, the run goes on
                yield i, _outcome("DaskError: " + _error_text(exc))
    finally:
        if futures:
            client.cancel(list(futures))
        if own:
            client.close()


# -------------------------------------------------------------------- progress
class _Progress:
    """A one-line text progress bar on stderr (redrawn in place on a terminal)."""

    def __init__(self, total, done=0, enabled=True, stream=None, width=30):
        self.total, self.done, self.failed = total, done, 0
        self.enabled = enabled and total > 0
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.start = time.monotonic()
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_decile = -1
        if self.enabled:
            self._draw()

    def update(self, failed=False):
        self.done += 1
        self.failed += bool(failed)
        if self.enabled:
            self._draw()

    def _draw(self, final=False):
        frac = self.done / self.total if self.total else 1.0
        decile = int(frac * 10)
        if not self.tty and not final and decile == self._last_decile:
            return
        self._last_decile = decile
        filled = int(round(frac * self.width))
        elapsed = time.monotonic() - self.start
        text = (f"benchmark [{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} cells "
                f"{100 * frac:3.0f}%  {self.failed} failed  {elapsed:6.1f}s")
        if self.tty:
            self.stream.write("\r" + text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self):
        if self.enabled:
            if self.tty:
                self.stream.write("\n")
            elif self.done == self.total and self._last_decile != 10:
                self._draw(final=True)
            self.stream.flush()


# ----------------------------------------------------------------------- setup
@dataclass(frozen=True)
class _Cell:
    dataset: str
    series: str
    model: str
    fold: int
    cut: int  # training size of the fold
    example: bool  # forecasts kept for plots: first series of the dataset, last fold

    @property
    def key(self):
        return (self.dataset, self.series, self.model, self.fold)


def _check_metrics(metrics):
    if isinstance(metrics, str):
        metrics = [metrics]
    names = []
    for m in metrics:
        name = str(m).lower()
        if name not in METRICS and name != "owa":
            raise ValueError(f"unknown metric {m!r}; choose from {sorted(list(METRICS) + ['owa'])}.")
        if name == "owa":  # OWA is built from sMAPE and MASE, so they are reported too
            names += [n for n in ("smape", "mase") if n not in names]
        if name not in names:
            names.append(name)
    if not names:
        raise ValueError("metrics is empty; pass at least one metric, e.g. ('smape', 'mase', 'owa').")
    return names


def _columns(metrics):
    extra = ["naive2_smape", "naive2_mase"] if "owa" in metrics else []
    return _KEY + metrics + extra + _TAIL


def _check_models(models):
    items = _named_items(
        models,
        "model",
        alone=lambda name: name,  # a registry model, made by model_factory
        type_error="models must be a dict name -> forecaster or a list of model names; got {value!r}.",
        name_error="a list of models must hold model names; got {bad!r}. Pass forecasters as a dict name -> forecaster.",
    )
    return {k: model_factory(v, k) for k, v in items}


def _check_positive_int(value, name, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be a positive int; got {value!r}.")
    return int(value)


def _folds(data, n_windows):
    from ..model_selection import ExpandingWindowSplitter

    cv = ExpandingWindowSplitter(horizon=data.horizon, n_splits=n_windows, step=data.step,
                                 initial_window=data.season_length + 1)
    out = {}
    for name, y in data.series.items():
        try:
            out[name] = [int(train.size) for train, _ in cv.split(y)]
        except ValueError as exc:
            raise ValueError(
                f"dataset {data.name!r}, series {name!r}: {exc} (the first training part needs at least "
                f"season length + 1 = {data.season_length + 1} points); lower n_windows or horizon."
            ) from None
    return out


def _model_signature(est):
    """A model's repr, to detect a changed model on resume (None when not reproducible)."""
    if not hasattr(est, "get_params"):
        return None
    text = repr(est)
    return None if " at 0x" in text else text


def _check_run_config(path, config, resume):
    """Write ``run.json``; on resume, refuse settings that differ from the recorded ones."""
    if resume and os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            old = json.load(fh)
        for key in ("n_windows", "metrics"):
            if old.get(key) != config[key]:
                raise ValueError(
                    f"cannot resume: the results in {os.path.dirname(path)} were made with {key}={old.get(key)!r}, "
                    f"this run has {key}={config[key]!r}. Use another output folder or run without resume."
                )
        for name, settings in config["datasets"].items():
            before = old.get("datasets", {}).get(name)
            if before is not None and before != settings:
                raise ValueError(
                    f"cannot resume: dataset {name!r} was benchmarked with {before}, this run has {settings}. "
                    "Use another output folder or run without resume."
                )
        for name, sigs in config["models"].items():
            for ds, sig in sigs.items():
                before = old.get("models", {}).get(name, {}).get(ds)
                if before is not None and sig is not None and before != sig:
                    raise ValueError(
                        f"cannot resume: model {name!r} on dataset {ds!r} was {before}, this run has {sig}. "
                        "Give the changed model another name, use another output folder or run without resume."
                    )
        merged = dict(old)
        merged["datasets"] = {**old.get("datasets", {}), **config["datasets"]}
        models = {k: dict(v) for k, v in old.get("models", {}).items()}
        for name, sigs in config["models"].items():
            models.setdefault(name, {}).update(sigs)
        merged["models"] = models
        config = merged
    atomic_write_text(path, json.dumps(config, indent=2, sort_keys=True) + "\n")


def _plan(data, factories, n_windows):
    """The models of every dataset (built once, copied per cell) and the ordered list of cells."""
    estimators, cells = {}, []
    for d in data:
        folds = _folds(d, n_windows)
        for mname, factory in factories.items():
            try:
                estimators[d.name, mname] = factory(d.season_length, d.horizon)
            except (TypeError, ValueError) as exc:
                raise type(exc)(f"model {mname!r} for dataset {d.name!r}: {exc}") from exc
        for sidx, (sname, cuts) in enumerate(folds.items()):
            for mname in factories:
                for k, cut in enumerate(cuts):
                    cells.append(_Cell(d.name, sname, mname, k, cut, sidx == 0 and k == len(cuts) - 1))
    return estimators, cells


def _open_results(folder, data, factories, estimators, n_windows, metrics, columns, resume):
    """Check/write ``run.json``, open the result stores and read the finished cells back."""
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise ValueError(f"results must be a folder (results.csv and the leaderboard go into it); {folder} is a file.")
    os.makedirs(folder, exist_ok=True)
    config = {
        "n_windows": n_windows,
        "metrics": metrics,
        "datasets": {d.name: {"horizon": d.horizon, "step": d.step, "season_length": d.season_length,
                              "series": list(d.series)} for d in data},
        "models": {m: {d.name: _model_signature(estimators[d.name, m]) for d in data} for m in factories},
    }
    _check_run_config(os.path.join(folder, "run.json"), config, resume)
    store = CSVStore(os.path.join(folder, "results.csv"), columns, resume=resume)
    fstore = CSVStore(os.path.join(folder, "forecasts.csv"), _FORECAST_COLUMNS, resume=resume)
    done = pd.DataFrame(store.records, columns=columns)
    if len(done):
        done = _typed(done).drop_duplicates(_KEY, keep="last")
    return store, fstore, done


# ------------------------------------------------------------------- scoring
def _naive2_reference(y_train, y_test, m):
    from ..forecasting.naive import Naive2Forecaster

    try:
        pred = Naive2Forecaster(seasonal_periods=m).fit(y_train).predict(y_test.size)
        return (METRICS["smape"](y_test, pred), METRICS["mase"](y_test, pred, y_train=y_train, m=m))
    except ValueError:
        return (math.nan, math.nan)


def _score(cell, out, y_train, y_test, m, metrics, ref):
    row = {"dataset": cell.dataset, "series": cell.series, "model": cell.model, "fold": cell.fold}
    row.update({name: math.nan for name in metrics})
    if "owa" in metrics:
        row["naive2_smape"], row["naive2_mase"] = ref
    row["fit_seconds"] = float(out["fit_seconds"])
    row["predict_seconds"] = float(out["predict_seconds"])
    if out["error"]:
        row["status"], row["error"] = "failed", out["error"]
        return row
    pred = np.asarray(out["forecast"], dtype=float)
    notes = []
    for name in metrics:
        if name == "owa":
            continue
        try:
            if name == "mase":
                row[name] = METRICS[name](y_test, pred, y_train=y_train, m=m)
            else:
                row[name] = METRICS[name](y_test, pred)
        except ValueError as exc:  # undefined for this data (e.g. MASE on a constant series)
            notes.append(f"{name} undefined: {exc}")
    if "owa" in metrics:
        vals = (row["smape"], row["mase"], *ref)
        if all(np.isfinite(v) for v in vals) and ref[0] > 0 and ref[1] > 0:
            row["owa"] = owa(*vals)
    row["status"], row["error"] = "ok", "; ".join(notes)
    return row


# ------------------------------------------------------------------------ run
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
        finish), ``forecasts.csv`` (forecasts and 90% intervals of the
        first series of each dataset, last fold, for plots), ``run.json``
        (the settings) and, at the end, ``leaderboard.csv``/``.md``.
    resume : bool, default=False
        Keep the cells already in ``results`` and run only the missing
        ones (settings must match; new models or datasets may be added).
        Without it an existing ``results.csv`` is replaced.
    time_limit : float, optional
        Seconds allowed per fit; a fit that takes longer is abandoned and
        its cell recorded as failed (see the module docstring).
    dask : str or distributed.Client, optional
        Run the cells on a Dask distributed cluster: a scheduler address
        (``"tcp://host:8786"``) or a connected ``Client``. ``n_jobs`` is
        then ignored.
    progress : bool, default=False
        Draw a progress bar on stderr.
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
    metrics = _check_metrics(metrics)
    n_windows = _check_positive_int(n_windows, "n_windows")
    if n_jobs is not None and (isinstance(n_jobs, (bool, np.bool_)) or not isinstance(n_jobs, Integral) or n_jobs == 0):
        raise ValueError(f"n_jobs must be a non-zero int (-1 for all cores) or None; got {n_jobs!r}.")
    if time_limit is not None and (isinstance(time_limit, (bool, np.bool_)) or not isinstance(time_limit, Real)
                                   or not time_limit > 0):
        raise ValueError(f"time_limit must be a positive number of seconds or None; got {time_limit!r}.")
    if resume and results is None:
        raise ValueError("resume=True needs results= (the folder of the run to resume).")
    factories = _check_models(models)
    data = resolve_datasets(datasets, horizon=horizon, step=step, season_length=season_length)

    estimators, cells = _plan(data, factories, n_windows)
    by_name = {d.name: d for d in data}
    columns = _columns(metrics)
    store = fstore = None
    done = pd.DataFrame(columns=columns)
    if results is not None:
        folder = os.fspath(results)
        store, fstore, done = _open_results(folder, data, factories, estimators, n_windows, metrics, columns, resume)
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
    bar = _Progress(len(cells), done=len(cells) - len(todo), enabled=progress)
    stream = _dask_results(jobs, dask) if dask is not None else _local_results(jobs, n_jobs)
    try:
        for i, out in stream:
            c = todo[i]
            d = by_name[c.dataset]
            y = d.series[c.series].to_numpy()
            y_train, y_test = y[: c.cut], y[c.cut: c.cut + d.horizon]
            ref_key = (c.dataset, c.series, c.fold)
            if "owa" in metrics and ref_key not in refs:
                refs[ref_key] = _naive2_reference(y_train, y_test, d.season_length)
            row = _score(c, out, y_train, y_test, d.season_length, metrics, refs.get(ref_key))
            if fstore is not None and c.example and out["forecast"] is not None:
                fstore.append({**dict(zip(_KEY, c.key)), "forecast": json.dumps(out["forecast"]),
                               "lower": json.dumps(out["lower"]), "upper": json.dumps(out["upper"])})
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
    if results is not None:
        board = leaderboard(table)
        atomic_write_text(os.path.join(folder, "leaderboard.csv"), board.to_csv(index=False))
        atomic_write_text(os.path.join(folder, "leaderboard.md"), to_markdown(board))
    return table


def _collect(done, new_rows, columns, cells):
    new = pd.DataFrame(new_rows, columns=columns)
    frames = [f for f in (done, new) if len(f)]
    if not frames:
        return _typed(pd.DataFrame(columns=columns))
    table = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    table = _typed(table.astype({c: object for c in ("status", "error")}))
    order = {c.key: i for i, c in enumerate(cells)}
    pos = [order.get(k) for k in zip(table["dataset"], table["series"], table["model"], table["fold"])]
    table = table.assign(_pos=pos).dropna(subset=["_pos"]).sort_values("_pos", kind="mergesort")
    return table.drop(columns="_pos").reset_index(drop=True)


def load_forecasts(path):
    """Read the example forecasts a run kept in ``forecasts.csv`` (a file or its folder).

    Returns
    -------
    DataFrame
        ``dataset``, ``series``, ``model``, ``fold`` and ``forecast``,
        ``lower``, ``upper`` as float arrays (``None`` when the model gives
        no interval); the last record of a cell wins.

    Examples
    --------
    >>> import tempfile
    >>> from tsforecast.benchmark import load_forecasts, run
    >>> folder = tempfile.mkdtemp()
    >>> _ = run(["naive"], "airline", horizon=12, n_windows=2, results=folder)
    >>> fc = load_forecasts(folder)
    >>> fc[["model", "fold"]].values.tolist(), fc.loc[0, "forecast"][:3].tolist()
    ([['naive', 1]], [405.0, 405.0, 405.0])
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        path = os.path.join(path, "forecasts.csv")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["fold"] = df["fold"].astype("int64")
    for col in ("forecast", "lower", "upper"):
        df[col] = [None if v in ("", "null") else np.asarray(json.loads(v), dtype=float) for v in df[col]]
    return df.drop_duplicates(_KEY, keep="last").reset_index(drop=True)

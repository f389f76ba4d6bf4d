"""One benchmark cell, on the worker side: copy a model, fit it (with a time limit), forecast.

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

The limit uses no signals, so it works wherever the cell runs: in the main
thread, in a joblib worker process, or in a task thread of a Dask worker
(where ``signal.alarm`` could not be used). On a Dask worker the task
thread is free for the next cell as soon as the limit is reached, while an
abandoned CPU-bound fit shares that worker's core until it returns.
"""

from __future__ import annotations

import math
import os
import threading
import time
import warnings

import numpy as np

from ..utils._numeric import shorten
from ._models import copy_model

__all__ = ["fit_predict", "run_cell", "outcome", "error_text", "TimeLimitExceeded", "EXAMPLE_COVERAGE", "MAX_ERROR"]

#: longest error text kept in ``results.csv``
MAX_ERROR = 1000
#: coverage of the prediction intervals stored for the example forecasts
EXAMPLE_COVERAGE = 0.9


class TimeLimitExceeded(Exception):
    """A fit did not finish within the benchmark's time limit."""


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


def outcome(error=""):
    """The result record of one cell before (or without) a forecast."""
    return {"forecast": None, "lower": None, "upper": None, "fit_seconds": math.nan,
            "predict_seconds": math.nan, "error": error}


def error_text(exc):
    """``"Type: message"`` of an exception on one line, at most :data:`MAX_ERROR` characters."""
    return shorten(" ".join(f"{type(exc).__name__}: {exc}".splitlines()), MAX_ERROR)


def _interval(est, horizon, coverage):
    """``(lower, upper)`` lists of the fitted model's interval, or ``(None, None)``."""
    target = getattr(est, "best_estimator_", est)
    if not hasattr(target, "predict_interval"):
        return None, None
    try:
        iv = target.predict_interval(horizon, coverage=coverage)
        lower = np.asarray(iv["lower"], dtype=float).ravel()
        upper = np.asarray(iv["upper"], dtype=float).ravel()
    except Exception:  # noqa: BLE001 - intervals are optional
        return None, None
    if lower.size != horizon or upper.size != horizon:
        return None, None
    return lower.tolist(), upper.tolist()


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
    out = outcome()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            est = copy_model(estimator, horizon)
        except Exception as exc:  # noqa: BLE001 - a model's failure is a result
            out["error"] = error_text(exc)
            return out
        start = time.perf_counter()
        try:
            _fit_with_limit(est, y_train, time_limit)
        except Exception as exc:  # noqa: BLE001
            out["fit_seconds"] = time.perf_counter() - start
            out["error"] = error_text(exc)
            return out
        out["fit_seconds"] = time.perf_counter() - start
        start = time.perf_counter()
        try:
            pred = np.asarray(est.predict(horizon), dtype=float).ravel()
        except Exception as exc:  # noqa: BLE001
            out["predict_seconds"] = time.perf_counter() - start
            out["error"] = error_text(exc)
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
            out["lower"], out["upper"] = _interval(est, horizon, coverage)
    return out


def run_cell(i, estimator, y_train, horizon, time_limit, interval, markers=None):
    """``(i, fit_predict(...))``; with ``markers`` (a folder) a file named ``i`` exists while the cell runs.

    The marker is left behind only when the process dies inside the cell,
    which is how the joblib executor finds the cell that killed a worker.
    """
    if markers is None:
        return i, fit_predict(estimator, y_train, horizon, time_limit=time_limit, interval=interval)
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

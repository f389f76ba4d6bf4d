"""``forecasts.csv``: every cell's forecast in long format, one row per step.

The columns are ``dataset``, ``unique_id`` (the series), ``model``,
``fold``, ``step`` (1 = one step ahead), ``ds`` (the time point, as text),
``y_true``, ``y_pred`` and ``lower``/``upper``: the 90% prediction
interval, kept for the first series of each dataset on its last fold (the
forecasts the plots show), empty elsewhere and for models without
intervals. The rows of a cell are written together, before the cell's line
of ``results.csv``, so a cell whose rows were cut short by a crash is run
again on resume, and its new rows win.
"""

from __future__ import annotations

import os

import pandas as pd

from ..utils._long import to_long

__all__ = ["FORECAST_COLUMNS", "forecast_records", "load_forecasts"]

FORECAST_COLUMNS = ["dataset", "unique_id", "model", "fold", "step", "ds", "y_true", "y_pred", "lower", "upper"]
_KEY = ["dataset", "unique_id", "model", "fold", "step"]
_FLOATS = ["y_true", "y_pred", "lower", "upper"]


def forecast_records(cell, y, horizon, out):
    """The ``forecasts.csv`` records of a cell that produced a forecast (``out`` from ``fit_predict``)."""
    future = y.index[cell.cut: cell.cut + horizon]
    forecast = pd.Series(out["forecast"], index=future, name=cell.series)
    interval = None
    if out["lower"] is not None:
        interval = pd.DataFrame({"lower": out["lower"], "upper": out["upper"]}, index=future)
    long = to_long(forecast, interval)
    y_true = y.to_numpy(dtype=float)[cell.cut: cell.cut + horizon]
    bounds = long[["lower", "upper"]].to_numpy() if interval is not None else [(None, None)] * len(long)
    return [
        {"dataset": cell.dataset, "unique_id": cell.series, "model": cell.model, "fold": cell.fold, "step": step,
         "ds": str(ds), "y_true": float(truth), "y_pred": float(pred),
         "lower": None if lo is None else float(lo), "upper": None if hi is None else float(hi)}
        for step, (ds, pred, truth, (lo, hi)) in enumerate(zip(long["ds"], long["y_pred"], y_true, bounds), start=1)
    ]


def load_forecasts(path):
    """Read the forecasts a run wrote to ``forecasts.csv`` (a file or its folder).

    Returns
    -------
    DataFrame
        One row per (dataset, series, model, fold, step) in long format:
        ``dataset``, ``unique_id``, ``model``, ``fold``, ``step``, ``ds``
        (text), ``y_true``, ``y_pred``, ``lower``, ``upper`` (NaN where no
        interval was kept). When a cell was run twice (resumed after a
        crash) its last rows win.

    Examples
    --------
    >>> import tempfile
    >>> from tsforecast.benchmark import load_forecasts, run
    >>> folder = tempfile.mkdtemp()
    >>> _ = run(["naive"], "airline", horizon=3, n_windows=2, results=folder)
    >>> load_forecasts(folder)[["unique_id", "fold", "ds", "y_true", "y_pred"]]
        unique_id  fold       ds  y_true  y_pred
    0  passengers     0  1960-07   622.0   535.0
    1  passengers     0  1960-08   606.0   535.0
    2  passengers     0  1960-09   508.0   535.0
    3  passengers     1  1960-10   461.0   508.0
    4  passengers     1  1960-11   390.0   508.0
    5  passengers     1  1960-12   432.0   508.0
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        path = os.path.join(path, "forecasts.csv")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in FORECAST_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"{path} lacks column(s) {missing}; it was not written by this version of "
                         "tsforecast.benchmark.run (forecasts.csv is now one row per step).")
    for col in ("fold", "step"):
        df[col] = df[col].astype("int64")
    for col in _FLOATS:
        df[col] = df[col].replace("", "nan").astype(float)
    return df[FORECAST_COLUMNS].drop_duplicates(_KEY, keep="last").reset_index(drop=True)

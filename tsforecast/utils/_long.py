"""Forecasts in long format: one row per series and time point (``unique_id, ds, y_pred``).

A forecaster fitted on several series returns one wide DataFrame, one column
per series, indexed by the union of the series' future time points; when the
series end at different times most of its cells are NaN padding.
:func:`to_long` turns it (and the interval frame of ``predict_interval``)
into the long layout statsforecast users know, without the padding.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["to_long"]

_BOUNDS = ("lower", "upper")


def _wide(forecast):
    if isinstance(forecast, pd.Series):
        return forecast.to_frame()  # an unnamed Series becomes column 0, as in pandas
    if isinstance(forecast, pd.DataFrame):
        if forecast.columns.has_duplicates:
            raise ValueError(f"forecast has duplicate column names {list(forecast.columns)}; "
                             "each column must be one series.")
        return forecast
    raise TypeError(
        f"forecast must be the Series or DataFrame that predict returns for pandas input; got "
        f"{type(forecast).__name__}. Fit on a Series or DataFrame with a time index to get labelled forecasts."
    )


def _bounds(interval, series):
    """``{series: DataFrame(lower, upper)}`` from a ``predict_interval`` frame."""
    if not isinstance(interval, pd.DataFrame):
        raise TypeError(f"interval must be the DataFrame predict_interval returns; got {type(interval).__name__}.")
    if isinstance(interval.columns, pd.MultiIndex):
        missing = [k for k in series if k not in interval.columns.get_level_values(0)]
        if missing:
            raise ValueError(f"interval has no columns for series {missing}; its series are "
                             f"{list(dict.fromkeys(interval.columns.get_level_values(0)))}.")
        return {k: interval[k] for k in series}
    if len(series) != 1:
        raise ValueError(f"the forecast has {len(series)} series but interval has plain columns "
                         f"{list(interval.columns)}; pass the (series, lower/upper) frame predict_interval returns.")
    return {series[0]: interval}


def to_long(forecast, interval=None):
    """Forecasts (and their prediction interval) as a long table without NaN padding.

    Parameters
    ----------
    forecast : DataFrame or Series
        What ``predict`` returns for pandas input: a DataFrame with one
        column per series (several series; NaN where a time point is not one
        of that series' future points) or a Series (one series).
    interval : DataFrame, optional
        What ``predict_interval`` returns for the same steps: columns
        ``lower``/``upper`` (one series) or ``(series, "lower"/"upper")``
        (several series).

    Returns
    -------
    DataFrame
        One row per series and forecast time point, the series in column
        order and each in time order: ``unique_id`` (the column name; for an
        unnamed Series ``0``), ``ds`` (the time point), ``y_pred`` and, with
        ``interval``, ``lower`` and ``upper``. Missing cells (the padding of
        series with other future time points) give no row.

    Examples
    --------
    Two series that end in different months:

    >>> import pandas as pd
    >>> from tsforecast import NaiveForecaster, to_long
    >>> y = {"a": pd.Series([1.0, 2.0, 3.0], index=pd.period_range("2020-01", periods=3, freq="M")),
    ...      "b": pd.Series([5.0, 6.0], index=pd.period_range("2020-05", periods=2, freq="M"))}
    >>> f = NaiveForecaster().fit(y)
    >>> f.predict(2).shape  # the union of both series' future months
    (4, 2)
    >>> to_long(f.predict(2), f.predict_interval(2)).round({"lower": 2, "upper": 2})
      unique_id       ds  y_pred  lower  upper
    0         a  2020-04     3.0   1.36   4.64
    1         a  2020-05     3.0   0.67   5.33
    2         b  2020-07     6.0   4.36   7.64
    3         b  2020-08     6.0   3.67   8.33
    """
    wide = _wide(forecast)
    series = list(wide.columns)
    bounds = None if interval is None else _bounds(interval, series)
    frames = []
    for k in series:
        col = wide[k]
        keep = col.notna().to_numpy()
        part = {"unique_id": k, "ds": wide.index[keep], "y_pred": col.to_numpy(dtype=float)[keep]}
        if bounds is not None:
            b = bounds[k]
            missing = [c for c in _BOUNDS if c not in b.columns]
            if missing:
                raise ValueError(f"interval of series {k!r} has no column(s) {missing}; it has {list(b.columns)}.")
            b = b.reindex(wide.index)
            for c in _BOUNDS:
                part[c] = b[c].to_numpy(dtype=float)[keep]
        frames.append(pd.DataFrame(part))
    out = pd.concat(frames, ignore_index=True)
    if bounds is not None and out[list(_BOUNDS)].isna().to_numpy().any():
        bad = out.loc[out[list(_BOUNDS)].isna().any(axis=1), ["unique_id", "ds"]].iloc[0].tolist()
        raise ValueError(f"interval has no bounds for series {bad[0]!r} at {bad[1]}; pass the interval of the "
                         "same steps as the forecast.")
    return out

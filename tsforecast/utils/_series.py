"""Validation and conversion of user-supplied time series.

Everything that turns "what the user passed" (a pandas Series, a 1-D array, a
wide DataFrame, a dict of Series, a long table) into clean float arrays plus
the index information needed to label forecasts lives here, so that every
forecaster shares one set of rules and one set of error messages.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "SeriesMeta",
    "as_series",
    "check_series",
    "combine_panel",
    "combine_panel_intervals",
    "exog_array",
    "future_index",
    "infer_offset",
    "is_panel",
    "panel_exog",
    "slice_exog",
    "steps_from_index",
    "strip_leading_nan",
    "to_panel",
]


@dataclass
class SeriesMeta:
    """What we remember about a training series to label its forecasts."""

    kind: str  # "array" or "series"
    name: object = None
    index: pd.Index | None = None  # training index (pandas input only)
    freq: object = None  # pandas offset for Datetime/Period indexes

    @property
    def cutoff(self):
        """Label of the last training observation (or its position for arrays)."""
        return None if self.index is None else self.index[-1]


def _as_float(values, name):
    arr = np.asarray(values)
    if arr.dtype == object or arr.dtype.kind in "USOb" or isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        if arr.dtype.kind == "b":
            return arr.astype(np.float64)
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            bad = next((v for v in arr.ravel().tolist() if not _is_number(v)), None)
            raise TypeError(
                f"{name} must be numeric; found non-numeric value {bad!r} "
                f"(dtype {arr.dtype}). Convert the column with pd.to_numeric first."
            ) from None
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} must be real-valued; got complex dtype {arr.dtype}.")
    if arr.dtype.kind == "M" or arr.dtype.kind == "m":
        raise TypeError(f"{name} must be numeric; got {arr.dtype} values.")
    return arr.astype(np.float64, copy=True)


def _is_number(v):
    try:
        float(v)
        return True
    except (TypeError, ValueError):
        return False


def infer_offset(index):
    """Regular frequency of a DatetimeIndex as a pandas offset, or None.

    (``pd.infer_freq`` changes its return type in pandas 4; this does not.)
    """
    try:
        return pd.DatetimeIndex(index, freq="infer").freq
    except (ValueError, TypeError):
        return None


def _check_index(index: pd.Index, name: str):
    """Check a training index and return its frequency (or None)."""
    if index.has_duplicates:
        dup = index[index.duplicated()][0]
        raise ValueError(f"{name} has duplicate timestamps (first duplicate: {dup}); aggregate them first.")
    if isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex)) or pd.api.types.is_numeric_dtype(index):
        if not index.is_monotonic_increasing:
            raise ValueError(f"{name} index is not sorted in increasing order; call .sort_index() first.")
    if isinstance(index, pd.PeriodIndex):
        return index.freq
    if isinstance(index, pd.DatetimeIndex):
        freq = index.freq
        if freq is None and len(index) >= 3:
            freq = infer_offset(index)
        if freq is None:
            raise ValueError(
                f"{name} has a DatetimeIndex with no regular frequency (irregular or missing "
                "timestamps). Resample it to a regular frequency, e.g. y.asfreq('D'), "
                "or pass y.to_numpy() to forecast by position."
            )
        return freq
    return None


def check_series(y, *, name="y", allow_nan=False, min_length=1, strip_leading_nan=False):
    """Validate one series and return ``(values, meta)``.

    Parameters
    ----------
    y : pandas Series, 1-D array-like or single-column DataFrame
    name : str
        Name used in error messages.
    allow_nan : bool
        If False, NaN anywhere raises a ``ValueError``.
    min_length : int
        Minimum number of observations.
    strip_leading_nan : bool
        Drop leading NaNs ("series not started yet") before checking.

    Returns
    -------
    values : ndarray of float64, shape (n,)
    meta : SeriesMeta
    """
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise ValueError(f"{name} must be one series; got a DataFrame with {y.shape[1]} columns.")
        y = y.iloc[:, 0]
    if isinstance(y, pd.Series):
        values = _as_float(y.to_numpy(), name)
        index = y.index
        meta_name = y.name
        kind = "series"
    else:
        if y is None:
            raise TypeError(f"{name} is None; pass a pandas Series or a 1-D array of observations.")
        if isinstance(y, (str, bytes)) or np.isscalar(y):
            raise TypeError(f"{name} must be a 1-D sequence of numbers; got {type(y).__name__} {y!r}.")
        arr = np.asarray(y)
        if arr.ndim == 2 and 1 in arr.shape and arr.size > 0:
            arr = arr.ravel()
        if arr.ndim != 1:
            raise ValueError(f"{name} must be 1-D (one series); got an array of shape {arr.shape}.")
        values = _as_float(arr, name)
        index = None
        meta_name = None
        kind = "array"
    if strip_leading_nan and values.size:
        finite_pos = np.flatnonzero(~np.isnan(values))
        start = finite_pos[0] if finite_pos.size else values.size
        values = values[start:]
        if index is not None:
            index = index[start:]
    if values.size == 0:
        raise ValueError(f"{name} is empty; a series needs at least {max(min_length, 1)} observations.")
    if np.isinf(values).any():
        pos = int(np.flatnonzero(np.isinf(values))[0])
        raise ValueError(f"{name} contains infinite values (first at position {pos}).")
    if not allow_nan and np.isnan(values).any():
        pos = int(np.flatnonzero(np.isnan(values))[0])
        where = f"position {pos}" if index is None else f"{index[pos]}"
        raise ValueError(
            f"{name} contains {int(np.isnan(values).sum())} missing value(s) (first at {where}); "
            "fill them first, e.g. y.interpolate() or y.ffill()."
        )
    if values.size < min_length:
        raise ValueError(f"{name} has {values.size} observations; this model needs at least {min_length}.")
    freq = _check_index(index, name) if index is not None else None
    return values, SeriesMeta(kind=kind, name=meta_name, index=index, freq=freq)


def is_panel(y) -> bool:
    """True when ``y`` holds several series (DataFrame or dict of series)."""
    return isinstance(y, (pd.DataFrame, dict))


def to_panel(y, *, id_col=None, time_col=None, value_col=None) -> dict:
    """Turn a wide DataFrame, a dict of series or a long table into ``{name: Series}``.

    Leading NaNs of a wide DataFrame's columns mean "not started yet" and are
    dropped; NaNs inside a series are left for ``check_series`` to reject.
    """
    if isinstance(y, dict):
        if not y:
            raise ValueError("y is an empty dict; pass at least one series.")
        out = {}
        for k, s in y.items():
            out[k] = s if isinstance(s, pd.Series) else pd.Series(np.asarray(s), name=k)
        return out
    if isinstance(y, pd.DataFrame):
        if id_col is not None:
            missing = [c for c in (id_col, time_col, value_col) if c is not None and c not in y.columns]
            if missing:
                raise ValueError(f"long table has no column(s) {missing}; columns are {list(y.columns)}.")
            value_col = value_col or [c for c in y.columns if c not in (id_col, time_col)][0]
            wide = y.pivot(index=time_col, columns=id_col, values=value_col) if time_col else None
            if wide is None:
                return {k: g[value_col].reset_index(drop=True) for k, g in y.groupby(id_col, sort=False)}
            return {k: wide[k] for k in wide.columns}
        if y.shape[1] == 0:
            raise ValueError("y is a DataFrame with no columns; pass at least one series.")
        if y.columns.has_duplicates:
            raise ValueError("y has duplicate column names; each column must name one series.")
        return {k: y[k] for k in y.columns}
    raise TypeError(f"expected a DataFrame or dict of series, got {type(y).__name__}.")


def future_index(meta: SeriesMeta, steps):
    """Labels of the forecast steps (1-based) after the end of training."""
    steps = np.asarray(steps, dtype=int)
    if meta.index is None:
        return None
    cutoff = meta.index[-1]
    n = int(steps.max()) + 1
    if isinstance(meta.index, pd.PeriodIndex):
        return pd.period_range(start=cutoff, periods=n, freq=meta.freq)[steps]
    if isinstance(meta.index, pd.DatetimeIndex):
        full = pd.date_range(start=cutoff, periods=n, freq=meta.freq)
        idx = full[steps]
        return pd.DatetimeIndex(idx, freq=meta.freq if _is_consecutive(steps) else None)
    if pd.api.types.is_integer_dtype(meta.index):
        step = int(meta.index[-1] - meta.index[-2]) if len(meta.index) > 1 else 1
        step = step if step > 0 else 1
        return pd.Index(cutoff + steps * step)
    # any other index (strings, floats): label forecasts by step number
    return pd.RangeIndex(0, 0).append(pd.Index(steps))


def _is_consecutive(steps):
    return len(steps) < 2 or bool(np.all(np.diff(steps) == 1))


def steps_from_index(meta: SeriesMeta, index: pd.Index, name="y") -> np.ndarray:
    """Forecast steps (1-based) that the labels ``index`` lie at after training ends."""
    if meta.index is None or not isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex)) and not pd.api.types.is_integer_dtype(index):
        return None
    cutoff = meta.index[-1]
    if isinstance(meta.index, (pd.DatetimeIndex, pd.PeriodIndex)):
        if type(index) is not type(meta.index):
            raise TypeError(
                f"{name} has a {type(index).__name__} but the model was fitted on a {type(meta.index).__name__}."
            )
        last = index.max()
        if last <= cutoff:
            raise ValueError(f"{name} ends at {last}, not after the end of training ({cutoff}).")
        if isinstance(meta.index, pd.PeriodIndex):
            full = pd.period_range(start=cutoff, end=last, freq=meta.freq)
        else:
            full = pd.date_range(start=cutoff, end=last, freq=meta.freq)
        steps = full.get_indexer(index)
    else:
        if not pd.api.types.is_integer_dtype(meta.index):
            return None
        step = int(meta.index[-1] - meta.index[-2]) if len(meta.index) > 1 else 1
        diff = np.asarray(index - cutoff)
        steps = np.where(diff % step == 0, diff // step, -1)
    steps = np.asarray(steps)
    if (steps <= 0).any():
        bad = index[np.flatnonzero(steps <= 0)[0]]
        raise ValueError(
            f"{name} has time point {bad!r}, which is not a future step on the training "
            f"frequency after the end of training ({cutoff})."
        )
    return steps.astype(int)


def strip_leading_nan(s):
    """Drop the missing values before a Series' first observation (arrays pass unchanged)."""
    if isinstance(s, pd.Series):
        first = s.first_valid_index()
        if first is None:
            raise ValueError(f"series {s.name!r} has no observations (all values missing).")
        return s.loc[first:]
    return s


def slice_exog(X, s):
    """Rows of a shared exogenous table that belong to series ``s``."""
    if isinstance(X, (pd.DataFrame, pd.Series)) and isinstance(s, pd.Series) and s.index.isin(X.index).all():
        return X.loc[s.index]
    Xa = exog_array(X, "X")
    return Xa[Xa.shape[0] - len(s):]


def exog_array(X, name):
    """Exogenous data as a finite 2-D float array (time, regressors); ``name`` is used in errors."""
    if isinstance(X, pd.Series):
        X = X.to_frame()
    if isinstance(X, pd.DataFrame):
        non_num = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c]) and not pd.api.types.is_bool_dtype(X[c])]
        if non_num:
            raise TypeError(f"{name} has non-numeric column(s) {non_num}; encode them as numbers first.")
        Xa = X.to_numpy(dtype=float)
    else:
        Xa = np.asarray(X)
        if Xa.dtype.kind not in "fiub":
            try:
                Xa = Xa.astype(float)
            except (TypeError, ValueError):
                raise TypeError(f"{name} must be numeric; got dtype {Xa.dtype}.") from None
        Xa = Xa.astype(float)
        if Xa.ndim == 1:
            Xa = Xa[:, None]
    if Xa.ndim != 2:
        raise ValueError(f"{name} must be 2-D (time, regressors); got shape {Xa.shape}.")
    if not np.isfinite(Xa).all():
        raise ValueError(f"{name} contains NaN or infinite values.")
    return Xa


def combine_panel(cols: dict):
    """One wide DataFrame from a dict of per-series forecasts (Series keep their indexes)."""
    first = next(iter(cols.values()))
    if isinstance(first, pd.Series):
        return pd.DataFrame({k: v for k, v in cols.items()})
    return pd.DataFrame({k: np.asarray(v) for k, v in cols.items()})


def combine_panel_intervals(frames: dict):
    """One table of per-series intervals, columns ``(series, lower/upper)``, rows in time order.

    Series that end at different times forecast different dates; their rows are the union, sorted
    (as :func:`combine_panel` sorts them), with NaN where a series has no forecast.
    """
    return pd.concat(frames, axis=1, sort=True)


def as_series(values, meta: SeriesMeta):
    """``values`` labelled again as the training series ``meta`` describes (arrays stay arrays).

    Meta-forecasters (ensembles, transformed targets) hand their members the
    series with its index, so that members read the season from the frequency
    as they would alone.
    """
    if meta.kind == "array" or meta.index is None:
        return values
    return pd.Series(values, index=meta.index, name=meta.name)


def panel_exog(X, name):
    """The exogenous data of series ``name`` in a panel: ``X[name]`` when ``X`` is a dict, else ``X``.

    A dict must hold an entry for every series; a shared table (rows picked by
    each series' time labels) is returned whole.
    """
    if not isinstance(X, dict):
        return X
    if name not in X:
        raise ValueError(f"X is a dict of exogenous data per series but has no entry for series {name!r}; "
                         f"it has {sorted(map(str, X))}.")
    return X[name]

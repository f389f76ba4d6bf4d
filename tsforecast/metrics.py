"""Forecast accuracy metrics (M4 definitions) and scikit-learn scorers.

All metrics take arrays or pandas objects (a Series, or a DataFrame with one
column per series, in which case the metric is averaged over series), ignore
the index and compare values position by position.

Zero denominators follow documented rules instead of returning inf/NaN:

* ``smape``: a step where both the actual and the forecast are 0 counts as
  a 0% error (the forecast is exact).
* ``mape``: raises ``ValueError`` when an actual value is 0.
* ``mase``: raises ``ValueError`` when the in-sample seasonal-naive error is 0
  (a constant training series), because the scale is undefined.

Values near the float64 limits never produce a silent ``inf``: differences
that overflow are recomputed on halved values (``mae``, ``rmse``) or on
values divided by their magnitude (``smape``, always finite), and a metric
whose true value exceeds the float64 range raises ``ValueError``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["mae", "rmse", "mape", "smape", "mase", "owa", "make_forecast_scorer", "METRICS"]


def _pair(y_true, y_pred):
    t = _values(y_true, "y_true")
    p = _values(y_pred, "y_pred")
    if t.shape != p.shape:
        raise ValueError(f"y_true has shape {t.shape} but y_pred has shape {p.shape}; they must match.")
    if t.size == 0:
        raise ValueError("y_true is empty; nothing to score.")
    if not np.isfinite(p).all():
        raise ValueError("y_pred contains NaN or infinite values; the forecast failed.")
    return t, p


def _values(a, name):
    if isinstance(a, (pd.Series, pd.DataFrame)):
        a = a.to_numpy()
    try:
        arr = np.asarray(a, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be numeric.") from None
    if arr.ndim == 0:
        arr = arr[None]
    if name == "y_true" and not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinite values.")
    return arr


def _per_series(values):
    """Average a (n,) or (n, k) array of per-step errors over steps, then over series."""
    with np.errstate(over="ignore"):
        value = np.mean(np.mean(values, axis=0))
        if not np.isfinite(value) and np.isfinite(values).all():  # the sum overflowed, not the mean
            per = np.sum(values / values.shape[0], axis=0)
            value = np.sum(per / per.size)
    return float(value)


def _abs_diff(t, p):
    """``(|t - p| / c, c)``: ``c = 1`` unless the difference overflows float64 (then ``c = 2``)."""
    with np.errstate(over="ignore"):
        d = np.abs(t - p)
    if np.isfinite(d).all():
        return d, 1.0
    return np.abs(t / 2 - p / 2), 2.0


def _checked(value, name, hint):
    if not np.isfinite(value):
        raise ValueError(f"{name} overflows: its value exceeds the float64 range ({hint}).")
    return float(value)


def mae(y_true, y_pred):
    """Mean absolute error.

    Examples
    --------
    >>> mae([1, 2, 3], [1, 2, 5])
    0.6666666666666666
    """
    t, p = _pair(y_true, y_pred)
    d, c = _abs_diff(t, p)
    with np.errstate(over="ignore"):
        return _checked(_per_series(d) * c, "MAE", "forecast errors near the float64 limit")


def rmse(y_true, y_pred):
    """Root mean squared error (per series, then averaged).

    Examples
    --------
    >>> rmse([0, 0], [3, 4])
    3.5355339059327378
    """
    t, p = _pair(y_true, y_pred)
    d, c = _abs_diff(t, p)
    # scaled by the largest error of each series, so squaring cannot overflow or underflow
    s = np.max(d, axis=0)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        r = np.where(s > 0, s * np.sqrt(np.mean((d / np.where(s > 0, s, 1.0)) ** 2, axis=0)), 0.0)
        return _checked(np.mean(r) * c, "RMSE", "forecast errors near the float64 limit")


def mape(y_true, y_pred):
    """Mean absolute percentage error, in percent.

    Raises ``ValueError`` if any actual value is 0.

    Examples
    --------
    >>> mape([100, 200], [110, 180])
    10.0
    """
    t, p = _pair(y_true, y_pred)
    if (t == 0).any():
        raise ValueError("MAPE is undefined when y_true contains 0; use smape or mase instead.")
    d, c = _abs_diff(t, p)
    with np.errstate(over="ignore"):
        value = _per_series(100 * (d / np.abs(t))) * c
    return _checked(value, "MAPE", "an actual value is tiny next to its forecast error; use smape or mase")


def smape(y_true, y_pred):
    """Symmetric MAPE as defined by the M4 competition, in percent (0 to 200).

    ``mean(200 * |y - f| / (|y| + |f|))``; a step where ``y = f = 0`` counts
    as 0.

    Examples
    --------
    >>> round(smape([100, 200], [110, 180]), 4)
    10.0251
    """
    t, p = _pair(y_true, y_pred)
    with np.errstate(over="ignore"):
        num, denom = np.abs(t - p), np.abs(t) + np.abs(p)
    if not (np.isfinite(num).all() and np.isfinite(denom).all()):
        # near the float64 limit: divide each pair by its larger magnitude (the ratio is unchanged)
        s = np.maximum(np.abs(t), np.abs(p))
        s = np.where(s > 0, s, 1.0)
        num, denom = np.abs(t / s - p / s), np.abs(t / s) + np.abs(p / s)
    with np.errstate(invalid="ignore", divide="ignore"):
        err = np.where(denom == 0, 0.0, 200 * (num / denom))  # ratio first: exactly 200 when y = 0
    return _per_series(err)


def _mase_scale(y_train, m):
    tr = _values(y_train, "y_train")
    if not isinstance(m, (int, np.integer)) or m < 1:
        raise ValueError(f"m (the seasonal period of the MASE scale) must be a positive int; got {m!r}.")
    if tr.shape[0] <= m:
        raise ValueError(f"y_train has {tr.shape[0]} observations; MASE with m={m} needs at least {m + 1}.")
    if not np.isfinite(tr).all():
        raise ValueError("y_train contains NaN or infinite values.")
    scale = np.mean(np.abs(tr[m:] - tr[:-m]), axis=0)
    if np.any(scale < np.finfo(float).tiny):  # zero, or so small that the ratio overflows
        raise ValueError(
            f"MASE is undefined: the in-sample seasonal naive error (m={m}) of y_train is 0 "
            "(a constant series); use mae or smape instead."
        )
    return scale


def mase(y_true, y_pred, *, y_train, m=1):
    """Mean absolute scaled error (M4 definition).

    ``mean|y - f| / mean|y_t - y_{t-m}|`` where the denominator is the
    in-sample error of the seasonal naive forecast on ``y_train``.

    Examples
    --------
    >>> mase([3, 4], [2, 4], y_train=[1, 2, 3])
    0.5
    """
    t, p = _pair(y_true, y_pred)
    scale = _mase_scale(y_train, m)
    err = np.mean(np.abs(t - p), axis=0)
    with np.errstate(over="ignore"):
        value = float(np.mean(err / scale))
    if not np.isfinite(value):
        raise ValueError(
            f"MASE overflows: the mean absolute error ({float(np.max(err)):.3g}) divided by the in-sample "
            f"seasonal naive error of y_train ({float(np.min(scale)):.3g}, m={m}) exceeds the float64 range; "
            "use mae or smape instead."
        )
    return value


def owa(smape_model, mase_model, smape_naive2, mase_naive2):
    """Overall weighted average (M4): mean of sMAPE and MASE relative to Naive2.

    Takes the (already averaged) sMAPE and MASE of the model and of Naive2.

    Examples
    --------
    >>> owa(9.0, 1.0, 18.0, 2.0)
    0.5
    """
    if smape_naive2 <= 0 or mase_naive2 <= 0:
        raise ValueError("OWA needs positive Naive2 sMAPE and MASE.")
    return float((smape_model / smape_naive2 + mase_model / mase_naive2) / 2)


METRICS = {"mae": mae, "rmse": rmse, "mape": mape, "smape": smape, "mase": mase}


class _ForecastScorer:
    """Callable ``scorer(estimator, y_future, X=None)`` for ``scoring=``."""

    def __init__(self, name, m=1):
        self.name = name
        self.m = m

    def __call__(self, estimator, y, X=None, **kwargs):
        y_true, y_pred, y_train = estimator._score_pairs(y, X)
        fn = METRICS[self.name]
        if self.name == "mase":
            vals = [fn(t, p, y_train=tr, m=self.m) for t, p, tr in zip(y_true, y_pred, y_train)]
        else:
            vals = [fn(t, p) for t, p in zip(y_true, y_pred)]
        return -float(np.mean(vals))

    def __repr__(self):
        return f"make_forecast_scorer({self.name!r}{'' if self.m == 1 else f', m={self.m}'})"


def make_forecast_scorer(name, *, m=1):
    """A scikit-learn scorer for a forecasting metric (greater is better).

    The returned callable forecasts the time points of the test fold and
    returns the *negative* metric, so it can be passed as ``scoring=`` to
    ``cross_validate`` or ``GridSearchCV`` with a series as ``X``.

    Parameters
    ----------
    name : {"mae", "rmse", "mape", "smape", "mase"}
    m : int, default=1
        Seasonal period of the MASE scale (only for ``"mase"``).

    Examples
    --------
    >>> from sklearn.model_selection import TimeSeriesSplit, cross_validate
    >>> from tsforecast import NaiveForecaster
    >>> from tsforecast.datasets import load_airline
    >>> cv = TimeSeriesSplit(n_splits=3, test_size=12)
    >>> res = cross_validate(NaiveForecaster(), load_airline(), cv=cv,
    ...                      scoring=make_forecast_scorer("smape"))
    >>> res["test_score"].round(2)
    array([-13.51, -22.59, -16.12])
    """
    if name not in METRICS:
        raise ValueError(f"unknown metric {name!r}; choose one of {sorted(METRICS)}.")
    return _ForecastScorer(name, m)

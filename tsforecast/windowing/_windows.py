"""Sliding windows: turn series into (inputs, targets) matrices for supervised models."""

from __future__ import annotations

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ..utils._sklearn import Interval, StrOptions, get_output_config
from ..utils._series import check_series, exog_array, is_panel, to_panel

__all__ = ["make_windows", "SlidingWindowTransformer", "window_starts"]


def _check_positive_int(value, name):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}.")
    return int(value)


def window_starts(n_obs, window, horizon=1, step=1):
    """Start positions of the windows of a series of ``n_obs`` observations.

    Windows are aligned to the end of the series: the last window's targets
    end at the last observation, and earlier windows are ``step`` apart.

    Examples
    --------
    >>> window_starts(10, window=3, horizon=2, step=2).tolist()
    [1, 3, 5]
    """
    window = _check_positive_int(window, "window")
    horizon = int(horizon)
    step = _check_positive_int(step, "step")
    last = n_obs - window - horizon
    if last < 0:
        raise ValueError(
            f"series has {n_obs} observations; window={window} and horizon={horizon} "
            f"need at least {window + horizon}."
        )
    return np.arange(last, -1, -step)[::-1]


def _one_series_windows(y, window, horizon, step, exog):
    starts = window_starts(y.size, window, horizon, step)
    idx = starts[:, None] + np.arange(window)[None, :]
    Xw = y[idx]
    if exog is not None:
        Xw = np.concatenate([Xw[..., None], exog[idx]], axis=2)
    if horizon > 0:
        Y = y[starts[:, None] + window + np.arange(horizon)[None, :]]
    else:
        Y = np.empty((starts.size, 0))
    return Xw, Y, starts


def make_windows(y, window, horizon=1, step=1, *, X=None, return_index=False):
    """Cut one or several series into aligned input windows and target blocks.

    Parameters
    ----------
    y : Series, 1-D array, DataFrame (one column per series), dict of Series or list of arrays
        The series. Leading NaNs of a DataFrame column mean "not started
        yet" and are dropped; NaN elsewhere raises ``ValueError``.
    window : int
        Number of past observations in each input window.
    horizon : int, default=1
        Number of future observations in each target block (0 gives no targets).
    step : int, default=1
        Distance between consecutive window starts. Windows are aligned to
        the end of each series, so the most recent window is always included.
    X : DataFrame or 2-D array of shape (n_obs, n_exog), optional
        Exogenous features aligned with ``y`` (for several series: shared,
        aligned with the rows of the DataFrame). When given, the input
        windows are 3-D: feature 0 is ``y``, features 1.. are ``X``.
    return_index : bool, default=False
        Also return a DataFrame with the series name and the start position
        of each window.

    Returns
    -------
    Xw : ndarray of shape (n_windows, window) or (n_windows, window, 1 + n_exog)
    Y : ndarray of shape (n_windows, horizon)
    index : DataFrame, only if ``return_index``

    Examples
    --------
    >>> import numpy as np
    >>> from tsforecast import make_windows
    >>> Xw, Y = make_windows(np.arange(6.0), window=3, horizon=2)
    >>> Xw
    array([[0., 1., 2.],
           [1., 2., 3.]])
    >>> Y
    array([[3., 4.],
           [4., 5.]])
    """
    window = _check_positive_int(window, "window")
    if isinstance(horizon, (bool, np.bool_)) or not isinstance(horizon, Integral) or horizon < 0:
        raise ValueError(f"horizon must be a non-negative integer; got {horizon!r}.")
    step = _check_positive_int(step, "step")
    if isinstance(y, (list, tuple)) and len(y) and np.ndim(y[0]) == 1 and not np.isscalar(y[0]):
        y = {i: pd.Series(np.asarray(s)) for i, s in enumerate(y)}
    exog_all = None
    if X is not None:

        exog_all = exog_array(X, "X")
    if is_panel(y):
        panel = to_panel(y)
        parts = []
        for name, s in panel.items():
            values, _ = check_series(s, name=f"series {name!r}", strip_leading_nan=True,
                                     min_length=window + horizon)
            ex = None
            if exog_all is not None:
                ex = exog_all[exog_all.shape[0] - values.size:]
            parts.append((name,) + _one_series_windows(values, window, horizon, step, ex))
        Xw = np.concatenate([p[1] for p in parts])
        Y = np.concatenate([p[2] for p in parts])
        index = pd.DataFrame({
            "series": np.concatenate([[p[0]] * len(p[3]) for p in parts]),
            "start": np.concatenate([p[3] for p in parts]),
        })
    else:
        values, _ = check_series(y)
        if exog_all is not None and exog_all.shape[0] != values.size:
            raise ValueError(f"X has {exog_all.shape[0]} rows but y has {values.size} observations.")
        Xw, Y, starts = _one_series_windows(values, window, horizon, step, exog_all)
        index = pd.DataFrame({"series": np.zeros(len(starts), dtype=int), "start": starts})
    return (Xw, Y, index) if return_index else (Xw, Y)


class SlidingWindowTransformer(TransformerMixin, BaseEstimator):
    """Turn a series (or a multivariate series) into a matrix of sliding windows.

    ``transform`` maps a series of ``T`` observations (``(T,)`` or
    ``(T, n_features)``) to ``T - window + 1`` windows (every ``step``-th,
    aligned to the end). The output is 2-D ``(n_windows, window * n_features)``
    for tabular models (supports ``set_output(transform="pandas")``, with
    column names like ``x0_lag2``) or 3-D ``(n_windows, window, n_features)``
    for recurrent models (``output="3d"``).

    Parameters
    ----------
    window : int, default=12
        Observations per window.
    step : int, default=1
        Distance between window starts.
    output : {"2d", "3d"}, default="2d"
        Shape of the output.

    Attributes
    ----------
    n_features_in_ : int
        Number of variables in the series seen in ``fit``.

    Examples
    --------
    >>> import numpy as np
    >>> from tsforecast import SlidingWindowTransformer
    >>> SlidingWindowTransformer(window=3).fit_transform(np.arange(5.0))
    array([[0., 1., 2.],
           [1., 2., 3.],
           [2., 3., 4.]])
    """

    _parameter_constraints = {
        "window": [Interval(Integral, 1, None, closed="left")],
        "step": [Interval(Integral, 1, None, closed="left")],
        "output": [StrOptions({"2d", "3d"})],
    }

    def __init__(self, window=12, step=1, output="2d"):
        self.window = window
        self.step = step
        self.output = output

    def _as_2d(self, X, reset):
        # a 1-D input is one series: (T,) -> (T, 1)
        if isinstance(X, pd.Series):
            X = X.to_frame()
        elif isinstance(X, (list, tuple, np.ndarray)):
            try:
                arr = np.asarray(X)
            except ValueError:  # ragged nesting
                raise ValueError(
                    "X must be one series, (T,) or (T, n_features); its rows have different lengths."
                ) from None
            if arr.ndim == 1:  # also [] and [None, 1.0]: "empty" / "contains NaN" errors below, not "expected 2D"
                X = arr[:, None]
        return validate_data(self, X, reset=reset, dtype=np.float64, ensure_min_samples=1)

    def fit(self, X, y=None):
        """Record the number of variables; windows need no fitting.

        Parameters
        ----------
        X : array-like of shape (T,) or (T, n_features)
        y : ignored

        Returns
        -------
        self
        """
        self._validate_params()
        self._as_2d(X, reset=True)
        return self

    def transform(self, X):
        """Windows of ``X``.

        Parameters
        ----------
        X : array-like of shape (T,) or (T, n_features)

        Returns
        -------
        ndarray of shape (n_windows, window * n_features) or (n_windows, window, n_features)
        """
        check_is_fitted(self)
        Xa = self._as_2d(X, reset=False)
        T = Xa.shape[0]
        if T < self.window:
            raise ValueError(f"series has {T} observations; window={self.window} needs at least {self.window}.")
        starts = window_starts(T, self.window, 0, self.step)
        idx = starts[:, None] + np.arange(self.window)[None, :]
        W = Xa[idx]  # (n, window, k)
        if self.output == "3d":
            return W
        flat = W.reshape(W.shape[0], -1)
        if get_output_config("transform", self)["dense"] == "pandas":
            # label each window by the time point of its last observation
            labels = X.index[idx[:, -1]] if isinstance(X, (pd.DataFrame, pd.Series)) else idx[:, -1]
            return pd.DataFrame(flat, index=labels, columns=self.get_feature_names_out())
        return flat

    def get_feature_names_out(self, input_features=None):
        """Names ``{feature}_lag{k}`` for the 2-D output (lag 0 = the most recent).

        Returns
        -------
        ndarray of str
        """
        check_is_fitted(self)
        if input_features is None:
            input_features = getattr(self, "feature_names_in_", [f"x{i}" for i in range(self.n_features_in_)])
        lags = range(self.window - 1, -1, -1)
        return np.array([f"{f}_lag{k}" for k in lags for f in input_features], dtype=object)

"""Reduction: forecasting with any scikit-learn regressor on sliding windows."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from ..windowing import make_windows
from ._base import BaseForecaster

__all__ = ["ReductionForecaster"]


class ReductionForecaster(BaseForecaster):
    """Turn any scikit-learn regressor into a forecaster via sliding windows.

    The series is cut into windows of ``window`` past values (with
    :func:`tsforecast.make_windows`); the regressor learns to map a window to
    future values.

    Parameters
    ----------
    estimator : scikit-learn regressor
        Any object with ``fit(X, y)``/``predict(X)``: ``Ridge``, gradient
        boosting, a ``Pipeline``, a scikeras ``KerasRegressor``...
    window : int, default=12
        Past observations used as features.
    horizon : int, default=1
        Steps ahead; the default of ``predict()``, and for ``"direct"`` and
        ``"multioutput"`` the largest step that can be forecast.
    strategy : {"recursive", "direct", "multioutput"}, default="recursive"
        ``"recursive"``: one model for one step ahead, fed its own
        forecasts. ``"direct"``: one model per step ``1..horizon``.
        ``"multioutput"``: one model predicting all ``horizon`` steps at once
        (the regressor must accept 2-D targets).
    normalize : {None, "last"}, default=None
        ``"last"`` subtracts each window's last value from its features and
        targets (and adds it back to forecasts), which lets models that cannot
        extrapolate (trees) follow a trend or level shift.
    n_jobs : int, default=None
        Parallel jobs when fitting several series.

    Attributes
    ----------
    estimators_ : list of fitted regressors
        One for "recursive" and "multioutput", ``horizon`` for "direct".

    Notes
    -----
    Exogenous regressors ``X``: the features of a window are its ``window``
    past values followed by ``X`` at the target time point (the step being
    forecast); for ``"multioutput"`` the ``X`` rows of all ``horizon`` steps.
    Prediction intervals are not provided.

    Examples
    --------
    >>> from sklearn.linear_model import Ridge
    >>> from tsforecast import ReductionForecaster
    >>> from tsforecast.datasets import load_airline
    >>> f = ReductionForecaster(Ridge(), window=24, horizon=12, strategy="direct")
    >>> f.fit(load_airline()).predict(3).round(0).tolist()
    [450.0, 413.0, 457.0]
    """

    _supports_exog = True
    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"])],
        "window": [Interval(Integral, 1, None, closed="left")],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "strategy": [StrOptions({"recursive", "direct", "multioutput"})],
        "normalize": [StrOptions({"last"}), None],
        "n_jobs": [Integral, None],
    }

    def __init__(self, estimator, window=12, horizon=1, strategy="recursive", normalize=None, n_jobs=None):
        self.estimator = estimator
        self.window = window
        self.horizon = horizon
        self.strategy = strategy
        self.normalize = normalize
        self.n_jobs = n_jobs

    def _target_len(self):
        return 1 if self.strategy == "recursive" else self.horizon

    def _min_length(self):
        # at least two training windows
        return self.window + self._target_len() + 1

    def _features(self, Xw, exog_rows):
        """Feature matrix from windows (n, window) and exog rows (n, r, k) or None."""
        if exog_rows is None:
            return Xw
        return np.hstack([Xw, exog_rows.reshape(exog_rows.shape[0], -1)])

    def _offset(self, Xw):
        if self.normalize == "last":
            return Xw[:, -1:]
        return np.zeros((Xw.shape[0], 1))

    def _fit(self, y, X):
        h = self._target_len()
        Xw, Y, index = make_windows(y, self.window, h, return_index=True)
        off = self._offset(Xw)
        Xw, Y = Xw - off, Y - off
        starts = index["start"].to_numpy()
        if self.strategy == "direct":
            self.estimators_ = []
            for k in range(h):
                ex = None if X is None else X[starts + self.window + k][:, None, :]
                self.estimators_.append(clone(self.estimator).fit(self._features(Xw, ex), Y[:, k]))
        else:
            ex = None
            if X is not None:
                ex = X[starts[:, None] + self.window + np.arange(h)[None, :]]
            target = Y[:, 0] if h == 1 else Y
            self.estimators_ = [clone(self.estimator).fit(self._features(Xw, ex), target)]
        self._last_window = y[-self.window:].copy()
        return self

    def _predict(self, steps, X):
        max_step = int(steps.max())
        if self.strategy != "recursive" and max_step > self.horizon:
            raise ValueError(
                f"ReductionForecaster(strategy={self.strategy!r}) was trained for horizon={self.horizon}; "
                f"step {max_step} was requested. Refit with horizon={max_step} or use strategy='recursive'."
            )
        last = self._last_window[None, :]
        off = self._offset(last)
        if self.strategy == "recursive":
            window = list(self._last_window)
            out = []
            for k in range(max_step):
                w = np.asarray(window[-self.window:])[None, :]
                o = self._offset(w)
                ex = None if X is None else X[k][None, None, :]
                val = float(np.ravel(self.estimators_[0].predict(self._features(w - o, ex)))[0]) + float(o[0, 0])
                out.append(val)
                window.append(val)
            return np.asarray(out)[steps - 1]
        if self.strategy == "direct":
            preds = []
            for s in steps:
                ex = None if X is None else X[s - 1][None, None, :]
                preds.append(float(np.ravel(self.estimators_[s - 1].predict(self._features(last - off, ex)))[0]))
            return np.asarray(preds) + off[0, 0]
        ex = None if X is None else X[: self.horizon][None, :, :]
        full = np.ravel(self.estimators_[0].predict(self._features(last - off, ex))) + off[0, 0]
        return full[steps - 1]

    def _check_X_predict(self, X, steps, fut_index):
        if self.strategy == "multioutput" and getattr(self, "_n_exog", 0):
            steps = np.arange(1, self.horizon + 1)
        return super()._check_X_predict(X, steps, fut_index)

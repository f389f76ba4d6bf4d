"""Reduction: forecasting with any scikit-learn regressor on sliding windows."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import clone

from ..utils._sklearn import HasMethods, Interval, StrOptions
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

    Prediction intervals (:meth:`predict_interval`) add to the point forecast
    the empirical quantiles of the model's in-sample ``k``-step-ahead errors:
    the fitted model forecasts from every training window (recursively for
    ``"recursive"``) and is compared with what followed. In-sample errors
    understate the uncertainty of models that fit their training data very
    closely (deep trees, boosting with many rounds); check the coverage with
    a backtest before relying on them.

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
        self._y_fit, self._X_fit = y.copy(), None if X is None else np.asarray(X, float).copy()
        return self

    def _paths(self, W, E, n_steps):
        """Forecasts of steps ``1..n_steps`` from each row of ``W`` (m, window).

        ``E``: exogenous rows (m, n_rows, k) for the steps forecast, or None.
        """
        m = W.shape[0]
        if self.strategy == "recursive":
            buf, out = W.copy(), np.empty((m, n_steps))
            for k in range(n_steps):
                o = self._offset(buf)
                ex = None if E is None else E[:, k][:, None, :]
                out[:, k] = np.ravel(self.estimators_[0].predict(self._features(buf - o, ex))) + o[:, 0]
                buf = np.hstack([buf[:, 1:], out[:, k : k + 1]])
            return out
        off = self._offset(W)
        if self.strategy == "direct":
            out = np.empty((m, n_steps))
            for k in range(n_steps):
                ex = None if E is None else E[:, k][:, None, :]
                out[:, k] = np.ravel(self.estimators_[k].predict(self._features(W - off, ex))) + off[:, 0]
            return out
        ex = None if E is None else E[:, : self.horizon]
        full = np.asarray(self.estimators_[0].predict(self._features(W - off, ex))).reshape(m, -1) + off
        return full[:, :n_steps]

    def _check_step_range(self, max_step):
        if self.strategy != "recursive" and max_step > self.horizon:
            raise ValueError(
                f"ReductionForecaster(strategy={self.strategy!r}) was trained for horizon={self.horizon}; "
                f"step {max_step} was requested. Refit with horizon={max_step} or use strategy='recursive'."
            )

    def _predict(self, steps, X):
        max_step = int(steps.max())
        self._check_step_range(max_step)
        n_steps = self.horizon if self.strategy == "multioutput" else max_step
        E = None if X is None else X[None, :, :]
        return self._paths(self._last_window[None, :], E, n_steps)[0, steps - 1]

    def _predict_interval(self, steps, coverage, X):
        # Empirical quantiles of the in-sample k-step-ahead errors: the fitted model
        # forecasts from every training window (recursively for "recursive"), and the
        # errors against the observed values give, for each step k, the spread added to
        # the point forecast. In-sample errors understate the uncertainty of models that
        # fit their training data closely (deep trees, boosting with many rounds).
        max_step = int(steps.max())
        self._check_step_range(max_step)
        point = self._predict(steps, X)
        y, Xf, w = self._y_fit, self._X_fit, self.window
        n = y.shape[0]
        n_steps = self.horizon if self.strategy == "multioutput" else max_step
        origins = np.arange(w, n)
        if Xf is not None and self.strategy == "multioutput":
            origins = origins[origins + n_steps <= n]  # the model reads every step's exog row
        if origins.size == 0:
            raise ValueError(f"no training window leaves room to measure {n_steps}-step errors for the intervals.")
        W = y[origins[:, None] - w + np.arange(w)[None, :]]
        E = None
        if Xf is not None:
            rows = np.minimum(origins[:, None] + np.arange(n_steps)[None, :], n - 1)
            E = Xf[rows]
        pred = self._paths(W, E, n_steps)
        target_pos = origins[:, None] + np.arange(n_steps)[None, :]
        valid = target_pos < n
        errors = np.where(valid, y[np.minimum(target_pos, n - 1)] - pred, np.nan)
        q = [(1 - coverage) / 2, (1 + coverage) / 2]
        lower, upper = np.empty(len(steps)), np.empty(len(steps))
        for i, s in enumerate(steps):
            e = errors[:, s - 1]
            e = e[np.isfinite(e)]
            if e.size < 2:
                raise ValueError(
                    f"{n} observations leave {e.size} training windows with a step-{s} error; the interval "
                    f"needs at least 2 (a series of at least {w + s + 1} points for window={w})."
                )
            lo, hi = np.quantile(e, q)
            lower[i], upper[i] = point[i] + lo, point[i] + hi
        return lower, upper

    def _check_X_predict(self, X, steps, fut_index):
        if self.strategy == "multioutput" and getattr(self, "_n_exog", 0):
            steps = np.arange(1, self.horizon + 1)
        return super()._check_X_predict(X, steps, fut_index)

"""Combination forecasts: one estimator that averages several forecasters."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import clone

from ..utils._sklearn import BaseComposition, Interval, StrOptions
from ..utils._series import as_series
from ._base import BaseForecaster

__all__ = ["EnsembleForecaster"]


class EnsembleForecaster(BaseComposition, BaseForecaster):
    """Combine the forecasts of several forecasters (mean, weighted mean or median).

    The forecasting twin of scikit-learn's ``VotingRegressor``: each
    ``(name, forecaster)`` is cloned and fitted on the same series, and the
    forecasts are averaged. Combining is the most reliable way to gain
    accuracy in forecasting competitions (M4's "Comb" benchmark is the mean of
    three exponential smoothing models; ensembles of networks won M4 and
    N-BEATS), and the combination is itself an estimator, so
    ``GridSearchCV``, ``cross_validate`` and the benchmark take it like any
    other forecaster. Members' parameters are set with the usual
    ``<name>__<parameter>`` syntax.

    Parameters
    ----------
    forecasters : list of (str, forecaster) tuples
        The members. Names must be unique and must not contain ``"__"``.
    weights : array-like of shape (n_forecasters,), default=None
        Weights of a weighted mean (normalised to sum to 1); ``None`` gives
        equal weights. Not allowed with ``aggregation="median"``.
    aggregation : {"mean", "median"}, default="mean"
        How forecasts are combined at each step. The median is robust to one
        member that goes wrong; with two members it equals the mean.
    horizon : int, default=1
        Steps forecast by ``predict()`` when no ``fh`` is given. It is also
        given to every member that has a ``horizon`` parameter, so that
        members trained for a horizon (the LSTM) can forecast it.
    n_jobs : int, default=None
        Parallel jobs when fitting several series (one ensemble per series).

    Attributes
    ----------
    estimators_ : list of fitted forecasters
        The fitted members, in the order of ``forecasters`` (one series; with
        several series, ``forecasters_`` holds one fitted ensemble per series,
        as for every forecaster).
    named_estimators_ : dict of str to fitted forecaster
        The fitted members by name.

    Notes
    -----
    Each member is fitted on the series with its index, so members read the
    season length from the index frequency as they would alone. Exogenous
    regressors ``X`` are given to the members that use them and withheld from
    the others. ``predict_interval`` combines the members' bounds with the
    same rule as the forecasts (mean or median of the lower bounds, and of
    the upper bounds); this is a heuristic, not a calibrated interval of the
    combination. With several series (a wide DataFrame or a dict), one
    ensemble is fitted per series.

    Examples
    --------
    >>> from tsforecast import EnsembleForecaster, HoltWintersForecaster, ThetaForecaster
    >>> from tsforecast.datasets import load_airline
    >>> y = load_airline()
    >>> comb = EnsembleForecaster([("theta", ThetaForecaster(seasonal_periods=12)),
    ...                            ("hw", HoltWintersForecaster(seasonal_periods=12))], horizon=3)
    >>> comb.fit(y).predict().round(1).tolist()
    [441.4, 432.1, 494.3]
    >>> comb.set_params(theta__theta=3.0).get_params()["theta__theta"]
    3.0
    """

    _supports_exog = True

    _parameter_constraints = {
        "forecasters": [list],
        "weights": ["array-like", None],
        "aggregation": [StrOptions({"mean", "median"})],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "n_jobs": [Integral, None],
    }

    def __init__(self, forecasters, *, weights=None, aggregation="mean", horizon=1, n_jobs=None):
        self.forecasters = forecasters
        self.weights = weights
        self.aggregation = aggregation
        self.horizon = horizon
        self.n_jobs = n_jobs

    # ------------------------------------------------- scikit-learn params
    def get_params(self, deep=True):
        """Parameters of the ensemble and, with ``deep=True``, of its members as ``name__param``."""
        return self._get_params("forecasters", deep=deep)

    def set_params(self, **params):
        """Set parameters of the ensemble or of a member (``name__param``); a member by ``name``."""
        self._set_params("forecasters", **params)
        return self

    # ---------------------------------------------------------- validation
    def _members(self):
        if not isinstance(self.forecasters, list) or not self.forecasters:
            raise ValueError("forecasters must be a non-empty list of (name, forecaster) tuples.")
        for item in self.forecasters:
            if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)):
                raise ValueError(f"forecasters must be (name, forecaster) tuples; got {item!r}.")
            if not hasattr(item[1], "fit") or not hasattr(item[1], "predict"):
                raise TypeError(f"member {item[0]!r} is not a forecaster (no fit/predict): {item[1]!r}.")
        names = [name for name, _ in self.forecasters]
        self._validate_names(names)
        return names, [f for _, f in self.forecasters]

    def _weights(self, n):
        if self.weights is None:
            return np.full(n, 1.0 / n)
        if self.aggregation == "median":
            raise ValueError("weights apply to aggregation='mean'; the median is unweighted (set weights=None).")
        w = np.asarray(self.weights, dtype=float)
        if w.shape != (n,):
            raise ValueError(f"weights has {w.size} value(s) but there are {n} forecasters.")
        if not np.all(np.isfinite(w)) or (w < 0).any() or w.sum() <= 0:
            raise ValueError(f"weights must be finite, non-negative and not all zero; got {w.tolist()}.")
        return w / w.sum()

    def _min_length(self):
        _, members = self._members()
        return max(int(f._min_length()) if hasattr(f, "_min_length") else 1 for f in members)

    # ----------------------------------------------------------- fit/predict
    def _fit(self, y, X):
        names, members = self._members()
        self._w = self._weights(len(members))
        series = as_series(y, self._meta)
        fitted = []
        for name, member in zip(names, members):
            est = clone(member)
            if "horizon" in est.get_params(deep=False):
                est.set_params(horizon=self.horizon)
            uses_x = X is not None and getattr(est, "_supports_exog", False)
            try:
                est.fit(series, X=X) if uses_x else est.fit(series)
            except (ValueError, TypeError) as exc:
                raise type(exc)(f"member {name!r}: {exc}") from exc
            fitted.append(est)
        self.estimators_ = fitted
        self.named_estimators_ = dict(zip(names, fitted))
        return self

    def _member_x(self, est, X):
        return X if X is not None and getattr(est, "_n_exog", 0) else None

    def _combine(self, arrays):
        arrays = np.asarray(arrays, dtype=float)
        if self.aggregation == "median":
            return np.median(arrays, axis=0)
        return np.tensordot(self._w, arrays, axes=1)

    def _predict(self, steps, X):
        preds = [np.asarray(e.predict(steps, X=self._member_x(e, X)), float) for e in self.estimators_]
        return self._combine(preds)

    def _predict_interval(self, steps, coverage, X):
        ivs = [e.predict_interval(steps, X=self._member_x(e, X), coverage=coverage) for e in self.estimators_]
        lower = self._combine([iv["lower"].to_numpy(float) for iv in ivs])
        upper = self._combine([iv["upper"].to_numpy(float) for iv in ivs])
        return lower, upper

"""Combination forecasts: one estimator that averages several forecasters."""

from __future__ import annotations

from numbers import Integral

import numpy as np
import pandas as pd
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
        Parallel jobs when fitting several series: given to every member
        that has an ``n_jobs`` parameter left at ``None`` (the models fitted
        one per series use it; a global network ignores it).

    Attributes
    ----------
    estimators_ : list of fitted forecasters
        The fitted members, in the order of ``forecasters``; with several
        series, each member fitted on the whole panel.
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
    combination. With several series (a wide DataFrame or a dict), every
    member is fitted on the whole panel, as it would be alone: local models
    fit one model per series, ``LSTMForecaster`` and ``ESRNNForecaster``
    one global network for all series. The forecasts are then combined
    series by series and step by step.

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
    def _fit_members(self, y, X):
        """Fit a clone of every member on ``y`` (one series, or a panel as a dict of series)."""
        names, members = self._members()
        self._w = self._weights(len(members))
        fitted = []
        for name, member in zip(names, members):
            est = clone(member)
            params = est.get_params(deep=False)
            if "horizon" in params:
                est.set_params(horizon=self.horizon)
            if self.n_jobs is not None and "n_jobs" in params and params["n_jobs"] is None:
                est.set_params(n_jobs=self.n_jobs)  # members fitting one model per series of a panel
            uses_x = X is not None and getattr(est, "_supports_exog", False)
            try:
                est.fit(y, X=X) if uses_x else est.fit(y)
            except (ValueError, TypeError) as exc:
                raise type(exc)(f"member {name!r}: {exc}") from exc
            fitted.append(est)
        self.estimators_ = fitted
        self.named_estimators_ = dict(zip(names, fitted))
        return fitted

    def _fit(self, y, X):
        self._fit_members(as_series(y, self._meta), X)
        return self

    def _fit_panel(self, series, X):
        # every member sees the whole panel, as it would alone: local models fit one model per
        # series, global ones (LSTMForecaster, ESRNNForecaster) one network for all series
        fitted = self._fit_members(series, X)
        first = fitted[0]
        self._n_exog = max(getattr(e, "_n_exog", 0) for e in fitted)
        self.cutoff_ = first.cutoff_
        self.n_obs_ = dict(first.n_obs_)
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

    # ------------------------------------------------------------- panels
    def _combine_frames(self, frames):
        """Combine the members' wide tables cell by cell (aligned on the first one's rows and columns)."""
        ref = frames[0]
        stacked = [f.reindex(index=ref.index, columns=ref.columns).to_numpy(float) for f in frames]
        return pd.DataFrame(self._combine(stacked), index=ref.index, columns=ref.columns)

    def _predict_panel(self, steps, X):
        return self._combine_frames([e.predict(steps, X=self._member_x(e, X)) for e in self.estimators_])

    def _predict_interval_panel(self, steps, coverage, X):
        return self._combine_frames([e.predict_interval(steps, X=self._member_x(e, X), coverage=coverage)
                                     for e in self.estimators_])

    def _score_panel(self, series, X):
        outs = [e._score_panel(series, self._member_x(e, X)) for e in self.estimators_]
        truths, _, trains = outs[0]
        preds = [self._combine([out[1][i] for out in outs]) for i in range(len(truths))]
        return truths, preds, trains

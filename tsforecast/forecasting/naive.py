"""Naive baselines: last value, seasonal last value, drift, and M4's Naive2."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from scipy.stats import norm

from ..utils._frequency import SEASONAL_PERIODS_DOC
from ..utils._sklearn import Interval
from ._base import FORECASTER_PARAMS_CONSTRAINTS, FORECASTER_PARAMS_DOC, BaseForecaster
from ._season import season_length
from .decomposition import classical_seasonal_indices, seasonality_test

__all__ = [
    "NaiveForecaster",
    "SeasonalNaiveForecaster",
    "DriftForecaster",
    "Naive2Forecaster",
]


def _z(coverage):
    return norm.ppf(0.5 + coverage / 2)


def _resid_sigma(resid):
    """RMS of in-sample residuals; NaN when there are none (intervals then raise)."""
    resid = resid[~np.isnan(resid)]
    if resid.size == 0:
        return np.nan
    if np.any(np.isinf(resid)):  # changes beyond float64 (1.7e308 to -1.7e308): no finite interval
        return np.inf
    top = float(np.max(np.abs(resid)))
    if top == 0:
        return 0.0
    # relative to the largest residual, so squaring neither overflows (1e300) nor underflows (1e-300)
    return top * float(np.sqrt(np.mean((resid / top) ** 2)))


def _half(coverage, sigma, variance_factor):
    """Half-width ``z * sigma * sqrt(variance_factor)`` (inf when it exceeds float64: _interval then raises)."""
    with np.errstate(over="ignore"):
        return _z(coverage) * sigma * np.sqrt(variance_factor)


def _interval(mean, half, n_obs):
    half = np.asarray(half, float)
    if np.any(np.isnan(half)):
        raise ValueError(
            f"the series has {n_obs} observation(s), too few to estimate the forecast error "
            "for a prediction interval; fit on a longer series."
        )
    with np.errstate(over="ignore"):
        lower, upper = mean - half, mean + half
    if not (np.all(np.isfinite(lower)) and np.all(np.isfinite(upper))):
        raise ValueError(
            "the prediction interval exceeds the float64 range (the series' values or changes are near "
            "1.8e308); rescale y."
        )
    return lower, upper


class NaiveForecaster(BaseForecaster):
    __doc__ = f"""Forecast every future step with the last observed value.

    Prediction intervals assume a random walk: ``sigma * sqrt(h)`` where
    ``sigma`` is the RMS of the one-step in-sample changes.

    Parameters
    ----------
{FORECASTER_PARAMS_DOC}

    Examples
    --------
    >>> from tsforecast import NaiveForecaster
    >>> NaiveForecaster().fit([1.0, 2.0, 3.0]).predict(2)
    array([3., 3.])
    """

    _parameter_constraints = {**FORECASTER_PARAMS_CONSTRAINTS}

    def __init__(self, horizon=1, n_jobs=None):
        self.horizon = horizon
        self.n_jobs = n_jobs

    def _fit(self, y, X):
        self.last_ = y[-1]
        with np.errstate(over="ignore", invalid="ignore"):  # changes beyond float64: sigma_ = inf
            self.sigma_ = _resid_sigma(np.diff(y))
        return self

    def _predict(self, steps, X):
        return np.full(len(steps), self.last_)

    def _predict_interval(self, steps, coverage, X):
        half = _half(coverage, self.sigma_, steps)
        return _interval(self._predict(steps, X), half, self.n_obs_)


class _SeasonalMixin:
    """The ``seasonal_periods`` rule of the naive forecasters that have a season."""

    _parameter_constraints = {
        "seasonal_periods": [Interval(Integral, 1, None, closed="left"), None],
        **FORECASTER_PARAMS_CONSTRAINTS,
    }

    def __init__(self, seasonal_periods=None, horizon=1, n_jobs=None):
        self.seasonal_periods = seasonal_periods
        self.horizon = horizon
        self.n_jobs = n_jobs

    def _season(self):
        return season_length(self)


class SeasonalNaiveForecaster(_SeasonalMixin, BaseForecaster):
    __doc__ = f"""Forecast each step with the value one season earlier.

    Parameters
    ----------
{SEASONAL_PERIODS_DOC}
{FORECASTER_PARAMS_DOC}

    Attributes
    ----------
    seasonal_periods_ : int
        The season length used (see ``seasonal_periods``).

    Examples
    --------
    >>> from tsforecast import SeasonalNaiveForecaster
    >>> SeasonalNaiveForecaster(seasonal_periods=2).fit([1.0, 5.0, 2.0, 6.0]).predict(3)
    array([2., 6., 2.])
    >>> from tsforecast.datasets import load_airline
    >>> SeasonalNaiveForecaster().fit(load_airline()).seasonal_periods_  # from the monthly index
    12
    """

    def _min_length(self):
        return self._season()

    def _fit(self, y, X):
        m = self.seasonal_periods_ = self._season()
        self.last_season_ = y[-m:].copy()
        with np.errstate(over="ignore", invalid="ignore"):  # changes beyond float64: sigma_ = inf
            self.sigma_ = _resid_sigma(y[m:] - y[:-m]) if y.size > m else np.nan
        return self

    def _predict(self, steps, X):
        m = self.seasonal_periods_
        return self.last_season_[(steps - 1) % m]

    def _predict_interval(self, steps, coverage, X):
        k = (steps - 1) // self.seasonal_periods_
        half = _half(coverage, self.sigma_, k + 1)
        return _interval(self._predict(steps, X), half, self.n_obs_)


class DriftForecaster(BaseForecaster):
    __doc__ = f"""Random walk with drift: the line through the first and last observation.

    Parameters
    ----------
{FORECASTER_PARAMS_DOC}

    Examples
    --------
    >>> from tsforecast import DriftForecaster
    >>> DriftForecaster().fit([1.0, 2.0, 3.0]).predict(2)
    array([4., 5.])
    """

    _parameter_constraints = {**FORECASTER_PARAMS_CONSTRAINTS}

    def __init__(self, horizon=1, n_jobs=None):
        self.horizon = horizon
        self.n_jobs = n_jobs

    def _min_length(self):
        return 2

    def _fit(self, y, X):
        self.last_ = y[-1]
        self.slope_ = y[-1] / (y.size - 1) - y[0] / (y.size - 1)  # no overflow for 1.7e308 to -1.7e308
        with np.errstate(over="ignore", invalid="ignore"):  # changes beyond float64: sigma_ = inf
            self.sigma_ = _resid_sigma(np.diff(y) - self.slope_)
        self._n = y.size
        return self

    def _predict(self, steps, X):
        return self.last_ + self.slope_ * steps

    def _predict_interval(self, steps, coverage, X):
        half = _half(coverage, self.sigma_, steps * (1 + steps / (self._n - 1)))
        return _interval(self._predict(steps, X), half, self.n_obs_)


class Naive2Forecaster(_SeasonalMixin, BaseForecaster):
    __doc__ = f"""The M4 competition's Naive2 benchmark.

    When a 90% autocorrelation test finds seasonality at the seasonal lag
    ``m``, the series is divided by the seasonal indices of
    a classical multiplicative decomposition, forecast with the naive
    method, and the forecasts are multiplied back by the indices;
    otherwise it is the naive method. Series with non-positive values are
    never deseasonalised (multiplicative indices are undefined).

    Parameters
    ----------
{SEASONAL_PERIODS_DOC}
{FORECASTER_PARAMS_DOC}

    Attributes
    ----------
    seasonal_periods_ : int
        The season length ``m`` used (see ``seasonal_periods``).
    seasonal_ : bool
        Whether the seasonality test found seasonality.
    seasonal_indices_ : ndarray of shape (seasonal_periods_,)
        Multiplicative indices (ones when not seasonal).

    Examples
    --------
    >>> from tsforecast import Naive2Forecaster
    >>> from tsforecast.datasets import load_airline
    >>> f = Naive2Forecaster(seasonal_periods=12).fit(load_airline())
    >>> f.seasonal_
    True
    >>> f.predict(3).round(1).tolist()
    [437.5, 424.7, 484.2]
    """

    def _fit(self, y, X):
        m = self.seasonal_periods_ = self._season()
        self.seasonal_ = bool(m > 1 and np.all(y > 0) and seasonality_test(y, m))
        self.seasonal_indices_ = classical_seasonal_indices(y, m) if self.seasonal_ else np.ones(m)
        self._n = y.size
        si = self.seasonal_indices_[np.arange(y.size) % m]
        adj = y / si
        self.last_ = adj[-1]
        with np.errstate(over="ignore", invalid="ignore"):  # changes beyond float64: sigma_ = inf
            self.sigma_ = _resid_sigma(np.diff(adj))
        return self

    def _future_si(self, steps):
        m = self.seasonal_periods_
        return self.seasonal_indices_[(self._n - 1 + steps) % m]

    def _predict(self, steps, X):
        return self.last_ * self._future_si(steps)

    def _predict_interval(self, steps, coverage, X):
        half = _half(coverage, self.sigma_, steps)
        lower, upper = _interval(self.last_, half, self.n_obs_)
        si = self._future_si(steps)
        return lower * si, upper * si

"""The Theta method (Assimakopoulos & Nikolopoulos, 2000) on statsmodels' ``ThetaModel``."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from ..utils._frequency import SEASONAL_PERIODS_DOC
from ..utils._numeric import power_of_two_scale
from ..utils._sklearn import Interval, StrOptions
from ._base import FORECASTER_PARAMS_CONSTRAINTS, FORECASTER_PARAMS_DOC, BaseForecaster
from ._season import season_length
from ._statsmodels import interval_at, quiet

__all__ = ["ThetaForecaster"]


class ThetaForecaster(BaseForecaster):
    __doc__ = f"""Theta method: simple exponential smoothing plus half the linear trend.

    Wraps statsmodels' ``ThetaModel`` (Hyndman & Billah's formulation: SES
    with drift equal to half the slope of a fitted line, for ``theta=2``).
    Unless ``deseasonalize=None``, a series with a season ``m > 1`` is
    seasonally adjusted by a classical decomposition first, if a 90%
    autocorrelation test at lag ``m`` finds seasonality (``use_test=True``)
    and the series holds at least two full seasons; the forecasts are then
    re-seasonalised.

    Prediction intervals are statsmodels' analytic intervals of the
    equivalent ARIMA(0, 1, 1) with drift (Gaussian errors), re-seasonalised
    like the forecasts.

    Parameters
    ----------
{SEASONAL_PERIODS_DOC}
    deseasonalize : {{"auto", "multiplicative", "additive"}} or None, default="auto"
        Seasonal adjustment before the Theta method (when seasonal, see
        above), the same kind of value as ``LSTMForecaster``'s:
        ``"multiplicative"`` divides by the indices of a classical
        multiplicative decomposition (positive data only), ``"additive"``
        subtracts those of an additive one, ``"auto"`` is multiplicative for
        positive data (additive when a multiplicative index is not
        positive) and additive otherwise; ``None``: no adjustment. ``True``
        and ``False`` are accepted as aliases of ``"auto"`` and ``None``
        (this was a bool, with a separate ``method`` choosing the
        decomposition: ``deseasonalize=True, method="additive"`` is now
        ``deseasonalize="additive"``).
    theta : float, default=2.0
        Weight of the second theta line (2 is the classical Theta method).
    use_test : bool, default=True
        Deseasonalise only when the autocorrelation test finds seasonality.
    use_mle : bool, default=False
        Estimate the smoothing parameter and drift jointly by maximum
        likelihood of an ARIMA(0, 1, 1) with drift instead of the two-step
        (OLS slope, then SES) estimate.
{FORECASTER_PARAMS_DOC}

    Attributes
    ----------
    model_ : statsmodels ThetaModelResults
        ``None`` for a constant series (forecast exactly, zero-width intervals).
        For a series whose largest magnitude lies outside 1e-100 .. 1e100 it
        is the fit of the series divided by a power of two near that
        magnitude (the forecaster's own forecasts are in the data's units).
    alpha_ : float
        Smoothing parameter of the SES.
    b0_ : float
        Slope of the linear trend.
    deseasonalized_ : bool
        Whether the series was seasonally adjusted.
    seasonal_periods_ : int
        The season length used (see ``seasonal_periods``).

    Examples
    --------
    >>> from tsforecast import ThetaForecaster
    >>> from tsforecast.datasets import load_airline
    >>> f = ThetaForecaster(seasonal_periods=12).fit(load_airline())
    >>> f.deseasonalized_
    True
    >>> f.predict(3).round(1).tolist()
    [440.1, 428.4, 489.7]
    >>> ThetaForecaster().fit(load_airline()).seasonal_periods_  # from the monthly index
    12
    """

    _parameter_constraints = {
        "seasonal_periods": [Interval(Integral, 1, None, closed="left"), None],
        "deseasonalize": [StrOptions({"auto", "multiplicative", "additive"}), "boolean", None],
        "theta": [Interval(Real, 1, None, closed="left")],
        "use_test": ["boolean"],
        "use_mle": ["boolean"],
        **FORECASTER_PARAMS_CONSTRAINTS,
    }

    def __init__(
        self,
        seasonal_periods=None,
        deseasonalize="auto",
        theta=2.0,
        use_test=True,
        use_mle=False,
        horizon=1,
        n_jobs=None,
    ):
        self.seasonal_periods = seasonal_periods
        self.deseasonalize = deseasonalize
        self.theta = theta
        self.use_test = use_test
        self.use_mle = use_mle
        self.horizon = horizon
        self.n_jobs = n_jobs

    def _min_length(self):
        return 3

    def _fit(self, y, X):
        from statsmodels.tsa.forecasting.theta import ThetaModel

        m = self.seasonal_periods_ = season_length(self)
        mode = {True: "auto", False: None}.get(self.deseasonalize, self.deseasonalize)
        method = {"additive": "add", "multiplicative": "mul"}.get(mode, mode)  # statsmodels' names
        if method == "mul" and np.any(y <= 0):
            raise ValueError(
                f"deseasonalize='multiplicative' needs positive data; y has minimum {y.min():g}. "
                "Use deseasonalize='additive' or 'auto'."
            )
        if np.all(y == y[0]):
            # statsmodels mis-fits a constant series (its trend regression drops
            # the intercept column), so forecast the constant exactly
            self._constant = float(y[0])
            self.model_ = None
            self.alpha_, self.b0_, self.deseasonalized_ = 1.0, 0.0, False
            return self
        self._constant = None
        # beyond 1e+-100 statsmodels' SES fit loses accuracy (forecasts 10% off at 1e+-300): fit such a
        # series divided by a power of two near its largest value (model_ then works in those units)
        top = float(np.max(np.abs(y)))
        self._y_scale = power_of_two_scale(top) if not 1e-100 < top < 1e100 else 1.0
        deseason = bool(mode is not None and m > 1 and y.size >= 2 * m)
        mod = ThetaModel(y / self._y_scale, period=m, deseasonalize=deseason, use_test=self.use_test,
                         method=method or "auto")
        with quiet(one_thread=True):
            res = mod.fit(use_mle=self.use_mle)
        self.model_ = res
        self.b0_ = float(res.params["b0"]) * self._y_scale
        self.alpha_ = float(res.params["alpha"])
        self.deseasonalized_ = bool(mod._has_seasonality) if deseason else False
        return self

    def _predict(self, steps, X):
        if self._constant is not None:
            return np.full(len(steps), self._constant)
        h = int(np.max(steps))
        with quiet():
            fc = self.model_.forecast(h, theta=self.theta)
        return np.asarray(fc, float)[steps - 1] * getattr(self, "_y_scale", 1.0)

    def _predict_interval(self, steps, coverage, X):
        if self._constant is not None:
            flat = np.full(len(steps), self._constant)
            return flat, flat.copy()
        h = int(np.max(steps))
        with quiet(one_thread=True):
            pi = self.model_.prediction_intervals(h, theta=self.theta, alpha=1 - coverage)
        lower, upper = interval_at(pi, steps)
        k = getattr(self, "_y_scale", 1.0)
        return lower * k, upper * k

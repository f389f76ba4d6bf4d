"""Forecasting with several seasons: MSTL decomposition, seasonal naive seasons, a trend forecaster."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import clone

from ..utils._frequency import freq_code, season_length_from_freq
from ..utils._sklearn import HasMethods, Interval
from ._base import FORECASTER_PARAMS_CONSTRAINTS, FORECASTER_PARAMS_DOC, BaseForecaster
from ._statsmodels import quiet

__all__ = ["MSTLForecaster"]

#: base frequency code -> the seasons ``seasonal_periods=None`` uses where a frequency has
#: more than one usual season (day and week of hourly data, week and year of daily data);
#: other frequencies get their single usual season (``season_length_from_freq``)
_MULTI_SEASONS = {"H": (24, 168), "D": (7, 365)}

#: STL arguments that MSTL sets itself from ``seasonal_periods`` and its windows
_RESERVED_STL_KWARGS = ("endog", "period", "seasonal")


def seasons_from_freq(freq):
    """The season lengths ``MSTLForecaster(seasonal_periods=None)`` uses for a pandas frequency.

    Hourly data: day and week ``(24, 168)``; daily: week and year ``(7, 365)``;
    other known frequencies their single usual season (business-daily ``(5,)``,
    monthly ``(12,)``...); yearly data, an unknown or multiple frequency or
    none: ``()`` (no season).

    Examples
    --------
    >>> from tsforecast.forecasting.mstl import seasons_from_freq
    >>> seasons_from_freq("h"), seasons_from_freq("D"), seasons_from_freq("B"), seasons_from_freq(None)
    ((24, 168), (7, 365), (5,), ())
    """
    code = freq_code(freq)
    if code is None:
        return ()
    if code in _MULTI_SEASONS:
        return _MULTI_SEASONS[code]
    m = season_length_from_freq(freq)
    return (m,) if m > 1 else ()


def _requested_periods(seasonal_periods):
    """``seasonal_periods`` (int, list of ints) as a sorted tuple of distinct ints >= 2 (1 = no season)."""
    values = [seasonal_periods] if isinstance(seasonal_periods, Integral) else list(seasonal_periods)
    bad = [v for v in values if isinstance(v, bool) or not isinstance(v, Integral) or v < 1]
    if bad:
        raise ValueError(
            f"seasonal_periods must be an int >= 1, a list of such ints or None; got {seasonal_periods!r} "
            f"(bad value {bad[0]!r})."
        )
    return tuple(sorted({int(v) for v in values if v > 1}))


def _default_trend_forecaster():
    """The default forecaster of the seasonally adjusted series (chosen on M4 Hourly training data)."""
    from .theta import ThetaForecaster

    return ThetaForecaster(seasonal_periods=1)


class MSTLForecaster(BaseForecaster):
    __doc__ = f"""Several seasons: MSTL decomposition, seasonal naive seasons, a forecaster for the rest.

    The series is decomposed by statsmodels' ``MSTL`` (STL repeated over
    several season lengths, Bandara, Hyndman & Bergmeir, 2021) into one
    seasonal component per season length, a trend and a remainder. Each
    seasonal component is forecast by repeating its last season (seasonal
    naive); the seasonally adjusted series (trend + remainder) is forecast
    by ``trend_forecaster``; the forecast is the sum. This is the MSTL
    forecaster of R's ``forecast::stlf``/``mstl`` and of statsforecast, for
    data with long or several seasons (hourly: day and week; daily: week
    and year), where seasonal ARIMA or Holt-Winters are slow or impossible.

    A season of length ``m`` is used only when the series has more than
    ``2 * m`` observations (statsmodels' MSTL condition); longer seasons
    are dropped, and the fitted ``seasonal_periods_`` says which were used.
    With no season left the forecaster is the trend forecaster alone.

    Prediction intervals are the trend forecaster's interval of the
    seasonally adjusted series shifted by the seasonal forecast: the
    uncertainty of the seasonal components themselves is ignored, so the
    intervals are somewhat too narrow when the seasons change over time.

    Parameters
    ----------
    seasonal_periods : int, list of int or None, default=None
        Season lengths. ``None`` reads them from the index frequency of the
        series passed to ``fit``: hourly ``(24, 168)``, daily ``(7, 365)``,
        business-daily ``(5,)``, other known frequencies their usual season
        (12 monthly, 4 quarterly, 52 weekly, none for yearly); a series
        without a frequency (a NumPy array, a ``RangeIndex``) then has no
        season. ``1`` (or an empty list) switches seasonality off.
    trend_forecaster : forecaster or None, default=None
        Forecaster of the seasonally adjusted series, fitted on it as a
        NumPy array (so it finds no frequency and no season of its own).
        ``None``: ``ThetaForecaster(seasonal_periods=1)``, the Theta method
        without seasonal adjustment: as accurate as the automatic
        non-seasonal ``HoltWintersForecaster`` on validation data, at a third
        of the time (``benchmarks/RESULTS.md``).
    stl_kwargs : dict or None, default=None
        Extra arguments of statsmodels' ``STL`` used inside MSTL (e.g.
        ``{{"robust": True}}``); not ``period`` or ``seasonal``.
{FORECASTER_PARAMS_DOC}

    Attributes
    ----------
    seasonal_periods_ : tuple of int
        The season lengths used (ascending; empty when none).
    seasonal_ : ndarray of shape (n_obs, n_seasons)
        The seasonal components, one column per entry of ``seasonal_periods_``.
    trend_forecaster_ : forecaster
        The fitted forecaster of the seasonally adjusted series
        ``y - seasonal_.sum(axis=1)``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from tsforecast import MSTLForecaster
    >>> t = np.arange(24 * 7 * 3)
    >>> day, week = np.sin(2 * np.pi * t / 24), 2 * np.sin(2 * np.pi * t / 168)
    >>> y = pd.Series(10 + day + week, index=pd.date_range("2024-01-01", periods=t.size, freq="h"))
    >>> f = MSTLForecaster().fit(y)
    >>> f.seasonal_periods_
    (24, 168)
    >>> future = 10 + day[:48] + week[:48]  # both seasons divide the series' length
    >>> float(np.abs(f.predict(48).to_numpy() - future).max().round(2))
    0.03
    """

    _parameter_constraints = {
        "seasonal_periods": [Interval(Integral, 1, None, closed="left"), "array-like", None],
        "trend_forecaster": [HasMethods(["fit", "predict"]), None],
        "stl_kwargs": [dict, None],
        **FORECASTER_PARAMS_CONSTRAINTS,
    }

    def __init__(self, seasonal_periods=None, *, trend_forecaster=None, stl_kwargs=None, horizon=1, n_jobs=None):
        self.seasonal_periods = seasonal_periods
        self.trend_forecaster = trend_forecaster
        self.stl_kwargs = stl_kwargs
        self.horizon = horizon
        self.n_jobs = n_jobs

    def _trend_template(self):
        return _default_trend_forecaster() if self.trend_forecaster is None else self.trend_forecaster

    def _min_length(self):
        inner = getattr(self._trend_template(), "_min_length", None)
        return inner() if inner is not None else 1

    def _periods(self, n):
        """The season lengths used for a series of ``n`` observations."""
        if self.seasonal_periods is None:
            meta = getattr(self, "_meta", None)
            freq = meta.freq if meta is not None and meta.index is not None else None
            requested = seasons_from_freq(freq)
        else:
            requested = _requested_periods(self.seasonal_periods)
        return tuple(m for m in requested if n > 2 * m)

    def _fit(self, y, X):
        stl_kwargs = dict(self.stl_kwargs or {})
        reserved = [k for k in _RESERVED_STL_KWARGS if k in stl_kwargs]
        if reserved:
            raise ValueError(
                f"stl_kwargs may not set {reserved[0]!r}: MSTL sets the series, each STL's period (from "
                "seasonal_periods) and its seasonal smoother window itself."
            )
        periods = self._periods(y.size)
        if periods:
            from statsmodels.tsa.seasonal import MSTL

            with quiet(one_thread=True):
                res = MSTL(y, periods=periods, stl_kwargs=stl_kwargs).fit()
            seasonal = np.asarray(res.seasonal, float).reshape(y.size, len(periods))
        else:
            seasonal = np.zeros((y.size, 0))
        self.seasonal_periods_ = periods
        self.seasonal_ = seasonal
        self.trend_forecaster_ = clone(self._trend_template()).fit(y - seasonal.sum(axis=1))
        return self

    def _seasonal_forecast(self, steps):
        """Sum of the seasonal naive forecasts of the seasonal components at the 1-based ``steps``."""
        n = self.seasonal_.shape[0]
        out = np.zeros(len(steps))
        for j, m in enumerate(self.seasonal_periods_):
            out += self.seasonal_[n - m + (steps - 1) % m, j]
        return out

    def _predict(self, steps, X):
        adjusted = np.asarray(self.trend_forecaster_.predict(steps), float)
        return adjusted + self._seasonal_forecast(steps)

    def _predict_interval(self, steps, coverage, X):
        bounds = self.trend_forecaster_.predict_interval(steps, coverage=coverage)
        season = self._seasonal_forecast(steps)
        return bounds["lower"].to_numpy() + season, bounds["upper"].to_numpy() + season

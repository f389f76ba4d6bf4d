"""How many differences a series needs: the unit-root and seasonality tests of auto ARIMA.

``ndiffs`` and ``nsdiffs`` follow R's ``forecast`` package (KPSS tests for
first differences, the STL seasonal strength for seasonal ones); the ARIMA
search (:mod:`._arima_search`) calls them once and fits every candidate on
the differenced series.
"""

from __future__ import annotations

import math

import numpy as np

from ._statsmodels import quiet

__all__ = ["adf_unit_root", "ndiffs", "nsdiffs", "difference", "is_constant"]


def is_constant(x):
    """Whether ``x`` is empty or holds one value only."""
    return x.size == 0 or bool(np.all(x == x[0]))


def difference(y, d, D, m):
    """``y`` differenced ``D`` times at lag ``m``, then ``d`` times at lag 1 (along the first axis)."""
    x = np.asarray(y, dtype=float)
    for _ in range(D):
        x = x[m:] - x[:-m]
    for _ in range(d):
        x = np.diff(x, axis=0)
    return x


def _kpss_pvalue(x, nlags):
    """p-value of statsmodels' KPSS level-stationarity test.

    Called the way every statsmodels release since 0.14 accepts (no
    ``result_object``, which 0.14.6 refuses); a result object, the default
    from statsmodels 0.16 on, is read by name.
    """
    from statsmodels.tsa.stattools import kpss

    with quiet():  # the p-value is interpolated in a table (statsmodels warns outside it); 0.15 warns of 0.16
        out = kpss(x, regression="c", nlags=nlags)
    return float(out.pvalue) if hasattr(out, "pvalue") else float(out[1])


def _kpss_rejects(x, alpha):
    """True when the KPSS level-stationarity test rejects at level ``alpha``."""
    nlags = int(math.trunc(3 * math.sqrt(x.size) / 13))  # R forecast::ndiffs's default lag
    return _kpss_pvalue(x, max(nlags, 0)) < alpha


def adf_unit_root(y, *, alpha=0.05):
    """Whether the augmented Dickey-Fuller test keeps the unit root of ``y`` (p-value >= ``alpha``).

    statsmodels' ``adfuller`` with its defaults (a constant, the lag order chosen by AIC). Constant
    series, and series too short for the test (fewer than 8 values), keep no unit root.
    """
    from statsmodels.tsa.stattools import adfuller

    x = np.asarray(y, dtype=float)
    if x.size < 8 or is_constant(x):
        return False
    try:
        with quiet():
            pvalue = float(adfuller(x, regression="c", autolag="AIC")[1])
    except (ValueError, np.linalg.LinAlgError):  # too few observations for the lags, or a singular regression
        return False
    return bool(pvalue >= alpha)


def ndiffs(y, *, alpha=0.05, max_d=2):
    """Number of first differences needed for stationarity (repeated KPSS tests).

    Follows R's ``forecast::ndiffs(test="kpss")``: difference while the KPSS
    test (statsmodels' ``kpss``, level stationarity, ``trunc(3 sqrt(n) / 13)``
    lags as in R) rejects at level ``alpha``, at most ``max_d`` times.

    Parameters
    ----------
    y : array-like of shape (n,)
    alpha : float, default=0.05
    max_d : int, default=2

    Returns
    -------
    int

    Examples
    --------
    >>> import numpy as np
    >>> from tsforecast.forecasting.arima import ndiffs
    >>> rng = np.random.default_rng(0)
    >>> ndiffs(rng.normal(size=200)), ndiffs(rng.normal(size=200).cumsum())
    (0, 1)
    """
    x = np.asarray(y, dtype=float)
    d = 0
    if x.size < 3 or is_constant(x):
        return 0
    while d < max_d and x.size >= 3 and _kpss_rejects(x, alpha):
        d += 1
        x = np.diff(x)
        if is_constant(x):
            return d
    return d


def _seasonal_strength(x, m):
    """R's ``seas.heuristic``: 1 - var(remainder) / var(remainder + seasonal) of an STL fit."""
    from statsmodels.tsa.seasonal import STL

    res = STL(x, period=m, seasonal=11, robust=False).fit()
    rem = np.asarray(res.resid)
    denom = np.var(rem + np.asarray(res.seasonal), ddof=1)
    if denom <= 0:
        return 0.0
    return float(min(1.0, max(0.0, 1.0 - np.var(rem, ddof=1) / denom)))


def nsdiffs(y, m, *, max_D=1, threshold=0.64):
    """Number of seasonal differences from the STL seasonal strength.

    Follows R's ``forecast::nsdiffs(test="seas")``: take a seasonal
    difference while the seasonal strength of an STL decomposition exceeds
    ``threshold`` (0.64), at most ``max_D`` times. Series shorter than three
    full seasons are never seasonally differenced (an STL fit on fewer
    seasons finds "seasonality" in white noise).

    Parameters
    ----------
    y : array-like of shape (n,)
    m : int
        Season length.
    max_D : int, default=1
    threshold : float, default=0.64

    Returns
    -------
    int

    Examples
    --------
    >>> from tsforecast.datasets import load_airline
    >>> from tsforecast.forecasting.arima import nsdiffs
    >>> nsdiffs(load_airline().to_numpy(), 12)
    1
    """
    x = np.asarray(y, dtype=float)
    D = 0
    if m <= 1:
        return 0
    while D < max_D and x.size >= 3 * m and not is_constant(x):
        if _seasonal_strength(x, m) <= threshold:
            break
        D += 1
        x = x[m:] - x[:-m]
    return D

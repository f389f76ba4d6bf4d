"""Classical seasonal decomposition shared by Naive2, Theta and the LSTM forecasters.

Two pieces, as M4's benchmarks define them: a test of whether a series is
seasonal at lag ``m`` and the seasonal indices of a classical (moving
average) decomposition.
"""

from __future__ import annotations

import numpy as np

from ..utils._numeric import power_of_two_exponent

__all__ = ["seasonality_test", "classical_seasonal_indices"]


def seasonality_test(y, m):
    """M4's 90% autocorrelation test for seasonality at lag ``m``.

    Returns True when ``|acf(m)| > 1.645 * sqrt((1 + 2 * sum_{k<m} acf(k)^2) / n)``.
    """
    y = np.asarray(y, float)
    if m <= 1 or y.size < 3 * m:
        return False
    # autocorrelations do not depend on the units; squares of 1e300 (1e-300) would not fit
    y = np.ldexp(y, -power_of_two_exponent(float(np.max(np.abs(y)))))
    x = y - y.mean()
    denom = np.sum(x**2)
    if denom == 0:
        return False
    acf = np.array([np.sum(x[k:] * x[: x.size - k]) / denom for k in range(m + 1)])
    limit = 1.645 * np.sqrt((1 + 2 * np.sum(acf[1:m] ** 2)) / y.size)
    return bool(abs(acf[m]) > limit)


def classical_seasonal_indices(y, m, *, model="multiplicative"):
    """Seasonal indices of a classical decomposition.

    The trend is the centred moving average of order ``m`` (``2 x m`` for
    even ``m``); the indices are the per-phase means of ``y / trend``
    (``model="multiplicative"``, normalised to mean 1) or ``y - trend``
    (``model="additive"``, normalised to mean 0). Every phase needs one
    detrended value, so ``y`` should hold at least ``2 * m`` observations.

    Returns an array of length ``m`` aligned so that ``indices[i]`` applies
    to observation ``i`` modulo ``m``.
    """
    if model not in ("multiplicative", "additive"):
        raise ValueError(f"model must be 'multiplicative' or 'additive'; got {model!r}.")
    y = np.asarray(y, float)
    n = y.size
    if m % 2 == 0:
        w = np.r_[0.5, np.ones(m - 1), 0.5] / m
    else:
        w = np.ones(m) / m
    trend = np.convolve(y, w, mode="valid")
    off = (len(w) - 1) // 2
    ratio = np.full(n, np.nan)
    core = y[off : off + trend.size]
    ratio[off : off + trend.size] = core - trend if model == "additive" else core / trend
    idx = np.array([np.nanmean(ratio[i::m]) for i in range(m)])
    return idx - idx.mean() if model == "additive" else idx / idx.mean()

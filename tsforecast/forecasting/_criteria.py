"""Information criteria of a fitted likelihood model, shared by the ARIMA and Holt-Winters searches."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["CRITERIA", "information_criterion"]

#: names accepted by :func:`information_criterion` (and by the forecasters' ``information_criterion``)
CRITERIA = ("aicc", "aic", "bic")


def information_criterion(criterion, llf, k, n):
    """AIC, AICc or BIC of a model with log-likelihood ``llf``, ``k`` parameters and ``n`` observations.

    R's convention (``forecast::Arima``, ``forecast::ets``): ``k`` counts
    every estimated parameter, the innovation variance included, and ``n``
    is the number of observations the likelihood is computed on (after
    differencing). A non-finite ``llf``, and an AICc with ``n - k - 1 <= 0``
    (undefined), give ``inf``, so such a model never wins a search.

    Parameters
    ----------
    criterion : {"aicc", "aic", "bic"}
    llf : float
    k : int
    n : int

    Returns
    -------
    float

    Examples
    --------
    >>> information_criterion("aic", -10.0, 2, 20)
    24.0
    >>> round(information_criterion("aicc", -10.0, 2, 20), 4)
    24.7059
    >>> information_criterion("aicc", -10.0, 2, 3)
    inf
    """
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be one of {CRITERIA}; got {criterion!r}.")
    if not np.isfinite(llf):
        return np.inf
    aic = -2.0 * llf + 2.0 * k
    if criterion == "aic":
        return aic
    if criterion == "bic":
        return -2.0 * llf + k * math.log(n)
    if n - k - 1 <= 0:
        return np.inf
    return aic + 2.0 * k * (k + 1) / (n - k - 1)

"""Long seasons in auto ARIMA: Fourier terms as regressors ("dynamic harmonic regression").

A seasonal ARIMA with a long season (52 weekly, 24 hourly and more) is slow
to fit and often poor: the seasonal polynomials reach back ``m`` steps and
the state vector grows with ``m``. Following R's forecast package (Hyndman &
Athanasopoulos, *Forecasting: Principles and Practice*, section 10.5), a
season longer than :data:`FOURIER_MIN_PERIOD` is modelled instead by ``K``
pairs of sine and cosine terms of the season's period as regressors, with
non-seasonal ARIMA errors. :func:`search_fourier` chooses ``K`` by the
information criterion; the estimator (:mod:`.arima`) generates the terms of
the future steps at forecast time.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..utils._frequency import freq_code
from ._arima_search import choose_orders, rank_orders
from ._unit_root import ndiffs

__all__ = ["FOURIER_MIN_PERIOD", "MAX_FOURIER_TERMS", "FourierChoice", "fourier_period", "fourier_terms",
           "search_fourier", "with_terms"]

#: seasons longer than this are modelled by Fourier terms in auto ARIMA (R's advice: m > 24)
FOURIER_MIN_PERIOD = 24
#: the search tries K = 1 .. min(MAX_FOURIER_TERMS, m // 2) pairs of terms
MAX_FOURIER_TERMS = 10
#: the search over K stops after this many K in a row without a better criterion
_PATIENCE = 2
#: a year in weeks: the period of a yearly season in weekly data (52 weeks drift 1.25 days a year)
_WEEKS_PER_YEAR = 365.25 / 7


class FourierChoice(NamedTuple):
    """The number of Fourier pairs chosen and the ARIMA (:class:`~._arima_search.Choice`) of its errors."""

    n_terms: int
    choice: object
    n_models: int


def fourier_period(m, freq):
    """The period of the Fourier terms of a season of length ``m``.

    ``m`` itself, except for the yearly season of weekly data (``m = 52`` on
    an index with a weekly frequency), whose period is a year in weeks,
    365.25 / 7 = 52.18: with 52, the terms drift by 1.25 days a year from
    the calendar and a long series' seasonal pattern is smeared out.

    Examples
    --------
    >>> from tsforecast.forecasting._fourier import fourier_period
    >>> fourier_period(52, "W-SAT"), fourier_period(52, None), fourier_period(168, "h")
    (52.17857142857143, 52.0, 168.0)
    """
    if m == 52 and freq_code(freq) == "W":
        return _WEEKS_PER_YEAR
    return float(m)


def fourier_terms(t, period, n_terms):
    """Columns ``sin(2 pi k t / period), cos(2 pi k t / period)`` for ``k = 1 .. n_terms``.

    ``t`` are the time positions (0 for the first training observation).
    A sine column that is zero at every integer ``t`` (``2 k = period``) is
    left out, as R's ``fourier()`` does.

    Examples
    --------
    >>> from tsforecast.forecasting._fourier import fourier_terms
    >>> fourier_terms([0, 1, 2, 3], 4, 2).round(12).tolist()
    [[0.0, 1.0, 1.0], [1.0, 0.0, -1.0], [0.0, -1.0, 1.0], [-1.0, -0.0, -1.0]]
    """
    t = np.asarray(t, dtype=float)
    cols = []
    for k in range(1, n_terms + 1):
        angle = 2.0 * np.pi * k * t / period
        if not np.isclose(2 * k, period):
            cols.append(np.sin(angle))
        cols.append(np.cos(angle))
    return np.column_stack(cols) if cols else np.empty((t.size, 0))


def with_terms(X, terms):
    """The regressors ``X`` (or ``None``) followed by the Fourier ``terms`` columns (or ``None``)."""
    parts = [a for a in (X, terms) if a is not None and a.shape[1]]
    return np.column_stack(parts) if parts else None


def search_fourier(y, X, period, *, max_terms, max_d, approximation, **search):
    """Choose the number ``K`` of Fourier pairs and the ARIMA errors of a regression on them.

    The number of first differences is tested once, on the residuals of a
    regression of ``y`` on a constant, ``X`` and the ``max_terms`` pairs, so
    that every ``K`` is scored on the same differenced series. For ``K = 1,
    2, ...`` the non-seasonal ARIMA errors are searched (stepwise, with
    :func:`~._arima_search.rank_orders`) and scored by the criterion of
    their best candidate (the CSS approximation when ``approximation``);
    the search stops after two ``K`` in a row without improvement. Only the
    chosen ``K``'s best candidates are refitted by exact maximum likelihood.

    Parameters
    ----------
    y : ndarray of shape (n,)
    X : ndarray of shape (n, k) or None
        The user's regressors, kept alongside the Fourier terms.
    period : float
        Period of the terms (see :func:`fourier_period`).
    max_terms : int
        Largest ``K`` tried (at least 1).
    max_d : int
    approximation : bool
    **search
        The other keyword arguments of :func:`~._arima_search.rank_orders`.

    Returns
    -------
    FourierChoice
    """
    n = y.size
    terms = fourier_terms(np.arange(n), period, max_terms)
    A = np.column_stack([a for a in (np.ones((n, 1)), X, terms) if a is not None])
    d = ndiffs(y - A @ np.linalg.lstsq(A, y, rcond=None)[0], max_d=max_d)
    best, best_ic, n_models = None, np.inf, 0
    for k in range(1, max_terms + 1):
        ranking = rank_orders(y, with_terms(X, terms[:, :_column_count(period, k)]), 1, d=d, max_d=max_d,
                              approximation=approximation, **search)
        n_models += ranking.n_models
        ic = ranking.fits[0].ic
        if best is None or ic < best_ic:
            best, best_ic = (k, ranking), ic
        elif k - best[0] >= _PATIENCE:
            break
    k, ranking = best
    return FourierChoice(k, choose_orders(ranking), n_models)


def _column_count(period, n_terms):
    """Number of columns of :func:`fourier_terms` with ``n_terms`` pairs."""
    return sum(1 + (not np.isclose(2 * k, period)) for k in range(1, n_terms + 1))

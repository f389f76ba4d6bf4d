"""Plumbing shared by the forecasters built on statsmodels (ARIMA, Holt-Winters, Theta)."""

from __future__ import annotations

import warnings
from contextlib import contextmanager

import numpy as np

from ..utils._threads import one_blas_thread

__all__ = ["quiet", "interval_at"]


@contextmanager
def quiet(*, one_thread=False):
    """Run statsmodels code silently; everything is restored on exit.

    Warnings are ignored and NumPy floating-point errors are not reported:
    the forecasters check what comes out (a failed fit is skipped or
    raises a clear error) instead of passing statsmodels' convergence and
    overflow warnings on. With ``one_thread=True`` BLAS is also limited to
    one thread (see :func:`~tsforecast.utils._threads.one_blas_thread`).
    """
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        if one_thread:
            with one_blas_thread():
                yield
        else:
            yield


def interval_at(bounds, steps):
    """``(lower, upper)`` at the 1-based ``steps`` from interval bounds of shape (h, 2)."""
    bounds = np.asarray(bounds, dtype=float)
    return bounds[steps - 1, 0], bounds[steps - 1, 1]

"""Plumbing shared by the forecasters built on statsmodels (ARIMA, Holt-Winters, Theta)."""

from __future__ import annotations

import inspect
import warnings
from contextlib import contextmanager

import numpy as np

from ..utils._threads import one_blas_thread

__all__ = ["quiet", "interval_at", "seed_arguments"]


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


def seed_arguments(simulate, rng):
    """Keyword arguments seeding a statsmodels ``simulate`` method with ``rng``.

    statsmodels 0.15 renamed ``random_state`` to ``rng`` (``ETSResults.simulate``,
    to which ``get_prediction`` passes its extra keywords); 0.14.x knows only
    ``random_state``, which refuses a ``Generator``: it then gets a
    ``RandomState`` drawing from the generator's bit generator.

    Parameters
    ----------
    simulate : callable
        The ``simulate`` method the seed is meant for.
    rng : numpy.random.Generator or numpy.random.RandomState

    Returns
    -------
    dict
    """
    if "rng" in inspect.signature(simulate).parameters:
        return {"rng": rng}
    if isinstance(rng, np.random.Generator):
        rng = np.random.RandomState(rng.bit_generator)
    return {"random_state": rng}

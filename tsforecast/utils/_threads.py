"""Thread-pool limits for the small linear algebra of the statistical models."""

from __future__ import annotations

from contextlib import contextmanager

__all__ = ["one_blas_thread"]

_CONTROLLER = None


@contextmanager
def one_blas_thread():
    """Limit BLAS to one thread for the duration (restored on exit).

    The Kalman filter and the exponential smoothing recursions work on tiny
    matrices, where a multi-threaded OpenBLAS is 10-30 times slower than a
    single thread.
    """
    global _CONTROLLER
    if _CONTROLLER is None:  # the library scan is slow (~20 ms); do it once
        from threadpoolctl import ThreadpoolController

        _CONTROLLER = ThreadpoolController()
    with _CONTROLLER.limit(limits=1, user_api="blas"):
        yield

"""Rolling-origin splitters with a fixed horizon, usable as scikit-learn ``cv=``."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.model_selection import BaseCrossValidator
from sklearn.utils import _safe_indexing

__all__ = ["ExpandingWindowSplitter", "SlidingWindowSplitter", "temporal_train_test_split"]


def _pos_int(v, name, allow_zero=False):
    low = 0 if allow_zero else 1
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, Integral) or v < low:
        raise ValueError(f"{name} must be an integer >= {low}; got {v!r}.")
    return int(v)


class _RollingOrigin(BaseCrossValidator):
    """Shared logic: test blocks of ``horizon`` points, the last one ending at the end."""

    def _train_start(self, train_end):
        return 0

    def _origins(self, n):
        horizon = _pos_int(self.horizon, "horizon")
        n_splits = _pos_int(self.n_splits, "n_splits")
        step = horizon if self.step is None else _pos_int(self.step, "step")
        gap = _pos_int(self.gap, "gap", allow_zero=True)
        last_origin = n - horizon - gap
        origins = last_origin - step * np.arange(n_splits)[::-1]
        min_train = self._min_train()
        if origins[0] < min_train:
            raise ValueError(
                f"series has {n} observations; {n_splits} splits with horizon={horizon}, "
                f"step={step}, gap={gap} need at least {min_train + horizon + gap + step * (n_splits - 1)}."
            )
        return origins, horizon, gap

    def split(self, X, y=None, groups=None):
        """Yield ``(train_index, test_index)`` position arrays, oldest origin first.

        Parameters
        ----------
        X : series or array-like of length n
        y, groups : ignored
        """
        n = len(X)
        origins, horizon, gap = self._origins(n)
        for o in origins:
            train = np.arange(self._train_start(o), o)
            test = np.arange(o + gap, o + gap + horizon)
            yield train, test

    def get_n_splits(self, X=None, y=None, groups=None):
        """Number of splits."""
        return int(self.n_splits)


class ExpandingWindowSplitter(_RollingOrigin):
    """Expanding training window, test blocks of a fixed ``horizon`` every ``step`` points.

    Unlike ``TimeSeriesSplit(test_size=h)``, the origins can be closer than
    the horizon (``step < horizon`` gives overlapping test blocks, as in a
    rolling-origin evaluation) and a minimum training length is enforced.

    Parameters
    ----------
    horizon : int
        Test points per split.
    n_splits : int, default=3
    step : int, default=None
        Distance between origins (default: ``horizon``).
    initial_window : int, default=1
        Minimum training length of the first split.
    gap : int, default=0
        Points left out between training end and test start.

    Examples
    --------
    >>> import numpy as np
    >>> cv = ExpandingWindowSplitter(horizon=2, n_splits=2, step=1)
    >>> [(tr.tolist(), te.tolist()) for tr, te in cv.split(np.arange(6))]
    [([0, 1, 2], [3, 4]), ([0, 1, 2, 3], [4, 5])]
    """

    def __init__(self, horizon, n_splits=3, step=None, initial_window=1, gap=0):
        self.horizon = horizon
        self.n_splits = n_splits
        self.step = step
        self.initial_window = initial_window
        self.gap = gap

    def _min_train(self):
        return _pos_int(self.initial_window, "initial_window")


class SlidingWindowSplitter(_RollingOrigin):
    """Training window of fixed length ``window`` sliding with the origin.

    Parameters
    ----------
    window : int
        Training points per split.
    horizon : int
        Test points per split.
    n_splits : int, default=3
    step : int, default=None
        Distance between origins (default: ``horizon``).
    gap : int, default=0

    Examples
    --------
    >>> import numpy as np
    >>> cv = SlidingWindowSplitter(window=3, horizon=1, n_splits=2)
    >>> [(tr.tolist(), te.tolist()) for tr, te in cv.split(np.arange(6))]
    [([1, 2, 3], [4]), ([2, 3, 4], [5])]
    """

    def __init__(self, window, horizon, n_splits=3, step=None, gap=0):
        self.window = window
        self.horizon = horizon
        self.n_splits = n_splits
        self.step = step
        self.gap = gap

    def _min_train(self):
        return _pos_int(self.window, "window")

    def _train_start(self, train_end):
        return train_end - self.window


def temporal_train_test_split(y, test_size):
    """Split a series (or several, row-wise) into its first part and its last ``test_size`` points.

    Examples
    --------
    >>> train, test = temporal_train_test_split([1, 2, 3, 4, 5], test_size=2)
    >>> train, test
    ([1, 2, 3], [4, 5])
    """
    n = len(y)
    test_size = _pos_int(test_size, "test_size")
    if test_size >= n:
        raise ValueError(f"test_size={test_size} leaves no training data in a series of {n} points.")
    return _safe_indexing(y, np.arange(n - test_size)), _safe_indexing(y, np.arange(n - test_size, n))

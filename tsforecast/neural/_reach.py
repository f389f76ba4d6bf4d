"""Keep a forecast path within the moves its series has made (``LSTMForecaster(move_limit=...)``).

A recursive network feeds its own forecasts back. On a short series it can
learn a step that compounds (each forecast a few percent above the last), and
its path then grows geometrically far past anything in the data. The guard
here bounds the path's distance from the last observed value after ``k``
steps by ``factor`` times the largest distance the series itself travelled
in any ``k`` consecutive steps (on the scale the network forecasts: seasonally
adjusted, transformed; the level, i.e. the cumulative sum, when the series is
differenced). Beyond the horizon the largest move grows linearly with ``k``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["largest_moves", "within_reach"]


def _levels(z, difference):
    return np.concatenate([[0.0], np.cumsum(z)]) if difference else np.asarray(z, float)


def largest_moves(z, difference, horizon):
    """``out[k - 1]`` = the largest ``|c[t + k] - c[t]|`` over the series ``c`` (``k = 1..K``,
    ``K = min(horizon, len(c) - 1)``), ``c`` being ``z`` or, differenced, its cumulative sum.

    Examples
    --------
    >>> largest_moves(np.array([1.0, 3.0, 2.0, 6.0]), 0, 5).tolist()
    [4.0, 3.0, 5.0]
    """
    c = _levels(z, difference)
    k_max = min(int(horizon), c.size - 1)
    return np.array([np.max(np.abs(c[k:] - c[:-k])) for k in range(1, k_max + 1)], dtype=float)


def _reach(moves, n_steps):
    """Largest move for steps 1..n_steps: ``moves`` then a linear extension (``moves[-1] * k / K``)."""
    if moves is None or moves.size == 0:
        return np.full(n_steps, np.inf)
    k = np.arange(1, n_steps + 1)
    K = moves.size
    return np.where(k <= K, moves[np.minimum(k, K) - 1], moves[-1] * k / K)


def within_reach(last, path, moves, difference, factor):
    """``path`` (b, n) with the distance of step ``k`` from ``last`` (b,) at most ``factor`` times
    the ``k``-step move of ``moves[i]`` (see :func:`largest_moves`). Differenced paths hold
    changes: their cumulative sum is bounded and differenced back."""
    path = np.asarray(path, float)
    n = path.shape[1]
    limit = np.stack([factor * _reach(m, n) for m in moves])
    if difference:
        travelled = np.clip(np.cumsum(path, axis=1), -limit, limit)
        return np.diff(np.concatenate([np.zeros((path.shape[0], 1)), travelled], axis=1), axis=1)
    base = np.asarray(last, float)[:, None]
    return base + np.clip(path - base, -limit, limit)

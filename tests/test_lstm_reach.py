"""LSTMForecaster(move_limit=...): forecast paths kept within the moves their series has made."""

import numpy as np
import pandas as pd
import pytest
from _settings import TINY

from tsforecast import LSTMForecaster
from tsforecast.neural._reach import largest_moves, within_reach


def test_largest_moves_are_the_widest_k_step_spans():
    z = np.array([1.0, 3.0, 2.0, 6.0, 5.0])
    # k=1: |6-2|; k=2: |6-3| = 3 and |5-2| = 3; k=3: |6-1| = 5
    np.testing.assert_array_equal(largest_moves(z, 0, 3), [4.0, 3.0, 5.0])
    # differenced: the moves of the cumulative sum (the level), not of the changes
    np.testing.assert_array_equal(largest_moves(np.array([1.0, 1.0, -3.0]), 1, 5), [3.0, 2.0, 1.0])
    assert largest_moves(np.array([4.0]), 0, 6).size == 0  # one value: no move known


def test_within_reach_clips_the_distance_from_the_last_value():
    moves = np.array([1.0, 2.0])
    path = np.array([[10.5, 20.0, 30.0, 9.0]])
    out = within_reach([10.0], path, [moves], 0, 1.0)
    # step 1 within 1 (kept), step 2 within 2, steps 3 and 4 within 2 * k / 2 (linear beyond the moves known)
    np.testing.assert_allclose(out, [[10.5, 12.0, 13.0, 9.0]])
    np.testing.assert_allclose(within_reach([10.0], path, [moves], 0, 2.0), [[10.5, 14.0, 16.0, 9.0]])
    # no moves known (a one-value series): unbounded
    np.testing.assert_allclose(within_reach([10.0], path, [np.array([])], 0, 1.0), path)


def test_within_reach_of_a_differenced_path_bounds_its_level():
    changes = np.array([[5.0, 5.0, -20.0]])
    out = within_reach([0.0], changes, [np.array([3.0, 4.0, 6.0])], 1, 1.0)
    # levels 5, 10, -10 clipped to 3, 4, -6; returned as changes again
    np.testing.assert_allclose(out, [[3.0, 1.0, -10.0]])


#: no seasonal adjustment, one network: the level forecasts are the transformed path itself
PLAIN = dict(TINY, window=6, deseasonalize=None, refit=False, normalize="window")  # one fit: the limit applies to its path


def _short_growth(n=30, seed=0):
    rng = np.random.default_rng(seed)
    return pd.Series(100 * 1.08 ** np.arange(n) + rng.normal(0, 5, n))


@pytest.mark.parametrize("difference", [0, 1])
def test_forecasts_are_the_unlimited_path_kept_within_the_series_moves(difference):
    y = _short_growth()
    free = LSTMForecaster(horizon=8, difference=difference, move_limit=None, **PLAIN).fit(y).predict(12).to_numpy()
    limited = LSTMForecaster(horizon=8, difference=difference, move_limit=0.05, **PLAIN).fit(y).predict(12).to_numpy()
    v = y.to_numpy()
    z = np.diff(v) if difference else v
    if difference:  # the path holds changes; the limit applies to their cumulative sum (the level)
        changes = np.diff(np.concatenate([[v[-1]], free]))[None]
        expected = v[-1] + np.cumsum(within_reach([0.0], changes, [largest_moves(z, 1, 8)], 1, 0.05)[0])
    else:
        expected = within_reach([v[-1]], free[None], [largest_moves(z, 0, 8)], 0, 0.05)[0]
    np.testing.assert_allclose(limited, expected, rtol=1e-9, atol=1e-9)
    assert not np.allclose(limited, free)  # the small limit binds
    # the default (move_limit=1.0) is the same clip with factor 1
    default = LSTMForecaster(horizon=8, difference=difference, **PLAIN).fit(y).predict(12).to_numpy()
    if difference:
        changes = np.diff(np.concatenate([[v[-1]], free]))[None]
        expected = v[-1] + np.cumsum(within_reach([0.0], changes, [largest_moves(z, 1, 8)], 1, 1.0)[0])
    else:
        expected = within_reach([v[-1]], free[None], [largest_moves(z, 0, 8)], 0, 1.0)[0]
    np.testing.assert_allclose(default, expected, rtol=1e-9, atol=1e-9)


def test_a_compounding_forecast_stays_near_the_data():
    # a short series that jumps at its end: the network may learn a compounding step; the default limit
    # keeps every forecast within the series' own largest moves of its last value
    y = pd.Series(np.r_[np.linspace(50, 52, 20), [60, 75, 95]])
    settings = dict(horizon=6, window=3, deseasonalize=None, units=8, epochs=30, n_estimators=1, random_state=0,
                    normalize="window")  # one fit per estimator
    pred = LSTMForecaster(**settings).fit(y).predict(18).to_numpy()
    free = LSTMForecaster(**settings, move_limit=None).fit(y).predict(18).to_numpy()
    moves = largest_moves(y.to_numpy(), 0, 6)
    limit = np.r_[moves, moves[-1] * np.arange(7, 19) / 6]
    assert np.any(np.abs(free - 95) > limit)  # unlimited, this network's path runs past the data's moves
    assert np.all(np.abs(pred - 95) <= limit + 1e-9)


@pytest.mark.parametrize("bad", [0.0, -1.0, "none"])
def test_bad_move_limit_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="move_limit"):
        LSTMForecaster(horizon=2, move_limit=bad, **PLAIN).fit(_short_growth())

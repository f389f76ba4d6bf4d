"""Windowing: make_windows and SlidingWindowTransformer."""

import re

import numpy as np
import pandas as pd
import pytest

from tsforecast import SlidingWindowTransformer, make_windows


def test_windows_align_targets():
    Xw, Y = make_windows(np.arange(10.0), window=4, horizon=2)
    assert Xw.shape == (5, 4) and Y.shape == (5, 2)
    np.testing.assert_array_equal(Y[:, 0], Xw[:, -1] + 1)
    assert Y[-1].tolist() == [8.0, 9.0]


def test_step_keeps_latest_window():
    Xw, Y = make_windows(np.arange(10.0), window=3, horizon=1, step=4)
    assert Y[:, 0].tolist() == [5.0, 9.0]


def test_exogenous_makes_3d():
    X = np.column_stack([np.arange(10.0) * 10, -np.arange(10.0)])
    Xw, Y = make_windows(np.arange(10.0), window=3, horizon=1, X=X)
    assert Xw.shape == (7, 3, 3)
    np.testing.assert_array_equal(Xw[0, :, 1], [0.0, 10.0, 20.0])


def test_several_series_with_leading_nan():
    df = pd.DataFrame({"a": np.arange(10.0), "b": [np.nan] * 4 + list(range(6))})
    Xw, Y, idx = make_windows(df, window=3, horizon=1, return_index=True)
    assert Xw.shape == (7 + 3, 3)
    assert idx["series"].tolist().count("b") == 3


def test_too_short_message():
    with pytest.raises(ValueError, match=re.escape("series has 10 observations; window=24 and horizon=12 need at least 36.")):
        make_windows(np.arange(10.0), window=24, horizon=12)


@pytest.mark.parametrize("kw", [{"window": 0}, {"window": 2, "step": 0}, {"window": 2, "horizon": -1}])
def test_bad_params(kw):
    with pytest.raises(ValueError, match="must be a"):
        make_windows(np.arange(10.0), **kw)


def test_transformer_2d_3d_and_pandas():
    y = pd.Series(np.arange(5.0), index=pd.date_range("2024", periods=5, freq="D"), name="v")
    t = SlidingWindowTransformer(window=2)
    assert t.fit_transform(y).shape == (4, 2)
    out = SlidingWindowTransformer(window=2).set_output(transform="pandas").fit_transform(y.to_frame())
    assert list(out.columns) == ["v_lag1", "v_lag0"] and out.index[0] == y.index[1]
    three = SlidingWindowTransformer(window=2, output="3d").fit_transform(np.arange(8.0).reshape(4, 2))
    assert three.shape == (3, 2, 2)


def test_transformer_feature_count_checked():
    t = SlidingWindowTransformer(window=2).fit(np.ones((5, 2)))
    with pytest.raises(ValueError, match="features"):
        t.transform(np.ones((5, 3)))

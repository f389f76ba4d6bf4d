"""Tests of tsforecast.to_long (forecasts in long format)."""

import re

import numpy as np
import pandas as pd
import pytest

from tsforecast import NaiveForecaster, SeasonalNaiveForecaster, to_long


@pytest.fixture
def ragged():
    """Three monthly series that end in different months."""
    return {
        "a": pd.Series(np.arange(1.0, 25.0), index=pd.period_range("2000-01", periods=24, freq="M")),
        "b": pd.Series(np.arange(1.0, 31.0), index=pd.period_range("2000-01", periods=30, freq="M")),
        "c": pd.Series(np.arange(5.0, 25.0), index=pd.period_range("2001-05", periods=20, freq="M")),
    }


def test_ragged_panel_has_no_padding_rows(ragged):
    f = SeasonalNaiveForecaster(seasonal_periods=12).fit(ragged)
    wide, iv = f.predict(3), f.predict_interval(3, coverage=0.8)
    assert wide.shape == (9, 3) and wide.isna().to_numpy().sum() == 18  # mostly padding
    long = to_long(wide, iv)
    assert list(long.columns) == ["unique_id", "ds", "y_pred", "lower", "upper"]
    assert long["unique_id"].tolist() == ["a"] * 3 + ["b"] * 3 + ["c"] * 3
    for k, y in ragged.items():
        part = long[long["unique_id"] == k]
        one = SeasonalNaiveForecaster(seasonal_periods=12).fit(y)
        assert part["ds"].tolist() == one.predict(3).index.tolist()
        np.testing.assert_array_equal(part["y_pred"], one.predict(3).to_numpy())
        np.testing.assert_array_equal(part[["lower", "upper"]], one.predict_interval(3, coverage=0.8).to_numpy())


def test_single_series_and_no_interval():
    y = pd.Series([1.0, 2.0, 4.0], index=pd.date_range("2024-01-01", periods=3, freq="D"), name="sales")
    f = NaiveForecaster().fit(y)
    long = to_long(f.predict(2))
    assert list(long.columns) == ["unique_id", "ds", "y_pred"]
    assert long["unique_id"].tolist() == ["sales", "sales"] and long["y_pred"].tolist() == [4.0, 4.0]
    assert long["ds"].tolist() == list(pd.date_range("2024-01-04", periods=2, freq="D"))
    np.testing.assert_array_equal(to_long(f.predict(2), f.predict_interval(2))["lower"], f.predict_interval(2)["lower"])
    assert to_long(y.rename(None))["unique_id"].tolist() == [0, 0, 0]  # like Series.to_frame()


def test_errors_name_the_problem(ragged):
    f = NaiveForecaster().fit(ragged)
    with pytest.raises(TypeError, match="forecast must be the Series or DataFrame that predict returns"):
        to_long(np.ones(3))
    with pytest.raises(ValueError, match=re.escape("interval has no columns for series ['c']; its series are "
                                                   "['a', 'b']")):
        to_long(f.predict(2), f.predict_interval(2)[["a", "b"]])
    with pytest.raises(ValueError, match="the forecast has 3 series but interval has plain columns"):
        to_long(f.predict(2), f.predict_interval(2)["a"])
    with pytest.raises(ValueError, match="interval has no bounds for series 'a'"):
        to_long(f.predict(3), f.predict_interval(2))

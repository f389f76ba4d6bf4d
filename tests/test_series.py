"""Input validation of series (tsforecast.utils._series)."""

import re

import numpy as np
import pandas as pd
import pytest

from tsforecast import NaiveForecaster
from tsforecast.utils._series import check_series, future_index, steps_from_index


@pytest.mark.parametrize(
    "y, exc, msg",
    [
        ([1.0, np.nan, 3.0], ValueError, "y contains 1 missing value(s) (first at position 1)"),
        ([1.0, np.inf], ValueError, "y contains infinite values (first at position 1)"),
        (["a", "b"], TypeError, "y must be numeric; found non-numeric value 'a'"),
        ([], ValueError, "y is empty"),
        (np.ones((3, 2)), ValueError, "y must be 1-D (one series); got an array of shape (3, 2)"),
        (None, TypeError, "y is None"),
        ("abc", TypeError, "y must be a 1-D sequence of numbers"),
    ],
)
def test_bad_series(y, exc, msg):
    with pytest.raises(exc, match=re.escape(msg)):
        check_series(y)


def test_object_column_of_numbers_is_accepted():
    values, meta = check_series(pd.Series(["1", "2.5"], dtype=object))
    assert values.tolist() == [1.0, 2.5] and meta.kind == "series"


def test_duplicate_timestamps():
    idx = pd.DatetimeIndex(["2024-01-01", "2024-01-02", "2024-01-02"])
    with pytest.raises(ValueError, match="duplicate timestamps"):
        check_series(pd.Series([1.0, 2, 3], index=idx))


def test_unsorted_index():
    idx = pd.DatetimeIndex(["2024-01-02", "2024-01-01", "2024-01-03"])
    with pytest.raises(ValueError, match=re.escape("index is not sorted in increasing order")):
        check_series(pd.Series([1.0, 2, 3], index=idx))


def test_irregular_index_without_frequency():
    idx = pd.DatetimeIndex(["2024-01-01", "2024-01-02", "2024-01-05", "2024-01-06"])
    with pytest.raises(ValueError, match="no regular frequency"):
        NaiveForecaster().fit(pd.Series([1.0, 2, 3, 4], index=idx))


def test_int_and_float32_data():
    assert check_series(np.array([1, 2, 3]))[0].dtype == np.float64
    assert check_series(np.array([1, 2, 3], dtype=np.float32))[0].dtype == np.float64


def test_integer_index_continues():
    y = pd.Series([1.0, 2, 3], index=[10, 20, 30])
    _, meta = check_series(y)
    assert list(future_index(meta, np.array([1, 2]))) == [40, 50]
    assert steps_from_index(meta, pd.Index([50, 60])).tolist() == [2, 3]


def test_steps_from_index_rejects_past_points():
    y = pd.Series([1.0, 2, 3], index=pd.period_range("2020-01", periods=3, freq="M"))
    _, meta = check_series(y)
    with pytest.raises(ValueError, match="not after the end of training"):
        steps_from_index(meta, pd.period_range("2020-01", periods=2, freq="M"))

"""Metrics: values, pandas input, zero denominators and scorers."""

import re

import numpy as np
import pandas as pd
import pytest

from tsforecast.metrics import mae, make_forecast_scorer, mape, mase, owa, rmse, smape


def test_values():
    assert mae([1, 2, 3], [2, 2, 2]) == pytest.approx(2 / 3)
    assert rmse([0, 0], [3, 4]) == pytest.approx(np.sqrt(12.5))
    assert mape([100, 200], [110, 180]) == pytest.approx(10.0)
    assert smape([100], [50]) == pytest.approx(200 * 50 / 150)
    assert mase([3, 4], [2, 4], y_train=[1, 2, 3]) == pytest.approx(0.5)
    assert mase([3, 4], [2, 4], y_train=[1, 5, 2, 6], m=2) == pytest.approx(0.5)
    assert owa(9, 1, 18, 2) == pytest.approx(0.5)


def test_pandas_and_multi_series_average():
    t = pd.DataFrame({"a": [1.0, 1.0], "b": [2.0, 2.0]})
    p = pd.DataFrame({"a": [2.0, 2.0], "b": [2.0, 4.0]})
    # per series mae: a=1, b=1 -> 1
    assert mae(t, p) == pytest.approx(1.0)
    assert mae(pd.Series([1.0, 2.0]), pd.Series([1.0, 2.0], index=[5, 6])) == 0.0


def test_smape_both_zero_counts_as_exact():
    assert smape([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert smape([0.0, 2.0], [0.0, 2.0]) == 0.0
    assert smape([0.0], [1.0]) == pytest.approx(200.0)


def test_mape_zero_actual_raises():
    with pytest.raises(ValueError, match="MAPE is undefined when y_true contains 0"):
        mape([0.0, 1.0], [1.0, 1.0])


def test_mase_constant_training_series_raises():
    with pytest.raises(ValueError, match=re.escape("MASE is undefined: the in-sample seasonal naive error (m=1)")):
        mase([1.0], [1.0], y_train=[5.0, 5.0, 5.0])


def test_mase_overflow_of_a_tiny_scale_is_named():
    # found by a randomized property sweep: a positive but denormal scale (3.3e-308) made 6 / scale overflow
    train = np.r_[2.98643281e-307, np.zeros(9)]
    with pytest.raises(ValueError, match=r"MASE overflows: the mean absolute error \(6\) divided by"):
        mase([0.0], [6.0], y_train=train)
    assert mase([0.0], [1e-300], y_train=train) == pytest.approx(1e-300 / (2.98643281e-307 / 9))


def test_shape_mismatch_and_nan_forecast():
    with pytest.raises(ValueError, match=re.escape("y_true has shape (2,) but y_pred has shape (3,)")):
        mae([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="y_pred contains NaN"):
        mae([1, 2], [1, np.nan])


def test_scorer_unknown_metric():
    with pytest.raises(ValueError, match="unknown metric 'foo'"):
        make_forecast_scorer("foo")


def test_scorer_matches_metric():
    from tsforecast import NaiveForecaster
    from tsforecast.datasets import load_airline

    y = load_airline()
    f = NaiveForecaster().fit(y.iloc[:-12])
    pred = f.predict(12)
    assert make_forecast_scorer("smape")(f, y.iloc[-12:]) == pytest.approx(-smape(y.iloc[-12:], pred))
    assert make_forecast_scorer("mase", m=12)(f, y.iloc[-12:]) == pytest.approx(
        -mase(y.iloc[-12:], pred, y_train=y.iloc[:-12], m=12)
    )


def test_smape_never_exceeds_200_by_rounding():
    # found by a randomized property run: 200 * f / f gave 200.00000000000003
    assert smape([0.0], [671089.13666519]) == 200.0
    assert smape([-3.3], [1e-7]) <= 200.0

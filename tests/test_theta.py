"""Tests of ThetaForecaster (tsforecast/forecasting/theta.py)."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from tsforecast.datasets import load_airline
from tsforecast.forecasting.naive import SeasonalNaiveForecaster
from tsforecast.forecasting.theta import ThetaForecaster
from tsforecast.metrics import smape


@pytest.fixture(scope="module")
def airline():
    return load_airline()


def test_airline_deseasonalised_and_beats_seasonal_naive(airline):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f = ThetaForecaster(seasonal_periods=12).fit(airline.iloc[:-12])
        pred = f.predict(12)
        pi = f.predict_interval(12, coverage=0.9)
    assert f.deseasonalized_
    test = airline.iloc[-12:]
    snaive = SeasonalNaiveForecaster(seasonal_periods=12).fit(airline.iloc[:-12]).predict(12)
    assert smape(test, pred) < smape(test, snaive)
    assert (pi["lower"] < pred).all() and (pred < pi["upper"]).all()
    assert pred.index.equals(test.index)


def test_matches_the_theta_formula():
    """Non-seasonal forecasts = SES + b0/2 * (h - 1 + 1/alpha - (1 - alpha)^n / alpha)."""
    rng = np.random.default_rng(0)
    y = 20 + np.cumsum(0.3 + rng.normal(size=60))
    f = ThetaForecaster().fit(y)
    assert not f.deseasonalized_
    h = np.arange(1, 7)
    a, b0, n = f.alpha_, f.b0_, y.size
    # SES level with initial level y[0]
    level = y[0]
    for v in y:
        level = a * v + (1 - a) * level
    expected = level + b0 / 2 * (h - 1 + 1 / a - (1 - a) ** n / a)
    np.testing.assert_allclose(f.predict(6), expected, rtol=1e-8)


def test_theta_one_is_ses_and_intervals_widen(airline):
    y = airline.to_numpy()[:60]
    f1 = ThetaForecaster(theta=1.0).fit(y)
    pred = f1.predict(5)
    np.testing.assert_allclose(pred, pred[0])  # theta=1: flat SES forecast
    pi = ThetaForecaster().fit(y).predict_interval(10)
    width = (pi["upper"] - pi["lower"]).to_numpy()
    assert np.all(np.diff(width) > 0)


def test_short_series_is_not_deseasonalised(airline):
    f = ThetaForecaster(seasonal_periods=12).fit(airline.iloc[:20])
    assert not f.deseasonalized_
    assert np.all(np.isfinite(f.predict(3)))


def test_no_seasonal_test_forces_decomposition():
    rng = np.random.default_rng(1)
    y = 100 + rng.normal(size=48)  # no seasonality: the test says no
    assert not ThetaForecaster(seasonal_periods=12).fit(y).deseasonalized_
    assert ThetaForecaster(seasonal_periods=12, use_test=False).fit(y).deseasonalized_


def test_mle_and_grid_search(airline):
    f = ThetaForecaster(seasonal_periods=12, use_mle=True).fit(airline)
    assert 0 < f.alpha_ <= 1
    grid = GridSearchCV(
        ThetaForecaster(seasonal_periods=12, horizon=12),
        {"theta": [1.0, 2.0, 3.0]},
        cv=TimeSeriesSplit(n_splits=2, test_size=12),
    ).fit(airline)
    assert grid.best_params_["theta"] in (1.0, 2.0, 3.0)
    assert np.all(np.isfinite(grid.cv_results_["mean_test_score"]))


def test_pickle_and_multi_series(airline):
    f = ThetaForecaster(seasonal_periods=12).fit(airline)
    g = pickle.loads(pickle.dumps(f))
    pd.testing.assert_series_equal(f.predict(12), g.predict(12))
    pd.testing.assert_frame_equal(f.predict_interval(12), g.predict_interval(12))
    df = pd.DataFrame({"a": airline, "b": airline * 3})
    pred = ThetaForecaster(seasonal_periods=12).fit(df).predict(4)
    np.testing.assert_allclose(pred["b"] / pred["a"], 3.0, rtol=1e-8)


def test_bad_input(airline):
    with pytest.raises(NotFittedError):
        ThetaForecaster().predict(2)
    with pytest.raises(ValueError, match="missing value"):
        ThetaForecaster().fit([1.0, 2.0, np.nan, 4.0])
    with pytest.raises(ValueError, match="needs at least 3"):
        ThetaForecaster().fit([1.0, 2.0])
    with pytest.raises(ValueError, match="method='multiplicative' needs positive data; y has minimum -2"):
        ThetaForecaster(method="multiplicative", seasonal_periods=12).fit(airline - 106.0)
    with pytest.raises(ValueError, match="theta"):
        ThetaForecaster(theta=0.5).fit(airline)
    f = ThetaForecaster().fit(airline)
    with pytest.raises(ValueError, match="horizon"):
        f.predict(0)
    # constant series: flat forecast
    np.testing.assert_allclose(ThetaForecaster().fit(np.full(10, 4.0)).predict(3), 4.0)
    pi = ThetaForecaster().fit(np.full(10, 4.0)).predict_interval(2)
    np.testing.assert_allclose(pi.to_numpy(), 4.0)

"""Tests of ThetaForecaster (tsforecast/forecasting/theta.py)."""

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from tsforecast.forecasting.theta import ThetaForecaster


def test_airline_deseasonalised(airline_holdout):
    """Fitted on airline minus its last 12 months (no warnings allowed).

    The checks shared with the other statistical models (beating the
    seasonal naive forecast, interval around the forecast, pickling) are in
    test_statistical_common.py.
    """
    f, _, _ = airline_holdout(ThetaForecaster(seasonal_periods=12))
    assert f.deseasonalized_


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


def test_multi_series(airline):
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
    with pytest.raises(ValueError, match="deseasonalize='multiplicative' needs positive data; y has minimum -2"):
        ThetaForecaster(deseasonalize="multiplicative", seasonal_periods=12).fit(airline - 106.0)
    with pytest.raises(ValueError, match="theta"):
        ThetaForecaster(theta=0.5).fit(airline)
    f = ThetaForecaster().fit(airline)
    with pytest.raises(ValueError, match="horizon"):
        f.predict(0)
    # constant series: flat forecast
    np.testing.assert_allclose(ThetaForecaster().fit(np.full(10, 4.0)).predict(3), 4.0)
    pi = ThetaForecaster().fit(np.full(10, 4.0)).predict_interval(2)
    np.testing.assert_allclose(pi.to_numpy(), 4.0)


@pytest.mark.parametrize("factor", [1e-300, 1e300])
def test_extreme_magnitudes_give_the_unit_scale_forecast(airline, factor):
    # statsmodels' SES fit lost accuracy beyond 1e+-100 (forecasts 10% off); such series are now fitted
    # divided by a power of two near their largest value
    y = airline.to_numpy(float)[:60]
    ref = ThetaForecaster(seasonal_periods=12).fit(y)
    f = ThetaForecaster(seasonal_periods=12).fit(y * factor)
    np.testing.assert_allclose(f.predict(6) / factor, ref.predict(6), rtol=1e-8)
    # the interval's variance comes from statsmodels' optimiser, run here on values in [0.5, 1): 1e-4
    np.testing.assert_allclose(f.predict_interval(6).to_numpy() / factor, ref.predict_interval(6).to_numpy(),
                               rtol=1e-4)
    assert f.b0_ / factor == pytest.approx(ref.b0_, rel=1e-8)


def test_deseasonalize_takes_the_lstm_kind_of_value(airline):
    y = airline.iloc[:-12]
    auto = ThetaForecaster(deseasonalize="auto").fit(y)
    assert auto.deseasonalized_ and auto.seasonal_periods_ == 12
    # the old booleans are aliases: True is "auto", False is None
    pd.testing.assert_series_equal(ThetaForecaster(deseasonalize=True).fit(y).predict(12), auto.predict(12))
    off = ThetaForecaster(deseasonalize=None).fit(y)
    assert not off.deseasonalized_
    pd.testing.assert_series_equal(ThetaForecaster(deseasonalize=False).fit(y).predict(12), off.predict(12))
    add = ThetaForecaster(deseasonalize="additive").fit(y)
    assert add.deseasonalized_ and not np.allclose(add.predict(12), auto.predict(12))
    with pytest.raises(ValueError, match="deseasonalize"):
        ThetaForecaster(deseasonalize="mul").fit(y)

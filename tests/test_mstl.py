"""Tests of MSTLForecaster (tsforecast/forecasting/mstl.py)."""

import pickle
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.utils._param_validation import InvalidParameterError

from tsforecast.forecasting import HoltWintersForecaster, NaiveForecaster, ThetaForecaster
from tsforecast.forecasting.mstl import MSTLForecaster, seasons_from_freq
from tsforecast.metrics import smape

THETA = ThetaForecaster(seasonal_periods=1)  # fast trend forecaster for most tests


def two_seasons(n, noise=0.05, seed=0):
    """Hourly series: level 20 with a slow trend, a daily (24) and a weekly (168) sine, small noise."""
    t = np.arange(n + 48)
    rng = np.random.default_rng(seed)
    seasons = np.sin(2 * np.pi * t / 24) + 2 * np.sin(2 * np.pi * t / 168)
    values = 20 + 0.002 * t + seasons + noise * rng.normal(size=t.size)
    index = pd.date_range("2024-01-01", periods=t.size, freq="h")
    y = pd.Series(values, index=index, name="load")
    return y.iloc[:n], y.iloc[n:]


@pytest.fixture(scope="module")
def hourly():
    return two_seasons(24 * 7 * 4)


@pytest.fixture(scope="module")
def fitted(hourly):
    train, _ = hourly
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return MSTLForecaster(trend_forecaster=THETA).fit(train)


def test_forecast_is_the_sum_of_the_component_forecasts(hourly, fitted):
    train, test = hourly
    f = fitted
    assert f.seasonal_periods_ == (24, 168)
    assert f.seasonal_.shape == (train.size, 2)
    # the trend forecaster saw the seasonally adjusted series
    np.testing.assert_allclose(f.trend_forecaster_._y, train.to_numpy() - f.seasonal_.sum(axis=1))
    steps = np.arange(1, 49)
    season = sum(f.seasonal_[train.size - m + (steps - 1) % m, j] for j, m in enumerate(f.seasonal_periods_))
    pred = f.predict(48)
    np.testing.assert_allclose(pred.to_numpy(), f.trend_forecaster_.predict(48) + season)
    assert pred.index.equals(test.index)
    # and it forecasts the synthetic series closely (both seasons matter: one season is clearly worse)
    assert smape(test, pred) < 0.5
    daily_only = MSTLForecaster(24, trend_forecaster=THETA).fit(train).predict(48)
    assert smape(test, daily_only) > 2 * smape(test, pred)


def test_default_trend_forecaster_is_nonseasonal_theta(hourly, fitted):
    train, _ = hourly
    f = MSTLForecaster().fit(train)
    assert isinstance(f.trend_forecaster_, ThetaForecaster)
    assert f.trend_forecaster_.seasonal_periods == 1
    pd.testing.assert_series_equal(f.predict(48), fitted.predict(48))


def test_other_trend_forecaster(hourly):
    train, test = hourly
    f = MSTLForecaster(trend_forecaster=HoltWintersForecaster(seasonal_periods=1)).fit(train)
    assert f.trend_forecaster_.seasonal_ is None
    assert smape(test, f.predict(48)) < 0.5


@pytest.mark.parametrize(
    "freq, n, expected",
    [
        ("h", 24 * 7 * 3, (24, 168)),
        ("h", 24 * 10, (24,)),  # ten days: the week needs more than two weeks
        ("D", 800, (7, 365)),
        ("D", 400, (7,)),
        ("B", 60, (5,)),
        ("MS", 48, (12,)),
        ("YS", 30, ()),
        (None, 400, ()),
    ],
)
def test_seasonal_periods_from_the_frequency(freq, n, expected):
    values = 10 + np.sin(np.arange(n)) + 0.01 * np.arange(n)
    y = pd.Series(values, index=pd.date_range("2000-01-01", periods=n, freq=freq)) if freq else values
    f = MSTLForecaster(trend_forecaster=THETA).fit(y)
    assert f.seasonal_periods_ == expected
    assert f.seasonal_.shape == (n, len(expected))


def test_seasons_from_freq():
    assert seasons_from_freq("h") == (24, 168)
    assert seasons_from_freq("D") == (7, 365)
    assert seasons_from_freq("W-SUN") == (52,)
    assert seasons_from_freq("2h") == () and seasons_from_freq(None) == ()


def test_no_season_is_the_trend_forecaster_alone():
    y = 5 + np.cumsum(np.random.default_rng(1).normal(size=80))
    f = MSTLForecaster(trend_forecaster=THETA).fit(y)  # an array: no frequency, no season
    assert f.seasonal_periods_ == ()
    np.testing.assert_allclose(f.predict(6), clone(THETA).fit(y).predict(6))
    assert MSTLForecaster(1, trend_forecaster=THETA).fit(y).seasonal_periods_ == ()
    assert MSTLForecaster([], trend_forecaster=THETA).fit(y).seasonal_periods_ == ()


def test_seasons_longer_than_the_series_allows_are_dropped(hourly):
    train, _ = hourly
    short = train.iloc[:300]  # 12.5 days: the week (168) needs more than 336 observations
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # statsmodels' own warning about long periods never shows
        f = MSTLForecaster([168, 24], trend_forecaster=THETA).fit(short)
    assert f.seasonal_periods_ == (24,)
    exactly_two = MSTLForecaster(24, trend_forecaster=THETA).fit(train.iloc[:48])
    assert exactly_two.seasonal_periods_ == ()  # MSTL needs more than 2 * m observations
    assert MSTLForecaster(24, trend_forecaster=THETA).fit(train.iloc[:49]).seasonal_periods_ == (24,)
    assert MSTLForecaster([24, 24, 1], trend_forecaster=THETA).fit(train).seasonal_periods_ == (24,)


def test_params_clone_and_pickle(fitted, hourly):
    train, _ = hourly
    params = fitted.get_params()
    assert params["seasonal_periods"] is None
    assert params["trend_forecaster__seasonal_periods"] == 1
    assert fitted.trend_forecaster_ is not fitted.trend_forecaster  # the parameter stays unfitted
    assert not hasattr(fitted.trend_forecaster, "cutoff_")
    fresh = clone(fitted)
    assert not hasattr(fresh, "seasonal_periods_")
    fresh.set_params(seasonal_periods=[24], trend_forecaster__theta=3.0)
    assert fresh.fit(train).seasonal_periods_ == (24,)
    g = pickle.loads(pickle.dumps(fitted))
    pd.testing.assert_series_equal(g.predict(48), fitted.predict(48))
    pd.testing.assert_frame_equal(g.predict_interval(48), fitted.predict_interval(48))


def test_interval_is_the_trend_interval_shifted_by_the_season(fitted):
    pred = fitted.predict(48)
    pi = fitted.predict_interval(48, coverage=0.8)
    assert (pi["lower"] < pred).all() and (pred < pi["upper"]).all()
    inner = fitted.trend_forecaster_.predict_interval(48, coverage=0.8)
    np.testing.assert_allclose((pi["upper"] - pi["lower"]).to_numpy(), (inner["upper"] - inner["lower"]).to_numpy())
    season = pred.to_numpy() - fitted.trend_forecaster_.predict(48)
    np.testing.assert_allclose(pi["lower"].to_numpy(), inner["lower"].to_numpy() + season)
    wide = fitted.predict_interval(48, coverage=0.95)
    assert (wide["lower"] < pi["lower"]).all()


def test_grid_search_over_seasonal_periods(hourly):
    train, _ = hourly
    grid = GridSearchCV(
        MSTLForecaster(trend_forecaster=THETA, horizon=48),
        {"seasonal_periods": [24, [24, 168]]},
        cv=TimeSeriesSplit(n_splits=2, test_size=48),
    )
    grid.fit(train)
    assert np.all(np.isfinite(grid.cv_results_["mean_test_score"]))
    assert grid.best_params_["seasonal_periods"] == [24, 168]
    assert grid.best_estimator_.seasonal_periods_ == (24, 168)
    assert len(grid.predict(48)) == 48


def test_several_series(hourly):
    train, _ = hourly
    df = pd.DataFrame({"a": train, "b": 2 * train})
    pred = MSTLForecaster(trend_forecaster=THETA).fit(df).predict(3)
    assert list(pred.columns) == ["a", "b"]
    np.testing.assert_allclose(pred["b"], 2 * pred["a"], rtol=1e-6)


def test_stl_kwargs(hourly):
    train, _ = hourly
    kwargs = {"robust": True}
    f = MSTLForecaster(trend_forecaster=THETA, stl_kwargs=kwargs).fit(train)
    assert kwargs == {"robust": True}  # not modified
    assert not np.allclose(f.seasonal_, MSTLForecaster(trend_forecaster=THETA).fit(train).seasonal_)


def test_bad_parameters(hourly):
    train, _ = hourly
    msg = "seasonal_periods must be an int >= 1, a list of such ints or None; got [24, 0] (bad value 0)."
    with pytest.raises(ValueError, match=re.escape(msg)):
        MSTLForecaster([24, 0]).fit(train)
    with pytest.raises(ValueError, match=re.escape("got [24, 1.5] (bad value 1.5)")):
        MSTLForecaster([24, 1.5]).fit(train)
    with pytest.raises(ValueError, match="stl_kwargs may not set 'period': MSTL sets"):
        MSTLForecaster(stl_kwargs={"period": 12}).fit(train)
    with pytest.raises(InvalidParameterError, match="trend_forecaster"):
        MSTLForecaster(trend_forecaster="ets").fit(train)
    with pytest.raises(InvalidParameterError, match="seasonal_periods"):
        MSTLForecaster(0).fit(train)
    with pytest.raises(ValueError, match="MSTLForecaster with these settings needs at least 3"):
        MSTLForecaster().fit([1.0, 2.0])
    assert MSTLForecaster(trend_forecaster=NaiveForecaster()).fit([1.0]).predict(2).tolist() == [1.0, 1.0]

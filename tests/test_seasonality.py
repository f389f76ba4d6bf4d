"""The season length of the forecasters that have one: ``seasonal_periods=None`` reads it from the index.

One rule (``tsforecast.utils._frequency.resolve_seasonal_periods``) for
Holt-Winters, ARIMA, Theta, Naive2 and SeasonalNaive: an explicit value wins,
``None`` takes the usual season of the index frequency (1, not seasonal,
without a frequency), ``1`` switches seasonality off; the value used is the
fitted ``seasonal_periods_``. Also: auto ARIMA's Fourier terms for seasons
longer than 24.
"""

import re

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from tsforecast.forecasting import (
    ARIMAForecaster,
    HoltWintersForecaster,
    Naive2Forecaster,
    SeasonalNaiveForecaster,
    ThetaForecaster,
)
from tsforecast.forecasting._fourier import fourier_period, fourier_terms
from tsforecast.metrics import mase

#: each seasonal forecaster in a cheap configuration (fixed components / orders)
CHEAP = {
    "holtwinters": HoltWintersForecaster(trend=None, damped_trend=False, seasonal=None, error="add"),
    "arima": ARIMAForecaster(order=(1, 0, 0)),
    "theta": ThetaForecaster(),
    "naive2": Naive2Forecaster(),
    "snaive": SeasonalNaiveForecaster(),
}


def _series(n, freq, *, period=None):
    """A positive series of ``n`` values with a frequency (``None``: an array)."""
    rng = np.random.default_rng(0)
    t = np.arange(n)
    values = 50 + 0.1 * t + rng.normal(size=n) + (5 * np.sin(2 * np.pi * t / period) if period else 0)
    if freq is None:
        return values
    return pd.Series(values, index=pd.date_range("2000-01-01", periods=n, freq=freq))


@pytest.mark.parametrize("name", sorted(CHEAP))
@pytest.mark.parametrize(
    "freq, expected",
    [("MS", 12), ("QS", 4), ("W-SUN", 52), ("h", 24), ("D", 7), ("YS", 1), (None, 1), ("2MS", 1)],
    ids=["monthly", "quarterly", "weekly", "hourly", "daily", "yearly", "no-frequency", "two-monthly"],
)
def test_season_from_the_index_frequency(name, freq, expected):
    f = clone(CHEAP[name]).fit(_series(120, freq))
    assert f.seasonal_periods is None  # the parameter is left as given
    assert f.seasonal_periods_ == expected


def test_period_index_too():
    y = pd.Series(np.arange(1.0, 41.0), index=pd.period_range("2000Q1", periods=40, freq="Q"))
    assert SeasonalNaiveForecaster().fit(y).seasonal_periods_ == 4


@pytest.mark.parametrize("name", sorted(CHEAP))
def test_explicit_value_wins_and_one_switches_off(name):
    y = _series(120, "MS")
    assert clone(CHEAP[name]).set_params(seasonal_periods=6).fit(y).seasonal_periods_ == 6
    assert clone(CHEAP[name]).set_params(seasonal_periods=1).fit(y).seasonal_periods_ == 1


def test_explicit_value_gives_the_same_forecast_as_the_rule(airline):
    for est in (HoltWintersForecaster(), ThetaForecaster(), Naive2Forecaster(), SeasonalNaiveForecaster()):
        by_rule = clone(est).fit(airline).predict(12)
        explicit = clone(est).set_params(seasonal_periods=12).fit(airline).predict(12)
        pd.testing.assert_series_equal(by_rule, explicit)


def test_one_switches_seasonality_off(airline):
    hw = HoltWintersForecaster(seasonal_periods=1).fit(airline)
    assert hw.seasonal_ is None
    assert not ThetaForecaster(seasonal_periods=1).fit(airline).deseasonalized_
    assert not Naive2Forecaster(seasonal_periods=1).fit(airline).seasonal_
    np.testing.assert_array_equal(SeasonalNaiveForecaster(seasonal_periods=1).fit(airline).predict(3), airline.iloc[-1])
    arima = ARIMAForecaster(order="auto", seasonal_periods=1).fit(airline)
    assert arima.seasonal_order_ == (0, 0, 0, 0) and arima.fourier_terms_ == 0


def test_airline_trap_is_fixed(airline):
    """The issue's trap: ``HoltWintersForecaster()`` on airline used to be non-seasonal (MASE 2.0, m=12)."""
    train, test = airline.iloc[:-12], airline.iloc[-12:]
    f = HoltWintersForecaster().fit(train)
    assert f.seasonal_periods_ == 12 and f.seasonal_ == "mul"
    assert mase(test, f.predict(12), y_train=train, m=12) < 1.0


def test_array_input_is_not_seasonal_and_errors_say_why(airline):
    y = airline.to_numpy()
    assert HoltWintersForecaster().fit(y).seasonal_ is None
    msg = "seasonal='add' needs seasonal_periods >= 2; got seasonal_periods=1 (the series has no index frequency"
    with pytest.raises(ValueError, match=re.escape(msg)):
        HoltWintersForecaster(seasonal="add").fit(y)
    msg = "seasonal_order=(0, 1, 1) needs seasonal_periods >= 2; got seasonal_periods=1 (the series has no index"
    with pytest.raises(ValueError, match=re.escape(msg)):
        ARIMAForecaster(order=(0, 1, 1), seasonal_order=(0, 1, 1)).fit(y)


def test_seasonal_naive_needs_one_season_of_the_resolved_length():
    y = _series(8, "MS")
    msg = "y has 8 observations; SeasonalNaiveForecaster with these settings needs at least 12."
    with pytest.raises(ValueError, match=re.escape(msg)):
        SeasonalNaiveForecaster().fit(y)
    assert SeasonalNaiveForecaster().fit(y.to_numpy()).seasonal_periods_ == 1


def test_refit_reads_the_new_series_frequency():
    f = SeasonalNaiveForecaster()
    assert f.fit(_series(30, "MS")).seasonal_periods_ == 12
    assert f.fit(_series(30, "QS")).seasonal_periods_ == 4
    assert f.fit(_series(5, None)).seasonal_periods_ == 1  # not the previous series' 4


def test_panel_each_series_resolves_its_own_season():
    y = _series(48, "MS")
    f = SeasonalNaiveForecaster().fit(pd.DataFrame({"a": y, "b": 2 * y}))
    assert {k: g.seasonal_periods_ for k, g in f.forecasters_.items()} == {"a": 12, "b": 12}


# ------------------------------------------------------------------ ARIMA
def test_arima_four_tuple_sets_the_season(airline):
    y = np.log(airline)
    f = ARIMAForecaster(order=(0, 1, 1), seasonal_order=(0, 1, 1, 12)).fit(y.to_numpy())
    assert f.seasonal_periods_ == 12 and f.seasonal_order_ == (0, 1, 1, 12)
    msg = "seasonal_order=(0, 1, 1, 12) gives season length 12 but seasonal_periods=1"
    with pytest.raises(ValueError, match=re.escape(msg)):
        ARIMAForecaster(order=(0, 1, 1), seasonal_order=(0, 1, 1, 12), seasonal_periods=1).fit(y)


def test_arima_monthly_keeps_the_seasonal_model(airline):
    f = ARIMAForecaster(order="auto").fit(np.log(airline))
    assert f.seasonal_order_ == (0, 1, 1, 12) and f.fourier_terms_ == 0 and f.fourier_period_ is None


def _long_season(n=520, m=52):
    """Ten 'years' of a weekly-like season of length 52 with a trend and AR noise."""
    rng = np.random.default_rng(3)
    t = np.arange(n)
    noise = np.zeros(n)
    e = rng.normal(scale=0.3, size=n)
    for i in range(1, n):
        noise[i] = 0.5 * noise[i - 1] + e[i]
    return 10 + 0.01 * t + 2 * np.sin(2 * np.pi * t / m) + np.cos(4 * np.pi * t / m) + noise


def test_arima_long_season_uses_fourier_terms():
    y = _long_season()
    train, test = y[:-52], y[-52:]
    f = ARIMAForecaster(order="auto", seasonal_periods=52).fit(train)
    assert f.seasonal_periods_ == 52 and f.fourier_period_ == 52.0
    assert 2 <= f.fourier_terms_ <= 5
    assert f.seasonal_order_ == (0, 0, 0, 0)
    pred = f.predict(52)
    flat = ARIMAForecaster(order="auto", seasonal_periods=1).fit(train).predict(52)
    assert mase(test, pred, y_train=train, m=52) < 0.6 * mase(test, flat, y_train=train, m=52)
    pi = f.predict_interval([1, 52])
    assert (pi["lower"].to_numpy() < pred[[0, 51]]).all() and (pred[[0, 51]] < pi["upper"].to_numpy()).all()
    # steps out of order: the terms are those of each step
    np.testing.assert_allclose(f.predict([52, 1]), pred[[51, 0]])


def test_arima_fourier_terms_with_exogenous_regressors():
    y = _long_season()
    x = np.random.default_rng(4).normal(size=y.size)
    yx = y + 3 * x
    f = ARIMAForecaster(order="auto", seasonal_periods=52).fit(yx[:-10], X=x[:-10, None])
    assert f.fourier_terms_ >= 1
    assert f.model_.model.k_exog == 1 + 2 * f.fourier_terms_  # the user's column, then the terms
    beta = f.model_.params[f.model_.model.param_names.index("x1")]
    assert beta == pytest.approx(3.0, abs=0.2)
    pred = f.predict(10, X=x[-10:, None])
    assert np.max(np.abs(pred - yx[-10:])) < 3.0


def test_fourier_period_and_terms():
    assert fourier_period(52, "W-SAT") == pytest.approx(365.25 / 7)
    assert fourier_period(52, None) == 52.0
    assert fourier_terms(np.arange(6), 6, 3).shape == (6, 5)  # sin(pi t) is zero: left out
    y = pd.Series(_long_season(), index=pd.date_range("1990-01-06", periods=520, freq="W-SAT"))
    f = ARIMAForecaster(order="auto").fit(y)
    assert f.seasonal_periods_ == 52 and f.fourier_period_ == pytest.approx(365.25 / 7)

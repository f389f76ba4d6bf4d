"""Tests of the naive baselines (tsforecast/forecasting/naive.py)."""

import pickle

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm
from sklearn.exceptions import NotFittedError

from tsforecast.datasets import load_airline
from tsforecast.forecasting.naive import (
    DriftForecaster,
    Naive2Forecaster,
    NaiveForecaster,
    SeasonalNaiveForecaster,
)
from tsforecast.forecasting.decomposition import classical_seasonal_indices, seasonality_test

Z90 = norm.ppf(0.95)


# ------------------------------------------------------------ exact values
def test_naive_exact_values_and_interval():
    f = NaiveForecaster().fit([1.0, 2.0, 4.0])
    np.testing.assert_array_equal(f.predict(3), [4.0, 4.0, 4.0])
    # one-step changes 1 and 2: sigma = sqrt((1 + 4) / 2); random-walk width grows with sqrt(h)
    sigma = np.sqrt(2.5)
    pi = f.predict_interval(3, coverage=0.9)
    np.testing.assert_allclose(pi["upper"] - 4.0, Z90 * sigma * np.sqrt([1, 2, 3]))
    np.testing.assert_allclose(4.0 - pi["lower"], Z90 * sigma * np.sqrt([1, 2, 3]))


def test_seasonal_naive_exact_values():
    f = SeasonalNaiveForecaster(seasonal_periods=3).fit([1.0, 2.0, 3.0, 4.0, 6.0, 8.0])
    np.testing.assert_array_equal(f.predict(7), [4.0, 6.0, 8.0, 4.0, 6.0, 8.0, 4.0])
    # steps in any order, repeated steps
    np.testing.assert_array_equal(f.predict([5, 1, 5]), [6.0, 4.0, 6.0])
    # seasonal differences 3, 4, 5: sigma = sqrt(50 / 3)
    pi = f.predict_interval([1, 4], coverage=0.9)
    half = (pi["upper"] - pi["lower"]).to_numpy() / 2
    np.testing.assert_allclose(half, Z90 * np.sqrt(50 / 3) * np.sqrt([1, 2]))


def test_drift_exact_values():
    f = DriftForecaster().fit([1.0, 2.0, 4.0])
    assert f.slope_ == pytest.approx(1.5)
    np.testing.assert_allclose(f.predict(2), [5.5, 7.0])


def test_naive2_without_seasonality_is_naive():
    y = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0]
    f = Naive2Forecaster(seasonal_periods=1).fit(y)
    assert not f.seasonal_
    np.testing.assert_array_equal(f.predict(3), NaiveForecaster().fit(y).predict(3))


# -------------------------------------------------------------- Naive2 on airline
def test_seasonality_test_on_airline_and_noise():
    y = load_airline().to_numpy()
    assert seasonality_test(y, 12)
    rng = np.random.default_rng(0)
    assert not seasonality_test(rng.normal(size=144), 12)
    assert not seasonality_test(y, 1)  # m = 1: no seasonality by definition
    assert not seasonality_test(y[:30], 12)  # fewer than 3 seasons: not tested


def test_naive2_airline_deseasonalises():
    y = load_airline()
    f = Naive2Forecaster(seasonal_periods=12).fit(y)
    assert f.seasonal_
    idx = f.seasonal_indices_
    assert idx.shape == (12,) and idx.mean() == pytest.approx(1.0)
    # July/August are the peak months of the airline data, November the trough
    assert np.argmax(idx) in (6, 7) and np.argmin(idx) == 10
    pred = f.predict(12)
    # forecasts = last seasonally adjusted value times next year's indices
    last_adj = y.iloc[-1] / idx[(len(y) - 1) % 12]
    np.testing.assert_allclose(pred.to_numpy(), last_adj * idx[np.arange(len(y), len(y) + 12) % 12])
    assert isinstance(pred.index, pd.PeriodIndex) and str(pred.index[0]) == "1961-01"


def test_naive2_non_positive_series_not_deseasonalised():
    y = load_airline().to_numpy() - 300.0
    assert not Naive2Forecaster(seasonal_periods=12).fit(y).seasonal_


def test_classical_indices_recover_pattern():
    pattern = np.array([0.8, 1.0, 1.2, 1.0])
    y = np.tile(pattern, 10) * 100.0
    np.testing.assert_allclose(classical_seasonal_indices(y, 4), pattern / pattern.mean(), rtol=1e-10)


# ----------------------------------------------------- intervals widen with h
@pytest.mark.parametrize(
    "est",
    [NaiveForecaster(), SeasonalNaiveForecaster(seasonal_periods=12), DriftForecaster(), Naive2Forecaster(seasonal_periods=12)],
    ids=lambda e: type(e).__name__,
)
def test_intervals_widen_with_horizon(est):
    y = load_airline()
    est.fit(y)
    pi = est.predict_interval(36, coverage=0.9)
    pred = est.predict(36)
    assert (pi["lower"] <= pred).all() and (pred <= pi["upper"]).all()
    width = (pi["upper"] - pi["lower"]).to_numpy()
    if isinstance(est, Naive2Forecaster):
        width = width / est._future_si(np.arange(1, 37))  # widths scale with the seasonal index
    assert np.all(np.diff(width) >= -1e-9)
    assert width[-1] > width[0]
    # a wider coverage gives a wider interval
    wide = est.predict_interval(36, coverage=0.99)
    assert ((wide["upper"] - wide["lower"]) > (pi["upper"] - pi["lower"])).all()


# ----------------------------------------------------------------- contract
def test_naive_errors_and_pickle():
    with pytest.raises(NotFittedError):
        NaiveForecaster().predict(1)
    with pytest.raises(ValueError, match="missing value"):
        NaiveForecaster().fit([1.0, np.nan, 2.0])
    with pytest.raises(ValueError, match="needs at least 12"):
        SeasonalNaiveForecaster(seasonal_periods=12).fit(np.arange(5.0))
    f = SeasonalNaiveForecaster(seasonal_periods=12).fit(load_airline())
    with pytest.raises(ValueError, match="horizon"):
        f.predict(0)
    g = pickle.loads(pickle.dumps(f))
    pd.testing.assert_series_equal(f.predict(24), g.predict(24))


def test_naive_multi_series():
    y = load_airline()
    df = pd.DataFrame({"a": y, "b": y * 2})
    pred = SeasonalNaiveForecaster(seasonal_periods=12).fit(df).predict(3)
    assert list(pred.columns) == ["a", "b"]
    np.testing.assert_allclose(pred["b"], 2 * pred["a"])


@pytest.mark.parametrize("factor", [1e-300, 1e300])
def test_baselines_at_extreme_magnitudes_match_unit_scale(factor):
    # squares of 1e300 overflowed (the seasonality test's autocorrelations, the interval's RMS) and
    # those of 1e-300 underflowed; both are now computed relative to the data's largest value
    y = np.abs(np.sin(np.arange(48) * 2 * np.pi / 4)) + np.arange(48) / 10 + 1.0
    for f in (NaiveForecaster(), DriftForecaster(), SeasonalNaiveForecaster(seasonal_periods=4),
              Naive2Forecaster(seasonal_periods=4)):
        ref = f.fit(y)
        ref_pred, ref_iv = ref.predict(3), ref.predict_interval(3).to_numpy()
        g = f.fit(y * factor)
        np.testing.assert_allclose(g.predict(3) / factor, ref_pred, rtol=1e-12)
        np.testing.assert_allclose(g.predict_interval(3).to_numpy() / factor, ref_iv, rtol=1e-12)
    assert seasonality_test(y * factor, 4) == seasonality_test(y, 4)


def test_forecasts_and_intervals_beyond_float64_are_named():
    with pytest.raises(ValueError, match="DriftForecaster produced a non-finite forecast"):
        DriftForecaster().fit(np.array([-1.7e308, 0.0, 1.7e308])).predict(3)
    f = NaiveForecaster().fit(np.array([1.7e308, -1.7e308, 1.7e308]))
    np.testing.assert_array_equal(f.predict(2), [1.7e308, 1.7e308])
    with pytest.raises(ValueError, match="the prediction interval exceeds the float64 range"):
        f.predict_interval(2)

"""Checks shared by the statsmodels-based forecasters: ARIMA, Holt-Winters and Theta.

Each model in its automatic monthly configuration is fitted on airline minus
its last 12 months with warnings turned into errors (conftest's
``airline_holdout``, which the model's own test module reuses for its
model-specific checks of the same fit).
"""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import TimeSeriesSplit, cross_validate

from tsforecast.forecasting import ARIMAForecaster, HoltWintersForecaster, SeasonalNaiveForecaster, ThetaForecaster
from tsforecast.forecasting._statsmodels import seed_arguments
from tsforecast.metrics import make_forecast_scorer, smape

AUTO = {
    "arima": ARIMAForecaster(order="auto", seasonal_periods=12),
    "holtwinters": HoltWintersForecaster(seasonal_periods=12, random_state=0),
    "theta": ThetaForecaster(seasonal_periods=12),
}


@pytest.fixture(params=sorted(AUTO))
def holdout(request, airline_holdout):
    return airline_holdout(clone(AUTO[request.param]))


def test_beats_seasonal_naive(airline, holdout):
    _, pred, _ = holdout
    test = airline.iloc[-12:]
    snaive = SeasonalNaiveForecaster(seasonal_periods=12).fit(airline.iloc[:-12]).predict(12)
    assert smape(test, pred) < smape(test, snaive)
    assert pred.index.equals(test.index)


def test_interval_holds_the_forecast_and_widens(holdout):
    _, pred, pi = holdout
    assert (pi["lower"] < pred).all() and (pred < pi["upper"]).all()
    width = (pi["upper"] - pi["lower"]).to_numpy()
    assert width[-1] > width[0]


def test_pickle_round_trip(holdout):
    f, pred, pi = holdout
    g = pickle.loads(pickle.dumps(f))
    pd.testing.assert_series_equal(g.predict(12), pred)
    pd.testing.assert_frame_equal(g.predict_interval(12), pi)


@pytest.mark.parametrize(
    "forecaster, worst_smape",
    [
        (ARIMAForecaster(order="auto", seasonal_periods=12), 15),
        (HoltWintersForecaster(seasonal_periods=12, trend="add", seasonal="mul", error="mul"), 10),
    ],
    ids=["arima", "holtwinters"],
)
def test_cross_validate_smape_scorer(airline, forecaster, worst_smape):
    res = cross_validate(
        forecaster,
        airline,
        cv=TimeSeriesSplit(n_splits=2, test_size=12),
        scoring=make_forecast_scorer("smape"),
    )
    assert res["test_score"].shape == (2,)
    assert np.all(res["test_score"] > -worst_smape) and np.all(res["test_score"] < 0)


def test_seed_arguments_fit_statsmodels_014_and_015():
    # statsmodels 0.15's ETSResults.simulate takes rng=, 0.14.x's random_state= (int or RandomState only)
    def simulate_015(nsimulations, anchor=None, repetitions=1, random_errors=None, rng=None): ...

    def simulate_014(nsimulations, anchor=None, repetitions=1, random_errors=None, random_state=None): ...

    gen = np.random.default_rng(0)
    assert seed_arguments(simulate_015, gen) == {"rng": gen}
    state = seed_arguments(simulate_014, gen)["random_state"]
    assert isinstance(state, np.random.RandomState)
    assert state.random() == np.random.RandomState(np.random.default_rng(0).bit_generator).random()
    legacy = np.random.RandomState(1)
    assert seed_arguments(simulate_014, legacy) == {"random_state": legacy}

"""Tests of HoltWintersForecaster (tsforecast/forecasting/holtwinters.py)."""

import re

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from tsforecast.forecasting.holtwinters import HoltWintersForecaster
from tsforecast.metrics import smape


def test_auto_airline_components(airline_holdout):
    """The default auto model on airline minus its last 12 months (no warnings allowed).

    The checks shared with the other statistical models (beating the
    seasonal naive forecast, interval around the forecast, pickling, cross
    validation) are in test_statistical_common.py.
    """
    f, _, _ = airline_holdout(HoltWintersForecaster(seasonal_periods=12, random_state=0))
    assert f.seasonal_ == "mul"  # airline's seasonal swing grows with the level
    assert f.trend_ == "add"
    assert f.n_models_ >= 2
    assert np.isfinite(f.aicc_)


def test_auto_choice_is_the_lowest_aicc(airline):
    """The automatic choice is not beaten by any single admissible model fitted directly."""
    y = airline.iloc[:-12]
    f = HoltWintersForecaster(seasonal_periods=12, error="mul", damped_trend=False).fit(y)
    for trend in (None, "add"):
        for seasonal in (None, "add", "mul"):
            g = HoltWintersForecaster(
                trend=trend, damped_trend=False, seasonal=seasonal, seasonal_periods=12, error="mul"
            ).fit(y)
            assert f.aicc_ <= g.aicc_ + 1e-6


def test_nonseasonal_auto_picks_trend_on_trending_series():
    rng = np.random.default_rng(0)
    y = 50 + np.cumsum(1.0 + 0.5 * rng.normal(size=120))
    f = HoltWintersForecaster().fit(y)
    assert f.seasonal_ is None
    assert f.trend_ == "add"
    assert np.all(np.diff(f.predict(5)) > 0.3)


def test_non_positive_data_excludes_multiplicative(airline):
    y = airline - 300.0  # negative values
    f = HoltWintersForecaster(seasonal_periods=12).fit(y.iloc[:-12])
    assert f.seasonal_ in (None, "add") and f.error_ == "add"
    with pytest.raises(ValueError, match=r"seasonal='mul' needs strictly positive data; y has minimum -196"):
        HoltWintersForecaster(seasonal="mul", seasonal_periods=12).fit(y)
    with pytest.raises(ValueError, match="error='mul' needs strictly positive data"):
        HoltWintersForecaster(error="mul").fit(y)


def test_grid_search_trend_and_seasonal(airline):
    grid = GridSearchCV(
        HoltWintersForecaster(seasonal_periods=12, error="add", damped_trend=False, horizon=12),
        {"trend": [None, "add"], "seasonal": ["add", "mul"]},
        cv=TimeSeriesSplit(n_splits=2, test_size=12),
    )
    grid.fit(airline)
    assert len(grid.cv_results_["params"]) == 4
    assert np.all(np.isfinite(grid.cv_results_["mean_test_score"]))
    assert grid.best_params_["seasonal"] == "mul"
    assert len(grid.predict(12)) == 12


def test_boxcox(airline):
    f = HoltWintersForecaster(seasonal_periods=12, use_boxcox=True, random_state=0).fit(airline.iloc[:-12])
    assert 0 < f.boxcox_lambda_ < 1
    pred = f.predict(12)
    assert smape(airline.iloc[-12:], pred) < 10
    pi = f.predict_interval(12)
    assert (pi["lower"] < pred).all() and (pred < pi["upper"]).all()
    g = HoltWintersForecaster(seasonal_periods=12, use_boxcox=0.0, trend="add", seasonal="add", error="add")
    g.fit(airline)
    assert g.boxcox_lambda_ == 0.0
    # additive model on the log scale = multiplicative pattern on the original scale
    assert g.predict(12).min() > 0
    with pytest.raises(ValueError, match="use_boxcox needs strictly positive data; y has minimum -1"):
        HoltWintersForecaster(use_boxcox=True).fit(np.r_[-1.0, np.arange(20.0)])


def test_exact_and_simulated_intervals_reproducible(airline):
    lin = HoltWintersForecaster(trend="add", seasonal="add", error="add", damped_trend=False, seasonal_periods=12)
    lin.fit(airline)
    np.testing.assert_allclose(lin.predict_interval(6).to_numpy(), lin.predict_interval(6).to_numpy())
    mul = HoltWintersForecaster(trend="add", seasonal="mul", error="mul", damped_trend=False, seasonal_periods=12, random_state=7)
    mul.fit(airline)
    a, b = mul.predict_interval(6), mul.predict_interval(6)
    pd.testing.assert_frame_equal(a, b)
    # the default random_state also repeats; None draws fresh simulations
    kw = dict(trend="add", seasonal="mul", error="mul", damped_trend=False, seasonal_periods=12)
    default = HoltWintersForecaster(**kw).fit(airline)
    pd.testing.assert_frame_equal(default.predict_interval(6), default.predict_interval(6))
    fresh = HoltWintersForecaster(**kw, random_state=None).fit(airline)
    assert not np.allclose(fresh.predict_interval(6).to_numpy(), fresh.predict_interval(6).to_numpy())


def test_multi_series_dataframe(airline):
    df = pd.DataFrame({"a": airline, "b": airline * 2})
    f = HoltWintersForecaster(seasonal_periods=12, trend="add", seasonal="mul", error="mul", damped_trend=False)
    pred = f.fit(df).predict(3)
    assert list(pred.columns) == ["a", "b"]
    np.testing.assert_allclose(pred["b"] / pred["a"], 2.0, rtol=0.02)


def test_bad_input(airline):
    with pytest.raises(NotFittedError):
        HoltWintersForecaster().predict(1)
    with pytest.raises(ValueError, match="missing value"):
        HoltWintersForecaster().fit([1.0, np.nan, 3.0, 4.0])
    msg = "seasonal='add' needs at least two full seasons: y has 20 observations but seasonal_periods=12 needs at least 24."
    with pytest.raises(ValueError, match=re.escape(msg)):
        HoltWintersForecaster(seasonal="add", seasonal_periods=12).fit(airline.iloc[:20])
    with pytest.raises(ValueError, match=re.escape("needs seasonal_periods >= 2; got seasonal_periods=1 (the series has no index")):
        HoltWintersForecaster(seasonal="mul").fit(airline.to_numpy())
    with pytest.raises(ValueError, match=re.escape("needs seasonal_periods >= 2; got seasonal_periods=1.")):
        HoltWintersForecaster(seasonal="mul", seasonal_periods=1).fit(airline)
    with pytest.raises(ValueError, match="damped_trend=True needs a trend"):
        HoltWintersForecaster(trend=None, damped_trend=True).fit(airline)
    f = HoltWintersForecaster(trend=None, seasonal=None).fit(airline)
    with pytest.raises(ValueError, match="horizon"):
        f.predict(-1)
    with pytest.raises(ValueError, match="seasonal"):
        HoltWintersForecaster(seasonal="multiplicative").fit(airline)
    # auto on a short series silently drops the seasonal models
    g = HoltWintersForecaster(seasonal_periods=12).fit(airline.iloc[:20])
    assert g.seasonal_ is None


@pytest.mark.parametrize("factor", [2.0**-20, 1e-300, 1e300, 1000.0, 1e-3])
def test_same_series_in_other_units_gives_the_same_model(airline, factor):
    # statsmodels' ETS optimiser depends on the data's units: the same series in units and in thousands
    # gave forecasts 10-25% apart. Each model is now fitted to y / 2**k with max |y| in [0.5, 1) and in
    # [512, 1024), keeping the better likelihood.
    y = airline.to_numpy(float)[:60]
    params = dict(seasonal_periods=12, random_state=0)
    ref = HoltWintersForecaster(**params).fit(y)
    f = HoltWintersForecaster(**params).fit(y * factor)
    assert (f.error_, f.trend_, f.damped_trend_, f.seasonal_) == (ref.error_, ref.trend_, ref.damped_trend_,
                                                                  ref.seasonal_)
    exact = np.frexp(factor)[0] == 0.5  # a power of two: the scaled fit is bit for bit the same
    rtol = 1e-12 if exact else 1e-3
    np.testing.assert_allclose(f.predict(6) / factor, ref.predict(6), rtol=rtol)
    np.testing.assert_allclose(f.predict_interval(6).to_numpy() / factor, ref.predict_interval(6).to_numpy(),
                               rtol=rtol if f.error_ == "add" else 0.05)
    # information criteria in the data's units: the likelihood of y * factor is n * log(factor) lower
    assert f.aicc_ == pytest.approx(ref.aicc_ + 2 * 60 * np.log(factor), rel=1e-6, abs=1e-3)
    if 1e-100 < factor < 1e100:  # model_ is in the data's units
        level = list(f.model_.model.param_names).index("initial_level")
        assert f.model_.params.iloc[level] == pytest.approx(ref.model_.params.iloc[level] * factor, rel=1e-3)


@pytest.mark.parametrize("n", [60, 96, 144])
def test_second_scale_for_contenders_only_keeps_the_choice(airline, n, monkeypatch):
    # the search refits a finalist at the second scale only if its criterion is within _SCALE_MARGIN of
    # the best; on airline this gives the same model and forecasts as refitting every finalist
    from tsforecast.forecasting import holtwinters

    y = airline.to_numpy(float)[:n]
    f = HoltWintersForecaster(seasonal_periods=12).fit(y)
    monkeypatch.setattr(holtwinters, "_SCALE_MARGIN", np.inf)
    ref = HoltWintersForecaster(seasonal_periods=12).fit(y)
    assert (f.error_, f.trend_, f.damped_trend_, f.seasonal_) == (ref.error_, ref.trend_, ref.damped_trend_,
                                                                  ref.seasonal_)
    np.testing.assert_allclose(f.predict(12), ref.predict(12), rtol=1e-12)
    assert f.aicc_ == ref.aicc_

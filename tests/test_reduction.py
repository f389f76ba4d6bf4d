"""ReductionForecaster: any regressor as a forecaster."""

import re

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from tsforecast import ReductionForecaster, make_windows
from tsforecast.datasets import load_airline


@pytest.fixture
def ar_series():
    rng = np.random.RandomState(0)
    y = np.zeros(300)
    for t in range(2, 300):
        y[t] = 0.6 * y[t - 1] - 0.3 * y[t - 2] + rng.normal()
    return y


@pytest.mark.parametrize("strategy", ["recursive", "direct", "multioutput"])
def test_one_step_equals_regression_on_windows(ar_series, strategy):
    f = ReductionForecaster(LinearRegression(), window=5, horizon=3, strategy=strategy).fit(ar_series)
    Xw, Y = make_windows(ar_series, 5, 1 if strategy == "recursive" else 3)
    lr = LinearRegression().fit(Xw, Y[:, 0])
    expected = lr.predict(ar_series[-5:][None, :])[0]
    assert f.predict(1)[0] == pytest.approx(expected)


def test_recursive_feeds_own_forecasts(ar_series):
    f = ReductionForecaster(LinearRegression(), window=2, strategy="recursive").fit(ar_series)
    lr = f.estimators_[0]
    p1 = lr.predict(ar_series[-2:][None, :])[0]
    p2 = lr.predict(np.array([[ar_series[-1], p1]]))[0]
    np.testing.assert_allclose(f.predict(2), [p1, p2])


def test_direct_beyond_horizon_errors(ar_series):
    f = ReductionForecaster(Ridge(), window=5, horizon=3, strategy="direct").fit(ar_series)
    with pytest.raises(ValueError, match=re.escape("was trained for horizon=3; step 5 was requested")):
        f.predict(5)


def test_pipeline_and_gradient_boosting_on_airline():
    y = load_airline()
    for est in [make_pipeline(StandardScaler(), Ridge()), GradientBoostingRegressor(n_estimators=10, random_state=0)]:
        f = ReductionForecaster(est, window=24, horizon=12, strategy="direct", normalize="last").fit(y.iloc[:-12])
        p = f.predict(12)
        assert p.index.equals(y.index[-12:])
        assert np.all(np.isfinite(p))


def test_gridsearch_over_window():
    y = load_airline()
    gs = GridSearchCV(
        ReductionForecaster(Ridge(), horizon=12, strategy="multioutput"),
        {"window": [12, 24]},
        cv=TimeSeriesSplit(n_splits=2, test_size=12),
    ).fit(y)
    assert gs.best_params_["window"] in (12, 24)


@pytest.mark.parametrize("strategy", ["recursive", "direct", "multioutput"])
def test_exogenous_shapes(strategy):
    rng = np.random.RandomState(1)
    x = rng.normal(size=200)
    y = 3 * x + 0.01 * rng.normal(size=200)
    f = ReductionForecaster(LinearRegression(), window=3, horizon=4, strategy=strategy).fit(y, X=x[:, None])
    xf = rng.normal(size=(4, 1))
    np.testing.assert_allclose(f.predict(4, X=xf), 3 * xf.ravel(), atol=0.1)
    with pytest.raises(ValueError, match="X has 1 rows; predicting up to step"):
        f.predict(4, X=xf[:1])
    with pytest.raises(ValueError, match="pass X with the future values"):
        f.predict(4)


def test_too_short():
    with pytest.raises(ValueError, match="needs at least 15"):
        ReductionForecaster(Ridge(), window=12, horizon=2, strategy="direct").fit(np.arange(10.0))


# ------------------------------------------------------------ prediction intervals
@pytest.mark.parametrize("strategy", ["recursive", "direct", "multioutput"])
def test_intervals_bracket_the_forecast_and_cover_an_ar1_process(strategy):
    from sklearn.linear_model import LinearRegression

    rng = np.random.RandomState(0)
    n, h, hits, total = 600, 3, 0, 0
    y = np.zeros(n)
    for t in range(1, n):
        y[t] = 0.7 * y[t - 1] + rng.normal()
    for origin in range(400, n - h, 20):  # rolling origins: empirical coverage of the 80% interval
        f = ReductionForecaster(LinearRegression(), window=3, horizon=h, strategy=strategy).fit(y[:origin])
        pi = f.predict_interval(h, coverage=0.8)
        point = f.predict(h)
        assert (pi["lower"].to_numpy() <= point).all() and (point <= pi["upper"].to_numpy()).all()
        truth = y[origin : origin + h]
        hits += int(((pi["lower"].to_numpy() <= truth) & (truth <= pi["upper"].to_numpy())).sum())
        total += h
    assert 0.65 <= hits / total <= 0.95, hits / total
    # the k-step error of an AR(1) grows with k: so does the width
    width = (pi["upper"] - pi["lower"]).to_numpy()
    assert width[2] > width[0]


def test_intervals_with_exog_and_pandas_index():
    from sklearn.linear_model import Ridge

    idx = pd.period_range("2000-01", periods=60, freq="M")
    rng = np.random.RandomState(1)
    X = pd.DataFrame({"x": rng.normal(size=66)}, index=pd.period_range("2000-01", periods=66, freq="M"))
    y = pd.Series(2.0 * X["x"].to_numpy()[:60] + rng.normal(scale=0.1, size=60), index=idx, name="y")
    for strategy in ["recursive", "direct", "multioutput"]:
        f = ReductionForecaster(Ridge(alpha=1e-3), window=2, horizon=6, strategy=strategy).fit(y, X=X.iloc[:60])
        pi = f.predict_interval([1, 6], X=X.iloc[60:], coverage=0.9)
        assert list(pi.columns) == ["lower", "upper"] and pi.index.equals(X.index[[60, 65]])
        assert ((pi["upper"] - pi["lower"]) < 1.5).all()  # the exog explains y: narrow intervals
        assert np.isfinite(pi.to_numpy()).all()


def test_interval_errors_are_clear():
    from sklearn.linear_model import Ridge

    y = np.arange(8.0)
    f = ReductionForecaster(Ridge(), window=3, horizon=2, strategy="direct").fit(y)
    with pytest.raises(ValueError, match="trained for horizon=2; step 3 was requested"):
        f.predict_interval(3)
    f = ReductionForecaster(Ridge(), window=5, strategy="recursive").fit(y)
    with pytest.raises(ValueError, match="step-3 error; the interval needs at least 2"):
        f.predict_interval(3)

"""Plain, correct use of every public estimator emits no warning at all.

Each scenario runs under ``warnings.simplefilter("error")``, so any warning (from
tsforecast, scikit-learn, statsmodels, pandas or Keras) fails the test and names itself.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

import tsforecast as tsf
from tsforecast.metrics import make_forecast_scorer, mase, owa, smape


FORECASTERS = {
    "naive": lambda: tsf.NaiveForecaster(),
    "seasonal_naive": lambda: tsf.SeasonalNaiveForecaster(seasonal_periods=12),
    "drift": lambda: tsf.DriftForecaster(),
    "naive2": lambda: tsf.Naive2Forecaster(seasonal_periods=12),
    "arima_auto": lambda: tsf.ARIMAForecaster(order="auto", seasonal_periods=12),
    "arima_fixed": lambda: tsf.ARIMAForecaster(order=(1, 1, 0), seasonal_order=(0, 1, 1), seasonal_periods=12),
    "holtwinters_auto": lambda: tsf.HoltWintersForecaster(seasonal_periods=12),
    "holtwinters_mul": lambda: tsf.HoltWintersForecaster(
        trend="add", seasonal="mul", error="mul", damped_trend=False, seasonal_periods=12
    ),
    "theta": lambda: tsf.ThetaForecaster(seasonal_periods=12),
    "reduction_ridge": lambda: tsf.ReductionForecaster(Ridge(), window=12, horizon=12, strategy="direct"),
    "reduction_gbr": lambda: tsf.ReductionForecaster(
        GradientBoostingRegressor(n_estimators=20, random_state=0), window=12, strategy="recursive"
    ),
    "transformed_log": lambda: tsf.TransformedTargetForecaster(
        tsf.HoltWintersForecaster(seasonal_periods=12, seasonal="add"),
        FunctionTransformer(np.log, np.exp),
    ),
}


@pytest.mark.parametrize("name", list(FORECASTERS))
def test_forecaster_plain_use_is_silent(name, airline):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f = FORECASTERS[name]().fit(airline.iloc[:-12])
        pred = f.predict(12)
        interval = f.predict_interval(12, coverage=0.9)
        score = f.score(airline.iloc[-12:])
        cv = cross_validate(FORECASTERS[name](), airline, cv=TimeSeriesSplit(n_splits=2, test_size=12),
                            scoring=make_forecast_scorer("smape"))
    assert np.isfinite(pred.to_numpy()).all() and pred.index.equals(airline.index[-12:])
    assert interval.shape == (12, 2) and np.isfinite(interval.to_numpy()).all()
    assert np.isfinite(score) and np.isfinite(cv["test_score"]).all()


def test_several_series_and_grid_search_are_silent(airline):
    panel = pd.DataFrame({"a": airline, "b": airline * 2.0})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pred = tsf.HoltWintersForecaster(seasonal_periods=12).fit(panel).predict(3)
        grid = GridSearchCV(  # damping and error fixed: 9 fits, not 9 automatic searches
            tsf.HoltWintersForecaster(seasonal_periods=12, damped_trend=False, error="add"),
            {"trend": [None, "add"], "seasonal": ["add", "mul"]},
            cv=TimeSeriesSplit(n_splits=2, test_size=12),
        ).fit(airline)
    assert list(pred.columns) == ["a", "b"] and np.isfinite(pred.to_numpy()).all()
    assert set(grid.best_params_) == {"trend", "seasonal"}


def test_windowing_and_metrics_are_silent(airline):
    y = airline.to_numpy(dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        X, Y = tsf.make_windows(y, window=12, horizon=3)
        Xt = tsf.SlidingWindowTransformer(window=12).set_output(transform="pandas").fit_transform(airline)
        values = [smape(y[-12:], y[-24:-12]), mase(y[-12:], y[-24:-12], y_train=y[:-12], m=12),
                  owa(10.0, 0.9, 12.0, 1.1)]
    assert X.shape == (len(y) - 14, 12) and Y.shape == (len(y) - 14, 3)
    assert isinstance(Xt, pd.DataFrame) and Xt.shape[1] == 12
    assert np.isfinite(values).all()


@pytest.mark.slow
def test_neural_estimators_plain_use_is_silent(airline):
    pytest.importorskip("keras")
    from tsforecast.neural import LSTMClassifier, LSTMForecaster, LSTMRegressor, SequenceTokenizer

    tiny = dict(units=4, epochs=2, n_estimators=1, random_state=0)
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 6, 2))
    y_reg, y_clf = X.sum(axis=(1, 2)), np.where(X[:, :, 0].sum(axis=1) > 0, "up", "down")
    texts = ["很好 喜欢", "不好 失望", "好评", "差评"] * 5
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        reg = LSTMRegressor(**tiny).fit(X, y_reg)
        clf = LSTMClassifier(**tiny).fit(X, y_clf)
        fc = LSTMForecaster(window=12, horizon=6, **tiny).fit(airline)
        pipe = make_pipeline(SequenceTokenizer(), LSTMClassifier(embedding_dim=4, **tiny)).fit(texts, [1, 0, 1, 0] * 5)
        window_pipe = make_pipeline(StandardScaler(), Ridge()).fit(X.reshape(40, -1), y_reg)
        outputs = [reg.predict(X), clf.predict_proba(X), fc.predict(6).to_numpy(),
                   fc.predict_interval(6).to_numpy(), pipe.predict_proba(texts), window_pipe.predict(X.reshape(40, -1))]
    assert all(np.isfinite(o).all() for o in outputs)

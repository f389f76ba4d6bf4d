"""Exogenous regressors with several series: each series is fitted and forecast with its own X.

A panel takes X either as a dict (one table per series) or as one table
whose rows are picked by each series' index (every forecaster). The tests check values, not
shapes: a forecast follows its own series' X, and only that.
"""

import numpy as np
import pandas as pd
import pytest
from _settings import TINY, fixed_forecaster as Forecaster
from sklearn.linear_model import LinearRegression

from tsforecast import LSTMForecaster, ReductionForecaster

NET = dict(TINY, learning_rate=0.01, batch_size=16)  # enough gradient steps for X to matter


def _exog(n, seed):
    return pd.DataFrame({"x": np.cumsum(np.random.RandomState(seed).normal(size=n))})


def _series(index, seed):
    rng = np.random.RandomState(seed)
    return pd.Series(10 + np.sin(np.arange(len(index)) / 2) + 0.1 * rng.normal(size=len(index)), index=index)


def test_reduction_panel_takes_each_series_rows_of_a_shared_table():
    """y = 3x on one series and y = 5 - 2x on the other, over different spans of one X table: an
    exact linear model per series forecasts each from the future X rows."""
    X = _exog(63, seed=0)
    a = 3 * X["x"].loc[10:59]  # starts later: rows 10..59 of X
    b = 5 - 2 * X["x"].loc[:59]
    f = ReductionForecaster(LinearRegression(), window=2).fit({"a": a, "b": b}, X=X.loc[:59])
    pred = f.predict(3, X=X.loc[60:])
    future = X["x"].loc[60:].to_numpy()
    np.testing.assert_allclose(pred["a"].to_numpy(), 3 * future, rtol=1e-8)
    np.testing.assert_allclose(pred["b"].to_numpy(), 5 - 2 * future, rtol=1e-8)


def test_local_panel_takes_a_dict_of_X_per_series():
    """The same exact linear models as above with one X per series (a dict): same forecasts; a
    series missing from the dict is named."""
    import re

    import pytest

    X = _exog(63, seed=0)
    a, b = 3 * X["x"].loc[10:59], 5 - 2 * X["x"].loc[:59]
    f = ReductionForecaster(LinearRegression(), window=2).fit({"a": a, "b": b}, X={"a": X.loc[10:59], "b": X.loc[:59]})
    pred = f.predict(3, X={"a": X.loc[60:], "b": X.loc[60:]})
    future = X["x"].loc[60:].to_numpy()
    np.testing.assert_allclose(pred["a"].to_numpy(), 3 * future, rtol=1e-8)
    np.testing.assert_allclose(pred["b"].to_numpy(), 5 - 2 * future, rtol=1e-8)
    iv = f.predict_interval(3, X={"a": X.loc[60:], "b": X.loc[60:]})
    assert (iv["a"]["lower"] <= pred["a"]).all() and (pred["b"] <= iv["b"]["upper"]).all()
    msg = "X is a dict of exogenous data per series but has no entry for series 'b'"
    with pytest.raises(ValueError, match=re.escape(msg)):
        f.predict(3, X={"a": X.loc[60:]})


def test_lstm_panel_dict_gives_each_series_its_own_X():
    """A dict of X per series gives bit for bit the forecasts of one table holding both series'
    rows under their own (disjoint) index: the rows reach the right series in fit and predict."""
    a = _series(pd.RangeIndex(0, 60), seed=1)
    b = _series(pd.RangeIndex(100, 150), seed=2)
    Xa = _exog(63, seed=3).set_axis(pd.RangeIndex(0, 63))
    Xb = _exog(53, seed=4).set_axis(pd.RangeIndex(100, 153))
    params = dict(window=8, horizon=3, **NET)
    by_dict = Forecaster(**params).fit({"a": a, "b": b}, X={"a": Xa.loc[:59], "b": Xb.loc[:149]})
    pred = by_dict.predict(3, X={"a": Xa.loc[60:], "b": Xb.loc[150:]})
    table = pd.concat([Xa, Xb])
    by_table = Forecaster(**params).fit({"a": a, "b": b}, X=table)
    # the wide result is indexed by the union of the two future spans (60..62 and 150..152)
    pd.testing.assert_frame_equal(by_table.predict(3, X=table), pred, check_exact=True)
    # a series' forecast follows its own future X, and only its own
    shifted = by_dict.predict(3, X={"a": Xa.loc[60:], "b": Xb.loc[150:] + 5.0})
    pd.testing.assert_series_equal(shifted["a"], pred["a"], check_exact=True)
    assert np.abs(shifted["b"].dropna() - pred["b"].dropna()).min() > 1e-6


def test_lstm_panel_swapping_future_X_swaps_the_forecasts():
    """Two series with the same history: giving each the other's future X swaps their forecasts."""
    y = _series(pd.RangeIndex(0, 60), seed=1)
    X = _exog(60, seed=3)
    f = Forecaster(window=8, horizon=3, **NET).fit({"a": y, "b": y.copy()}, X={"a": X, "b": X.copy()})
    Fa, Fb = _exog(3, seed=5), _exog(3, seed=6) + 2.0
    pred = f.predict(3, X={"a": Fa, "b": Fb})
    swapped = f.predict(3, X={"a": Fb, "b": Fa})
    assert np.abs(pred["a"].to_numpy() - pred["b"].to_numpy()).min() > 1e-6
    np.testing.assert_allclose(swapped["a"].to_numpy(), pred["b"].to_numpy(), rtol=1e-6)
    np.testing.assert_allclose(swapped["b"].to_numpy(), pred["a"].to_numpy(), rtol=1e-6)


@pytest.mark.slow  # six network trainings (~10 s)
def test_lstm_refit_average_with_exog_and_a_short_series():
    """refit="average" on a panel with X and a series too short to train on: both network sets
    forecast every series from its own future X, with finite forecasts and ordered intervals."""
    a = _series(pd.RangeIndex(0, 60), seed=1)
    b = _series(pd.RangeIndex(0, 60), seed=2)
    short = _series(pd.RangeIndex(50, 60), seed=3)  # 10 values: fewer than window + horizon
    X = _exog(63, seed=4)
    params = dict(window=8, horizon=3, **dict(NET, validation_fraction=0.2))
    f = Forecaster(**params, refit="average").fit({"a": a, "b": b, "short": short}, X=X.loc[:59])
    assert f.refit_ == "average" and f.short_series_ == ["short"]
    first = Forecaster(**params, refit=False).fit({"a": a, "b": b, "short": short}, X=X.loc[:59])
    again = Forecaster(**params, refit=True).fit({"a": a, "b": b, "short": short}, X=X.loc[:59])
    pred = f.predict(3, X=X)
    assert np.isfinite(pred.to_numpy()).all()
    expected = (first.predict(3, X=X) + again.predict(3, X=X)) / 2
    pd.testing.assert_frame_equal(pred, expected, rtol=1e-6)
    iv = f.predict_interval(3, coverage=0.8, X=X)
    for name in ("a", "b", "short"):
        assert (iv[(name, "lower")] <= pred[name]).all() and (pred[name] <= iv[(name, "upper")]).all()

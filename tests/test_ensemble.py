"""EnsembleForecaster: combination rules, parameters, exogenous routing, panels, errors."""

import pickle
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from tsforecast import (
    DriftForecaster,
    EnsembleForecaster,
    NaiveForecaster,
    ReductionForecaster,
    SeasonalNaiveForecaster,
)


def _y(n=48):
    idx = pd.period_range("2000-01", periods=n, freq="M")
    t = np.arange(n, dtype=float)
    return pd.Series(100 + t + 10 * np.sin(2 * np.pi * t / 12), index=idx, name="y")


def _members():
    return [("naive", NaiveForecaster()), ("drift", DriftForecaster()), ("snaive", SeasonalNaiveForecaster(seasonal_periods=12))]


def _single(y, h):
    return np.array([np.asarray(clone(f).fit(y).predict(h), float) for _, f in _members()])


def test_mean_median_and_weights_match_members():
    y = _y()
    each = _single(y, 6)
    mean = EnsembleForecaster(_members(), horizon=6).fit(y).predict()
    np.testing.assert_allclose(mean.to_numpy(), each.mean(axis=0), rtol=1e-12)
    assert mean.index.equals(NaiveForecaster().fit(y).predict(6).index)
    med = EnsembleForecaster(_members(), aggregation="median").fit(y).predict(6)
    np.testing.assert_allclose(med.to_numpy(), np.median(each, axis=0), rtol=1e-12)
    w = EnsembleForecaster(_members(), weights=[1, 0, 3]).fit(y).predict(6)
    np.testing.assert_allclose(w.to_numpy(), (each[0] + 3 * each[2]) / 4, rtol=1e-12)


def test_interval_combines_member_bounds():
    y = _y()
    ens = EnsembleForecaster(_members()[:2]).fit(y)
    iv = ens.predict_interval(4, coverage=0.8)
    parts = [f.fit(y).predict_interval(4, coverage=0.8) for _, f in _members()[:2]]
    np.testing.assert_allclose(iv["lower"], (parts[0]["lower"] + parts[1]["lower"]) / 2)
    np.testing.assert_allclose(iv["upper"], (parts[0]["upper"] + parts[1]["upper"]) / 2)


def test_params_clone_pickle_and_grid_search():
    ens = EnsembleForecaster(_members(), horizon=3)
    params = ens.get_params()
    assert params["snaive__seasonal_periods"] == 12 and "drift" in params
    ens.set_params(snaive__seasonal_periods=6)
    assert ens.forecasters[2][1].seasonal_periods == 6
    fitted = clone(ens).fit(_y())
    again = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(again.predict(), fitted.predict())
    gs = GridSearchCV(ens, {"snaive__seasonal_periods": [6, 12]}, cv=TimeSeriesSplit(3, test_size=6)).fit(_y())
    assert gs.best_params_ == {"snaive__seasonal_periods": 12}


def test_exog_goes_only_to_members_that_use_it():
    rng = np.random.default_rng(0)
    n = 60
    X = pd.DataFrame({"x": rng.normal(size=n + 4)}, index=pd.period_range("2000-01", periods=n + 4, freq="M"))
    y = pd.Series(3.0 * X["x"].to_numpy()[:n] + 5.0, index=X.index[:n])
    red = ReductionForecaster(LinearRegression(), window=1, strategy="direct", horizon=4)
    ens = EnsembleForecaster([("reg", red), ("naive", NaiveForecaster())], horizon=4).fit(y, X=X.iloc[:n])
    got = ens.predict(X=X.iloc[n:])
    reg = clone(red).fit(y, X=X.iloc[:n]).predict(4, X=X.iloc[n:])
    naive = NaiveForecaster().fit(y).predict(4)
    np.testing.assert_allclose(got.to_numpy(), (reg.to_numpy() + naive.to_numpy()) / 2, rtol=1e-10)


def _panel():
    y = _y()
    # different starts and ends: the wide tables of the members must line up
    return {"a": y, "b": 2 * y.iloc[5:], "c": y.iloc[:-3] + 50}


def test_panel_of_local_members_equals_one_ensemble_per_series():
    panel = _panel()
    ens = EnsembleForecaster(_members(), weights=[1, 2, 3], horizon=4).fit(panel)
    pred, iv = ens.predict(), ens.predict_interval(coverage=0.8)
    assert list(pred.columns) == ["a", "b", "c"] and ens.n_obs_ == {"a": 48, "b": 43, "c": 45}
    for k, y in panel.items():
        alone = EnsembleForecaster(_members(), weights=[1, 2, 3], horizon=4).fit(y)
        np.testing.assert_allclose(pred[k].dropna().to_numpy(), alone.predict().to_numpy(), rtol=1e-12)
        assert pred[k].dropna().index.equals(alone.predict().index)
        np.testing.assert_allclose(iv[k].dropna().to_numpy(), alone.predict_interval(coverage=0.8).to_numpy(),
                                   rtol=1e-12)
    # each member fitted the whole panel (one model per series, as it would alone)
    assert all(set(e.forecasters_) == {"a", "b", "c"} for e in ens.estimators_)


def test_panel_score_is_that_of_the_combined_forecasts():
    from tsforecast.metrics import mase

    panel = {"a": _y(60).iloc[:48], "b": 2 * _y(60).iloc[:48]}
    future = {"a": _y(60).iloc[48:], "b": 2 * _y(60).iloc[48:]}
    ens = EnsembleForecaster(_members(), aggregation="median").fit(panel)
    pred = ens.predict(12)
    expected = np.mean([mase(future[k].to_numpy(), pred[k].to_numpy(), y_train=panel[k].to_numpy()) for k in panel])
    assert ens.score(future) == pytest.approx(-expected, rel=1e-12)


def test_panel_gives_a_global_member_the_whole_panel():
    from _settings import TINY

    from tsforecast import LSTMForecaster

    panel = _panel()
    lstm = LSTMForecaster(window=12, normalize="window", refit=False, **TINY)
    ens = EnsembleForecaster([("lstm", lstm), ("naive", NaiveForecaster())], horizon=3).fit(panel)
    net = ens.named_estimators_["lstm"]
    assert not hasattr(net, "forecasters_") and net.n_obs_ == ens.n_obs_  # one network for the three series
    alone = clone(lstm).set_params(horizon=3).fit(panel).predict()
    naive = NaiveForecaster().fit(panel).predict(3)
    np.testing.assert_allclose(ens.predict().to_numpy(), (alone.to_numpy() + naive.to_numpy()) / 2, rtol=1e-6)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(ens)).predict().to_numpy(), ens.predict().to_numpy())


def test_n_jobs_goes_to_members_that_leave_it_unset():
    ens = EnsembleForecaster([("naive", NaiveForecaster()), ("drift", DriftForecaster(n_jobs=1))], n_jobs=2)
    ens.fit(_panel())
    assert [e.n_jobs for e in ens.estimators_] == [2, 1]


@pytest.mark.parametrize(
    "kwargs, msg",
    [
        ({"forecasters": []}, "forecasters must be a non-empty list of (name, forecaster) tuples."),
        ({"forecasters": [("a", NaiveForecaster()), ("a", DriftForecaster())]}, "Names provided are not unique"),
        ({"forecasters": [("a", 3)]}, "member 'a' is not a forecaster (no fit/predict): 3."),
        ({"weights": [1, 2]}, "weights has 2 value(s) but there are 3 forecasters."),
        ({"weights": [1, -1, 1]}, "weights must be finite, non-negative and not all zero"),
        ({"weights": [1, 1, 1], "aggregation": "median"}, "weights apply to aggregation='mean'"),
    ],
)
def test_bad_input_names_the_problem(kwargs, msg):
    kwargs = {"forecasters": _members(), **kwargs}
    with pytest.raises((ValueError, TypeError), match=re.escape(msg)):
        EnsembleForecaster(**kwargs).fit(_y())


def test_too_short_series_needs_what_the_longest_member_needs():
    need = SeasonalNaiveForecaster(seasonal_periods=12)._min_length()
    ens = EnsembleForecaster([("snaive", SeasonalNaiveForecaster(seasonal_periods=12)), ("naive", NaiveForecaster())])
    with pytest.raises(ValueError, match=re.escape(f"y has 5 observations; EnsembleForecaster with these settings needs at least {need}.")):
        ens.fit(np.arange(5.0))


def test_members_read_the_season_from_the_index():
    y = _y()
    ens = EnsembleForecaster([("snaive", SeasonalNaiveForecaster()), ("naive", NaiveForecaster())]).fit(y)
    assert ens.named_estimators_["snaive"].seasonal_periods_ == 12
    ens = EnsembleForecaster([("snaive", SeasonalNaiveForecaster()), ("naive", NaiveForecaster())]).fit(y.to_numpy())
    assert ens.named_estimators_["snaive"].seasonal_periods_ == 1  # no index, no frequency: not seasonal

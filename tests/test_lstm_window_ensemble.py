"""LSTMForecaster's networks reading several input windows (``window_scales``): one inner forecaster per
window, forecasts and interval widths averaged over the networks, clone/pickle/determinism, bad values."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from tsforecast import LSTMForecaster

QUICK = dict(epochs=2, units=4, batch_size=64, normalize="window", random_state=0)  # one centring: the window members alone


def _monthly(n, seed=0):
    t = np.arange(n)
    noise = np.random.default_rng(seed).normal(0, 2, n)
    return pd.Series(100 + 0.2 * t + 30 * np.sin(2 * np.pi * t / 12) + noise,
                     index=pd.date_range("2000-01", periods=n, freq="MS"))


@pytest.fixture(scope="module")
def default_fit():
    return LSTMForecaster(horizon=6, **QUICK).fit(_monthly(72))


def test_small_data_default_has_one_inner_forecaster_per_window(default_fit):
    f = default_fit
    # automatic window 24 (patch 12); 2/3 and 4/3 of it rounded to whole patches
    assert f.window_ == 24 and f.windows_ == (24, 12, 36)
    assert [(e.window_, e.patch_, e.n_estimators_) for e in f.estimators_] == [(24, 12, 1), (12, 12, 1), (36, 12, 1)]
    assert f.n_estimators_ == 3 and f.refit_ == "average" and f.regressor_ is f.estimators_[0].regressor_
    # each inner forecaster predicts on its own; the forecast is their mean
    members = np.array([e.predict() for e in f.estimators_])
    np.testing.assert_allclose(f.predict(), members.mean(axis=0), rtol=1e-12)
    assert not np.allclose(members[0], members[1])


def test_interval_is_the_mean_of_the_inner_intervals(default_fit):
    f = default_fit
    fh = np.arange(1, 7)
    ivs = [e.predict_interval(fh, coverage=0.8) for e in f.estimators_]
    iv = f.predict_interval(fh, coverage=0.8)
    for col in ("lower", "upper"):
        np.testing.assert_allclose(iv[col], np.mean([m[col] for m in ivs], axis=0), rtol=1e-12)
    assert np.all(iv["lower"] < f.predict(fh)) and np.all(f.predict(fh) < iv["upper"])
    with pytest.raises(ValueError, match="calibrated up to horizon=6"):
        f.predict_interval(np.arange(1, 8))


def test_networks_cycle_through_the_windows_and_weigh_by_their_number():
    y = _monthly(72)
    f = LSTMForecaster(horizon=6, n_estimators=5, **QUICK).fit(y)
    assert f.windows_ == (24, 12, 36, 24, 12)
    assert [e.n_estimators_ for e in f.estimators_] == [2, 2, 1]
    members = np.array([e.predict() for e in f.estimators_])
    np.testing.assert_allclose(f.predict(), (2 * members[0] + 2 * members[1] + members[2]) / 5, rtol=1e-12)


def test_one_window_keeps_one_set_of_networks():
    y = _monthly(72)
    f = LSTMForecaster(horizon=6, window_scales=(1,), **QUICK).fit(y)
    assert f.estimators_ is None and f.windows_ == (24, 24, 24) and f.regressor_.n_estimators_ == 3
    # an explicit window keeps one window under "auto"
    assert LSTMForecaster(horizon=6, window=24, n_estimators=1, **QUICK).fit(y).estimators_ is None


def test_same_seed_same_forecasts_clone_and_pickle(default_fit):
    y = _monthly(72)
    again = clone(default_fit).fit(y)
    np.testing.assert_array_equal(again.predict(), default_fit.predict())
    assert clone(default_fit).get_params()["window_scales"] == "auto"
    back = pickle.loads(pickle.dumps(default_fit))
    np.testing.assert_array_equal(back.predict(), default_fit.predict())
    np.testing.assert_array_equal(back.predict_interval(coverage=0.9).to_numpy(),
                                  default_fit.predict_interval(coverage=0.9).to_numpy())


def test_panel_with_exog_and_a_short_series():
    rng = np.random.default_rng(1)
    panel = {"long": _monthly(72), "short": _monthly(72, seed=2).iloc[-30:]}
    X = {k: pd.DataFrame({"x": rng.normal(size=len(s) + 6)},
                         index=pd.date_range(s.index[0], periods=len(s) + 6, freq="MS")) for k, s in panel.items()}
    f = LSTMForecaster(horizon=6, **QUICK).fit(panel, X={k: x.iloc[:-6] for k, x in X.items()})
    assert len(f.estimators_) == 3 and "short" in f.short_series_  # too short for the 36-month window
    future = {k: x.iloc[-6:] for k, x in X.items()}
    pred = f.predict(X=future)
    members = np.array([e.predict(X=future).to_numpy() for e in f.estimators_])
    np.testing.assert_allclose(pred.to_numpy(), members.mean(axis=0), rtol=1e-12)
    iv = f.predict_interval(X=future, coverage=0.9)
    assert np.isfinite(iv.to_numpy()).all()


@pytest.mark.parametrize("bad", [(), (0,), (1, -0.5), (1, float("nan")), ["a"]])
def test_bad_window_scales_are_named(bad):
    with pytest.raises(ValueError, match="window_scales must be 'auto' or a non-empty sequence of positive numbers"):
        LSTMForecaster(horizon=6, window_scales=bad, **QUICK).fit(_monthly(72))

"""LSTMForecaster(normalize="auto"): one short series is fitted once per window centring, and averaged."""

import pickle

import numpy as np
import pandas as pd
import pytest
from _settings import TINY

from tsforecast import LSTMForecaster
from tsforecast.neural._auto import SERIES_CENTRINGS, auto_normalize

#: the default normalize ("auto"), tiny networks, several windows and a held-out hold-out (damping chosen)
QUICK = dict(TINY, validation_fraction=0.2, n_estimators=2, window_scales=(1, 0.5))


def _series(n=72, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return pd.Series(100 + 0.5 * t + 8 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 1, n),
                     index=pd.period_range("2000-01", periods=n, freq="M"))


def test_auto_rule_averages_both_centrings_for_one_series_on_small_data_only():
    assert auto_normalize("auto", small_data=True, n_series=1) == SERIES_CENTRINGS == ("window", "last")
    assert auto_normalize("auto", small_data=True, n_series=3) == "window"
    assert auto_normalize("auto", small_data=False, n_series=1) == "window"
    for explicit in ("window", "last", "series", None):  # an explicit value always wins
        assert auto_normalize(explicit, small_data=True, n_series=1) == explicit


def test_one_series_forecasts_are_the_mean_of_the_two_centrings_fitted_alone():
    y = _series()
    f = LSTMForecaster(window=12, horizon=4, **QUICK).fit(y)
    assert f.normalize_ == ("window", "last")
    assert [e.normalize_ for e in f.estimators_] == ["window", "last"]
    alone = [LSTMForecaster(window=12, horizon=4, normalize=c, **QUICK).fit(y) for c in ("window", "last")]
    np.testing.assert_allclose(f.predict(4).to_numpy(), np.mean([a.predict(4).to_numpy() for a in alone], axis=0),
                               rtol=1e-12)
    # each fit keeps its own settings: its windows, networks and the damping chosen on its held-out windows
    assert f.windows_ == alone[0].windows_ + alone[1].windows_
    assert f.n_estimators_ == alone[0].n_estimators_ + alone[1].n_estimators_ == 4
    assert f.damping_ == {"window": alone[0].damping_, "last": alone[1].damping_}
    assert set(f.damping_errors_) == {"window", "last"}
    # intervals: the two fits' half widths averaged around the averaged forecast
    iv = f.predict_interval(4, coverage=0.8)
    halves = [(a.predict_interval(4, coverage=0.8)["upper"] - a.predict_interval(4, coverage=0.8)["lower"]) / 2
              for a in alone]
    np.testing.assert_allclose(((iv["upper"] - iv["lower"]) / 2).to_numpy(), np.mean(halves, axis=0), rtol=1e-9)
    np.testing.assert_allclose(((iv["upper"] + iv["lower"]) / 2).to_numpy(), f.predict(4).to_numpy(), rtol=1e-9)
    # each inner fit still forecasts on its own
    np.testing.assert_allclose(f.estimators_[1].predict(4).to_numpy(), alone[1].predict(4).to_numpy(), rtol=1e-12)


def test_panels_and_explicit_values_fit_once():
    y = _series()
    panel = pd.DataFrame({k: _series(seed=k).to_numpy() for k in range(3)}, index=y.index)
    f = LSTMForecaster(window=12, horizon=4, **TINY).fit(panel)
    assert f.normalize_ == "window" and f.estimators_ is None
    one = LSTMForecaster(window=12, horizon=4, normalize="last", **TINY).fit(y)
    assert one.normalize_ == "last" and one.estimators_ is None


def test_both_centrings_pickle_clone_and_repeat():
    from sklearn.base import clone

    y = _series()
    f = LSTMForecaster(window=12, horizon=3, **TINY).fit(y)
    again = LSTMForecaster(window=12, horizon=3, **TINY).fit(y)
    np.testing.assert_array_equal(f.predict(3).to_numpy(), again.predict(3).to_numpy())  # same seed, same forecast
    restored = pickle.loads(pickle.dumps(f))
    np.testing.assert_array_equal(restored.predict(3).to_numpy(), f.predict(3).to_numpy())
    assert clone(f).get_params()["normalize"] == "auto" and not hasattr(clone(f), "normalize_")


@pytest.mark.parametrize("bad", ["mean", ("window", "last")])
def test_unknown_normalize_is_named(bad):
    with pytest.raises(ValueError, match="normalize"):
        LSTMForecaster(window=12, horizon=3, normalize=bad, **TINY).fit(_series())

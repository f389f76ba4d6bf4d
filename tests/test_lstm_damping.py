"""LSTMForecaster(damping=...): the damped forecast path and the rule of damping="auto"."""

import numpy as np
import pandas as pd
import pytest
from _settings import TINY

from tsforecast import LSTMForecaster
from tsforecast.neural._auto import PANEL_DAMPING, auto_damping
from tsforecast.neural._damping import SERIES_DAMPING_CANDIDATES, choose_damping


def _trend(n=80, seed=0):
    rng = np.random.default_rng(seed)
    return pd.Series(50 + 0.8 * np.arange(n) + rng.normal(0, 2, n))


#: no seasonal adjustment, one network: the level forecasts are a linear map of the transformed path
PLAIN = dict(TINY, window=12, deseasonalize=None, refit=False)


def test_damping_multiplies_each_step_change_by_phi_to_the_step():
    y = _trend()
    base = LSTMForecaster(horizon=6, **PLAIN).fit(y).predict(6).to_numpy()
    damped = LSTMForecaster(horizon=6, damping=0.8, **PLAIN).fit(y).predict(6).to_numpy()
    last = y.iloc[-1]
    steps = np.diff(np.concatenate([[last], base]))
    expected = last + np.cumsum(steps * 0.8 ** np.arange(1, 7))
    np.testing.assert_allclose(damped, expected, rtol=1e-9, atol=1e-9)


def test_damping_with_differences_scales_each_forecast_change():
    y = _trend()
    base = LSTMForecaster(horizon=4, difference=1, **PLAIN).fit(y).predict(4).to_numpy()
    damped = LSTMForecaster(horizon=4, difference=1, damping=0.5, **PLAIN).fit(y).predict(4).to_numpy()
    changes = np.diff(np.concatenate([[y.iloc[-1]], base]))
    np.testing.assert_allclose(np.diff(np.concatenate([[y.iloc[-1]], damped])), changes * 0.5 ** np.arange(1, 5),
                               rtol=1e-9, atol=1e-9)


def test_auto_rule_damps_small_panels_and_leaves_one_series_to_its_held_out_windows():
    assert auto_damping("auto", small_data=True, n_series=5) == PANEL_DAMPING
    assert auto_damping("auto", small_data=True, n_series=1) is None  # chosen after training
    assert auto_damping("auto", small_data=False, n_series=400) == 1.0
    assert auto_damping(0.7, small_data=True, n_series=5) == 0.7  # an explicit value always wins


def test_default_fit_damps_a_panel_and_chooses_for_one_series():
    panel = pd.DataFrame({k: _trend(60, seed=k).to_numpy() for k in range(3)})
    quick = dict(units=4, epochs=2, batch_size=64, n_estimators=1, normalize="window", random_state=0)  # one fit per series
    f = LSTMForecaster(horizon=4, **quick).fit(panel)
    assert f.damping_ == PANEL_DAMPING and f.damping_errors_ is None
    one = LSTMForecaster(horizon=4, **quick).fit(panel[0])
    assert one.damping_ in SERIES_DAMPING_CANDIDATES
    assert set(one.damping_errors_) == set(SERIES_DAMPING_CANDIDATES)
    # nothing held out: nothing to choose on, no damping
    none_held = LSTMForecaster(horizon=4, validation_fraction=0.0, **quick).fit(panel[0])
    assert none_held.damping_ == 1.0 and none_held.damping_errors_ is None
    # the damped panel forecasts are the undamped ones with each step change scaled by 0.95 ** step
    undamped = LSTMForecaster(horizon=4, damping=1.0, deseasonalize=None, **quick).fit(panel).predict(4)
    damped = LSTMForecaster(horizon=4, deseasonalize=None, **quick).fit(panel).predict(4)
    for k in panel:
        last = panel[k].iloc[-1]
        steps = np.diff(np.concatenate([[last], undamped[k].to_numpy()]))
        np.testing.assert_allclose(damped[k].to_numpy(), last + np.cumsum(steps * PANEL_DAMPING ** np.arange(1, 5)),
                                   rtol=1e-9, atol=1e-9)


def test_window_members_use_the_outer_damping():
    panel = pd.DataFrame({k: _trend(60, seed=k).to_numpy() for k in range(3)})
    f = LSTMForecaster(horizon=4, units=4, epochs=2, batch_size=64, n_estimators=2, window_scales=(1, 0.5),
                       random_state=0).fit(panel)
    assert [m.damping_ for m in f.estimators_] == [PANEL_DAMPING, PANEL_DAMPING]


@pytest.mark.parametrize("bad", [0.0, 1.5, -0.2, "none"])
def test_bad_damping_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="damping"):
        LSTMForecaster(horizon=2, damping=bad, **PLAIN).fit(_trend(40))


def test_choose_damping_takes_the_smallest_weighted_error_and_the_weaker_damping_on_a_tie():
    from types import SimpleNamespace

    def member(errs, n):
        return SimpleNamespace(n_estimators_=n, _damping_residuals={c: np.full((2, 3), e) for c, e in errs.items()})

    a, b = member({1.0: 1.0, 0.95: 3.0, 0.9: 2.0}, 1), member({1.0: 4.0, 0.95: 1.0, 0.9: 2.0}, 3)
    phi, errors = choose_damping([a, b])
    # weighted by networks (1 and 3): 1.0 -> 3.25, 0.95 -> 1.5, 0.9 -> 2.0
    assert phi == 0.95 and errors == pytest.approx({1.0: 3.25, 0.95: 1.5, 0.9: 2.0})
    assert a.damping_ == b.damping_ == 0.95 and np.all(b.calibration_residuals_ == 1.0)
    assert a._damping_residuals is None  # the candidates' residuals are not kept in the fitted model
    tie = member({1.0: 2.0, 0.95: 2.0, 0.9: 2.0}, 1)
    assert choose_damping([tie])[0] == 1.0
    nothing = SimpleNamespace(n_estimators_=1, _damping_residuals=None)
    assert choose_damping([nothing]) == (1.0, None) and nothing.damping_ == 1.0


@pytest.mark.parametrize("scales, streaming", [((1.0,), False), ((1.0, 0.5), False), ((1.0,), True)])
def test_chosen_damping_forecasts_as_that_damping_set_explicitly(scales, streaming):
    """The choice only post-processes the same networks: a fit with the chosen value set by hand (same
    seed) gives the same forecasts and intervals, with one input window or with several (members), with
    the windows in memory or streamed."""
    y = pd.Series(100 + 3 * np.sin(np.arange(70) / 3) + 0.5 * np.arange(70) + np.random.default_rng(1).normal(0, 1, 70))
    params = dict(units=4, epochs=2, batch_size=64, n_estimators=len(scales), window=12, window_scales=scales,
                  random_state=0,
                  normalize="window",  # one centring: one damping choice
                  streaming=streaming, refit=False)  # no refit: the choice is made before it, and it halves the time
    auto = LSTMForecaster(horizon=5, **params).fit(y)
    errors = auto.damping_errors_
    assert auto.damping_ == min(sorted(errors, reverse=True), key=errors.get)
    assert all(m.damping_ == auto.damping_ for m in auto.estimators_ or [])
    fixed = LSTMForecaster(horizon=5, damping=auto.damping_, **params).fit(y)
    assert fixed.damping_errors_ is None
    np.testing.assert_allclose(auto.predict(8), fixed.predict(8), rtol=1e-9)
    np.testing.assert_allclose(auto.predict_interval([1, 5], coverage=0.8), fixed.predict_interval([1, 5], coverage=0.8),
                               rtol=1e-9)
    np.testing.assert_allclose(auto.calibration_residuals_, fixed.calibration_residuals_, rtol=1e-9)

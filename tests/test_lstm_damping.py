"""LSTMForecaster(damping=...): the damped forecast path and the rule of damping="auto"."""

import numpy as np
import pandas as pd
import pytest
from _settings import TINY

from tsforecast import LSTMForecaster
from tsforecast.neural._auto import PANEL_DAMPING, auto_damping


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


def test_auto_rule_damps_small_panels_only():
    assert auto_damping("auto", small_data=True, n_series=5) == PANEL_DAMPING
    assert auto_damping("auto", small_data=True, n_series=1) == 1.0
    assert auto_damping("auto", small_data=False, n_series=400) == 1.0
    assert auto_damping(0.7, small_data=True, n_series=5) == 0.7  # an explicit value always wins


def test_default_fit_damps_a_panel_and_not_one_series():
    panel = pd.DataFrame({k: _trend(60, seed=k).to_numpy() for k in range(3)})
    quick = dict(units=4, epochs=2, n_estimators=1, random_state=0)
    f = LSTMForecaster(horizon=4, **quick).fit(panel)
    assert f.damping_ == PANEL_DAMPING
    assert LSTMForecaster(horizon=4, **quick).fit(panel[0]).damping_ == 1.0
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
    f = LSTMForecaster(horizon=4, units=4, epochs=2, n_estimators=2, window_scales=(1, 0.5), random_state=0).fit(panel)
    assert [m.damping_ for m in f.estimators_] == [PANEL_DAMPING, PANEL_DAMPING]


@pytest.mark.parametrize("bad", [0.0, 1.5, -0.2, "none"])
def test_bad_damping_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="damping"):
        LSTMForecaster(horizon=2, damping=bad, **PLAIN).fit(_trend(40))

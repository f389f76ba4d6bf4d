"""LSTMForecaster: equivalence with windows + LSTMRegressor, global panel model, exog, intervals."""

import pickle
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from tsforecast.forecasting._base import BaseForecaster
from tsforecast.neural import LSTMForecaster, LSTMRegressor
from tsforecast.windowing import make_windows

NET = dict(units=4, epochs=2, batch_size=16, learning_rate=0.01, loss="mae", early_stopping=False, random_state=0)


def _series(n=60, seed=0, level=10.0):
    rng = np.random.RandomState(seed)
    t = np.arange(n)
    return level + np.sin(2 * np.pi * t / 6) + 0.1 * rng.normal(size=n)


def test_is_a_forecaster():
    assert issubclass(LSTMForecaster, BaseForecaster)
    assert LSTMForecaster()._supports_exog


# ------------------------------------------------------------- equivalence
@pytest.mark.parametrize("patch", [1, 4])
def test_same_forecasts_as_make_windows_plus_regressor(patch):
    y = _series()
    f = LSTMForecaster(window=8, horizon=3, patch=patch, normalize=None, validation_fraction=0.0, **NET).fit(y)
    Xw, Y = make_windows(y, window=8, horizon=3)
    last = y[-8:][None, :]
    if patch > 1:
        Xw, last = Xw.reshape(len(Xw), 8 // patch, patch), last.reshape(1, 8 // patch, patch)
    reg = LSTMRegressor(validation_fraction=0.0, **NET).fit(Xw, Y)
    np.testing.assert_array_equal(f.predict(3), reg.predict(last)[0])
    assert f.n_windows_ == len(Xw)
    assert f.regressor_.n_timesteps_in_ == 8 // patch


def test_window_normalisation_makes_forecasts_affine_equivariant():
    y = _series()
    params = dict(window=8, horizon=3, validation_fraction=0.0, **NET)
    p1 = LSTMForecaster(**params).fit(y).predict(3)
    p2 = LSTMForecaster(**params).fit(1000.0 + 50.0 * y).predict(3)
    np.testing.assert_allclose(p2, 1000.0 + 50.0 * p1, rtol=1e-5)


def test_difference_continues_a_line():
    y = 3.0 + 2.0 * np.arange(40.0)
    f = LSTMForecaster(window=6, horizon=4, difference=1, validation_fraction=0.0, **NET).fit(y)
    np.testing.assert_allclose(f.predict(4), 3.0 + 2.0 * np.arange(40, 44), rtol=1e-4)


# ---------------------------------------------------------- global model
def _panel():
    a = pd.Series(_series(50, seed=1), index=pd.RangeIndex(10, 60))
    b = pd.Series(_series(60, seed=2, level=30.0), index=pd.RangeIndex(0, 60))
    return a, b


def test_one_network_for_many_series_any_input_layout():
    a, b = _panel()
    params = dict(window=8, horizon=3, validation_fraction=0.0, **NET)
    wide = pd.DataFrame({"a": a, "b": b})  # "a" starts later: NaN-padded at the start
    assert wide["a"].isna().sum() == 10
    f_wide = LSTMForecaster(**params).fit(wide)
    assert isinstance(f_wide.regressor_, LSTMRegressor)
    assert f_wide.n_windows_ == (50 - 8 - 3 + 1) + (60 - 8 - 3 + 1)
    pred = f_wide.predict(3)
    assert list(pred.columns) == ["a", "b"] and list(pred.index) == [60, 61, 62]
    f_dict = LSTMForecaster(**params).fit({"a": a, "b": b})
    pd.testing.assert_frame_equal(f_dict.predict(3), pred)
    long = pd.concat([pd.DataFrame({"id": k, "t": s.index, "value": s.to_numpy()}) for k, s in (("a", a), ("b", b))])
    from tsforecast.utils._series import to_panel

    f_long = LSTMForecaster(**params).fit(to_panel(long, id_col="id", time_col="t", value_col="value"))
    pd.testing.assert_frame_equal(f_long.predict(3), pred)
    # the series' windows trained the same single network as make_windows stacks them
    Xw, Y = make_windows(wide, window=8, horizon=3)
    reg = LSTMRegressor(validation_fraction=0.0, **NET)
    Xn, Yn, _ = f_wide._network_windows(Xw, Y)
    np.testing.assert_array_equal(
        reg.fit(Xn, Yn).predict(f_wide._network_windows(np.stack([a.to_numpy()[-8:], b.to_numpy()[-8:]]))[0]),
        f_wide.regressor_.predict(f_wide._network_windows(np.stack([a.to_numpy()[-8:], b.to_numpy()[-8:]]))[0]),
    )


def test_single_series_takes_the_panel_code_path():
    a, _ = _panel()
    params = dict(window=8, horizon=3, validation_fraction=0.2, **NET)
    single = LSTMForecaster(**params).fit(a)
    panel = LSTMForecaster(**params).fit({"a": a})
    np.testing.assert_array_equal(single.predict(3).to_numpy(), panel.predict(3)["a"].to_numpy())
    np.testing.assert_array_equal(single.calibration_residuals_, panel.calibration_residuals_)


def test_panel_interval_and_score():
    a, b = _panel()
    f = LSTMForecaster(window=8, horizon=3, validation_fraction=0.2, **NET).fit({"a": a, "b": b})
    iv = f.predict_interval(3, coverage=0.8)
    assert list(iv.columns) == [("a", "lower"), ("a", "upper"), ("b", "lower"), ("b", "upper")]
    pred = f.predict(3)
    assert (iv[("a", "lower")] <= pred["a"]).all() and (pred["b"] <= iv[("b", "upper")]).all()
    future = pd.DataFrame({"a": [10.0, 11.0], "b": [30.0, 31.0]}, index=[61, 62])
    score = f.score(future)
    assert np.isfinite(score) and score < 0
    with pytest.raises(ValueError, match=r"series \['c'\] that the model was not fitted on"):
        f.score(pd.DataFrame({"c": [1.0]}, index=[60]))


def test_panel_errors_name_the_series():
    a, b = _panel()
    msg = "series 'short' has 9 observations; window=8 and horizon=3 need at least 11"
    with pytest.raises(ValueError, match=re.escape(msg)):
        LSTMForecaster(window=8, horizon=3, **NET).fit({"a": a, "short": b.iloc[:9]})


# --------------------------------------------------------------- exogenous
def test_exogenous_regressors():
    rng = np.random.RandomState(0)
    x = rng.normal(size=70)
    y = 5 + np.roll(x, 0) + 0.1 * rng.normal(size=70)
    X = pd.DataFrame({"x": x})
    f = LSTMForecaster(window=6, horizon=2, validation_fraction=0.2, **NET).fit(y[:60], X=X.iloc[:60])
    assert f.regressor_.n_features_in_ == 2  # the series + one exogenous column per time step
    p1 = f.predict(2, X=X.iloc[60:62])
    p2 = f.predict(2, X=X.iloc[60:62] + 5.0)
    assert p1.shape == (2,) and not np.allclose(p1, p2)  # the future X is used
    # multioutput feeds X `horizon` steps ahead: step 1 alone still needs X for steps 1..2
    assert f.predict([1], X=X.iloc[60:62])[0] == p1[0]
    with pytest.raises(ValueError, match=r"pass X with the future values for steps 1..2"):
        f.predict(2)
    with pytest.raises(ValueError, match=r"X has 1 rows; predicting up to step 2 needs 2 rows"):
        f.predict([1], X=X.iloc[60:61])
    rec = LSTMForecaster(window=6, horizon=2, strategy="recursive", validation_fraction=0.2, **NET)
    rec.fit(y[:60], X=X.iloc[:60])
    assert rec.predict(5, X=X.iloc[60:65]).shape == (5,)
    assert rec.predict_interval(2, X=X.iloc[60:62]).shape == (2, 2)


def test_exogenous_in_a_panel_dict():
    a, b = _panel()
    Xa = pd.DataFrame({"x": np.arange(53.0)}, index=pd.RangeIndex(10, 63))
    Xb = pd.DataFrame({"x": np.arange(63.0)}, index=pd.RangeIndex(0, 63))
    f = LSTMForecaster(window=8, horizon=3, validation_fraction=0.0, **NET)
    f.fit({"a": a, "b": b}, X={"a": Xa.loc[:59], "b": Xb.loc[:59]})
    pred = f.predict(3, X={"a": Xa.loc[60:], "b": Xb.loc[60:]})
    assert pred.shape == (3, 2) and np.isfinite(pred.to_numpy()).all()


# --------------------------------------------------------------- intervals
def test_conformal_interval_matches_the_documented_formula():
    y = _series(80)
    f = LSTMForecaster(window=8, horizon=4, normalize=None, validation_fraction=0.25, **NET).fit(y)
    res = f.calibration_residuals_
    n_win = 80 - 8 - 4 + 1
    assert res.shape == (int(np.ceil(0.25 * n_win)), 4)
    iv = f.predict_interval(4, coverage=0.8)
    n = res.shape[0]
    q = np.quantile(res, np.ceil((n + 1) * 0.8) / n, axis=0, method="higher")
    pred = f.predict(4)
    np.testing.assert_allclose(iv["upper"].to_numpy() - pred, q)
    np.testing.assert_allclose(pred - iv["lower"].to_numpy(), q)
    wide = f.predict_interval(4, coverage=0.95)
    assert ((wide["upper"] - wide["lower"]).to_numpy() >= (iv["upper"] - iv["lower"]).to_numpy()).all()


def test_calibration_windows_are_held_out_of_training():
    y = _series(80)
    f = LSTMForecaster(window=8, horizon=4, validation_fraction=0.25, **NET).fit(y)
    n_win = 80 - 8 - 4 + 1
    n_val = int(np.ceil(0.25 * n_win))
    # training windows end their targets before the first held-out target (gap of horizon - 1 windows)
    assert f.n_windows_ == (n_win - n_val) - 4 + 1
    assert "val_loss" in f.history_


def test_interval_errors():
    y = _series()
    f = LSTMForecaster(window=8, horizon=3, validation_fraction=0.0, **NET).fit(y)
    with pytest.raises(ValueError, match="refit with validation_fraction > 0"):
        f.predict_interval(3)
    rec = LSTMForecaster(window=8, horizon=3, strategy="recursive", validation_fraction=0.2, **NET).fit(y)
    assert rec.predict(6).shape == (6,)
    with pytest.raises(ValueError, match="calibrated up to horizon=3 steps; got a step of 5"):
        rec.predict_interval(5)


# ------------------------------------------------------------------- API
def test_pandas_index_and_fh():
    from tsforecast.datasets import load_airline

    y = load_airline()
    f = LSTMForecaster(window=12, horizon=6, validation_fraction=0.1, **NET).fit(y)
    pred = f.predict()
    assert isinstance(pred, pd.Series) and str(pred.index[0]) == "1961-01" and len(pred) == 6
    assert f.predict([6, 2]).index.tolist() == [pred.index[5], pred.index[1]]
    with pytest.raises(ValueError, match=r"horizon=6\) forecasts at most 6 steps ahead; got a step of 7"):
        f.predict(7)


def test_input_errors():
    y = _series(20)
    msg = "y has 20 observations; LSTMForecaster with these settings needs at least 27"
    with pytest.raises(ValueError, match=re.escape(msg)):
        LSTMForecaster(window=24, horizon=3, **NET).fit(y)
    with pytest.raises(ValueError, match="window=10 must be a multiple of patch=4"):
        LSTMForecaster(window=10, patch=4, **NET).fit(y)
    with pytest.raises(ValueError, match="strategy"):
        LSTMForecaster(strategy="direct", **NET).fit(y)
    with pytest.raises(Exception, match="not fitted"):
        LSTMForecaster().predict(3)


def test_pickle_save_load_and_grid_search(tmp_path):
    y = pd.Series(_series(70), index=pd.date_range("2024-01-01", periods=70, freq="h"))
    f = LSTMForecaster(window=8, horizon=3, validation_fraction=0.2, **NET).fit(y)
    pred = f.predict(3)
    pd.testing.assert_series_equal(pickle.loads(pickle.dumps(f)).predict(3), pred)
    f.save(tmp_path / "f.tsf")
    loaded = LSTMForecaster.load(tmp_path / "f.tsf")
    pd.testing.assert_series_equal(loaded.predict(3), pred)
    pd.testing.assert_frame_equal(loaded.predict_interval(3), f.predict_interval(3))
    search = GridSearchCV(LSTMForecaster(horizon=3, validation_fraction=0.0, **NET), {"window": [6, 8]},
                          cv=TimeSeriesSplit(n_splits=2, test_size=3))
    search.fit(y)
    assert search.best_params_["window"] in (6, 8)

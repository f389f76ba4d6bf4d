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
from _settings import fixed_forecaster as Forecaster

NET = dict(units=4, epochs=2, batch_size=64, learning_rate=0.01, loss="mae", early_stopping=False, random_state=0)


def _series(n=60, seed=0, level=10.0):
    rng = np.random.RandomState(seed)
    t = np.arange(n)
    return level + np.sin(2 * np.pi * t / 6) + 0.1 * rng.normal(size=n)


def test_is_a_forecaster():
    assert issubclass(LSTMForecaster, BaseForecaster)
    assert Forecaster()._supports_exog


# ------------------------------------------------------------- equivalence
@pytest.mark.parametrize("patch", [1, 4])
def test_same_forecasts_as_make_windows_plus_regressor(patch):
    y = _series()
    f = Forecaster(window=8, horizon=3, patch=patch, normalize=None, validation_fraction=0.0, **NET).fit(y)
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
    p1 = Forecaster(**params).fit(y).predict(3)
    p2 = Forecaster(**params).fit(1000.0 + 50.0 * y).predict(3)
    np.testing.assert_allclose(p2, 1000.0 + 50.0 * p1, rtol=1e-5)


def test_difference_continues_a_line():
    y = 3.0 + 2.0 * np.arange(40.0)
    f = Forecaster(window=6, horizon=4, difference=1, validation_fraction=0.0, **NET).fit(y)
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
    f_wide = Forecaster(**params).fit(wide)
    assert isinstance(f_wide.regressor_, LSTMRegressor)
    assert f_wide.n_windows_ == (50 - 8 - 3 + 1) + (60 - 8 - 3 + 1)
    pred = f_wide.predict(3)
    assert list(pred.columns) == ["a", "b"] and list(pred.index) == [60, 61, 62]
    f_dict = Forecaster(**params).fit({"a": a, "b": b})
    pd.testing.assert_frame_equal(f_dict.predict(3), pred)
    long = pd.concat([pd.DataFrame({"id": k, "t": s.index, "value": s.to_numpy()}) for k, s in (("a", a), ("b", b))])
    from tsforecast.utils._series import to_panel

    f_long = Forecaster(**params).fit(to_panel(long, id_col="id", time_col="t", value_col="value"))
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
    single = Forecaster(**params).fit(a)
    panel = Forecaster(**params).fit({"a": a})
    np.testing.assert_array_equal(single.predict(3).to_numpy(), panel.predict(3)["a"].to_numpy())
    np.testing.assert_array_equal(single.calibration_residuals_, panel.calibration_residuals_)


def test_panel_interval_and_score():
    a, b = _panel()
    f = Forecaster(window=8, horizon=3, validation_fraction=0.2, **NET).fit({"a": a, "b": b})
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
    with pytest.raises(ValueError, match=re.escape(msg)):  # a panel of only short series
        Forecaster(window=8, horizon=3, **NET).fit({"short": b.iloc[:9], "shorter": b.iloc[:5]})
    msg = "series 'one' has 1 observation(s); with difference=1 a series needs at least 2 to be forecast."
    with pytest.raises(ValueError, match=re.escape(msg)):
        Forecaster(window=8, horizon=3, difference=1, **NET).fit({"a": a, "one": b.iloc[:1]})


@pytest.mark.parametrize("streaming", [False, True])
def test_short_series_in_a_panel_are_forecast_not_trained_on(streaming):
    a, b = _panel()
    # damping=1.0 and normalize="window": "auto" damps the panel of three series and fits "a" alone twice
    params = dict(window=8, horizon=3, streaming=streaming, damping=1.0, normalize="window", **NET)
    full = Forecaster(**params).fit({"a": a})
    f = Forecaster(**params).fit({"a": a, "short": b.iloc[:9], "tiny": b.iloc[:3]})
    assert f.short_series_ == ["short", "tiny"] and f.n_windows_ == full.n_windows_
    pred = f.predict(3)
    # same training windows, so the same network up to the scale floors, which also see the last windows
    np.testing.assert_allclose(pred["a"].dropna(), full.predict(3)["a"], rtol=1e-6)
    assert np.isfinite(pred["short"].dropna()).all() and pred["short"].notna().sum() == 3
    assert pred["tiny"].notna().sum() == 3
    # the 3 values of 'tiny' padded with its first value: the window the network sees
    tiny_window = np.r_[np.full(5, b.iloc[0]), b.iloc[:3].to_numpy()]
    np.testing.assert_allclose(f._series_state[2]["z"], tiny_window)
    iv = f.predict_interval(3)
    assert (iv[("tiny", "lower")].dropna() <= pred["tiny"].dropna()).all()


@pytest.mark.parametrize("streaming", [False, True])
def test_short_series_intervals_are_calibrated_on_their_own_last_window(streaming):
    from tsforecast.neural._conformal import conformal_quantile

    a, b = _panel()
    noisy = b.iloc[:9] + np.random.RandomState(3).normal(scale=5.0, size=9)
    f = Forecaster(window=8, horizon=3, streaming=streaming, **NET).fit({"a": a, "short": noisy, "tiny": b.iloc[:3]})
    # 'short' (9 values) holds out its last 3 values, forecast from the 6 before (padded to the window);
    # 'tiny' (3 values) has nothing before its last 3 values
    assert f._series_strata.tolist() == [0, 1, 1] and f._calibration_strata.sum() == 1
    res, strata = f.calibration_residuals_, f._calibration_strata
    assert len(res) == np.sum(strata == 0) + 1 and np.isfinite(res).all()
    iv, pred = f.predict_interval(3, coverage=0.8), f.predict(3)
    scale = f._forecast_series([1, 0], [None, None], 3)[1]  # last-window scales of 'short' and 'a'
    own = conformal_quantile(res[strata == 1], 0.8)  # one error: the Student-t fallback
    np.testing.assert_allclose((iv[("short", "upper")] - pred["short"]).dropna(), own * scale[0], rtol=1e-6)
    others = conformal_quantile(res[strata == 0], 0.8, f._calibration_groups[strata == 0])
    np.testing.assert_allclose((iv[("a", "upper")] - pred["a"]).dropna(), others * scale[1], rtol=1e-6)
    # 'tiny' has no held-out error of its own: its stratum is the short one, calibrated by 'short'
    tiny_scale = f._forecast_series([2], [None], 3)[1]
    np.testing.assert_allclose((iv[("tiny", "upper")] - pred["tiny"]).dropna(), own * tiny_scale[0], rtol=1e-6)


def test_short_series_error_is_the_forecast_of_its_last_values_from_the_ones_before():
    a, b = _panel()
    short = b.iloc[:9]
    f = Forecaster(window=8, horizon=3, **NET).fit({"a": a, "short": short})
    # the same training windows ('short' is not trained on), with 'short' cut before its last 3 values:
    # its forecast is what the calibration compared with those values
    g = Forecaster(window=8, horizon=3, **NET).fit({"a": a, "short": short.iloc[:6]})
    expected = np.abs(short.iloc[6:].to_numpy() - g.predict(3)["short"].dropna().to_numpy())
    expected /= g._forecast_series([1], [None], 3)[1][0]  # divided by that window's scale
    np.testing.assert_allclose(f.calibration_residuals_[f._calibration_strata == 1][0], expected, rtol=1e-5)


def test_short_series_calibration_with_exogenous_regressors():
    rng = np.random.RandomState(0)
    y = {"a": pd.Series(5 + rng.normal(size=60)), "short": pd.Series(5 + rng.normal(size=9))}
    X = {"a": pd.DataFrame({"x": rng.normal(size=60)}), "short": pd.DataFrame({"x": rng.normal(size=9)})}
    f = Forecaster(window=8, horizon=3, **NET).fit(y, X)
    assert f._calibration_strata.sum() == 1 and np.isfinite(f.calibration_residuals_).all()
    future = {k: pd.DataFrame({"x": rng.normal(size=3)}, index=pd.RangeIndex(len(v), len(v) + 3)) for k, v in y.items()}
    iv = f.predict_interval(3, X=future)
    assert np.isfinite(iv.to_numpy()[~np.isnan(iv.to_numpy())]).all() and iv[("short", "upper")].notna().sum() == 3


# --------------------------------------------------------------- exogenous
def test_exogenous_regressors():
    rng = np.random.RandomState(0)
    x = rng.normal(size=70)
    y = 5 + np.roll(x, 0) + 0.1 * rng.normal(size=70)
    X = pd.DataFrame({"x": x})
    f = Forecaster(window=6, horizon=2, validation_fraction=0.2, **NET).fit(y[:60], X=X.iloc[:60])
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
    rec = Forecaster(window=6, horizon=2, strategy="recursive", validation_fraction=0.2, **NET)
    rec.fit(y[:60], X=X.iloc[:60])
    assert rec.predict(5, X=X.iloc[60:65]).shape == (5,)
    assert rec.predict_interval(2, X=X.iloc[60:62]).shape == (2, 2)


def test_exogenous_in_a_panel_dict():
    a, b = _panel()
    Xa = pd.DataFrame({"x": np.arange(53.0)}, index=pd.RangeIndex(10, 63))
    Xb = pd.DataFrame({"x": np.arange(63.0)}, index=pd.RangeIndex(0, 63))
    f = Forecaster(window=8, horizon=3, validation_fraction=0.0, **NET)
    f.fit({"a": a, "b": b}, X={"a": Xa.loc[:59], "b": Xb.loc[:59]})
    pred = f.predict(3, X={"a": Xa.loc[60:], "b": Xb.loc[60:]})
    assert pred.shape == (3, 2) and np.isfinite(pred.to_numpy()).all()


# --------------------------------------------------------------- intervals
def test_conformal_interval_matches_the_documented_formula():
    y = _series(80)
    f = Forecaster(window=8, horizon=4, normalize=None, validation_fraction=0.25, **NET).fit(y)
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


def test_conformal_quantile_weighs_every_series_the_same():
    from tsforecast.neural._conformal import conformal_quantile

    res = np.concatenate([np.ones((90, 2)), np.full((10, 2), 5.0)])  # a long series' small errors, a short one's
    groups = np.repeat([0, 1], [90, 10])
    # pooled rows: the long series decides (0.81 quantile of 100 rows); per series: half the weight is
    # the short series', whose errors the 80% quantile (level 30/36 of n_eff = 36 rows) must reach
    np.testing.assert_array_equal(conformal_quantile(res, 0.8), [1.0, 1.0])
    np.testing.assert_array_equal(conformal_quantile(res, 0.8, groups), [5.0, 5.0])
    np.testing.assert_array_equal(conformal_quantile(res, 0.4, groups), [1.0, 1.0])
    # series holding out as many windows each: exactly the unweighted quantile
    even = np.arange(40.0).reshape(20, 2)
    np.testing.assert_array_equal(conformal_quantile(even, 0.9, np.repeat([0, 1], 10)), conformal_quantile(even, 0.9))


def test_too_few_held_out_errors_widen_to_a_t_interval():
    from scipy.stats import t

    from tsforecast.neural._conformal import conformal_quantile

    res = np.array([[1.0, 2.0], [2.0, 2.0], [3.0, 2.0], [4.0, 2.0]])  # 4 errors: a 90% level needs 9
    q = conformal_quantile(res, 0.9)
    rms = np.sqrt(np.mean(res**2, axis=0))
    np.testing.assert_allclose(q, rms * t.ppf(0.95, 4))  # sqrt(7.5) * 2.13 = 5.84 and 2 * 2.13, past the largest
    assert (q > res.max(axis=0)).all()
    np.testing.assert_allclose(conformal_quantile(res * 1e-300, 0.9), q * 1e-300)  # no underflow
    # enough errors for the level: the empirical quantile, as before (10 errors, 90%: the largest)
    np.testing.assert_array_equal(conformal_quantile(np.arange(1.0, 11.0)[:, None], 0.9), [10.0])
    # a short series' few windows in a panel count by their effective number
    groups = np.repeat([0, 1], [2, 2])
    np.testing.assert_allclose(conformal_quantile(res, 0.9, groups), q)


def test_stratified_halfwidths_calibrate_each_stratum_on_its_own_rows():
    from tsforecast.neural._conformal import conformal_quantile, stratified_halfwidths

    rng = np.random.RandomState(0)
    res = np.abs(np.concatenate([rng.randn(40, 2), 5 * rng.randn(20, 2)]))
    groups = np.repeat([0, 1, 2], [20, 20, 20])  # series 2 (stratum 1) is much noisier
    q = stratified_halfwidths(res, np.array([1, 2]), 0.9, 2, groups, np.array([0, 0, 1, 1]))
    np.testing.assert_allclose(q[0], conformal_quantile(res[:40], 0.9, groups[:40]))
    np.testing.assert_allclose(q[1], q[0])
    np.testing.assert_allclose(q[2], conformal_quantile(res[40:], 0.9))
    np.testing.assert_allclose(q[3], q[2])  # series 3 held nothing out: its stratum's rows decide
    assert (q[2] > 2 * q[0]).all()
    # a stratum without held-out rows uses every row
    q = stratified_halfwidths(res, np.array([2]), 0.9, 2, groups, np.array([0, 0, 0, 1]))
    np.testing.assert_allclose(q[3], conformal_quantile(res, 0.9, groups)[[1]])


def test_panel_intervals_weigh_series_of_different_lengths_the_same():
    from tsforecast.neural._conformal import conformal_quantile

    panel = {"long": _series(120), "short": _series(50) * 3}
    f = Forecaster(window=8, horizon=4, validation_fraction=0.2, **NET).fit(panel)
    groups = f._calibration_groups
    assert np.bincount(groups).tolist() == [int(np.ceil(0.2 * (n - 8 - 4 + 1))) for n in (120, 50)]
    q = conformal_quantile(f.calibration_residuals_, 0.8, groups)
    iv = f.predict_interval(coverage=0.8)
    pred = f.predict()
    scale = (iv[("long", "upper")] - pred["long"]).dropna().to_numpy() / q  # the index of each series' steps
    np.testing.assert_allclose(scale, scale[0])  # one window scale times the weighted quantile per step


def test_calibration_windows_are_held_out_of_training():
    y = _series(80)
    f = Forecaster(window=8, horizon=4, validation_fraction=0.25, **NET).fit(y)  # refit=False
    n_win = 80 - 8 - 4 + 1
    n_val = int(np.ceil(0.25 * n_win))
    # training windows end their targets before the first held-out target (gap of horizon - 1 windows)
    assert f.n_windows_ == (n_win - n_val) - 4 + 1
    assert "val_loss" in f.history_ and not f.refit_


def test_refit_trains_the_final_networks_on_every_window():
    y = _series(80)
    # recursive one-step networks: 4 steps are 4 network calls, each fed its own forecasts
    params = dict(window=8, horizon=4, validation_fraction=0.25, strategy="recursive", normalize="window")  # one fit
    held = Forecaster(**params, **NET).fit(y)  # refit=False
    new = Forecaster(**params, **dict(NET, refit=True)).fit(y)
    assert new.refit_ is True and new.n_windows_ == 80 - 8 and "val_loss" not in new.history_
    # the intervals keep the calibration of the held-out windows (forecast by the first networks)
    np.testing.assert_array_equal(new.calibration_residuals_, held.calibration_residuals_)
    assert not np.allclose(new.predict(4), held.predict(4))  # other networks: trained on the latest windows too
    iv = new.predict_interval(4, coverage=0.8)
    assert ((iv["lower"] < new.predict(4)) & (new.predict(4) < iv["upper"])).all()
    # "auto" on small data: the mean of the first networks and of the refitted ones
    avg = Forecaster(**params, **dict(NET, refit="auto")).fit(y)
    assert avg.refit_ == "average" and avg.n_windows_ == 80 - 8
    # mean of the two paths, each network set feeding back its own forecasts
    np.testing.assert_allclose(avg.predict(4), (held.predict(4) + new.predict(4)) / 2, rtol=1e-6)
    np.testing.assert_array_equal(avg.calibration_residuals_, held.calibration_residuals_)
    # a second fit of the same estimator starts afresh (no first networks of the earlier fit)
    assert Forecaster(**params, **dict(NET, refit=True)).fit(y).fit(y)._held_out_regressor is None
    # nothing held out: nothing to refit
    assert Forecaster(window=8, horizon=4, validation_fraction=0.0, **dict(NET, refit=True)).fit(y).refit_ is False


def test_interval_errors():
    y = _series()
    f = Forecaster(window=8, horizon=3, validation_fraction=0.0, **NET).fit(y)
    with pytest.raises(ValueError, match="refit with validation_fraction > 0"):
        f.predict_interval(3)
    rec = Forecaster(window=8, horizon=3, strategy="recursive", validation_fraction=0.2, **NET).fit(y)
    assert rec.predict(6).shape == (6,)
    with pytest.raises(ValueError, match="calibrated up to horizon=3 steps; got a step of 5"):
        rec.predict_interval(5)


# ------------------------------------------------------------------- API
def test_pandas_index_and_fh():
    from tsforecast.datasets import load_airline

    y = load_airline()
    f = Forecaster(window=12, horizon=6, validation_fraction=0.1, **NET).fit(y)
    pred = f.predict()
    assert isinstance(pred, pd.Series) and str(pred.index[0]) == "1961-01" and len(pred) == 6
    assert f.predict([6, 2]).index.tolist() == [pred.index[5], pred.index[1]]
    # beyond the trained horizon: forecast 6 steps at a time, feeding the forecasts back
    long = f.predict(14)
    assert len(long) == 14 and long.index[0] == pred.index[0] and np.isfinite(long).all()
    np.testing.assert_array_equal(long.to_numpy()[:6], pred.to_numpy())
    with pytest.raises(ValueError, match=re.escape("prediction intervals are calibrated up to horizon=6 steps; got a step of 7")):
        f.predict_interval(7)


def test_multioutput_beyond_the_horizon_feeds_its_forecasts_back():
    f = Forecaster(window=8, horizon=3, normalize="window", **NET).fit(_series(60))
    z = f._series_state[0]["z"][None, :]  # the last window, transformed
    first, _ = f._forecast(z, None, 3)
    second, _ = f._forecast(np.concatenate([z[:, 3:], first], axis=1), None, 3)
    both, _ = f._forecast(z, None, 5)
    np.testing.assert_allclose(both, np.concatenate([first, second], axis=1)[:, :5], rtol=1e-12)
    np.testing.assert_allclose(f.predict(5), f._to_levels(both, 0.0, 1.0, None)[0] * f._series_state[0]["sd"]
                               + f._series_state[0]["mu"], rtol=1e-10)


def test_input_errors():
    y = _series(20)
    msg = "y has 20 observations; window=24 and horizon=3 need at least 27."
    with pytest.raises(ValueError, match=re.escape(msg)):
        Forecaster(window=24, horizon=3, **NET).fit(y)
    with pytest.raises(ValueError, match="window=10 must be a multiple of patch=4"):
        Forecaster(window=10, patch=4, **NET).fit(y)
    with pytest.raises(ValueError, match="strategy"):
        Forecaster(strategy="direct", **NET).fit(y)
    with pytest.raises(Exception, match="not fitted"):
        Forecaster().predict(3)


def test_pickle_save_load_and_grid_search(tmp_path):
    y = pd.Series(_series(70), index=pd.date_range("2024-01-01", periods=70, freq="h"))
    f = Forecaster(window=8, horizon=3, validation_fraction=0.2, **NET).fit(y)
    pred = f.predict(3)
    pd.testing.assert_series_equal(pickle.loads(pickle.dumps(f)).predict(3), pred)
    f.save(tmp_path / "f.tsf")
    loaded = LSTMForecaster.load(tmp_path / "f.tsf")
    pd.testing.assert_series_equal(loaded.predict(3), pred)
    pd.testing.assert_frame_equal(loaded.predict_interval(3), f.predict_interval(3))
    search = GridSearchCV(Forecaster(horizon=3, validation_fraction=0.0, **NET), {"window": [6, 8]},
                          cv=TimeSeriesSplit(n_splits=2, test_size=3))
    search.fit(y)
    assert search.best_params_["window"] in (6, 8)


# ------------------------------------------------------ seasonal adjustment
SEASON = np.array([0.8, 0.9, 1.0, 1.2, 1.3, 1.1, 1.0, 0.9, 0.8, 0.9, 1.0, 1.1])


def _monthly(values, start="2000-01"):
    return pd.Series(values, index=pd.period_range(start, periods=len(values), freq="M"))


def _seasonal_series(n=72, seed=0, level=50.0):
    rng = np.random.RandomState(seed)
    trend = level + 0.3 * np.arange(n) + rng.normal(scale=0.5, size=n)
    return trend * np.resize(SEASON, n)


@pytest.mark.parametrize("mode", ["multiplicative", "additive", "auto"])
def test_deseasonalize_round_trip_on_a_purely_seasonal_series(mode):
    n = 60
    pattern = np.resize(SEASON, n + 6)
    full = 10.0 * pattern if mode != "additive" else 10.0 + pattern
    f = Forecaster(window=12, horizon=6, patch=12, deseasonalize=mode, validation_fraction=0.0, **NET)
    f.fit(_monthly(full[:n]))
    assert f.seasonal_ is True
    expected_idx = SEASON / SEASON.mean() if mode != "additive" else SEASON - SEASON.mean()
    np.testing.assert_allclose(f.seasonal_indices_, expected_idx, rtol=1e-10, atol=1e-12)
    # the adjusted series is constant, so the network's input windows are flat and the
    # forecasts are the season continued over the horizon
    np.testing.assert_allclose(f.predict(6).to_numpy(), full[n:], rtol=1e-4)


def test_deseasonalize_equals_a_plain_model_on_the_adjusted_series():
    y = _seasonal_series()
    params = dict(window=12, horizon=4, patch=12, validation_fraction=0.2, **NET)
    f = Forecaster(deseasonalize="multiplicative", seasonal_periods=12, **params).fit(y)
    from tsforecast.forecasting.decomposition import classical_seasonal_indices

    idx = classical_seasonal_indices(y, 12)
    np.testing.assert_array_equal(f.seasonal_indices_, idx)
    plain = Forecaster(**params).fit(y / idx[np.arange(y.size) % 12])
    future = idx[np.arange(y.size, y.size + 4) % 12]
    np.testing.assert_allclose(f.predict(4), plain.predict(4) * future, rtol=1e-12)
    iv, iv_plain = f.predict_interval(4, coverage=0.8), plain.predict_interval(4, coverage=0.8)
    np.testing.assert_allclose(iv.to_numpy(), iv_plain.to_numpy() * future[:, None], rtol=1e-12)
    np.testing.assert_array_equal(f.calibration_residuals_, plain.calibration_residuals_)
    # additive: indices subtracted, forecasts and bounds shifted back
    g = Forecaster(deseasonalize="additive", seasonal_periods=12, **params).fit(y)
    aidx = classical_seasonal_indices(y, 12, model="additive")
    assert abs(aidx.mean()) < 1e-12
    plain = Forecaster(**params).fit(y - aidx[np.arange(y.size) % 12])
    future = aidx[np.arange(y.size, y.size + 4) % 12]
    np.testing.assert_allclose(g.predict(4), plain.predict(4) + future, rtol=1e-12)
    np.testing.assert_allclose(g.predict_interval(4).to_numpy(),
                               plain.predict_interval(4).to_numpy() + future[:, None], rtol=1e-12)


def test_deseasonalize_panel_uses_per_series_indices():
    from tsforecast.forecasting.decomposition import classical_seasonal_indices

    a = _monthly(_seasonal_series(72, seed=1), start="2000-01")
    b = _monthly(np.roll(_seasonal_series(60, seed=2, level=200.0), 5), start="2001-01")
    c = _monthly(_series(72, seed=3, level=0.0), start="2000-01")  # crosses zero: never adjusted by "auto"
    params = dict(window=12, horizon=3, patch=12, validation_fraction=0.2, **NET)
    f = Forecaster(deseasonalize="auto", **params).fit(pd.DataFrame({"a": a, "b": b, "c": c}))
    assert f.seasonal_ == {"a": True, "b": True, "c": False}
    np.testing.assert_array_equal(f.seasonal_indices_["c"], np.ones(12))
    idx = {k: classical_seasonal_indices(s.to_numpy(), 12) for k, s in (("a", a), ("b", b))}
    idx["c"] = np.ones(12)
    adjusted = {k: s / idx[k][np.arange(s.size) % 12] for k, s in (("a", a), ("b", b), ("c", c))}
    plain = Forecaster(**params).fit(adjusted)
    pred, pred_plain = f.predict(3), plain.predict(3)
    assert list(pred.index) == list(pred_plain.index) and str(pred.index[0]) == "2006-01"
    for k in "abc":
        n = {"a": 72, "b": 60, "c": 72}[k]
        future = idx[k][np.arange(n, n + 3) % 12]
        np.testing.assert_allclose(pred[k].to_numpy(), pred_plain[k].to_numpy() * future, rtol=1e-12)
        iv = f.predict_interval(3)[k].to_numpy()
        np.testing.assert_allclose(iv, plain.predict_interval(3)[k].to_numpy() * future[:, None], rtol=1e-12)
    score = f.score(pd.DataFrame({"a": a.iloc[-3:].to_numpy()}, index=pred.index))
    assert np.isfinite(score)


def test_deseasonalize_params_clone_and_grid_search():
    from sklearn.base import clone

    f = Forecaster(deseasonalize="auto", seasonal_periods=12)
    assert f.get_params()["deseasonalize"] == "auto" and f.get_params()["seasonal_periods"] == 12
    assert Forecaster().get_params()["deseasonalize"] is None
    assert clone(f).get_params() == f.get_params()
    y = _monthly(_seasonal_series(84))
    search = GridSearchCV(Forecaster(window=12, horizon=3, patch=12, validation_fraction=0.0, **NET),
                          {"deseasonalize": [None, "auto", "additive"]}, cv=TimeSeriesSplit(n_splits=2, test_size=3))
    search.fit(y)
    assert search.best_params_["deseasonalize"] in (None, "auto", "additive")
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


def test_deseasonalize_errors():
    y = _seasonal_series(30)
    params = dict(window=12, horizon=3, **NET)
    with pytest.raises(ValueError, match="'deseasonalize' parameter of LSTMForecaster must be"):
        Forecaster(deseasonalize="seasonal", **params).fit(y)
    msg = ("deseasonalize='additive' needs a season length: y has no time index frequency to take it from; "
           "pass seasonal_periods")
    with pytest.raises(ValueError, match=re.escape(msg)):
        Forecaster(deseasonalize="additive", **params).fit(y)
    # "auto" follows every forecaster's rule: no frequency, no season (m = 1), so no adjustment
    auto = Forecaster(deseasonalize="auto", **params).fit(y)
    assert auto.seasonal_periods_ == 1 and auto.seasonal_ is False
    msg = "y has 20 observations; deseasonalize='additive' with seasonal_periods=12 needs at least 24"
    with pytest.raises(ValueError, match=re.escape(msg)):
        Forecaster(deseasonalize="additive", seasonal_periods=12, **params).fit(y[:20])
    msg = "deseasonalize='multiplicative' needs positive values; y has minimum -2.5"
    with pytest.raises(ValueError, match=re.escape(msg)):
        Forecaster(deseasonalize="multiplicative", seasonal_periods=12, **params).fit(np.r_[y[:-1], -2.5])
    yearly = pd.Series(y, index=pd.period_range("1900", periods=30, freq="Y"))  # season length 1 from the index
    with pytest.raises(ValueError, match="needs a season length of at least 2; y has seasonal_periods=1"):
        Forecaster(deseasonalize="additive", **params).fit(yearly)
    msg = "series 'b' has 20 observations; deseasonalize='multiplicative'"
    with pytest.raises(ValueError, match=re.escape(msg)):
        Forecaster(deseasonalize="multiplicative", **params).fit({"a": _monthly(y), "b": _monthly(y[:20])})
    # "auto" leaves series too short for the seasonality test (< 3 seasons) unadjusted
    f = Forecaster(deseasonalize="auto", seasonal_periods=12, **params).fit(y)
    assert f.seasonal_ is False
    np.testing.assert_array_equal(f.predict(3), Forecaster(**params).fit(y).predict(3))


def test_deseasonalize_keeps_pandas_index_and_pickles():
    y = pd.Series(_seasonal_series(72), index=pd.date_range("2010-01-01", periods=72, freq="MS"), name="sales")
    f = Forecaster(window=24, horizon=4, patch=12, deseasonalize="auto", validation_fraction=0.2, **NET).fit(y)
    assert f.seasonal_ is True and f.seasonal_indices_.shape == (12,)
    pred = f.predict()
    assert isinstance(pred, pd.Series) and list(pred.index) == list(pd.date_range("2016-01-01", periods=4, freq="MS"))
    iv = f.predict_interval()
    assert iv.index.equals(pred.index) and (iv["lower"] <= pred).all() and (pred <= iv["upper"]).all()
    g = pickle.loads(pickle.dumps(f))
    pd.testing.assert_series_equal(g.predict(), pred)
    pd.testing.assert_frame_equal(g.predict_interval(), iv)
    np.testing.assert_array_equal(g.seasonal_indices_, f.seasonal_indices_)


# ------------------------------------------- series of any magnitude (float64 scaling, float32 network)
@pytest.mark.parametrize("normalize", ["series", None])
@pytest.mark.parametrize("factor", [1e-300, 1e-40, 1e30])
def test_forecasts_scale_with_the_series(normalize, factor):
    y = _series(40, level=0.0)
    params = dict(window=6, horizon=2, normalize=normalize, validation_fraction=0.2, **NET)
    ref = Forecaster(**params).fit(y)
    f = Forecaster(**params).fit(y * factor)
    np.testing.assert_allclose(f.predict() / factor, ref.predict(), rtol=1e-5)
    np.testing.assert_allclose(f.predict_interval().to_numpy() / factor, ref.predict_interval().to_numpy(),
                               rtol=1e-5)


@pytest.mark.parametrize("factor", [1e-300, 3e-5, 1e30])
def test_feature_constant_in_training_scales_with_the_series(factor):
    # found by a randomized property sweep: [1, 1, 0] with window=1 has one training feature that is
    # constant (1, 1); its scale was 1.0 at every magnitude, so the last window (0) became -1 at factor 1
    # but -1e-300 at 1e-300 (forecast 0.4919 vs 0.5). It now takes the spread of all windows.
    params = {**NET, "window": 1, "horizon": 1, "normalize": None, "validation_fraction": 0.0}
    v = np.array([1.0, 1.0, 0.0])
    ref = Forecaster(**params).fit(v).predict()
    np.testing.assert_allclose(Forecaster(**params).fit(v * factor).predict() / factor, ref, rtol=1e-5)


@pytest.mark.parametrize("factor", [1e-300, 1e-30, 1e-5, 1e30])
def test_exact_zeros_stay_zero_at_any_magnitude(factor):
    # found by a randomized property sweep: [1, 1, 3, 0, 1, 1, 1] differenced has zero steps whose scaled
    # value was exactly 0 at factor 1 but +-1e-17 (rounding of the centring) at other magnitudes; with the
    # MAE loss (gradient sign(out - target), and out = 0 for a zero input) Adam took full steps of either
    # sign: forecasts 1.0013 / 0.9953 / 1.0047. Rounding noise of the centring is now snapped to 0.
    params = {**NET, "window": 1, "horizon": 1, "normalize": "series", "difference": 1, "validation_fraction": 0.0}
    v = np.array([1.0, 1.0, 3.0, 0.0, 1.0, 1.0, 1.0])
    ref = Forecaster(**params).fit(v).predict()
    np.testing.assert_allclose(Forecaster(**params).fit(v * factor).predict() / factor, ref, rtol=1e-6)


@pytest.mark.parametrize("factor", [1e100, 1e300])
def test_window_normalisation_takes_series_beyond_float32(factor):
    # the series never reaches the float32 network unnormalised; np.std of such windows would overflow
    y = _series(40, level=0.0)
    params = dict(window=6, horizon=2, validation_fraction=0.2, **NET)
    ref = Forecaster(**params).fit(y).predict()
    np.testing.assert_allclose(Forecaster(**params).fit(y * factor).predict() / factor, ref, rtol=1e-5)


def test_window_normalisation_of_a_tiny_series_forecasts_in_its_units():
    # every window's standard deviation is below the floor 1e-6 * (1 + |mean|): the windows are only
    # centred, and the inner regressor standardises them (this used to forecast ~1e-8 for a 1e-300 series)
    y = _series(40, level=0.0)
    params = dict(window=6, horizon=2, validation_fraction=0.2, **NET)
    p300 = Forecaster(**params).fit(y * 1e-300).predict()
    p8 = Forecaster(**params).fit(y * 1e-8).predict()
    np.testing.assert_allclose(p300 / 1e-300, p8 / 1e-8, rtol=1e-5)
    assert np.all(np.abs(p300) < 10 * np.abs(y).max() * 1e-300) and np.all(p300 != 0)


def test_last_value_centring_scales_by_the_window_and_centres_on_its_last_value():
    f = Forecaster(normalize="last")
    f.patch_ = 1  # as fitted: one value per LSTM step
    z = np.array([[1.0, 2.0, 3.0, 6.0], [5.0, 5.0, 5.0, 5.0]])
    c, s = f._window_stats(z)
    np.testing.assert_allclose(c, [6.0, 5.0])
    assert s[0] == pytest.approx(np.std(z[0])) and s[1] == pytest.approx(1e-6 * 6.0)  # a flat window: the floor
    xn, yn, _ = f._network_windows(z[:1], np.array([[6.0]]))
    np.testing.assert_allclose(yn, [[0.0]])  # the last value carried on is an output of 0
    np.testing.assert_allclose(xn[0, -1], 0.0)


@pytest.mark.parametrize("c", [5.0, 1e-300])
@pytest.mark.parametrize("normalize", ["window", "last", "series", None])
def test_constant_series_forecasts_its_constant(c, normalize):
    f = Forecaster(window=4, horizon=2, normalize=normalize, validation_fraction=0.2, **NET).fit(np.full(30, c))
    np.testing.assert_array_equal(f.predict(), [c, c])


def test_unnormalised_series_beyond_float32_is_named():
    y = _series(30, level=0.0)
    y[3] = 3.4e39
    msg = ("y has values up to 3.4e+39, beyond float32's range (±3.4e+38) that the network computes in; "
           "rescale y (e.g. divide it by 1e39) or use normalize='window' or 'series'.")
    with pytest.raises(ValueError, match=re.escape(msg)):
        Forecaster(window=4, normalize=None, **NET).fit(y)
    big = np.r_[3e38, -3e38] * np.ones((15, 1))  # within float32, but the differences are not
    with pytest.raises(ValueError, match=re.escape("y after differencing has values up to 6e+38")):
        Forecaster(window=4, normalize=None, difference=1, **NET).fit(big.ravel())
    panel = pd.DataFrame({"a": _series(30), "b": _series(30) * 1e38})
    with pytest.raises(ValueError, match=re.escape("series 'b' has values up to 1.1e+39")):
        Forecaster(window=4, normalize=None, **NET).fit(panel)
    with pytest.raises(ValueError, match=re.escape("X has values up to 3e+39, beyond float32's range")):
        Forecaster(window=4, **NET).fit(_series(30), X=np.full((30, 1), 3e39))
    # normalised, the same series is fine
    f = Forecaster(window=4, validation_fraction=0.0, **NET).fit(y)
    assert np.isfinite(f.predict()).all()


@pytest.mark.parametrize("normalize", ["window", "last", "series", None])
def test_last_window_far_beyond_the_training_windows_forecasts_finitely(normalize):
    # the only training window varies by 3e-263; the last one by 1: scaled with the training window's
    # spread alone it would overflow float32 (this used to raise "a window of y to forecast from is too far
    # from the training windows"); the inner scale is now at least 1e-6 of the spread over the training and
    # last windows together, so the forecast is finite
    f = Forecaster(window=2, normalize=normalize, validation_fraction=0.0, **NET).fit([0.0, 3e-263, 1.0])
    assert np.isfinite(f.predict()).all()


def test_panels_go_through_the_base_hooks_only():
    """LSTMForecaster overrides the panel hooks, not the public methods and their checks."""
    for name in ("predict", "predict_interval", "score", "_score_pairs", "save", "load"):
        assert name not in vars(LSTMForecaster), name
    for name in ("_predict_panel", "_predict_interval_panel", "_score_panel"):
        assert name in vars(LSTMForecaster), name


def test_exogenous_beyond_the_horizon_needs_whole_blocks_of_future_rows():
    y = _series(60)
    X = np.random.RandomState(1).normal(size=(66, 1))
    f = Forecaster(window=8, horizon=2, **NET).fit(y, X=X[:60])
    with pytest.raises(ValueError, match=re.escape("X has 5 rows; predicting up to step 6 needs 6 rows")):
        f.predict(5, X=X[60:65])
    pred = f.predict(5, X=X[60:66])
    assert len(pred) == 5 and np.isfinite(pred).all()
    np.testing.assert_array_equal(pred[:2], f.predict(2, X=X[60:62]))

"""ESRNNForecaster: exponential smoothing and one global LSTM trained jointly (ES-RNN style)."""

import pickle
import re

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils import get_tags

from tsforecast import ESRNNForecaster, NaiveForecaster
from tsforecast.metrics import mase

#: the smallest settings that run every code path (a few units, two epochs, small batches)
TINY = dict(units=4, epochs=2, batch_size=8, windows_per_series=4, random_state=0)


def _panel(n=96, seed=0, names=("a", "b", "c")):
    """Positive monthly series with multiplicative seasonality of different levels."""
    rng = np.random.RandomState(seed)
    t = np.arange(n)
    idx = pd.date_range("2000-01", periods=n, freq="MS")
    cols = {}
    for i, name in enumerate(names):
        level = 10.0 * (i + 1) * (1 + 0.003 * t)
        season = 1 + 0.3 * np.sin(2 * np.pi * (t + 2 * i) / 12)
        cols[name] = level * season * np.exp(0.02 * rng.randn(n))
    return pd.DataFrame(cols, index=idx)


# ------------------------------------------------------------ contract
# scikit-learn's API checks run on ESRNNForecaster in tests/test_common.py (with every forecaster)


def _public_state(est):
    return {k for k in vars(est) if not k.startswith("_")}


def test_fit_contract(airline):
    est = ESRNNForecaster(horizon=3, **TINY)
    with pytest.raises(NotFittedError):
        est.predict(3)
    params_before = joblib.hash(est.get_params())
    before = _public_state(est)
    assert est.fit(airline) is est
    assert joblib.hash(est.get_params()) == params_before, "fit changed a parameter"
    new = _public_state(est) - before
    assert new and all(k.endswith("_") for k in new), f"public attributes set by fit: {new}"
    p1 = est.predict(3)
    assert isinstance(p1, pd.Series) and p1.index[0] == pd.Period("1961-01", "M")
    assert np.all(np.isfinite(p1.to_numpy()))
    # refitting a clone gives the same forecasts; so does a pickled copy
    np.testing.assert_allclose(clone(est).fit(airline).predict(3).to_numpy(), p1.to_numpy(), rtol=1e-6)
    np.testing.assert_allclose(pickle.loads(pickle.dumps(est)).predict(3).to_numpy(), p1.to_numpy())
    tags = get_tags(est)
    assert not tags.target_tags.required and not tags.input_tags.two_d_array
    assert est.seasonal_periods_ == 12 and est.window_ == 24 and est.patch_ == 12
    assert est.seasonal_indices_.shape == (12,) and 0 < est.alpha_ < 1 and 0 < est.gamma_ < 1


@pytest.mark.slow  # several fits (~4 s); the default suite keeps the contract and learning tests
def test_array_input_and_no_season():
    y = 5 + np.sin(np.arange(80) / 3.0)
    est = ESRNNForecaster(horizon=4, **TINY).fit(y)
    pred = est.predict()
    assert isinstance(pred, np.ndarray) and pred.shape == (4,) and np.isfinite(pred).all()
    assert est.seasonal_periods_ == 1 and est.gamma_ is None and est.window_ == 16 and est.patch_ == 1
    np.testing.assert_array_equal(est.seasonal_indices_, [1.0])


@pytest.mark.slow  # several fits (~6 s); the default suite keeps the contract and learning tests
def test_determinism_and_seed_matters():
    panel = _panel()
    p1 = ESRNNForecaster(horizon=6, **TINY).fit(panel).predict()
    p2 = ESRNNForecaster(horizon=6, **TINY).fit(panel).predict()
    pd.testing.assert_frame_equal(p1, p2)
    p3 = ESRNNForecaster(horizon=6, **{**TINY, "random_state": 1}).fit(panel).predict()
    assert not np.allclose(p1.to_numpy(), p3.to_numpy())


def test_fit_leaves_global_random_state_alone():
    np.random.seed(3)
    expected = np.random.RandomState(3).rand()
    ESRNNForecaster(horizon=3, **TINY).fit(_panel(names=("a",))["a"])
    assert np.random.rand() == expected


@pytest.mark.slow  # several fits (~6 s); the default suite keeps the contract and learning tests
def test_n_estimators_average():
    panel = _panel()
    one = ESRNNForecaster(horizon=6, **TINY).fit(panel)
    two = ESRNNForecaster(horizon=6, **{**TINY, "n_estimators": 2}).fit(panel)
    assert len(two.history_) == 2 and len(one.history_) == 1
    # the first network of an ensemble is the network a single fit trains: the mean differs from it
    assert not np.allclose(one.predict().to_numpy(), two.predict().to_numpy())


# ------------------------------------------------------------ the ES recursion
def _es_loop(y, a, g, s0):
    """The recursion written out for one series, as in the docstring."""
    m = s0.size
    s = list(s0)
    levels = []
    lev = None
    for t, v in enumerate(y):
        lev = v / s[t] if lev is None else a * v / s[t] + (1 - a) * lev
        levels.append(lev)
        s.append(g * v / lev + (1 - g) * s[t] if m > 1 else 1.0)
    return np.array(levels), np.array(s)


def test_es_recursion_numpy_and_tensorflow_agree_with_the_formula():
    from tsforecast.neural._esrnn_network import _es_tf, es_numpy
    from tsforecast.neural._keras import import_keras

    import_keras()
    import tensorflow as tf

    rng = np.random.RandomState(0)
    m, T = 4, 30
    lengths = [30, 17]
    Y = np.ones((2, T))
    valid = np.zeros((2, T), bool)
    series = [np.exp(0.3 * rng.randn(n)) * 3 for n in lengths]
    for i, s in enumerate(series):
        Y[i, T - s.size:] = s
        valid[i, T - s.size:] = True
    a, g = np.array([0.3, 0.8]), np.array([0.2, 0.6])
    s0 = np.exp(0.2 * rng.randn(2, m))
    lev_np, seas_np = es_numpy(Y, valid, a, g, s0)
    lev_tf, seas_tf = _es_tf(tf, tf.constant(Y, tf.float32), tf.constant(valid), tf.constant(a, tf.float32),
                             tf.constant(g, tf.float32), tf.constant(s0, tf.float32))
    for i, s in enumerate(series):
        lev, seas = _es_loop(s, a[i], g[i], s0[i])
        np.testing.assert_allclose(lev_np[i, T - s.size:], lev)
        np.testing.assert_allclose(seas_np[i, T - s.size:], seas)  # used indices, then the next m
        np.testing.assert_allclose(lev_tf.numpy()[i, T - s.size:], lev, rtol=1e-5)
        np.testing.assert_allclose(seas_tf.numpy()[i, T - s.size:], seas, rtol=1e-5)


def test_learned_es_beats_naive_on_a_seasonal_panel():
    """A clearly seasonal panel: the fitted model must forecast the held-out year better than the last value."""
    panel = _panel(n=120, names=tuple("abcdef"))
    train, test = panel.iloc[:-12], panel.iloc[-12:]
    est = ESRNNForecaster(horizon=12, units=16, epochs=40, batch_size=6, windows_per_series=16,
                          learning_rate=1e-2, random_state=0).fit(train)
    pred = est.predict()
    naive = NaiveForecaster(horizon=12).fit(train).predict()
    err = np.mean([mase(test[c], pred[c], y_train=train[c], m=12) for c in panel])
    err_naive = np.mean([mase(test[c], naive[c], y_train=train[c], m=12) for c in panel])
    assert err < 0.5 * err_naive, (err, err_naive)
    # the learned seasonal indices follow the sine: the peak phase is where the sine peaks
    for i, c in enumerate(panel):
        idx = est.seasonal_indices_[c]  # phases of the 12 steps after training (t = 108..119)
        assert abs(((108 + np.argmax(idx) + 2 * i) % 12) - 3) <= 1


# ------------------------------------------------------------ panels, horizon, intervals
def test_panel_with_a_short_series():
    panel = _panel(n=60)
    panel.loc[panel.index[:45], "c"] = np.nan  # 15 observations: fewer than window 24 + horizon 6
    est = ESRNNForecaster(horizon=6, **TINY).fit(panel)
    assert est.short_series_ == ["c"]
    assert est.n_obs_ == {"a": 60, "b": 60, "c": 15}
    pred = est.predict()
    assert list(pred.columns) == ["a", "b", "c"] and np.isfinite(pred.to_numpy()).all()
    assert pred.index[0] == pd.Timestamp("2005-01-01")
    assert est.alpha_["c"] == pytest.approx(0.5)  # no training window: coefficients stay at their start


def test_short_series_intervals_are_calibrated_on_their_own_windows():
    from tsforecast.neural._conformal import conformal_quantile

    panel = _panel(n=60)
    panel.loc[panel.index[:40], "c"] = np.nan  # 20 observations: no training window for window 24 + horizon 6
    panel["c"] *= np.exp(0.3 * np.random.RandomState(1).randn(60))  # and much noisier than a and b
    est = ESRNNForecaster(horizon=6, **TINY).fit(panel)
    groups, res = est._calibration_groups, est.calibration_residuals_
    # the short series' last window (padded at the start) is held out for calibration
    assert np.sum(groups == 2) == 1 and set(groups) == {0, 1, 2}
    iv = est.predict_interval(coverage=0.8)
    pred = est.predict()
    half = np.log(iv[("c", "upper")] + 0.0) - np.log(pred["c"])  # positive series: shift_ is 0
    np.testing.assert_allclose(half.to_numpy(), conformal_quantile(res[groups == 2], 0.8), rtol=1e-6)
    long_rows = groups != 2
    half_a = np.log(iv[("a", "upper")]) - np.log(pred["a"])
    expected = conformal_quantile(res[long_rows], 0.8, np.unique(groups[long_rows], return_inverse=True)[1])
    np.testing.assert_allclose(half_a.to_numpy(), expected, rtol=1e-6)


def test_one_short_series_is_an_error():
    y = pd.Series(np.arange(1.0, 21.0), index=pd.date_range("2000-01", periods=20, freq="MS"))
    msg = "y has 20 observations; window=12 and horizon=12 need at least 24. Pass a shorter window or longer series."
    with pytest.raises(ValueError, match=re.escape(msg)):
        ESRNNForecaster(horizon=12, window=12, **TINY).fit(y)


def test_panel_of_only_short_series_is_an_error():
    panel = _panel(n=20)
    with pytest.raises(ValueError, match=re.escape("series 'a' has 20 observations; window=24 and horizon=6 need at "
                                                   "least 30 (every series of the panel is that short)")):
        ESRNNForecaster(horizon=6, window=24, **TINY).fit(panel)


def test_fh_beyond_the_horizon_is_recursive():
    panel = _panel()
    est = ESRNNForecaster(horizon=4, **TINY).fit(panel)
    short, long = est.predict(4), est.predict(11)
    assert long.shape == (11, 3) and np.isfinite(long.to_numpy()).all()
    pd.testing.assert_frame_equal(long.iloc[:4], short)
    # a subset of steps gives the same values as the full range
    np.testing.assert_allclose(est.predict([9, 2]).to_numpy(), long.iloc[[8, 1]].to_numpy())
    with pytest.raises(ValueError, match="calibrated up to horizon=4 steps; got a step of 5"):
        est.predict_interval(5)


@pytest.mark.slow  # several fits (~4 s); the default suite keeps the contract and learning tests
def test_intervals_contain_the_forecast_and_widen():
    panel = _panel()
    est = ESRNNForecaster(horizon=6, **TINY).fit(panel)
    pred = est.predict()
    narrow, wide = est.predict_interval(coverage=0.5), est.predict_interval(coverage=0.95)
    for c in panel:
        assert (narrow[(c, "lower")] <= pred[c] + 1e-9).all() and (pred[c] <= narrow[(c, "upper")] + 1e-9).all()
        assert (wide[(c, "lower")] <= narrow[(c, "lower")]).all() and (wide[(c, "upper")] >= narrow[(c, "upper")]).all()
    assert (wide[("a", "upper")] - wide[("a", "lower")] > 0).all()
    assert est.calibration_residuals_.shape[1] == 6
    one = ESRNNForecaster(horizon=6, **TINY).fit(panel["a"])
    iv = one.predict_interval(coverage=0.8)
    assert list(iv.columns) == ["lower", "upper"] and (iv["lower"] <= one.predict()).all()


def test_no_validation_means_no_intervals():
    est = ESRNNForecaster(horizon=3, validation_fraction=0.0, **TINY).fit(_panel())
    assert est.calibration_residuals_ is None and "val_loss" not in est.history_[0]
    with pytest.raises(ValueError, match="validation_fraction=0"):
        est.predict_interval()


def test_score_on_a_panel():
    panel = _panel()
    train, test = panel.iloc[:-6], panel.iloc[-6:]
    est = ESRNNForecaster(horizon=6, **TINY).fit(train)
    score = est.score(test)
    assert np.isfinite(score) and score < 0


# ------------------------------------------------------------ exogenous regressors
@pytest.mark.slow  # several fits (~6 s); the default suite keeps the contract and learning tests
def test_exogenous_regressors():
    panel = _panel()
    rng = np.random.RandomState(1)
    X = pd.DataFrame({"promo": rng.rand(len(panel))}, index=panel.index)
    train, Xtr, Xfut = panel.iloc[:-6], X.iloc[:-6], X.iloc[-6:]
    est = ESRNNForecaster(horizon=6, **TINY).fit(train, X=Xtr)
    pred = est.predict(X=Xfut)
    assert pred.shape == (6, 3) and np.isfinite(pred.to_numpy()).all()
    other = est.predict(X=Xfut * 0 + 5.0)
    assert not np.allclose(pred.to_numpy(), other.to_numpy())  # the network reads X
    with pytest.raises(ValueError, match=re.escape("pass X with the future values for steps 1..6")):
        est.predict()
    # beyond the horizon: whole blocks of future X
    with pytest.raises(ValueError, match="predicting up to step 12 needs 12 rows"):
        est.predict(8, X=Xfut)
    one = ESRNNForecaster(horizon=6, **TINY).fit(train["a"], X=Xtr)
    assert np.isfinite(one.predict(X=Xfut.to_numpy())).all()
    with pytest.raises(ValueError, match="fitted without exogenous regressors"):
        ESRNNForecaster(horizon=6, **TINY).fit(train).predict(X=Xfut)


# ------------------------------------------------------------ data checks
@pytest.mark.slow  # several fits (~6 s); the default suite keeps the contract and learning tests
def test_non_positive_series_are_shifted():
    rng = np.random.RandomState(0)
    t = np.arange(90)
    y = pd.Series(np.sin(2 * np.pi * t / 12) + 0.1 * rng.randn(90),
                  index=pd.date_range("2000-01", periods=90, freq="MS"))
    est = ESRNNForecaster(horizon=6, **TINY).fit(y)
    lo, hi = y.min(), y.max()
    assert est.shift_ == pytest.approx(-lo + (hi - lo))
    pred = est.predict()
    assert np.isfinite(pred.to_numpy()).all() and (pred > lo - (hi - lo)).all()
    iv = est.predict_interval(coverage=0.9)
    assert (iv["lower"] <= pred).all() and (pred <= iv["upper"]).all()
    zeros = ESRNNForecaster(horizon=3, **TINY).fit(np.zeros(60))
    assert zeros.shift_ == 1.0 and np.isfinite(zeros.predict()).all()
    positive = ESRNNForecaster(horizon=3, **TINY).fit(y + 5)
    assert positive.shift_ == 0.0


@pytest.mark.parametrize(
    "params, msg",
    [
        (dict(window=30, patch=12), "window=30 must be a multiple of patch=12"),
        (dict(window=30, patch=4), "window=30 must be a multiple of patch=4"),
        (dict(units=(4, 0)), "units must be a positive int or a non-empty tuple of positive ints; got (4, 0)."),
        (dict(tau=1.5), "The 'tau' parameter of ESRNNForecaster must be"),
        (dict(epochs=0), "The 'epochs' parameter of ESRNNForecaster must be"),
    ],
)
def test_bad_parameters(params, msg, airline):
    with pytest.raises(ValueError, match=re.escape(msg)):
        ESRNNForecaster(horizon=3, **{**TINY, **params}).fit(airline)


def test_bad_data():
    y = np.r_[np.arange(1.0, 40.0), np.nan, np.arange(1.0, 40.0)]
    with pytest.raises(ValueError, match=re.escape("y contains 1 missing value(s)")):
        ESRNNForecaster(horizon=3, **TINY).fit(y)
    panel = {"m": pd.Series(np.arange(1.0, 61.0), index=pd.date_range("2000-01", periods=60, freq="MS")),
             "q": pd.Series(np.arange(1.0, 61.0), index=pd.date_range("2000-01", periods=60, freq="QS"))}
    with pytest.raises(ValueError, match=re.escape("the series have different season lengths [4, 12]")):
        ESRNNForecaster(horizon=3, **TINY).fit(panel)
    with pytest.raises(ValueError, match="spans too many orders of magnitude"):
        ESRNNForecaster(horizon=3, **TINY).fit(np.r_[np.full(30, 1e-30), np.full(30, 1e30)])


@pytest.mark.slow
def test_xla_compiled_training_matches_the_plain_one(monkeypatch):
    """Long trainings compile the training step with XLA: the same model, up to float32 rounding."""
    from tsforecast.neural import esrnn

    panel = _panel()
    plain = ESRNNForecaster(horizon=6, **TINY).fit(panel)
    monkeypatch.setattr(esrnn, "_JIT_MIN_STEPS", 1)
    compiled = ESRNNForecaster(horizon=6, **TINY).fit(panel)
    np.testing.assert_allclose(compiled.predict().to_numpy(), plain.predict().to_numpy(), rtol=1e-3)
    np.testing.assert_allclose(compiled.alpha_["a"], plain.alpha_["a"], rtol=1e-4)

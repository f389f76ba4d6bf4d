"""LSTMForecaster's streamed fit: windows cut batch by batch, same forecasts as the in-memory path."""

import pickle
import re

import numpy as np
import pandas as pd
import pytest

from tsforecast.neural import LSTMForecaster
from tsforecast.neural import _streaming as streaming_module
from tsforecast.neural._scaling import ColumnMoments, Standardiser, mean_std
from tsforecast.neural._streaming import WindowRanges
from _settings import fixed_forecaster as Forecaster

NET = dict(units=4, epochs=2, batch_size=64, learning_rate=0.01, loss="mae", early_stopping=False, random_state=0)


def _panel(n_series=3, seed=0):
    rng = np.random.RandomState(seed)
    out = {}
    for i in range(n_series):
        n = 60 + 15 * i
        t = np.arange(n)
        out[f"s{i}"] = 10 + i + np.sin(2 * np.pi * t / 6) + 0.1 * rng.normal(size=n)
    return {k: pd.Series(v) for k, v in out.items()}


def _pair(y, X=None, Xf=None, **params):
    """Forecasts and intervals of the in-memory and the streamed fit."""
    out = []
    for streaming in (False, True):
        f = Forecaster(streaming=streaming, **params).fit(y, X)
        assert f.streaming_ is streaming
        pred = np.asarray(f.predict(X=Xf), dtype=float)
        interval = f.predict_interval(coverage=0.8, X=Xf) if params.get("validation_fraction", 0.1) else None
        out.append((f, pred, None if interval is None else interval.to_numpy(dtype=float)))
    return out


# ----------------------------------------------------------- column moments
def test_column_moments_match_mean_std_at_any_magnitude():
    rng = np.random.RandomState(0)
    rows = rng.normal(size=(1001, 3)) * [1.0, 1e-250, 1e250] + [5.0, 0.0, 1e251]
    m = ColumnMoments()
    for i in range(0, rows.shape[0], 97):
        m.update(rows[i : i + 97])
    mean, std = mean_std(rows)
    np.testing.assert_allclose(m.mean, mean, rtol=1e-12)
    np.testing.assert_allclose(m.std, std, rtol=1e-12)
    assert m.count == 1001


def test_column_moments_standardiser_matches_fit():
    rows = np.column_stack([np.arange(10.0), np.full(10, 3.0)])
    m = ColumnMoments().update(rows[:4]).merge(ColumnMoments().update(rows[4:]))
    a, b = m.standardiser(constant_scale=np.array([2.0, 2.0])), Standardiser.fit(rows, constant_scale=np.array([2.0, 2.0]))
    np.testing.assert_allclose(a.mean, b.mean)
    np.testing.assert_allclose(a.scale, b.scale)
    np.testing.assert_array_equal(a.constant, b.constant)
    np.testing.assert_array_equal(a.top, b.top)


def test_window_ranges_number_windows_in_series_order():
    r = WindowRanges(offsets=[0, 100, 250], first=[0, 5, 2], counts=[3, 0, 2])
    assert r.n == 5
    k, start = r.locate(np.arange(5))
    assert k.tolist() == [0, 0, 0, 2, 2]
    assert start.tolist() == [0, 1, 2, 2, 3]
    assert r.positions(np.arange(5)).tolist() == [0, 1, 2, 252, 253]


# ------------------------------------------------------------- equivalence
@pytest.mark.parametrize(
    "params",
    [
        dict(window=12, horizon=3),
        dict(window=12, horizon=3, strategy="recursive", normalize="series"),
        dict(window=12, horizon=3, patch=4, normalize=None, difference=1),
        dict(window=12, horizon=3, validation_fraction=0.0),
        dict(window=12, horizon=3, refit=True),
        dict(window=12, horizon=3, refit="average"),
    ],
)
def test_streamed_fit_gives_the_in_memory_forecasts(params):
    (f0, p0, i0), (f1, p1, i1) = _pair(_panel(), **params, **NET)
    assert f0.n_windows_ == f1.n_windows_
    # same windows in the same order; only the standardisers' last bits differ (merged in chunks)
    np.testing.assert_allclose(p1, p0, rtol=1e-4)
    np.testing.assert_allclose(f1.history_["loss"], f0.history_["loss"], rtol=1e-4)
    if i0 is not None:
        np.testing.assert_allclose(i1, i0, rtol=1e-4)
        np.testing.assert_allclose(f1.calibration_residuals_, f0.calibration_residuals_, rtol=1e-3, atol=1e-6)


def test_streamed_fit_with_exog_and_deseasonalize():
    rng = np.random.RandomState(1)
    n = 96
    idx = pd.date_range("2000-01", periods=n, freq="MS")
    y = pd.Series(50 + 10 * np.sin(2 * np.pi * np.arange(n) / 12) + rng.normal(size=n), index=idx)
    X = pd.DataFrame({"a": rng.normal(size=n + 3)}, index=pd.date_range("2000-01", periods=n + 3, freq="MS"))
    (f0, p0, i0), (f1, p1, i1) = _pair(y.iloc[:n], X.iloc[:n], X.iloc[n:], window=12, horizon=3,
                                       deseasonalize="auto", **NET)
    assert f1.seasonal_ == f0.seasonal_
    np.testing.assert_allclose(p1, p0, rtol=1e-4)
    np.testing.assert_allclose(i1, i0, rtol=1e-4)


def test_streamed_fit_of_a_wide_dataframe_with_late_starts():
    panel = pd.DataFrame({k: np.r_[np.full(90 - s.size, np.nan), s.to_numpy()] for k, s in _panel().items()})
    (f0, p0, _), (f1, p1, _) = _pair(panel, window=12, horizon=3, **NET)
    assert p1.shape == p0.shape
    np.testing.assert_allclose(p1, p0, rtol=1e-4)


# ------------------------------------------------------------------- auto
def test_auto_streams_above_the_size_threshold(monkeypatch):
    y = _panel()
    assert not Forecaster(window=12, horizon=3, **NET).fit(y).streaming_
    monkeypatch.setattr(streaming_module, "_STREAM_MIN_VALUES", 100)
    assert Forecaster(window=12, horizon=3, **NET).fit(y).streaming_


# --------------------------------------------------------- sampled epochs
def test_max_windows_per_epoch_samples_windows_and_is_repeatable():
    y = _panel()
    params = dict(window=12, horizon=3, max_windows_per_epoch=40, refit=True, **NET)
    f = Forecaster(**params).fit(y)
    assert f.streaming_
    assert f.n_windows_ > 40
    n_held = sum(f._window_counts(s.size)[2] for s in y.values())
    n_train = sum(f._window_counts(s.size)[0] for s in y.values())
    # validation (and calibration) on a fixed sample of the same relative size
    assert f.calibration_residuals_.shape == (int(np.ceil(40 * n_held / n_train)), 3)
    # then the final networks train on samples of every window
    assert f.refit_ and f.n_windows_ == sum(s.size - 12 - 3 + 1 for s in y.values())
    g = Forecaster(**params).fit(y)
    np.testing.assert_array_equal(f.predict().to_numpy(), g.predict().to_numpy())
    assert f.predict_interval(coverage=0.9).shape[1] == 2 * len(y)
    # a different seed draws other windows
    h = Forecaster(**{**params, "random_state": 1}).fit(y)
    assert not np.array_equal(f.predict().to_numpy(), h.predict().to_numpy())


def test_max_windows_per_epoch_at_least_all_windows_changes_nothing():
    y = _panel()
    f = Forecaster(window=12, horizon=3, **NET).fit(y)
    g = Forecaster(window=12, horizon=3, max_windows_per_epoch=10**9, **NET).fit(y)
    assert not g.streaming_
    np.testing.assert_array_equal(f.predict().to_numpy(), g.predict().to_numpy())


def test_max_windows_per_epoch_needs_streaming():
    f = Forecaster(window=12, horizon=3, max_windows_per_epoch=10, streaming=False, **NET)
    msg = "max_windows_per_epoch=10 samples the"
    with pytest.raises(ValueError, match=re.escape(msg)):
        f.fit(_panel())


def test_streamed_fit_pickles():
    f = Forecaster(window=12, horizon=3, streaming=True, **NET).fit(_panel())
    g = pickle.loads(pickle.dumps(f))
    np.testing.assert_array_equal(f.predict().to_numpy(), g.predict().to_numpy())
    assert g.streaming_


def test_streamed_fit_that_cannot_spare_validation_windows_trains_on_all():
    # holding half of the windows out (and those overlapping them) would leave no training window:
    # nothing is held out, and intervals (calibrated on held-out windows) say why they are missing
    y = {"a": np.arange(16.0) + 1, "b": np.arange(16.0) + 2}
    f = Forecaster(window=12, horizon=3, validation_fraction=0.5, streaming=True, **NET).fit(y)
    assert f.streaming_ and f.calibration_residuals_ is None
    assert np.isfinite(f.predict().to_numpy()).all()
    with pytest.raises(ValueError, match="series too short to hold windows out"):
        f.predict_interval()

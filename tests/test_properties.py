"""Property-based tests (hypothesis): valid input gives finite, well-shaped output;
invalid input gives a ValueError/TypeError/NotFittedError whose message names the problem."""

import re

import numpy as np
import pandas as pd
import pytest
from _settings import examples
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge

from tsforecast import (
    ARIMAForecaster,
    DriftForecaster,
    HoltWintersForecaster,
    Naive2Forecaster,
    NaiveForecaster,
    ReductionForecaster,
    SeasonalNaiveForecaster,
    ThetaForecaster,
    make_windows,
)
from tsforecast.metrics import mae, mape, mase, rmse, smape

# examples per test under the "ci" profile (derandomized: the same examples every run); see tests/_settings.py
SETTINGS = examples(25)


def _forecasters():
    specs = [
        (NaiveForecaster, {}),
        (SeasonalNaiveForecaster, {"seasonal_periods": 4}),
        (DriftForecaster, {}),
        (Naive2Forecaster, {"seasonal_periods": 4}),
        (ReductionForecaster, {"estimator": Ridge(), "window": 3}),
        (ARIMAForecaster, {"order": (1, 0, 0)}),
        (HoltWintersForecaster, {"trend": "add", "seasonal": None, "damped_trend": False}),
        (ThetaForecaster, {}),
    ]
    return [pytest.param(klass, kw, id=klass.__name__) for klass, kw in specs]


FORECASTERS = _forecasters()

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
values = arrays(np.float64, st.integers(min_value=20, max_value=60), elements=finite)


def _index(kind, n):
    if kind == "period":
        return pd.period_range("2000-01", periods=n, freq="M")
    if kind == "naive":
        return pd.date_range("2000-01-01", periods=n, freq="D")
    if kind == "tz":
        return pd.date_range("2000-01-01", periods=n, freq="h", tz="UTC")
    return pd.RangeIndex(n)


@pytest.mark.parametrize("klass, kw", FORECASTERS)
@SETTINGS
@given(v=values, kind=st.sampled_from(["array", "period", "naive", "tz", "range"]),
       dtype=st.sampled_from(["float64", "float32", "int64"]), h=st.integers(1, 8))
def test_valid_series_give_finite_forecasts(klass, kw, v, kind, dtype, h):
    v = np.round(v).astype(dtype) if dtype == "int64" else v.astype(dtype)
    y = v if kind == "array" else pd.Series(v, index=_index(kind, len(v)), name="y")
    f = klass(**kw).fit(y)
    p = f.predict(h)
    arr = np.asarray(p, dtype=float)
    assert arr.shape == (h,) and np.isfinite(arr).all()
    if kind == "array":
        assert isinstance(p, np.ndarray)
    else:
        assert isinstance(p, pd.Series) and len(p.index) == h and p.index[0] > y.index[-1]


@pytest.mark.parametrize("klass, kw", FORECASTERS)
@SETTINGS
@given(v=values, pos=st.integers(0, 19), bad=st.sampled_from([np.nan, np.inf, -np.inf]))
def test_nan_and_inf_are_named(klass, kw, v, pos, bad):
    v = v.copy()
    v[pos] = bad
    with pytest.raises(ValueError, match="missing value|infinite"):
        klass(**kw).fit(v)


@pytest.mark.parametrize("klass, kw", FORECASTERS)
@pytest.mark.parametrize(
    "y, exc, msg",
    [
        (np.array([], dtype=float), ValueError, "empty"),
        (pd.Series(["a"] * 30), TypeError, "numeric"),
        (pd.Series(np.arange(30.0), index=pd.date_range("2000", periods=30, freq="D")[::-1]), ValueError, "sorted"),
        (pd.Series(np.arange(30.0), index=[pd.Timestamp("2000")] * 30), ValueError, "duplicate"),
        (np.full(30, np.nan), ValueError, "missing"),
    ],
    ids=["empty", "strings", "unsorted", "duplicated", "all-nan"],
)
def test_invalid_series(klass, kw, y, exc, msg):
    with pytest.raises(exc, match=msg):
        klass(**kw).fit(y)


@pytest.mark.parametrize("klass, kw", FORECASTERS)
def test_length_one_series(klass, kw):
    # either a clear "needs at least" error, or the only sensible forecast: that value
    f = klass(**kw)
    try:
        f.fit(np.array([7.0]))
    except ValueError as exc:
        assert "observations" in str(exc) and "at least" in str(exc)
        return
    np.testing.assert_allclose(f.predict(2), 7.0)


@pytest.mark.parametrize("klass, kw", FORECASTERS)
def test_unfitted(klass, kw):
    with pytest.raises(NotFittedError):
        klass(**kw).predict(1)


@pytest.mark.parametrize("klass, kw", FORECASTERS)
def test_constant_series(klass, kw):
    p = np.asarray(klass(**kw).fit(np.full(40, 5.0)).predict(3), dtype=float)
    # optimisers may stop a hair away from the exact constant
    np.testing.assert_allclose(p, 5.0, atol=1e-3)


def _pairs(elements, max_n):
    """Strategy for (y_true, y_pred) arrays of one common length 1..max_n."""
    return st.integers(1, max_n).flatmap(
        lambda n: st.tuples(arrays(np.float64, n, elements=elements), arrays(np.float64, n, elements=elements))
    )


pairs = _pairs(finite, 30)


@SETTINGS
@given(pair=pairs)
def test_metrics_finite_and_bounded(pair):
    t, p = pair
    assert mae(t, p) >= 0 and rmse(t, p) >= mae(t, p) - 1e-6 * max(1.0, mae(t, p))
    s = smape(t, p)
    assert 0 <= s <= 200


# the whole float64 range, denormals included
wide_pairs = _pairs(st.floats(allow_nan=False, allow_infinity=False), 12)


@SETTINGS
@given(pair=wide_pairs)
def test_metrics_never_return_inf_at_the_float64_limits(pair):
    # a metric is finite, or its true value exceeds float64 and a ValueError says so; never a silent inf
    t, p = pair
    s = smape(t, p)
    assert 0 <= s <= 200
    scale = np.maximum(np.abs(t), np.abs(p)).max() or 1.0
    for fn in (mae, rmse, mape):
        try:
            value = fn(t, p)
        except ValueError as exc:
            assert "overflows" in str(exc) or "MAPE is undefined" in str(exc)
            if "overflows" in str(exc):  # then the errors really are near the limit
                assert np.max(np.abs(t / scale - p / scale)) > 1e300 / scale or fn is mape
        else:
            assert np.isfinite(value) and value >= 0
    # scaled copies agree where scaling neither overflows nor underflows any value
    mags = np.abs(np.r_[t, p])
    mags = mags[mags > 0]
    if mags.size and 1e-150 < mags.min() and mags.max() < 1e150:
        np.testing.assert_allclose(smape(t / scale, p / scale), s, rtol=1e-9, atol=1e-9)


@SETTINGS
@given(pair=pairs, train=arrays(np.float64, st.integers(3, 30), elements=finite))
def test_mase_finite_or_named_error(pair, train):
    t, p = pair
    if np.mean(np.abs(np.diff(train))) < np.finfo(float).tiny:  # constant (or denormal) scale
        with pytest.raises(ValueError, match="MASE is undefined"):
            mase(t, p, y_train=train)
    else:
        try:
            value = mase(t, p, y_train=train)
        except ValueError as exc:  # a positive but denormal-sized scale can overflow the ratio
            assert "MASE overflows" in str(exc)
            scale = np.mean(np.abs(np.diff(train)))
            with np.errstate(over="ignore"):
                assert not np.isfinite(np.mean(np.abs(t - p)) / scale)
        else:
            assert np.isfinite(value)


@SETTINGS
@given(n=st.integers(1, 50), window=st.integers(1, 10), horizon=st.integers(0, 5), step=st.integers(1, 4))
def test_make_windows_shapes(n, window, horizon, step):
    y = np.arange(float(n))
    if n < window + horizon:
        with pytest.raises(ValueError, match=f"window={window} and horizon={horizon} need at least"):
            make_windows(y, window, horizon, step)
        return
    Xw, Y = make_windows(y, window, horizon, step)
    assert Xw.shape[1] == window and Y.shape == (Xw.shape[0], horizon)
    assert Xw.shape[0] == (n - window - horizon) // step + 1
    if horizon:
        np.testing.assert_array_equal(Y[:, 0], Xw[:, -1] + 1)


@SETTINGS
@given(v=values, k=st.integers(-800, 800), order=st.sampled_from([(1, 0, 0), (0, 1, 1)]))
def test_arima_is_exactly_equivariant_under_powers_of_two(v, k, order):
    # the fit runs on y / 2**(exponent of max|y|) and the final filter's constants (diffuse prior
    # variance, no steady-state test) are set in those units, so y * 2**k gives the same numbers times
    # 2**k whatever the units model_ ends up in (the data's, or nearby ones the filter can resolve)
    v = np.where(np.abs(v) < 1e-50, 0.0, v)  # no subnormal numbers (fewer bits) at any k
    try:
        ref = ARIMAForecaster(order=order).fit(v)
    except ValueError as exc:  # e.g. the likelihood of a degenerate series: the scaled copy says the same
        with pytest.raises(ValueError, match=re.escape(str(exc).split(" (")[0])):
            ARIMAForecaster(order=order).fit(np.ldexp(v, k))
        return
    f = ARIMAForecaster(order=order).fit(np.ldexp(v, k))
    np.testing.assert_array_equal(f.predict(3), np.ldexp(ref.predict(3), k))
    np.testing.assert_array_equal(np.asarray(f.predict_interval(3)), np.ldexp(np.asarray(ref.predict_interval(3)), k))


@SETTINGS
@given(v=values, k=st.integers(-800, 800))
def test_holt_winters_is_exactly_equivariant_under_powers_of_two(v, k):
    # the fit runs on y / 2**(exponent of max|y| + offset), so y * 2**k gives bit-identical scaled data
    from tsforecast.forecasting.holtwinters import HoltWintersForecaster

    v = np.where(np.abs(v) < 1e-50, 0.0, v)  # no subnormal numbers (fewer bits) at any k
    params = dict(trend="add", seasonal=None, damped_trend=False)
    try:
        ref = HoltWintersForecaster(**params).fit(v).predict(3)
    except ValueError as exc:  # e.g. no model fits a degenerate series: the scaled copy says the same
        with pytest.raises(ValueError, match=re.escape(str(exc).split(" (")[0])):
            HoltWintersForecaster(**params).fit(np.ldexp(v, k))
        return
    np.testing.assert_array_equal(HoltWintersForecaster(**params).fit(np.ldexp(v, k)).predict(3), np.ldexp(ref, k))

"""TransformedTargetForecaster."""

import numpy as np
import pytest
from sklearn.preprocessing import FunctionTransformer, PowerTransformer

from tsforecast import NaiveForecaster, SeasonalNaiveForecaster, TransformedTargetForecaster
from tsforecast.datasets import load_airline


def test_log_transform_round_trip():
    y = load_airline()
    f = TransformedTargetForecaster(NaiveForecaster(), FunctionTransformer(np.log, np.exp)).fit(y)
    assert f.predict(1).iloc[0] == pytest.approx(432.0)
    iv = f.predict_interval(3)
    inner = NaiveForecaster().fit(np.log(y)).predict_interval(3)
    np.testing.assert_allclose(iv["lower"], np.exp(inner["lower"]))


def test_boxcox_seasonal():
    y = load_airline()
    f = TransformedTargetForecaster(SeasonalNaiveForecaster(seasonal_periods=12), PowerTransformer(method="box-cox"))
    p = f.fit(y).predict(12)
    np.testing.assert_allclose(p.to_numpy(), y.iloc[-12:].to_numpy(), rtol=1e-6)


def test_nonfinite_transform_is_reported():
    f = TransformedTargetForecaster(NaiveForecaster(), FunctionTransformer(np.log, np.exp, check_inverse=False))
    with np.errstate(all="ignore"), pytest.raises(ValueError, match="produced non-finite values"):
        f.fit(np.array([1.0, -1.0, 2.0]))


def test_inner_forecaster_reads_the_season_from_the_index():
    import numpy as np
    from sklearn.preprocessing import FunctionTransformer

    from tsforecast import SeasonalNaiveForecaster, TransformedTargetForecaster
    from tsforecast.datasets import load_airline

    y = load_airline()
    f = TransformedTargetForecaster(SeasonalNaiveForecaster(), FunctionTransformer(np.log, np.exp)).fit(y)
    assert f.forecaster_.seasonal_periods_ == 12
    np.testing.assert_allclose(f.predict(12).to_numpy(), y.to_numpy()[-12:], rtol=1e-12)


def _panel():
    y = load_airline()
    return {"a": y, "b": 3 * y.iloc[6:], "c": y.iloc[:-2] + 100.0}  # different starts, ends and scales


def test_panel_transforms_each_series_alone_and_fits_the_inner_forecaster_on_the_panel():
    panel = _panel()
    log = FunctionTransformer(np.log, np.exp)
    f = TransformedTargetForecaster(SeasonalNaiveForecaster(seasonal_periods=12), log).fit(panel)
    pred, iv = f.predict(4), f.predict_interval(4, coverage=0.8)
    assert set(f.transformers_) == {"a", "b", "c"} and set(f.forecaster_.forecasters_) == {"a", "b", "c"}
    assert iv.index.is_monotonic_increasing
    for k, y in panel.items():
        alone = TransformedTargetForecaster(SeasonalNaiveForecaster(seasonal_periods=12), log).fit(y)
        np.testing.assert_allclose(pred[k].dropna().to_numpy(), alone.predict(4).to_numpy(), rtol=1e-12)
        assert pred[k].dropna().index.equals(alone.predict(4).index)
        np.testing.assert_allclose(iv[k].dropna().to_numpy(), alone.predict_interval(4, coverage=0.8).to_numpy(),
                                   rtol=1e-12)
    # a scaler fitted on each series alone: each is mapped back to its own scale
    from sklearn.preprocessing import StandardScaler

    scaled = TransformedTargetForecaster(NaiveForecaster(), StandardScaler()).fit(panel)
    for k, y in panel.items():
        assert scaled.transformers_[k].mean_[0] == pytest.approx(y.mean())
        assert scaled.predict(1)[k].dropna().iloc[0] == pytest.approx(y.iloc[-1])


def test_panel_score_is_on_the_original_scale():
    from tsforecast.metrics import mase

    y = load_airline()
    train, test = {"a": y.iloc[:-12], "b": 2 * y.iloc[:-12]}, {"a": y.iloc[-12:], "b": 2 * y.iloc[-12:]}
    f = TransformedTargetForecaster(SeasonalNaiveForecaster(seasonal_periods=12), FunctionTransformer(np.log, np.exp))
    pred = f.fit(train).predict(12)
    expected = np.mean([mase(test[k].to_numpy(), pred[k].to_numpy(), y_train=train[k].to_numpy()) for k in train])
    assert f.score(test) == pytest.approx(-expected, rel=1e-12)


def test_panel_gives_a_global_inner_forecaster_the_whole_panel():
    from _settings import TINY

    from tsforecast import LSTMForecaster

    panel = _panel()
    lstm = LSTMForecaster(window=12, horizon=3, normalize="window", refit=False, **TINY)
    f = TransformedTargetForecaster(lstm, FunctionTransformer(np.log, np.exp)).fit(panel)
    assert not hasattr(f.forecaster_, "forecasters_") and f.forecaster_.n_obs_ == f.n_obs_  # one network
    inner = LSTMForecaster(window=12, horizon=3, normalize="window", refit=False, **TINY).fit(
        {k: np.log(y) for k, y in panel.items()})
    np.testing.assert_allclose(f.predict(3).to_numpy(), np.exp(inner.predict(3).to_numpy()), rtol=1e-6)


def test_panel_error_names_the_series():
    panel = {"ok": load_airline(), "bad": load_airline() - 200.0}
    f = TransformedTargetForecaster(NaiveForecaster(), FunctionTransformer(np.log, np.exp, check_inverse=False))
    with np.errstate(all="ignore"), pytest.raises(ValueError, match="non-finite values on series 'bad'"):
        f.fit(panel)

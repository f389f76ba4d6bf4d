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

"""Common contract checks over every estimator (scikit-learn's checks where they apply).

Forecasters take a *series* in ``fit`` (their input tags say ``two_d_array=False``),
so scikit-learn's data-driven checks (which feed random 2-D ``X``/``y``) cannot
apply to them; ``parametrize_with_checks`` skips such estimators entirely. We run
the API-level checks of scikit-learn that do not fit on 2-D data, plus series
equivalents of the fitting checks (fit returns self, does not alter parameters,
is idempotent, sets only ``_``-suffixed public attributes, raises NotFittedError
before fit, clone/pickle). Transformers and the neural regressor/classifier take
2-D/3-D arrays and go through ``parametrize_with_checks`` in full (see
tests/test_neural_core.py for the LSTM estimators).
"""

import pickle

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils import estimator_checks as ec
from sklearn.utils import get_tags
from sklearn.utils.estimator_checks import parametrize_with_checks

from tsforecast import (
    ARIMAForecaster,
    DriftForecaster,
    ESRNNForecaster,
    EnsembleForecaster,
    HoltWintersForecaster,
    LSTMForecaster,
    MSTLForecaster,
    Naive2Forecaster,
    NaiveForecaster,
    ReductionForecaster,
    SeasonalNaiveForecaster,
    SlidingWindowTransformer,
    ThetaForecaster,
    TransformedTargetForecaster,
)


def _forecasters():
    """One pytest param (class, kwargs) per forecaster, with small settings."""
    specs = [
        (NaiveForecaster, {}),
        (SeasonalNaiveForecaster, {"seasonal_periods": 12}),
        (DriftForecaster, {}),
        (Naive2Forecaster, {"seasonal_periods": 12}),
        (ARIMAForecaster, {"order": (1, 1, 0)}),
        (HoltWintersForecaster, {"seasonal_periods": 12}),
        (ThetaForecaster, {"seasonal_periods": 12}),
        (MSTLForecaster, {"seasonal_periods": 12}),
        (ReductionForecaster, {"estimator": Ridge(), "window": 12}),
        (
            TransformedTargetForecaster,
            {"forecaster": NaiveForecaster(), "transformer": FunctionTransformer(np.log, np.exp)},
        ),
        (
            EnsembleForecaster,
            {"forecasters": [("naive", NaiveForecaster()), ("drift", DriftForecaster())], "horizon": 3},
        ),
        (LSTMForecaster, {"window": 12, "horizon": 3, "units": 4, "epochs": 1, "batch_size": 64, "random_state": 0}),
        (ESRNNForecaster, {"horizon": 3, "units": 4, "epochs": 1, "batch_size": 8, "windows_per_series": 4,
                           "random_state": 0}),
    ]
    return [pytest.param(klass, kw, id=klass.__name__) for klass, kw in specs]


FORECASTERS = _forecasters()
API_CHECKS = [
    ec.check_estimator_cloneable,
    ec.check_estimator_tags_renamed,
    ec.check_valid_tag_types,
    ec.check_estimator_repr,
    ec.check_no_attributes_set_in_init,
    ec.check_do_not_raise_errors_in_init_or_set_params,
    ec.check_mixin_order,
    ec.check_get_params_invariance,
    ec.check_set_params,
    ec.check_parameters_default_constructible,
]


@pytest.mark.parametrize("klass, kw", FORECASTERS)
@pytest.mark.parametrize("check", API_CHECKS, ids=lambda c: c.__name__)
def test_forecaster_sklearn_api_checks(klass, kw, check):
    est = klass(**kw)
    check(type(est).__name__, est)


def _public_state(est):
    return {k for k in vars(est) if not k.startswith("_")}


@pytest.mark.parametrize("klass, kw", FORECASTERS)
def test_forecaster_fit_contract(klass, kw, airline):
    y = airline
    est = klass(**kw)
    with pytest.raises(NotFittedError):
        est.predict(3)
    params_before = joblib.hash(est.get_params())
    before = _public_state(est)
    assert est.fit(y) is est
    assert joblib.hash(est.get_params()) == params_before, "fit changed a parameter"
    new = _public_state(est) - before
    assert new and all(k.endswith("_") for k in new), f"public attributes set by fit: {new}"
    p1 = est.predict(3)
    assert np.all(np.isfinite(p1.to_numpy()))
    # idempotent: fitting again on the same data gives the same forecasts
    np.testing.assert_allclose(clone(est).fit(y).predict(3).to_numpy(), p1.to_numpy(), rtol=1e-6)
    # pickle round trip
    np.testing.assert_allclose(pickle.loads(pickle.dumps(est)).predict(3).to_numpy(), p1.to_numpy())
    tags = get_tags(est)
    assert not tags.target_tags.required and not tags.input_tags.two_d_array


@parametrize_with_checks(
    [SlidingWindowTransformer(window=1), SlidingWindowTransformer(window=1, output="2d")],
    expected_failed_checks=lambda est: {
        "check_fit1d": "by design a 1-D array is accepted as one series (T,) -> windows",
        "check_fit2d_predict1d": "by design a 1-D array is accepted as one series (T,) -> windows",
    },
)
def test_transformers_sklearn_checks(estimator, check):
    # window=1 keeps the number of rows (T - window + 1 = T), which scikit-learn's
    # transformer checks require; other windows are covered in tests/test_windowing.py.
    check(estimator)

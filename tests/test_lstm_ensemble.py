"""``n_estimators``: several networks trained with their own seeds and averaged into one model."""

import pickle

import numpy as np
import pytest
from _settings import TINY

from tsforecast import LSTMClassifier, LSTMForecaster, LSTMRegressor


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(48, 6))
    return X, np.where(X.mean(axis=1) > 0, "up", "down"), X.sum(axis=1)


def _members(est, X):
    """Outputs of each network of a fitted ensemble, in order."""
    x = np.asarray(X, dtype=np.float32)[..., None]
    x = est._x_scaler.transform(x).astype(np.float32)
    return [est.model_.get_layer(f"network_{i}")(x).numpy() for i in range(est.n_estimators_)]


def test_classifier_is_the_soft_vote_of_its_networks(data):
    X, y, _ = data
    single = LSTMClassifier(**TINY).fit(X, y)
    ens = LSTMClassifier(**dict(TINY, n_estimators=3)).fit(X, y)
    assert ens.n_estimators_ == 3 and len(ens.histories_) == 3 and ens.history_ is ens.histories_[0]
    members = _members(ens, X[:5])
    # the first network is the one a single-network fit with the same random_state trains
    np.testing.assert_allclose(members[0][:, 0], single.predict_proba(X[:5])[:, 1], rtol=1e-5, atol=1e-6)
    assert not np.allclose(members[0], members[1])  # the others have their own seeds
    np.testing.assert_allclose(ens.predict_proba(X[:5])[:, 1], np.mean(members, axis=0)[:, 0], rtol=1e-5, atol=1e-6)
    assert single.n_estimators_ == 1 and len(single.histories_) == 1


def test_regressor_ensemble_is_deterministic_and_persists(data, tmp_path):
    X, _, t = data
    a = LSTMRegressor(**dict(TINY, n_estimators=2)).fit(X, t)
    b = LSTMRegressor(**dict(TINY, n_estimators=2)).fit(X, t)
    np.testing.assert_array_equal(a.predict(X), b.predict(X))
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(a)).predict(X), a.predict(X))
    a.save(tmp_path / "reg.keras.zip")
    np.testing.assert_array_equal(LSTMRegressor.load(tmp_path / "reg.keras.zip").predict(X), a.predict(X))
    mean_output = np.mean(_members(a, X[:4]), axis=0).astype(np.float64)
    np.testing.assert_allclose(a.predict(X[:4]), a._y_scaler.inverse_transform(mean_output).ravel(), rtol=1e-5)


def test_forecaster_passes_n_estimators_to_its_network():
    t = np.arange(96.0)
    y = 10 + np.sin(2 * np.pi * t / 12)
    params = dict(TINY, window=12, horizon=3, validation_fraction=0.2, refit=False, normalize="window")  # one fit
    single = LSTMForecaster(**dict(params, n_estimators=1)).fit(y)
    ens = LSTMForecaster(**dict(params, n_estimators=2)).fit(y)
    assert ens.regressor_.n_estimators_ == 2
    assert not np.allclose(ens.predict(), single.predict())
    lower, upper = ens.predict_interval(coverage=0.8).to_numpy().T
    assert np.all(lower <= ens.predict()) and np.all(ens.predict() <= upper)
    again = LSTMForecaster(**dict(params, n_estimators=2)).fit(y)
    np.testing.assert_allclose(again.predict(), ens.predict(), rtol=1e-7)  # eager vs traced forward pass

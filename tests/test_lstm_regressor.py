"""LSTMRegressor: targets, scaling, network shape, validation data."""

import re

import numpy as np
import pytest
from _settings import TINY
from sklearn.base import is_regressor

from tsforecast.neural import LSTMRegressor


def _layers(est):
    return [type(layer).__name__ for layer in est.model_.layers]


def test_single_and_multi_output_shapes():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 5, 2))
    y = X[:, :, 0].sum(axis=1)
    reg = LSTMRegressor(**TINY).fit(X, y)
    assert is_regressor(reg)
    assert reg.predict(X).shape == (30,) and reg.n_outputs_ == 1
    Y = np.column_stack([y, -y, 2 * y])
    reg = LSTMRegressor(**TINY).fit(X, Y)
    assert reg.predict(X).shape == (30, 3) and reg.n_outputs_ == 3
    assert reg.model_.output_shape == (None, 3)
    reg = LSTMRegressor(**TINY).fit(X, y[:, None])
    assert reg.predict(X).shape == (30, 1)


def test_learns_raw_valued_windows_thanks_to_scaling():
    # windows of a series around 10,000 with swings of +-500: the next value is the last one plus a step
    rng = np.random.RandomState(0)
    X = 10_000 + rng.uniform(-500, 500, size=(400, 4, 1))
    y = X[:, -1, 0] + 0.5 * (X[:, -1, 0] - X[:, -2, 0])
    reg = LSTMRegressor(units=16, epochs=40, batch_size=32, learning_rate=0.01, validation_fraction=0.0,
                        early_stopping=False, random_state=0).fit(X, y)
    assert reg.history_["loss"][-1] < 0.2 * reg.history_["loss"][0]
    assert reg.score(X, y) > 0.9
    # without scaling the same network cannot fit values of this size in the same budget
    raw = LSTMRegressor(**dict(reg.get_params(), scale=None)).fit(X, y)
    assert raw.score(X, y) < 0.5


def test_scaling_is_stored_and_inverted():
    rng = np.random.RandomState(1)
    X = rng.normal(loc=50, scale=3, size=(40, 3, 2))
    y = 1000 + 10 * rng.normal(size=40)
    reg = LSTMRegressor(**TINY).fit(X, y)
    np.testing.assert_allclose(reg._x_scaler.mean, X.reshape(-1, 2).mean(axis=0))
    assert reg._y_scaler.mean[0] == pytest.approx(y.mean())
    pred = reg.predict(X)
    # an untrained-ish network predicts near the target mean in original units
    assert np.all(np.abs(pred - y.mean()) < 5 * y.std())


def test_network_shape_from_hyperparameters():
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(20, 5, 3)), rng.normal(size=20)
    reg = LSTMRegressor(**dict(TINY, units=(6, 5), dropout=0.1, dense_units=(7,))).fit(X, y)
    assert _layers(reg) == ["InputLayer", "LSTM", "Dropout", "LSTM", "Dense", "Dense"]
    lstm1, lstm2 = reg.model_.get_layer("lstm_1"), reg.model_.get_layer("lstm_2")
    assert lstm1.units == 6 and lstm1.return_sequences and lstm2.units == 5 and not lstm2.return_sequences
    assert reg.model_.get_layer("dense_1").units == 7
    reg = LSTMRegressor(**dict(TINY, bidirectional=True, recurrent_dropout=0.2)).fit(X, y)
    bi = reg.model_.get_layer("bidirectional_1")
    assert bi.forward_layer.recurrent_dropout == 0.2
    # forward and backward layers start from different weights
    assert not np.allclose(bi.forward_layer.get_weights()[0], bi.backward_layer.get_weights()[0])
    assert reg.model_.output_shape == (None, 1)


@pytest.mark.parametrize("optimizer", ["rmsprop", "sgd"])
def test_optimizer_and_loss(optimizer):
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(20, 3, 1)), rng.normal(size=20)
    reg = LSTMRegressor(**dict(TINY, optimizer=optimizer, loss="huber", learning_rate=0.05)).fit(X, y)
    assert type(reg.model_.optimizer).__name__.lower() == optimizer
    assert reg.model_.optimizer.learning_rate.numpy() == pytest.approx(0.05)


def test_validation_data_and_fraction():
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(40, 4, 1)), rng.normal(size=40)
    reg = LSTMRegressor(**dict(TINY, validation_fraction=0.25)).fit(X, y)
    assert set(reg.history_) == {"loss", "val_loss"} and len(reg.history_["loss"]) == 2
    reg = LSTMRegressor(**TINY).fit(X[:30], y[:30], validation_data=(X[30:], y[30:]))
    assert "val_loss" in reg.history_
    with pytest.raises(ValueError, match=r"validation_data must be a tuple \(X_val, y_val\)"):
        reg.fit(X, y, validation_data=X)
    with pytest.raises(ValueError, match="y has 2 output"):
        reg.fit(X, y, validation_data=(X[:3], np.zeros((3, 2))))


def test_grid_search_over_units():
    from sklearn.model_selection import GridSearchCV

    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 3, 1))
    y = X.sum(axis=(1, 2))
    search = GridSearchCV(LSTMRegressor(**dict(TINY, epochs=1)), {"units": [2, (2, 2)]}, cv=2).fit(X, y)
    assert search.best_params_["units"] in (2, (2, 2))


def test_divergence_is_reported():
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(32, 3, 1)), rng.normal(size=32)
    # an absurd learning rate on unscaled huge targets blows the loss up
    reg = LSTMRegressor(**dict(TINY, scale=None, learning_rate=1e30, optimizer="sgd", epochs=3))
    with pytest.raises(FloatingPointError, match="training diverged"):
        reg.fit(X * 1e30, y * 1e30)


# ------------------------------------------------- data of any magnitude (float64 scaling, float32 network)
@pytest.mark.parametrize("factor", [1e-300, 1e-200, 1e-160, 1e-40])
def test_tiny_data_is_standardised_in_its_own_units(factor):
    # the standard deviation of values below ~1e-154 underflows in a plain np.std (their squares are 0)
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(24, 4, 2)), rng.normal(size=24)
    ref = LSTMRegressor(**TINY).fit(X, y)
    reg = LSTMRegressor(**TINY).fit(X * factor, y * factor)
    np.testing.assert_allclose(reg._y_scaler.scale / factor, ref._y_scaler.scale, rtol=1e-12)
    np.testing.assert_allclose(reg._x_scaler.scale / factor, ref._x_scaler.scale, rtol=1e-12)
    np.testing.assert_allclose(reg.predict(X * factor) / factor, ref.predict(X), rtol=1e-5)


def test_features_of_very_different_magnitudes_are_each_standardised():
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(24, 4, 2)), rng.normal(size=24)
    Xmix = X * np.array([1e-300, 1.0])  # feature 0 tiny, feature 1 ordinary
    ref = LSTMRegressor(**TINY).fit(X, y)
    reg = LSTMRegressor(**TINY).fit(Xmix, y)
    np.testing.assert_allclose(reg._x_scaler.scale / [1e-300, 1.0], ref._x_scaler.scale, rtol=1e-12)
    np.testing.assert_allclose(reg.predict(Xmix), ref.predict(X), rtol=1e-5)


@pytest.mark.parametrize("c", [2.0, 1e-300])
def test_constant_target_is_predicted_as_that_constant(c):
    X = np.random.RandomState(0).normal(size=(20, 3, 1))
    reg = LSTMRegressor(**TINY).fit(X, np.full(20, c))
    np.testing.assert_array_equal(reg.predict(X[:4]), np.full(4, c))
    reg = LSTMRegressor(**TINY).fit(X, np.column_stack([np.full(20, c), X.sum(axis=(1, 2))]))
    pred = reg.predict(X[:4])
    np.testing.assert_array_equal(pred[:, 0], np.full(4, c))
    assert np.ptp(pred[:, 1]) > 0  # the varying target is still predicted by the network


def test_unscaled_values_below_float32_tiny_are_rejected():
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(10, 3, 2)), rng.normal(size=10)
    msg = ("y output 0 has values no larger than 1.73e-300 in magnitude, below float32's smallest normal number "
           "(1.18e-38): with scale=None the network, which computes in float32, would see zeros. Use "
           "scale='standard' (which standardises y in float64 first) or rescale y.")
    with pytest.raises(ValueError, match=re.escape(msg)):
        LSTMRegressor(**dict(TINY, scale=None)).fit(X, y * 1e-300)
    with pytest.raises(ValueError, match=re.escape("X feature 1 has values no larger than 2.24e-40")):
        LSTMRegressor(**dict(TINY, scale=None)).fit(X * [1.0, 1e-40], y)
    # an ordinary feature may hold some tiny values, and all-zero features are fine
    X[0, 0, 0], X[:, :, 1] = 1e-300, 0.0
    assert np.isfinite(LSTMRegressor(**dict(TINY, scale=None)).fit(X, y).predict(X)).all()

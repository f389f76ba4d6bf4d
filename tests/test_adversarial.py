"""Adversarial training (``adversarial=eps``) of the LSTM estimators.

The training tests are slow (several networks each; CI runs them with ``--runslow``); the exact
equivalence of the split forward pass and the argument check run by default.
"""

import pickle

import numpy as np
import pytest
from _settings import TINY

from tsforecast.neural import LSTMClassifier, LSTMForecaster, LSTMRegressor
from tsforecast.neural._adversarial import forward_from_representation, representation, split_network
from tsforecast.neural._keras import import_keras
from tsforecast.neural._network import PAD_VALUE, build_network


def _tokens(n=80, T=10, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randint(2, 30, size=(n, T))
    X[: n // 3, T // 2 :] = 0  # padded tail
    y = np.where(X[:, 0] > 15, "pos", "neg")
    return X, y


@pytest.mark.parametrize(
    "kind",
    ["tokens", "tokens-bidirectional-dense", "numeric", "numeric-masked"],
)
def test_forward_from_representation_is_the_network(kind):
    """The trainer's split forward pass computes exactly what the network computes."""
    keras = import_keras()
    rng = np.random.RandomState(0)
    tokens = kind.startswith("tokens")
    if tokens:
        x = rng.randint(1, 20, size=(5, 7)).astype("int32")
        x[:2, 4:] = 0
    else:
        x = rng.normal(size=(5, 7, 3)).astype("float32")
        if kind == "numeric-masked":
            x[:2, 4:] = PAD_VALUE
    model = build_network(
        keras, timesteps=7, n_features=3, n_outputs=2, activation="linear", units=(4, 3), dropout=0.3,
        recurrent_dropout=0.0, bidirectional="bidirectional" in kind, dense_units=(5,) if "dense" in kind else (),
        embedding=(20, 4) if tokens else None, masked=kind == "numeric-masked", seed=0,
    )
    first, rest = split_network(keras, model)
    assert (first is None) == (kind == "numeric")
    h, mask = representation(first, x)
    h = h + 0.0  # a new tensor, as in training (h + r): no mask attached by Keras, only the one passed
    split = np.asarray(forward_from_representation(keras, rest, h, mask, False))
    np.testing.assert_allclose(split, np.asarray(model(x, training=False)), rtol=1e-6, atol=1e-6)
    if mask is not None:  # the mask matters: dropping it changes the padded sequences' outputs
        unmasked = np.asarray(forward_from_representation(keras, rest, h, None, False))
        assert np.abs(unmasked[:2] - split[:2]).max() > 1e-4
        np.testing.assert_allclose(unmasked[2:], split[2:], rtol=1e-6, atol=1e-6)


@pytest.mark.slow  # trains several networks
def test_adversarial_classifier_is_repeatable_picklable_and_differs_from_plain_training():
    X, y = _tokens()
    params = dict(TINY, embedding_dim=6, dropout=0.2, validation_fraction=0.2, early_stopping=True)
    clf = LSTMClassifier(**params, adversarial=0.2).fit(X, y)
    p1 = clf.predict_proba(X)
    np.testing.assert_array_equal(p1, LSTMClassifier(**params, adversarial=0.2).fit(X, y).predict_proba(X))
    np.testing.assert_array_equal(p1, pickle.loads(pickle.dumps(clf)).predict_proba(X))
    plain = LSTMClassifier(**params).fit(X, y).predict_proba(X)
    assert np.abs(p1 - plain).max() > 1e-4
    # history reads as without adversarial training: clean loss and val_loss per epoch
    assert set(clf.history_) == {"loss", "val_loss"} and len(clf.history_["loss"]) == 2
    assert all(np.isfinite(v) and v > 0 for v in clf.history_["loss"] + clf.history_["val_loss"])
    # the fitted network is the plain one: saving/prediction are unchanged
    assert clf.model_.name != "adversarial_trainer"
    assert clf.model_.count_params() == LSTMClassifier(**params).fit(X, y).model_.count_params()


@pytest.mark.slow  # trains several networks
def test_vanishing_step_trains_like_plain_training_and_reports_the_clean_loss():
    """With a vanishing step the loss is clean + (almost) clean: Adam's scale invariance gives the
    plain training's weights, and the history reports the clean loss (not the doubled sum)."""
    X, y = _tokens()
    params = dict(TINY, embedding_dim=6, epochs=3, validation_fraction=0.2, learning_rate=1e-2)
    plain = LSTMClassifier(**params).fit(X, y)
    tiny = LSTMClassifier(**params, adversarial=1e-9).fit(X, y)
    np.testing.assert_allclose(tiny.history_["loss"], plain.history_["loss"], rtol=1e-3)
    np.testing.assert_allclose(tiny.history_["val_loss"], plain.history_["val_loss"], rtol=1e-3)
    tiny_change = np.abs(tiny.predict_proba(X) - plain.predict_proba(X)).max()
    assert tiny_change < 1e-3
    strong = LSTMClassifier(**params, adversarial=0.5).fit(X, y)
    assert np.abs(strong.predict_proba(X) - plain.predict_proba(X)).max() > 10 * tiny_change + 1e-3


@pytest.mark.slow  # trains several networks
def test_adversarial_multiclass_and_regressor_and_variable_length():
    X, _ = _tokens()
    y3 = np.arange(len(X)) % 3
    clf = LSTMClassifier(**dict(TINY, embedding_dim=4, bidirectional=True), adversarial=0.1).fit(X, y3)
    assert clf.predict_proba(X).shape == (len(X), 3)
    rng = np.random.RandomState(0)
    Xn = rng.normal(size=(60, 6, 2))
    reg = LSTMRegressor(**TINY, adversarial=0.1).fit(Xn, Xn[:, -1, 0])
    assert reg.predict(Xn).shape == (60,)
    seqs = [rng.normal(size=(rng.randint(2, 8), 2)) for _ in range(40)]
    reg = LSTMRegressor(**TINY, adversarial=0.1).fit(seqs, rng.normal(size=40))
    assert np.isfinite(reg.predict(seqs)).all()


def test_adversarial_must_be_non_negative():
    X, y = _tokens()
    with pytest.raises(ValueError, match="adversarial"):
        LSTMClassifier(**TINY, embedding_dim=4, adversarial=-0.1).fit(X, y)


@pytest.mark.slow  # trains several networks
def test_forecaster_passes_adversarial_to_its_network():
    y = np.sin(np.arange(120) / 4.0) + np.arange(120) / 50.0
    params = dict(window=12, horizon=3, units=4, epochs=2, random_state=0)
    adv = LSTMForecaster(**params, adversarial=0.2).fit(y)
    assert adv.regressor_.adversarial == 0.2
    assert np.abs(adv.predict() - LSTMForecaster(**params).fit(y).predict()).max() > 1e-6

"""LSTMClassifier: labels, probabilities, stratified CV, token sequences."""

import numpy as np
import pytest
from _settings import TINY
from sklearn.base import is_classifier
from sklearn.model_selection import StratifiedKFold, check_cv, cross_val_score

from tsforecast.neural import LSTMClassifier
from tsforecast.neural._training import validation_split


def _layers(est):
    return [type(layer).__name__ for layer in est.model_.layers]


def _numeric(n=60, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 6, 2))
    return X, np.where(X[:, :, 0].mean(axis=1) > 0, "up", "down")


def test_binary_string_labels():
    X, y = _numeric()
    clf = LSTMClassifier(**TINY).fit(X, y)
    assert is_classifier(clf)
    assert clf.classes_.tolist() == ["down", "up"]
    proba = clf.predict_proba(X)
    assert proba.shape == (60, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert set(clf.predict(X)) <= {"down", "up"}
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])
    assert clf.model_.output_shape == (None, 1)
    assert clf.model_.layers[-1].activation.__name__ == "sigmoid"
    assert clf.model_.loss == "binary_crossentropy"


def test_multiclass_int_labels_learn():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(150, 5, 1))
    level = X[:, :, 0].mean(axis=1)
    y = np.digitize(level, np.quantile(level, [1 / 3, 2 / 3])) * 10  # classes 0, 10, 20
    clf = LSTMClassifier(units=16, epochs=40, batch_size=32, learning_rate=0.01, validation_fraction=0.0,
                         early_stopping=False, n_estimators=1, random_state=0).fit(X, y)
    assert clf.classes_.tolist() == [0, 10, 20]
    assert clf.model_.layers[-1].activation.__name__ == "softmax"
    assert clf.model_.loss == "sparse_categorical_crossentropy"
    proba = clf.predict_proba(X)
    assert proba.shape == (150, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert clf.score(X, y) > 0.8


def test_cross_val_score_is_stratified():
    X, y = _numeric(n=50)
    clf = LSTMClassifier(**dict(TINY, epochs=1))
    cv = check_cv(5, y, classifier=is_classifier(clf))
    assert isinstance(cv, StratifiedKFold)
    scores = cross_val_score(clf, X, y, cv=5)
    assert scores.shape == (5,) and np.all((scores >= 0) & (scores <= 1))


def test_validation_split_is_stratified():
    X, y = _numeric(n=40)
    clf = LSTMClassifier(**dict(TINY, validation_fraction=0.25))
    labels = (y == "up").astype(int)
    train_idx, val_idx = validation_split(40, clf.validation_fraction, np.random.RandomState(0), labels)
    assert val_idx.size == 10 and train_idx.size == 30
    frac_up = (y == "up").mean()
    assert abs((y[val_idx] == "up").mean() - frac_up) <= 0.1


def test_text_architecture_layer_stack():
    rng = np.random.RandomState(0)
    tokens = rng.randint(1, 50, size=(24, 10))
    tokens[:, 7:] = 0  # padding
    y = rng.randint(0, 2, size=24)
    clf = LSTMClassifier(units=(128, 128), dropout=0.2, embedding_dim=32, epochs=1, batch_size=32,
                         validation_fraction=0.0, random_state=0).fit(tokens, y)
    assert _layers(clf) == ["InputLayer", "Embedding", "Dropout", "LSTM", "Dropout", "LSTM", "Dense"]
    emb = clf.model_.get_layer("embedding")
    assert emb.output_dim == 32 and emb.mask_zero and emb.input_dim == 50
    l1, l2 = clf.model_.get_layer("lstm_1"), clf.model_.get_layer("lstm_2")
    assert (l1.units, l1.return_sequences, l2.units, l2.return_sequences) == (128, True, 128, False)
    assert [clf.model_.get_layer(f"dropout_{i}").rate for i in (0, 1)] == [0.2, 0.2]
    assert clf.model_.layers[-1].activation.__name__ == "sigmoid"
    assert clf.model_.loss == "binary_crossentropy"
    assert type(clf.model_.optimizer).__name__ == "Adam"
    assert clf.predict_proba(tokens).shape == (24, 2)


def test_token_lists_of_variable_length_and_vocab_errors():
    rng = np.random.RandomState(0)
    seqs = [list(rng.randint(1, 20, size=t)) for t in rng.randint(2, 12, size=30)]
    y = np.array(["a", "b"] * 15)
    clf = LSTMClassifier(**dict(TINY, embedding_dim=4)).fit(seqs, y)
    assert clf.vocab_size_ == max(max(s) for s in seqs) + 1
    assert clf.n_timesteps_in_ is None
    # masking: trailing padding does not change the prediction
    p1 = clf.predict_proba([seqs[0]])
    p2 = clf.predict_proba([seqs[0] + [0, 0, 0]])
    np.testing.assert_allclose(p1, p2, rtol=1e-5)
    # vocab_size=None: ids beyond those seen in fit are read as the OOV id 1, with a warning
    with pytest.warns(UserWarning, match="read as the out-of-vocabulary id 1"):
        p_unseen = clf.predict_proba([[3, 2, 500]])
    np.testing.assert_allclose(p_unseen, clf.predict_proba([[3, 2, 1]]), rtol=1e-6)
    fixed = LSTMClassifier(**dict(TINY, embedding_dim=4, vocab_size=25)).fit(seqs, y)
    with pytest.raises(ValueError, match="vocab_size=25 allows ids 0..24"):
        fixed.predict([[1, 2, 500]])
    with pytest.raises(ValueError, match="token ids must be >= 0"):
        clf.predict([[1, -2, 3]])
    with pytest.raises(ValueError, match="must hold integer token ids"):
        LSTMClassifier(**dict(TINY, embedding_dim=4)).fit(rng.normal(size=(30, 5)), y)
    with pytest.raises(ValueError, match="vocab_size=10 allows ids 0..9"):
        LSTMClassifier(**dict(TINY, embedding_dim=4, vocab_size=10)).fit(seqs, y)
    with pytest.raises(ValueError, match="token ids: 2-D"):
        LSTMClassifier(**dict(TINY, embedding_dim=4)).fit(np.ones((30, 5, 2), dtype=int), y)


def test_tokenizer_pipeline_with_default_vocab_size_predicts_truncated_tokens():
    # Every training text is cut by max_length, so the tokenizer's rarest ids never reach
    # the classifier in fit; a new text holding them must still be predicted.
    from sklearn.pipeline import make_pipeline

    from tsforecast import SequenceTokenizer

    texts = ["xyz"[i % 3] + "ab" for i in range(20)]  # truncating="pre" keeps "ab"
    y = [i % 2 for i in range(20)]
    pipe = make_pipeline(SequenceTokenizer(max_length=2), LSTMClassifier(**dict(TINY, embedding_dim=4)))
    pipe.fit(texts, y)
    tok, clf = pipe[0], pipe[-1]
    assert tok.vocabulary_size_ > clf.vocab_size_  # x, y, z were truncated away in fit
    with pytest.warns(UserWarning, match="out-of-vocabulary"):
        proba = pipe.predict_proba(["xy", "ab"])
    assert proba.shape == (2, 2) and np.isfinite(proba).all()


def test_pipeline_with_tokenizer():
    from tsforecast.neural import tokenizer as tokenizer_mod
    from sklearn.pipeline import make_pipeline

    texts = ["good food", "bad service", "very good", "really bad", "good", "bad"] * 4
    y = [1, 0, 1, 0, 1, 0] * 4
    pipe = make_pipeline(tokenizer_mod.SequenceTokenizer(), LSTMClassifier(**dict(TINY, embedding_dim=4)))
    pipe.fit(texts, y)
    assert pipe.predict(["good stuff", "bad"]).shape == (2,)


def test_multivariate_variable_length_sequences():
    rng = np.random.RandomState(0)
    X = [rng.normal(size=(t, 3)) for t in rng.randint(3, 10, size=40)]
    y = np.array([int(s[:, 1].mean() > 0) for s in X])
    clf = LSTMClassifier(**TINY).fit(X, y)
    assert clf.n_features_in_ == 3
    assert clf.predict(X[:5]).shape == (5,)


def test_label_errors():
    X, y = _numeric()
    with pytest.raises(ValueError, match="only one class"):
        LSTMClassifier(**TINY).fit(X, np.ones(60))
    with pytest.raises(ValueError, match="Unknown label type"):
        LSTMClassifier(**TINY).fit(X, np.linspace(0, 1, 60))
    with pytest.raises(ValueError, match=r"label\(s\) \['sideways'\] not seen in fit"):
        LSTMClassifier(**TINY).fit(X, y, validation_data=(X[:2], ["up", "sideways"]))
    with pytest.raises(ValueError, match="requires y to be passed"):
        LSTMClassifier(**TINY).fit(X, None)

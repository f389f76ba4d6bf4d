"""Property-based tests (hypothesis) for the neural estimators and the transformers.

Valid input gives finite output of the right shape (and index); invalid input gives a
ValueError/TypeError/NotFittedError whose message names the problem. The networks are tiny
(2 units, 1 epoch, one gradient step) and the example counts small: these tests are about input
handling, not learning.
"""

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from _settings import examples, fixed_forecaster as Forecaster
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.exceptions import NotFittedError

from tsforecast import (
    LSTMClassifier,
    LSTMForecaster,
    LSTMRegressor,
    SequenceTokenizer,
    SlidingWindowTransformer,
)

# examples per test under the "ci" profile (derandomized: the same examples every run); see tests/_settings.py
NEURAL = examples(8)
FAST = examples(40)

NET = dict(units=2, epochs=1, batch_size=64, validation_fraction=0.0, early_stopping=False, random_state=0)

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
bad_values = st.sampled_from([np.nan, np.inf, -np.inf])


# ----------------------------------------------------------------------------- strategies
@st.composite
def sequences(draw, n_min=2):
    """Numeric sequences in every accepted form: 3-D, 2-D, or a list of (t,)/(t, F) arrays."""
    n = draw(st.integers(n_min, 10))
    form = draw(st.sampled_from(["3d", "2d", "ragged"]))
    F = 1 if form == "2d" else draw(st.integers(1, 3))
    dtype = draw(st.sampled_from(["float64", "float32", "int64"]))
    if form == "ragged":
        lengths = draw(st.lists(st.integers(1, 5), min_size=n, max_size=n))
        flat = F == 1 and draw(st.booleans())
        X = [draw(arrays(np.float64, (t,) if flat else (t, F), elements=finite)).astype(dtype) for t in lengths]
    else:
        T = draw(st.integers(1, 5))
        X = draw(arrays(np.float64, (n, T, F) if form == "3d" else (n, T), elements=finite)).astype(dtype)
    return X, form


@st.composite
def token_ids(draw):
    n = draw(st.integers(2, 10))
    if draw(st.booleans()):
        T = draw(st.integers(1, 6))
        dtype = draw(st.sampled_from(["int64", "int32", "uint8", "float64"]))
        return draw(arrays(np.int64, (n, T), elements=st.integers(0, 30))).astype(dtype)
    return [draw(st.lists(st.integers(0, 30), min_size=1, max_size=6)) for _ in range(n)]


def _labels(draw, n):
    pool = draw(st.sampled_from([[0, 1], [3, 7, 11], ["yes", "no"], ["北", "南", "东"], [True, False]]))
    labels = draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n))
    assume(len(set(labels)) >= 2)
    return np.array(labels)


def _n(X):
    return len(X)


# ----------------------------------------------------------------------------- LSTMRegressor
#: data magnitudes: the scaling is computed in float64, so tiny data (below float32's 1.2e-38, even
#: below 1e-154 where np.std underflows) is standardised in its own units; 1e30 keeps X and y in float32
magnitudes = st.sampled_from([1.0, 1e-300, 1e-160, 1e-40, 1e30])


def _times(X, factor):
    """``X`` (any accepted form) as float64 multiplied by ``factor``."""
    if isinstance(X, list):
        return [np.asarray(x, dtype=np.float64) * factor for x in X]
    return np.asarray(X, dtype=np.float64) * factor


@NEURAL
@given(data=st.data(), factor=magnitudes)
def test_regressor_valid_input_gives_finite_predictions(data, factor):
    X, form = data.draw(sequences())
    n = _n(X)
    multi = data.draw(st.booleans())
    y = data.draw(arrays(np.float64, (n, 2) if multi else (n,), elements=finite))
    reg = LSTMRegressor(**NET).fit(_times(X, factor), y * factor)
    pred = reg.predict(_times(X, factor))
    assert pred.shape == ((n, 2) if multi else (n,)) and pred.dtype == np.float64
    assert np.isfinite(pred).all()
    if factor != 1.0:  # the same network as on the unscaled data, its predictions in the data's units
        ref = LSTMRegressor(**NET).fit(X, y).predict(X)
        np.testing.assert_allclose(pred / factor, ref, rtol=1e-4, atol=1e-6 * (1 + np.abs(ref).max()))
    if form != "ragged":  # a sample's prediction does not depend on the rest of the batch (float32 noise aside)
        np.testing.assert_allclose(reg.predict(_times(X[:1], factor))[0] / factor, pred[0] / factor, rtol=1e-5,
                                   atol=1e-5 * (1 + np.abs(y).max()))


def _with_bad_value(X, pos, bad):
    X = np.array(X, dtype=np.float64)
    X.flat[pos % X.size] = bad
    return X


@NEURAL
@given(X=arrays(np.float64, st.tuples(st.integers(2, 6), st.integers(1, 4), st.integers(1, 2)), elements=finite),
       pos=st.integers(0, 100), bad=bad_values, where=st.sampled_from(["fit", "predict", "y"]))
def test_regressor_nan_inf_are_named(X, pos, bad, where):
    y = X.sum(axis=(1, 2))
    msg = "NaN" if np.isnan(bad) else "infinity"
    if where == "fit":
        with pytest.raises(ValueError, match=msg):
            LSTMRegressor(**NET).fit(_with_bad_value(X, pos, bad), y)
    elif where == "y":
        with pytest.raises(ValueError, match=f"y contains {msg}|Input y contains {msg}"):
            LSTMRegressor(**NET).fit(X, _with_bad_value(y, pos, bad))
    else:
        reg = LSTMRegressor(**NET).fit(X, y)
        with pytest.raises(ValueError, match=msg):
            reg.predict(_with_bad_value(X, pos, bad))


@NEURAL
@given(n=st.integers(2, 6), pos=st.integers(0, 5), item=st.sampled_from([None, 3.0, "abc"]))
def test_regressor_odd_item_in_a_list_of_sequences_is_named(n, pos, item):
    X = [np.arange(1.0, 2 + i) for i in range(n)]
    X[pos % n] = item
    with pytest.raises((ValueError, TypeError), match=rf"sequence {pos % n} of X|numeric|string to float|sequences"):
        LSTMRegressor(**NET).fit(X, np.arange(float(n)))


@pytest.mark.parametrize(
    "X, y, exc, msg",
    [
        (np.empty((0, 3, 2)), np.empty(0), ValueError, "0 sample"),
        (np.empty((4, 0, 2)), np.zeros(4), ValueError, "at least 1 time step"),
        (np.empty((4, 3, 0)), np.zeros(4), ValueError, "at least 1 feature"),
        (np.zeros(4), np.zeros(4), ValueError, "got 1-D input"),
        (np.zeros((4, 3, 2, 1)), np.zeros(4), ValueError, "got 4-D input"),
        (np.full((4, 3), "x"), np.zeros(4), ValueError, "string to float"),
        (np.zeros((4, 3)), np.array(["a", "b", "c", "d"]), ValueError, "string to float"),
        (np.zeros((4, 3)), np.zeros(3), ValueError, "X has 4 samples but y has 3"),
        (np.zeros((4, 3)), np.zeros((4, 2, 2)), ValueError, "dim 3"),
        (np.full((4, 3), 1e39), np.zeros(4), ValueError, re.escape("beyond the float32 range")),
        (np.zeros((4, 3)), np.full(4, 1e300) * [1, 2, 3, 4], ValueError, "y contains a value of magnitude 4e\\+300"),
        ([np.ones(3), np.ones(0)], [1.0, 2.0], ValueError, "sequence 1 of X is empty"),
        ([np.ones((2, 2, 2)), np.ones((3, 2, 2))], [1.0, 2.0], ValueError, "sequence 0 of X is a 3-D array"),
        ([np.ones(3), np.ones((2, 2))], [1.0, 2.0], ValueError, "mix 1-D"),
        ([1.0, [2.0, 3.0]], [1.0, 2.0], ValueError, "mixes numbers and sequences"),
    ],
    ids=["no-samples", "no-steps", "no-features", "1-D", "4-D", "strings", "string-y", "length-mismatch",
         "3-D-y", "huge-X", "huge-y", "empty-sequence", "3-D-sequences", "mixed-ndim",
         "numbers-and-lists"],
)
def test_regressor_invalid_input(X, y, exc, msg):
    with pytest.raises(exc, match=msg):
        LSTMRegressor(**NET).fit(X, y)


@pytest.mark.filterwarnings("ignore:overflow encountered in cast:RuntimeWarning")  # then the clear error
def test_regressor_predict_errors():
    X = np.random.RandomState(0).normal(size=(8, 4, 2))
    with pytest.raises(NotFittedError):
        LSTMRegressor(**NET).predict(X)
    reg = LSTMRegressor(**NET).fit(X * 1e-20, X.sum(axis=(1, 2)))
    with pytest.raises(ValueError, match=r"sample 0 of X is too far from the training data: .* reach 2.24e\+40"):
        reg.predict(X * 1e20)  # within float32 itself, but 1e40 standard deviations from the training data
    with pytest.raises(ValueError, match="expecting 2 features per time step"):
        reg.predict(X[:, :, :1])
    with pytest.raises(ValueError, match="fitted on sequences of 4 time steps"):
        reg.predict(X[:, :3])
    with pytest.raises(ValueError, match="0 sample"):
        reg.predict(X[:0])


# ----------------------------------------------------------------------------- LSTMClassifier
@NEURAL
@given(data=st.data())
def test_classifier_valid_input_gives_probabilities(data):
    X, _ = data.draw(sequences())
    labels = _labels(data.draw, _n(X))
    clf = LSTMClassifier(**NET).fit(X, labels)
    proba = clf.predict_proba(X)
    assert proba.shape == (_n(X), len(set(labels.tolist())))
    assert np.isfinite(proba).all() and (proba >= 0).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    pred = clf.predict(X)
    assert pred.dtype == labels.dtype and set(pred.tolist()) <= set(labels.tolist())


@NEURAL
@given(data=st.data())
def test_classifier_token_ids_give_probabilities(data):
    X = data.draw(token_ids())
    labels = _labels(data.draw, len(X))
    clf = LSTMClassifier(**NET, embedding_dim=2).fit(X, labels)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), clf.classes_.size) and np.isfinite(proba).all()
    # ids never seen in fit are read as the out-of-vocabulary id 1, with a warning
    v = clf.vocab_size_ + 5
    T = clf.n_timesteps_in_  # equal-length lists are fixed-length too
    unseen = [[v], [v, 1]] if T is None else np.full((2, T), v)
    with pytest.warns(UserWarning, match="beyond the ids seen in fit"):
        assert np.isfinite(clf.predict_proba(unseen)).all()


@pytest.mark.parametrize(
    "y, exc, msg",
    [
        (np.where(np.arange(6) > 2, np.nan, 1.0), ValueError, "NaN"),
        (np.linspace(0, 1, 6), ValueError, "continuous"),
        (np.array(["a"] * 6), ValueError, "only one class"),
        (np.array([None, "a"] * 3, dtype=object), ValueError, "Unknown label type"),
        (np.zeros((6, 2)), ValueError, "1d array"),
    ],
    ids=["nan-labels", "continuous", "one-class", "none-labels", "2-D"],
)
def test_classifier_invalid_labels(y, exc, msg):
    X = np.random.RandomState(0).normal(size=(6, 3))
    with pytest.raises(exc, match=msg):
        LSTMClassifier(**NET).fit(X, y)


@NEURAL
@given(unseen=st.sampled_from([["zzz", "a"], [0, 1], [1.5, 2.5], [None, "a"]]))
def test_classifier_unseen_label_in_validation_data_is_named(unseen):
    X = np.random.RandomState(0).normal(size=(6, 3))
    with pytest.raises(ValueError, match=r"not seen in fit; classes are \['a', 'b'\]|Unknown label type"):
        LSTMClassifier(**NET).fit(X, ["a", "b"] * 3, validation_data=(X[:2], np.array(unseen, dtype=object)))


@pytest.mark.parametrize(
    "X, msg",
    [
        (np.full((6, 4), 0.5), "integer token ids; got dtype float64"),
        (-np.ones((6, 4), dtype=int), "token ids must be >= 0"),
        (np.where(np.eye(6, 4) > 0, np.nan, 1.0), "NaN"),
        (np.full((6, 4), np.inf), "infinity"),
        (np.full((6, 4), "w"), "integer token ids; got dtype <U1"),
        (np.ones((6, 4, 1), dtype=int), "got a 3-D array"),
        (np.full((6, 4), 10**13), "beyond the largest id the network reads"),
        (np.full((6, 4), 1e20), "beyond the largest id the network reads"),
        ([[1, 2], [], [3]] * 2, "sequence 1 of X is empty"),
    ],
    ids=["fractional", "negative", "nan", "inf", "strings", "3-D", "huge-ids", "huge-float-ids", "empty-sequence"],
)
def test_classifier_invalid_token_ids(X, msg):
    with pytest.raises(ValueError, match=msg):
        LSTMClassifier(**NET, embedding_dim=2).fit(X, ["a", "b"] * 3)


def test_classifier_vocab_size_limits():
    X = np.arange(24).reshape(6, 4) % 5
    with pytest.raises(ValueError, match=re.escape("X contains token id 4 but vocab_size=3 allows ids 0..2")):
        LSTMClassifier(**NET, embedding_dim=2, vocab_size=3).fit(X, ["a", "b"] * 3)
    with pytest.raises(ValueError, match=r"vocab_size=10000000000 with embedding_dim=4 needs an embedding of 4e\+10"):
        LSTMClassifier(**NET, embedding_dim=4, vocab_size=10**10).fit(X, ["a", "b"] * 3)
    clf = LSTMClassifier(**NET, embedding_dim=2, vocab_size=6).fit(X, ["a", "b"] * 3)
    with pytest.raises(ValueError, match="X contains token id 9 but vocab_size=6"):
        clf.predict(X + 5)
    with pytest.raises(NotFittedError):
        LSTMClassifier(**NET).predict(X)


# ----------------------------------------------------------------------------- LSTMForecaster
def _index(kind, n):
    return {
        "period": pd.period_range("2000-01", periods=n, freq="M"),
        "naive": pd.date_range("2000-01-01", periods=n, freq="D"),
        "tz": pd.date_range("2000-01-01", periods=n, freq="h", tz="Europe/Paris"),
        "range": pd.RangeIndex(n),
    }[kind]


@NEURAL
@given(data=st.data(), window=st.integers(1, 6), horizon=st.integers(1, 3),
       strategy=st.sampled_from(["multioutput", "recursive"]), normalize=st.sampled_from(["window", "last", "series", None]),
       difference=st.integers(0, 1), kind=st.sampled_from(["array", "period", "naive", "tz", "range"]),
       dtype=st.sampled_from(["float64", "float32", "int64"]), factor=magnitudes)
def test_forecaster_valid_series_give_finite_forecasts(data, window, horizon, strategy, normalize, difference,
                                                       kind, dtype, factor):
    out_len = horizon if strategy == "multioutput" else 1
    n = data.draw(st.integers(window + out_len + difference, 40), label="n")
    v0 = data.draw(arrays(np.float64, n, elements=finite), label="values").astype(dtype)
    v = v0 if factor == 1.0 else v0.astype(np.float64) * factor
    y = v if kind == "array" else pd.Series(v, index=_index(kind, n), name="y")
    params = dict(window=window, horizon=horizon, strategy=strategy, normalize=normalize, difference=difference,
                  **NET)
    f = Forecaster(**params).fit(y)
    try:
        p = f.predict()
    except ValueError as e:  # e.g. [0, 3e-263, 1]: the last window is 1e256 sd from the (only) training window
        assert re.match(r"a window of y to forecast from is too far from the training windows", str(e))
        return
    assert np.shape(p) == (horizon,) and np.isfinite(np.asarray(p, dtype=float)).all()
    if factor != 1.0 and normalize not in ("window", "last"):  # (they floor tiny windows' scale at 1e-6: not equivariant)
        ref = Forecaster(**params).fit(v0).predict()
        q = np.asarray(p, dtype=float) / factor
        np.testing.assert_allclose(q, ref, rtol=1e-4, atol=1e-6 * (1 + np.abs(v0.astype(float)).max()))
    if kind == "array":
        assert isinstance(p, np.ndarray)
    else:
        assert isinstance(p, pd.Series) and p.index[0] > y.index[-1]
        pd.testing.assert_index_equal(p.index, _index(kind, n + horizon)[n:], check_names=False, exact=False)


@NEURAL
@given(v=arrays(np.float64, st.integers(30, 50), elements=finite), coverage=st.floats(0.5, 0.95), factor=magnitudes,
       normalize=st.sampled_from(["window", "last", "series", None]), refit=st.booleans())
def test_forecaster_intervals_are_finite_and_ordered(v, coverage, factor, normalize, refit):
    v = v * factor
    f = Forecaster(window=4, horizon=2, normalize=normalize, refit=refit, **dict(NET, validation_fraction=0.3)).fit(v)
    iv = f.predict_interval(coverage=coverage)
    p = f.predict()
    assert iv.shape == (2, 2) and np.isfinite(iv.to_numpy()).all()
    tol = 1e-9 * np.abs(v).max()
    assert (iv["lower"].to_numpy() <= p + tol).all() and (p <= iv["upper"].to_numpy() + tol).all()


def _flat_with_blips(level, tiny, at_one):
    v = np.full(30, level)
    v[0], v[at_one] = tiny, 1.0
    return v


@pytest.mark.filterwarnings("error::RuntimeWarning")
@pytest.mark.parametrize("v", [_flat_with_blips(0.0, 5.8e-197, 19), _flat_with_blips(0.0, 9.9e-164, 20),
                               _flat_with_blips(1.1e-308, 0.0, 28)])
def test_forecaster_flat_training_windows_with_tiny_blip(v):
    # found by randomized runs of the test above: the training windows' normalised features varied by
    # ~1e-190, so a validation window or the last window holding the 1.0 became 1e190 standard deviations
    # (or the validation targets overflowed float32); the inner regressor's scale now has a floor: 1e-6 of
    # each feature's spread over the training, validation and last windows
    f = Forecaster(window=4, horizon=2, normalize="window", **dict(NET, validation_fraction=0.3)).fit(v)
    iv = f.predict_interval(coverage=0.5)
    assert np.isfinite(iv.to_numpy()).all() and np.isfinite(f.predict()).all()
    assert (iv["lower"].to_numpy() <= iv["upper"].to_numpy()).all()


def test_regressor_validation_data_beyond_float32_after_scaling_is_named():
    X = np.zeros((20, 3, 1))
    X[0, 0, 0] = 1e-200  # training features and targets hardly vary
    y = np.zeros(20)
    y[0] = 1e-200
    with pytest.raises(ValueError, match="validation targets are too far from the training targets"):
        LSTMRegressor(**NET).fit(X, y, validation_data=(X[:2], np.array([1.0, 0.0])))
    with pytest.raises(ValueError, match="validation samples of X are too far"):
        LSTMRegressor(**NET).fit(X, y, validation_data=(np.ones((2, 3, 1)), np.zeros(2)))


@NEURAL
@given(v=arrays(np.float64, st.integers(12, 30), elements=finite), pos=st.integers(0, 11), bad=bad_values)
def test_forecaster_nan_and_inf_are_named(v, pos, bad):
    v = v.copy()
    v[pos] = bad
    with pytest.raises(ValueError, match="missing value|infinite"):
        Forecaster(window=4, **NET).fit(v)


@NEURAL
@given(window=st.integers(1, 8), horizon=st.integers(1, 4), short=st.integers(1, 4))
def test_forecaster_too_short_series_states_the_lengths(window, horizon, short):
    n = max(window + horizon - short, 1)
    with pytest.raises(ValueError, match=rf"has {n} observations.* at least {window + horizon}"):
        Forecaster(window=window, horizon=horizon, **NET).fit(np.arange(float(n)))


@pytest.mark.parametrize(
    "y, exc, msg",
    [
        (np.array([]), ValueError, "empty"),
        (np.array(["a"] * 20), TypeError, "numeric"),
        (pd.Series(np.arange(20.0), index=pd.date_range("2000", periods=20, freq="D")[::-1]), ValueError, "sorted"),
        (np.full(20, np.nan), ValueError, "missing"),
        (np.ones((20, 2)), ValueError, "1-D"),
    ],
    ids=["empty", "strings", "unsorted", "all-nan", "2-D-array"],
)
def test_forecaster_invalid_series(y, exc, msg):
    with pytest.raises(exc, match=msg):
        Forecaster(window=4, **NET).fit(y)


def test_forecaster_invalid_predict_requests():
    with pytest.raises(NotFittedError):
        Forecaster(window=4, **NET).predict()
    f = Forecaster(window=4, horizon=2, **NET).fit(np.sin(np.arange(30.0)))
    assert len(f.predict(5)) == 5  # beyond the trained horizon: forecasts fed back
    with pytest.raises(ValueError, match="validation_fraction=0"):
        f.predict_interval()
    with pytest.raises(ValueError):
        f.predict(0)


# ----------------------------------------------------------------------------- SlidingWindowTransformer
@FAST
@given(T=st.integers(1, 30), k=st.integers(0, 3), window=st.integers(1, 8), step=st.integers(1, 3),
       output=st.sampled_from(["2d", "3d"]), data=st.data())
def test_sliding_windows_shape_and_content(T, k, window, step, output, data):
    X = data.draw(arrays(np.float64, (T,) if k == 0 else (T, k), elements=finite))
    tr = SlidingWindowTransformer(window=window, step=step, output=output).fit(X)
    if T < window:
        with pytest.raises(ValueError, match=rf"series has {T} observations; window={window} needs at least"):
            tr.transform(X)
        return
    W = tr.transform(X)
    n, feats = (T - window) // step + 1, max(k, 1)
    assert W.shape == ((n, window, feats) if output == "3d" else (n, window * feats))
    X2 = X.reshape(T, feats)
    last = W.reshape(n, window, feats)[-1]
    np.testing.assert_array_equal(last, X2[T - window:])  # windows are aligned to the end of the series


@FAST
@given(T=st.integers(3, 20), pos=st.integers(0, 19), bad=bad_values)
def test_sliding_windows_nan_inf_are_named(T, pos, bad):
    X = np.arange(float(T))
    X[pos % T] = bad
    with pytest.raises(ValueError, match="NaN" if np.isnan(bad) else "infinity"):
        SlidingWindowTransformer(window=2).fit(X)


@pytest.mark.parametrize(
    "X, exc, msg",
    [
        (np.array([]), ValueError, "0 sample"),
        ([], ValueError, "0 sample"),
        ([None, 1.0, 2.0], ValueError, "NaN"),
        (np.array(["a", "b", "c"]), ValueError, "string to float"),
        (np.ones((3, 2, 2)), ValueError, "dim 3"),
        ([[1.0, 2.0], [3.0]], ValueError, "rows have different lengths"),
        (np.ones((5, 0)), ValueError, "0 feature"),
    ],
    ids=["empty", "empty-list", "none", "strings", "3-D", "ragged", "no-columns"],
)
def test_sliding_windows_invalid_input(X, exc, msg):
    with pytest.raises(exc, match=msg):
        SlidingWindowTransformer(window=2).fit(X)


def test_sliding_windows_transform_errors():
    with pytest.raises(NotFittedError):
        SlidingWindowTransformer(window=2).transform(np.ones(5))
    tr = SlidingWindowTransformer(window=2).fit(np.ones((5, 2)))
    with pytest.raises(ValueError, match="X has 3 features, but SlidingWindowTransformer is expecting 2"):
        tr.transform(np.ones((5, 3)))


# ----------------------------------------------------------------------------- SequenceTokenizer
texts = st.lists(st.text(max_size=12), min_size=1, max_size=8)


@FAST
@given(X=texts, analyzer=st.sampled_from(["char", "word"]), max_length=st.none() | st.integers(1, 8),
       padding=st.sampled_from(["pre", "post"]), truncating=st.sampled_from(["pre", "post"]))
def test_tokenizer_valid_texts(X, analyzer, max_length, padding, truncating):
    tok = SequenceTokenizer(analyzer=analyzer, max_length=max_length, padding=padding, truncating=truncating)
    n_tokens = sum(len(t) for t in tok._split(X))
    if n_tokens == 0:  # only empty (or, for "word", punctuation-only) texts
        with pytest.raises(ValueError, match="no vocabulary"):
            tok.fit(X)
        return
    ids = tok.fit_transform(X)
    assert ids.dtype == np.int32 and ids.shape == (len(X), tok.max_length_)
    assert ids.min() >= 0 and ids.max() < tok.vocabulary_size_
    np.testing.assert_array_equal(tok.transform(X), ids)
    assert 1 not in ids  # every token of the training texts is in the vocabulary
    unseen = tok.transform(["\U0001F600" * 3, ""])  # unseen emoji -> out-of-vocabulary id, "" -> padding
    assert unseen.shape == (2, tok.max_length_) and set(np.unique(unseen)) <= {0, 1}


@FAST
@given(X=st.lists(st.text(min_size=1, max_size=10), min_size=1, max_size=6))
def test_tokenizer_round_trip(X):
    tok = SequenceTokenizer(lowercase=False, max_length=10).fit(X)
    assert tok.inverse_transform(tok.transform(X)) == [list(t) for t in X]


@FAST
@given(X=texts, pos=st.integers(0, 7),
       item=st.sampled_from([None, 3, 2.5, float("nan"), b"bytes", ["a"], np.int64(1)]))
def test_tokenizer_non_string_item_is_named(X, pos, item):
    X = list(X)
    i = pos % len(X)
    X[i] = item
    with pytest.raises(TypeError, match=rf"X\[{i}\] is .* every sample must be a str"):
        SequenceTokenizer().fit(X)


@pytest.mark.parametrize(
    "X, exc, msg",
    [
        ("a single text", TypeError, "got a single str"),
        ([], ValueError, "X is empty"),
        (np.array([["a", "b"]]), ValueError, "X must be 1-D"),
        (pd.Series(["a", None]), TypeError, r"X\[1\] is (None|nan)"),
        (5, TypeError, "iterable of texts"),
        (["", ""], ValueError, "no vocabulary"),
    ],
    ids=["str", "empty", "2-D", "series-with-none", "number", "only-empty-texts"],
)
def test_tokenizer_invalid_input(X, exc, msg):
    with pytest.raises(exc, match=msg):
        SequenceTokenizer().fit(X)


def test_tokenizer_invalid_transform_requests():
    with pytest.raises(NotFittedError):
        SequenceTokenizer().transform(["a"])
    tok = SequenceTokenizer().fit(["ab"])
    with pytest.raises(ValueError, match="2-D array of integer ids"):
        tok.inverse_transform(np.array([1, 2]))
    with pytest.raises(ValueError, match=re.escape("ids must lie in [0, 4); got 9")):
        tok.inverse_transform(np.array([[9]]))
    with pytest.raises(TypeError, match=r"X\[0\] is None"):
        tok.transform([None])


def test_no_warnings_on_valid_tiny_fits():
    # the tiny settings used above are valid use: nothing to warn about
    X = np.random.RandomState(0).normal(size=(6, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        LSTMRegressor(**NET).fit(X, X.sum(axis=1)).predict(X)

import pickle
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline

from tsforecast.neural.tokenizer import OOV_ID, PADDING_ID, SequenceTokenizer

TEXTS = ["the cat sat", "the dog sat down", "a cat"]


def upper_words(text):
    """A module-level (picklable) analyzer."""
    return text.upper().split()


def test_fit_returns_self_and_sets_attributes():
    tok = SequenceTokenizer()
    assert tok.fit(TEXTS) is tok
    assert tok.max_length_ == len("the dog sat down")
    assert tok.vocabulary_size_ == len(tok.vocabulary_) + 2
    assert min(tok.vocabulary_.values()) == 2
    assert sorted(tok.vocabulary_.values()) == list(range(2, tok.vocabulary_size_))


def test_vocabulary_most_frequent_first_ties_by_token():
    tok = SequenceTokenizer(analyzer="word").fit(["b a b", "c a b"])
    # b x3, a x2, c x1
    assert tok.vocabulary_ == {"b": 2, "a": 3, "c": 4}
    # order of the texts does not matter
    tok2 = SequenceTokenizer(analyzer="word").fit(["c a b", "b a b"])
    assert tok2.vocabulary_ == tok.vocabulary_
    tied = SequenceTokenizer(analyzer="word").fit(["z y x"])
    assert tied.vocabulary_ == {"x": 2, "y": 3, "z": 4}


def test_transform_shape_dtype_and_padding_pre():
    tok = SequenceTokenizer(analyzer="word").fit(TEXTS)
    Xt = tok.transform(TEXTS)
    assert Xt.dtype == np.int32
    assert Xt.shape == (3, 4)
    v = tok.vocabulary_
    np.testing.assert_array_equal(Xt[2], [0, 0, v["a"], v["cat"]])
    np.testing.assert_array_equal(Xt[1], [v["the"], v["dog"], v["sat"], v["down"]])


def test_padding_post_and_oov():
    tok = SequenceTokenizer(analyzer="word", padding="post").fit(TEXTS)
    Xt = tok.transform(["a bird"])
    np.testing.assert_array_equal(Xt, [[tok.vocabulary_["a"], OOV_ID, PADDING_ID, PADDING_ID]])


@pytest.mark.parametrize(
    "truncating, expected", [("pre", ["c", "d", "e"]), ("post", ["a", "b", "c"])]
)
def test_truncating(truncating, expected):
    tok = SequenceTokenizer(max_length=3, truncating=truncating).fit(["abcde"])
    Xt = tok.transform(["abcde"])
    assert Xt.shape == (1, 3)
    assert tok.inverse_transform(Xt) == [expected]


def test_max_length_none_is_capped():
    from tsforecast.neural.tokenizer import AUTO_MAX_LENGTH

    tok = SequenceTokenizer().fit(["x" * (AUTO_MAX_LENGTH + 50), "y"])
    assert tok.max_length_ == AUTO_MAX_LENGTH
    assert tok.transform(["x" * 5000]).shape == (1, AUTO_MAX_LENGTH)


def test_max_tokens_counts_padding_and_oov():
    tok = SequenceTokenizer(analyzer="word", max_tokens=4).fit(["b a b", "c a b"])
    assert tok.vocabulary_ == {"b": 2, "a": 3}
    assert tok.vocabulary_size_ == 4
    assert tok.transform(["c a b"]).max() < 4
    np.testing.assert_array_equal(tok.transform(["c a b"]), [[OOV_ID, 3, 2]])


def test_min_freq():
    tok = SequenceTokenizer(analyzer="word", min_freq=2).fit(["b a b", "c a b"])
    assert set(tok.vocabulary_) == {"a", "b"}


def test_lowercase():
    assert set(SequenceTokenizer(analyzer="word").fit(["Cat CAT"]).vocabulary_) == {"cat"}
    assert set(SequenceTokenizer(analyzer="word", lowercase=False).fit(["Cat CAT"]).vocabulary_) == {
        "Cat",
        "CAT",
    }


def test_word_analyzer_drops_punctuation_char_keeps_it():
    assert set(SequenceTokenizer(analyzer="word").fit(["hi, there!"]).vocabulary_) == {"hi", "there"}
    assert "," in SequenceTokenizer(analyzer="char").fit(["hi, there!"]).vocabulary_


def test_chinese_char_analyzer():
    tok = SequenceTokenizer(max_length=6).fit(["很好", "不好"])
    assert tok.vocabulary_["好"] == 2
    assert tok.transform(["好不好"]).tolist() == [[0, 0, 0, 2, tok.vocabulary_["不"], 2]]


def test_callable_analyzer_and_pickle():
    tok = SequenceTokenizer(analyzer=upper_words).fit(["a b", "b c"])
    assert tok.vocabulary_ == {"B": 2, "A": 3, "C": 4}
    restored = pickle.loads(pickle.dumps(tok))
    np.testing.assert_array_equal(restored.transform(["c a"]), tok.transform(["c a"]))


def jieba_cut(text):
    """Picklable wrapper around jieba.lcut (a bound method, not picklable itself)."""
    import jieba

    return jieba.lcut(text)


def test_jieba_analyzer():
    jieba = pytest.importorskip("jieba")
    texts = ["我喜欢这本书", "这本书不好"]
    tok = SequenceTokenizer(analyzer=jieba.lcut).fit(texts)
    assert set(tok.vocabulary_) == set(jieba.lcut(texts[0])) | set(jieba.lcut(texts[1]))
    assert tok.max_length_ == max(len(jieba.lcut(t)) for t in texts)
    wrapped = SequenceTokenizer(analyzer=jieba_cut).fit(texts)
    restored = pickle.loads(pickle.dumps(wrapped))
    np.testing.assert_array_equal(restored.transform(texts), tok.transform(texts))


def test_callable_returning_string_is_rejected():
    tok = SequenceTokenizer(analyzer=lambda s: s.upper())
    with pytest.raises(TypeError, match=re.escape("analyzer must return a list of tokens; it returned str for X[0]")):
        tok.fit(["ab"])


def test_array_and_series_input():
    tok = SequenceTokenizer().fit(np.array(TEXTS))
    expected = tok.transform(TEXTS)
    np.testing.assert_array_equal(tok.transform(pd.Series(TEXTS, index=[10, 20, 30])), expected)
    np.testing.assert_array_equal(tok.transform(iter(TEXTS)), expected)


@pytest.mark.parametrize(
    "X, msg",
    [
        (["ok", None], "X[1] is None (NoneType); every sample must be a str"),
        (["ok", "fine", 3.5], "X[2] is 3.5 (float); every sample must be a str"),
        ([1, 2], "X[0] is 1 (int); every sample must be a str"),
        (pd.Series(["a", np.nan]), "X[1] is nan (float)"),
        ("just one text", "got a single str. Wrap it in a list"),
        (5, "X must be an iterable of texts (one str per sample); got int"),
    ],
)
def test_non_string_input_named(X, msg):
    with pytest.raises(TypeError, match=re.escape(msg)):
        SequenceTokenizer().fit(X)


def test_non_string_input_in_transform():
    tok = SequenceTokenizer().fit(TEXTS)
    with pytest.raises(TypeError, match=re.escape("X[1] is None")):
        tok.transform(["a", None])


def test_empty_input():
    with pytest.raises(ValueError, match=re.escape("X is empty; SequenceTokenizer needs at least one text.")):
        SequenceTokenizer().fit([])


def test_no_tokens():
    with pytest.raises(ValueError, match=re.escape("no vocabulary: the 2 texts give 0 tokens")):
        SequenceTokenizer().fit(["", ""])
    with pytest.raises(ValueError, match=re.escape("none seen at least min_freq=2 times")):
        SequenceTokenizer(min_freq=2).fit(["abc"])


def test_two_d_input_rejected():
    with pytest.raises(ValueError, match=re.escape("X must be 1-D (one text per sample); got 2-D input of shape (2, 1)")):
        SequenceTokenizer().fit(np.array([["a"], ["b"]]))


def test_transform_before_fit():
    with pytest.raises(NotFittedError):
        SequenceTokenizer().transform(TEXTS)


@pytest.mark.parametrize(
    "params, msg",
    [
        ({"analyzer": "chars"}, "'analyzer' parameter"),
        ({"max_length": 0}, "'max_length' parameter"),
        ({"max_tokens": 2}, "'max_tokens' parameter"),
        ({"padding": "left"}, "'padding' parameter"),
        ({"truncating": "both"}, "'truncating' parameter"),
        ({"min_freq": 0}, "'min_freq' parameter"),
    ],
)
def test_invalid_params(params, msg):
    with pytest.raises(ValueError, match=re.escape(msg)):
        SequenceTokenizer(**params).fit(TEXTS)


def test_clone_get_set_params():
    tok = SequenceTokenizer(analyzer="word", max_length=7, max_tokens=100, padding="post", min_freq=2)
    params = tok.get_params()
    assert params == {
        "analyzer": "word",
        "max_length": 7,
        "max_tokens": 100,
        "lowercase": True,
        "padding": "post",
        "truncating": "pre",
        "min_freq": 2,
    }
    c = clone(tok.fit(TEXTS * 2))
    assert c.get_params() == params
    assert not hasattr(c, "vocabulary_")
    assert c.set_params(max_length=3) is c
    assert c.fit(TEXTS).transform(TEXTS).shape == (3, 3)


def test_pickle_roundtrip_and_determinism():
    tok = SequenceTokenizer(max_length=10).fit(TEXTS)
    restored = pickle.loads(pickle.dumps(tok))
    assert restored.vocabulary_ == tok.vocabulary_
    np.testing.assert_array_equal(restored.transform(TEXTS), tok.transform(TEXTS))
    np.testing.assert_array_equal(SequenceTokenizer(max_length=10).fit(TEXTS).transform(TEXTS), tok.transform(TEXTS))


def test_fit_transform_equals_fit_then_transform():
    a = SequenceTokenizer(analyzer="word").fit_transform(TEXTS)
    b = SequenceTokenizer(analyzer="word").fit(TEXTS).transform(TEXTS)
    np.testing.assert_array_equal(a, b)


def test_inverse_transform_validation():
    tok = SequenceTokenizer().fit(["ab"])
    with pytest.raises(ValueError, match=re.escape("ids must lie in [0, 4); got 9")):
        tok.inverse_transform([[0, 9]])
    with pytest.raises(ValueError, match="2-D array of integer ids"):
        tok.inverse_transform([0.5, 1.0])


def test_in_pipeline_and_tags():
    from sklearn.linear_model import LogisticRegression

    pipe = make_pipeline(SequenceTokenizer(max_length=5), LogisticRegression())
    pipe.fit(["aaa", "bbb", "aab", "bba"], [0, 1, 0, 1])
    assert pipe.predict(["aaa"]).shape == (1,)
    tags = SequenceTokenizer().__sklearn_tags__()
    assert tags.input_tags.string and not tags.input_tags.two_d_array


def test_import_does_not_load_keras():
    code = (
        "import sys, tsforecast.neural.tokenizer as t; "
        "t.SequenceTokenizer().fit(['ab']).transform(['ab']); "
        "print(sorted(m for m in ('keras', 'tensorflow') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_pipeline_with_lstm_classifier():
    pytest.importorskip("keras")
    from tsforecast.neural import LSTMClassifier

    texts = ["好评 很好", "很好 喜欢", "差评 不好", "不好 失望"] * 4
    labels = [1, 1, 0, 0] * 4
    pipe = make_pipeline(
        SequenceTokenizer(max_length=6, max_tokens=20),
        LSTMClassifier(units=4, embedding_dim=4, vocab_size=20, epochs=2, validation_fraction=0.0, random_state=0),
    )
    pipe.fit(texts, labels)
    proba = pipe.predict_proba(["很好", "从没见过的字"])
    assert proba.shape == (2, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert set(pipe.predict(texts).tolist()) <= {0, 1}
    restored = pickle.loads(pickle.dumps(pipe))
    np.testing.assert_allclose(restored.predict_proba(texts), pipe.predict_proba(texts), rtol=1e-5)


def test_public_names():
    import tsforecast
    from tsforecast import neural

    assert tsforecast.SequenceTokenizer is SequenceTokenizer
    assert neural.SequenceTokenizer is SequenceTokenizer

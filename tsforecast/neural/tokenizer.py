"""Turn texts into fixed-length sequences of integer token ids.

:class:`SequenceTokenizer` is the text front end of a sequence classifier:
``make_pipeline(SequenceTokenizer(), LSTMClassifier(embedding_dim=32))``.
It has no TensorFlow/Keras dependency (pure Python and NumPy).
"""

from __future__ import annotations

import re
from collections import Counter
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ..utils._sklearn import Interval, StrOptions, fit_context

__all__ = ["SequenceTokenizer", "PADDING_ID", "OOV_ID", "OOV_TOKEN"]

#: Id used to pad short sequences.
PADDING_ID = 0
#: Id of tokens not in the vocabulary (unseen in ``fit``, too rare, or beyond ``max_tokens``).
OOV_ID = 1
#: What :meth:`SequenceTokenizer.inverse_transform` shows for :data:`OOV_ID`.
OOV_TOKEN = "[UNK]"
#: With ``max_length=None`` the length is the longest fitted sequence, at most this.
AUTO_MAX_LENGTH = 1000

_WORD_RE = re.compile(r"(?u)\b\w+\b")


def _check_texts(X):
    """Return ``X`` as a list of str, or raise an error naming the offending item."""
    if isinstance(X, (str, bytes)):
        raise TypeError(
            f"X must be an iterable of texts (one str per sample); got a single {type(X).__name__}. "
            "Wrap it in a list: [text]."
        )
    ndim = getattr(X, "ndim", 1)
    if ndim != 1:
        raise ValueError(
            f"X must be 1-D (one text per sample); got {ndim}-D input of shape {getattr(X, 'shape', '?')}. "
            "Pass a single column, e.g. df['text']."
        )
    try:
        texts = list(X)
    except TypeError:
        raise TypeError(
            f"X must be an iterable of texts (one str per sample); got {type(X).__name__}."
        ) from None
    if not texts:
        raise ValueError("X is empty; SequenceTokenizer needs at least one text.")
    for i, item in enumerate(texts):
        if not isinstance(item, str):
            shown = repr(item)
            if len(shown) > 60:
                shown = shown[:57] + "..."
            raise TypeError(
                f"X[{i}] is {shown} ({type(item).__name__}); every sample must be a str. "
                "Drop or fill missing texts and convert other values with str() first."
            )
    return texts


class SequenceTokenizer(TransformerMixin, BaseEstimator):
    """Encode texts as padded/truncated sequences of integer token ids.

    ``fit`` learns a vocabulary (most frequent tokens first); ``transform``
    maps each text to ``max_length_`` ids, ready for an embedding layer such
    as ``LSTMClassifier(embedding_dim=...)``. Id ``0`` is padding, id ``1``
    stands for any out-of-vocabulary token, and the vocabulary's tokens get
    ids ``2, 3, ...`` in order of decreasing frequency (ties broken by the
    token's sort order, so the result does not depend on the order of the
    texts).

    Parameters
    ----------
    analyzer : {"char", "word"} or callable, default="char"
        How a text is split into tokens. ``"char"``: every character,
        whitespace and punctuation included (suits Chinese and Japanese);
        ``"word"``: runs of word characters (regex ``\\w+``), punctuation
        dropped (a run of Chinese characters is a single "word" here: use a
        segmenter instead); a callable: called with one text, returns a list
        of tokens (e.g. ``jieba.lcut`` for Chinese words). To pickle the
        fitted tokenizer (or a pipeline holding it) the callable must itself
        be picklable: a module-level function, not a lambda or a bound method
        such as ``jieba.lcut``; wrap it: ``def cut(text): return jieba.lcut(text)``.
    max_length : int, default=None
        Length of every output sequence. Shorter sequences are padded with
        ``0`` and longer ones are truncated (see ``truncating``), so tokens
        beyond ``max_length`` are dropped. ``None``: the longest sequence
        seen in ``fit``, capped at ``AUTO_MAX_LENGTH`` (1000) tokens.
    max_tokens : int, default=None
        Size of the id space, counting the padding id and the
        out-of-vocabulary id (as Keras' ``TextVectorization``): at most
        ``max_tokens - 2`` tokens, the most frequent, are kept and every id is
        below ``max_tokens``. ``None``: keep every token seen at least
        ``min_freq`` times. At least 3.
    lowercase : bool, default=True
        Lowercase texts before splitting them (also before a callable analyzer).
    padding : {"pre", "post"}, default="pre"
        Pad short sequences at the start (``"pre"``, so the last token is
        next to the end of the sequence, where a recurrent network reads it
        last) or at the end.
    truncating : {"pre", "post"}, default="pre"
        Drop the start (``"pre"``: keep the last ``max_length`` tokens) or the
        end (``"post"``: keep the first ones) of long sequences.
    min_freq : int, default=1
        Tokens seen fewer times than this in ``fit`` are out of vocabulary.

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Token to id (ids from 2; 0 and 1 are padding and out-of-vocabulary).
    vocabulary_size_ : int
        Number of distinct ids, ``len(vocabulary_) + 2``: the ``input_dim``
        of an embedding layer fed by this tokenizer.
    max_length_ : int
        Length of the sequences ``transform`` returns.

    See Also
    --------
    tsforecast.neural.LSTMClassifier : takes these sequences with ``embedding_dim`` set.

    Notes
    -----
    The output is always an ``int32`` NumPy array; ``set_output`` (pandas or
    polars output) is not supported, because the columns are positions in a
    sequence, not features (``get_feature_names_out`` is not defined either).
    Use :meth:`inverse_transform` to see the tokens a model receives.

    Examples
    --------
    >>> from tsforecast import SequenceTokenizer
    >>> tok = SequenceTokenizer(max_length=4).fit(["good", "bad food"])
    >>> tok.vocabulary_["o"], tok.vocabulary_["d"]
    (2, 3)
    >>> tok.transform(["dot", "a good dog"])  # "t" unseen -> 1; long text keeps its end
    array([[0, 3, 2, 1],
           [4, 3, 2, 8]], dtype=int32)
    >>> tok.inverse_transform(tok.transform(["dot"]))
    [['d', 'o', '[UNK]']]
    """

    _parameter_constraints = {
        "analyzer": [StrOptions({"char", "word"}), callable],
        "max_length": [Interval(Integral, 1, None, closed="left"), None],
        "max_tokens": [Interval(Integral, 3, None, closed="left"), None],
        "lowercase": ["boolean"],
        "padding": [StrOptions({"pre", "post"})],
        "truncating": [StrOptions({"pre", "post"})],
        "min_freq": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        analyzer="char",
        *,
        max_length=None,
        max_tokens=None,
        lowercase=True,
        padding="pre",
        truncating="pre",
        min_freq=1,
    ):
        self.analyzer = analyzer
        self.max_length = max_length
        self.max_tokens = max_tokens
        self.lowercase = lowercase
        self.padding = padding
        self.truncating = truncating
        self.min_freq = min_freq

    # -- tokenizing -----------------------------------------------------------------
    def _split(self, texts):
        """List of token lists, one per text."""
        if self.lowercase:
            texts = [t.lower() for t in texts]
        if self.analyzer == "char":
            return [list(t) for t in texts]
        if self.analyzer == "word":
            return [_WORD_RE.findall(t) for t in texts]
        out = []
        for i, t in enumerate(texts):
            tokens = self.analyzer(t)
            if tokens is None or isinstance(tokens, (str, bytes)):
                raise TypeError(
                    f"analyzer must return a list of tokens; it returned {type(tokens).__name__} "
                    f"for X[{i}]."
                )
            out.append(list(tokens))
        return out

    def _learn(self, token_lists):
        counts = Counter()
        for tokens in token_lists:
            counts.update(tokens)
        kept = [(tok, c) for tok, c in counts.items() if c >= self.min_freq]
        kept.sort(key=lambda tc: (-tc[1], str(tc[0])))
        if self.max_tokens is not None:
            kept = kept[: self.max_tokens - 2]
        if not kept:
            n_tok = sum(counts.values())
            raise ValueError(
                f"no vocabulary: the {len(token_lists)} texts give {n_tok} tokens, none seen at least "
                f"min_freq={self.min_freq} times. Pass non-empty texts or lower min_freq."
            )
        self.vocabulary_ = {tok: i + 2 for i, (tok, _) in enumerate(kept)}
        self.vocabulary_size_ = len(self.vocabulary_) + 2
        if self.max_length is None:
            longest = max(len(t) for t in token_lists)
            self.max_length_ = int(min(max(longest, 1), AUTO_MAX_LENGTH))
        else:
            self.max_length_ = int(self.max_length)

    def _encode(self, token_lists):
        length = self.max_length_
        vocab = self.vocabulary_
        out = np.full((len(token_lists), length), PADDING_ID, dtype=np.int32)
        for i, tokens in enumerate(token_lists):
            ids = [vocab.get(tok, OOV_ID) for tok in tokens]
            if len(ids) > length:
                ids = ids[-length:] if self.truncating == "pre" else ids[:length]
            if not ids:
                continue
            if self.padding == "pre":
                out[i, length - len(ids):] = ids
            else:
                out[i, : len(ids)] = ids
        return out

    # -- public API -----------------------------------------------------------------
    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the vocabulary and the sequence length from texts.

        Parameters
        ----------
        X : iterable of str
            One text per sample (list, 1-D array, Series).
        y : None
            Ignored; accepted for pipelines.

        Returns
        -------
        self : SequenceTokenizer
        """
        self._learn(self._split(_check_texts(X)))
        return self

    @fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit, then transform the same texts (tokenizing them only once).

        Returns
        -------
        ndarray of int32, shape (n_samples, max_length_)
        """
        token_lists = self._split(_check_texts(X))
        self._learn(token_lists)
        return self._encode(token_lists)

    def transform(self, X):
        """Encode texts as id sequences of length ``max_length_``.

        Parameters
        ----------
        X : iterable of str
            One text per sample.

        Returns
        -------
        ndarray of int32, shape (n_samples, max_length_)
            Token ids, padded with 0 and truncated as set by ``padding`` and
            ``truncating``; unknown tokens are 1.
        """
        check_is_fitted(self, "vocabulary_")
        return self._encode(self._split(_check_texts(X)))

    def inverse_transform(self, X):
        """Tokens behind id sequences (padding dropped, unknown shown as ``"[UNK]"``).

        Parameters
        ----------
        X : array-like of int, shape (n_samples, length)

        Returns
        -------
        list of list
            The tokens of each sequence, in order.
        """
        check_is_fitted(self, "vocabulary_")
        ids = np.asarray(X)
        if ids.ndim != 2 or not np.issubdtype(ids.dtype, np.integer):
            raise ValueError(
                f"X must be a 2-D array of integer ids; got dtype {ids.dtype} and shape {ids.shape}."
            )
        bad = (ids < 0) | (ids >= self.vocabulary_size_)
        if bad.any():
            raise ValueError(
                f"ids must lie in [0, {self.vocabulary_size_}); got {int(ids[bad][0])}."
            )
        lookup = [None, OOV_TOKEN] + sorted(self.vocabulary_, key=self.vocabulary_.get)
        return [[lookup[i] for i in row if i != PADDING_ID] for row in ids.tolist()]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags

"""Input checks of the LSTM estimators: hyperparameters, sequences, token ids, float32 limits.

:func:`check_sequences` turns what the user gives as ``X`` (2-D or 3-D
arrays, lists of variable-length sequences, token ids) into one dense
:class:`Sequences` array, records its form on the estimator in ``fit`` and
checks it against that form afterwards. The network computes in float32, so
values beyond float32's range are refused here with a message naming them.
"""

from __future__ import annotations

import warnings
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_array, validate_data

__all__ = [
    "FLOAT32_MAX",
    "FarFromTrainingError",
    "Sequences",
    "as_layer_sizes",
    "check_float32_range",
    "check_sequences",
    "check_unscaled_not_tiny",
]

#: largest token id (the network reads int32 ids) and largest embedding (weights, 8 GiB in float32)
_MAX_TOKEN_ID = 2**31 - 2
_MAX_EMBEDDING_WEIGHTS = 2**31 - 1

#: largest magnitude of numeric inputs (and regression targets): the network computes in float32
FLOAT32_MAX = float(np.finfo(np.float32).max)
#: smallest normal float32: unscaled (scale=None) data whose values all lie below it reach the network as zeros
_FLOAT32_TINY = float(np.finfo(np.float32).tiny)


def check_float32_range(values, what):
    """Raise a ``ValueError`` when finite ``values`` exceed float32, the precision the network computes in."""
    top = max(float(values.max()), -float(values.min()))  # no |values| copy of a large input
    if top > FLOAT32_MAX:
        sample = int(np.unravel_index(int(np.argmax(np.abs(values))), values.shape)[0])
        raise ValueError(
            f"{what} contains a value of magnitude {top:.3g} (sample {sample}), beyond the float32 range "
            f"(±{FLOAT32_MAX:.3g}) the network computes in; rescale {what}, e.g. divide it by 1e{int(np.log10(top))}."
        )


def check_unscaled_not_tiny(values, what, unit):
    """With ``scale=None``: raise a ``ValueError`` for a column whose nonzero values all lie below float32's tiny.

    Fed unscaled, such a column reaches the float32 network as zeros (or as subnormal numbers
    with a few bits of precision), so the estimator would learn nothing from it and say nothing.
    """
    if values.shape[0] == 0:
        return
    top = np.abs(values).max(axis=0)
    bad = np.flatnonzero((top > 0) & (top < _FLOAT32_TINY))
    if bad.size:
        j = int(bad[0])
        raise ValueError(
            f"{what} {unit} {j} has values no larger than {top[j]:.3g} in magnitude, below float32's smallest "
            f"normal number ({_FLOAT32_TINY:.3g}): with scale=None the network, which computes in float32, "
            f"would see zeros. Use scale='standard' (which standardises {what} in float64 first) or rescale {what}."
        )


class FarFromTrainingError(ValueError):
    """A sample whose scaled values lie beyond float32's range: too far from the training data.

    ``sample`` is its position in ``X``, ``value`` the largest magnitude it reaches once scaled.
    """

    def __init__(self, message, *, sample, value):
        super().__init__(message)
        self.sample = sample
        self.value = value


def as_layer_sizes(value, name):
    """``units``/``dense_units`` as a tuple of positive ints (``None``: no layer)."""
    if value is None:
        return ()
    if isinstance(value, (Integral, np.integer)) and not isinstance(value, (bool, np.bool_)):
        value = (value,)
    out = tuple(value)
    for v in out:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (Integral, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive int or a tuple of positive ints; got {value!r}.")
    return tuple(int(v) for v in out)


class Sequences:
    """Checked input: a dense array plus how it was given.

    ``values`` is ``(n, T, F)`` float64 for numeric input, ``(n, T)`` int32
    for token ids; ``lengths`` holds the true lengths of variable-length
    input (``None`` when every sequence has length ``T``).
    """

    __slots__ = ("values", "lengths", "kind")

    def __init__(self, values, lengths, kind):
        self.values = values
        self.lengths = lengths
        self.kind = kind  # "2d", "3d" or "ragged"

    def __len__(self):
        return self.values.shape[0]

    def real_steps(self):
        """Boolean (n, T) mask of the real (non-padded) time steps."""
        n, T = self.values.shape[:2]
        if self.lengths is None:
            return np.ones((n, T), dtype=bool)
        return np.arange(T)[None, :] < self.lengths[:, None]

    def take(self, idx):
        """The sequences at positions ``idx``."""
        return Sequences(self.values[idx], None if self.lengths is None else self.lengths[idx], self.kind)


def is_sequence_list(X):
    """Whether ``X`` is a list (tuple, 1-D object array) of sequences rather than an array."""
    if isinstance(X, (list, tuple)):
        return True
    return isinstance(X, np.ndarray) and X.dtype == object and X.ndim == 1


def check_sequences(est, X, *, reset):
    """Validate the sequences ``X`` for ``est`` and return them as :class:`Sequences` (not yet scaled).

    With ``reset=True`` (in ``fit``) the input's form is recorded on ``est`` (``n_features_in_``,
    ``n_timesteps_in_``, ``vocab_size_``...); otherwise ``X`` is checked against it.
    """
    name = type(est).__name__
    if sp.issparse(X):
        raise TypeError(f"{name} does not accept sparse input; pass dense sequences (X.toarray()).")
    tokens = est.embedding_dim is not None if reset else est._tokens
    dtype = None if tokens else np.float64
    if is_sequence_list(X) and len(X) > 0 and not np.isscalar(X[0]):
        seqs = [np.asarray(s) for s in X]
        if all(s.shape == seqs[0].shape for s in seqs):
            X = np.stack(seqs)
        elif all(s.ndim in (1, 2) for s in seqs):
            return _check_ragged(est, seqs, reset=reset, tokens=tokens)
        else:  # e.g. None, a number or a 3-D array among the sequences
            i = next(i for i, s in enumerate(seqs) if s.ndim not in (1, 2))
            shown = repr(X[i]) if seqs[i].ndim == 0 else f"a {seqs[i].ndim}-D array of shape {seqs[i].shape}"
            raise ValueError(
                f"sequence {i} of X is {shown[:60]}; each sequence must be a 1-D (t,) or 2-D (t, n_features) "
                "array of numbers."
            )
    ndim = getattr(X, "ndim", None)
    if ndim is None:
        try:
            ndim = np.asarray(X).ndim
        except ValueError:  # a ragged nesting NumPy cannot read, e.g. [1.0, [2.0, 3.0]]
            raise ValueError(
                "X mixes numbers and sequences of different lengths; pass a 2-D/3-D array or a list of "
                "1-D (t,) or 2-D (t, n_features) arrays."
            ) from None
    if ndim == 2:
        kind = "2d"
        if reset or est._kind == "2d":
            Xa = validate_data(est, X, reset=reset, dtype=dtype, ensure_min_samples=1)
        else:
            Xa = check_array(X, dtype=dtype, ensure_min_samples=1)
        values = Xa if tokens else Xa[:, :, None]
    elif ndim == 3:
        if tokens:
            raise ValueError(
                f"with embedding_dim set, X must hold token ids: 2-D (n_samples, n_timesteps) or a list of "
                f"1-D sequences; got a 3-D array of shape {np.shape(X)}."
            )
        kind = "3d"
        values = check_array(X, dtype=dtype, allow_nd=True, ensure_min_samples=1, ensure_min_features=1)
        if values.shape[2] < 1:
            raise ValueError(f"X has shape {values.shape}: sequences need at least 1 feature per time step.")
        if values.shape[1] < 1:
            raise ValueError(f"X has shape {values.shape}: sequences need at least 1 time step.")
    else:
        raise ValueError(
            f"X must be 3-D (n_samples, n_timesteps, n_features), 2-D (n_samples, n_timesteps) for "
            f"univariate sequences, or a list of sequences; got {ndim}-D input of shape {np.asarray(X).shape}. "
            "Reshape your data, e.g. X.reshape(1, -1) for a single sequence."
        )
    if tokens:
        values = _check_token_ids(est, values, reset)
    seqs = Sequences(values, None, kind)
    return _check_fitted_shape(est, seqs, reset)


def _check_ragged(est, seqs, *, reset, tokens):
    """A list of sequences of different lengths, padded at the end (their lengths kept)."""
    ndims = {s.ndim for s in seqs}
    if len(ndims) > 1:
        raise ValueError("the sequences in X mix 1-D (t,) and 2-D (t, n_features) arrays; use one form.")
    if tokens and ndims != {1}:
        raise ValueError("with embedding_dim set, each sequence must be a 1-D list of token ids.")
    n_feat = {1 if s.ndim == 1 else s.shape[1] for s in seqs}
    if len(n_feat) > 1:
        raise ValueError(f"the sequences in X have different numbers of features per time step: {sorted(n_feat)}.")
    lengths = np.array([s.shape[0] for s in seqs])
    if (lengths == 0).any():
        raise ValueError(f"sequence {int(np.flatnonzero(lengths == 0)[0])} of X is empty.")
    F = n_feat.pop()
    T = int(lengths.max())
    if tokens:
        values = np.zeros((len(seqs), T), dtype=np.float64)
    else:
        values = np.zeros((len(seqs), T, F), dtype=np.float64)
    for i, s in enumerate(seqs):
        try:
            arr = np.asarray(s, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"sequence {i} of X is not numeric (dtype {s.dtype}).") from None
        if not np.isfinite(arr).all():
            raise ValueError(f"sequence {i} of X contains NaN or infinite values.")
        values[i, : arr.shape[0]] = arr if tokens else arr.reshape(arr.shape[0], F)
    if tokens:
        values = _check_token_ids(est, values, reset)
    if reset and hasattr(est, "feature_names_in_"):
        del est.feature_names_in_
    return _check_fitted_shape(est, Sequences(values, lengths, "ragged"), reset)

def _check_token_ids(est, values, reset):
    """Token ids as int32, checked against the vocabulary (set from them in ``fit``)."""
    values = np.asarray(values)
    if values.dtype.kind not in "iuf" or (values.dtype.kind == "f" and not np.all(np.mod(values, 1) == 0)):
        raise ValueError(f"with embedding_dim set, X must hold integer token ids; got dtype {values.dtype}.")
    if values.size and values.min() < 0:
        raise ValueError(f"token ids must be >= 0 (0 = padding); X contains {int(values.min())}.")
    if values.size and values.max() > _MAX_TOKEN_ID:
        if reset or est.vocab_size is not None:
            raise ValueError(
                f"X contains token id {values.max():.0f}, beyond the largest id the network reads "
                f"({_MAX_TOKEN_ID}, int32). Token ids should be consecutive small integers (e.g. from "
                "SequenceTokenizer); re-index them, e.g. with np.unique(X, return_inverse=True)."
            )
        values = np.minimum(values, _MAX_TOKEN_ID)  # beyond any vocabulary: read as out-of-vocabulary below
    values = values.astype(np.int64)
    top = int(values.max()) if values.size else 0
    if reset:
        vocab = top + 1 if est.vocab_size is None else int(est.vocab_size)
        if top >= vocab:
            raise ValueError(
                f"X contains token id {top} but vocab_size={est.vocab_size} allows ids 0..{vocab - 1}."
            )
        n_weights = max(vocab, 2) * est.embedding_dim
        if n_weights > _MAX_EMBEDDING_WEIGHTS:
            source = f"vocab_size={est.vocab_size}" if est.vocab_size is not None else f"the largest id, {top},"
            raise ValueError(
                f"{source} with embedding_dim={est.embedding_dim} needs an embedding of {n_weights:.3g} "
                f"weights ({4 * n_weights / 2**30:.3g} GiB), more than the {_MAX_EMBEDDING_WEIGHTS} the "
                "network takes. Token ids should be consecutive small integers (e.g. from SequenceTokenizer); "
                "re-index them, e.g. with np.unique(X, return_inverse=True)."
            )
        est.vocab_size_ = max(vocab, 2)
    elif top >= est.vocab_size_:
        if est.vocab_size is not None:
            raise ValueError(
                f"X contains token id {top} but vocab_size={est.vocab_size} allows ids "
                f"0..{est.vocab_size_ - 1}."
            )
        # vocab_size=None: the embedding covers only the ids seen in fit. Ids beyond it
        # (e.g. a SequenceTokenizer token that was cut by max_length in every training
        # text) are read as the out-of-vocabulary id 1, the convention of
        # SequenceTokenizer and Keras' TextVectorization (0 = padding, 1 = unknown).
        unseen = values >= est.vocab_size_
        warnings.warn(
            f"{int(unseen.sum())} token ids in X are >= {est.vocab_size_}, beyond the ids seen in fit; "
            "they are read as the out-of-vocabulary id 1. Set vocab_size (e.g. to "
            "SequenceTokenizer.vocabulary_size_) to give every id its own embedding.",
            UserWarning,
            stacklevel=4,
        )
        values = np.where(unseen, 1, values)
    return values.astype(np.int32)


def _check_fitted_shape(est, seqs, reset):
    """Record the shape of the training sequences (``reset``), or check ``seqs`` against it."""
    name = type(est).__name__
    values = seqs.values
    if values.dtype.kind == "f" and values.size:
        check_float32_range(values, "X")
    n_feat = 1 if values.ndim == 2 else values.shape[2]
    T = values.shape[1]
    if reset:
        est._kind = seqs.kind
        est._tokens = est.embedding_dim is not None
        est._n_channels = n_feat
        est.n_timesteps_in_ = None if seqs.kind == "ragged" else int(T)
        if seqs.kind != "2d":
            est.n_features_in_ = int(n_feat)
            if hasattr(est, "feature_names_in_"):
                del est.feature_names_in_
        return seqs
    if n_feat != est._n_channels:
        raise ValueError(
            f"X has {n_feat} features per time step, but {name} is expecting {est._n_channels} "
            "features per time step as input."
        )
    if est.n_timesteps_in_ is not None:
        if seqs.kind == "ragged":
            raise ValueError(
                f"{name} was fitted on sequences of fixed length {est.n_timesteps_in_}; it cannot take "
                "variable-length sequences (fit it on variable-length sequences to get masking)."
            )
        if T != est.n_timesteps_in_:
            raise ValueError(
                f"X has sequences of {T} time steps, but {name} was fitted on sequences of "
                f"{est.n_timesteps_in_} time steps."
            )
    return seqs


"""The one Keras core behind ``LSTMRegressor``, ``LSTMClassifier`` and ``LSTMForecaster``.

:class:`_BaseLSTM` holds the hyperparameters and does everything that does
not depend on the task: checking and padding the input sequences, scaling
the features, building the network from plain hyperparameters, training it
(seeded, quiet, with optional early stopping), running it forward, and
turning it into bytes and back (pickle, joblib, :meth:`~_BaseLSTM.save` /
:meth:`~_BaseLSTM.load`). A concrete estimator only says how its targets are
encoded (:meth:`_encode_targets`), what the output layer is (:meth:`_head`)
and how raw network outputs are decoded (its ``predict``).

``LSTMForecaster`` trains an ``LSTMRegressor`` on windows, so it shares this
core as well.

Keras is imported lazily (inside ``fit``, ``predict`` and ``load``).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import pickle
import tempfile
import warnings
import weakref
import zipfile
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from ._adversarial import adversarial_trainer
from ._keras import derive_seeds, import_keras, keras_session, keras_verbosity

__all__ = ["_BaseLSTM", "save_estimator", "load_estimator"]

#: largest token id (the network reads int32 ids) and largest embedding (weights, 8 GiB in float32)
_MAX_TOKEN_ID = 2**31 - 2
_MAX_EMBEDDING_WEIGHTS = 2**31 - 1

#: largest magnitude of numeric inputs (and regression targets): the network computes in float32
_FLOAT32_MAX = float(np.finfo(np.float32).max)
#: smallest normal float32: unscaled (scale=None) data whose values all lie below it reach the network as zeros
_FLOAT32_TINY = float(np.finfo(np.float32).tiny)
#: standardised inputs this close to 0, relative to the feature's largest magnitude over its scale, are
#: rounding noise of the centring (a float64 mean carries about log2(n) * eps * max|x| of error)
_CENTRING_NOISE = 64 * float(np.finfo(np.float64).eps)

#: columns whose largest magnitude lies in this range get ``np.std`` as it is; outside it the squares
#: of the deviations would underflow (below ~1e-154) or overflow (above ~1e154) in float64
_PLAIN_STD_RANGE = (1e-100, 1e100)

#: value that fills the padded time steps of variable-length numeric
#: sequences; a ``Masking`` layer removes them from the LSTM's view.
PAD_VALUE = -1.0e9

#: fixed-length sequences up to this many time steps run an unrolled LSTM
#: (about 30% faster training on CPU; longer ones would trace slowly)
_UNROLL_MAX_STEPS = 10

#: training with at most this many gradient steps in all runs eagerly (no tracing)
_EAGER_MAX_STEPS = 8

#: predict runs eagerly for inputs up to this many rows, for the first calls
_EAGER_MAX_ROWS = 512
_EAGER_MAX_CALLS = 2

#: compiled forward functions of fitted networks, kept out of the estimators'
#: ``__dict__`` (predict must not change the estimator): model -> [fn, n_calls]
_PREDICT_FNS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()

#: rows per forward pass in ``predict`` (bounds memory on large inputs)
_PREDICT_CHUNK = 8192

_OPTIMIZERS = {
    "adam": "Adam",
    "adamw": "AdamW",
    "nadam": "Nadam",
    "rmsprop": "RMSprop",
    "sgd": "SGD",
    "adagrad": "Adagrad",
}

#: parameter documentation shared by the three LSTM estimators (numpydoc)
NETWORK_PARAMS_DOC = """\
    units : int or tuple of int, default=64
        Units of the LSTM layer; a tuple stacks layers, e.g. ``(128, 128)``
        (all but the last return sequences).
    dropout : float in [0, 1), default=0.0
        Rate of the ``Dropout`` layers placed after the embedding (when
        ``embedding_dim`` is set) and between stacked LSTM layers.
    recurrent_dropout : float in [0, 1), default=0.0
        Dropout on the recurrent state inside each LSTM layer.
    bidirectional : bool, default=False
        Wrap each LSTM layer in ``Bidirectional`` (forward and backward
        layers get different seeds).
    dense_units : None, int or tuple of int, default=None
        Hidden ``Dense`` (ReLU) layers between the last LSTM layer and the
        output layer."""

TRAINING_PARAMS_DOC = """\
    epochs : int, default=50
        Maximum number of passes over the training data.
    batch_size : int, default=32
        Samples per gradient step (clipped to the number of training samples).
    learning_rate : float, default=1e-3
        Step size of the optimizer.
    optimizer : {"adam", "adamw", "nadam", "rmsprop", "sgd", "adagrad"}, default="adam"
        Keras optimizer.
    loss : str, callable or None, default=None
        Keras loss (e.g. ``"mse"``, ``"mae"``, ``"huber"``). ``None`` uses the
        estimator's natural loss. A callable must be registered with
        ``keras.saving.register_keras_serializable`` to survive pickling.
    adversarial : float >= 0, default=0.0
        Adversarial training (Miyato et al. 2017): each step also minimises
        the loss after the input representation (the embedding output for
        token ids, the scaled inputs otherwise) of every sequence is moved
        by ``adversarial`` times its own norm in the direction that raises
        the loss most. A strong regulariser for small training sets (e.g.
        0.15 for the review-sentiment LSTM); costs about 2.5x the training
        time. ``0`` disables it. Prediction is unchanged.
    validation_fraction : float in [0, 1), default=0.1
        Fraction of the training samples (drawn at random with
        ``random_state``; stratified by class for the classifier when every
        class has two or more samples) held out to compute ``val_loss``.
        At least one sample is held out when it is > 0. Ignored when
        ``validation_data`` is passed to ``fit``.
    early_stopping : bool, default=True
        Stop when the monitored loss (``val_loss`` if there is validation
        data, else the training ``loss``) has not improved for ``patience``
        epochs, and restore the weights of the best epoch.
    patience : int, default=5
        Epochs without improvement before early stopping.
    random_state : int, RandomState instance or None, default=None
        Seeds the weight initializers, dropout layers, the validation split
        and the shuffling of each epoch. With an int, two fits on the same
        data and machine give identical predictions; global random states
        (Python, NumPy, TensorFlow) are left unchanged. ``None`` draws the
        seeds from NumPy's global generator, as scikit-learn does.
    verbose : int, default=0
        0: silent; 1: one line per epoch; 2: Keras' progress bar."""

FITTED_ATTRS_DOC = """\
    model_ : keras.Model
        The trained network.
    history_ : dict of str to list of float
        Per-epoch ``loss`` (and ``val_loss`` with validation data).
    n_features_in_ : int
        Number of features seen in ``fit``: the number of columns for 2-D
        input ``(n_samples, n_timesteps)`` (each column is one time step of a
        univariate sequence), otherwise the number of features per time step.
    n_timesteps_in_ : int or None
        Length of the training sequences; ``None`` when they had variable
        lengths (then any length is accepted by ``predict``).
    feature_names_in_ : ndarray of str
        Column names, only for a DataFrame ``X`` with string column names."""

INPUT_DOC = """\
    X : array-like of shape (n_samples, n_timesteps, n_features) or (n_samples, n_timesteps), \
or list of arrays
        Sequences. 2-D input is ``n_features=1``. A list of arrays of shape
        ``(t_i,)`` or ``(t_i, n_features)`` with different lengths ``t_i`` is
        padded at the end and the padding is masked. With ``embedding_dim``
        set, integer token ids (0 = padding), 2-D or a list of 1-D
        sequences."""

EMBEDDING_PARAMS_DOC = """\
    embedding_dim : int or None, default=None
        If set, ``X`` holds integer token ids (0 = padding) that go through
        ``Embedding(vocab_size, embedding_dim, mask_zero=True)``.
    vocab_size : int or None, default=None
        Number of token ids (ids are ``0..vocab_size-1``; larger ids raise
        an error). ``None``: the largest id seen in ``fit`` plus one, and
        larger ids met later in ``predict`` are read, with a warning, as the
        out-of-vocabulary id 1 (the convention of :class:`SequenceTokenizer`)."""

#: ``Parameters`` section of the ``predict``-like methods, put in their
#: docstrings (``{PREDICT_PARAMS_DOC}``) by :func:`fill_predict_doc`
PREDICT_PARAMS_DOC = """\
        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]) or list of arrays
            Sequences like those given to ``fit``."""


def fill_predict_doc(method):
    """Decorator: put :data:`PREDICT_PARAMS_DOC` in ``method``'s docstring."""
    method.__doc__ = method.__doc__.format(PREDICT_PARAMS_DOC=PREDICT_PARAMS_DOC)
    return method


def _check_float32_range(values, what):
    """Raise a ``ValueError`` when finite ``values`` exceed float32, the precision the network computes in."""
    top = max(float(values.max()), -float(values.min()))  # no |values| copy of a large input
    if top > _FLOAT32_MAX:
        sample = int(np.unravel_index(int(np.argmax(np.abs(values))), values.shape)[0])
        raise ValueError(
            f"{what} contains a value of magnitude {top:.3g} (sample {sample}), beyond the float32 range "
            f"(±{_FLOAT32_MAX:.3g}) the network computes in; rescale {what}, e.g. divide it by 1e{int(np.log10(top))}."
        )


def mean_std(values, axis=0):
    """Mean and standard deviation of the float64 ``values`` along ``axis``, at any finite magnitude.

    ``np.std`` squares the deviations, so in float64 it returns 0 (or loses digits) for data
    smaller than about 1e-154 and overflows for data larger than about 1e154. Each lane (column
    for ``axis=0``) whose largest magnitude lies outside :data:`_PLAIN_STD_RANGE` is multiplied
    by a power of two (exact) that brings that magnitude to [0.5, 1) before its mean and standard
    deviation are taken, which are then scaled back. Lanes inside the range get
    ``values.mean(axis)`` and ``values.std(axis)`` unchanged.
    """
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # such lanes are recomputed below
        mean, std = values.mean(axis=axis), values.std(axis=axis)
    if values.shape[axis] == 0:
        return mean, std
    top = np.abs(values).max(axis=axis)
    odd = (top > 0) & ((top < _PLAIN_STD_RANGE[0]) | (top > _PLAIN_STD_RANGE[1]))
    if np.any(odd):
        e = -np.frexp(top)[1]  # 2.0**e * top lies in [0.5, 1) (e = 0 for an all-zero lane)
        scaled = np.ldexp(values, np.expand_dims(e, axis))
        mean = np.where(odd, np.ldexp(scaled.mean(axis=axis), -e), mean)
        std = np.where(odd, np.ldexp(scaled.std(axis=axis), -e), std)
    return mean, std


def standardisation(values):
    """Per-column ``(mean, scale, constant)`` standardising the 2-D float64 ``values`` (``scale="standard"``).

    The mean and standard deviation come from :func:`mean_std` (any finite magnitude). A column
    whose values are all equal is ``constant``: its mean is that value and its scale 1, so it
    standardises to exact zeros at any magnitude (its computed mean can be off by a rounding error,
    which a standard deviation of the same size would blow up to +-1).
    """
    mean, std = mean_std(values)
    constant = values.max(axis=0) == values.min(axis=0)
    mean = np.where(constant, values[0], mean)
    return mean, np.where(constant | (std == 0), 1.0, std), constant


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
    """A sample whose scaled values lie beyond float32's range: too far from the training data."""

    def __init__(self, message, *, sample, value):
        super().__init__(message)
        self.sample = sample
        self.value = value


def _as_tuple(value, name):
    if value is None:
        return ()
    if isinstance(value, (Integral, np.integer)) and not isinstance(value, (bool, np.bool_)):
        value = (value,)
    out = tuple(value)
    for v in out:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (Integral, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive int or a tuple of positive ints; got {value!r}.")
    return tuple(int(v) for v in out)


class _Sequences:
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
        return _Sequences(self.values[idx], None if self.lengths is None else self.lengths[idx], self.kind)


def _is_sequence_list(X):
    if isinstance(X, (list, tuple)):
        return True
    return isinstance(X, np.ndarray) and X.dtype == object and X.ndim == 1


class _BaseLSTM(BaseEstimator):
    """Hyperparameters and the shared Keras machinery of the LSTM estimators."""

    #: smallest feature / regression-target scale with ``scale="standard"`` (scalar or per column;
    #: not parameters: LSTMForecaster sets them on its inner regressor from all its windows' spread)
    _x_std_floor = 0.0
    _y_std_floor = 0.0
    #: per-feature scale for features constant over the training samples (None: 1.0); the
    #: forecaster sets it to the spread over training, validation and last windows, so that a
    #: flat training stretch scales the same way at any magnitude
    _x_const_scale = None

    _parameter_constraints: dict = {
        "units": [Interval(Integral, 1, None, closed="left"), tuple, list],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "recurrent_dropout": [Interval(Real, 0, 1, closed="left")],
        "bidirectional": ["boolean"],
        "dense_units": [None, Interval(Integral, 1, None, closed="left"), tuple, list],
        "embedding_dim": [None, Interval(Integral, 1, None, closed="left")],
        "vocab_size": [None, Interval(Integral, 2, None, closed="left")],
        "scale": [StrOptions({"standard"}), None],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "optimizer": [StrOptions(set(_OPTIMIZERS))],
        "loss": [str, callable, None],
        "adversarial": [Interval(Real, 0, None, closed="left")],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "early_stopping": ["boolean"],
        "patience": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        units=64,
        *,
        dropout=0.0,
        recurrent_dropout=0.0,
        bidirectional=False,
        dense_units=None,
        embedding_dim=None,
        vocab_size=None,
        scale="standard",
        epochs=50,
        batch_size=32,
        learning_rate=1e-3,
        optimizer="adam",
        loss=None,
        adversarial=0.0,
        validation_fraction=0.1,
        early_stopping=True,
        patience=5,
        random_state=None,
        verbose=0,
    ):
        self.units = units
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.bidirectional = bidirectional
        self.dense_units = dense_units
        self.embedding_dim = embedding_dim
        self.vocab_size = vocab_size
        self.scale = scale
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.optimizer = optimizer
        self.loss = loss
        self.adversarial = adversarial
        self.validation_fraction = validation_fraction
        self.early_stopping = early_stopping
        self.patience = patience
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------ subclass API
    def _encode_targets(self, y, reset):
        """Return the training targets as an array for Keras (n, k)."""
        raise NotImplementedError

    def _head(self):
        """``(n_outputs, output_activation, default_loss)`` of the network."""
        raise NotImplementedError

    def _stratify(self, Y):
        """Labels to stratify the validation split by (``None``: random split)."""
        return None

    def _extra_callbacks(self, keras):
        """Extension point for subclasses: more Keras callbacks for ``model.fit``."""
        return []

    # ------------------------------------------------------------ input checks
    def _check_X(self, X, *, reset):
        """Validate ``X`` and return :class:`_Sequences` (values not yet scaled)."""
        name = type(self).__name__
        if sp.issparse(X):
            raise TypeError(
                f"{name} does not accept sparse input; pass dense sequences (X.toarray())."
            )
        tokens = self.embedding_dim is not None if reset else self._tokens
        dtype = None if tokens else np.float64
        if _is_sequence_list(X) and len(X) > 0 and not np.isscalar(X[0]):
            seqs = [np.asarray(s) for s in X]
            if all(s.shape == seqs[0].shape for s in seqs):
                X = np.stack(seqs)
            elif all(s.ndim in (1, 2) for s in seqs):
                return self._check_ragged(seqs, reset=reset, tokens=tokens)
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
            if reset or self._kind == "2d":
                Xa = validate_data(self, X, reset=reset, dtype=dtype, ensure_min_samples=1)
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
            values = self._check_token_ids(values, reset)
        seqs = _Sequences(values, None, kind)
        return self._check_fitted_shape(seqs, reset)

    def _check_ragged(self, seqs, *, reset, tokens):
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
            values = self._check_token_ids(values, reset)
        if reset and hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        return self._check_fitted_shape(_Sequences(values, lengths, "ragged"), reset)

    def _check_token_ids(self, values, reset):
        values = np.asarray(values)
        if values.dtype.kind not in "iuf" or (values.dtype.kind == "f" and not np.all(np.mod(values, 1) == 0)):
            raise ValueError(f"with embedding_dim set, X must hold integer token ids; got dtype {values.dtype}.")
        if values.size and values.min() < 0:
            raise ValueError(f"token ids must be >= 0 (0 = padding); X contains {int(values.min())}.")
        if values.size and values.max() > _MAX_TOKEN_ID:
            if reset or self.vocab_size is not None:
                raise ValueError(
                    f"X contains token id {values.max():.0f}, beyond the largest id the network reads "
                    f"({_MAX_TOKEN_ID}, int32). Token ids should be consecutive small integers (e.g. from "
                    "SequenceTokenizer); re-index them, e.g. with np.unique(X, return_inverse=True)."
                )
            values = np.minimum(values, _MAX_TOKEN_ID)  # beyond any vocabulary: read as out-of-vocabulary below
        values = values.astype(np.int64)
        top = int(values.max()) if values.size else 0
        if reset:
            vocab = top + 1 if self.vocab_size is None else int(self.vocab_size)
            if top >= vocab:
                raise ValueError(
                    f"X contains token id {top} but vocab_size={self.vocab_size} allows ids 0..{vocab - 1}."
                )
            n_weights = max(vocab, 2) * self.embedding_dim
            if n_weights > _MAX_EMBEDDING_WEIGHTS:
                source = f"vocab_size={self.vocab_size}" if self.vocab_size is not None else f"the largest id, {top},"
                raise ValueError(
                    f"{source} with embedding_dim={self.embedding_dim} needs an embedding of {n_weights:.3g} "
                    f"weights ({4 * n_weights / 2**30:.3g} GiB), more than the {_MAX_EMBEDDING_WEIGHTS} the "
                    "network takes. Token ids should be consecutive small integers (e.g. from SequenceTokenizer); "
                    "re-index them, e.g. with np.unique(X, return_inverse=True)."
                )
            self.vocab_size_ = max(vocab, 2)
        elif top >= self.vocab_size_:
            if self.vocab_size is not None:
                raise ValueError(
                    f"X contains token id {top} but vocab_size={self.vocab_size} allows ids "
                    f"0..{self.vocab_size_ - 1}."
                )
            # vocab_size=None: the embedding covers only the ids seen in fit. Ids beyond it
            # (e.g. a SequenceTokenizer token that was cut by max_length in every training
            # text) are read as the out-of-vocabulary id 1, the convention of
            # SequenceTokenizer and Keras' TextVectorization (0 = padding, 1 = unknown).
            unseen = values >= self.vocab_size_
            warnings.warn(
                f"{int(unseen.sum())} token ids in X are >= {self.vocab_size_}, beyond the ids seen in fit; "
                "they are read as the out-of-vocabulary id 1. Set vocab_size (e.g. to "
                "SequenceTokenizer.vocabulary_size_) to give every id its own embedding.",
                UserWarning,
                stacklevel=4,
            )
            values = np.where(unseen, 1, values)
        return values.astype(np.int32)

    def _check_fitted_shape(self, seqs, reset):
        name = type(self).__name__
        values = seqs.values
        if values.dtype.kind == "f" and values.size:
            _check_float32_range(values, "X")
        n_feat = 1 if values.ndim == 2 else values.shape[2]
        T = values.shape[1]
        if reset:
            self._kind = seqs.kind
            self._tokens = self.embedding_dim is not None
            self._n_channels = n_feat
            self.n_timesteps_in_ = None if seqs.kind == "ragged" else int(T)
            if seqs.kind != "2d":
                self.n_features_in_ = int(n_feat)
                if hasattr(self, "feature_names_in_"):
                    del self.feature_names_in_
            return seqs
        if n_feat != self._n_channels:
            raise ValueError(
                f"X has {n_feat} features per time step, but {name} is expecting {self._n_channels} "
                "features per time step as input."
            )
        if self.n_timesteps_in_ is not None:
            if seqs.kind == "ragged":
                raise ValueError(
                    f"{name} was fitted on sequences of fixed length {self.n_timesteps_in_}; it cannot take "
                    "variable-length sequences (fit it on variable-length sequences to get masking)."
                )
            if T != self.n_timesteps_in_:
                raise ValueError(
                    f"X has sequences of {T} time steps, but {name} was fitted on sequences of "
                    f"{self.n_timesteps_in_} time steps."
                )
        return seqs

    # --------------------------------------------------------------- scaling
    def _fit_x_scaler(self, seqs):
        self._x_mean = self._x_std = None
        if self._tokens:
            return
        real = seqs.values[seqs.real_steps()]  # (n_real_steps, F)
        if self.scale is None:
            check_unscaled_not_tiny(real, "X", "feature")
            return
        # in float64 at any magnitude: tiny X is not flushed to zero; constant features become zeros
        self._x_mean, self._x_std, constant = standardisation(real)
        self._x_top = np.abs(real).max(axis=0) if real.shape[0] else np.zeros(real.shape[1])
        if self._x_const_scale is not None:  # a feature constant in training: scale of its wider spread
            self._x_std = np.where(constant & (self._x_const_scale > 0), self._x_const_scale, self._x_std)
        self._x_std = np.maximum(self._x_std, self._x_std_floor)

    def _network_input(self, seqs):
        """Scaled, padded float32 (or int32 token) array ready for the network."""
        if self._tokens:
            return seqs.values.astype(np.int32)
        x = seqs.values
        if self._x_mean is not None:
            x = (x - self._x_mean) / self._x_std
            top = getattr(self, "_x_top", None)
            if top is not None:
                # a value within rounding error of the mean becomes exactly 0: otherwise the same data in
                # other units (x * 1e-300, x * 1000) gives 0 here and +-1e-17 there, and Adam turns such
                # a near-zero gradient into a full-size step of either sign
                x = np.where(np.abs(x) <= _CENTRING_NOISE * (top / self._x_std), 0.0, x)
        x = x.astype(np.float32)
        if seqs.lengths is not None:
            x[~seqs.real_steps()] = PAD_VALUE
        return x

    # ------------------------------------------------------------------- fit
    def _check_hyperparameters(self):
        self._units = _as_tuple(self.units, "units")
        if not self._units:
            raise ValueError("units must name at least one LSTM layer; got an empty tuple.")
        self._dense_units = _as_tuple(self.dense_units, "dense_units")

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, *, validation_data=None):
        """Train the network.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps, n_features) or (n_samples, n_timesteps), \
or list of arrays
            Training sequences (see the class docstring).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        validation_data : tuple (X_val, y_val), optional
            Held-out data for ``val_loss`` and early stopping, used instead
            of a random ``validation_fraction`` split.

        Returns
        -------
        self
        """
        name = type(self).__name__
        if y is None:
            raise ValueError(f"{name} requires y to be passed, but the target y is None.")
        self._check_hyperparameters()
        seqs = self._check_X(X, reset=True)
        with np.errstate(over="ignore"):  # |y| > 1e154 overflows the target scaling: named just below
            Y = self._encode_targets(y, reset=True)
        if self.__sklearn_tags__().estimator_type == "regressor":  # targets are numbers (checked finite above)
            _check_float32_range(np.asarray(y, dtype=np.float64), "y")
        if Y.shape[0] != len(seqs):
            raise ValueError(f"X has {len(seqs)} samples but y has {Y.shape[0]}; they must have the same length.")
        rng = derive_seeds(self.random_state)  # before keras_session: None draws from np.random
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
                raise ValueError("validation_data must be a tuple (X_val, y_val).")
            val_seqs = self._check_X(validation_data[0], reset=False)
            Y_val = self._encode_targets(validation_data[1], reset=False)
            if Y_val.shape[0] != len(val_seqs):
                raise ValueError(
                    f"validation_data has {len(val_seqs)} samples in X_val but {Y_val.shape[0]} in y_val."
                )
            train_seqs, Y_train = seqs, Y
        else:
            train_idx, val_idx = self._validation_split(len(seqs), rng, self._stratify(Y))
            train_seqs, Y_train = seqs.take(train_idx), Y[train_idx]
            val_seqs, Y_val = (seqs.take(val_idx), Y[val_idx]) if val_idx.size else (None, None)
        self._fit_x_scaler(train_seqs)
        x_train = self._network_input(train_seqs)
        val = None
        if val_seqs is not None:
            with np.errstate(over="ignore"):
                x_val = self._network_input(val_seqs)
            if x_val.dtype.kind == "f" and not np.all(np.isfinite(x_val)):
                raise ValueError(
                    "the validation samples of X are too far from the training samples: scaled with the "
                    "training mean and standard deviation they go beyond float32's range; the training "
                    "features hardly vary compared with them."
                )
            val = (x_val, Y_val)
        self._train(x_train, Y_train, val, rng)
        return self

    def _validation_split(self, n, rng, stratify):
        frac = self.validation_fraction
        if frac == 0:
            return np.arange(n), np.arange(0)
        n_val = math.ceil(frac * n)
        if n - n_val < 1:
            raise ValueError(
                f"validation_fraction={frac} of {n} sample(s) leaves no training sample; "
                "pass more samples or set validation_fraction=0."
            )
        perm = rng.permutation(n)
        if stratify is not None:
            labels, counts = np.unique(stratify, return_counts=True)
            if counts.min() >= 2 and n_val >= labels.size and n - n_val >= labels.size:
                from sklearn.model_selection import train_test_split

                tr, va = train_test_split(
                    np.arange(n), test_size=n_val, stratify=stratify, random_state=rng.randint(2**31 - 1)
                )
                return np.sort(tr), np.sort(va)
        return np.sort(perm[n_val:]), np.sort(perm[:n_val])

    def _train(self, x, Y, val, rng):
        keras = import_keras()
        import tensorflow as tf

        n_out, activation, default_loss = self._head()
        loss = default_loss if self.loss is None else self.loss
        net_seed = int(rng.randint(2**31 - 1))
        shuffle_seed = int(rng.randint(2**31 - 1))
        batch_size = int(min(self.batch_size, x.shape[0]))
        with keras_session(self.verbose):
            model = build_network(
                keras,
                timesteps=self.n_timesteps_in_,
                n_features=self._n_channels,
                n_outputs=n_out,
                activation=activation,
                units=self._units,
                dropout=self.dropout,
                recurrent_dropout=self.recurrent_dropout,
                bidirectional=self.bidirectional,
                dense_units=self._dense_units,
                embedding=None if not self._tokens else (self.vocab_size_, self.embedding_dim),
                masked=self._kind == "ragged" and not self._tokens,
                seed=net_seed,
                unroll=self._kind != "ragged" and self.n_timesteps_in_ <= _UNROLL_MAX_STEPS,
            )
            optimizer = getattr(keras.optimizers, _OPTIMIZERS[self.optimizer])(learning_rate=self.learning_rate)
            if isinstance(loss, str):
                try:
                    keras.losses.get(loss)
                except ValueError:
                    raise ValueError(
                        f"loss={loss!r} is not a loss Keras knows; use e.g. 'mse', 'mae', 'huber', "
                        "'binary_crossentropy' or a callable."
                    ) from None
            # tiny jobs (a few gradient steps in all) run eagerly: tracing the
            # training step would take longer than the training itself
            n_steps = self.epochs * math.ceil(x.shape[0] / batch_size)
            trainer = model
            if self.adversarial > 0:
                trainer = adversarial_trainer(keras, model, epsilon=self.adversarial, loss=loss)
                trainer.compile(optimizer=optimizer, jit_compile=False, run_eagerly=n_steps <= _EAGER_MAX_STEPS)
            else:
                model.compile(optimizer=optimizer, loss=loss, jit_compile=False, run_eagerly=n_steps <= _EAGER_MAX_STEPS)
            data = (
                tf.data.Dataset.from_tensor_slices((x, Y))
                .shuffle(x.shape[0], seed=shuffle_seed, reshuffle_each_iteration=True)
                .batch(batch_size)
                .prefetch(2)
            )
            val_data = None
            if val is not None:
                val_data = tf.data.Dataset.from_tensor_slices(val).batch(max(batch_size, 256))
            callbacks = [keras.callbacks.TerminateOnNaN(), *self._extra_callbacks(keras)]
            if self.early_stopping:
                callbacks.append(
                    keras.callbacks.EarlyStopping(
                        monitor="val_loss" if val is not None else "loss",
                        patience=self.patience,
                        restore_best_weights=True,
                    )
                )
            hist = trainer.fit(
                data,
                epochs=self.epochs,
                validation_data=val_data,
                callbacks=callbacks,
                verbose=keras_verbosity(self.verbose),
                shuffle=False,
            )
        history = {k: [float(v) for v in vals] for k, vals in hist.history.items()}
        losses = history.get("loss", [])
        if losses and not np.isfinite(losses[-1]):
            raise FloatingPointError(
                f"training diverged: the loss became {losses[-1]} at epoch {len(losses)}. "
                "Lower learning_rate, keep scale='standard', or check X and y for extreme values."
            )
        self.model_ = model
        self.history_ = history

    # --------------------------------------------------------------- predict
    def _forward(self, X):
        """Raw network outputs (float64, (n, n_outputs)) for the sequences ``X``."""
        check_is_fitted(self, "model_")
        seqs = self._check_X(X, reset=False)
        with np.errstate(over="ignore"):  # a scaled value beyond float32 is named just below
            x = self._network_input(seqs)
        if x.dtype.kind == "f":
            far = ~np.isfinite(x).reshape(len(x), -1).all(axis=1)
            if far.any():  # an LSTM can saturate to a finite output on infinite inputs: never run it on them
                i = int(np.flatnonzero(far)[0])
                v = seqs.values[i][seqs.real_steps()[i]]
                if self._x_mean is not None:
                    with np.errstate(over="ignore"):
                        v = (v - self._x_mean) / self._x_std
                top = float(np.max(np.abs(v)))
                raise FarFromTrainingError(
                    f"sample {i} of X is too far from the training data: scaled with the training mean and "
                    f"standard deviation its values reach {top:.3g}, beyond float32's range (±{_FLOAT32_MAX:.3g}) "
                    "the network computes in; check the units/scale of X.",
                    sample=i, value=top,
                )
        raw = self._forward_array(x)
        bad = ~np.isfinite(raw).all(axis=1)
        if bad.any():  # e.g. values so far from the training data that float32 overflows
            i = int(np.flatnonzero(bad)[0])
            largest = float(np.abs(np.where(x[i] == PAD_VALUE, 0, x[i])).max())
            raise ValueError(
                f"the network output for sample {i} of X is not finite: its values (largest network input "
                f"{largest:.3g} after scaling) are too far from the training data; check the units/scale of X."
            )
        return raw

    def _forward_array(self, x):
        """Run the network forward in inference mode.

        The first calls on small inputs run eagerly (no tracing cost); large
        inputs and repeated calls (e.g. recursive forecasting) use one
        compiled ``tf.function`` per fitted network.
        """
        import_keras()
        import tensorflow as tf

        cache = _PREDICT_FNS.get(self.model_)
        if cache is None:
            cache = _PREDICT_FNS[self.model_] = [None, 0]
        cache[1] += 1
        if cache[0] is None and (x.shape[0] > _EAGER_MAX_ROWS or cache[1] > _EAGER_MAX_CALLS):
            model_ref = weakref.ref(self.model_)  # a strong reference would keep the cache key alive
            time_dim = None if self._kind == "ragged" else x.shape[1]
            spec = tf.TensorSpec((None, time_dim) + tuple(x.shape[2:]), dtype=x.dtype)
            cache[0] = tf.function(lambda t: model_ref()(t, training=False), input_signature=[spec])
        fn = cache[0] if cache[0] is not None else (lambda t: self.model_(t, training=False))
        with keras_session():
            parts = [
                np.asarray(fn(tf.constant(x[i : i + _PREDICT_CHUNK])), dtype=np.float64)
                for i in range(0, x.shape[0], _PREDICT_CHUNK)
            ]
        return np.concatenate(parts, axis=0)

    # ------------------------------------------------------------ persistence
    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: object.__getstate__ may return __dict__ itself
        if "model_" in state:
            state["model_"] = _pack_model(state["model_"])
        return state

    def __setstate__(self, state):
        # corrupt network bytes raise a ValueError naming this estimator (see _model_from_bytes)
        if "model_" in state:
            state["model_"] = _unpack_model(state["model_"], where=f"the pickled {type(self).__name__}")
        super().__setstate__(state)

    def save(self, path):
        """Save the fitted estimator to one file (see :func:`save_estimator`)."""
        check_is_fitted(self, "model_")
        save_estimator(self, path)

    @classmethod
    def load(cls, path):
        """Load an estimator written by :meth:`save` (see :func:`load_estimator`)."""
        est = load_estimator(path)
        if not isinstance(est, cls):
            raise TypeError(f"{os.fspath(path)!r} holds a {type(est).__name__}, not a {cls.__name__}.")
        return est


# ---------------------------------------------------------------- the network
def build_network(
    keras,
    *,
    timesteps,
    n_features,
    n_outputs,
    activation,
    units,
    dropout,
    recurrent_dropout,
    bidirectional,
    dense_units,
    embedding,
    masked,
    seed,
    unroll=False,
):
    """Build the (uncompiled) Keras model from plain hyperparameters.

    Layer stack: ``Input -> [Embedding(mask_zero) -> Dropout] or [Masking]
    -> LSTM (-> Dropout -> LSTM)* -> Dense(relu)* -> Dense(n_outputs)``.
    Every initializer, dropout layer and LSTM gets its own seed drawn from
    ``seed``, so the same ``seed`` builds the same network.
    """
    rng = np.random.RandomState(seed)
    L = keras.layers
    init = keras.initializers

    def s():
        return int(rng.randint(2**31 - 1))

    if embedding is not None:
        vocab, dim = embedding
        inputs = keras.Input(shape=(timesteps,), dtype="int32", name="tokens")
        x = L.Embedding(
            vocab, dim, mask_zero=True, embeddings_initializer=init.RandomUniform(-0.05, 0.05, seed=s()),
            name="embedding",
        )(inputs)
        if dropout:
            x = L.Dropout(dropout, seed=s(), name="dropout_0")(x)
    else:
        inputs = keras.Input(shape=(timesteps, n_features), name="sequences")
        x = L.Masking(mask_value=PAD_VALUE, name="masking")(inputs) if masked else inputs
    for i, u in enumerate(units, start=1):
        last = i == len(units)

        def lstm(backwards=False, u=u, last=last, i=i):
            return L.LSTM(
                u,
                return_sequences=not last,
                recurrent_dropout=recurrent_dropout,
                kernel_initializer=init.GlorotUniform(seed=s()),
                recurrent_initializer=init.Orthogonal(seed=s()),
                seed=s(),
                go_backwards=backwards,
                unroll=unroll,
                name=f"lstm_{i}" + ("_backward" if backwards else ""),
            )

        layer = lstm()
        if bidirectional:
            layer = L.Bidirectional(layer, backward_layer=lstm(backwards=True), name=f"bidirectional_{i}")
        x = layer(x)
        if dropout and not last:
            x = L.Dropout(dropout, seed=s(), name=f"dropout_{i}")(x)
    for j, d in enumerate(dense_units, start=1):
        x = L.Dense(d, activation="relu", kernel_initializer=init.GlorotUniform(seed=s()), name=f"dense_{j}")(x)
    outputs = L.Dense(
        n_outputs, activation=activation, kernel_initializer=init.GlorotUniform(seed=s()), name="output"
    )(x)
    return keras.Model(inputs, outputs)


# ------------------------------------------------------------ serialisation
class _PackedModel:
    """Picklable stand-in for a Keras model: its ``.keras`` bytes or an archive reference."""

    def __init__(self, data=None, member=None):
        self.data = data
        self.member = member


#: while :func:`save_estimator`/:func:`load_estimator` run: the archive's models
_ARCHIVE: list = []


def _model_to_bytes(model):
    import_keras()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.keras")
        with keras_session(), warnings.catch_warnings():
            # Keras' saving code calls np.array() on TensorFlow variables, which NumPy 2 flags;
            # harmless, and not the user's doing (the filter is restored on exit)
            warnings.filterwarnings(
                "ignore", message="__array__ implementation doesn't accept a copy keyword", category=DeprecationWarning
            )
            model.save(path)
        with open(path, "rb") as fh:
            return fh.read()


def _short_error(exc, limit=300):
    """``"Type: message"`` of an exception on one line, at most ``limit`` characters."""
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _model_from_bytes(data, where="the estimator"):
    """Rebuild a Keras model from its ``.keras`` bytes.

    Corrupt bytes (truncated, bit-flipped, not a ``.keras`` file) raise a
    ``ValueError`` naming ``where`` the model came from, instead of an error
    from deep inside ``zipfile``/``h5py``/Keras.
    """
    keras = import_keras()
    if not isinstance(data, (bytes, bytearray)) or not zipfile.is_zipfile(io.BytesIO(data)):
        size = f"{len(data)} bytes" if isinstance(data, (bytes, bytearray)) else type(data).__name__
        raise ValueError(
            f"{where} holds a corrupt Keras model ({size}, not a .keras zip file): the data was "
            "truncated or damaged after saving. Refit the model or load an intact copy."
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.keras")
        with open(path, "wb") as fh:
            fh.write(data)
        try:
            with keras_session():
                return keras.saving.load_model(path, compile=False)
        except Exception as exc:  # noqa: BLE001 - any failure here means unreadable bytes
            raise ValueError(
                f"{where} holds a Keras model that cannot be read ({_short_error(exc)}): the data is corrupt "
                f"or was written by an incompatible Keras version (this is Keras {keras.__version__}). "
                "Refit the model or load an intact copy."
            ) from None


def _pack_model(model):
    if isinstance(model, _PackedModel):
        return model
    if _ARCHIVE:
        models = _ARCHIVE[-1]
        member = f"model_{len(models)}.keras"
        models[member] = model
        return _PackedModel(member=member)
    return _PackedModel(data=_model_to_bytes(model))


def _unpack_model(packed, where="the estimator"):
    if not isinstance(packed, _PackedModel):
        return packed
    if packed.member is not None:
        if not _ARCHIVE or packed.member not in _ARCHIVE[-1]:
            raise ValueError(f"{where} refers to {packed.member}, which is not in the archive being loaded.")
        return _ARCHIVE[-1][packed.member]
    return _model_from_bytes(packed.data, where)


@contextlib.contextmanager
def _archive(models):
    _ARCHIVE.append(models)
    try:
        yield
    finally:
        _ARCHIVE.pop()


_FORMAT = "tsforecast-keras-estimator"


def save_estimator(estimator, path):
    """Save an estimator holding Keras networks to one zip file.

    The file is a zip archive with

    * ``metadata.json``: format, estimator class, tsforecast/Keras versions;
    * ``model_0.keras`` (``model_1.keras``, ...): each network in Keras'
      native ``.keras`` format, loadable on its own with
      ``keras.saving.load_model``;
    * ``estimator.pkl``: the estimator's parameters and fitted state (scalers,
      classes, ...), pickled, with references to the ``.keras`` members in
      place of the networks.

    Works for any picklable object containing LSTM estimators (e.g. a
    ``Pipeline``). Like any pickle, only load files from sources you trust.

    The archive is written to a temporary file beside ``path`` and renamed
    to ``path`` when complete, so an interrupted save never leaves a
    truncated file (nor destroys an earlier file at ``path``).

    Parameters
    ----------
    estimator : object
        A fitted estimator (or any picklable object holding some).
    path : str, path-like or binary file object
        File to write (any extension; ``.tsf`` is a good one).

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from tsforecast.neural import LSTMRegressor, load_estimator, save_estimator
    >>> X = np.random.RandomState(0).normal(size=(20, 4))
    >>> reg = LSTMRegressor(units=4, epochs=1, random_state=0).fit(X, X.sum(axis=1))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save_estimator(reg, os.path.join(tmp, "reg.tsf"))
    ...     same = (load_estimator(os.path.join(tmp, "reg.tsf")).predict(X) == reg.predict(X)).all()
    >>> bool(same)
    True
    """
    from .. import __version__

    models: dict = {}
    with _archive(models):
        blob = pickle.dumps(estimator, protocol=pickle.HIGHEST_PROTOCOL)
    import_keras()
    import keras

    meta = {
        "format": _FORMAT,
        "format_version": 1,
        "class": f"{type(estimator).__module__}.{type(estimator).__qualname__}",
        "tsforecast_version": __version__,
        "keras_version": keras.__version__,
        "models": sorted(models),
    }
    if not isinstance(path, (str, bytes, os.PathLike)):  # an open binary file
        _write_archive(path, meta, blob, models)
        return
    path = os.fsdecode(os.fspath(path))
    if os.path.isdir(path):
        raise ValueError(f"{path!r} is a folder; save_estimator writes one file: give a file name such as 'model.tsf'.")
    # written to a temporary file that is then renamed over ``path``: a crash or an error
    # while saving never leaves a truncated archive, nor destroys an earlier file at ``path``
    tmp = f"{path}.tmp-{os.getpid()}-{os.urandom(4).hex()}"
    try:
        with open(tmp, "wb") as fh:
            _write_archive(fh, meta, blob, models)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise


def _write_archive(file, meta, blob, models):
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("metadata.json", json.dumps(meta, indent=2))
        zf.writestr("estimator.pkl", blob)
        for member, model in models.items():
            zf.writestr(member, _model_to_bytes(model))


def load_estimator(path):
    """Load an estimator written by :func:`save_estimator`.

    Parameters
    ----------
    path : str, path-like or binary file object
        The archive.

    Returns
    -------
    object
        The estimator, with its Keras networks loaded (compiled=False: ready
        to predict; ``fit`` builds a new network anyway).

    Raises
    ------
    ValueError
        When ``path`` is not an archive written by :func:`save_estimator`
        (an empty, truncated or damaged file, or another kind of file); the
        message names the file and what is wrong with it.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from tsforecast.neural import LSTMClassifier, load_estimator
    >>> X = np.random.RandomState(0).normal(size=(20, 4))
    >>> clf = LSTMClassifier(units=4, epochs=1, random_state=0).fit(X, X[:, 0] > 0)
    >>> tmp = tempfile.TemporaryDirectory()
    >>> path = os.path.join(tmp.name, "clf.tsf")
    >>> clf.save(path)
    >>> load_estimator(path).classes_.tolist()
    [False, True]
    >>> with open(path, "r+b") as fh:  # damage the file: keep its first 100 bytes
    ...     _ = fh.truncate(100)
    >>> load_estimator(path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: '...clf.tsf' is not a tsforecast estimator archive (not a zip file: ...
    >>> tmp.cleanup()
    """
    name = os.fsdecode(os.fspath(path)) if isinstance(path, (str, bytes, os.PathLike)) else path
    try:
        zf = zipfile.ZipFile(name)
    except zipfile.BadZipFile:
        size = os.path.getsize(name) if isinstance(name, str) else None
        what = "the file is empty" if size == 0 else (
            "not a zip file: another kind of file, or a truncated or damaged archive"
            + ("" if size is None else f"; {size} bytes") + _pickle_hint(name)
        )
        raise ValueError(
            f"{name!r} is not a tsforecast estimator archive ({what}). Only files written by save() or "
            "save_estimator() can be loaded; save the model again if this one was damaged."
        ) from None
    with zf:
        names = set(zf.namelist())
        missing = [m for m in ("metadata.json", "estimator.pkl") if m not in names]
        if missing:
            hint = _pickle_hint(name)  # a pickle of an LSTM holds a .keras zip: zipfile finds that one
            if not hint and "config.json" in names:
                hint = ": a Keras model file? load it with keras.saving.load_model"
            raise ValueError(
                f"{name!r} is not a tsforecast estimator archive (a zip file without {' and '.join(missing)}"
                f"{hint})."
            )
        raw = _read_member(zf, "metadata.json", name)
        try:
            meta = json.loads(raw)
        except ValueError:  # not JSON, or not UTF-8
            meta = None
        if not isinstance(meta, dict):
            raise ValueError(f"{name!r} is a damaged tsforecast estimator archive: metadata.json is not a JSON object.")
        if meta.get("format") != _FORMAT:
            raise ValueError(f"{name!r} has format {meta.get('format')!r}, not {_FORMAT!r}.")
        members = meta.get("models")
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            raise ValueError(f"{name!r} is a damaged tsforecast estimator archive: metadata.json lists no models.")
        models = {m: _model_from_bytes(_read_member(zf, m, name), where=f"{name!r} (member {m})") for m in members}
        blob = _read_member(zf, "estimator.pkl", name)
    with _archive(models):
        try:
            return pickle.load(io.BytesIO(blob))
        except Exception as exc:  # noqa: BLE001 - a damaged pickle can raise almost anything
            raise ValueError(
                f"{name!r}: the estimator in it cannot be unpickled ({_short_error(exc)}). The archive is damaged, "
                f"or needs the versions it was saved with (tsforecast {meta.get('tsforecast_version')}, "
                f"Keras {meta.get('keras_version')}) and the modules of every object in it."
            ) from None


def _pickle_hint(name):
    """``": a pickle file? ..."`` when the file starts like a pickle (protocol >= 2), else ``""``."""
    head = b""
    with contextlib.suppress(OSError, TypeError):
        with open(name, "rb") as fh:
            head = fh.read(1)
    return ": a pickle file? load it with pickle.load or joblib.load" if head == b"\x80" else ""


def _read_member(zf, member, name):
    """Bytes of one member of an archive; damaged data raise a ValueError naming the file."""
    try:
        return zf.read(member)
    except KeyError:
        raise ValueError(f"{name!r} is a damaged tsforecast estimator archive: member {member!r} is missing.") from None
    except Exception as exc:  # noqa: BLE001 - zipfile/zlib raise various errors on damaged data
        raise ValueError(
            f"{name!r} is a damaged tsforecast estimator archive: member {member!r} cannot be read "
            f"({_short_error(exc)}). Save the model again."
        ) from None

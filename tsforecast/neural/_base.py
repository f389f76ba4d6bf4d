"""The one Keras core behind ``LSTMRegressor``, ``LSTMClassifier`` and ``LSTMForecaster``.

:class:`_BaseLSTM` holds the hyperparameters and runs everything that does
not depend on the task, each job in a module of its own: checking and
padding the input sequences (:mod:`._checks`), standardising the features in
float64 (:mod:`._scaling`), building the network from plain hyperparameters
(:mod:`._network`), training it seeded and quiet (:mod:`._training`), running
it forward (:mod:`._inference`) and turning it into bytes and back
(:mod:`._persistence`: pickle, joblib, ``save``/``load``). A concrete
estimator only says how its targets are encoded (:meth:`_encode_targets`),
what the output layer is (:meth:`_head`) and how raw network outputs are
decoded (its ``predict``).

``LSTMForecaster`` trains an ``LSTMRegressor`` on windows, so it shares this
core as well. Keras is imported lazily (inside ``fit``, ``predict`` and
``load``).
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ..utils._sklearn import Interval, StrOptions, fit_context

from ._checks import FLOAT32_MAX, FarFromTrainingError, as_layer_sizes, check_float32_range, check_sequences
from ._checks import check_unscaled_not_tiny
from ._inference import run_network
from ._keras import derive_seeds
from ._network import PAD_VALUE
from ._persistence import SaveLoadMixin, pack_model, unpack_model
from ._scaling import ScaleSettings, Standardiser
from ._training import OPTIMIZERS, train_network, validation_split

__all__ = ["_BaseLSTM"]

#: the scale settings of a plain ``fit``
_DEFAULT_SCALING = ScaleSettings()


class _BaseLSTM(SaveLoadMixin, BaseEstimator):
    """Hyperparameters and the shared Keras machinery of the LSTM estimators."""

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
        "optimizer": [StrOptions(set(OPTIMIZERS))],
        "loss": [str, callable, None],
        "adversarial": [Interval(Real, 0, None, closed="left")],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "early_stopping": ["boolean"],
        "patience": [Interval(Integral, 1, None, closed="left")],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
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
        n_estimators=1,
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
        self.n_estimators = n_estimators
        self.random_state = random_state
        self.verbose = verbose


    # ------------------------------------------------------------ subclass API
    def _encode_targets(self, y, *, reset, scaling):
        """Return the training targets as an array for Keras (n, k).

        ``reset`` is true for the training targets (fit the target encoding), false for
        validation targets; ``scaling`` bounds the target scale of a regressor.
        """
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

    def _training_settings(self, n_samples, seqs):
        """The training settings of a fit on ``n_samples`` sequences ``seqs``: a dict with
        ``epochs``, ``batch_size``, ``learning_rate``, ``patience``, ``validation_fraction``,
        ``n_estimators`` and ``patch`` (time steps fed as one LSTM step). Here the parameters
        as given; the classifier resolves its ``"auto"`` values from the data."""
        return dict(epochs=self.epochs, batch_size=self.batch_size, learning_rate=self.learning_rate,
                    patience=self.patience, validation_fraction=self.validation_fraction,
                    n_estimators=int(self.n_estimators), patch=1)

    def _apply_settings(self, settings):
        """Keep the resolved training settings (``_settings``, ``n_estimators_``, ``patch_``)."""
        self._settings = settings
        self.n_estimators_ = settings["n_estimators"]
        self.patch_ = settings["patch"]

    def _network_shape(self):
        """``(time steps, features per step)`` of the network input: patches of ``patch_`` steps."""
        p = getattr(self, "patch_", 1)
        if p == 1 or self.n_timesteps_in_ is None:
            return self.n_timesteps_in_, self._n_channels
        return -(-self.n_timesteps_in_ // p), p * self._n_channels

    def _set_histories(self, histories):
        """``history_`` (the first network's) and ``histories_`` (every network's)."""
        self.histories_ = histories
        self.history_ = histories[0]

    # --------------------------------------------------------------- scaling
    def _fit_x_scaler(self, seqs, scaling):
        """Standardiser of the numeric features over the real time steps of ``seqs`` (``None``: fed as given)."""
        self._x_scaler = None
        if self._tokens:
            return
        real = seqs.values[seqs.real_steps()]  # (n_real_steps, F)
        if self.scale is None:
            check_unscaled_not_tiny(real, "X", "feature")
            return
        # in float64 at any magnitude: tiny X is not flushed to zero; constant features become zeros
        self._x_scaler = Standardiser.fit(real, floor=scaling.x_floor, constant_scale=scaling.x_constant_scale)

    def _network_input(self, seqs):
        """Scaled, padded float32 (or int32 token) array ready for the network."""
        if self._tokens:
            return seqs.values.astype(np.int32)
        x = seqs.values if self._x_scaler is None else self._x_scaler.transform(seqs.values)
        with np.errstate(over="ignore"):  # beyond float32 becomes inf: the callers name such samples
            x = x.astype(np.float32)
        if seqs.lengths is not None:
            x[~seqs.real_steps()] = PAD_VALUE
        p = getattr(self, "patch_", 1)
        if p > 1:  # (n, T, F) -> (n, ceil(T / p), p * F), the first time step repeated in front of the first
            n, T, F = x.shape  # patch (edge padding, as in the cross-validation that chose the classifier rule)
            x = np.concatenate([np.repeat(x[:, :1], -T % p, axis=1), x], axis=1).reshape(n, -1, p * F)
        return x

    # ------------------------------------------------------------------- fit
    def _check_layers(self):
        """Set the layer sizes ``_units`` and ``_dense_units`` from ``units`` and ``dense_units``."""
        self._units = as_layer_sizes(self.units, "units")
        if not self._units:
            raise ValueError("units must name at least one LSTM layer; got an empty tuple.")
        self._dense_units = as_layer_sizes(self.dense_units, "dense_units")

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
        return self._fit(X, y, validation_data=validation_data)

    @fit_context(prefer_skip_nested_validation=True)
    def _fit(self, X, y, *, validation_data=None, scaling=_DEFAULT_SCALING):
        """:meth:`fit`, with the standardisers' scales bounded by the :class:`ScaleSettings` ``scaling``."""
        name = type(self).__name__
        if y is None:
            raise ValueError(f"{name} requires y to be passed, but the target y is None.")
        self._check_layers()
        seqs = check_sequences(self, X, reset=True)
        with np.errstate(over="ignore"):  # |y| > 1e154 overflows the target scaling: named just below
            Y = self._encode_targets(y, reset=True, scaling=scaling)
        if self.__sklearn_tags__().estimator_type == "regressor":  # targets are numbers (checked finite above)
            check_float32_range(np.asarray(y, dtype=np.float64), "y")
        if Y.shape[0] != len(seqs):
            raise ValueError(f"X has {len(seqs)} samples but y has {Y.shape[0]}; they must have the same length.")
        self._apply_settings(self._training_settings(len(seqs), seqs))
        rng = derive_seeds(self.random_state)  # before keras_session: None draws from np.random
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
                raise ValueError("validation_data must be a tuple (X_val, y_val).")
            val_seqs = check_sequences(self, validation_data[0], reset=False)
            Y_val = self._encode_targets(validation_data[1], reset=False, scaling=scaling)
            if Y_val.shape[0] != len(val_seqs):
                raise ValueError(
                    f"validation_data has {len(val_seqs)} samples in X_val but {Y_val.shape[0]} in y_val."
                )
            train_seqs, Y_train = seqs, Y
        else:
            train_idx, val_idx = validation_split(len(seqs), self._settings["validation_fraction"], rng,
                                                 self._stratify(Y))
            train_seqs, Y_train = seqs.take(train_idx), Y[train_idx]
            val_seqs, Y_val = (seqs.take(val_idx), Y[val_idx]) if val_idx.size else (None, None)
        self._fit_x_scaler(train_seqs, scaling)
        x_train = self._network_input(train_seqs)
        val = None
        if val_seqs is not None:
            x_val = self._network_input(val_seqs)
            if x_val.dtype.kind == "f" and not np.all(np.isfinite(x_val)):
                raise ValueError(
                    "the validation samples of X are too far from the training samples: scaled with the "
                    "training mean and standard deviation they go beyond float32's range; the training "
                    "features hardly vary compared with them."
                )
            val = (x_val, Y_val)
        self.model_, histories = train_network(self, x_train, Y_train, val, rng)
        self._set_histories(histories)
        return self

    # --------------------------------------------------------------- predict
    def _forward(self, X):
        """Raw network outputs (float64, (n, n_outputs)) for the sequences ``X``."""
        check_is_fitted(self, "model_")
        seqs = check_sequences(self, X, reset=False)
        x = self._network_input(seqs)
        if x.dtype.kind == "f":
            far = ~np.isfinite(x).reshape(len(x), -1).all(axis=1)
            if far.any():  # an LSTM can saturate to a finite output on infinite inputs: never run it on them
                i = int(np.flatnonzero(far)[0])
                v = seqs.values[i][seqs.real_steps()[i]]
                if self._x_scaler is not None:
                    v = self._x_scaler.transform(v)
                top = float(np.max(np.abs(v)))
                raise FarFromTrainingError(
                    f"sample {i} of X is too far from the training data: scaled with the training mean and "
                    f"standard deviation its values reach {top:.3g}, beyond float32's range (±{FLOAT32_MAX:.3g}) "
                    "the network computes in; check the units/scale of X.",
                    sample=i, value=top,
                )
        raw = run_network(self.model_, x, variable_length=self._kind == "ragged")
        bad = ~np.isfinite(raw).all(axis=1)
        if bad.any():  # e.g. values so far from the training data that float32 overflows
            i = int(np.flatnonzero(bad)[0])
            largest = float(np.abs(np.where(x[i] == PAD_VALUE, 0, x[i])).max())
            raise ValueError(
                f"the network output for sample {i} of X is not finite: its values (largest network input "
                f"{largest:.3g} after scaling) are too far from the training data; check the units/scale of X."
            )
        return raw

    # ------------------------------------------------------------ persistence
    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: object.__getstate__ may return __dict__ itself
        if "model_" in state:
            state["model_"] = pack_model(state["model_"])
        return state

    def __setstate__(self, state):
        # corrupt network bytes raise a ValueError naming this estimator (see _persistence._model_from_bytes)
        if "model_" in state:
            state["model_"] = unpack_model(state["model_"], where=f"the pickled {type(self).__name__}")
        super().__setstate__(state)

"""Training an LSTM estimator's network: validation split, compilation, seeded quiet ``fit``."""

from __future__ import annotations

import math

import numpy as np

from ._adversarial import adversarial_trainer
from ._keras import import_keras, keras_session, keras_verbosity
from ._network import UNROLL_MAX_STEPS, build_network
from ._trace_memory import released_after_training

__all__ = ["OPTIMIZERS", "average_networks", "fit_network", "fit_networks", "train_network", "validation_split"]

#: the ``optimizer`` parameter's values and their Keras classes
OPTIMIZERS = {
    "adam": "Adam",
    "adamw": "AdamW",
    "nadam": "Nadam",
    "rmsprop": "RMSprop",
    "sgd": "SGD",
    "adagrad": "Adagrad",
}

#: a training runs eagerly (no tracing) when its gradient steps in all times the network's time
#: steps are at most this: tracing a step costs about a second, an eager step about 4 ms per time
#: step (benchmarks/bench_eager_threshold.py; break-even near 250)
_EAGER_MAX_STEP_TIMESTEPS = 200

#: time steps assumed for sequences of free length (ragged input)
_EAGER_FREE_LENGTH_TIMESTEPS = 25


def validation_split(n, fraction, rng, stratify=None):
    """Sorted ``(train, validation)`` positions of ``n`` samples, ``ceil(fraction * n)`` held out.

    The samples are drawn with ``rng``; stratified by the labels ``stratify`` when every label
    has two samples or more and both parts can hold every label.
    """
    if fraction == 0:
        return np.arange(n), np.arange(0)
    n_val = math.ceil(fraction * n)
    if n - n_val < 1:
        raise ValueError(
            f"validation_fraction={fraction} of {n} sample(s) leaves no training sample; "
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


def _check_loss(keras, loss):
    if isinstance(loss, str):
        try:
            keras.losses.get(loss)
        except ValueError:
            raise ValueError(
                f"loss={loss!r} is not a loss Keras knows; use e.g. 'mse', 'mae', 'huber', "
                "'binary_crossentropy' or a callable."
            ) from None


def train_network(est, x, Y, validation, rng):
    """Build the networks of the LSTM estimator ``est`` and train them; return ``(model, histories)``.

    ``x`` is the network input (scaled, padded), ``Y`` the encoded targets, ``validation``
    ``(x_val, Y_val)`` or ``None``. ``rng`` (a ``RandomState`` from ``derive_seeds``) gives the
    seeds of the network and of the shuffling. The network's shape comes from ``est``'s
    hyperparameters, the form of its training input (set by ``check_sequences``) and its
    ``_head()``; ``est._extra_callbacks(keras)`` adds Keras callbacks.
    """

    def datasets(tf, shuffle_seed, batch_size):  # called once per network
        data = (
            tf.data.Dataset.from_tensor_slices((x, Y))
            .shuffle(x.shape[0], seed=shuffle_seed, reshuffle_each_iteration=True)
            .batch(batch_size)
            .prefetch(2)
        )
        val_data = None
        if validation is not None:
            val_data = tf.data.Dataset.from_tensor_slices(validation).batch(max(batch_size, 256))
        return data, val_data

    return fit_networks(est, datasets, x.shape[0], rng)


def fit_networks(est, datasets, n_samples, rng):
    """Train ``est.n_estimators_`` networks one after the other; return ``(model, histories)``.

    Each network draws its own initialisation and shuffling seeds from ``rng`` (so the first is
    the network a single-network fit trains); with several, ``model`` is one Keras model that
    runs them all on the same input and outputs the mean of their outputs (soft voting for a
    classifier), and ``histories`` has one training history per network.
    """
    fits = [fit_network(est, datasets, n_samples, rng) for _ in range(est._settings["n_estimators"])]
    models = [model for model, _ in fits]
    return (models[0] if len(models) == 1 else average_networks(models)), [h for _, h in fits]


def average_networks(models):
    """One Keras model whose output is the mean of the outputs of ``models`` (same input)."""
    keras = import_keras()
    first = models[0]
    with keras_session():
        inputs = keras.Input(shape=first.inputs[0].shape[1:], dtype=first.inputs[0].dtype, name="ensemble_input")
        for i, m in enumerate(models):  # unique names inside the combined model (saving needs them)
            m.name = f"network_{i}"
        outputs = [m(inputs) for m in models]
        mean = keras.layers.Average(name="ensemble_mean")(outputs)
        return keras.Model(inputs, mean, name="ensemble")


def fit_network(est, datasets, n_samples, rng):
    """:func:`train_network` on data given as ``tf.data`` pipelines; return ``(model, history)``.

    ``datasets(tf, shuffle_seed, batch_size)`` returns the training dataset (batches of
    ``(x, Y)``, shuffled with ``shuffle_seed``) and the validation dataset (or ``None``);
    ``n_samples`` is the number of training samples per epoch. A streamed fit (windows cut
    batch by batch, see :mod:`._streaming`) calls this directly.
    """
    keras = import_keras()
    import tensorflow as tf

    n_out, activation, default_loss = est._head()
    loss = default_loss if est.loss is None else est.loss
    net_seed = int(rng.randint(2**31 - 1))
    shuffle_seed = int(rng.randint(2**31 - 1))
    settings = est._settings  # the resolved training settings (see _BaseLSTM._training_settings)
    batch_size = int(min(settings["batch_size"], n_samples))
    timesteps, n_features = est._network_shape()
    with keras_session(est.verbose):
        model = build_network(
            keras,
            timesteps=timesteps,
            n_features=n_features,
            n_outputs=n_out,
            activation=activation,
            units=est._units,
            dropout=est.dropout,
            recurrent_dropout=est.recurrent_dropout,
            bidirectional=est.bidirectional,
            dense_units=est._dense_units,
            embedding=None if not est._tokens else (est.vocab_size_, est.embedding_dim),
            masked=est._kind == "ragged" and not est._tokens,
            seed=net_seed,
            unroll=est._kind != "ragged" and timesteps <= UNROLL_MAX_STEPS,
        )
        optimizer = getattr(keras.optimizers, OPTIMIZERS[est.optimizer])(learning_rate=settings["learning_rate"])
        _check_loss(keras, loss)
        # tiny jobs (a few gradient steps in all) run eagerly: tracing the
        # training step would take longer than the training itself
        steps = settings["epochs"] * math.ceil(n_samples / batch_size)
        eager = steps * (timesteps or _EAGER_FREE_LENGTH_TIMESTEPS) <= _EAGER_MAX_STEP_TIMESTEPS
        trainer = model
        if est.adversarial > 0:
            trainer = adversarial_trainer(keras, model, epsilon=est.adversarial, loss=loss)
            trainer.compile(optimizer=optimizer, jit_compile=False, run_eagerly=eager)
        else:
            model.compile(optimizer=optimizer, loss=loss, jit_compile=False, run_eagerly=eager)
        data, val_data = datasets(tf, shuffle_seed, batch_size)
        callbacks = [keras.callbacks.TerminateOnNaN(), *est._extra_callbacks(keras)]
        if est.early_stopping:
            callbacks.append(
                keras.callbacks.EarlyStopping(
                    monitor="val_loss" if val_data is not None else "loss",
                    patience=settings["patience"],
                    restore_best_weights=True,
                )
            )
        with released_after_training(model, traced=not eager):
            hist = trainer.fit(
                data,
                epochs=settings["epochs"],
                validation_data=val_data,
                callbacks=callbacks,
                verbose=keras_verbosity(est.verbose),
                shuffle=False,
            )
    history = {k: [float(v) for v in vals] for k, vals in hist.history.items()}
    losses = history.get("loss", [])
    if losses and not np.isfinite(losses[-1]):
        raise FloatingPointError(
            f"training diverged: the loss became {losses[-1]} at epoch {len(losses)}. "
            "Lower learning_rate, keep scale='standard', or check X and y for extreme values."
        )
    return model, history

"""Running a fitted network forward, in inference mode, in chunks."""

from __future__ import annotations

import weakref

import numpy as np

from ._keras import import_keras, keras_session

__all__ = ["run_network"]

#: predict runs eagerly for inputs up to this many rows, for the first calls
_EAGER_MAX_ROWS = 512
_EAGER_MAX_CALLS = 2

#: compiled forward functions of fitted networks, kept out of the estimators'
#: ``__dict__`` (predict must not change the estimator): model -> [fn, n_calls]
_PREDICT_FNS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()

#: rows per forward pass (bounds memory on large inputs)
_PREDICT_CHUNK = 8192


def run_network(model, x, *, variable_length=False):
    """Outputs (float64, ``(n, n_outputs)``) of the Keras ``model`` on the network input ``x``.

    The first calls on small inputs run eagerly (no tracing cost); large
    inputs and repeated calls (e.g. recursive forecasting) use one compiled
    ``tf.function`` per fitted network, whose time dimension is left free
    when the network takes ``variable_length`` sequences.
    """
    import_keras()
    import tensorflow as tf

    cache = _PREDICT_FNS.get(model)
    if cache is None:
        cache = _PREDICT_FNS[model] = [None, 0]
    cache[1] += 1
    if cache[0] is None and (x.shape[0] > _EAGER_MAX_ROWS or cache[1] > _EAGER_MAX_CALLS):
        model_ref = weakref.ref(model)  # a strong reference would keep the cache key alive
        time_dim = None if variable_length else x.shape[1]
        spec = tf.TensorSpec((None, time_dim) + tuple(x.shape[2:]), dtype=x.dtype)
        cache[0] = tf.function(lambda t: model_ref()(t, training=False), input_signature=[spec])
    fn = cache[0] if cache[0] is not None else (lambda t: model(t, training=False))
    with keras_session():
        parts = [
            np.asarray(fn(tf.constant(x[i : i + _PREDICT_CHUNK])), dtype=np.float64)
            for i in range(0, x.shape[0], _PREDICT_CHUNK)
        ]
    return np.concatenate(parts, axis=0)

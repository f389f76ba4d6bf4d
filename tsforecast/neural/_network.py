"""The LSTM network, built from plain hyperparameters (Keras is passed in, never imported here)."""

from __future__ import annotations

import numpy as np

__all__ = ["PAD_VALUE", "build_network"]

#: value that fills the padded time steps of variable-length numeric
#: sequences; a ``Masking`` layer removes them from the LSTM's view.
PAD_VALUE = -1.0e9

#: fixed-length sequences up to this many time steps run an unrolled LSTM
#: (about 30% faster training on CPU; longer ones would trace slowly)
UNROLL_MAX_STEPS = 10


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


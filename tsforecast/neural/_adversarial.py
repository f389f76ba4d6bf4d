"""Adversarial training of the LSTM networks (Goodfellow et al. 2015; Miyato et al. 2017).

With ``adversarial=eps > 0`` every training step adds a second loss term: the
loss of the same batch after its input representation (the embedding output
for token ids, the scaled inputs otherwise) has been moved by a small step in
the direction that increases the loss most,

    r = eps * ||e|| * g / ||g||,    g = d loss / d e,

where ``e`` is one sequence's representation and the norms run over its
real (unpadded) time steps and features, so ``eps`` is relative to each
sequence's own size and cannot be escaped by growing the embeddings. The
network is trained on ``loss(e) + loss(e + r)``; prediction is unchanged.

The trainer wraps the estimator's functional network without changing it:
after ``fit`` the estimator keeps the plain network (same saving, pickling
and prediction as without adversarial training).
"""

from __future__ import annotations

__all__ = ["adversarial_trainer", "split_network", "forward_from_representation"]


def split_network(keras, model):
    """``(first, rest)``: the layer making the input representation and the layers after it.

    ``first`` is the ``Embedding`` or ``Masking`` layer, or ``None`` when the
    inputs feed the first LSTM directly. The network must be the chain built
    by :func:`tsforecast.neural._network.build_network`.
    """
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    if layers and isinstance(layers[0], (keras.layers.Embedding, keras.layers.Masking)):
        return layers[0], layers[1:]
    return None, layers


def representation(first, x):
    """Input representation of the batch ``x`` and its time-step mask (or ``None``)."""
    import tensorflow as tf

    if first is None:
        return tf.cast(x, "float32"), None
    return first(x), first.compute_mask(x)


def forward_from_representation(keras, rest, h, mask, training):
    """Run the layers ``rest`` of the chain on the representation ``h`` (masking as the model does)."""
    recurrent = (keras.layers.LSTM, keras.layers.Bidirectional)
    for layer in rest:
        if isinstance(layer, recurrent):
            h = layer(h, mask=mask, training=training)
            if not layer.return_sequences:
                mask = None
        else:
            h = layer(h, training=training)
    return h


def _loss_function(keras, loss):
    """A per-sample loss function from a Keras loss name or callable."""
    return keras.losses.get(loss) if isinstance(loss, str) else loss


def adversarial_trainer(keras, model, *, epsilon, loss):
    """A ``keras.Model`` that trains ``model`` adversarially (see the module docstring).

    Compile it with an optimizer only and ``fit`` it like ``model``; it
    reports the clean ``loss`` (and ``val_loss``), averaged over the batches
    of an epoch, so histories and early stopping read as without adversarial
    training. The weights trained are ``model``'s own.
    """
    import tensorflow as tf

    loss_fn = _loss_function(keras, loss)
    first, rest = split_network(keras, model)
    eps = float(epsilon)

    def mean_loss(y, pred):
        return tf.reduce_mean(loss_fn(y, pred))

    class AdversarialTrainer(keras.Model):
        def __init__(self):
            super().__init__(name="adversarial_trainer")
            self.network = model
            self.loss_tracker = keras.metrics.Mean(name="loss")

        @property
        def metrics(self):
            return [self.loss_tracker]

        def call(self, x, training=False):
            return self.network(x, training=training)

        def train_step(self, data):
            x, y = data
            weights = self.network.trainable_variables
            with tf.GradientTape() as tape:
                h, mask = representation(first, x)
                with tf.GradientTape() as probe:
                    probe.watch(h)
                    clean = mean_loss(y, forward_from_representation(keras, rest, h, mask, True))
                g = tf.stop_gradient(probe.gradient(clean, h))
                real = 1.0 if mask is None else tf.cast(mask, h.dtype)[..., None]
                axes = list(range(1, len(h.shape)))
                g = g * real
                g_norm = tf.sqrt(tf.reduce_sum(tf.square(g), axis=axes, keepdims=True))
                h_norm = tf.stop_gradient(tf.sqrt(tf.reduce_sum(tf.square(h * real), axis=axes, keepdims=True)))
                r = eps * h_norm * tf.math.divide_no_nan(g, g_norm)
                adversarial = mean_loss(y, forward_from_representation(keras, rest, h + r, mask, True))
                total = clean + adversarial
            self.optimizer.apply(tape.gradient(total, weights), weights)
            self.loss_tracker.update_state(clean, sample_weight=tf.cast(tf.shape(x)[0], "float32"))
            return {"loss": self.loss_tracker.result()}

        def test_step(self, data):
            x, y = data
            n = tf.cast(tf.shape(x)[0], "float32")
            self.loss_tracker.update_state(mean_loss(y, self.network(x, training=False)), sample_weight=n)
            return {"loss": self.loss_tracker.result()}

    return AdversarialTrainer()

"""The numeric core of ``ESRNNForecaster``: the exponential-smoothing recursion and the joint training.

Nothing here imports TensorFlow at module import time: :func:`train_esrnn` and
:class:`NetworkRunner` import it (through :func:`._keras.import_keras`) when called.

Data layout: the ``N`` training series, each divided by its own positive scale (so every
series is of order 1 and the float32 computation is scale free), are right-aligned in an
``(N, T)`` array: position ``T - 1`` is the last observation of every series, positions
before a series' first observation hold 1.0 and are masked out of the recursion.

The recursion (multiplicative, no trend), for observation ``y_t`` of one series with
level smoothing ``a``, seasonal smoothing ``g`` and season length ``m``::

    l_t     = a * y_t / s_t + (1 - a) * l_{t-1}      (l at the first observation: y_0 / s_0)
    s_{t+m} = g * y_t / l_t + (1 - g) * s_t          (s_0 .. s_{m-1}: learned initial indices)

A window ending at ``t`` is fed to the network as ``log(y_j / (l_t * s_j))`` for its
``window`` positions ``j``; its targets are ``log(y_{t+k} / (l_t * s'_{t+k}))``, ``k = 1..h``,
where ``s'_{t+k} = s_{t + 1 + (k - 1) mod m}``: the seasonal indices known at time ``t``
(those of the next ``m`` steps), repeated beyond one season, so no target value leaks into
its own normalisation. Forecasts are ``exp(output_k) * l_T * s'_{T+k}``.
"""

from __future__ import annotations

import logging
import math

import numpy as np

from ._keras import import_keras, keras_session
from ._network import build_network
from ._trace_memory import released_after_training

__all__ = ["es_numpy", "future_season", "train_esrnn", "NetworkRunner"]

#: smoothing coefficients are kept in [_COEF_MIN, 1 - _COEF_MIN] (a sigmoid of a learned logit)
_COEF_MIN = 1e-3

_log = logging.getLogger("tsforecast.neural.esrnn")


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def coefficients(params):
    """``(alpha, gamma, initial seasonal indices)`` of learned raw parameters (numpy)."""
    lo = _COEF_MIN
    alpha = lo + (1 - 2 * lo) * _sigmoid(params["alpha_logit"])
    gamma = lo + (1 - 2 * lo) * _sigmoid(params["gamma_logit"])
    return alpha, gamma, np.exp(params["log_season"])


def es_numpy(y, valid, alpha, gamma, init_season):
    """The ES recursion of right-aligned positive series in float64 (the numpy twin of the training's).

    ``y``, ``valid`` (N, T); ``alpha``, ``gamma`` (N,); ``init_season`` (N, m). Returns levels
    (N, T) and seasonal indices (N, T + m): ``seasonal[:, t]`` is the index used at time ``t``,
    ``seasonal[:, T:]`` those of the next ``m`` steps.
    """
    N, T = y.shape
    m = init_season.shape[1]
    level = np.ones((N, T))
    seas = np.ones((N, T + m))
    ring = init_season.astype(np.float64).copy()
    lev = np.ones(N)
    started = np.zeros(N, dtype=bool)
    for t in range(T):
        v = valid[:, t]
        s = ring[:, 0].copy()
        seas[:, t] = s
        ratio = y[:, t] / s
        new = np.where(started, alpha * ratio + (1 - alpha) * lev, ratio)
        lev = np.where(v, new, lev)
        if m > 1:
            new_s = gamma * y[:, t] / lev + (1 - gamma) * s
            rolled = np.concatenate([ring[:, 1:], new_s[:, None]], axis=1)
            ring = np.where(v[:, None], rolled, ring)
        started |= v
        level[:, t] = lev
    seas[:, T:] = ring
    return level, seas


def future_season(seas, end, steps, m):
    """Seasonal indices ``s'_{end+k}`` for the 1-based ``steps`` ``k`` (see the module docstring)."""
    return seas[end + 1 + (np.asarray(steps) - 1) % m]


def _es_tf(tf, y, valid, alpha, gamma, init_season):
    """The ES recursion over time for a batch of right-aligned series (float32 tensors).

    ``y``, ``valid`` (B, T); ``alpha``, ``gamma`` (B,); ``init_season`` (B, m). Returns levels
    (B, T) and seasonal indices (B, T + m).
    """
    m = init_season.shape[1]
    ys = tf.transpose(y)
    vs = tf.transpose(valid)
    T = y.shape[1]  # static: the while loop needs a maximum number of iterations for XLA and gradients

    def step(t, lev, ring, started, lev_out, s_out):
        y_t, v_t = ys[t], vs[t]
        s_t = ring[:, 0]
        ratio = y_t / s_t
        new_lev = tf.where(started, alpha * ratio + (1.0 - alpha) * lev, ratio)
        if m > 1:
            new_s = gamma * y_t / new_lev + (1.0 - gamma) * s_t
            new_ring = tf.concat([ring[:, 1:], new_s[:, None]], axis=1)
            ring = tf.where(v_t[:, None], new_ring, ring)
        lev = tf.where(v_t, new_lev, lev)
        return t + 1, lev, ring, tf.logical_or(started, v_t), lev_out.write(t, lev), s_out.write(t, s_t)

    B = tf.shape(y)[0]
    init = (tf.constant(0), tf.ones([B]), init_season, tf.zeros([B], dtype=tf.bool),
            tf.TensorArray(tf.float32, size=T), tf.TensorArray(tf.float32, size=T))
    _, _, ring, _, lev_out, s_out = tf.while_loop(lambda t, *_: t < T, step, init, maximum_iterations=T)
    return tf.transpose(lev_out.stack()), tf.concat([tf.transpose(s_out.stack()), ring], axis=1)


def _window_index(ends, window, horizon, m):
    """Gather positions of the inputs (k, window), targets (k, horizon) and future seasons of window ends."""
    inp = ends[:, None] - window + 1 + np.arange(window)
    tgt = ends[:, None] + 1 + np.arange(horizon)
    fut = ends[:, None] + 1 + np.arange(horizon) % m
    return inp, tgt, fut


class _Spec:
    """Plain settings of one training run (no TensorFlow objects)."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


def build_esrnn_network(keras, spec, seed):
    """The global network: LSTM layers on ``window // patch`` steps, a dense head of ``horizon`` outputs."""
    return build_network(
        keras,
        timesteps=spec.window // spec.patch,
        n_features=spec.patch * (1 + spec.n_exog),
        n_outputs=spec.horizon,
        activation=None,
        units=spec.units,
        dropout=0.0,
        recurrent_dropout=0.0,
        bidirectional=False,
        dense_units=spec.dense_units,
        embedding=None,
        masked=False,
        seed=seed,
        unroll=spec.window // spec.patch <= 10,
    )


def _network_input(tf, x, exog, spec):
    """(k, window) normalised values and (k, window, n_exog) exogenous rows -> (k, steps, patch * channels)."""
    if exog is not None:
        x = tf.concat([x[..., None], exog], axis=-1)
    else:
        x = x[..., None]
    steps = spec.window // spec.patch
    return tf.reshape(x, [-1, steps, spec.patch * (1 + spec.n_exog)])


def train_esrnn(data, spec, seed, init_params, verbose=0):
    """Train one ES-RNN (network + per-series ES parameters) and return its state.

    ``data`` holds numpy arrays: ``y`` (N, T) right-aligned positive scaled series (1.0 in the
    padding), ``valid`` (N, T) bool, ``train_lo``/``train_hi`` (N,) the range of training window
    ends of each series (``hi < lo``: none), ``val_ends`` (V,) and ``val_series`` (V,) held-out
    window ends, ``exog`` (N, T, k) standardised right-aligned exogenous rows or ``None`` (input
    position ``j`` is fed with row ``j + horizon``),
    ``penalty_hi`` (N,) last position the level penalty looks at. ``init_params`` the initial
    raw ES parameters. Returns ``(weights, params, history)`` of the best epoch.
    """
    keras = import_keras()
    import tensorflow as tf

    rng = np.random.RandomState(seed)
    net_seed = int(rng.randint(2**31 - 1))
    N, T = data["y"].shape
    m, w, h = spec.m, spec.window, spec.horizon
    with keras_session(verbose):
        model = build_esrnn_network(keras, spec, net_seed)
        y_all = tf.constant(data["y"], tf.float32)
        logy_all = tf.math.log(y_all)
        valid_all = tf.constant(data["valid"])
        exog_all = None if data["exog"] is None else tf.constant(data["exog"], tf.float32)
        a_var = tf.Variable(init_params["alpha_logit"].astype(np.float32), name="alpha_logit")
        g_var = tf.Variable(init_params["gamma_logit"].astype(np.float32), name="gamma_logit")
        s_var = tf.Variable(init_params["log_season"].astype(np.float32), name="log_season")
        es_vars = [a_var, g_var, s_var]
        net_vars = model.trainable_variables
        opt = keras.optimizers.Adam(learning_rate=spec.learning_rate, clipnorm=spec.clipnorm)
        es_opt = keras.optimizers.Adam(learning_rate=spec.learning_rate * spec.es_learning_rate_factor)
        lo = _COEF_MIN
        tau = spec.tau
        pen_hi = tf.constant(data["penalty_hi"], tf.int32)
        pos = tf.range(T)[None, :]

        def forward(series, ends, inp_idx, tgt_idx, fut_idx, training):
            """Pinball loss and level penalty of a batch.

            ``series`` is ``(rows, row_of)``: the fitted-series positions of the batch (B,) and,
            per window, its row in the batch (k,); ``ends`` (k,) the absolute window ends and the
            index arrays those of :func:`_window_index`.
            """
            rows, row_of = series
            y = tf.gather(y_all, rows)
            valid = tf.gather(valid_all, rows)
            alpha = lo + (1 - 2 * lo) * tf.sigmoid(tf.gather(a_var, rows))
            gamma = lo + (1 - 2 * lo) * tf.sigmoid(tf.gather(g_var, rows))
            season0 = tf.exp(tf.gather(s_var, rows)) if m > 1 else tf.ones_like(tf.gather(s_var, rows))
            levels, seas = _es_tf(tf, y, valid, alpha, gamma, season0)
            loglev, logseas = tf.math.log(levels), tf.math.log(seas)
            logy = tf.gather(logy_all, rows)
            r = row_of[:, None]
            base = tf.gather_nd(loglev, tf.stack([row_of, ends], axis=1))[:, None]
            x = tf.gather_nd(logy, tf.stack([tf.broadcast_to(r, tf.shape(inp_idx)), inp_idx], -1)) - base - \
                tf.gather_nd(logseas, tf.stack([tf.broadcast_to(r, tf.shape(inp_idx)), inp_idx], -1))
            target = tf.gather_nd(logy, tf.stack([tf.broadcast_to(r, tf.shape(tgt_idx)), tgt_idx], -1)) - base - \
                tf.gather_nd(logseas, tf.stack([tf.broadcast_to(r, tf.shape(fut_idx)), fut_idx], -1))
            ex = None
            if exog_all is not None:
                ex = tf.gather_nd(tf.gather(exog_all, rows),
                                  tf.stack([tf.broadcast_to(r, tf.shape(inp_idx)), inp_idx + h], -1))
            out = model(_network_input(tf, x, ex, spec), training=training)
            err = target - out
            loss = tf.reduce_mean(tf.maximum(tau * err, (tau - 1.0) * err))
            penalty = tf.constant(0.0)
            if spec.level_penalty > 0:
                d = loglev[:, 1:] - loglev[:, :-1]
                dd = d[:, 1:] - d[:, :-1]
                # second differences of the log level over valid positions up to the penalty end
                ok = tf.logical_and(valid[:, :-2], pos[:, 2:] <= tf.gather(pen_hi, rows)[:, None])
                okf = tf.cast(ok, tf.float32)
                penalty = spec.level_penalty * tf.reduce_sum(tf.square(dd) * okf) / tf.maximum(tf.reduce_sum(okf), 1.0)
            return loss, penalty

        @tf.function(jit_compile=spec.jit)
        def train_step(rows, row_of, ends, inp_idx, tgt_idx, fut_idx):
            with tf.GradientTape() as tape:
                loss, penalty = forward((rows, row_of), ends, inp_idx, tgt_idx, fut_idx, True)
                total = loss + penalty
            grads = tape.gradient(total, net_vars + es_vars)
            grads = [tf.convert_to_tensor(g) if g is not None else tf.zeros_like(v)
                     for g, v in zip(grads, net_vars + es_vars)]
            opt.apply_gradients(zip(grads[: len(net_vars)], net_vars))
            es_opt.apply_gradients(zip(grads[len(net_vars):], es_vars))
            return loss, penalty

        @tf.function(jit_compile=spec.jit)
        def val_step(rows, row_of, ends, inp_idx, tgt_idx, fut_idx):
            loss, _ = forward((rows, row_of), ends, inp_idx, tgt_idx, fut_idx, False)
            return loss

        lo_b, hi_b = data["train_lo"], data["train_hi"]
        trainable = np.flatnonzero(hi_b >= lo_b)
        n_batch = max(1, math.ceil(trainable.size / spec.series_per_batch))
        val = None
        if data["val_ends"].size:
            vs = data["val_series"]
            rows, row_of = np.unique(vs, return_inverse=True)
            ends = data["val_ends"]
            val = [tf.constant(a) for a in (rows.astype(np.int32), row_of.astype(np.int32), ends.astype(np.int32),
                                            *(i.astype(np.int32) for i in _window_index(ends, w, h, m)))]
        def snapshot():
            return ([v.numpy().copy() for v in model.weights],
                    {"alpha_logit": a_var.numpy().astype(np.float64),
                     "gamma_logit": g_var.numpy().astype(np.float64),
                     "log_season": s_var.numpy().astype(np.float64)})

        history = {"loss": [], "penalty": []}
        if val is not None:
            history["val_loss"] = []
        best = (np.inf, None)
        wait = 0
        with released_after_training(model):
            for epoch in range(spec.epochs):
                order = rng.permutation(trainable)
                # every batch has the same number of series (the last one is topped up from the start of the
                # epoch's order), so the compiled training step is traced once
                if n_batch > 1:
                    order = np.concatenate([order, order[: n_batch * spec.series_per_batch - order.size]])
                losses, pens = [], []
                for b in range(n_batch):
                    rows = np.sort(order[b * spec.series_per_batch:(b + 1) * spec.series_per_batch])
                    if rows.size == 0:
                        continue
                    k = spec.windows_per_series
                    row_of = np.repeat(np.arange(rows.size), k)
                    span = hi_b[rows] - lo_b[rows] + 1
                    ends = lo_b[rows][row_of] + (rng.random_sample(row_of.size) * span[row_of]).astype(np.int64)
                    idx = _window_index(ends, w, h, m)
                    loss, pen = train_step(*(tf.constant(a.astype(np.int32)) for a in (rows, row_of, ends, *idx)))
                    losses.append(float(loss))
                    pens.append(float(pen))
                history["loss"].append(float(np.mean(losses)))
                history["penalty"].append(float(np.mean(pens)))
                if not np.isfinite(history["loss"][-1]):
                    raise FloatingPointError(
                        f"ES-RNN training diverged: the loss became {history['loss'][-1]} at epoch {epoch + 1}. "
                        "Lower learning_rate or check the series for extreme values."
                    )
                monitor = history["loss"][-1]
                if val is not None:
                    monitor = float(val_step(*val))
                    history["val_loss"].append(monitor)
                if verbose:
                    _log.info("epoch %d: loss %.5f, penalty %.5f%s", epoch + 1, history["loss"][-1],
                              history["penalty"][-1], f", val_loss {monitor:.5f}" if val is not None else "")
                if monitor < best[0] - 1e-7 or (not spec.early_stopping and epoch == spec.epochs - 1):
                    best = (monitor, snapshot())
                    wait = 0
                else:
                    wait += 1
                    if spec.early_stopping and wait >= spec.patience:
                        break
    weights, params = best[1]
    return weights, params, history


class NetworkRunner:
    """Runs the trained networks of a fitted ``ESRNNForecaster`` (rebuilt lazily, not pickled)."""

    def __init__(self, spec, weights):
        self.spec = spec
        self.weights = weights  # one list of numpy arrays per network
        self._models = None

    def __getstate__(self):
        return {"spec": self.spec, "weights": self.weights, "_models": None}

    def predict(self, x, exog, i):
        """Outputs (k, horizon) of network ``i`` for normalised windows ``x`` (k, window)."""
        keras = import_keras()
        import tensorflow as tf

        with keras_session():
            if self._models is None:
                models = []
                for w in self.weights:
                    model = build_esrnn_network(keras, self.spec, 0)
                    model.set_weights(w)
                    models.append(model)
                self._models = models
            xt = tf.constant(x, tf.float32)
            et = None if exog is None else tf.constant(exog, tf.float32)
            return np.asarray(self._models[i](_network_input(tf, xt, et, self.spec), training=False), dtype=np.float64)

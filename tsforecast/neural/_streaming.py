"""Training an ``LSTMForecaster``'s network on windows cut batch by batch from the series.

The in-memory path of ``LSTMForecaster.fit`` materialises every training
window (``n_windows x window`` values, in float64, several times over) before
Keras sees it, so its memory grows with the number of windows times the
window length. The streamed path keeps only the transformed series (one flat
float64 array, :class:`WindowSource`) and numbers the windows: the windows of
series ``k`` are ``first[k] .. first[k] + counts[k] - 1`` (starts), in series
order (:class:`WindowRanges`). Each batch's windows are cut, normalised,
patched and standardised in a ``tf.data`` map when Keras asks for them, with
the very same per-window operations as the in-memory path. The statistics of
the inner regressor's standardisers are gathered in one pass over the
windows, chunk by chunk (:class:`~._scaling.ColumnMoments`).

Every window of an epoch is visited in the order of the in-memory path (the
same ``tf.data`` shuffle of the window numbers with the same seed); only the
standardisers' means and standard deviations differ from the in-memory ones,
in their last bits (they are merged chunk by chunk), so the two paths give the
same forecasts up to float32 rounding. With ``max_windows_per_epoch`` each
epoch instead draws that many windows at random (without replacement, a new
draw per epoch), and validation uses a fixed random sample of the held-out
windows of the same relative size.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from ._keras import derive_seeds
from ._conformal import calibration_residuals, held_out_windows
from ._scaling import SPREAD_FLOOR, ColumnMoments, ScaleSettings
from ._training import fit_networks

__all__ = ["WindowList", "WindowRanges", "WindowSource", "fit_streamed"]

#: windows per chunk of the statistics pass (bounds its memory)
_CHUNK = 1 << 16


class WindowRanges:
    """Windows numbered in series order: series ``k`` has starts ``first[k] .. first[k] + counts[k] - 1``.

    Parameters
    ----------
    offsets : ndarray of int
        Position of each series' first value in the flat array of :class:`WindowSource`.
    first, counts : ndarray of int
        First window start and number of windows of each series.
    """

    def __init__(self, offsets, first, counts):
        self.offsets = np.asarray(offsets, dtype=np.int64)
        self.first = np.asarray(first, dtype=np.int64)
        self.counts = np.asarray(counts, dtype=np.int64)
        self._end = np.cumsum(self.counts)
        self.n = int(self._end[-1]) if self._end.size else 0

    def locate(self, idx):
        """Series and start of the windows numbered ``idx``."""
        k = np.searchsorted(self._end, idx, side="right")
        return k, self.first[k] + idx - (self._end[k] - self.counts[k])

    def positions(self, idx):
        """Positions (in the flat array) of the first value of the windows numbered ``idx``."""
        k, start = self.locate(np.asarray(idx, dtype=np.int64))
        return self.offsets[k] + start


class WindowList:
    """An explicit list of window positions (e.g. a random sample of :class:`WindowRanges`)."""

    def __init__(self, positions):
        self._positions = np.asarray(positions, dtype=np.int64)
        self.n = int(self._positions.size)

    def positions(self, idx):
        """Positions of the windows numbered ``idx``."""
        return self._positions[idx]


class WindowSource:
    """The transformed series of a forecaster, flat, and the network windows cut from them.

    Parameters
    ----------
    forecaster : LSTMForecaster
        Gives the window length, the number of targets and :meth:`_network_windows`.
    z : ndarray of shape (n_values,)
        The transformed series, one after the other.
    exog : ndarray of shape (n_values, n_exog) or None
        The exogenous rows fed with each value (already shifted), or ``None``.
    """

    def __init__(self, forecaster, z, exog):
        self.forecaster = forecaster
        self.z = z
        self.exog = exog
        self._inputs = np.arange(forecaster.window_)
        self._targets = forecaster.window_ + np.arange(forecaster._out_len)

    def raw_windows(self, pos):
        """Input windows (``(b, window)`` or ``(b, window, 1 + n_exog)``) and targets starting at ``pos``."""
        rows = pos[:, None] + self._inputs
        Xw = self.z[rows]
        if self.exog is not None:
            Xw = np.concatenate([Xw[..., None], self.exog[rows]], axis=2)
        return Xw, self.z[pos[:, None] + self._targets]

    def network_windows(self, pos):
        """Normalised, patched input windows and normalised targets of the windows starting at ``pos``."""
        Xn, Yn, _ = self.forecaster._network_windows(*self.raw_windows(pos))
        return Xn, Yn

    def moments(self, windows):
        """:class:`ColumnMoments` of the network features and of the targets over ``windows``."""
        x, y = ColumnMoments(), ColumnMoments()
        for i in range(0, windows.n, _CHUNK):
            Xn, Yn = self.network_windows(windows.positions(np.arange(i, min(i + _CHUNK, windows.n))))
            x.update(Xn.reshape(-1, 1 if Xn.ndim == 2 else Xn.shape[-1]))
            y.update(Yn)
        return x, y


def _set_input_form(reg, shape, n_outputs):
    """Record on the regressor ``reg`` the form of its network input, as ``check_sequences`` would."""
    T, F = shape[1], 1 if len(shape) == 2 else shape[2]
    reg._kind = "2d" if len(shape) == 2 else "3d"
    reg._tokens = False
    reg._n_channels = F
    reg.n_timesteps_in_ = int(T)
    reg.n_features_in_ = int(T if len(shape) == 2 else F)
    reg._y_ndim = 2
    reg.n_outputs_ = int(n_outputs)


def fit_streamed(reg, source, train, validation, x_moments, y_moments, scaling, per_epoch):
    """Fit the ``LSTMRegressor`` ``reg`` on the windows ``train`` of ``source``, cut batch by batch.

    Parameters
    ----------
    reg : LSTMRegressor
        Unfitted, with ``scale="standard"``.
    source : WindowSource
    train : WindowRanges
        The training windows.
    validation : WindowRanges, WindowList or None
        The validation windows (``val_loss`` and early stopping).
    x_moments, y_moments : ColumnMoments
        Statistics of the network features and of the targets over the training windows.
    scaling : ScaleSettings
        Bounds of the standardisers' scales.
    per_epoch : int
        Windows per epoch: all of ``train`` (in the in-memory path's shuffled order) or a fresh
        random sample of that many per epoch.

    Returns
    -------
    reg
    """
    reg._validate_params()
    reg._check_layers()
    shape = source.network_windows(train.positions(np.arange(1)))[0].shape
    _set_input_form(reg, shape, source.forecaster._out_len)
    reg._x_scaler = x_moments.standardiser(floor=scaling.x_floor, constant_scale=scaling.x_constant_scale)
    reg._y_scaler = y_moments.standardiser(floor=scaling.y_floor)
    n_outputs = reg.n_outputs_

    def batch(windows):
        def cut(idx):
            Xn, Yn = source.network_windows(windows.positions(idx))
            x = Xn if Xn.ndim == 3 else Xn[:, :, None]
            with np.errstate(over="ignore"):  # as the in-memory path: beyond float32 becomes inf
                return (reg._x_scaler.transform(x).astype(np.float32),
                        reg._y_scaler.transform(Yn).astype(np.float32))
        return cut

    def datasets(tf, shuffle_seed, batch_size):
        def mapped(ds, windows):
            fn = batch(windows)

            def tf_cut(idx):
                x, y = tf.numpy_function(fn, [idx], (tf.float32, tf.float32), stateful=False)
                x.set_shape((None, shape[1], reg._n_channels))
                y.set_shape((None, n_outputs))
                return x, y

            return ds.map(tf_cut, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True).prefetch(2)

        n = train.n
        if per_epoch >= n:  # every window, in the in-memory path's order
            idx = tf.data.Dataset.range(n).shuffle(n, seed=shuffle_seed, reshuffle_each_iteration=True)
            data = mapped(idx.batch(batch_size), train)
        else:
            epochs = itertools.count()

            def draws():
                rng = np.random.default_rng([shuffle_seed, next(epochs)])
                sample = rng.choice(n, per_epoch, replace=False)
                for i in range(0, per_epoch, batch_size):
                    yield sample[i : i + batch_size]

            idx = tf.data.Dataset.from_generator(draws, output_signature=tf.TensorSpec((None,), tf.int64))
            idx = idx.apply(tf.data.experimental.assert_cardinality(math.ceil(per_epoch / batch_size)))
            data = mapped(idx, train)
        val_data = None
        if validation is not None:
            val_data = mapped(tf.data.Dataset.range(validation.n).batch(max(batch_size, 256)), validation)
        return data, val_data

    reg._apply_settings(reg._training_settings(per_epoch, None))
    reg.model_, histories = fit_networks(reg, datasets, per_epoch, derive_seeds(reg.random_state))
    reg._set_histories(histories)
    return reg


#: with streaming="auto", fits whose training windows hold more values than this (window x channels
#: per window; 2**24 float64 values = 128 MiB per copy, of which the in-memory path makes several)
#: cut their windows batch by batch
_STREAM_MIN_VALUES = 1 << 24

#: held-out windows forecast per batch when calibrating the intervals of a streamed fit
_CALIBRATION_CHUNK = 1 << 16


class StreamedFitMixin:
    """The streamed ``fit`` of :class:`~tsforecast.neural.LSTMForecaster` (``streaming``).

    Kept apart from the estimator: it decides whether a fit streams, lays the transformed
    series out in one flat array, gathers the scaling statistics in chunks, trains on windows
    cut batch by batch and calibrates the intervals in chunks. It uses the forecaster's own
    per-window code (``_transform``, ``_network_windows``, ``_regressor``...).
    """

    def _window_counts(self, n):
        """``(training windows, first held-out start, held-out windows)`` of a transformed series of ``n`` values."""
        w, L = self.window_, self._out_len
        n_win = n - w - L + 1
        keep, val_starts = held_out_windows(np.arange(n_win), n, w, self.horizon, L, self.validation_fraction)
        n_train = max(n_win, 0) if keep is None else int(np.count_nonzero(keep))  # a prefix of the starts
        return n_train, int(val_starts[0]) if val_starts.size else 0, int(val_starts.size)

    def _use_streaming(self, counts, n_exog):
        """Whether ``fit`` streams its windows (see ``streaming``); checks ``max_windows_per_epoch``."""
        n_train = int(counts[:, 0].sum())
        sampled = self.max_windows_per_epoch is not None and self.max_windows_per_epoch < n_train
        if self.streaming == "auto":
            return sampled or n_train * self.window_ * (1 + n_exog) > _STREAM_MIN_VALUES
        if sampled and not self.streaming:
            raise ValueError(
                f"max_windows_per_epoch={self.max_windows_per_epoch} samples the {n_train} training windows "
                "batch by batch, which needs the streamed path; set streaming=True or 'auto' (or "
                "max_windows_per_epoch=None)."
            )
        return bool(self.streaming)

    def _fit_streamed(self, names, values, exogs, counts, n_exog):
        """``fit`` with the windows cut batch by batch (see :mod:`._streaming`)."""
        sizes = np.array([v.size - self.difference_ for v in values], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        z_all = np.empty(int(sizes.sum()))
        E_all = None if n_exog == 0 else np.empty((z_all.size, n_exog))
        self._series_state, held, Xlast = [], [], []
        self._z_top = 0.0
        for k, (name, v, x) in enumerate(zip(names, values, exogs)):
            z, E, (mu, sd) = self._transform(v, x)
            self._check_float32_range("y" if name is None else f"series {name!r}", z, E)
            self._z_top = max(self._z_top, float(np.max(np.abs(z))) if z.size else 0.0)
            seg = slice(int(offsets[k]), int(offsets[k]) + z.size)
            z_all[seg] = z
            z = z_all[seg]
            Eshift = None
            if E is not None:
                Eshift = E_all[seg]
                Eshift[:] = self._shift_exog(E, z.size)
            last, state = self._last_window(v, z, E, Eshift, (mu, sd))
            Xlast.append(last)
            held.append((v, z, E, (mu, sd)))
            self._series_state.append(state)
        train = WindowRanges(offsets, np.zeros_like(offsets), counts[:, 0])
        if train.n == 0:
            raise self._no_window_error()
        per_epoch = min(self.max_windows_per_epoch or train.n, train.n)
        held_out = WindowRanges(offsets, counts[:, 1], counts[:, 2])
        validation, val_idx = None, np.arange(held_out.n)
        if held_out.n:
            validation = held_out
            if per_epoch < train.n:  # a fixed sample of the same relative size
                n_val = min(held_out.n, math.ceil(per_epoch * held_out.n / train.n))
                rng = np.random.default_rng(derive_seeds(self.random_state).randint(2**31 - 1))
                val_idx = np.sort(rng.choice(held_out.n, n_val, replace=False))
                validation = WindowList(held_out.positions(val_idx))
        source = WindowSource(self, z_all, E_all)
        x_train, y_train = source.moments(train)
        Xlast = self._network_windows(np.stack(Xlast))[0]
        spread = ColumnMoments().merge(x_train).merge(
            ColumnMoments().update(Xlast.reshape(-1, 1 if Xlast.ndim == 2 else Xlast.shape[-1])))
        y_floor = 0.0
        if validation is not None:
            x_val, y_val = source.moments(validation)
            spread.merge(x_val)
            y_floor = SPREAD_FLOOR * ColumnMoments().merge(y_train).merge(y_val).std
        scaling = ScaleSettings(x_floor=SPREAD_FLOOR * spread.std, x_constant_scale=spread.std, y_floor=y_floor)
        reg = self._regressor(per_epoch)
        self.regressor_ = fit_streamed(reg, source, train, validation, x_train, y_train, scaling, per_epoch)
        self.history_ = self.regressor_.history_
        self.n_windows_ = train.n
        self.streaming_ = True
        self._calibrate(lambda: self._streamed_calibration(held, held_out, val_idx))
        self._calibrate_short_series(values, exogs)
        self.refit_ = self._wants_refit(validation)
        if self.refit_:  # as in memory: networks trained on every window
            every = WindowRanges(offsets, np.zeros_like(offsets), np.maximum(sizes - self.window_ - self._out_len + 1, 0))
            per_epoch = min(self.max_windows_per_epoch or every.n, every.n)
            x_all, y_all = source.moments(every)
            reg = self._regressor(per_epoch)
            self._set_refitted(fit_streamed(reg, source, every, None, x_all, y_all, scaling, per_epoch), every.n)
        return self

    def _streamed_calibration(self, held, held_out, val_idx):
        """Calibration residuals of the held-out windows ``val_idx`` (numbers in ``held_out``), in chunks."""
        self._calibration_groups = None
        if val_idx.size == 0:
            return None
        k, starts = held_out.locate(val_idx)
        self._calibration_groups = np.asarray(k)
        bounds = np.flatnonzero(np.diff(k)) + 1
        groups = [(held[int(kk[0])] + (st,)) for kk, st in zip(np.split(k, bounds), np.split(starts, bounds))]
        parts, chunk, size = [], [], 0
        for g in groups:
            chunk.append(g)
            size += g[-1].size
            if size >= _CALIBRATION_CHUNK or g is groups[-1]:
                parts.append(calibration_residuals(self, chunk))
                chunk, size = [], 0
        return np.concatenate(parts)

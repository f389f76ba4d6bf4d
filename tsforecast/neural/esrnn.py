"""A hybrid of exponential smoothing and an LSTM in the style of ES-RNN (Smyl 2020, the M4 winner)."""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np
import pandas as pd

from ..forecasting import BaseForecaster
from ..utils._series import (check_series, combine_panel, combine_panel_intervals, future_index, panel_exog,
                             steps_from_index)
from ..utils._sklearn import Interval, StrOptions
from ._checks import FLOAT32_MAX
from ._conformal import stratified_halfwidths
from ._global import GlobalFitMixin
from ._keras import derive_seeds
from ._persistence import SaveLoadMixin
from ._seasonal import season_length

__all__ = ["ESRNNForecaster"]

#: trainings of at least this many gradient steps (epochs x series batches) are compiled with XLA
_JIT_MIN_STEPS = 300

#: an automatic window covers up to this fraction of the median series length when that is longer
_LONG_WINDOW_FRACTION = 0.2

#: an automatic window is shortened until the longest series gives at least this many training windows
_MIN_WINDOWS = 8


def _units_ok(units):
    return isinstance(units, Integral) and not isinstance(units, bool) and units >= 1


class ESRNNForecaster(SaveLoadMixin, GlobalFitMixin, BaseForecaster):
    """Exponential smoothing and one global LSTM, trained jointly (ES-RNN style).

    Each series gets its own multiplicative exponential-smoothing model
    (level and, for seasonal data, seasonal indices; no trend) whose
    coefficients are *learned by gradient descent together with* one LSTM
    shared by all series. The smoothing gives, at every time ``t``, a level
    ``l_t`` and seasonal indices ``s``; the network sees the input window
    ending at ``t`` divided by ``l_t`` and deseasonalised, on the log scale
    (``log(y_j / (l_t * s_j))``), and forecasts the next ``horizon`` values
    on the same scale. The loss is the pinball loss of those outputs (the
    median with ``tau=0.5``) plus, optionally, a penalty on the wiggliness of
    the level. Forecasts are ``exp(output_k) * l_T * s_{T+k}``.

    Its defaults were chosen on panels of long series (M4 Hourly and
    Weekly); on short series, one or a panel of them (e.g. M3's monthly
    series), ``LSTMForecaster`` is the more accurate choice
    (``benchmarks/RESULTS.md``).

    Parameters
    ----------
    horizon : int, default=1
        Steps forecast by ``predict()`` when no ``fh`` is given, and the
        number of network outputs. ``predict(fh)`` works for any ``fh``:
        beyond ``horizon`` the forecasts are appended to the series, the
        smoothing is run over them and the network forecasts the next
        ``horizon`` steps from there (recursively, ``horizon`` at a time).
    seasonal_periods : int or None, default=None
        Season length ``m``. ``None`` reads it from the index frequency (12
        monthly, 4 quarterly, 52 weekly, 7 daily, 24 hourly, 1 yearly); a
        series without a frequency gets ``m = 1``: level only, no seasonal
        indices. All series of a panel must share one ``m``. The value used
        is ``seasonal_periods_``.
    window : int or "auto", default="auto"
        Input window (past values the network sees). ``"auto"``: see Notes.
    patch : int or "auto", default="auto"
        Values per LSTM time step: the window is fed as ``window // patch``
        steps of ``patch`` consecutive values. ``"auto"``: ``m`` when
        ``m > 1`` and ``window`` is a multiple of ``m`` (one season per
        step), else 1. ``window`` must be a multiple of ``patch``.
    units : int or tuple of int, default=(64, 64)
        Sizes of the stacked LSTM layers.
    epochs : int, default=400
        Maximum passes over the series (see ``batch_size``); early stopping
        usually ends training well before (about 200 epochs on M4 Hourly).
    batch_size : int, default=32
        Series per gradient step. Each step runs the smoothing over the
        whole history of ``batch_size`` series and draws
        ``windows_per_series`` random window positions of each: an epoch
        is one pass over the series in a random order.
    windows_per_series : int, default=64
        Random training windows per series and gradient step.
    learning_rate : float, default=3e-3
        Adam step size of the network; the smoothing parameters use
        ``es_learning_rate_factor`` times it.
    es_learning_rate_factor : float, default=10.0
        Ratio of the smoothing parameters' step size to the network's.
    tau : float in (0, 1), default=0.5
        Quantile of the pinball loss (ES-RNN used slightly less than 0.5 to
        counter the upward bias of sMAPE-optimal forecasts).
    level_penalty : float >= 0, default=0.0
        Weight of the level wiggliness penalty: the mean squared second
        difference of ``log(l_t)``, added to the loss.
    validation_fraction : float in [0, 1), default=0.1
        Fraction of each series' windows, the most recent, held out of
        training (and windows whose targets overlap them): they drive
        early stopping and calibrate ``predict_interval``. ``0`` trains on
        every window (no intervals then).
    early_stopping : bool, default=True
        Stop when the validation loss (training loss without validation)
        has not improved for ``patience`` epochs, and keep the network and
        smoothing parameters of the best epoch. ``False``: train ``epochs``
        epochs and keep the last.
    patience : int, default=25
        Epochs without improvement before stopping.
    max_length : int or None, default=None
        Fit on at most the last ``max_length`` observations of each series
        (as ES-RNN did for long series): the smoothing then starts there,
        and each training step costs time proportional to the longest
        series used. ``None``: whole series.
    n_estimators : int, default=1
        Complete ES-RNNs (network and smoothing parameters) trained with
        their own seeds; forecasts are the mean of their forecasts.
    random_state : int, RandomState instance or None, default=None
        Seeds the networks, the initialisation and the window sampling; an
        int makes fits repeatable without touching any global random state.
    verbose : int, default=0
        0: silent; otherwise one INFO record per epoch on the
        ``tsforecast.neural.esrnn`` logger (losses), and TensorFlow's Python
        warnings are not hidden.
    n_jobs : int, default=None
        Accepted for compatibility with the other forecasters; unused (one
        global model is trained for all series).

    Attributes
    ----------
    window_, patch_, seasonal_periods_ : int
        The settings the fit used.
    alpha_ : float or dict of str to float
        Learned level smoothing coefficient of each series (a dict for
        several series), the mean over the ``n_estimators`` networks.
    gamma_ : float, dict of str to float, or None
        Learned seasonal smoothing coefficient (``None`` when ``m = 1``).
    initial_seasonal_indices_ : ndarray of shape (m,) or dict of them
        Learned seasonal indices of the first ``m`` observations (mean over
        the networks; ones when ``m = 1``).
    seasonal_indices_ : ndarray of shape (m,) or dict of them
        Seasonal indices of the ``m`` steps after the training data (mean
        over the networks), those the forecasts are multiplied by.
    shift_ : float or dict of str to float
        Constant added to a series before the multiplicative smoothing (0
        for positive series, see Notes).
    history_ : list of dict
        Per network: per-epoch ``loss`` (pinball), ``penalty`` and, with a
        validation split, ``val_loss``.
    n_windows_ : int
        Window positions available for training (all series).
    short_series_ : list
        Series of a panel too short for one training window (see Notes);
        their intervals are calibrated apart.
    calibration_residuals_ : ndarray of shape (n_windows, horizon) or None
        Absolute log errors of the held-out windows (see Notes).
    cutoff_ : label of the last training observation (of the first series
        for several series).
    n_obs_ : int or dict of str to int
        Training observations (per series).

    Notes
    -----
    **Automatic settings.** With ``m`` the season length and ``h`` the
    horizon, ``window="auto"`` is ``max(2m, h, 8)`` rounded up to a
    multiple of the patch, or the largest multiple of the patch within 20%
    of the median series length when that is longer (168 hours for series
    of ~900 hourly values), shortened by whole patches (then with patch 1)
    while the longest series would give fewer than 8 training windows.
    ``patch="auto"`` is ``m`` when ``m > 1`` divides the window, else 1.

    **Smoothing.** For a series with level coefficient ``a``, seasonal
    coefficient ``g`` (both a sigmoid of a learned number, kept in
    ``[0.001, 0.999]``) and learned initial indices ``s_0..s_{m-1}``
    (exponentials of learned numbers, initialised from a classical
    decomposition)::

        l_t     = a * y_t / s_t + (1 - a) * l_{t-1}     (l_0 = y_0 / s_0)
        s_{t+m} = g * y_t / l_t + (1 - g) * s_t

    A window's targets are normalised with the seasonal indices known at
    its end (those of the next ``m`` steps, repeated when ``h > m``), so no
    target leaks into its own normalisation; forecasts use the same rule.

    **Non-positive data.** The multiplicative smoothing needs positive
    values: a series whose minimum is ``<= 0`` is shifted by
    ``shift_ = -min + (max - min)`` (``-min + max(|min|, 1)`` for a
    constant series) before fitting, and forecasts and intervals are
    shifted back. Such a series is modelled multiplicatively around that
    arbitrary offset; for data that cross zero an additive model (e.g.
    ``LSTMForecaster``) may be more natural.

    **Panels.** Series (a wide DataFrame, a dict of Series or a long table)
    are right-aligned: all end at their last observation. A series of a
    panel shorter than ``window + horizon`` gives no training window: its
    smoothing coefficients keep their initial values (0.5), and it is
    forecast from its last window, padded at the start with its first
    (normalised) value when it is shorter than the window. One series that
    short is an error; so is a panel of only such series. With
    ``validation_fraction > 0`` the last window of each such series (its
    last ``horizon`` values forecast from the values before them, padded
    the same way; not used for early stopping) calibrates the intervals of
    the short series (see Intervals).

    **Exogenous regressors.** ``X`` is standardised (the mean and standard
    deviation of each column over all training rows) and fed with the
    series: the input step at time ``t`` carries the normalised ``y_t`` and
    ``X[t + horizon]``, so the network sees the exogenous values of the
    steps it forecasts. ``predict`` needs the future ``X`` of steps
    ``1..horizon`` (``1..ceil(max(fh) / horizon) * horizon`` beyond the
    horizon). With several series, ``X`` is a dict ``{series: X}`` or one
    table shared by all series.

    **Intervals** are split-conformal on the log scale: the fitted model
    forecasts the held-out windows of every series; the absolute errors
    ``|log y - log yhat|`` (on the shifted series) are pooled over series
    per step ahead ``k``, and the interval of step ``k`` is
    ``yhat * exp(±q_k)``, with ``q_k`` the ``ceil((n + 1) * coverage) / n``
    empirical quantile of the ``n`` held-out errors (each series weighing the
    same; with fewer errors than that level needs, at least their root mean
    square times Student's t quantile, as in :class:`LSTMForecaster`). The
    short series of a panel (``short_series_``), forecast from padded
    windows and so less accurately, are calibrated on their own held-out
    errors and the other series on theirs (group-conditional conformal
    prediction), so each group gets its coverage. It contains the point
    forecast and widens with ``coverage``; steps beyond ``horizon`` raise an
    error. The held-out windows also drive early stopping, which can make
    the intervals slightly optimistic.

    **Differences from the original ES-RNN** (Smyl 2020): one plain LSTM
    stack (not dilated, no residual connections, no attention) reads a
    longer input window in patches and is trained on random windows of
    each series, where ES-RNN's dilated LSTMs run over the whole history
    of a series with a short input window; no trend, no per-category
    (domain) input and no "c-state" penalty; the smoothing coefficients
    are constant in time; seasonal indices beyond one season ahead repeat
    the last known season (ES-RNN extended them the same way at the end
    of the series); series of one panel share one season length; the
    ensemble is a plain mean over ``n_estimators`` seeds, without
    ES-RNN's "ensemble of specialists" (networks assigned to subsets of
    series) and averaging over the last epochs; the level wiggliness
    penalty is available but off by default (it did not help measurably on
    M4 Hourly validation); intervals are conformal, not ES-RNN's quantile
    outputs.

    **Defaults** (``units=(64, 64)``, 64 windows per series and step,
    ``es_learning_rate_factor=10``, ``patience=25``, the window rule)
    were chosen on validation holdouts cut from the M4 Hourly and Weekly
    training series (each series' last ``h`` values), with
    ``benchmarks/bench_m4_esrnn.py``. On M4 Hourly (414 series) a fit
    takes about 3-5 minutes on 2 CPU cores: the training step is compiled
    with XLA when training takes at least 300 gradient steps.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from tsforecast import ESRNNForecaster
    >>> t = np.arange(96)
    >>> idx = pd.date_range("2000-01", periods=96, freq="MS")
    >>> panel = pd.DataFrame({"a": 10 + 3 * np.sin(2 * np.pi * t / 12),
    ...                       "b": 50 + 9 * np.cos(2 * np.pi * t / 12)}, index=idx)
    >>> f = ESRNNForecaster(horizon=6, units=8, epochs=3, random_state=0).fit(panel)
    >>> f.seasonal_periods_, f.window_, f.predict().shape
    (12, 24, (6, 2))
    >>> 0 < f.alpha_["a"] < 1, f.predict_interval(coverage=0.8).shape
    (True, (6, 4))
    """

    _supports_exog = True
    _fitted_attribute = "alpha_"  # what save() requires

    _parameter_constraints = {
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "seasonal_periods": [Interval(Integral, 1, None, closed="left"), None],
        "window": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "patch": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "units": [Interval(Integral, 1, None, closed="left"), tuple],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "windows_per_series": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "es_learning_rate_factor": [Interval(Real, 0, None, closed="left")],
        "tau": [Interval(Real, 0, 1, closed="neither")],
        "level_penalty": [Interval(Real, 0, None, closed="left")],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "early_stopping": ["boolean"],
        "patience": [Interval(Integral, 1, None, closed="left")],
        "max_length": [Interval(Integral, 1, None, closed="left"), None],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        horizon=1,
        *,
        seasonal_periods=None,
        window="auto",
        patch="auto",
        units=(64, 64),
        epochs=400,
        batch_size=32,
        windows_per_series=64,
        learning_rate=3e-3,
        es_learning_rate_factor=10.0,
        tau=0.5,
        level_penalty=0.0,
        validation_fraction=0.1,
        early_stopping=True,
        patience=25,
        max_length=None,
        n_estimators=1,
        random_state=None,
        verbose=0,
        n_jobs=None,
    ):
        self.horizon = horizon
        self.seasonal_periods = seasonal_periods
        self.window = window
        self.patch = patch
        self.units = units
        self.epochs = epochs
        self.batch_size = batch_size
        self.windows_per_series = windows_per_series
        self.learning_rate = learning_rate
        self.es_learning_rate_factor = es_learning_rate_factor
        self.tau = tau
        self.level_penalty = level_penalty
        self.validation_fraction = validation_fraction
        self.early_stopping = early_stopping
        self.patience = patience
        self.max_length = max_length
        self.n_estimators = n_estimators
        self.random_state = random_state
        self.verbose = verbose
        self.n_jobs = n_jobs

    # ------------------------------------------------------------------ fit
    # fit, _fit and _fit_panel: GlobalFitMixin (one series is a panel of one)

    def _check_units(self):
        units = (self.units,) if not isinstance(self.units, tuple) else self.units
        if not units or not all(_units_ok(u) for u in units):
            raise ValueError(f"units must be a positive int or a non-empty tuple of positive ints; got {self.units!r}.")
        return tuple(int(u) for u in units)

    def _resolve_settings(self, names, values, metas):
        labels = ["y" if n is None else f"series {n!r}" for n in names]
        periods = [season_length(self.seasonal_periods, meta, label) for meta, label in zip(metas, labels)]
        if len(set(periods)) > 1:
            found = {lab: p for lab, p in zip(labels, periods)}
            raise ValueError(
                f"the series have different season lengths {sorted(set(periods))} (from their index "
                f"frequencies, e.g. {dict(list(found.items())[:3])}); ESRNNForecaster needs one: pass "
                "seasonal_periods."
            )
        m = periods[0]
        h = self.horizon
        longest = max(v.size for v in values)
        if self.patch == "auto":
            p = m if m > 1 and (self.window == "auto" or self.window % m == 0) else 1
        else:
            p = int(self.patch)
        if self.window != "auto":
            w = int(self.window)
        else:
            w = p * math.ceil(max(2 * m, h, 8) / p)
            # long series: a longer look back pays (M4 Hourly: 168 hours of series of ~900)
            median = float(np.median([v.size for v in values]))
            w = max(w, p * int(_LONG_WINDOW_FRACTION * median // p))
            while w > 1 and longest - w - h + 1 < _MIN_WINDOWS:
                if w > p:
                    w -= p
                elif self.patch == "auto" and p > 1:
                    p, w = 1, min(w - 1, max(longest - h + 1 - _MIN_WINDOWS, 1))
                else:
                    break
        if w % p:
            raise ValueError(f"window={w} must be a multiple of patch={p} (the window is fed as window // patch "
                             "time steps of patch values).")
        self.seasonal_periods_, self.window_, self.patch_ = m, w, p

    @staticmethod
    def _positive(v):
        """Shift of series ``v`` that makes it positive (0 when it is) and its scale after the shift."""
        lo, hi = float(np.min(v)), float(np.max(v))
        shift = 0.0
        if lo <= 0:
            shift = -lo + (hi - lo if hi > lo else max(abs(lo), 1.0))
        z = v + shift
        scale = float(np.mean(z))
        return shift, scale

    def _fit_global(self, names, values, exogs, metas):
        from ._esrnn_network import _Spec, coefficients, train_esrnn

        units = self._check_units()
        if self.max_length is not None:
            values = [v[-self.max_length:] for v in values]
            exogs = [None if x is None else x[-self.max_length:] for x in exogs]
        self._resolve_settings(names, values, metas)
        m, w, h, p = self.seasonal_periods_, self.window_, self.horizon, self.patch_
        need = w + h
        short = [n for n, v in zip(names, values) if v.size < need]
        if short and len(short) == len(names):
            k = next(i for i, v in enumerate(values) if v.size < need)
            label = "y" if names[k] is None else f"series {names[k]!r}"
            extra = " (every series of the panel is that short)" if len(names) > 1 else ""
            raise ValueError(f"{label} has {values[k].size} observations; window={w} and horizon={h} need at "
                             f"least {need}{extra}. Pass a shorter window or longer series.")
        self.short_series_ = short
        N = len(values)
        shifts, scales, zs = [], [], []
        for name, v in zip(names, values):
            shift, scale = self._positive(v)
            z = (v + shift) / scale
            if not np.all(np.isfinite(z)) or np.max(z) > FLOAT32_MAX ** 0.5 or np.min(z) < 1.0 / FLOAT32_MAX ** 0.5:
                label = "y" if name is None else f"series {name!r}"
                raise ValueError(
                    f"{label} spans too many orders of magnitude (from {np.min(v + shift):.3g} to "
                    f"{np.max(v + shift):.3g} after the shift to positive values) for the float32 network; "
                    "rescale or clip it."
                )
            shifts.append(shift)
            scales.append(scale)
            zs.append(z)
        T = max(z.size for z in zs)
        Y = np.ones((N, T))
        valid = np.zeros((N, T), dtype=bool)
        for i, z in enumerate(zs):
            Y[i, T - z.size:] = z
            valid[i, T - z.size:] = True
        # exogenous regressors: standardised over all rows, right-aligned like the series
        n_exog = 0 if exogs[0] is None else exogs[0].shape[1]
        self._n_exog = n_exog
        E = None
        if n_exog:
            allx = np.concatenate(exogs)
            mu = allx.mean(axis=0)
            sd = allx.std(axis=0)
            sd = np.where(sd > 0, sd, 1.0)
            self._exog_moments = (mu, sd)
            E = np.zeros((N, T, n_exog))
            for i, x in enumerate(exogs):
                E[i, T - x.shape[0]:] = (x - mu) / sd
            if np.max(np.abs(E)) > FLOAT32_MAX:
                raise ValueError("X has values too far from its mean for the float32 network; rescale X.")
        # training and held-out window ends (absolute positions in the right-aligned array)
        lo = np.zeros(N, dtype=np.int64)
        hi = np.full(N, -1, dtype=np.int64)
        pen_hi = np.full(N, T - 1, dtype=np.int64)
        val_ends, val_series, short_ends, short_series = [], [], [], []
        for i, z in enumerate(zs):
            n, off = z.size, T - z.size
            n_full = n - w - h + 1
            if n_full < 1:
                # a short series of a panel: no training window, but its last window (padded at the start,
                # as its forecast is) calibrates the intervals of the short series (not early stopping)
                if self.validation_fraction > 0 and n > h:
                    short_ends.append(np.array([off + n - h - 1]))
                    short_series.append(np.array([i]))
                continue
            last_train = n - h - 1
            if self.validation_fraction > 0:
                n_val = min(math.ceil(self.validation_fraction * n_full), n_full)
                first_val = n - h - n_val  # local end of the first held-out window
                val_ends.append(off + np.arange(first_val, n - h))
                val_series.append(np.full(n_val, i))
                last_train = first_val - h
                pen_hi[i] = off + first_val
            lo[i], hi[i] = off + w - 1, off + last_train
        n_train = int(np.sum(np.maximum(hi - lo + 1, 0)))
        if n_train == 0:
            raise ValueError(
                f"no training window is left: the series are too short for window={w}, horizon={h} and "
                f"validation_fraction={self.validation_fraction}; lower them or pass longer series."
            )
        self.n_windows_ = n_train
        data = dict(
            y=Y, valid=valid, train_lo=lo, train_hi=hi, penalty_hi=pen_hi, exog=E,
            val_ends=np.concatenate(val_ends) if val_ends else np.zeros(0, np.int64),
            val_series=np.concatenate(val_series) if val_series else np.zeros(0, np.int64),
        )
        # long trainings run the training step compiled by XLA (faster per step on CPU, ~10 s to compile)
        n_steps = self.epochs * math.ceil(int(np.sum(hi >= lo)) / self.batch_size)
        jit = n_steps >= _JIT_MIN_STEPS
        spec = _Spec(
            m=m, window=w, patch=p, horizon=h, n_exog=n_exog, units=units, dense_units=(),
            epochs=self.epochs, series_per_batch=self.batch_size, windows_per_series=self.windows_per_series,
            learning_rate=float(self.learning_rate), es_learning_rate_factor=float(self.es_learning_rate_factor),
            clipnorm=None, tau=float(self.tau), level_penalty=float(self.level_penalty),
            early_stopping=self.early_stopping, patience=self.patience, jit=jit,
        )
        init = self._initial_params(zs, m)
        rng = derive_seeds(self.random_state)
        weights, params, histories = [], [], []
        for _ in range(self.n_estimators):
            wts, prm, hist = train_esrnn(data, spec, int(rng.randint(2**31 - 1)), init, self.verbose)
            weights.append(wts)
            params.append(prm)
            histories.append(hist)
        from ._esrnn_network import NetworkRunner

        self._runner = NetworkRunner(spec, weights)
        self._params = params
        self._names, self._metas = names, metas
        self._shift, self._scale = np.array(shifts), np.array(scales)
        self._Y, self._valid, self._E = Y, valid, E
        self._lengths = np.array([z.size for z in zs])
        self.history_ = histories
        # fitted coefficients, averaged over the networks
        coefs = [coefficients(prm) for prm in params]
        alpha = np.mean([c[0] for c in coefs], axis=0)
        gamma = np.mean([c[1] for c in coefs], axis=0)
        season0 = np.mean([c[2] if m > 1 else np.ones((N, 1)) for c in coefs], axis=0)
        _, _, seas = self._smooth_all(Y, valid)
        nxt = np.mean(seas, axis=0)[:, T:]

        def per_series(a):
            return a[0] if names == [None] else dict(zip(names, a))

        self.alpha_ = per_series([float(a) for a in alpha])
        self.gamma_ = None if m == 1 else per_series([float(g) for g in gamma])
        self.initial_seasonal_indices_ = per_series(list(season0))
        self.seasonal_indices_ = per_series(list(nxt))
        self.shift_ = per_series([float(s) for s in shifts])
        self.calibration_residuals_ = self._calibration_groups = None
        if data["val_ends"].size:
            groups = np.concatenate([data["val_series"]] + short_series)
            self.calibration_residuals_ = self._calibration(groups, np.concatenate([data["val_ends"]] + short_ends))
            self._calibration_groups = groups

    @staticmethod
    def _initial_params(zs, m):
        """Raw initial ES parameters: coefficients 0.5, seasonal indices of a classical decomposition."""
        from ..forecasting.decomposition import classical_seasonal_indices

        N = len(zs)
        log_season = np.zeros((N, m))
        if m > 1:
            for i, z in enumerate(zs):
                if z.size >= 2 * m:
                    idx = classical_seasonal_indices(z[: max(2 * m, min(z.size, 6 * m))], m)
                    if np.all(np.isfinite(idx)) and np.all(idx > 0):
                        log_season[i] = np.log(idx)
        return {"alpha_logit": np.zeros(N), "gamma_logit": np.zeros(N), "log_season": log_season}

    # ------------------------------------------------------------ forecasting
    def _smooth_all(self, Y, valid, rows=None):
        """ES levels and seasonal indices of right-aligned series ``Y`` for every network: lists."""
        from ._esrnn_network import coefficients, es_numpy

        levels, seas = [], []
        for prm in self._params:
            a, g, s0 = coefficients(prm)
            if rows is not None:
                a, g, s0 = a[rows], g[rows], s0[rows]
            if self.seasonal_periods_ == 1:
                s0 = np.ones((Y.shape[0], 1))
            lev, se = es_numpy(Y, valid, a, g, s0)
            levels.append(lev)
            seas.append(se)
        return levels, None, np.stack(seas)

    def _net_forecast(self, Y, valid, E, rows, row_of, ends):
        """Mean forecast (k, horizon) in the scaled positive units of the windows ``(row_of, ends)``.

        ``Y``/``valid``/``E`` are right-aligned arrays of the fitted series ``rows`` (positions,
        for their parameters); window ``i`` ends at ``ends[i]`` of row ``row_of[i]``. Inputs before
        a series' first observation repeat its first (normalised) value.
        """
        w, h, m = self.window_, self.horizon, self.seasonal_periods_
        levels, _, seas = self._smooth_all(Y, valid, rows)
        first = np.argmax(valid, axis=1)[row_of]
        raw = ends[:, None] - w + 1 + np.arange(w)
        pos = np.maximum(raw, first[:, None])
        r = row_of[:, None]
        logY = np.log(Y)
        ex = None if E is None else E[r, np.maximum(raw, 0) + h]  # zeros before a series (and the array)
        out = np.zeros((len(ends), h))
        for i, (lev, se) in enumerate(zip(levels, seas)):
            base = np.log(lev[row_of, ends])
            x = logY[r, pos] - base[:, None] - np.log(se[r, pos])
            o = np.concatenate([self._runner.predict(x[j:j + 4096], None if ex is None else ex[j:j + 4096], i)
                                for j in range(0, len(ends), 4096)])
            fut = se[r, ends[:, None] + 1 + (np.arange(h) % m)]
            out += np.exp(o + base[:, None]) * fut
        return out / len(levels)

    def _forecast_z(self, rows, n_steps, exog_future):
        """Forecasts (len(rows), n_steps) in scaled positive units, ``horizon`` steps per network call."""
        h = self.horizon
        n_blocks = -(-n_steps // h)
        Y = self._Y[rows]
        valid = self._valid[rows]
        E = None
        if self._n_exog:
            mu, sd = self._exog_moments
            fut = np.stack([(f - mu) / sd for f in exog_future])  # (k, n_blocks * h, n_exog)
            E = np.concatenate([self._E[rows], fut], axis=1)
        T = Y.shape[1]
        k = np.arange(len(rows))
        out = []
        for b in range(n_blocks):
            end = T - 1 + b * h
            Yb = Y if b == 0 else np.concatenate([Y] + out, axis=1)
            vb = np.concatenate([valid, np.ones((len(rows), b * h), dtype=bool)], axis=1)
            Eb = None if E is None else E[:, : end + 1 + h]
            out.append(self._net_forecast(Yb, vb, Eb, rows, k, np.full(len(rows), end)))
        return np.concatenate(out, axis=1)[:, :n_steps]

    def _calibration(self, series, ends):
        """Absolute log errors (n_held_out, horizon) of the held-out windows, pooled over series."""
        h = self.horizon
        rows, row_of = np.unique(series, return_inverse=True)
        E = None if self._E is None else self._E[rows]
        fc = self._net_forecast(self._Y[rows], self._valid[rows], E, rows, row_of, ends)
        truth = self._Y[series[:, None], ends[:, None] + 1 + np.arange(h)]
        return np.abs(np.log(truth) - np.log(fc))

    def _to_units(self, rows, z):
        return z * self._scale[rows][:, None] - self._shift[rows][:, None]

    def _n_exog_rows(self, steps):
        return -(-int(np.max(steps)) // self.horizon) * self.horizon

    def _check_X_predict(self, X, steps, fut_index):
        if getattr(self, "_n_exog", 0) == 0:
            return super()._check_X_predict(X, steps, fut_index)
        return super()._check_X_predict(X, np.arange(1, self._n_exog_rows(steps) + 1), fut_index)

    def _interval_q(self, steps, coverage):
        """Half widths (n_series, len(steps)) on the log scale of the conformal intervals (see ``_conformal``):
        the short series of a panel and the others are calibrated each on their own held-out errors."""
        short = (self._lengths < self.window_ + self.horizon).astype(np.int64)  # series with no training window
        return stratified_halfwidths(self.calibration_residuals_, steps, coverage, self.horizon,
                                     getattr(self, "_calibration_groups", None), short)

    def _predict(self, steps, X):
        z = self._forecast_z(np.array([0]), int(np.max(steps)), [X] if self._n_exog else None)
        return self._to_units(np.array([0]), z)[0][steps - 1]

    def _predict_interval(self, steps, coverage, X):
        q = self._interval_q(steps, coverage)[0]
        z = self._forecast_z(np.array([0]), int(np.max(steps)), [X] if self._n_exog else None)[0][steps - 1]
        rows = np.array([0])
        return self._to_units(rows, (z * np.exp(-q))[None])[0], self._to_units(rows, (z * np.exp(q))[None])[0]

    # ------------------------------------------------------- several series
    def _future_exog(self, X, steps):
        if not self._n_exog:
            if X is not None:
                raise ValueError("X was given to predict but the model was fitted without exogenous regressors.")
            return None
        need = self._n_exog_rows(steps)
        return [self._check_future_exog(panel_exog(X, name), need, meta, name=f"X of series {name!r}")
                for name, meta in zip(self._names, self._metas)]

    def _panel_z(self, steps, X):
        rows = np.arange(len(self._names))
        return rows, self._forecast_z(rows, int(np.max(steps)), self._future_exog(X, steps))

    def _predict_panel(self, steps, X):
        rows, z = self._panel_z(steps, X)
        levels = self._to_units(rows, z)
        cols = {}
        for k, (name, meta) in enumerate(zip(self._names, self._metas)):
            pred = levels[k][steps - 1]
            cols[name] = pred if meta.kind == "array" else pd.Series(pred, index=future_index(meta, steps), name=name)
        return combine_panel(cols)

    def _predict_interval_panel(self, steps, coverage, X):
        q = self._interval_q(steps, coverage)
        rows, z = self._panel_z(steps, X)
        z = z[:, steps - 1]
        lower, upper = self._to_units(rows, z * np.exp(-q)), self._to_units(rows, z * np.exp(q))
        frames = {}
        for k, (name, meta) in enumerate(zip(self._names, self._metas)):
            fut = future_index(meta, steps)
            index = fut if fut is not None else pd.Index(steps, name="step")
            frames[name] = pd.DataFrame({"lower": lower[k], "upper": upper[k]}, index=index)
        return combine_panel_intervals(frames)

    def _score_panel(self, series, X):
        truths, all_steps = [], []
        for name, s in series.items():
            meta = self._metas[self._names.index(name)]
            s = s.dropna() if isinstance(s, pd.Series) else s
            values, mt = check_series(s, name="y_true")
            st = steps_from_index(meta, mt.index, name="y_true") if mt.index is not None else None
            truths.append(values)
            all_steps.append(np.arange(1, values.size + 1) if st is None else st)
        top = max(int(st.max()) for st in all_steps)
        rows, z = self._panel_z(np.arange(1, top + 1), X)
        levels = self._to_units(rows, z)
        out = ([], [], [])
        for name, values, st in zip(series, truths, all_steps):
            k = self._names.index(name)
            out[0].append(values)
            out[1].append(levels[k][st - 1])
            out[2].append(self._ys[name])
        return out

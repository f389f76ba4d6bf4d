"""A global LSTM forecaster: one network trained on the windows of one or many series."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import pandas as pd

from ..utils._sklearn import Interval, StrOptions
from ..forecasting import BaseForecaster
from ..utils._series import (
    check_series,
    combine_panel,
    combine_panel_intervals,
    future_index,
    panel_exog,
    steps_from_index,
)
from ..windowing import make_windows
from ._auto import AUTO_RULE_DOC, auto_damping, auto_difference, auto_normalize, forecaster_settings
from ._base import _BaseLSTM
from ._checks import FLOAT32_MAX, FarFromTrainingError
from ._damping import candidate_residuals, choose_damping
from ._conformal import (
    calibration_residuals,
    held_out_windows,
    interval_halfwidth,
    short_series_residuals,
    stratified_halfwidths,
)
from ._global import GlobalFitMixin
from ._persistence import SaveLoadMixin
from ._reach import largest_moves, within_reach
from ._scaling import SPREAD_FLOOR, ScaleSettings, mean_std
from ._seasonal import SeasonalAdjustment, any_seasonal, season_length
from ._streaming import StreamedFitMixin
from ._window_ensemble import WindowEnsembleMixin
from .regressor import LSTMRegressor

__all__ = ["LSTMForecaster"]

#: the ``normalize`` modes that centre and scale each window by its own statistics
_WINDOW_MODES = ("window", "last")

#: with normalize="window", a window's scale is at least this times the largest |value| of the
#: training series (besides 1e-6 * (1 + |mean|)), so normalised values stay below 2e30 in magnitude
_WINDOW_FLOOR_RELATIVE = 1e-30



def _feature_spread(a, features=True):
    """Standard deviation of each feature of the windows ``a`` (2-D: one feature), or of each target column."""
    cols = a.reshape(-1, 1 if a.ndim == 2 else a.shape[-1]) if features else a
    return mean_std(cols.astype(np.float64))[1]


#: hyperparameters handed unchanged to the inner LSTMRegressor
_NETWORK_PARAMS = (
    "units",
    "dropout",
    "recurrent_dropout",
    "bidirectional",
    "dense_units",
    "epochs",
    "batch_size",
    "learning_rate",
    "optimizer",
    "loss",
    "adversarial",
    "early_stopping",
    "patience",
    "n_estimators",
    "random_state",
    "verbose",
)


class LSTMForecaster(SaveLoadMixin, StreamedFitMixin, WindowEnsembleMixin, GlobalFitMixin, BaseForecaster):
    """Global LSTM forecaster: one network learns from the windows of every series.

    ``fit`` cuts each series into windows of ``window`` past values (inputs)
    followed by the next values (targets), stacks the windows of all series
    (one series, a wide DataFrame NaN-padded at the start, a dict of Series
    or a long table all go through the same code) and trains one
    :class:`LSTMRegressor` on them. ``predict`` feeds each series' last
    window to the network.

    Out of the box (``LSTMForecaster(horizon=h)``) the input window, the
    patching, the strategy, the network size, the number of epochs and of
    networks averaged are chosen from the data by the rule in the Notes
    ("Automatic settings"), and seasonal series are seasonally adjusted
    first: a small recursive 3-network ensemble for one or a few short
    series (the networks read windows of three lengths), a larger
    multi-output network for big panels. Every ``"auto"`` parameter can be
    set explicitly instead, and the values a fit used are the attributes
    ``window_``, ``windows_``, ``patch_``, ``strategy_``, ``units_``,
    ``epochs_`` and ``n_estimators_``.

    Parameters
    ----------
    window : int or "auto", default="auto"
        Past observations fed to the network (the input window).
    horizon : int, default=1
        Steps forecast by ``predict()`` when no ``fh`` is given; with
        ``strategy="multioutput"`` also the number of network outputs.
        ``predict(fh)`` works for any ``fh``: steps beyond the trained
        horizon are forecast recursively (see ``strategy``); prediction
        intervals are calibrated up to ``horizon`` steps only.
    strategy : {"multioutput", "recursive", "auto"}, default="auto"
        ``"multioutput"``: the network outputs all ``horizon`` steps at
        once; further steps are forecast ``horizon`` at a time, feeding the
        forecasts back as inputs. ``"recursive"``: the network forecasts one
        step, and is applied repeatedly, feeding its forecasts back.
    patch : int or "auto", default="auto"
        Values per LSTM time step: the window is fed as ``window // patch``
        time steps of ``patch`` consecutive values (times the number of
        channels with exogenous data). For long windows of seasonal data
        ``patch`` = the season (e.g. ``window=168, patch=24`` for hourly
        data: 7 steps of one day) is much faster and usually more accurate
        than one value per step. ``window`` must be a multiple of ``patch``.
    normalize : {"auto", "window", "last", "series"} or None, default="auto"
        ``"window"``: each window is centred on its own mean and divided by
        its own standard deviation (floored at ``1e-6 * (1 + |mean|)``, and
        at ``1e-30`` times the largest absolute value of the training
        series), targets with the same numbers, so series of any level and
        scale share one network. ``"last"``: the same, centred on the
        window's last value instead of its mean, so that a network output of
        0 is the naive forecast (the last value carried on) rather than a
        return to the window's mean (the floor then uses the last value's
        magnitude). ``"series"``: each series' mean and standard
        deviation. ``None``: raw values (the inner regressor still
        standardises all windows together). ``"auto"``: on small data with
        one series, one fit with ``"window"`` and one with ``"last"`` (same
        parameters and seed), whose forecasts and interval half widths are
        averaged: twice the networks and the time of one fit. A network on
        mean-centred windows carries a season or a cycle on, one on
        last-value-centred windows stays nearer the last value; on short
        single series their mean was more accurate than the mean-centred
        fit alone. Otherwise (panels, large data) ``"window"``. The value
        used is ``normalize_``.

        The network computes in float32, but all scaling is done in float64
        relative to the data's own magnitude: with ``"window"``, ``"last"``
        and ``"series"`` any finite values work, with ``None`` values (or
        differences) beyond float32's range ±3.4e38 raise a ``ValueError``.
        Series smaller than float32's 1.2e-38 are forecast in their own
        units; with ``"window"`` or ``"last"``, windows whose standard deviation is below
        the floor (every window of a series smaller than about 1e-6) are
        only centred, and scaled by the inner regressor.
    difference : {0, 1, "auto"}, default=0
        Model the first differences of the series (forecasts are summed
        back). ``"auto"``: difference on small data when the seasonally
        adjusted series keep a unit root (the rule is in the Notes; it is
        not the default: it helped single trending series on validation
        but hurt a panel of 294 monthly-shaped series). The value used is
        ``difference_``.
    deseasonalize : {"auto", "multiplicative", "additive"} or None, default="auto"
        Seasonal adjustment of each series before windowing (see Notes).
        ``"multiplicative"``: divide by the seasonal indices of a classical
        multiplicative decomposition (positive series only);
        ``"additive"``: subtract those of an additive one; ``"auto"``: the
        M4 competition's convention, multiplicative when the 90%
        autocorrelation test at lag ``seasonal_periods`` finds seasonality
        and all values are positive, no adjustment otherwise. The network
        is trained on the adjusted series and its forecasts (and interval
        bounds) are re-seasonalised with the indices continued over the
        horizon. ``None``: no adjustment.
    seasonal_periods : int or None, default=None
        Season length ``m`` used by ``deseasonalize``, with every
        forecaster's rule: ``None`` reads it from the index frequency (12
        monthly, 4 quarterly, 52 weekly, 7 daily, 24 hourly, 1 yearly); a
        series without a frequency is not seasonal (``m = 1``: ``"auto"``
        leaves it unadjusted, an explicit mode raises an error asking for
        ``seasonal_periods``). The value used is ``seasonal_periods_``.
    units : int, tuple of int or "auto", default="auto"
        LSTM layer sizes, as in :class:`LSTMRegressor`.
    dropout, recurrent_dropout, bidirectional, dense_units
        Network shape, as in :class:`LSTMRegressor`.
    epochs : int or "auto", default="auto"
        Maximum passes over the training windows.
    batch_size : int or "auto", default="auto"
        Windows per gradient step; ``"auto"``: ``n_windows // 32`` clipped to
        16..256 (at least about 32 steps per epoch on small data, 256 on
        large panels).
    learning_rate : float, default=2e-3
        Adam step size.
    optimizer : {"adam", "adamw", "nadam", "rmsprop", "sgd", "adagrad"}, default="adam"
        Keras optimizer.
    loss : str, default="mae"
        Keras loss on the normalised targets.
    adversarial : float >= 0, default=0.0
        Adversarial training of the network on its (normalised) input
        windows, as in :class:`LSTMRegressor`; ``0`` disables it.
    validation_fraction : float in [0, 1), default=0.1
        Fraction of each series' windows, the most recent ones, held out of
        training. They are used for ``val_loss``/early stopping and to
        calibrate ``predict_interval``. Windows whose targets overlap the
        held-out targets are left out of training too, so the held-out
        errors are honest out-of-sample errors. ``0`` trains on every window
        (then ``predict_interval`` is unavailable). See also ``refit``. One
        short series holds out only a few windows, and its intervals tend to
        be too narrow; a larger fraction (e.g. ``0.2``) gives them more
        held-out errors (``benchmarks/RESULTS.md`` has the measurements).
    refit : {"auto", "average"} or bool, default="auto"
        After the fit that holds windows out, train networks again on every
        window (the held-out ones and those overlapping them included: on
        short series they are the most recent data), with early stopping
        on the training loss; the held-out windows then serve only to
        calibrate ``predict_interval`` (errors of the first networks).
        ``True``: forecast with the refitted networks; ``"average"``: with
        the mean of the forecast paths of the refitted networks and of the
        first ones (each set feeding back its own forecasts beyond one
        step); ``False``: with the first networks only. ``"auto"``: ``"average"`` on small data (see Notes), where
        the refit about doubles the training time, ``False`` on large data.
        Nothing is refitted when no window is held out. The value used is
        ``refit_``.
    damping : float in (0, 1] or "auto", default="auto"
        Damp the forecast path as a damped trend does: the change from one
        forecast step to the next is multiplied by ``damping ** step``
        (steps 1, 2, ...; on the seasonally adjusted, transformed scale, so
        the season is kept), so that a trend the networks extend slows down
        with the horizon instead of running on. ``1``: no damping.
        ``"auto"``: 0.95 on small data with several series; on small data
        with one series, the candidate (1, 0.95 or 0.9) that forecasts the
        series' held-out windows best (``damping_errors_``); 1 on large
        data (see Notes). The intervals are calibrated on the forecasts as
        damped. The value used is ``damping_``.
    move_limit : float or None, default=1.0
        Keep each forecast path within the moves its series has made: after
        ``k`` steps the forecast may be at most ``move_limit`` times the
        largest distance the series travelled in any ``k`` consecutive
        steps of its training data away from its last value (on the
        seasonally adjusted, transformed scale; beyond the longest span
        the limit grows linearly with ``k``). A recursive network fitted to
        a short series can learn a step that compounds, and its forecasts
        then grow geometrically far past the data; this stops them.
        Applied after ``damping``; the intervals are calibrated on the
        limited forecasts. ``None``: no limit.
    early_stopping : bool, default=True
        Stop when the validation loss (training loss without validation)
        has not improved for ``patience`` epochs; keep the best epoch.
    patience : int, default=3
        Epochs without improvement before stopping.
    n_estimators : int or "auto", default="auto"
        Networks trained on the same windows with their own seeds (drawn
        from ``random_state``) and averaged: forecasts are the mean of their
        forecasts, and prediction intervals are calibrated on the averaged
        forecasts. Costs ``n_estimators`` times the training time.
    window_scales : tuple of float or "auto", default="auto"
        Input windows of the averaged networks, as multiples of ``window_``:
        network ``i`` reads ``window_ * window_scales[i % len(window_scales)]``
        past values (rounded to whole patches, at least one), so the
        ``n_estimators_`` networks look back over different lengths at no
        extra cost. The windows used are ``windows_``; the networks of each
        window are one inner forecaster (``estimators_``), and forecasts are
        the mean over all networks. ``"auto"``: ``(1, 2/3, 4/3)`` on small
        data with ``window="auto"``, else ``(1,)`` (see Notes).
    max_windows_per_epoch : int or None, default=None
        Train on a fresh random sample of this many training windows per
        epoch (without replacement) instead of every window, as neural
        forecasters do on large panels (N-BEATS on M4); validation then
        uses a fixed random sample of the held-out windows of the same
        relative size, which also calibrates ``predict_interval``.
        ``None`` or a number of at least the number of training windows:
        every window, every epoch. Sampling needs the streamed path (see
        ``streaming``).
    streaming : "auto" or bool, default="auto"
        How the training windows reach the network (see Notes).
        ``False``: all windows are built in memory first; ``True``: each
        batch's windows are cut from the series when the network asks for
        them; ``"auto"``: streamed when the training windows hold more than
        2**24 values (windows x window x channels) or
        ``max_windows_per_epoch`` samples them, in memory otherwise. The
        path used is ``streaming_``.
    random_state : int, RandomState instance or None, default=None
        Seeds the network, its dropout and the shuffling; an int makes fits
        repeatable without touching any global random state.
    verbose : int, default=0
        0: silent; 1: one line per epoch; 2: progress bar.
    n_jobs : int, default=None
        Accepted for compatibility with the other forecasters. The global
        network is trained once for all series (TensorFlow parallelises it
        over the CPU cores itself), so it is not used.

    Attributes
    ----------
    window_, patch_, strategy_, units_, epochs_, n_estimators_, difference_, refit_, damping_
        The settings the fit used: the explicit parameters, or what the
        ``"auto"`` rule chose (see Notes). With both centrings
        (``normalize_`` a tuple), ``n_estimators_`` counts the networks of
        both fits, and ``damping_`` / ``damping_errors_`` are dicts keyed by
        the centring (each fit chooses its own damping).
    normalize_ : str, tuple of str or None
        The window normalisation used: ``normalize``, or what ``"auto"``
        chose; ``("window", "last")`` when one fit per centring is averaged
        (``estimators_``).
    damping_errors_ : dict or None
        With ``damping="auto"`` on one series (small data): the mean scaled
        absolute error of the held-out windows' forecasts under each
        candidate damping (``{1.0: ..., 0.95: ..., 0.9: ...}``; with several
        input windows, averaged over ``estimators_`` by their networks); the
        smallest chose ``damping_``. ``None`` otherwise.
    windows_ : tuple of int
        The input window of each of the ``n_estimators_`` networks (see
        ``window_scales``).
    estimators_ : list of LSTMForecaster or None
        With both centrings (``normalize_`` a tuple): the two complete fits,
        ``"window"`` then ``"last"`` (each may itself hold one inner
        forecaster per window), averaged with equal weights.
        When the networks read several windows: one fitted inner forecaster
        per window (its networks are those of ``windows_`` with that
        window). ``predict`` averages their forecasts weighted by their
        number of networks, and ``predict_interval`` their interval half
        widths in the same way. ``None`` when every network reads
        ``window_``. With several windows, ``regressor_``, ``history_``,
        ``n_windows_`` and ``calibration_residuals_`` are those of the
        first inner forecaster.
    regressor_ : LSTMRegressor
        The fitted networks on windows (with ``refit_``, those trained on
        every window).
    history_ : dict
        Per-epoch ``loss`` and ``val_loss`` of the regressor (``loss``
        only with ``refit_``).
    n_windows_ : int
        Number of training windows of ``regressor_`` (all series).
    short_series_ : list
        Series of a panel too short for one training window (fewer than
        ``window + horizon`` observations, ``window + 1`` recursive, plus
        ``difference``): they are not trained on, but forecast by the network
        from their last window, padded at the start with their first value
        when they are shorter than ``window``. One series that short is an
        error; so is a panel of only such series. Their intervals are
        calibrated apart (see Notes).
    streaming_ : bool
        Whether the windows were streamed (cut batch by batch) in ``fit``.
    calibration_residuals_ : ndarray of shape (n_calibration, horizon) or None
        Scaled absolute errors of the held-out windows (see Notes).
    seasonal_periods_ : int or dict of str to int
        The season length each series has by the rule of
        ``seasonal_periods`` (one int when all series share it).
    seasonal_ : bool, dict of str to bool, or None
        Whether each series was seasonally adjusted (a dict for several
        series); ``None`` when ``deseasonalize=None``.
    seasonal_indices_ : ndarray of shape (m,), dict of them, or None
        The seasonal indices of each series (a dict for several series),
        ``indices[i]`` applying to training observation ``i`` modulo ``m``;
        ones (multiplicative) or zeros (additive) for a series that was not
        adjusted; ``None`` when ``deseasonalize=None``.
    cutoff_ : label of the last training observation (of the first series
        for several series).

    Notes
    -----
    **Automatic settings.** {AUTO_RULE}

    The rule was chosen on validation holdouts cut from the training data
    (the bundled series, M4 Hourly and Weekly and a panel of 4-week
    aggregates of M4 Weekly); the experiments are in ``benchmarks/RESULTS.md``,
    "Data-driven LSTMForecaster defaults".

    Exogenous regressors ``X`` are fed with the series: the input step at
    time ``t`` carries ``y[t]`` and ``X[t + s]``, with ``s = horizon`` for
    ``"multioutput"`` and ``s = 1`` for ``"recursive"``, so the network sees
    the exogenous values of the steps it forecasts. ``predict`` therefore
    needs the future ``X`` of steps ``1..horizon`` (multioutput) or
    ``1..max(fh)`` (recursive). With several series, ``X`` is a dict
    ``{series: X}`` or one table shared by all series (rows aligned with the
    DataFrame's index).

    Prediction intervals are split-conformal: after training, the network
    forecasts the held-out (most recent) windows of every series; the
    absolute errors, divided by each window's scale (its standard deviation
    with ``normalize="window"`` or ``"last"``, the series' with
    ``"series"``, 1 with ``None``), are pooled over series per step ahead
    ``h`` (with both centrings, each fit calibrates its own and the half
    widths are averaged). The interval for
    step ``h`` is the forecast ``± q_h * scale`` of the series' last window,
    where ``q_h`` is the ``ceil((n + 1) * coverage) / n`` empirical quantile
    of the ``n`` held-out errors at step ``h`` (each series' errors weigh
    the same in total; ``n`` is then their effective number). With fewer
    errors than that level needs (``n < coverage / (1 - coverage)``, e.g. 9
    for 90%: one short series holds out few windows) it would be the
    largest error, which covers only about ``n / (n + 1)`` of new errors;
    ``q_h`` is then at least the errors' root mean square times Student's
    t quantile with ``n`` degrees of freedom. The short series of a panel
    (``short_series_``), forecast from padded windows and so less
    accurately, are calibrated apart (group-conditional conformal
    prediction): each one's last ``horizon`` values, forecast from the
    values before them (padded the same way), give their errors, and the
    other series' held-out windows give theirs. Steps beyond ``horizon``
    (recursive strategy) have no calibration data and raise an error. The
    coverage is valid when future errors are exchangeable with the held-out
    ones; the held-out windows also drive early stopping, which can make
    them slightly optimistic.

    Memory: the in-memory path materialises every training window (in
    float64, several copies) before training, so its memory grows with the
    number of windows times ``window``. The streamed path keeps the
    transformed series (one float64 copy of the data) and the window
    numbers only; each batch's windows are cut, normalised and scaled when
    the network asks for them, and the standardisers' statistics are
    gathered in one pass over the windows, chunk by chunk. Its memory stays
    flat as the number of windows grows. Without ``max_windows_per_epoch``
    it visits the windows in the same shuffled order as the in-memory path,
    so both give the same forecasts up to float32 rounding (the
    statistics, merged chunk by chunk, differ in their last bits). The
    held-out windows of a streamed fit are forecast in chunks for
    ``predict_interval``. The range checks of the in-memory path on
    validation windows far from the training windows (a ``ValueError``)
    are not repeated batch by batch.

    Seasonal adjustment (``deseasonalize``) is done per series, before
    differencing and normalisation, with the classical decomposition of
    :func:`tsforecast.forecasting.decomposition.classical_seasonal_indices` on the
    whole training series (as M4's Naive2 does). Forecasts of step ``h``
    are multiplied by (added to) the index of phase ``(n - 1 + h) mod m``
    of the series' ``n`` training values. Conformal intervals are
    calibrated on the adjusted series and their bounds re-seasonalised the
    same way, so multiplicative intervals widen in high seasons. With
    ``"auto"``, series shorter than ``3 * m`` fail the test and are not
    adjusted; the explicit modes need at least ``2 * m`` observations.

    Examples
    --------
    >>> import numpy as np
    >>> from tsforecast import LSTMForecaster
    >>> t = np.arange(72.0)
    >>> y = 10 + np.sin(2 * np.pi * t / 12)
    >>> f = LSTMForecaster(window=24, horizon=6, units=8, epochs=2, n_estimators=1, random_state=0).fit(y)
    >>> f.predict().shape
    (6,)
    >>> f.predict_interval(coverage=0.8).columns.tolist()
    ['lower', 'upper']

    Seasonal adjustment of a monthly series (season length from its index):

    >>> from tsforecast.datasets import load_airline
    >>> airline = load_airline().iloc[-60:]  # its last five years
    >>> f = LSTMForecaster(window=24, horizon=6, patch=12, deseasonalize="auto", units=8, epochs=2,
    ...                    n_estimators=1, random_state=0).fit(airline)
    >>> f.seasonal_, f.seasonal_indices_.shape
    (True, (12,))
    >>> f.predict().shape
    (6,)

    Two networks reading windows of 24 and 12 months, averaged:

    >>> f = LSTMForecaster(window=24, horizon=6, window_scales=(1, 0.5), n_estimators=2, normalize="window",
    ...                    units=8, epochs=2, random_state=0).fit(airline)
    >>> f.windows_, [e.window_ for e in f.estimators_]
    ((24, 12), [24, 12])

    By default one series is fitted twice, on mean-centred and on
    last-value-centred windows, and the two forecasts are averaged:

    >>> f = LSTMForecaster(window=24, horizon=6, n_estimators=1, units=8, epochs=2,
    ...                    random_state=0).fit(airline)
    >>> f.normalize_, [e.normalize_ for e in f.estimators_]
    (('window', 'last'), ['window', 'last'])
    """

    _supports_exog = True
    _fitted_attribute = "regressor_"  # what save() requires

    _parameter_constraints = {
        **{k: _BaseLSTM._parameter_constraints[k] for k in _NETWORK_PARAMS},
        "window": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "strategy": [StrOptions({"multioutput", "recursive", "auto"})],
        "patch": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "units": [*_BaseLSTM._parameter_constraints["units"], StrOptions({"auto"})],
        "epochs": [*_BaseLSTM._parameter_constraints["epochs"], StrOptions({"auto"})],
        "n_estimators": [*_BaseLSTM._parameter_constraints["n_estimators"], StrOptions({"auto"})],
        "window_scales": [StrOptions({"auto"}), "array-like"],
        "normalize": [StrOptions({"auto", "window", "last", "series"}), None],
        "difference": [Interval(Integral, 0, 1, closed="both"), StrOptions({"auto"})],
        "deseasonalize": [StrOptions({"auto", "multiplicative", "additive"}), None],
        "seasonal_periods": [Interval(Integral, 1, None, closed="left"), None],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "loss": [str, callable],
        "batch_size": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "max_windows_per_epoch": [Interval(Integral, 1, None, closed="left"), None],
        "streaming": ["boolean", StrOptions({"auto"})],
        "refit": ["boolean", StrOptions({"auto", "average"})],
        "damping": [Interval(Real, 0, 1, closed="right"), StrOptions({"auto"})],
        "move_limit": [Interval(Real, 0, None, closed="neither"), None],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        window="auto",
        horizon=1,
        *,
        strategy="auto",
        patch="auto",
        normalize="auto",
        difference=0,
        deseasonalize="auto",
        seasonal_periods=None,
        units="auto",
        dropout=0.0,
        recurrent_dropout=0.0,
        bidirectional=False,
        dense_units=None,
        epochs="auto",
        batch_size="auto",
        learning_rate=2e-3,
        optimizer="adam",
        loss="mae",
        adversarial=0.0,
        validation_fraction=0.1,
        early_stopping=True,
        patience=3,
        n_estimators="auto",
        window_scales="auto",
        max_windows_per_epoch=None,
        streaming="auto",
        refit="auto",
        damping="auto",
        move_limit=1.0,
        random_state=None,
        verbose=0,
        n_jobs=None,
    ):
        self.window = window
        self.horizon = horizon
        self.strategy = strategy
        self.patch = patch
        self.normalize = normalize
        self.difference = difference
        self.deseasonalize = deseasonalize
        self.seasonal_periods = seasonal_periods
        self.units = units
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.bidirectional = bidirectional
        self.dense_units = dense_units
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
        self.window_scales = window_scales
        self.max_windows_per_epoch = max_windows_per_epoch
        self.streaming = streaming
        self.refit = refit
        self.damping = damping
        self.move_limit = move_limit
        self.random_state = random_state
        self.verbose = verbose
        self.n_jobs = n_jobs

    # ------------------------------------------------------------ settings
    @property
    def _centring(self):
        """The resolved ``normalize`` of this fit (``normalize_``; the parameter in models saved before it)."""
        return self.__dict__.get("normalize_", self.normalize)

    @property
    def _out_len(self):
        """Number of network outputs (steps per forward pass)."""
        return self.horizon if self.strategy_ == "multioutput" else 1

    def _min_length(self):
        # checked by BaseForecaster.fit before the settings are resolved from the data; the real
        # length check (and its message) comes after them, in _check_lengths
        return 1 + (0 if self.difference == "auto" else self.difference)

    def _needed_length(self):
        """Observations a series needs for one training window with the resolved settings."""
        return self.window_ + self._out_len + self.difference_

    def _length_error(self, name, n):
        need = self._needed_length()
        diff = " and difference=1" if self.difference_ else ""
        what = f"window={self.window_} and horizon={self.horizon}" if self.strategy_ == "multioutput" else (
            f"window={self.window_} (recursive strategy)"
        )
        return ValueError(f"{name} has {n} observations; {what}{diff} need at least {need}.")

    # ------------------------------------------------------------------ fit
    # fit: WindowEnsembleMixin; _fit and _fit_panel: GlobalFitMixin (one series is a panel of one)
    def _regressor(self, n_windows):
        params = {k: getattr(self, k) for k in _NETWORK_PARAMS}
        params.update(units=self.units_, epochs=self.epochs_, n_estimators=self.n_estimators_)
        if params["batch_size"] == "auto":
            params["batch_size"] = int(np.clip(n_windows // 32, 16, 256))
        return LSTMRegressor(**params, scale="standard", validation_fraction=0.0)

    def _transform(self, y, X):
        """Series-level transforms: differencing and series normalisation."""
        d = self.difference_
        z = np.diff(y) if d else y.copy()
        E = None if X is None else X[d:]
        if self._centring == "series":
            mu, sd = (float(v) for v in mean_std(z))  # float64 at any magnitude
            # relative test: a series of tiny values (1e-300) is normalised like the same series at any scale
            sd = sd if sd > 1e-12 * abs(mu) and sd > 0 else 1.0
        else:
            mu, sd = 0.0, 1.0
        return (z - mu) / sd, E, (mu, sd)

    def _check_float32_range(self, label, z, E):
        """Name values that would reach the float32 network beyond its range, before the inner regressor does.

        With ``normalize=None`` the transformed series ``z`` is fed as it is (``"window"`` and
        ``"series"`` bring it to a few units); the exogenous ``E`` always is.
        """
        steps = (["seasonal adjustment"] if self.deseasonalize is not None else []) + (
            ["differencing"] if self.difference_ else [])
        what = f"{label} after {' and '.join(steps)}" if steps else label
        checks = [] if E is None else [(E, "X" if label == "y" else f"X of {label}", "X", "")]
        if self._centring is None:
            checks.insert(0, (z, what, label, " or use normalize='window' or 'series'"))
        for values, desc, name, alternative in checks:
            top = float(np.max(np.abs(values))) if values.size else 0.0
            if top > FLOAT32_MAX:
                power = int(np.log10(top)) if np.isfinite(top) else 308
                raise ValueError(
                    f"{desc} has values up to {top:.3g}, beyond float32's range (±{FLOAT32_MAX:.3g}) that the "
                    f"network computes in; rescale {name} (e.g. divide it by 1e{power}){alternative}."
                )

    def _shift_exog(self, E, n):
        """Exog rows fed at each input step: row t holds ``E[t + s]`` (zeros past the end)."""
        s = self._out_len
        out = np.zeros((n, E.shape[1]))
        out[: max(n - s, 0)] = E[s:n]
        return out

    # ------------------------------------------------- seasonal adjustment
    def _seasonal_adjust(self, names, values, metas):
        """Seasonally adjust each series (``deseasonalize``); set ``seasonal_``/``seasonal_indices_``."""
        self._season = None
        periods = [season_length(self.seasonal_periods, meta, "y") for meta in metas]
        self.seasonal_periods_ = periods[0] if len(set(periods)) == 1 else dict(zip(names, periods))
        if self.deseasonalize is None:
            self.seasonal_ = self.seasonal_indices_ = None
            return values
        labels = ["y" if name is None else f"series {name!r}" for name in names]
        self._season, values = SeasonalAdjustment.fit(
            values, metas, labels, mode=self.deseasonalize, seasonal_periods=self.seasonal_periods
        )
        if names == [None]:
            self.seasonal_, self.seasonal_indices_ = self._season.adjusted[0], self._season.indices[0]
        else:
            self.seasonal_ = dict(zip(names, self._season.adjusted))
            self.seasonal_indices_ = dict(zip(names, self._season.indices))
        return values

    def _reseasonalise(self, k, steps, x):
        """Put the season of fitted series ``k`` back on values ``x`` of the 1-based ``steps``."""
        return x if self._season is None else self._season.reseasonalise(k, steps, x)

    def _resolve_settings(self, values, metas):
        """Set ``window_``, ``patch_``, ``strategy_``, ``units_``, ``epochs_``, ``n_estimators_``,
        ``windows_`` and ``damping_`` from the parameters and the training series (the ``"auto"`` rule
        of :mod:`._auto`)."""
        periods = [season_length(self.seasonal_periods, meta, "y") for meta in metas]
        m = max(set(periods), key=periods.count)  # the most common season length of the series
        args = dict(
            window=self.window, patch=self.patch, strategy=self.strategy, units=self.units, epochs=self.epochs,
            n_estimators=self.n_estimators, m=m, horizon=self.horizon,
            lengths=[v.size - self.difference_ for v in values], validation_fraction=self.validation_fraction,
            window_scales=self._checked_window_scales(),
        )
        found = forecaster_settings(**args)
        # the seasonal test only matters for an automatic window on small data: large panels skip it
        if (found.small_data and self.window == "auto" and self.deseasonalize == "auto"
                and not any_seasonal(values, periods)):
            found = forecaster_settings(**args, seasonal=False)
        self.window_, self.patch_, self.strategy_ = found.window, found.patch, found.strategy
        self.units_, self.epochs_, self.n_estimators_ = found.units, found.epochs, found.n_estimators
        self.windows_ = found.windows
        self._small_data = found.small_data
        self.normalize_ = auto_normalize(self.normalize, small_data=found.small_data, n_series=len(values))
        self.damping_ = auto_damping(self.damping, small_data=found.small_data, n_series=len(values))
        if getattr(self, "_host_chooses_damping", False):  # a member of a window ensemble: the host chooses
            self.damping_ = None
        self.damping_errors_ = None

    def _fit_global(self, names, values, exogs, metas):
        self._held_out_regressor = None  # a refit's first networks (refit_="average"), set again at the end
        self.difference_ = 0 if self.difference == "auto" else self.difference  # "auto": decided below
        self.estimators_ = None
        self._resolve_settings(values, metas)
        w, L, H = self.window_, self._out_len, self.horizon
        if w % self.patch_:
            raise ValueError(
                f"window={w} must be a multiple of patch={self.patch_} (the window is fed as "
                f"window // patch time steps of patch values)."
            )
        self._check_lengths(names, values)
        if isinstance(self.normalize_, tuple):  # one series on small data: both window centrings, averaged
            return self._fit_centrings(names, values, exogs, metas)
        if len(set(self.windows_)) > 1:
            return self._fit_members(names, values, exogs, metas)
        values = self._seasonal_adjust(names, values, metas)
        if self.difference == "auto":
            self.difference_ = auto_difference(values, small_data=self._small_data, needed=self._needed_length() + 1)
        counts = np.array([self._window_counts(v.size - self.difference_) for v in values], dtype=np.int64)
        n_exog = 0 if exogs[0] is None else exogs[0].shape[1]
        if self._use_streaming(counts, n_exog):
            return self._fit_streamed(names, values, exogs, counts, n_exog)
        self.streaming_ = False
        Xs, Ys, Xv, Yv, calib, Xlast, Xall, Yall = [], [], [], [], [], [], [], []
        may_refit = bool(self._wants_refit(validation=True))  # if windows are held out
        self._series_state = []
        self._z_top = 0.0  # largest |value| fed as the series channel, for the window scale floor
        for name, v, x in zip(names, values, exogs):
            z, E, (mu, sd) = self._transform(v, x)
            self._check_float32_range("y" if name is None else f"series {name!r}", z, E)
            self._z_top = max(self._z_top, float(np.max(np.abs(z))) if z.size else 0.0)
            Eshift = None if E is None else self._shift_exog(E, z.size)
            last, state = self._last_window(v, z, E, Eshift, (mu, sd))
            Xlast.append(last)
            self._series_state.append(state)
            if v.size < self._needed_length():  # a short series of a panel: forecast, not trained on
                continue
            Xw, Yw, idx = make_windows(z, w, L, X=Eshift, return_index=True)
            if may_refit:  # kept only when the networks may be trained again on every window
                Xall.append(Xw)
                Yall.append(Yw)
            starts = idx["start"].to_numpy()
            keep, val_starts = held_out_windows(starts, z.size, w, H, L, self.validation_fraction)
            if val_starts.size:
                Xv.append(Xw[np.searchsorted(starts, val_starts)])
                Yv.append(Yw[np.searchsorted(starts, val_starts)])
                calib.append((v, z, E, (mu, sd), val_starts))
                Xw, Yw = Xw[keep], Yw[keep]
            Xs.append(Xw)
            Ys.append(Yw)
        if not Xs or sum(len(x) for x in Xs) == 0:
            raise self._no_window_error()
        Xtr, Ytr = np.concatenate(Xs), np.concatenate(Ys)
        if Xtr.shape[0] == 0:
            raise self._no_window_error()
        Xtr, Ytr, _ = self._network_windows(Xtr, Ytr)
        validation = None
        if Xv:
            Xva, Yva, _ = self._network_windows(np.concatenate(Xv), np.concatenate(Yv))
            validation = (Xva, Yva)
        # scale floors from the spread of the training, validation and last windows together: if the
        # training windows hardly vary (a flat stretch with a 1e-190 blip) and a later window does, that
        # window must not become 1e190 training standard deviations
        Xlast = self._network_windows(np.stack(Xlast))[0]
        spread = _feature_spread(np.concatenate([Xtr, Xlast] + ([] if validation is None else [validation[0]])))
        y_floor = 0.0
        if validation is not None:
            y_floor = SPREAD_FLOOR * _feature_spread(np.concatenate([Ytr, validation[1]]), features=False)
        scaling = ScaleSettings(x_floor=SPREAD_FLOOR * spread, x_constant_scale=spread, y_floor=y_floor)
        reg = self._regressor(Xtr.shape[0])
        self.regressor_ = reg._fit(Xtr, Ytr, validation_data=validation, scaling=scaling)
        self.history_ = self.regressor_.history_
        self.n_windows_ = int(Xtr.shape[0])
        self._calibrate(lambda: calibration_residuals(self, calib) if calib else None)
        self._calibration_groups = np.repeat(np.arange(len(calib)), [c[-1].size for c in calib]) if calib else None
        self._calibrate_short_series(values, exogs)
        self.refit_ = self._wants_refit(validation)
        if self.refit_:  # networks trained on every window; the held-out windows only calibrated the intervals
            Xa, Ya, _ = self._network_windows(np.concatenate(Xall), np.concatenate(Yall))
            self._set_refitted(self._regressor(Xa.shape[0])._fit(Xa, Ya, scaling=scaling), int(Xa.shape[0]))
        return self

    def _calibrate(self, residuals):
        """Set ``calibration_residuals_`` from ``residuals()`` (the held-out windows' residuals under
        ``damping_``, ``None`` when nothing is held out); with ``damping_`` still to choose ("auto" on
        one series), choose it first on those windows (:mod:`._damping`), unless a window-ensemble host
        chooses for all its members."""
        if self.damping_ is not None:
            self.calibration_residuals_ = residuals()
            return
        self._damping_residuals = candidate_residuals(self, residuals)
        self.damping_ = self.calibration_residuals_ = None
        if not getattr(self, "_host_chooses_damping", False):
            self.damping_, self.damping_errors_ = choose_damping([self])

    def _calibrate_short_series(self, values, exogs):
        """Hold out the last window of each short series of a panel to calibrate their intervals apart.

        Called after the held-out windows of the other series were forecast (by the first networks).
        Sets ``_series_strata`` (1 for a short series, else 0) and ``_calibration_strata`` (per row).
        """
        H, d = self.horizon, self.difference_
        self._series_strata = np.array([v.size < self._needed_length() for v in values], dtype=np.int64)
        res = self.calibration_residuals_
        self._calibration_strata = None if res is None else np.zeros(len(res), dtype=np.int64)
        picked = [(v, x) for v, x, short in zip(values, exogs, self._series_strata) if short and v.size - H >= 1 + d]
        if res is None or not picked:
            return
        extra = short_series_residuals(self, picked)
        groups = self._calibration_groups
        groups = np.zeros(len(res), dtype=np.int64) if groups is None else np.asarray(groups)
        self.calibration_residuals_ = np.concatenate([res, extra])
        self._calibration_groups = np.concatenate([groups, groups.max() + 1 + np.arange(len(extra))])
        self._calibration_strata = np.concatenate([self._calibration_strata, np.ones(len(extra), dtype=np.int64)])

    def _halfwidths(self, positions, steps, coverage, scales):
        """Interval half widths ``(len(positions), len(steps))`` of the fitted series ``positions``."""
        strata = getattr(self, "_series_strata", None)
        if strata is None or self.calibration_residuals_ is None:  # one pooled calibration
            return interval_halfwidth(self.calibration_residuals_, steps, coverage, scales, self.horizon,
                                      getattr(self, "_calibration_groups", None))
        q = stratified_halfwidths(self.calibration_residuals_, steps, coverage, self.horizon,
                                  self._calibration_groups, strata, self._calibration_strata)
        return q[np.asarray(list(positions))] * np.reshape(scales, (-1, 1))

    def _wants_refit(self, validation):
        """``refit_``: ``False``, ``True`` or ``"average"`` (``False`` when no window was held out)."""
        if validation is None:
            return False
        if self.refit == "auto":
            return "average" if self._small_data else False
        return self.refit

    def _set_refitted(self, regressor, n_windows):
        """Keep the networks trained on every window (beside the first ones with ``refit_="average"``)."""
        if self.refit_ == "average":
            self._held_out_regressor = self.regressor_
        self.regressor_ = regressor
        self.history_ = regressor.history_
        self.n_windows_ = n_windows

    def _check_lengths(self, names, values):
        """Series too short for a training window: an error for one series; in a panel they are
        forecast from their padded last window (see ``short_series_``) while one series is long enough."""
        need = self._needed_length()
        short = [name for name, v in zip(names, values) if v.size < need]
        if short and (names == [None] or len(short) == len(names)):
            k = next(i for i, v in enumerate(values) if v.size < need)
            raise self._length_error("y" if names[k] is None else f"series {names[k]!r}", values[k].size)
        for name, v in zip(names, values):
            if v.size < 1 + self.difference_:
                raise ValueError(f"series {name!r} has {v.size} observation(s); with difference={self.difference_} "
                                 f"a series needs at least {1 + self.difference_} to be forecast.")
        self.short_series_ = short

    def _last_window(self, v, z, E, Eshift, moments):
        """The input window predict starts from, and the state it keeps of series ``v``.

        ``z``/``E`` are the transformed series and exogenous rows, ``Eshift`` the exogenous rows
        fed with each step. A series shorter than the window is padded at its start with its first
        (transformed) value and first exogenous row. The future exogenous rows of the last window
        are unknown yet: it carries the last known ones.
        """
        pad = max(self.window_ - z.size, 0)
        if pad:
            z = np.concatenate([np.full(pad, z[0]), z])
            E = None if E is None else np.concatenate([np.repeat(E[:1], pad, axis=0), E])
            Eshift = None if Eshift is None else np.concatenate([np.repeat(Eshift[:1], pad, axis=0), Eshift])
        w = self.window_
        last = z[-w:] if Eshift is None else np.concatenate([z[-w:, None], Eshift[-w:]], axis=1)
        state = {"z": z[-w:].copy(), "E": None if E is None else E[-w:].copy(),
                 "last": v[-1], "mu": moments[0], "sd": moments[1], "reach": largest_moves(z[pad:], self.difference_, self.horizon)}
        return last, state

    def _no_window_error(self):
        return ValueError(
            f"no training window is left: the series are too short for window={self.window_}, "
            f"horizon={self.horizon} and validation_fraction={self.validation_fraction}; lower them or "
            "pass longer series."
        )

    # ------------------------------------------------------ window handling
    def _window_stats(self, z_windows):
        """Per-window centre and scale of the target channel (zeros and ones unless ``normalize`` is
        ``"window"`` or ``"last"``)."""
        mode = self._centring
        if mode not in _WINDOW_MODES:
            n = z_windows.shape[0]
            return np.zeros(n), np.ones(n)
        c, s = mean_std(z_windows, axis=1)  # float64 at any magnitude (np.std overflows beyond ~1e154)
        if mode == "last":  # centred on the value the forecast starts from: an output of 0 is the naive forecast
            c = np.asarray(z_windows[:, -1], dtype=np.float64)
        # the relative floor only binds for series beyond 1e24: it keeps a jump after a flat window
        # (|target - c| <= 2 * top) within float32 once normalised (<= 2e30)
        floor = np.maximum(1e-6 * (1.0 + np.abs(c)), _WINDOW_FLOOR_RELATIVE * getattr(self, "_z_top", 0.0))
        return c, np.maximum(s, floor)

    def _network_windows(self, Xw, Yw=None):
        """Normalise windows per window and reshape them into patches.

        ``Xw`` is ``(n, window)`` or ``(n, window, 1 + n_exog)`` (channel 0 =
        the series), ``Yw`` ``(n, L)``. Returns the network input, the
        normalised targets and the per-window ``(centre, scale)``.
        """
        zw = Xw if Xw.ndim == 2 else Xw[:, :, 0]
        c, s = self._window_stats(zw)
        if self._centring in _WINDOW_MODES:
            if Xw.ndim == 2:
                Xw = (Xw - c[:, None]) / s[:, None]
            else:
                Xw = Xw.copy()
                Xw[:, :, 0] = (Xw[:, :, 0] - c[:, None]) / s[:, None]
            if Yw is not None:
                Yw = (Yw - c[:, None]) / s[:, None]
        if self.patch_ > 1:
            n, w = Xw.shape[:2]
            channels = 1 if Xw.ndim == 2 else Xw.shape[2]
            Xw = Xw.reshape(n, w // self.patch_, self.patch_ * channels)
        return Xw, Yw, (c, s)

    def _predict_windows(self, Xn, regressor=None):
        """Forecasts ``(b, L)`` of the normalised windows ``Xn`` by ``regressor`` (``regressor_``)."""
        try:
            return np.asarray((regressor or self.regressor_).predict(Xn)).reshape(len(Xn), -1)
        except FarFromTrainingError as e:
            raise ValueError(
                f"a window of y to forecast from is too far from the training windows: scaled, its values "
                f"reach {e.value:.3g} training standard deviations, beyond float32's range (±{FLOAT32_MAX:.3g}) "
                "that the network computes in. The training windows hardly vary compared with it (e.g. a flat "
                "series that jumps at its end); fit on more varied data or use normalize='series'."
            ) from None

    def _forecast(self, z_windows, exog, n_steps):
        """Forecast ``n_steps`` normalised values after each window.

        ``z_windows`` (b, window) in the transformed scale; ``exog`` (b,
        window + n_steps - 1 or window, k) exogenous rows already shifted,
        or None. Returns ``(forecasts (b, n_steps), window scale (b,))``.
        With ``refit_="average"`` the forecasts are the mean of the paths
        forecast by the refitted networks and by the first ones (each
        feeding back its own forecasts).
        """
        first = getattr(self, "_held_out_regressor", None)
        path, scale0 = self._forecast_path(z_windows, exog, n_steps, self.regressor_)
        if first is not None:
            path = 0.5 * (path + self._forecast_path(z_windows, exog, n_steps, first)[0])
        return self._damped(z_windows, path, getattr(self, "damping_", 1.0)), scale0  # 1: models saved before damping

    def _damped(self, z_windows, path, phi):
        """``path`` (transformed scale) with its step-to-step changes multiplied by ``phi ** step``."""
        if phi == 1.0:
            return path
        k = phi ** np.arange(1, path.shape[1] + 1)
        if self.difference_:  # the path holds changes already
            return path * k
        base = z_windows[:, -1:]
        return base + np.cumsum(np.diff(np.concatenate([base, path], axis=1), axis=1) * k, axis=1)

    def _forecast_path(self, z_windows, exog, n_steps, regressor):
        """:meth:`_forecast` by the networks ``regressor`` alone."""
        w = self.window_
        # one network call forecasts `block` steps: the whole horizon (multioutput) or one step
        # (recursive); beyond it, forecasts are fed back as inputs, `block` steps at a time
        block = self.horizon if self.strategy_ == "multioutput" else 1
        n_blocks = -(-n_steps // block)
        buf = np.concatenate([z_windows, np.zeros((z_windows.shape[0], n_blocks * block))], axis=1)
        scale0 = None
        for b in range(n_blocks):
            j = b * block
            zw = buf[:, j : j + w]
            Xw = zw if exog is None else np.concatenate([zw[..., None], exog[:, j : j + w]], axis=2)
            Xn, _, (c, s) = self._network_windows(Xw)
            if scale0 is None:
                scale0 = s
            out = self._predict_windows(Xn, regressor)[:, :block]
            buf[:, w + j : w + j + block] = out * s[:, None] + c[:, None]
        return buf[:, w : w + n_steps], scale0

    def _to_levels(self, zhat, mu, sd, last):
        """Undo the series transforms of forecasts in the transformed scale."""
        z = zhat * sd + mu
        return last + np.cumsum(z, axis=-1) if self.difference_ else z

    # -------------------------------------------------------------- predict
    def _n_exog_rows(self, steps):
        """Future exogenous rows predict needs."""
        need = int(np.max(steps))
        if self.strategy_ == "multioutput":  # whole blocks of `horizon` steps (see _forecast)
            return -(-need // self.horizon) * self.horizon
        return need

    def _check_X_predict(self, X, steps, fut_index):
        if getattr(self, "_n_exog", 0) == 0:
            return super()._check_X_predict(X, steps, fut_index)
        return super()._check_X_predict(X, np.arange(1, self._n_exog_rows(steps) + 1), fut_index)

    def _forecast_series(self, positions, exogs_future, n_steps):
        """Level forecasts (steps 1..n_steps) and last-window scales of the fitted series."""
        return self._forecast_states([self._series_state[i] for i in positions], exogs_future, n_steps)

    def _forecast_states(self, states, exogs_future, n_steps):
        """Level forecasts (steps 1..n_steps) and scales from last-window ``states`` (see ``_last_window``)."""
        w = self.window_
        zw = np.stack([st["z"] for st in states])
        exog = None
        if self._n_exog:
            s = self._out_len
            rows = []
            for st, fut in zip(states, exogs_future):
                full = np.concatenate([st["E"], fut])  # E rows of the last window, then the future
                block = self.horizon if self.strategy_ == "multioutput" else 1
                extra = (-(-n_steps // block) - 1) * block
                rows.append(full[s : s + w + extra])
            exog = np.stack(rows)
        zhat, scale = self._forecast(zw, exog, n_steps)
        limit = getattr(self, "move_limit", None)  # None: models saved before the limit
        if limit is not None:
            zhat = within_reach(zw[:, -1], zhat, [st.get("reach") for st in states], self.difference_, limit)
        mu, sd, last = (np.array([st[k] for st in states])[:, None] for k in ("mu", "sd", "last"))
        levels = self._to_levels(zhat, mu, sd, last)
        series_scale = sd[:, 0] if self._centring == "series" else 1.0
        return levels, scale * series_scale

    def _predict(self, steps, X):
        levels, _ = self._ensemble_series([0], [X], steps)
        return self._reseasonalise(0, steps, levels[0][steps - 1])

    def _predict_interval(self, steps, coverage, X):
        levels, half = self._ensemble_series([0], [X], steps, coverage)
        half = half[0]
        mean = levels[0][steps - 1]
        return self._reseasonalise(0, steps, mean - half), self._reseasonalise(0, steps, mean + half)

    # ------------------------------------------------------- several series
    def _future_exog(self, X, steps):
        """Future exogenous rows per fitted series (list), for panel prediction.

        ``X`` is a dict ``{series: X}`` or one table shared by all series (rows picked by each
        series' future time labels when it has them).
        """
        need = self._n_exog_rows(steps)
        out = []
        for name, meta in zip(self._names, self._metas):
            x = panel_exog(X, name) if self._n_exog else X
            out.append(self._check_future_exog(x, need, meta, name=f"X of series {name!r}"))
        return out

    def _panel_forecasts(self, steps, X, coverage=None):
        futures = self._future_exog(X, steps)
        return self._ensemble_series(range(len(self._names)), futures, steps, coverage)

    def _predict_panel(self, steps, X):
        levels, _ = self._panel_forecasts(steps, X)
        cols = {}
        for k, (name, meta) in enumerate(zip(self._names, self._metas)):
            pred = self._reseasonalise(k, steps, levels[k][steps - 1])
            fut = future_index(meta, steps)
            cols[name] = pred if meta.kind == "array" else pd.Series(pred, index=fut, name=name)
        return combine_panel(cols)

    def _predict_interval_panel(self, steps, coverage, X):
        levels, half = self._panel_forecasts(steps, X, coverage)
        frames = {}
        for k, (name, meta) in enumerate(zip(self._names, self._metas)):
            mean = levels[k][steps - 1]
            fut = future_index(meta, steps)
            index = fut if fut is not None else pd.Index(steps, name="step")
            lower = self._reseasonalise(k, steps, mean - half[k])
            upper = self._reseasonalise(k, steps, mean + half[k])
            frames[name] = pd.DataFrame({"lower": lower, "upper": upper}, index=index)
        return combine_panel_intervals(frames)

    def _score_panel(self, series, X):
        truths, all_steps = [], []
        for name, s in series.items():
            meta = self._metas[self._names.index(name)]
            s = s.dropna() if isinstance(s, pd.Series) else s
            values, m = check_series(s, name="y_true")
            steps = steps_from_index(meta, m.index, name="y_true") if m.index is not None else None
            truths.append(values)
            all_steps.append(np.arange(1, values.size + 1) if steps is None else steps)
        top = max(int(st.max()) for st in all_steps)
        levels, _ = self._panel_forecasts(np.arange(1, top + 1), X)
        out = ([], [], [])
        for name, values, steps in zip(series, truths, all_steps):
            k = self._names.index(name)
            out[0].append(values)
            out[1].append(self._reseasonalise(k, steps, levels[k][steps - 1]))
            out[2].append(self._ys[name])
        return out


LSTMForecaster.__doc__ = LSTMForecaster.__doc__.replace("{AUTO_RULE}", AUTO_RULE_DOC.strip())

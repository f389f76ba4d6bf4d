"""The data-driven defaults of ``LSTMForecaster``: what each ``"auto"`` parameter becomes.

One function, :func:`forecaster_settings`, turns the parameters (each an explicit value or
``"auto"``) and a few facts about the training data (season length, horizon, series lengths)
into the settings a fit uses. The rule, and the experiments it comes from, are written in
``LSTMForecaster``'s docstring and in ``benchmarks/RESULTS.md`` ("Data-driven LSTMForecaster
defaults").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._damping import SERIES_DAMPING_CANDIDATES

__all__ = ["AUTO_RULE_DOC", "auto_damping", "auto_difference", "auto_normalize", "CLASSIFIER_RULE_DOC", "classifier_settings", "PANEL_DAMPING", "LONG_WINDOW_FRACTION", "FEW_WINDOWS_FACTOR", "MIN_WINDOWS", "ONE_NETWORK_WINDOWS", "SMALL_DATA_WINDOW_SCALES", "SMALL_DATA_WINDOWS", "SERIES_CENTRINGS", "Settings", "forecaster_settings"]

#: fewer training windows than this (all series, ``strategy="multioutput"`` windows of the chosen
#: input window) is "small data": one short series or a few, where a small recursive network wins
SMALL_DATA_WINDOWS = 100_000

#: an automatic window is shortened until the longest series gives at least this many windows
MIN_WINDOWS = 8

#: from this many training windows on, one network is trained instead of an average of three
ONE_NETWORK_WINDOWS = 1_000_000

#: on small data without a season, an automatic window of ``max(2h, 8)`` that leaves the longest series
#: fewer than this many training windows per input value becomes ``max(h, 8)``
FEW_WINDOWS_FACTOR = 2

#: on large data an automatic window covers up to this fraction of the median series length
LONG_WINDOW_FRACTION = 0.2

#: ``window_scales="auto"`` on small data with an automatic window: the averaged networks' input
#: windows, as multiples of the automatic window (one network per scale with 3 networks)
SMALL_DATA_WINDOW_SCALES = (1.0, 2 / 3, 4 / 3)

#: ``normalize="auto"`` on small data with one series: one fit per window centring, averaged
SERIES_CENTRINGS = ("window", "last")

#: ``damping="auto"`` on small data with several series: the forecast path's change from step
#: ``k - 1`` to step ``k`` is multiplied by ``PANEL_DAMPING ** k``
PANEL_DAMPING = 0.95


#: the rule, as the docstring states it (kept next to the code that applies it)
AUTO_RULE_DOC = f"""\
    With ``m`` the season length (``seasonal_periods_``) and ``h`` the
    ``horizon``:

    * ``patch="auto"``: ``m`` when ``m > 1`` and the window is a multiple
      of ``m`` (one season per LSTM time step), else 1.
    * ``window="auto"``: ``max(2m, 2h, 8)`` rounded up to a multiple of the
      patch. On small data (below), ``max(2h, 8)`` when ``deseasonalize="auto"``
      finds no season in any series: a season the series do not show does not
      lengthen the window (a short weekly series reads 26 weeks, not 104), and
      the patch is then ``m`` only if that window is a multiple of ``m`` holding
      at least two seasons, else 1. Without a season, when the longest
      series gives fewer than {FEW_WINDOWS_FACTOR} training windows per value of that
      ``max(2h, 8)`` window, the window is ``max(h, 8)``: a network that
      sees few windows mostly returns to its window's mean, and a mean over
      the last ``h`` values has caught up with a recent level shift where one
      over ``2h`` has not (a 67-week series reads 13 weeks, not 26). The
      window is shortened by whole patches
      (then patch 1) while the longest series would give fewer than
      {MIN_WINDOWS} training windows (one-step windows, or ``h``-step ones with
      ``strategy="multioutput"``, not counting those held out by
      ``validation_fraction``; when no window leaves room for that hold-out,
      it is dropped and every window trains).
    * The data are *small* when the series give fewer than
      {SMALL_DATA_WINDOWS:,} windows of that length followed by ``h`` values (all
      series together). Small data: ``strategy="recursive"``,
      ``units=32``, ``epochs=50``, and ``refit="auto"`` trains the
      networks again on every window once the held-out ones have served
      (early stopping and interval calibration) and forecasts with the
      mean of both sets of networks (``refit_="average"``). Large data:
      ``strategy="multioutput"``, ``units=(64, 64)``, ``epochs=20``,
      and the automatic window grows to the largest
      multiple of the patch within {LONG_WINDOW_FRACTION:.0%} of the median series length
      when that is longer (e.g. 168 hours = 7 days for series of 912
      hourly values).
    * ``difference="auto"`` (not the default): on small data, first differences when at least
      half of the series (seasonally adjusted; up to 500 of them vote)
      keep a unit root by the augmented Dickey-Fuller test (statsmodels'
      ``adfuller`` defaults, 5% level) and every series keeps a training
      window; on large data no differencing.
    * ``window_scales="auto"``: on small data with ``window="auto"``,
      ``(1, 2/3, 4/3)``: of 3 averaged networks, one reads the automatic
      window, one two thirds of it and one four thirds (rounded to whole
      patches; a window that would leave the longest series fewer than
      {MIN_WINDOWS} training windows becomes the automatic one). Otherwise
      ``(1,)``: every network reads ``window_``.
    * ``damping="auto"``: on small data with several series (a panel fitted
      by one global network), the forecast path's change from step
      ``k - 1`` to step ``k`` is multiplied by ``{PANEL_DAMPING} ** k``
      (``damping_`` = {PANEL_DAMPING}), as a damped trend. On small data with
      one series, the damping among {SERIES_DAMPING_CANDIDATES} whose forecasts
      of the series' held-out windows have the smallest mean absolute error
      (the weaker damping on a tie; 1 when no window is held out; the errors are
      ``damping_errors_``). Large data are not damped.
    * ``normalize="auto"``: on small data with one series, the forecaster
      is fitted twice, with windows centred on their mean (``"window"``)
      and on their last value (``"last"``), and the two fits' forecasts
      and interval half widths are averaged (``normalize_`` =
      {SERIES_CENTRINGS}, the fits in ``estimators_``; twice the
      networks and the time). Otherwise ``"window"``.
    * ``n_estimators="auto"``: 3 networks averaged; 1 from {ONE_NETWORK_WINDOWS:,}
      windows on, where one network already costs many minutes.
    * ``batch_size="auto"``: ``n_windows // 32`` clipped to 16..256."""


def auto_damping(damping, *, small_data, n_series):
    """``damping_``: an explicit value as given; ``"auto"``: :data:`PANEL_DAMPING` on small data with
    several series (a global network extends the trends of a panel too far), ``None`` on small data
    with one series (chosen after training on its held-out windows, see :mod:`._damping`), else 1
    (no damping)."""
    if damping != "auto":
        return float(damping)
    if not small_data:
        return 1.0
    return PANEL_DAMPING if n_series > 1 else None


def auto_normalize(normalize, *, small_data, n_series):
    """``normalize_``: an explicit value as given; ``"auto"``: :data:`SERIES_CENTRINGS` (both centrings,
    averaged) on small data with one series, else ``"window"``."""
    if normalize != "auto":
        return normalize
    return SERIES_CENTRINGS if small_data and n_series == 1 else "window"


#: ``difference="auto"``: at most this many series vote (evenly spaced through the panel)
DIFFERENCE_VOTERS = 500


def auto_difference(values, *, small_data, needed):
    """``difference="auto"``: 1 when the series (seasonally adjusted) keep a unit root, else 0.

    Only the small-data recipe differences (the large-data one was validated undifferenced on M4).
    Each series long enough to train on (at least ``needed - 1`` values, ``needed`` being what a
    training window takes with one difference; at most :data:`DIFFERENCE_VOTERS` of them) votes
    with the augmented Dickey-Fuller test (statsmodels' defaults, 5%): a unit root asks for a
    difference. The series are differenced when at least half of the votes ask for it and no
    series would lose its training windows by it (one of ``needed - 1`` values).
    """
    if not small_data:
        return 0
    from ..forecasting._unit_root import adf_unit_root

    if any(v.size == needed - 1 for v in values):
        return 0
    voters = [v for v in values if v.size >= needed]
    if len(voters) > DIFFERENCE_VOTERS:
        voters = [voters[i] for i in np.linspace(0, len(voters) - 1, DIFFERENCE_VOTERS).astype(int)]
    votes = [adf_unit_root(v) for v in voters]
    return int(bool(votes) and 2 * sum(votes) >= len(votes))


@dataclass(frozen=True)
class Settings:
    """What a fit uses: the resolved value of every ``"auto"`` parameter."""

    window: int
    patch: int
    strategy: str
    units: object
    epochs: int
    n_estimators: int
    small_data: bool
    windows: tuple = ()


def _n_windows(lengths, window, out_len):
    return int(sum(max(n - window - out_len + 1, 0) for n in lengths))


def _training_windows(n, window, horizon, out_len, validation_fraction):
    """Training windows (of ``out_len`` targets) of a series of ``n`` values left once its validation
    windows (``validation_fraction`` of its windows with a full horizon, the latest) and the windows
    whose targets overlap them are held out (see ``_conformal.held_out_windows``); 0 when the
    hold-out would take them all (the fit then holds nothing out, but the rule prefers a window
    that leaves both)."""
    n_full = n - window - horizon + 1
    if validation_fraction > 0 and n_full > 0:
        return max(n_full - min(math.ceil(validation_fraction * n_full), n_full) - out_len + 1, 0)
    return max(n - window - out_len + 1, 0)


def member_windows(window, patch, scales, n_estimators, longest, horizon, out_len, validation_fraction):
    """The input window of each of the ``n_estimators`` averaged networks (a tuple).

    Network ``i`` reads ``window * scales[i % len(scales)]`` values, rounded to whole patches (at least
    one patch); a window that would leave the longest series fewer than :data:`MIN_WINDOWS` training
    windows (see ``_training_windows``) is replaced by ``window``.
    """
    out = []
    for i in range(n_estimators):
        w = max(patch, patch * int(round(window * float(scales[i % len(scales)]) / patch)))
        if w != window and _training_windows(longest, w, horizon, out_len, validation_fraction) < MIN_WINDOWS:
            w = window
        out.append(int(w))
    return tuple(out)


def forecaster_settings(*, window, patch, strategy, units, epochs, n_estimators, m, horizon, lengths,
                        validation_fraction=0.0, window_scales=(1.0,), seasonal=True):
    """Resolve the ``"auto"`` parameters of an ``LSTMForecaster`` fit.

    ``lengths`` are the lengths of the training series after differencing; ``m`` the season
    length; ``validation_fraction`` the forecaster's (the windows it holds out do not count as
    training windows). ``seasonal=False`` when ``deseasonalize="auto"`` found no season in any
    series: on small data the automatic window then does not count the season (``max(2h, 8)``, or
    ``max(h, 8)`` when that leaves fewer than :data:`FEW_WINDOWS_FACTOR` training windows per value).
    Explicit values are returned unchanged.
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    longest = int(lengths.max())
    explicit_window = window != "auto"
    if not seasonal and not explicit_window:  # small data only: large data keep their long, patched windows
        found = forecaster_settings(window=window, patch=patch, strategy=strategy, units=units, epochs=epochs,
                                    n_estimators=n_estimators, m=m, horizon=horizon, lengths=lengths,
                                    validation_fraction=validation_fraction, window_scales=window_scales)
        if not found.small_data:
            return found
    out_len = horizon if strategy == "multioutput" else 1  # "auto" on short data is recursive
    base = max(2 * (m if seasonal else 1), 2 * horizon, 8)  # the automatic window before rounding
    if (not seasonal and not explicit_window
            and _training_windows(longest, base, horizon, out_len, validation_fraction) < FEW_WINDOWS_FACTOR * base):
        base = max(horizon, 8)  # few windows: a network returns to its window's mean, so keep that mean recent
    if patch == "auto":
        if explicit_window:
            p = m if m > 1 and window % m == 0 else 1
        else:
            p = m if m > 1 and (seasonal or (base % m == 0 and base >= 2 * m)) else 1
    else:
        p = int(patch)
    if explicit_window:
        w = int(window)
    else:
        def enough(w, fraction):
            return _training_windows(longest, w, horizon, out_len, fraction) >= MIN_WINDOWS

        def shorten(w, p, fraction):
            # short data: fewer seasons per window, then one value per step, down to a window of 1
            while w > 1 and not enough(w, fraction):
                if w > p:
                    w -= p
                elif patch == "auto" and p > 1:
                    p, w = 1, min(w - 1, max(longest - MIN_WINDOWS, 1))
                else:
                    break
            return w, p

        start = p * math.ceil(base / p)
        w, q = shorten(start, p, validation_fraction)
        if validation_fraction > 0 and not enough(w, validation_fraction):
            w, q = shorten(start, p, 0.0)  # no room for a hold-out at any window: the fit trains on every window
        p = q
    small = _n_windows(lengths, w, horizon) < SMALL_DATA_WINDOWS
    if not small and not explicit_window:  # long series: a longer look back pays (M4 Hourly, Weekly)
        w = max(w, p * int(LONG_WINDOW_FRACTION * float(np.median(lengths)) // p))
    strategy = strategy if strategy != "auto" else ("recursive" if small else "multioutput")
    n_estimators = int(n_estimators) if n_estimators != "auto" else (
        3 if _n_windows(lengths, w, horizon) < ONE_NETWORK_WINDOWS else 1)
    if isinstance(window_scales, str):  # "auto"
        window_scales = SMALL_DATA_WINDOW_SCALES if small and not explicit_window else (1.0,)
    out_len = horizon if strategy == "multioutput" else 1
    return Settings(
        window=w,
        patch=p,
        strategy=strategy,
        units=units if units != "auto" else (32 if small else (64, 64)),
        epochs=int(epochs) if epochs != "auto" else (50 if small else 20),
        n_estimators=n_estimators,
        small_data=small,
        windows=member_windows(w, p, window_scales, n_estimators, longest, horizon, out_len, validation_fraction),
    )


# ---------------------------------------------------------------- LSTMClassifier
#: numeric training sets with fewer sequences than this get the small-data recipe
CLASSIFIER_SMALL_SAMPLES = 1_000

#: an automatic patch makes about this many LSTM steps of a long series
CLASSIFIER_STEPS = 30

#: the training settings of the small-data recipe, and of everything else (the former defaults)
_SMALL = dict(epochs=300, batch_size=16, learning_rate=3e-3, validation_fraction=0.0, patience=50, n_estimators=3)
_LARGE = dict(epochs=50, batch_size=32, learning_rate=1e-3, validation_fraction=0.1, patience=5, n_estimators=1)

CLASSIFIER_RULE_DOC = f"""\
    With ``T`` the length of the training sequences and ``n`` their number:

    * ``patch="auto"``: ``max(1, round(T / {CLASSIFIER_STEPS}))`` for numeric sequences of
      one length (about {CLASSIFIER_STEPS} LSTM steps however long the series), 1 for
      token ids and variable-length sequences.
    * Numeric sequences with ``n < {CLASSIFIER_SMALL_SAMPLES:,}`` (UCR-sized training sets) get
      the small-data recipe: ``epochs={_SMALL['epochs']}``, ``batch_size={_SMALL['batch_size']}``,
      ``learning_rate={_SMALL['learning_rate']:g}``, ``validation_fraction={_SMALL['validation_fraction']:g}`` (early stopping
      on the training loss, every sample trains), ``patience={_SMALL['patience']}`` and a soft vote
      of ``n_estimators={_SMALL['n_estimators']}`` networks: long training so that a few dozen
      cases do not stop in a bad early minimum, averaged over seeds.
    * Otherwise (larger sets, token ids, variable lengths): ``epochs={_LARGE['epochs']}``,
      ``batch_size={_LARGE['batch_size']}``, ``learning_rate={_LARGE['learning_rate']:g}``,
      ``validation_fraction={_LARGE['validation_fraction']:g}``, ``patience={_LARGE['patience']}``,
      ``n_estimators={_LARGE['n_estimators']}``.

    The rule was chosen by cross-validation on the training splits of the
    bundled UCR sets (``benchmarks/RESULTS.md``, "LSTMClassifier defaults")."""


def classifier_settings(*, patch, epochs, batch_size, learning_rate, validation_fraction, patience, n_estimators,
                        n_samples, n_timesteps, numeric_fixed):
    """Resolve the ``"auto"`` parameters of an ``LSTMClassifier`` fit (explicit values unchanged)."""
    given = dict(epochs=epochs, batch_size=batch_size, learning_rate=learning_rate,
                 validation_fraction=validation_fraction, patience=patience, n_estimators=n_estimators)
    recipe = _SMALL if numeric_fixed and n_samples < CLASSIFIER_SMALL_SAMPLES else _LARGE
    out = {k: (recipe[k] if v == "auto" else v) for k, v in given.items()}
    out["n_estimators"] = int(out["n_estimators"])
    if patch == "auto":
        patch = max(1, round(n_timesteps / CLASSIFIER_STEPS)) if numeric_fixed else 1
    out["patch"] = int(patch)
    return out

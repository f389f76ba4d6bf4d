"""Seasonal adjustment of the series an ``LSTMForecaster`` is trained on (``deseasonalize``).

Each series is adjusted on its own with the classical decomposition of
:func:`tsforecast.forecasting.decomposition.classical_seasonal_indices` on the
whole training series (as M4's Naive2 does); forecasts are re-seasonalised
with the indices continued over the horizon.
"""

from __future__ import annotations

import numpy as np

__all__ = ["SeasonalAdjustment", "any_seasonal", "season_length"]


def season_length(seasonal_periods, meta, label, mode=None):
    """Season length of one series: ``seasonal_periods``, else its index frequency's usual one.

    The rule of every forecaster (:func:`tsforecast.utils._frequency.resolve_seasonal_periods`):
    a series without a frequency has ``m = 1``. An explicit ``deseasonalize=mode`` (not
    ``"auto"``) needs a season, so it then raises an error that says how to give one.
    ``meta`` describes the series called ``label`` in messages.
    """
    from ..utils._frequency import freq_code, resolve_seasonal_periods

    freq = meta.freq if meta is not None and meta.index is not None else None
    m = resolve_seasonal_periods(seasonal_periods, freq)
    if seasonal_periods is None and mode not in (None, "auto") and (freq is None or freq_code(freq) is None):
        what = ("has no time index frequency to take it from" if freq is None else
                f"has the index frequency {getattr(freq, 'freqstr', freq)!r}, which has no usual season")
        raise ValueError(
            f"deseasonalize={mode!r} needs a season length: {label} {what}; "
            "pass seasonal_periods (e.g. 12 for monthly data)."
        )
    return m


def any_seasonal(values, periods):
    """Whether ``deseasonalize="auto"`` adjusts at least one of the series ``values`` (seasons ``periods``).

    Stops at the first seasonal series, so a seasonal panel costs one test.
    """
    return any(_adjust_or_not(np.asarray(v, float), m, "auto", "y") for v, m in zip(values, periods))


def _adjust_or_not(v, m, mode, label):
    """Whether series ``v`` (called ``label``) is adjusted with season ``m``; errors for explicit modes."""
    from ..forecasting.decomposition import seasonality_test

    if mode == "auto":
        return bool(m > 1 and np.all(v > 0) and seasonality_test(v, m))
    if m < 2:
        raise ValueError(
            f"deseasonalize={mode!r} needs a season length of at least 2; {label} has "
            f"seasonal_periods={m}. Use deseasonalize=None (or 'auto') for non-seasonal data."
        )
    if v.size < 2 * m:
        raise ValueError(
            f"{label} has {v.size} observations; deseasonalize={mode!r} with "
            f"seasonal_periods={m} needs at least {2 * m} (two full seasons). Use "
            "deseasonalize='auto' (which leaves short series unadjusted) or a shorter season."
        )
    if mode == "multiplicative" and v.min() <= 0:
        raise ValueError(
            f"deseasonalize='multiplicative' needs positive values; {label} has minimum "
            f"{v.min():g}. Use deseasonalize='additive' or 'auto' (which adjusts only "
            "positive series)."
        )
    return True


class SeasonalAdjustment:
    """The seasonal indices of several training series, to take the season out and put it back.

    Build it with :meth:`fit`. ``indices[k]`` applies to observation ``i`` of series ``k`` at
    phase ``i mod m``; a series that was not adjusted has indices of ones (multiplicative) or
    zeros (additive).

    Parameters
    ----------
    indices : list of ndarray
        Seasonal indices of each series.
    lengths : list of int
        Number of training observations of each series.
    adjusted : list of bool
        Whether each series was adjusted.
    additive : bool
        Additive (subtract the indices) or multiplicative (divide by them) adjustment.
    """

    def __init__(self, indices, lengths, adjusted, additive):
        self.indices = indices
        self.lengths = lengths
        self.adjusted = adjusted
        self.additive = additive

    @classmethod
    def fit(cls, values, metas, labels, *, mode, seasonal_periods=None):
        """Seasonal indices of each series; returns ``(adjustment, adjusted series)``.

        Parameters
        ----------
        values : list of ndarray
            The training series.
        metas : list of SeriesMeta
            Their index descriptions (for the season length of ``seasonal_periods=None``).
        labels : list of str
            How the messages name each series.
        mode : {"auto", "multiplicative", "additive"}
            ``"auto"``: multiplicative when the 90% autocorrelation test at the seasonal lag
            finds seasonality and all values are positive, no adjustment otherwise.
        seasonal_periods : int or None
            Season length; ``None``: from each series' index frequency.
        """
        from ..forecasting.decomposition import classical_seasonal_indices

        additive = mode == "additive"
        indices, flags, out = [], [], []
        for v, meta, label in zip(values, metas, labels):
            m = season_length(seasonal_periods, meta, label, mode)
            use = _adjust_or_not(v, m, mode, label)
            if use:
                idx = classical_seasonal_indices(v, m, model="additive" if additive else "multiplicative")
            else:
                idx = np.zeros(m) if additive else np.ones(m)
            s = idx[np.arange(v.size) % m]
            out.append(v - s if additive else v / s)
            indices.append(idx)
            flags.append(use)
        return cls(indices, [v.size for v in values], flags, additive), out

    def reseasonalise(self, k, steps, x):
        """Put the season of series ``k`` back on its values ``x`` of the 1-based ``steps`` after training."""
        idx = self.indices[k]
        s = idx[(self.lengths[k] - 1 + np.asarray(steps)) % idx.size]
        return x + s if self.additive else x * s

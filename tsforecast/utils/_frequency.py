"""Pandas frequencies -> usual season length and M4 horizon."""

from __future__ import annotations

import re

__all__ = ["season_length_from_freq", "default_horizon", "freq_code", "resolve_seasonal_periods", "SEASONAL_PERIODS_DOC"]

# base frequency code -> (season length, M4 horizon)
_FREQ_TABLE = {
    "Y": (1, 6),
    "Q": (4, 8),
    "M": (12, 18),
    "W": (52, 13),
    "D": (7, 14),
    "B": (5, 10),
    "H": (24, 48),
}


def freq_code(freq):
    """Base frequency letter (Y, Q, M, W, D, B, H) of a pandas frequency string, or None."""
    if freq is None:
        return None
    text = freq if isinstance(freq, str) else getattr(freq, "freqstr", str(freq))
    match = re.match(r"^(\d*)([A-Za-z]+)", text)
    if not match or match.group(1) not in ("", "1"):  # no match, or a multiple such as "2M"
        return None
    code = match.group(2)
    if code in ("min", "T", "s", "S", "ms", "L", "us", "U", "ns", "N"):  # sub-hourly: no usual season
        return None
    code = code.upper()
    if len(code) > 1 and code[-1] in "SE":  # MS/ME, QS/QE, YS/YE: start/end anchors
        code = code[:-1]
    if code.startswith("CB"):  # custom business
        code = code[2:]
    elif len(code) > 1 and code[0] == "B":  # business month/quarter/year/hour
        code = code[1:]
    code = "Y" if code == "A" else code
    return code if code in _FREQ_TABLE else None


def season_length_from_freq(freq):
    """Usual season length for a pandas frequency (12 for monthly, 4 quarterly...; 1 if unknown).

    Examples
    --------
    >>> from tsforecast.utils._frequency import season_length_from_freq
    >>> season_length_from_freq("M"), season_length_from_freq("W-SAT"), season_length_from_freq(None)
    (12, 52, 1)
    """
    code = freq_code(freq)
    return _FREQ_TABLE[code][0] if code else 1


def default_horizon(freq):
    """The M4 competition's horizon for a frequency (yearly 6, quarterly 8, monthly 18, weekly 13,
    daily 14, hourly 48), or ``None`` when unknown."""
    code = freq_code(freq)
    return _FREQ_TABLE[code][1] if code else None


#: numpydoc entry of ``seasonal_periods``, shared by every forecaster that has
#: a season (the rule lives in :func:`resolve_seasonal_periods`)
SEASONAL_PERIODS_DOC = """\
    seasonal_periods : int or None, default=None
        Season length ``m``. ``None`` reads it from the index frequency of the
        series passed to ``fit`` (12 monthly, 4 quarterly, 52 weekly, 7 daily,
        5 business-daily, 24 hourly, 1 yearly); a series without a frequency
        (a NumPy array, a ``RangeIndex``, an unknown or multiple frequency such
        as ``"2M"``) is then not seasonal (``m = 1``). ``1`` switches
        seasonality off. The value used is the fitted ``seasonal_periods_``."""


def resolve_seasonal_periods(seasonal_periods, freq):
    """The season length a forecaster uses: the parameter, else the frequency's usual one.

    One rule for every forecaster (see ``SEASONAL_PERIODS_DOC``): an explicit
    ``seasonal_periods`` wins; ``None`` means :func:`season_length_from_freq`
    of the training index's frequency, which is 1 (not seasonal) when the
    series has no frequency.

    Examples
    --------
    >>> from tsforecast.utils._frequency import resolve_seasonal_periods
    >>> resolve_seasonal_periods(None, "MS"), resolve_seasonal_periods(4, "MS"), resolve_seasonal_periods(None, None)
    (12, 4, 1)
    """
    if seasonal_periods is not None:
        return int(seasonal_periods)
    return season_length_from_freq(freq)

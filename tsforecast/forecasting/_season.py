"""The season length a forecaster uses, from its ``seasonal_periods`` and the series being fitted."""

from __future__ import annotations

from ..utils._frequency import resolve_seasonal_periods

__all__ = ["season_length"]


def season_length(est):
    """``resolve_seasonal_periods(est.seasonal_periods, freq)`` for the series ``est`` is fitting.

    ``BaseForecaster.fit`` records the series' index description (``_meta``)
    before asking for the minimum length and fitting; an estimator that was
    never fitted (a wrapper asking its template's ``_min_length``) has no
    frequency to read, so ``seasonal_periods=None`` gives 1 there.
    """
    meta = getattr(est, "_meta", None)
    return resolve_seasonal_periods(est.seasonal_periods, None if meta is None else meta.freq)

"""Networks reading input windows of several lengths, averaged: ``LSTMForecaster(window_scales=...)``.

The same averaging serves ``normalize="auto"`` on one short series (:data:`._auto.SERIES_CENTRINGS`):
``_fit_centrings`` fits the forecaster once per window centring (``estimators_``, each a complete fit,
itself with several windows) and their forecasts are averaged.

With more than one distinct window in ``windows_`` (the ``"auto"`` rule of :mod:`._auto` gives
``window_ x (1, 2/3, 4/3)`` on small data), the forecaster fits one inner ``LSTMForecaster`` per window
(``estimators_``, each with as many networks as that window appears in ``windows_``) and averages their
level forecasts and interval half widths, weighted by their numbers of networks. With one window
``estimators_`` is ``None`` and the forecaster is its own only member.
"""

from __future__ import annotations

import numpy as np

from ._damping import choose_damping
from ._global import GlobalFitMixin

__all__ = ["WindowEnsembleMixin"]


class WindowEnsembleMixin:
    """``fit``, member fitting and forecast averaging of a forecaster with several input windows.

    Mixed in before :class:`~._global.GlobalFitMixin`; the host calls ``_fit_members`` from its
    ``_fit_global`` when ``windows_`` holds several distinct windows, and forecasts through
    ``_ensemble_series``. Each member implements ``_forecast_series(positions, exogs_future, n_steps)``.
    """

    def fit(self, y, X=None):
        super().fit(y, X)
        self._share_data(self)
        return self

    def _share_data(self, host):
        """Give every inner forecaster (at any depth) the host's fitted data, so each can predict on its own."""
        for member in self.estimators_ or ():
            for attr in ("_panel", "_meta", "_y", "_names", "_metas", "_ys", "cutoff_", "n_obs_"):
                if hasattr(host, attr):
                    setattr(member, attr, getattr(host, attr))
            member._share_data(host)

    fit.__doc__ = GlobalFitMixin.fit.__doc__

    def _checked_window_scales(self):
        """``window_scales`` as a tuple of floats ("auto" unchanged), or a ValueError naming the problem."""
        if isinstance(self.window_scales, str):
            return self.window_scales
        try:
            scales = tuple(float(v) for v in np.asarray(self.window_scales, dtype=object).ravel())
        except (TypeError, ValueError):
            scales = ()
        if not scales or not all(np.isfinite(v) and v > 0 for v in scales):
            raise ValueError(
                f"window_scales must be 'auto' or a non-empty sequence of positive numbers (multiples of "
                f"window_); got {self.window_scales!r}."
            )
        return scales

    def _fit_members(self, names, values, exogs, metas):
        """Fit one inner forecaster per distinct window of ``windows_`` (``estimators_``)."""
        from sklearn.base import clone
        from sklearn.utils import check_random_state

        distinct = list(dict.fromkeys(self.windows_))
        seeds = check_random_state(self.random_state).randint(np.iinfo(np.int32).max, size=len(distinct))
        refit = ("average" if self._small_data else False) if self.refit == "auto" else self.refit
        choose = self.damping_ is None  # one series: the members' held-out errors choose it together
        members = []
        for w, seed in zip(distinct, seeds):
            member = clone(self).set_params(
                normalize=self.normalize_, window=w, patch=self.patch_, strategy=self.strategy_, units=self.units_,
                epochs=self.epochs_, n_estimators=self.windows_.count(w), window_scales=(1.0,), refit=refit,
                damping=self.damping if choose else self.damping_, random_state=int(seed),
            )
            member._n_exog = self._n_exog
            member._host_chooses_damping = choose
            member._fit_global(names, values, exogs, metas)
            member._host_chooses_damping = False
            members.append(member)
        if choose:
            self.damping_, self.damping_errors_ = choose_damping(members)
        self.estimators_ = members
        self._take_from_members(names)
        return self

    def _fit_centrings(self, names, values, exogs, metas):
        """Fit the forecaster once per centring of ``normalize_`` (``estimators_``) with the host's parameters
        and seed, each a complete fit that chooses its own windows and damping; forecasts average them."""
        from sklearn.base import clone

        members = []
        for mode in self.normalize_:
            member = clone(self).set_params(normalize=mode)
            member._n_exog = self._n_exog
            member._fit_global(names, values, exogs, metas)
            members.append(member)
        self.estimators_ = members
        self._take_from_members(names)
        self.windows_ = tuple(w for m in members for w in m.windows_)
        self.n_estimators_ = sum(m.n_estimators_ for m in members)
        self.damping_ = {mode: m.damping_ for mode, m in zip(self.normalize_, members)}
        self.damping_errors_ = {mode: m.damping_errors_ for mode, m in zip(self.normalize_, members)}
        return self

    def _take_from_members(self, names):
        """The fitted attributes a host shows from its first member, and the short series of any member."""
        members = self.estimators_
        first = members[0]
        for attr in ("difference_", "refit_", "streaming_", "seasonal_periods_", "seasonal_", "seasonal_indices_",
                     "_season", "regressor_", "history_", "n_windows_", "calibration_residuals_"):
            setattr(self, attr, getattr(first, attr))
        short = set().union(*(m.short_series_ for m in members))
        self.short_series_ = [name for name in names if name in short]

    def _ensemble_series(self, positions, exogs_future, steps, coverage=None):
        """Level forecasts ``(n_series, max(steps))`` of the fitted series ``positions`` and, with
        ``coverage``, the interval half widths ``(n_series, len(steps))``.

        With several input windows (``estimators_``) both are the means over the inner forecasters
        weighted by their number of networks.
        """
        n_steps = int(np.max(steps))
        cores = getattr(self, "estimators_", None) or [self]
        levels, half = [], []
        for core in cores:
            if core is not self and getattr(core, "estimators_", None):  # a member that is itself an ensemble
                lv, hw = core._ensemble_series(positions, exogs_future, steps, coverage)
                levels.append(lv)
                half.append(hw)
                continue
            lv, scales = core._forecast_series(positions, exogs_future, n_steps)
            levels.append(lv)
            if coverage is not None:
                half.append(core._halfwidths(positions, steps, coverage, scales))
        if len(cores) == 1:
            return levels[0], half[0] if half else None
        weights = np.array([core.n_estimators_ for core in cores], dtype=float)
        weights /= weights.sum()
        mean = sum(wt * lv for wt, lv in zip(weights, levels))
        return mean, (sum(wt * hw for wt, hw in zip(weights, half)) if coverage is not None else None)

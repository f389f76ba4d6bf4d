"""The fit of a global forecaster: one model trained on one series or on every series of a panel.

``LSTMForecaster`` and ``ESRNNForecaster`` train one network for all series; both implement
``_fit_global(names, values, exogs, metas)`` and get ``fit``, ``_fit`` and ``_fit_panel`` from
:class:`GlobalFitMixin` (mixed in before :class:`~tsforecast.forecasting.BaseForecaster`).
"""

from __future__ import annotations

__all__ = ["GlobalFitMixin"]


class GlobalFitMixin:
    """``fit`` of a global model: one series is a panel of one; ``_fit_global`` does the work."""

    def fit(self, y, X=None):
        """Fit one model (one network for all series) on one or several series.

        Parameters
        ----------
        y : Series, 1-D array, wide DataFrame, dict of Series or long table
            One series, or several (one network for all).
        X : DataFrame or 2-D array, or dict of them, optional
            Exogenous regressors aligned with ``y`` (see Notes).

        Returns
        -------
        self
        """
        return super().fit(y, X)

    def _fit(self, y, X):
        self._fit_global([None], [y], [X], [self._meta])
        self._names, self._metas = [None], [self._meta]
        return self

    def _fit_panel(self, series, X):
        names, values, exogs, metas = self._global_panel_arrays(series, X)
        self._fit_global(names, values, exogs, metas)
        self._names, self._metas = names, metas
        self._set_panel_fitted(names, values, metas)
        return self

"""Composition: forecasting on a transformed scale (log, Box-Cox...)."""

from __future__ import annotations

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import clone

from ..utils._sklearn import HasMethods
from ..utils._series import as_series, check_series
from ._base import FORECASTER_PARAMS_DOC, BaseForecaster

__all__ = ["TransformedTargetForecaster"]


class TransformedTargetForecaster(BaseForecaster):
    __doc__ = f"""Forecast a transformed series and map forecasts back.

    The forecasting twin of scikit-learn's ``TransformedTargetRegressor``:
    ``transformer`` (any scikit-learn transformer with ``inverse_transform``,
    e.g. ``PowerTransformer(method="box-cox")`` or
    ``FunctionTransformer(np.log, np.exp)``) is fitted on the series (as one
    column), ``forecaster`` is fitted on the transformed series, and its
    forecasts are inverse-transformed.

    Parameters
    ----------
    forecaster : forecaster
        Any tsforecast forecaster.
    transformer : transformer
        Fitted on ``y.reshape(-1, 1)``.
{FORECASTER_PARAMS_DOC}

    Attributes
    ----------
    forecaster_ : fitted forecaster (on the transformed scale)
    transformer_ : fitted transformer (one series)
    transformers_ : dict of fitted transformers
        With several series: one transformer per series, fitted on that
        series alone.

    Notes
    -----
    Prediction intervals are the inner forecaster's interval bounds mapped
    through ``inverse_transform``; that is exact for monotone increasing
    transforms (log, Box-Cox, Yeo-Johnson) and wrong otherwise. Point
    forecasts are the inverse-transformed inner forecasts (the median, not
    the mean, on the original scale for a log transform). With several
    series (a wide DataFrame or a dict), each series is transformed with its
    own transformer and ``forecaster`` is fitted on the panel of transformed
    series as it would be alone: one model per series, or one global network
    for ``LSTMForecaster``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.preprocessing import FunctionTransformer
    >>> from tsforecast import TransformedTargetForecaster, SeasonalNaiveForecaster
    >>> from tsforecast.datasets import load_airline
    >>> f = TransformedTargetForecaster(SeasonalNaiveForecaster(seasonal_periods=12),
    ...                                 FunctionTransformer(np.log, np.exp))
    >>> f.fit(load_airline()).predict(2).round(1).tolist()
    [417.0, 391.0]
    """

    _supports_exog = True
    _parameter_constraints = {
        "forecaster": [HasMethods(["fit", "predict"])],
        "transformer": [HasMethods(["fit", "transform", "inverse_transform"])],
        "horizon": [Integral],
        "n_jobs": [Integral, None],
    }

    def __init__(self, forecaster, transformer, horizon=1, n_jobs=None):
        self.forecaster = forecaster
        self.transformer = transformer
        self.horizon = horizon
        self.n_jobs = n_jobs

    def _min_length(self):
        inner = getattr(self.forecaster, "_min_length", None)
        return inner() if inner is not None else 1

    def _transformed(self, transformer, values, name):
        yt = np.asarray(transformer.transform(values[:, None]), dtype=float).ravel()
        if not np.isfinite(yt).all():
            raise ValueError(
                f"{type(self.transformer).__name__} produced non-finite values on {name} "
                "(e.g. log of a non-positive value); choose a transform valid for this series."
            )
        return yt

    def _fit(self, y, X):
        self.transformer_ = clone(self.transformer).fit(y[:, None])
        yt = self._transformed(self.transformer_, y, "y")
        self._fit_inner(as_series(yt, self._meta), X)  # with the index: the inner forecaster sees the frequency
        return self

    def _fit_inner(self, yt, X):
        self.forecaster_ = clone(self.forecaster)
        if X is None:
            self.forecaster_.fit(yt)
        else:
            self.forecaster_.fit(yt, X=X)

    def _fit_panel(self, series, X):
        # one transformer per series (each on its own scale); the inner forecaster fits the panel of
        # transformed series as it would alone: one model per series, or one global network (LSTM)
        self.transformers_, transformed, values, metas = {}, {}, [], []
        for k, s in series.items():
            v, meta = check_series(s, name=f"series {k!r}", strip_leading_nan=True)
            tr = clone(self.transformer).fit(v[:, None])
            transformed[k] = as_series(self._transformed(tr, v, f"series {k!r}"), meta)
            self.transformers_[k] = tr
            values.append(v)
            metas.append(meta)
        self._fit_inner(transformed, X)
        self._n_exog = getattr(self.forecaster_, "_n_exog", 0)
        self._set_panel_fitted(list(series), values, metas)  # cutoff_, n_obs_ and the training values
        return self

    def _inverse(self, values, transformer=None):
        transformer = self.transformer_ if transformer is None else transformer
        return np.asarray(transformer.inverse_transform(np.asarray(values, float)[:, None]), float).ravel()

    def _predict(self, steps, X):
        kw = {} if X is None else {"X": X}
        return self._inverse(self.forecaster_.predict(steps, **kw))

    def _predict_interval(self, steps, coverage, X):
        kw = {} if X is None else {"X": X}
        iv = self.forecaster_.predict_interval(steps, coverage=coverage, **kw)
        return self._inverse(iv["lower"].to_numpy()), self._inverse(iv["upper"].to_numpy())

    # ------------------------------------------------------------- panels
    def _inverse_table(self, table):
        """The inner forecaster's wide table mapped back, each column with its series' transformer."""
        out = table.astype(float).copy()
        for col in out.columns:
            name = col[0] if isinstance(out.columns, pd.MultiIndex) else col  # (series, lower/upper)
            values = out[col].to_numpy(float, copy=True)
            known = np.isfinite(values)  # rows of dates that this series does not forecast stay NaN
            values[known] = self._inverse(values[known], self.transformers_[name])
            out[col] = values
        return out

    def _predict_panel(self, steps, X):
        kw = {} if X is None else {"X": X}
        return self._inverse_table(self.forecaster_.predict(steps, **kw))

    def _predict_interval_panel(self, steps, coverage, X):
        kw = {} if X is None else {"X": X}
        return self._inverse_table(self.forecaster_.predict_interval(steps, coverage=coverage, **kw))

    def _score_panel(self, series, X):
        truths, transformed = [], {}
        for k, s in series.items():
            values, meta = check_series(s, name="y_true")
            truths.append(values)
            transformed[k] = as_series(self._transformed(self.transformers_[k], values, f"y_true of series {k!r}"),
                                       meta)
        _, preds, _ = self.forecaster_._score_panel(transformed, X)
        preds = [self._inverse(p, self.transformers_[k]) for k, p in zip(series, preds)]
        return truths, preds, [self._ys[k] for k in series]

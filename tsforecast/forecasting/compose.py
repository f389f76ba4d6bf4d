"""Composition: forecasting on a transformed scale (log, Box-Cox...)."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import clone

from ..utils._sklearn import HasMethods
from ..utils._series import as_series
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
    transformer_ : fitted transformer

    Notes
    -----
    Prediction intervals are the inner forecaster's interval bounds mapped
    through ``inverse_transform``; that is exact for monotone increasing
    transforms (log, Box-Cox, Yeo-Johnson) and wrong otherwise. Point
    forecasts are the inverse-transformed inner forecasts (the median, not
    the mean, on the original scale for a log transform).

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

    def _fit(self, y, X):
        self.transformer_ = clone(self.transformer).fit(y[:, None])
        yt = np.asarray(self.transformer_.transform(y[:, None]), dtype=float).ravel()
        if not np.isfinite(yt).all():
            raise ValueError(
                f"{type(self.transformer).__name__} produced non-finite values on y "
                "(e.g. log of a non-positive value); choose a transform valid for this series."
            )
        self.forecaster_ = clone(self.forecaster)
        yt = as_series(yt, self._meta)  # with the index: the inner forecaster sees the frequency
        if X is None:
            self.forecaster_.fit(yt)
        else:
            self.forecaster_.fit(yt, X=X)
        return self

    def _inverse(self, values):
        return np.asarray(self.transformer_.inverse_transform(np.asarray(values, float)[:, None]), float).ravel()

    def _predict(self, steps, X):
        kw = {} if X is None else {"X": X}
        return self._inverse(self.forecaster_.predict(steps, **kw))

    def _predict_interval(self, steps, coverage, X):
        kw = {} if X is None else {"X": X}
        iv = self.forecaster_.predict_interval(steps, coverage=coverage, **kw)
        return self._inverse(iv["lower"].to_numpy()), self._inverse(iv["upper"].to_numpy())

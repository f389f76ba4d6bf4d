"""The forecaster contract shared by every tsforecast forecaster.

Public methods (``fit``, ``predict``, ``predict_interval``, ``score``) do the
checks and the pandas bookkeeping; a concrete forecaster only implements the
private numeric core on one clean 1-D float array:

* ``_fit(y, X)`` where ``y`` is an ``ndarray`` (n,) and ``X`` an ``ndarray``
  (n, k) or ``None``;
* ``_predict(steps, X)`` returning an ``ndarray`` of forecasts for the 1-based
  ``steps`` (sorted, unique); ``X`` holds future exogenous rows for steps
  ``1..max(steps)``;
* optionally ``_predict_interval(steps, coverage, X)`` returning
  ``(lower, upper)``;
* ``_min_length()`` giving the minimum number of observations needed.

Several series (a wide DataFrame, a dict of Series or a long table) are
fitted as one clone per series ("local" models), in parallel with ``n_jobs``
where the estimator has that parameter. Global models (one model for all
series, e.g. ``LSTMForecaster``) override the panel hooks ``_fit_panel``,
``_predict_panel``, ``_predict_interval_panel`` and ``_score_panel``, which the
public methods call after their checks.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, clone
from sklearn.utils.validation import check_is_fitted

from ..utils._sklearn import Interval
from ..utils._series import (
    check_series,
    combine_panel,
    combine_panel_intervals,
    exog_array,
    future_index,
    is_panel,
    panel_exog,
    slice_exog,
    steps_from_index,
    strip_leading_nan,
    to_panel,
)

__all__ = ["BaseForecaster", "check_fh"]

#: numpydoc entries of the ``horizon`` and ``n_jobs`` parameters of the
#: forecasters (their docstrings are f-strings that include it)
FORECASTER_PARAMS_DOC = """\
    horizon : int, default=1
        Steps forecast by ``predict()`` when no ``fh`` is given.
    n_jobs : int, default=None
        Parallel jobs when fitting several series."""

#: ``_parameter_constraints`` of ``horizon`` and ``n_jobs``, to merge into a
#: forecaster's own: ``{"window": [...], **FORECASTER_PARAMS_CONSTRAINTS}``
FORECASTER_PARAMS_CONSTRAINTS = {
    "horizon": [Interval(numbers.Integral, 1, None, closed="left")],
    "n_jobs": [numbers.Integral, None],
}


def check_fh(fh, default=None):
    """Normalise a forecasting horizon to a 1-D int array of 1-based steps.

    ``fh`` may be an int ``n`` (steps ``1..n``), a list/array of positive
    ints (those steps, in the given order) or ``None`` (``default``).

    Examples
    --------
    >>> from tsforecast.forecasting import check_fh
    >>> check_fh(3).tolist(), check_fh([12, 1]).tolist(), check_fh(None, default=2).tolist()
    ([1, 2, 3], [12, 1], [1, 2])
    """
    if fh is None:
        fh = default
    if fh is None:
        raise ValueError("no forecasting horizon: pass fh to predict or set the estimator's horizon.")
    if isinstance(fh, (bool, np.bool_)):
        raise TypeError(f"horizon must be a positive int or a list of positive ints; got {fh!r}.")
    if isinstance(fh, numbers.Integral):
        if fh <= 0:
            raise ValueError(f"horizon must be a positive number of steps; got {fh}.")
        return np.arange(1, int(fh) + 1)
    if isinstance(fh, numbers.Real):
        raise TypeError(f"horizon must be an integer number of steps; got {fh!r}.")
    steps = np.asarray(fh)
    if steps.ndim != 1 or steps.size == 0:
        raise ValueError(f"horizon must be a non-empty 1-D list of steps ahead; got {fh!r}.")
    if steps.dtype.kind == "f" and np.all(np.mod(steps, 1) == 0):
        steps = steps.astype(int)
    if steps.dtype.kind not in "iu":
        raise TypeError(f"horizon steps must be integers (1 = the next step); got {fh!r}.")
    if (steps <= 0).any():
        raise ValueError(
            f"horizon steps are 1-based and must be >= 1; got {steps[steps <= 0][0]} in {list(steps)}."
        )
    return steps.astype(int)



def _check_finite_output(est, values, steps, what):
    """Never hand out an inf/NaN forecast: name the estimator and the first bad step instead."""
    bad = ~np.isfinite(values)
    if bad.any():
        raise ValueError(
            f"{type(est).__name__} produced a non-finite {what} ({values[bad][0]}) at step {int(steps[bad][0])}: "
            "the fitted model diverges or its values exceed the float64 range (about 1.8e308); "
            "check the series' scale, or use a shorter horizon or a damped/non-explosive model."
        )


class BaseForecaster(BaseEstimator):
    """Base class of all forecasters: subclass it to write your own.

    The public methods (``fit``, ``predict``, ``predict_interval``, ``score``)
    validate the input, keep the pandas index and handle several series; a
    subclass implements only the numeric core on a clean 1-D float array:
    ``_fit(y, X)``, ``_predict(steps, X)`` (1-based, sorted, unique steps),
    optionally ``_predict_interval(steps, coverage, X)`` and ``_min_length()``.
    Like any scikit-learn estimator, ``__init__`` only stores its arguments.

    Examples
    --------
    >>> import numpy as np
    >>> from tsforecast import BaseForecaster
    >>> from tsforecast.datasets import load_airline
    >>> class MeanForecaster(BaseForecaster):
    ...     def __init__(self, horizon=1):
    ...         self.horizon = horizon
    ...     def _fit(self, y, X):
    ...         self.mean_ = y.mean()
    ...         return self
    ...     def _predict(self, steps, X):
    ...         return np.full(len(steps), self.mean_)
    >>> pred = MeanForecaster().fit(load_airline()).predict(2)
    >>> [str(p) for p in pred.index], pred.round(1).tolist()
    (['1961-01', '1961-02'], [280.3, 280.3])
    """

    #: whether ``fit``/``predict`` accept exogenous regressors ``X``
    _supports_exog = False

    # ---------------------------------------------------------------- tags
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        tags.target_tags.one_d_labels = True
        tags.input_tags.one_d_array = True
        tags.input_tags.two_d_array = False
        return tags

    # ------------------------------------------------------------- helpers
    def _min_length(self) -> int:
        return 1

    def _check_X_fit(self, X, n, index):
        if X is None:
            return None
        if not self._supports_exog:
            raise ValueError(
                f"{type(self).__name__} does not use exogenous regressors X; "
                "use ARIMAForecaster, ReductionForecaster or LSTMForecaster for that."
            )
        Xa = exog_array(X, "X")
        if Xa.shape[0] != n:
            raise ValueError(f"X has {Xa.shape[0]} rows but y has {n} observations; they must be aligned.")
        return Xa

    def _check_X_predict(self, X, steps, fut_index):
        """Future exogenous rows for ``steps`` of the fitted series (``fut_index``: their labels or None)."""
        return self._check_future_exog(X, int(np.max(steps)), self._meta if fut_index is not None else None)

    def _check_future_exog(self, X, n_needed, meta, name="X"):
        """Check the future exogenous values ``X`` and return their rows for steps ``1..n_needed``.

        With a pandas ``X`` holding the future time labels of the series described by ``meta``
        (``None``: no time index), those rows are taken; otherwise the first ``n_needed`` rows.
        ``name`` names ``X`` in the messages (e.g. ``"X of series 'a'"`` in a panel).
        """
        n_exog = getattr(self, "_n_exog", 0)
        if n_exog == 0:
            if X is not None and self._supports_exog:
                raise ValueError("X was given to predict but the model was fitted without exogenous regressors.")
            return None
        if X is None:
            raise ValueError(
                f"the model was fitted with {n_exog} exogenous regressor(s): pass X with the future "
                f"values for steps 1..{n_needed} to predict."
            )
        if isinstance(X, (pd.DataFrame, pd.Series)) and meta is not None and meta.index is not None:
            full = future_index(meta, np.arange(1, n_needed + 1))
            if full is not None and full.isin(X.index).all() and not isinstance(X.index, pd.RangeIndex):
                X = X.loc[full]
        Xa = exog_array(X, name)
        if Xa.shape[1] != n_exog:
            raise ValueError(f"{name} has {Xa.shape[1]} column(s) but the model was fitted with {n_exog}.")
        if Xa.shape[0] < n_needed:
            raise ValueError(
                f"{name} has {Xa.shape[0]} rows; predicting up to step {n_needed} needs {n_needed} rows "
                "of future exogenous values (one per step, starting at step 1)."
            )
        return Xa[:n_needed]

    # ------------------------------------------------------------------ fit
    def fit(self, y, X=None):
        """Fit the forecaster to a series (or several).

        Parameters
        ----------
        y : pandas Series, 1-D array, wide DataFrame or dict of Series
            The training series. A DataFrame (one column per series) or a
            dict fits one model per series.
        X : DataFrame or 2-D array, optional
            Exogenous regressors aligned with ``y`` (models that support them).

        Returns
        -------
        self
        """
        if hasattr(self, "_validate_params") and getattr(self, "_parameter_constraints", None):
            self._validate_params()
        if is_panel(y):
            self._panel = True
            return self._fit_panel(to_panel(y), X)
        self._panel = False
        values, meta = check_series(y, min_length=1)
        self._meta = meta  # before _min_length: a season read from the index frequency may set it
        min_len = self._min_length()
        if values.size < min_len:
            raise ValueError(
                f"y has {values.size} observations; {type(self).__name__} with these settings "
                f"needs at least {min_len}."
            )
        Xa = self._check_X_fit(X, values.size, meta.index)
        self._n_exog = 0 if Xa is None else Xa.shape[1]
        self._y = values
        self._fit(values, Xa)
        self.cutoff_ = meta.cutoff if meta.index is not None else values.size - 1
        self.n_obs_ = values.size
        return self

    def _fit_panel(self, series: dict, X):
        def fit_one(name, s):
            x = None
            if X is not None:
                x = panel_exog(X, name) if isinstance(X, dict) else slice_exog(X, s)
            est = clone(self)
            try:
                return est.fit(s, X=x)
            except (ValueError, TypeError) as exc:
                raise type(exc)(f"series {name!r}: {exc}") from exc

        trimmed = {k: strip_leading_nan(s) for k, s in series.items()}
        n_jobs = getattr(self, "n_jobs", None)
        fitted = Parallel(n_jobs=n_jobs)(delayed(fit_one)(k, s) for k, s in trimmed.items())
        self.forecasters_ = dict(zip(trimmed.keys(), fitted))
        self._n_exog = 0 if X is None else fitted[0]._n_exog
        first = fitted[0]
        self.cutoff_ = first.cutoff_
        self.n_obs_ = {k: f.n_obs_ for k, f in self.forecasters_.items()}
        return self

    def _global_panel_arrays(self, series: dict, X):
        """The checked arrays of a panel, for global models' ``_fit_panel``: ``(names, values, exogs, metas)``.

        Each series loses its leading NaN and is checked; its ``X`` rows (``None`` without ``X``)
        are sliced to it. Sets ``_n_exog``; the series must share one number of exogenous columns.
        """
        names, values, exogs, metas = [], [], [], []
        for name, s in series.items():
            s = strip_leading_nan(s)
            v, meta = check_series(s, name=f"series {name!r}")
            x = None
            if X is not None:
                x = exog_array(slice_exog(panel_exog(X, name), s), f"X of series {name!r}")
                if x.shape[0] != v.size:
                    raise ValueError(f"X of series {name!r} has {x.shape[0]} rows but the series has {v.size}.")
            names.append(name)
            values.append(v)
            exogs.append(x)
            metas.append(meta)
        n_exog = {0 if x is None else x.shape[1] for x in exogs}
        if len(n_exog) > 1:
            raise ValueError(f"the series have different numbers of exogenous columns: {sorted(n_exog)}.")
        self._n_exog = n_exog.pop()
        return names, values, exogs, metas

    def _set_panel_fitted(self, names, values, metas):
        """``cutoff_`` (of the first series), ``n_obs_`` and the training values of a global model's panel."""
        self.cutoff_ = metas[0].cutoff if metas[0].index is not None else values[0].size - 1
        self.n_obs_ = {k: v.size for k, v in zip(names, values)}
        self._ys = dict(zip(names, values))

    # -------------------------------------------------------------- predict
    def predict(self, fh=None, X=None):
        """Forecast future values.

        Parameters
        ----------
        fh : int, list of int or None
            ``n`` for the next ``n`` steps, a list of 1-based steps ahead, or
            ``None`` for the estimator's ``horizon``.
        X : DataFrame or 2-D array, optional
            Future exogenous values for steps ``1..max(fh)``.

        Returns
        -------
        Series, ndarray or DataFrame
            A Series indexed by the future time points (pandas input), an
            array (array input) or a DataFrame (several series).
        """
        check_is_fitted(self, "cutoff_")
        steps = check_fh(fh, getattr(self, "horizon", None))
        if self._panel:
            return self._predict_panel(steps, X)
        order = np.unique(steps)
        fut = future_index(self._meta, steps)
        Xa = self._check_X_predict(X, steps, fut)
        with np.errstate(over="ignore"):  # a forecast beyond float64 is reported below, not warned about
            pred = np.asarray(self._predict(order, Xa), dtype=float)
        _check_finite_output(self, pred, order, "forecast")
        pred = pred[np.searchsorted(order, steps)]
        return self._wrap(pred, fut)

    def _predict_panel(self, steps, X):
        """Panel hook of :meth:`predict`: a wide table of forecasts, one column per series.

        ``steps`` are checked; the default asks each series' fitted clone.
        """
        cols = {k: f.predict(steps, X=panel_exog(X, k)) for k, f in self.forecasters_.items()}
        return combine_panel(cols)

    def predict_interval(self, fh=None, X=None, coverage=0.9):
        """Prediction interval of the forecasts.

        Parameters
        ----------
        fh : int, list of int or None
            As in :meth:`predict`.
        X : DataFrame or 2-D array, optional
            Future exogenous values.
        coverage : float in (0, 1)
            Nominal probability that the interval holds the future value.

        Returns
        -------
        DataFrame
            Columns ``lower`` and ``upper`` indexed by the future time points
            (by step number for array input); with several series the
            columns are a MultiIndex ``(series, lower/upper)``.
        """
        check_is_fitted(self, "cutoff_")
        if isinstance(coverage, (bool, np.bool_)) or not isinstance(coverage, numbers.Real) or not 0 < coverage < 1:
            raise ValueError(f"coverage must be a probability strictly between 0 and 1; got {coverage!r}.")
        steps = check_fh(fh, getattr(self, "horizon", None))
        if self._panel:
            return self._predict_interval_panel(steps, coverage, X)
        order = np.unique(steps)
        fut = future_index(self._meta, steps)
        Xa = self._check_X_predict(X, steps, fut)
        with np.errstate(over="ignore"):
            lower, upper = self._predict_interval(order, coverage, Xa)
        _check_finite_output(self, np.r_[np.asarray(lower, float), np.asarray(upper, float)],
                             np.r_[order, order], "prediction interval")
        pos = np.searchsorted(order, steps)
        lower, upper = np.asarray(lower, float)[pos], np.asarray(upper, float)[pos]
        index = fut if fut is not None else pd.Index(steps, name="step")
        return pd.DataFrame({"lower": lower, "upper": upper}, index=index)

    def _predict_interval_panel(self, steps, coverage, X):
        """Panel hook of :meth:`predict_interval`: columns ``(series, lower/upper)``.

        ``steps`` and ``coverage`` are checked; the default asks each series' fitted clone.
        """
        frames = {k: f.predict_interval(steps, X=panel_exog(X, k), coverage=coverage)
                  for k, f in self.forecasters_.items()}
        return combine_panel_intervals(frames)

    def _predict_interval(self, steps, coverage, X):
        raise NotImplementedError(f"{type(self).__name__} does not provide prediction intervals.")

    def _wrap(self, pred, fut):
        if self._meta.kind == "array":
            return pred
        return pd.Series(pred, index=fut, name=self._meta.name)

    # ---------------------------------------------------------------- score
    def score(self, y, X=None):
        """Negative MASE (m=1) of forecasting the time points of ``y``.

        The steps ahead come from ``y``'s index when it is a pandas object
        with time labels (so a ``TimeSeriesSplit(gap=g)`` fold is scored at
        the right steps); a plain array is taken to start right after the
        end of training. Higher is better, as scikit-learn expects, so
        ``GridSearchCV(forecaster, grid, cv=TimeSeriesSplit(...)).fit(y)``
        works on a series directly.

        Parameters
        ----------
        y : Series, 1-D array or DataFrame
            The actual future values.
        X : DataFrame or 2-D array, optional
            Future exogenous values.

        Returns
        -------
        float
        """
        from ..metrics import mase

        y_true, y_pred, y_train = self._score_pairs(y, X)
        return -float(np.mean([mase(t, p, y_train=tr) for t, p, tr in zip(y_true, y_pred, y_train)]))

    def _score_pairs(self, y, X=None):
        """Aligned (actual, forecast, training data) triples, one per series."""
        check_is_fitted(self, "cutoff_")
        if self._panel:
            series = to_panel(y)
            unknown = [k for k in series if k not in self.n_obs_]  # n_obs_: {series: n} for a panel
            if unknown:
                raise ValueError(f"y has series {unknown} that the model was not fitted on.")
            return self._score_panel(series, X)
        values, meta = check_series(y, name="y_true")
        steps = None
        if meta.index is not None:
            steps = steps_from_index(self._meta, meta.index, name="y_true")
        if steps is None:
            steps = np.arange(1, values.size + 1)
        pred = np.asarray(self.predict(steps, X=X), dtype=float)
        return [values], [pred], [self._y]

    def _score_panel(self, series, X):
        """Panel hook of :meth:`score`: (actual, forecast, training data) lists, one item per series.

        ``series`` (a dict of the actual future values) names only fitted series; the default
        asks each series' fitted clone.
        """
        out = ([], [], [])
        for k, s in series.items():
            t, p, tr = self.forecasters_[k]._score_pairs(s, panel_exog(X, k))
            for lst, v in zip(out, (t, p, tr)):
                lst.extend(v)
        return out

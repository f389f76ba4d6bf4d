"""The model registry of the benchmark runner and how model specs are resolved.

A model in a benchmark is given as one of:

* a registry name (``"naive2"``, ``"arima"``...; see :func:`list_models`),
  configured per dataset from its season length ``m`` and the horizon ``h``;
* an import path ``"package.module:Name"`` naming a forecaster class
  (instantiated with its defaults), a forecaster instance, or a factory;
* a forecaster instance: any object with ``fit(y)`` and ``predict(fh)``,
  e.g. a :class:`~sklearn.model_selection.GridSearchCV` over a forecaster;
* a factory: a callable ``f(season_length=m, horizon=h)`` returning one.

The forecaster classes are imported inside the factories, so importing the
benchmark package never imports statsmodels or TensorFlow.
"""

from __future__ import annotations

import copy
from importlib import import_module
from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.utils._param_validation import HasMethods, Interval

from ..forecasting._base import BaseForecaster

__all__ = ["list_models", "make_model", "model_factory", "copy_model"]


def _naive(m, h):
    from ..forecasting.naive import NaiveForecaster

    return NaiveForecaster(horizon=h)


def _snaive(m, h):
    from ..forecasting.naive import SeasonalNaiveForecaster

    return SeasonalNaiveForecaster(seasonal_periods=m, horizon=h)


def _naive2(m, h):
    from ..forecasting.naive import Naive2Forecaster

    return Naive2Forecaster(seasonal_periods=m, horizon=h)


def _drift(m, h):
    from ..forecasting.naive import DriftForecaster

    return DriftForecaster(horizon=h)


def _theta(m, h):
    from ..forecasting.theta import ThetaForecaster

    return ThetaForecaster(seasonal_periods=m, horizon=h)


def _arima(m, h):
    from ..forecasting.arima import ARIMAForecaster

    return ARIMAForecaster(order="auto", seasonal_periods=m, horizon=h)


def _holtwinters(m, h):
    from ..forecasting.holtwinters import HoltWintersForecaster

    return HoltWintersForecaster(seasonal_periods=m, horizon=h)


class _SeedEnsemble(BaseForecaster):
    """Mean forecast of copies of a forecaster trained with different seeds.

    Member ``i`` is ``estimator`` with ``random_state = random_state + i``
    (``0 + i`` when the estimator's ``random_state`` is ``None``) and this
    ensemble's ``horizon``. ``predict_interval`` averages the members'
    lower and upper bounds (an approximation: the average of calibrated
    intervals is not itself calibrated).

    Parameters
    ----------
    estimator : forecaster with a ``random_state`` parameter
    n_members : int, default=3
    horizon : int, default=1
    n_jobs : int, default=None
        Parallel jobs when fitting several series (one ensemble per series).

    Examples
    --------
    >>> from tsforecast.benchmark._models import _SeedEnsemble
    >>> from tsforecast.forecasting.naive import DriftForecaster
    >>> class Noisy(DriftForecaster):  # a forecaster with a seed, for the example
    ...     def __init__(self, horizon=1, random_state=None, n_jobs=None):
    ...         super().__init__(horizon=horizon, n_jobs=n_jobs)
    ...         self.random_state = random_state
    ...     def _predict(self, steps, X):
    ...         return super()._predict(steps, X) + self.random_state
    >>> _SeedEnsemble(Noisy(random_state=0), n_members=3).fit([1.0, 2.0, 3.0]).predict(2)
    array([5., 6.])
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict", "get_params"])],
        "n_members": [Interval(Integral, 1, None, closed="left")],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "n_jobs": [Integral, None],
    }

    def __init__(self, estimator, n_members=3, horizon=1, n_jobs=None):
        self.estimator = estimator
        self.n_members = n_members
        self.horizon = horizon
        self.n_jobs = n_jobs

    def _fit(self, y, X):
        seed = self.estimator.get_params().get("random_state")
        seed = 0 if seed is None else int(seed)
        self.estimators_ = [
            clone(self.estimator).set_params(random_state=seed + i, horizon=self.horizon).fit(y)
            for i in range(self.n_members)
        ]
        return self

    def _predict(self, steps, X):
        return np.mean([np.asarray(e.predict(steps), float) for e in self.estimators_], axis=0)

    def _predict_interval(self, steps, coverage, X):
        ivs = [e.predict_interval(steps, coverage=coverage) for e in self.estimators_]
        return (np.mean([iv["lower"].to_numpy(float) for iv in ivs], axis=0),
                np.mean([iv["upper"].to_numpy(float) for iv in ivs], axis=0))


def _lstm(m, h):
    from ..neural import LSTMForecaster

    # Small and fast on purpose: a benchmark runs one fit per fold. The input
    # window covers two seasons or two horizons (at least 8 steps), fed one
    # season per LSTM step (patch=m); small batches because the series are
    # short. Seasonal series are adjusted first (M4's rule: multiplicative
    # classical decomposition when the 90% autocorrelation test finds
    # seasonality), the network forecasts one step and is applied
    # recursively (the one-step network has more training windows on short
    # series than a network with h outputs), and three seeds are averaged.
    # Chosen on a validation set disjoint from the default benchmark's
    # test windows; see benchmarks/RESULTS.md, "Default benchmark: LSTM with
    # seasonal adjustment".
    patch = m if m > 1 else 1
    window = -(-max(2 * m, 2 * h, 8) // patch) * patch
    net = LSTMForecaster(window=window, horizon=h, patch=patch, strategy="recursive", deseasonalize="auto",
                         seasonal_periods=m, units=32, epochs=50, batch_size=16, random_state=0)
    return _SeedEnsemble(net, n_members=3, horizon=h)


_REGISTRY = {
    "naive": (_naive, "NaiveForecaster: the last value"),
    "snaive": (_snaive, "SeasonalNaiveForecaster(seasonal_periods=m): the value one season earlier"),
    "naive2": (_naive2, "Naive2Forecaster(seasonal_periods=m): M4's seasonally adjusted naive"),
    "drift": (_drift, "DriftForecaster: random walk with drift"),
    "theta": (_theta, "ThetaForecaster(seasonal_periods=m)"),
    "arima": (_arima, "ARIMAForecaster(order='auto', seasonal_periods=m)"),
    "holtwinters": (_holtwinters, "HoltWintersForecaster(seasonal_periods=m), automatic components"),
    "lstm": (_lstm, "mean of 3 LSTMForecaster(window=max(2m, 2h, 8), patch=m, strategy='recursive', "
                    "deseasonalize='auto', units=32, epochs=50, batch_size=16) with random_state 0, 1, 2"),
}


def list_models():
    """Names and descriptions of the models known to the benchmark registry.

    Returns
    -------
    dict of str to str

    Examples
    --------
    >>> from tsforecast.benchmark import list_models
    >>> sorted(list_models())[:3]
    ['arima', 'drift', 'holtwinters']
    """
    return {name: desc for name, (_, desc) in _REGISTRY.items()}


def make_model(name, *, season_length=1, horizon=1):
    """Build a registry model configured for a season length and horizon.

    Parameters
    ----------
    name : str
        A name from :func:`list_models`.
    season_length : int, default=1
        Season length ``m`` of the data.
    horizon : int, default=1
        Forecast horizon ``h``.

    Returns
    -------
    forecaster

    Examples
    --------
    >>> from tsforecast.benchmark import make_model
    >>> make_model("snaive", season_length=12, horizon=6)
    SeasonalNaiveForecaster(horizon=6, seasonal_periods=12)
    """
    if name not in _REGISTRY:
        raise ValueError(
            f"unknown model {name!r}; registry models are {sorted(_REGISTRY)} "
            "(or pass 'package.module:ClassName', or a forecaster object)."
        )
    factory = _REGISTRY[name][0]
    try:
        return factory(int(season_length), int(horizon))
    except ImportError as exc:
        raise ImportError(f"model {name!r} is not available: {exc}") from exc


def _is_forecaster(obj):
    return not isinstance(obj, type) and callable(getattr(obj, "fit", None)) and callable(getattr(obj, "predict", None))


def _import_path(spec):
    module, _, attr = spec.partition(":")
    if not module or not attr:
        raise ValueError(f"model import path must look like 'package.module:Name'; got {spec!r}.")
    try:
        obj = import_module(module)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"cannot import model {spec!r}: {exc}") from exc
    return obj


def model_factory(spec, name="model"):
    """Turn a model spec into a factory ``f(season_length, horizon) -> forecaster``.

    See the module docstring for the accepted specs. A forecaster object is
    returned as is by the factory (the runner copies it for every cell).
    """
    if isinstance(spec, str):
        if ":" not in spec:
            if spec not in _REGISTRY:
                make_model(spec)  # raises the "unknown model" error
            return lambda m, h: make_model(spec, season_length=m, horizon=h)
        spec = _import_path(spec)
        if isinstance(spec, type):
            cls = spec
            return lambda m, h: cls()
    if _is_forecaster(spec):
        return lambda m, h: spec
    if isinstance(spec, type):
        raise TypeError(f"model {name!r} is the class {spec.__name__}; pass an instance, e.g. {spec.__name__}().")
    if callable(spec):
        def build(m, h):
            est = spec(season_length=m, horizon=h)
            if not _is_forecaster(est):
                raise TypeError(f"the factory of model {name!r} returned {est!r}, which has no fit/predict methods.")
            return est

        return build
    raise TypeError(
        f"model {name!r} must be a registry name, an import path, a forecaster with fit/predict "
        f"or a factory f(season_length, horizon); got {type(spec).__name__} {spec!r}."
    )


def copy_model(estimator, horizon=None):
    """An unfitted copy of ``estimator`` with every ``horizon`` parameter set to ``horizon``.

    scikit-learn estimators are cloned; nested parameters named
    ``horizon`` (``estimator__horizon`` in a ``GridSearchCV``) are set too,
    so multi-output models are trained for the benchmark's horizon. Other
    objects are deep-copied.
    """
    if not hasattr(estimator, "get_params"):
        return copy.deepcopy(estimator)
    est = clone(estimator)
    if horizon is not None:
        keys = [k for k in est.get_params(deep=True) if k == "horizon" or k.endswith("__horizon")]
        if keys:
            est.set_params(**{k: int(horizon) for k in keys})
    return est

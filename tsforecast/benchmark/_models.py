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
from sklearn.base import clone

__all__ = ["list_models", "make_model", "import_model", "model_factory", "copy_model"]


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


def _lstm(m, h):
    from ..neural import LSTMForecaster

    # the forecaster's own defaults: window, patching, strategy, network size, epochs and the number
    # of networks averaged are chosen from the data (see LSTMForecaster, "Automatic settings")
    return LSTMForecaster(horizon=h, seasonal_periods=m, random_state=0)


def _lstm_theta(m, h):
    from ..forecasting.ensemble import EnsembleForecaster

    # one estimator: on a panel the LSTM member is one global network, Theta one model per series
    return EnsembleForecaster([("lstm", _lstm(m, h)), ("theta", _theta(m, h))], horizon=h)


def _esrnn(m, h):
    from ..neural import ESRNNForecaster

    return ESRNNForecaster(horizon=h, seasonal_periods=m, random_state=0)


_REGISTRY = {
    "naive": (_naive, "NaiveForecaster: the last value"),
    "snaive": (_snaive, "SeasonalNaiveForecaster(seasonal_periods=m): the value one season earlier"),
    "naive2": (_naive2, "Naive2Forecaster(seasonal_periods=m): M4's seasonally adjusted naive"),
    "drift": (_drift, "DriftForecaster: random walk with drift"),
    "theta": (_theta, "ThetaForecaster(seasonal_periods=m)"),
    "arima": (_arima, "ARIMAForecaster(order='auto', seasonal_periods=m)"),
    "holtwinters": (_holtwinters, "HoltWintersForecaster(seasonal_periods=m), automatic components"),
    "lstm": (_lstm, "LSTMForecaster(horizon=h, seasonal_periods=m): its data-driven defaults"),
    "lstm_theta": (_lstm_theta, "EnsembleForecaster of lstm and theta: the mean of their forecasts"),
    "esrnn": (_esrnn, "ESRNNForecaster(horizon=h, seasonal_periods=m): ES-RNN-style hybrid, for panels"),
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
    ['arima', 'drift', 'esrnn']
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


def import_model(path):
    """The object (a forecaster class, instance or factory) an import path names.

    Parameters
    ----------
    path : str
        ``"package.module:Name"`` (``Name`` may be dotted, ``"mod:Outer.Inner"``);
        ``"package.module.Name"`` is read as ``"package.module:Name"``.

    Returns
    -------
    object

    Raises
    ------
    ValueError
        When the path is malformed or cannot be imported.

    Examples
    --------
    >>> from tsforecast.benchmark import import_model
    >>> import_model("tsforecast:NaiveForecaster").__name__
    'NaiveForecaster'
    >>> import_model("tsforecast.ThetaForecaster").__name__
    'ThetaForecaster'
    """
    spec = str(path)
    if ":" not in spec and "." in spec:
        spec = ":".join(spec.rsplit(".", 1))
    module, _, attr = spec.partition(":")
    if not module or not attr:
        raise ValueError(f"model import path must look like 'package.module:Name'; got {path!r}.")
    try:
        obj = import_module(module)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"cannot import model {path!r}: {exc}") from exc
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
        spec = import_model(spec)
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

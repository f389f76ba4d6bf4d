"""tsforecast: time-series forecasting and sequence classification as scikit-learn estimators.

Public names are loaded lazily, so ``import tsforecast`` is fast and never
imports TensorFlow/Keras (they load when a neural estimator is fitted or
loaded) nor statsmodels (loaded when a statistical model is fitted).
"""

from importlib import import_module

__version__ = "0.1.0"

_LAZY = {
    # forecasting
    "BaseForecaster": "tsforecast.forecasting._base",
    "NaiveForecaster": "tsforecast.forecasting.naive",
    "SeasonalNaiveForecaster": "tsforecast.forecasting.naive",
    "DriftForecaster": "tsforecast.forecasting.naive",
    "Naive2Forecaster": "tsforecast.forecasting.naive",
    "ARIMAForecaster": "tsforecast.forecasting.arima",
    "HoltWintersForecaster": "tsforecast.forecasting.holtwinters",
    "ThetaForecaster": "tsforecast.forecasting.theta",
    "TransformedTargetForecaster": "tsforecast.forecasting.compose",
    "EnsembleForecaster": "tsforecast.forecasting.ensemble",
    "MSTLForecaster": "tsforecast.forecasting.mstl",
    "ReductionForecaster": "tsforecast.forecasting.reduction",
    # windowing
    "make_windows": "tsforecast.windowing",
    "SlidingWindowTransformer": "tsforecast.windowing",
    # neural
    "LSTMRegressor": "tsforecast.neural",
    "LSTMClassifier": "tsforecast.neural",
    "LSTMForecaster": "tsforecast.neural",
    "ESRNNForecaster": "tsforecast.neural",
    "SequenceTokenizer": "tsforecast.neural",
    "save_estimator": "tsforecast.neural",
    "load_estimator": "tsforecast.neural",
    # model selection
    "ExpandingWindowSplitter": "tsforecast.model_selection",
    "SlidingWindowSplitter": "tsforecast.model_selection",
    # forecasts in long format
    "to_long": "tsforecast.utils._long",
}

_SUBMODULES = {"metrics", "datasets", "model_selection", "windowing", "forecasting", "neural", "benchmark", "plotting"}

__all__ = sorted(_LAZY) + sorted(_SUBMODULES)


def __getattr__(name):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return import_module(f"tsforecast.{name}")
    raise AttributeError(f"module 'tsforecast' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))

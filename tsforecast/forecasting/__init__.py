"""Forecasters: the shared contract (``BaseForecaster``) and the statistical models.

Names are resolved lazily so that importing this package does not import
statsmodels until a model that needs it is used.
"""

from importlib import import_module

_LAZY = {
    "BaseForecaster": "._base",
    "check_fh": "._base",
    "NaiveForecaster": ".naive",
    "SeasonalNaiveForecaster": ".naive",
    "DriftForecaster": ".naive",
    "Naive2Forecaster": ".naive",
    "ARIMAForecaster": ".arima",
    "HoltWintersForecaster": ".holtwinters",
    "ThetaForecaster": ".theta",
    "TransformedTargetForecaster": ".compose",
    "EnsembleForecaster": ".ensemble",
    "MSTLForecaster": ".mstl",
    "ReductionForecaster": ".reduction",
}

__all__ = sorted(_LAZY)


def __getattr__(name):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""The private scikit-learn API tsforecast relies on, in one place.

scikit-learn's parameter validation (``sklearn.utils._param_validation``), its
fit decorator (``sklearn.base._fit_context``), the ``set_output`` configuration
(``sklearn.utils._set_output._get_output_config``), ``_safe_indexing`` and the
meta-estimator base ``_BaseComposition`` (named parameters of members) are
not public and may move between releases. Import them from here, so that a
scikit-learn release that moves one touches this file only.
"""

from __future__ import annotations

from sklearn.base import _fit_context as fit_context
from sklearn.utils import _safe_indexing as safe_indexing
from sklearn.utils._param_validation import HasMethods, Interval, Options, StrOptions, validate_params
from sklearn.utils._set_output import _get_output_config as get_output_config
from sklearn.utils.metaestimators import _BaseComposition as BaseComposition

__all__ = [
    "BaseComposition",
    "HasMethods",
    "Interval",
    "Options",
    "StrOptions",
    "fit_context",
    "get_output_config",
    "safe_indexing",
    "validate_params",
]

"""Settings shared by the test modules: tiny LSTM hyperparameters and Hypothesis example counts.

``from _settings import TINY, examples`` works from any test module (pytest puts ``tests/`` on
``sys.path``). The Hypothesis profiles themselves are registered and loaded in ``conftest.py``
(see :func:`register_profiles`).
"""

import os

from hypothesis import HealthCheck, settings

#: the smallest LSTM that still runs every code path: a few units, two epochs of a few large batches
#: (few gradient steps: such tiny jobs train eagerly, without tracing), no validation split and no
#: early stopping (tests that need them add them: ``dict(TINY, validation_fraction=0.2)``)
TINY = dict(units=4, epochs=2, batch_size=64, validation_fraction=0.0, early_stopping=False, n_estimators=1, random_state=0)

#: Hypothesis profiles; pick one with ``pytest --hypothesis-profile=NAME`` (default ``"ci"``)
PROFILES = ("ci", "dev", "random")


def register_profiles():
    """Register the Hypothesis profiles and return the one to load by default.

    * ``"ci"`` (the default): derandomized, so every run draws the same examples and a CI
      failure reproduces locally; no example database; each test draws its own count
      (:func:`examples`).
    * ``"dev"``: random examples with the example database (a failure found once is replayed
      first next time), at most 10 per test: a quick local loop that still explores.
    * ``"random"``: the reliability sweep ``TSF_RANDOM_EXAMPLES=N pytest ...``: fresh random
      examples, no database, at least ``N`` per test. Chosen by default when the variable is set.
    """
    common = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    settings.register_profile("ci", derandomize=True, database=None, **common)
    settings.register_profile("dev", derandomize=False, max_examples=10, **common)
    n = os.environ.get("TSF_RANDOM_EXAMPLES")
    settings.register_profile("random", derandomize=False, database=None, max_examples=int(n or 100), **common)
    return "random" if n else "ci"


def examples(n):
    """Hypothesis ``settings`` for a group of tests that draws ``n`` examples under the ``"ci"`` profile.

    The ``"dev"`` profile caps the count at its own (10), the ``"random"`` profile raises it to
    at least its own (``TSF_RANDOM_EXAMPLES``). Everything else (derandomization, deadline,
    health checks) comes from the loaded profile: call this at a test module's import, after
    ``conftest.py`` has loaded the profile.
    """
    profile = settings.get_current_profile_name()
    if profile == "dev":
        n = min(n, settings.default.max_examples)
    elif profile == "random":
        n = max(n, settings.default.max_examples)
    return settings(max_examples=n)

#: LSTMForecaster settings the mechanism tests were written for, instead of the data-driven "auto"
#: defaults (which pick a recursive 3-network ensemble with seasonal adjustment on small data):
#: one multi-output network, no seasonal adjustment, one value per LSTM step, one training per fit
#: (no refit on every window: tests of the refit ask for it; one series is fitted on mean-centred
#: windows only, not also on last-value-centred ones: tests/test_lstm_centrings.py covers that)
FIXED_FORECASTER = dict(strategy="multioutput", deseasonalize=None, n_estimators=1, patch=1, refit=False,
                        normalize="window")


def fixed_forecaster(**params):
    """An ``LSTMForecaster`` with :data:`FIXED_FORECASTER` under the test's own keywords."""
    from tsforecast import LSTMForecaster

    return LSTMForecaster(**{**FIXED_FORECASTER, **params})

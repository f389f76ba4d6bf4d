"""Shared pytest configuration: the ``slow`` marker, paths to ``../shared`` data, airline fixtures."""

import os
import warnings
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

if os.environ.get("TSF_RANDOM_EXAMPLES"):
    # a randomized reliability sweep: every property test draws fresh random examples (at least this
    # many) instead of its fixed, derandomized ones. The test modules import ``settings`` after this
    # conftest, so their own ``@settings(derandomize=True, ...)`` go through this override.
    import hypothesis

    _Settings = hypothesis.settings

    class _RandomExamples(_Settings):
        def __init__(self, parent=None, **kwargs):
            kwargs["derandomize"] = False
            kwargs["database"] = None
            kwargs["max_examples"] = max(int(os.environ["TSF_RANDOM_EXAMPLES"]), kwargs.get("max_examples", 0))
            super().__init__(parent, **kwargs)

    hypothesis.settings = _RandomExamples


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False, help="also run tests marked slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    skip_slow = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)


@pytest.fixture
def shared_dir():
    """The ``../shared`` folder beside the project; skips the test when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"shared data folder {SHARED} not present")
    return SHARED


@pytest.fixture(scope="module")
def airline():
    """The monthly airline passengers series (144 values, PeriodIndex)."""
    from tsforecast.datasets import load_airline

    return load_airline()


@pytest.fixture(scope="session")
def airline_holdout():
    """``fit(forecaster) -> (fitted, forecast, interval)`` on airline minus its last 12 months.

    The forecaster is fitted, and asked for a 12-step forecast and its 90%
    interval, with every warning turned into an error. Results are cached by
    ``repr(forecaster)`` for the session: the checks shared by several models
    (test_statistical_common.py) and a model's own checks use one fit.
    """
    from tsforecast.datasets import load_airline

    train = load_airline().iloc[:-12]
    cache = {}

    def fit(forecaster):
        key = repr(forecaster)
        if key not in cache:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                f = forecaster.fit(train)
                cache[key] = (f, f.predict(12), f.predict_interval(12))
        return cache[key]

    return fit

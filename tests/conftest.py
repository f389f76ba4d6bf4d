"""Shared pytest configuration: the ``slow`` marker, Hypothesis profiles, ``../shared`` data, airline fixtures."""

import warnings
from pathlib import Path

import pytest
from _settings import register_profiles
from hypothesis import settings

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# Hypothesis profiles ("ci" by default, "random" when TSF_RANDOM_EXAMPLES=N is set; choose another with
# --hypothesis-profile=NAME). Loaded here, before the test modules build their settings from it.
settings.load_profile(register_profiles())


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

"""Same ``random_state`` -> bit-identical results in a fresh process and in this one, and no global state changed.

:func:`_compute_all` fits every estimator that takes a ``random_state`` (tiny settings) and returns
its outputs. A fresh Python process runs it while this process (with other tests' imports and
state behind it) runs it too; the two use different hash seeds (``PYTHONHASHSEED``) and their
results must be equal bit for bit. Both record the global state (NumPy's and Python's global
generators, ``os.environ``, warnings filters, logger levels) before and after. Importing
TensorFlow/statsmodels adds warnings filters of their own (their import-time code, which any user
of those libraries gets too), so filters and loggers are compared from after those imports.
"""

import logging
import os
import pickle
import random
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import RandomForestRegressor
from sklearn.pipeline import make_pipeline

from tsforecast import (
    ESRNNForecaster,
    HoltWintersForecaster,
    LSTMClassifier,
    LSTMForecaster,
    LSTMRegressor,
    ReductionForecaster,
    SequenceTokenizer,
)

#: small, but every seeded part is used: initializers, dropout, recurrent dropout, the
#: validation split (stratified for the classifier) and the per-epoch shuffling
TINY = dict(units=4, epochs=2, batch_size=8, n_estimators=1, random_state=0)


def _series():
    rng = np.random.RandomState(0)
    t = np.arange(60)
    values = 50 + 0.3 * t + 5 * np.sin(2 * np.pi * t / 12) + rng.normal(size=60)
    return pd.Series(values, index=pd.period_range("2001-01", periods=60, freq="M"))


def _compute_all():
    """Fit every random-state-bearing estimator once; return name -> float64/str array."""
    rng = np.random.RandomState(1)
    X3 = rng.normal(size=(24, 5, 2))
    X2 = rng.normal(size=(24, 6))
    tokens = rng.randint(0, 10, size=(24, 7))
    y = _series()
    out = {}

    reg = LSTMRegressor(**dict(TINY, units=(4, 4)), dropout=0.3, recurrent_dropout=0.2,
                        validation_fraction=0.25).fit(X3, X3[:, :, 0].sum(axis=1))
    out["LSTMRegressor.predict"] = reg.predict(X3)
    out["LSTMRegressor.history"] = np.array(reg.history_["loss"] + reg.history_["val_loss"])

    labels = np.array(["a", "b", "c"])[np.arange(24) % 3]
    clf = LSTMClassifier(**TINY, dropout=0.2, validation_fraction=0.25).fit(X2, labels)
    out["LSTMClassifier.predict_proba"] = clf.predict_proba(X2)
    out["LSTMClassifier.predict"] = clf.predict(X2)

    emb = LSTMClassifier(**TINY, embedding_dim=3, dropout=0.2).fit(tokens, tokens[:, 0] > 4)
    out["LSTMClassifier-embedding.predict_proba"] = emb.predict_proba(tokens)

    texts = ["rain", "sun", "snow and rain", "fog", "wind", "storm", "clear sky", "drizzle"] * 3
    pipe = make_pipeline(SequenceTokenizer(max_length=5), LSTMClassifier(**TINY, embedding_dim=3))
    pipe.fit(texts, np.arange(24) % 2)
    out["text-pipeline.predict_proba"] = pipe.predict_proba(texts)
    out["text-pipeline.vocabulary"] = np.array(sorted(pipe[0].vocabulary_.items()), dtype=str)

    fc = LSTMForecaster(window=12, horizon=3, **dict(TINY, batch_size=16), dropout=0.2).fit(y)  # 6 eager steps
    out["LSTMForecaster.predict"] = fc.predict().to_numpy()
    out["LSTMForecaster.predict_interval"] = fc.predict_interval(coverage=0.8).to_numpy()
    out["LSTMForecaster.history"] = np.array([v for k in sorted(fc.history_) for v in fc.history_[k]])

    es = ESRNNForecaster(horizon=3, units=4, epochs=2, batch_size=8, windows_per_series=4, random_state=0).fit(y)
    out["ESRNNForecaster.predict"] = es.predict().to_numpy()
    out["ESRNNForecaster.predict_interval"] = es.predict_interval(coverage=0.8).to_numpy()

    # multiplicative errors: no analytic variance, the interval comes from simulated paths
    hw = HoltWintersForecaster(error="mul", trend=None, seasonal=None, random_state=0).fit(y)
    out["HoltWintersForecaster.predict_interval"] = hw.predict_interval(6, coverage=0.8).to_numpy()

    rf = ReductionForecaster(RandomForestRegressor(n_estimators=5, max_features=0.5, random_state=0), window=6)
    out["ReductionForecaster(RandomForest).predict"] = rf.fit(y).predict(6).to_numpy()
    return out


def _global_state():
    """A comparable snapshot of the process-wide state an estimator must leave alone."""
    np_state = np.random.get_state()
    return {
        "np.random": [np_state[0], np_state[1].tolist(), *np_state[2:]],
        "random": repr(random.getstate()),
        "environ": dict(os.environ),
        "warnings.filters": repr(warnings.filters),
        "loggers": {name: logging.getLogger(name).level for name in ("tensorflow", "absl", "keras", "")},
    }


def _import_libraries():
    """Import the libraries the estimators import lazily (their import-time side effects are theirs)."""
    import sklearn.ensemble  # noqa: F401
    import statsmodels.tsa.exponential_smoothing.ets  # noqa: F401

    from tsforecast.neural._keras import import_keras

    import_keras()  # sets the documented TF_CPP_MIN_LOG_LEVEL default when the user has not


_CHILD = textwrap.dedent(
    """
    import pickle, sys
    out_file, tests = sys.argv[1:3]
    sys.path.insert(0, tests)
    import test_reproducibility as t
    fresh = t._global_state()
    t._import_libraries()
    before = t._global_state()
    results = t._compute_all()
    after = t._global_state()
    with open(out_file, "wb") as fh:
        pickle.dump({"results": results, "fresh": fresh, "before": before, "after": after}, fh)
    """
)


def _other_hash_seed():
    """A ``PYTHONHASHSEED`` for the child that differs from this process's (random unless set)."""
    return "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"


#: the tests of the fresh-process runs (two runs, each fitting every estimator; ~15 s): CI runs them
SLOW = pytest.mark.slow


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """``(fresh, here)``: the fresh child's record and this process's, computed at the same time."""
    out_file = tmp_path_factory.mktemp("repro") / "fresh.pkl"
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(out_file), str(Path(__file__).parent)],
        env=dict(env, PYTHONHASHSEED=_other_hash_seed()), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        _import_libraries()
        np.random.seed(12345)
        random.seed(12345)
        before = _global_state()
        results = _compute_all()
        here = {"results": results, "before": before, "after": _global_state()}
    finally:
        _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    with open(out_file, "rb") as fh:
        return pickle.load(fh), here


@SLOW
def test_fresh_process_and_this_process_give_bit_identical_results(runs):
    first, second = (run["results"] for run in runs)
    assert sorted(first) == sorted(second)
    for name in first:
        a, b = first[name], second[name]
        assert a.dtype == b.dtype and a.shape == b.shape, name
        np.testing.assert_array_equal(a, b, err_msg=name)
    # not trivially equal: the seeded parts do something (the outputs are not constant)
    assert np.ptp(first["LSTMRegressor.predict"]) > 0
    assert np.ptp(first["HoltWintersForecaster.predict_interval"]) > 0


@SLOW
def test_fresh_process_leaves_global_state_untouched(runs):
    fresh, before, after = runs[0]["fresh"], runs[0]["before"], runs[0]["after"]
    # global generators: untouched from the very start, TensorFlow's import included
    for key in ("np.random", "random"):
        assert after[key] == fresh[key], key
    # fitting and predicting change no filter, logger level or environment variable
    for key in ("warnings.filters", "loggers", "environ"):
        assert after[key] == before[key], key
    # importing: tsforecast sets TF_CPP_MIN_LOG_LEVEL=3 before TensorFlow's first import when the
    # user has not set it (documented in tsforecast/neural/_keras.py); TensorFlow's own import code
    # sets a few more (TF2_BEHAVIOR, TPU_ML_PLATFORM, ...), which any TensorFlow user gets
    assert "TF_CPP_MIN_LOG_LEVEL" not in fresh["environ"]
    assert after["environ"]["TF_CPP_MIN_LOG_LEVEL"] == "3"
    assert all(fresh["environ"][k] == after["environ"].get(k) for k in fresh["environ"])  # none removed/changed


@SLOW
def test_in_process_fit_changes_no_global_state(runs):
    here = runs[1]
    assert here["after"] == here["before"]


def test_results_change_with_the_seed():
    # guards against a seed that is silently ignored
    X = np.random.RandomState(0).normal(size=(20, 4))
    p = [LSTMRegressor(**dict(TINY, random_state=s)).fit(X, X.sum(axis=1)).predict(X) for s in (0, 1)]
    assert np.abs(p[0] - p[1]).max() > 1e-6
    y = _series()
    iv = [HoltWintersForecaster(error="mul", trend=None, seasonal=None, random_state=s).fit(y)
          .predict_interval(6).to_numpy() for s in (0, 1)]
    assert not np.array_equal(iv[0], iv[1])


@SLOW
def test_compared_outputs_are_finite(runs):
    # assert_array_equal treats NaN == NaN as equal: make sure a broken fit is not hiding there
    for name, value in runs[0]["results"].items():
        if value.dtype.kind == "f":
            assert np.isfinite(value).all(), name

"""Lazy, quiet Keras import and the context every Keras call runs in.

Nothing here imports TensorFlow or Keras at module import time; the neural
estimators call :func:`import_keras` inside ``fit``/``predict``/``load``.

Logging
-------
TensorFlow's C++ runtime reads ``TF_CPP_MIN_LOG_LEVEL`` when it is first
imported. If (and only if) the user has not set that variable,
:func:`import_keras` sets it to ``"3"`` (fatal errors only: TensorFlow 2.21 also logs
spurious ERROR-level lines such as "oneDNN supports DT_BOOL only on platforms
with AVX-512" on correct use) before the first import
and discards the C++ start-up banner TensorFlow writes straight to the
process's stderr while importing ("oneDNN custom operations are on ...").
The variable is deliberately left set afterwards: the C++ runtime keeps
reading it, and removing it would bring the noise back mid-session. Set
``TF_CPP_MIN_LOG_LEVEL=0`` before using tsforecast to see every TensorFlow
message. Python-side messages (the ``tensorflow`` and ``absl`` loggers) are
lowered to errors only for the duration of each Keras call, see
:func:`keras_session`.

Randomness
----------
The estimators never seed TensorFlow's or Keras' *global* generators:
every initializer, dropout layer and the data shuffling get their own seed
derived from ``random_state`` (see :func:`derive_seeds`). As a guard against
library code that draws from Python's or NumPy's global generators,
:func:`keras_session` saves both states on entry and restores them in a
``finally`` on exit, so ``fit`` leaves ``random`` and ``np.random`` exactly as
it found them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import sys

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["import_keras", "keras_session", "derive_seeds", "keras_verbosity"]

_LOG_ENV = "TF_CPP_MIN_LOG_LEVEL"


@contextlib.contextmanager
def _discard_fd2():
    """Send the process-level stderr (file descriptor 2) to /dev/null, then restore it."""
    try:
        saved = os.dup(2)
    except OSError:  # no usable fd 2 (e.g. some embedded interpreters): nothing to hide
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        sys.stderr.flush()
        os.dup2(devnull, 2)
        yield
    finally:
        try:
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def import_keras():
    """Import and return ``keras`` (TensorFlow backend), quietly the first time.

    Raises
    ------
    ImportError
        When TensorFlow/Keras are not installed (``pip install tsforecast[neural]``).
    RuntimeError
        When Keras is configured for another backend than TensorFlow.
    """
    if "keras" in sys.modules and "tensorflow" in sys.modules:
        keras = sys.modules["keras"]
    else:
        quiet = _LOG_ENV not in os.environ
        if quiet:
            os.environ[_LOG_ENV] = "3"
        # importing TensorFlow draws from Python's global random generator: put it back
        py_state = random.getstate()
        np_state = np.random.get_state()
        try:
            if quiet and "tensorflow" not in sys.modules:
                with _discard_fd2():
                    import tensorflow  # noqa: F401
                    import keras
            else:
                import tensorflow  # noqa: F401
                import keras
        except ImportError as exc:
            raise ImportError(
                "the LSTM estimators need TensorFlow and Keras 3: pip install 'tsforecast[neural]' "
                f"(keras>=3.6, tensorflow-cpu>=2.18). Import failed with: {exc}"
            ) from exc
        finally:
            random.setstate(py_state)
            np.random.set_state(np_state)
    backend = keras.backend.backend()
    if backend != "tensorflow":
        raise RuntimeError(
            f"tsforecast's LSTM estimators need the Keras TensorFlow backend, but Keras is using {backend!r} "
            "(set by the KERAS_BACKEND environment variable or ~/.keras/keras.json)."
        )
    return keras


def keras_verbosity(verbose):
    """Map the estimators' ``verbose`` to ``model.fit(verbose=...)``.

    0: silent; 1: one line per epoch; 2 or more: Keras' progress bar.
    """
    if not verbose:
        return 0
    return 2 if verbose == 1 else 1


@contextlib.contextmanager
def keras_session(verbose=0):
    """Context for every Keras call of an estimator: quiet and side-effect free.

    * saves Python's and NumPy's global random states and restores them on
      exit (in a ``finally``), so no global generator is left changed;
    * unless ``verbose``, lowers the ``tensorflow`` and ``absl`` Python loggers
      to errors only, restoring their levels on exit.

    Global TensorFlow seeds and op determinism are *not* touched: the
    estimators pass explicit seeds to every random Keras object instead.
    """
    py_state = random.getstate()
    np_state = np.random.get_state()
    loggers = [logging.getLogger("tensorflow"), logging.getLogger("absl")]
    levels = [lg.level for lg in loggers]
    try:
        if not verbose:
            for lg in loggers:
                lg.setLevel(logging.ERROR)
        yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)
        random.setstate(py_state)
        np.random.set_state(np_state)


def derive_seeds(random_state):
    """A private generator of integer seeds for one fit.

    ``random_state`` follows scikit-learn: an int gives the same seeds every
    time; ``None`` draws the base seed from NumPy's global generator (so
    ``np.random.seed(...)`` makes such fits reproducible, as in scikit-learn);
    a ``RandomState`` instance is drawn from.
    Returns a ``numpy.random.RandomState`` to draw further seeds from.
    """
    base = check_random_state(random_state).randint(np.iinfo(np.int32).max)
    return np.random.RandomState(base)

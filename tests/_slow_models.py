"""Test forecasters that Dask worker processes can import (``tests/`` is on their ``PYTHONPATH``).

Classes defined inside a test module are pickled by reference to that module, which a worker
started as a separate process cannot import; these live here instead. ``from _slow_models import
SlowNaiveForecaster`` works in the test process (pytest puts ``tests/`` on ``sys.path``).
"""

import os
import time
import uuid

from tsforecast import NaiveForecaster


class SlowNaiveForecaster(NaiveForecaster):
    """Naive forecaster whose fit sleeps ``seconds`` first.

    With ``marker_dir`` each fit first writes an empty file
    ``<pid>-<training size>-<random>`` there, so a test can tell which
    process runs which fold (and kill it).
    """

    def __init__(self, seconds=1.0, marker_dir=None, horizon=1, n_jobs=None):
        self.seconds = seconds
        self.marker_dir = marker_dir
        self.horizon = horizon
        self.n_jobs = n_jobs

    def _fit(self, y, X):
        if self.marker_dir is not None:
            name = f"{os.getpid()}-{y.size}-{uuid.uuid4().hex}"
            open(os.path.join(self.marker_dir, name), "wb").close()
        time.sleep(self.seconds)
        return super()._fit(y, X)

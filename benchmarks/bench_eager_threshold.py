"""When is running a training eagerly cheaper than tracing its step? (``_EAGER_MAX_STEP_TIMESTEPS``, ``_training.py``)

Tracing a Keras training step costs about a second of fixed work; an eager step costs much more
than a traced one, and more the more time steps the network reads. The LSTM estimators train
eagerly when the gradient steps in all (epochs x batches) times the network's time steps are at
most ``_EAGER_MAX_STEP_TIMESTEPS``. This script fits one
``LSTMForecaster`` network for several numbers of epochs, traced and eager, and prints the wall
time of fit + predict of each (one run, after a warm-up fit).

    .venv/bin/python benchmarks/bench_eager_threshold.py
"""
import time
import warnings

import numpy as np

import tsforecast.neural._training as training
from tsforecast import LSTMForecaster

SIZES = {
    "small (units=4, window=8)": dict(units=4, window=8),
    "default-sized (units=32, window=24)": dict(units=32, window=24),
}


def fit_time(y, epochs, eager, **size):
    training._EAGER_MAX_STEP_TIMESTEPS = 10**9 if eager else 0
    t0 = time.perf_counter()
    est = LSTMForecaster(horizon=4, epochs=epochs, batch_size=16, early_stopping=False, validation_fraction=0.0,
                         refit=False, n_estimators=1, normalize="window", random_state=0, **size).fit(y)
    est.predict()
    return time.perf_counter() - t0


def main():
    y = 5 + np.sin(np.arange(104) / 3.0) + np.arange(104) / 40  # 80 windows of 24 (5 batches of 16)
    kept = training._EAGER_MAX_STEP_TIMESTEPS
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit_time(y, 1, False, units=4, window=8)  # imports and first traces
        print("| network | epochs | gradient steps | steps x time steps | traced s | eager s |")
        print("| --- | --- | --- | --- | --- | --- |")
        for name, size in SIZES.items():
            steps_per_epoch = int(np.ceil((len(y) - size["window"] - 3) / 16))
            for epochs in (1, 2, 4, 6, 10):
                traced, eager = fit_time(y, epochs, False, **size), fit_time(y, epochs, True, **size)
                steps = epochs * steps_per_epoch
                print(f"| {name} | {epochs} | {steps} | {steps * size['window']} | {traced:.2f} | {eager:.2f} |",
                      flush=True)
    training._EAGER_MAX_STEP_TIMESTEPS = kept


if __name__ == "__main__":
    main()

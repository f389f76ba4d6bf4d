"""A fit leaves nothing in TensorFlow's process-wide gradient registry (memory of a loop of fits)."""

import numpy as np
import pytest

pytest.importorskip("tensorflow")

import tsforecast.neural._trace_memory as trace_memory  # noqa: E402
from tsforecast import ESRNNForecaster, LSTMForecaster  # noqa: E402
from tsforecast.neural._keras import import_keras  # noqa: E402
from tsforecast.neural._trace_memory import forget_gradient_functions, gradient_functions  # noqa: E402

Y = 5 + np.sin(np.arange(90) / 3.0) + np.arange(90) / 40

# enough gradient steps that the training step is traced (tiny jobs run eagerly and register nothing)
FITS = {
    "lstm": lambda: LSTMForecaster(window=12, horizon=3, units=4, epochs=4, batch_size=8, n_estimators=1,
                                   normalize="window", refit=False, random_state=0),
    "esrnn": lambda: ESRNNForecaster(horizon=3, units=4, epochs=2, random_state=0),
}


@pytest.mark.parametrize("kind", sorted(FITS))
def test_a_traced_fit_leaves_no_gradient_function_behind(kind, monkeypatch):
    cleared = []  # the kernel cache is emptied after each traced training too
    real = trace_memory.clear_kernel_cache
    monkeypatch.setattr(trace_memory, "clear_kernel_cache", lambda: (cleared.append(1), real()))
    before = gradient_functions()
    FITS[kind]().fit(Y)
    assert gradient_functions() == before
    assert cleared

    # the check can fail: without the release, the same fit leaves the traced step's entries
    monkeypatch.setattr(trace_memory, "forget_gradient_functions", lambda *a: 0)
    FITS[kind]().fit(Y)
    assert gradient_functions() - before


def test_only_the_trained_models_entries_are_dropped():
    """A training running beside ours (another thread) keeps its gradient functions."""
    keras = import_keras()
    import tensorflow as tf

    before = gradient_functions()
    v = tf.Variable(2.0)

    @tf.custom_gradient
    def scaled(x):
        def grad(dy, variables=None):
            return dy * v, [dy * x]

        return x * v, grad

    @tf.function
    def other_step(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            out = scaled(x)
        return tape.gradient(out, x)

    other_step(tf.constant(1.0))
    other = gradient_functions() - before
    assert other

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.zeros((64, 3)), np.zeros(64), epochs=2, batch_size=8, verbose=0)
    ours = gradient_functions() - before - other
    assert ours
    assert forget_gradient_functions(before, model) == len(ours)
    left = gradient_functions()
    assert other <= left and not ours & left
    assert forget_gradient_functions(before, None) == 0



@pytest.mark.slow
def test_fits_in_two_threads_leave_nothing_and_forecast_as_alone():
    """Each training drops only its own entries, so trainings running side by side do not disturb each other."""
    from concurrent.futures import ThreadPoolExecutor

    def fit(seed):
        return FITS["lstm"]().set_params(random_state=seed).fit(Y).predict()

    alone = [fit(seed) for seed in range(4)]
    before = gradient_functions()
    with ThreadPoolExecutor(2) as pool:
        side_by_side = list(pool.map(fit, range(4)))
    assert gradient_functions() == before
    for a, b in zip(alone, side_by_side):
        np.testing.assert_array_equal(a, b)

"""Freeing what TensorFlow keeps of a finished training: the gradient functions of its traced step.

Tracing a training step in graph mode registers, in TensorFlow's process-wide gradient registry,
one gradient function for each ``tf.custom_gradient`` the step meets (the Keras optimizers sum
the gradients with ``ReplicaContext.all_reduce``, which is one). TensorFlow never removes these
entries, and each keeps the whole traced step alive, so a process that fits one forecaster after
another grows by about 140 MB per default ``LSTMForecaster`` fit, even with
``keras.backend.clear_session()`` (keras-team/keras#17458, tensorflow/tensorflow#61791;
``benchmarks/bench_fit_memory.py``).

After a training ends, :func:`forget_gradient_functions` drops the entries registered while it
ran whose traced graph uses the trained model's variables. The gradients of the finished step
are already built into its traced graph, so nothing asks for them again; the entries of a
training running at the same time in another thread use other variables and are kept.

After a traced training, :func:`clear_kernel_cache` also empties TensorFlow's eager kernel cache,
which keeps the instantiated form of every traced function it ran, deleted or not (about 7 MB more
per default ``LSTMForecaster`` fit); ``keras.backend.clear_session()`` does the same. An eager
training adds no function to it, and emptying it would make the next eager training build its
kernels again, so it is left as it is then.

This reads TensorFlow internals (``ops._gradient_registry``); if they change, nothing is
dropped and training works as before.
"""

from __future__ import annotations

import contextlib

__all__ = ["clear_kernel_cache", "forget_gradient_functions", "gradient_functions", "released_after_training"]

_PREFIX = "CustomGradient-"  # the names tf.custom_gradient registers its gradient functions under


def _registry():
    """TensorFlow's gradient registry (a dict), or ``None`` where it cannot be reached."""
    try:
        from tensorflow.python.framework import ops

        registry = ops._gradient_registry._registry
    except (ImportError, AttributeError):
        return None
    return registry if isinstance(registry, dict) else None


def gradient_functions():
    """The names of the gradient functions registered so far (to pass to :func:`forget_gradient_functions`)."""
    registry = _registry()
    return frozenset() if registry is None else frozenset(list(registry))


def _graph_variable_ids(entry):
    """``id`` of each live variable used by the outermost traced graph of a custom-gradient entry."""
    from tensorflow.python.framework.func_graph import FuncGraph

    grad_fn = entry["type"]  # custom_gradient's internal_grad_fn: it closes over tape_grad_fn
    tape_fn = next(c.cell_contents for c in grad_fn.__closure__ if callable(c.cell_contents))
    cells = dict(zip(tape_fn.__code__.co_freevars, tape_fn.__closure__))
    result = cells["result"].cell_contents  # the outputs of the wrapped function, tensors of its graph
    while isinstance(result, (list, tuple)):
        result = result[0]
    graph = result.graph
    while isinstance(getattr(graph, "outer_graph", None), FuncGraph):
        graph = graph.outer_graph
    return {id(v) for v in (ref() for ref in graph._weak_variables) if v is not None}


def forget_gradient_functions(before, model):
    """Drop the custom-gradient functions registered since ``before`` whose graph uses ``model``'s variables.

    ``before`` is what :func:`gradient_functions` returned before the training; ``model`` the
    trained Keras model (its weights are the variables looked for). Returns how many were dropped.
    """
    registry = _registry()
    if registry is None or model is None:
        return 0
    mine = {id(getattr(w, "value", w)) for w in model.weights}
    dropped = 0
    for name in [k for k in list(registry) if k not in before and isinstance(k, str) and k.startswith(_PREFIX)]:
        try:
            ours = not mine.isdisjoint(_graph_variable_ids(registry[name]))
        except Exception:  # another TensorFlow's layout: keep the entry
            continue
        if ours:
            registry.pop(name, None)
            dropped += 1
    return dropped


def clear_kernel_cache():
    """Empty TensorFlow's eager kernel cache (as ``keras.backend.clear_session()`` does).

    The cache keeps the instantiated kernels of every function and op run eagerly, including
    the traced training steps of networks already deleted; they are built again when needed.
    """
    try:
        from tensorflow.python.eager import context

        context.context().clear_kernel_cache()
    except (ImportError, AttributeError):
        pass


@contextlib.contextmanager
def released_after_training(model, traced=True):
    """Around one training of ``model``: on exit (even on error), drop what TensorFlow kept of it.

    Drops the gradient functions the training registered (:func:`forget_gradient_functions`) and,
    when the training was ``traced`` (not run eagerly), empties the kernel cache.
    """
    before = gradient_functions()
    try:
        yield
    finally:  # TensorFlow would keep the traced training step for the life of the process
        forget_gradient_functions(before, model)
        if traced:  # an eager training adds no function to the cache; emptying it would slow the next one
            clear_kernel_cache()

"""Numpydoc fragments shared by the docstrings of the LSTM estimators.

The estimators' docstrings are f-strings that include these blocks, so the
three classes document their common parameters with the same words.
"""

from __future__ import annotations

__all__ = [
    "NETWORK_PARAMS_DOC",
    "TRAINING_PARAMS_DOC",
    "FITTED_ATTRS_DOC",
    "INPUT_DOC",
    "EMBEDDING_PARAMS_DOC",
    "PREDICT_PARAMS_DOC",
    "fill_predict_doc",
    "with_entries",
]

#: parameter documentation shared by the three LSTM estimators (numpydoc)
NETWORK_PARAMS_DOC = """\
    units : int or tuple of int, default=64
        Units of the LSTM layer; a tuple stacks layers, e.g. ``(128, 128)``
        (all but the last return sequences).
    dropout : float in [0, 1), default=0.0
        Rate of the ``Dropout`` layers placed after the embedding (when
        ``embedding_dim`` is set) and between stacked LSTM layers.
    recurrent_dropout : float in [0, 1), default=0.0
        Dropout on the recurrent state inside each LSTM layer.
    bidirectional : bool, default=False
        Wrap each LSTM layer in ``Bidirectional`` (forward and backward
        layers get different seeds).
    dense_units : None, int or tuple of int, default=None
        Hidden ``Dense`` (ReLU) layers between the last LSTM layer and the
        output layer."""

TRAINING_PARAMS_DOC = """\
    epochs : int, default=50
        Maximum number of passes over the training data.
    batch_size : int, default=32
        Samples per gradient step (clipped to the number of training samples).
    learning_rate : float, default=1e-3
        Step size of the optimizer.
    optimizer : {"adam", "adamw", "nadam", "rmsprop", "sgd", "adagrad"}, default="adam"
        Keras optimizer.
    loss : str, callable or None, default=None
        Keras loss (e.g. ``"mse"``, ``"mae"``, ``"huber"``). ``None`` uses the
        estimator's natural loss. A callable must be registered with
        ``keras.saving.register_keras_serializable`` to survive pickling.
    adversarial : float >= 0, default=0.0
        Adversarial training (Miyato et al. 2017): each step also minimises
        the loss after the input representation (the embedding output for
        token ids, the scaled inputs otherwise) of every sequence is moved
        by ``adversarial`` times its own norm in the direction that raises
        the loss most. A strong regulariser for small training sets (e.g.
        0.15 for the review-sentiment LSTM); costs about 2.5x the training
        time. ``0`` disables it. Prediction is unchanged.
    validation_fraction : float in [0, 1), default=0.1
        Fraction of the training samples (drawn at random with
        ``random_state``; stratified by class for the classifier when every
        class has two or more samples) held out to compute ``val_loss``.
        At least one sample is held out when it is > 0. Ignored when
        ``validation_data`` is passed to ``fit``.
    early_stopping : bool, default=True
        Stop when the monitored loss (``val_loss`` if there is validation
        data, else the training ``loss``) has not improved for ``patience``
        epochs, and restore the weights of the best epoch.
    patience : int, default=5
        Epochs without improvement before early stopping.
    n_estimators : int, default=1
        Networks trained, one after the other, on the same data with their
        own initialisation and shuffling seeds (drawn from ``random_state``;
        the first is the network a single-network fit trains), averaged
        into one model: the mean of their outputs (for a classifier the
        mean of the class probabilities, i.e. soft voting). Averaging a few
        networks lowers the variance from seed to seed, at ``n_estimators``
        times the training time and prediction cost.
    random_state : int, RandomState instance or None, default=None
        Seeds the weight initializers, dropout layers, the validation split
        and the shuffling of each epoch. With an int, two fits on the same
        data and machine give identical predictions; global random states
        (Python, NumPy, TensorFlow) are left unchanged. ``None`` draws the
        seeds from NumPy's global generator, as scikit-learn does.
    verbose : int, default=0
        0: silent; 1: one line per epoch; 2: Keras' progress bar."""

FITTED_ATTRS_DOC = """\
    model_ : keras.Model
        The trained network; with ``n_estimators_ > 1`` one model holding
        the networks as sub-models ``network_0``, ``network_1``, ... and
        outputting the mean of their outputs.
    n_estimators_ : int
        Number of networks trained and averaged.
    history_ : dict of str to list of float
        Per-epoch ``loss`` (and ``val_loss`` with validation data) of the
        first network.
    histories_ : list of dict
        The training history of every network.
    n_features_in_ : int
        Number of features seen in ``fit``: the number of columns for 2-D
        input ``(n_samples, n_timesteps)`` (each column is one time step of a
        univariate sequence), otherwise the number of features per time step.
    n_timesteps_in_ : int or None
        Length of the training sequences; ``None`` when they had variable
        lengths (then any length is accepted by ``predict``).
    feature_names_in_ : ndarray of str
        Column names, only for a DataFrame ``X`` with string column names."""

INPUT_DOC = """\
    X : array-like of shape (n_samples, n_timesteps, n_features) or (n_samples, n_timesteps), \
or list of arrays
        Sequences. 2-D input is ``n_features=1``. A list of arrays of shape
        ``(t_i,)`` or ``(t_i, n_features)`` with different lengths ``t_i`` is
        padded at the end and the padding is masked. With ``embedding_dim``
        set, integer token ids (0 = padding), 2-D or a list of 1-D
        sequences."""

EMBEDDING_PARAMS_DOC = """\
    embedding_dim : int or None, default=None
        If set, ``X`` holds integer token ids (0 = padding) that go through
        ``Embedding(vocab_size, embedding_dim, mask_zero=True)``.
    vocab_size : int or None, default=None
        Number of token ids (ids are ``0..vocab_size-1``; larger ids raise
        an error). ``None``: the largest id seen in ``fit`` plus one, and
        larger ids met later in ``predict`` are read, with a warning, as the
        out-of-vocabulary id 1 (the convention of :class:`SequenceTokenizer`)."""

#: ``Parameters`` section of the ``predict``-like methods, put in their
#: docstrings (``{PREDICT_PARAMS_DOC}``) by :func:`fill_predict_doc`
PREDICT_PARAMS_DOC = """\
        Parameters
        ----------
        X : array-like of shape (n_samples, n_timesteps[, n_features]) or list of arrays
            Sequences like those given to ``fit``."""


def with_entries(block, **entries):
    """The numpydoc parameter ``block`` with the entries of the named parameters replaced.

    Each keyword is a parameter name, its value the whole new entry (the ``name : type`` line
    and its description, indented like the block).
    """
    lines, out, skipping = block.split("\n"), [], False
    for line in lines:
        head = line[4:].split(" : ")[0] if line.startswith("    ") and not line.startswith("     ") else None
        if head is not None:
            skipping = head in entries
            if skipping:
                out.append(entries[head].rstrip("\n"))
        if not skipping:
            out.append(line)
    return "\n".join(out)


def fill_predict_doc(method):
    """Decorator: put :data:`PREDICT_PARAMS_DOC` in ``method``'s docstring."""
    method.__doc__ = method.__doc__.format(PREDICT_PARAMS_DOC=PREDICT_PARAMS_DOC)
    return method


"""LSTM classification of sequences: ``LSTMClassifier``."""

from __future__ import annotations

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, check_is_fitted, column_or_1d

from numbers import Integral

from ..utils._sklearn import Interval, StrOptions
from ._auto import CLASSIFIER_RULE_DOC, classifier_settings
from ._base import _BaseLSTM
from ._docs import EMBEDDING_PARAMS_DOC, FITTED_ATTRS_DOC, INPUT_DOC, NETWORK_PARAMS_DOC, TRAINING_PARAMS_DOC
from ._docs import fill_predict_doc, with_entries

_AUTO = '``"auto"``: see Notes, "Automatic settings".'

#: the training parameters whose default is "auto" for the classifier
_TRAINING_DOC = with_entries(
    TRAINING_PARAMS_DOC,
    epochs=f"""    epochs : int or "auto", default="auto"
        Maximum number of passes over the training data. {_AUTO}""",
    batch_size=f"""    batch_size : int or "auto", default="auto"
        Samples per gradient step (clipped to the number of training
        samples). {_AUTO}""",
    learning_rate=f"""    learning_rate : float or "auto", default="auto"
        Step size of the optimizer. {_AUTO}""",
    validation_fraction=f"""    validation_fraction : float in [0, 1) or "auto", default="auto"
        Fraction of the training samples (drawn at random with
        ``random_state``, stratified by class when every class has two or
        more samples) held out to compute ``val_loss``; ``0`` monitors the
        training loss. Ignored when ``validation_data`` is passed to
        ``fit``. {_AUTO}""",
    patience=f"""    patience : int or "auto", default="auto"
        Epochs without improvement before early stopping. {_AUTO}""",
    n_estimators=f"""    n_estimators : int or "auto", default="auto"
        Networks trained, one after the other, with their own seeds (drawn
        from ``random_state``; the first is the network a single-network
        fit trains) and combined by soft voting: ``predict_proba`` is the
        mean of their class probabilities. Lowers the variance from seed to
        seed at ``n_estimators`` times the training and prediction cost.
        {_AUTO}""",
)

__all__ = ["LSTMClassifier"]


class LSTMClassifier(ClassifierMixin, _BaseLSTM):
    __doc__ = f"""LSTM network classifying sequences (numeric or token ids).

    A scikit-learn classifier built on Keras 3 (TensorFlow backend), for
    binary and multiclass problems with labels of any type (ints, strings).
    Two classes use one sigmoid output and binary cross-entropy; more classes
    a softmax output and sparse categorical cross-entropy.

    Numeric sequences (uni- or multivariate, fixed or variable length) are
    standardised per feature with ``scale="standard"``. With
    ``embedding_dim`` set, ``X`` holds integer token ids (0 = padding), e.g.
    from :class:`~tsforecast.neural.SequenceTokenizer`, fed through
    ``Embedding(mask_zero=True)``. The text-classification network
    ``Embedding(32) -> Dropout(0.2) -> LSTM(128) -> Dropout(0.2) -> LSTM(128)
    -> Dense(sigmoid)`` with Adam is
    ``LSTMClassifier(units=(128, 128), dropout=0.2, embedding_dim=32)``.

    Parameters
    ----------
{NETWORK_PARAMS_DOC}
{EMBEDDING_PARAMS_DOC}
    scale : {{"standard"}} or None, default="standard"
        Standardise numeric features inside the estimator (not token ids).
    patch : int or "auto", default="auto"
        Consecutive time steps fed to the LSTM as one step (their values of
        every channel side by side), so long series become short sequences
        of patches; a series whose length is not a multiple is padded at
        its start by repeating its first time step. Numeric fixed-length sequences only (token ids and
        variable-length sequences use 1). {_AUTO}
{_TRAINING_DOC}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    patch_, epochs_, batch_size_, learning_rate_, validation_fraction_, patience_
        The settings the fit used: the explicit parameters, or what the
        ``"auto"`` rule chose.
{FITTED_ATTRS_DOC}

    Notes
    -----
    **Automatic settings.**
{CLASSIFIER_RULE_DOC}

    Input ``X``:

{INPUT_DOC}

    See Also
    --------
    LSTMRegressor : the same network for numeric targets.

    Examples
    --------
    >>> import numpy as np
    >>> from tsforecast import LSTMClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(60, 6))              # 60 univariate sequences of 6 steps
    >>> y = np.where(X.mean(axis=1) > 0, "up", "down")
    >>> clf = LSTMClassifier(units=8, epochs=3, random_state=0).fit(X, y)
    >>> clf.classes_.tolist()
    ['down', 'up']
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    _parameter_constraints = {
        **_BaseLSTM._parameter_constraints,
        "patch": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "epochs": [*_BaseLSTM._parameter_constraints["epochs"], StrOptions({"auto"})],
        "batch_size": [*_BaseLSTM._parameter_constraints["batch_size"], StrOptions({"auto"})],
        "learning_rate": [*_BaseLSTM._parameter_constraints["learning_rate"], StrOptions({"auto"})],
        "validation_fraction": [*_BaseLSTM._parameter_constraints["validation_fraction"], StrOptions({"auto"})],
        "patience": [*_BaseLSTM._parameter_constraints["patience"], StrOptions({"auto"})],
        "n_estimators": [*_BaseLSTM._parameter_constraints["n_estimators"], StrOptions({"auto"})],
    }

    def __init__(
        self,
        units=64,
        *,
        dropout=0.0,
        recurrent_dropout=0.0,
        bidirectional=False,
        dense_units=None,
        embedding_dim=None,
        vocab_size=None,
        scale="standard",
        patch="auto",
        epochs="auto",
        batch_size="auto",
        learning_rate="auto",
        optimizer="adam",
        loss=None,
        adversarial=0.0,
        validation_fraction="auto",
        early_stopping=True,
        patience="auto",
        n_estimators="auto",
        random_state=None,
        verbose=0,
    ):
        super().__init__(
            units, dropout=dropout, recurrent_dropout=recurrent_dropout, bidirectional=bidirectional,
            dense_units=dense_units, embedding_dim=embedding_dim, vocab_size=vocab_size, scale=scale, epochs=epochs,
            batch_size=batch_size, learning_rate=learning_rate, optimizer=optimizer, loss=loss,
            adversarial=adversarial, validation_fraction=validation_fraction, early_stopping=early_stopping,
            patience=patience, n_estimators=n_estimators, random_state=random_state, verbose=verbose,
        )
        self.patch = patch

    def _training_settings(self, n_samples, seqs):
        params = {k: getattr(self, k) for k in
                  ("patch", "epochs", "batch_size", "learning_rate", "validation_fraction", "patience", "n_estimators")}
        numeric_fixed = not self._tokens and self.n_timesteps_in_ is not None
        found = classifier_settings(**params, n_samples=n_samples, n_timesteps=self.n_timesteps_in_,
                                    numeric_fixed=numeric_fixed)
        if found["patch"] > 1 and not numeric_fixed:
            raise ValueError(
                f"patch={found['patch']} needs numeric sequences of one fixed length; "
                + ("X holds token ids." if self._tokens else "X has sequences of different lengths.")
            )
        for k in ("epochs", "batch_size", "learning_rate", "validation_fraction", "patience"):
            setattr(self, f"{k}_", found[k])
        return found

    def _encode_targets(self, y, *, reset, scaling):
        y = check_array(y, ensure_2d=False, dtype=None, input_name="y")
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        if reset:
            classes = np.unique(y)
            if classes.size < 2:
                raise ValueError(
                    f"y has only one class ({classes[0]!r}); a classifier needs at least 2 classes to train."
                )
            self.classes_ = classes
        codes = np.searchsorted(self.classes_, y)
        codes = np.clip(codes, 0, self.classes_.size - 1)
        unseen = self.classes_[codes] != y
        if unseen.any():
            raise ValueError(
                f"y contains label(s) {np.unique(y[unseen]).tolist()} not seen in fit; classes are "
                f"{self.classes_.tolist()}."
            )
        dtype = np.float32 if self.classes_.size == 2 else np.int32
        return codes.astype(dtype).reshape(-1, 1)

    def _stratify(self, Y):
        return Y.ravel()

    def _head(self):
        if self.classes_.size == 2:
            return 1, "sigmoid", "binary_crossentropy"
        return self.classes_.size, "softmax", "sparse_categorical_crossentropy"

    @fill_predict_doc
    def predict_proba(self, X):
        """Class probabilities of the sequences ``X``.

{PREDICT_PARAMS_DOC}

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            Columns follow ``classes_``.
        """
        raw = self._forward(X)
        if self.classes_.size == 2:
            p = np.clip(raw[:, 0], 0.0, 1.0)
            return np.column_stack([1.0 - p, p])
        raw = np.clip(raw, 0.0, None)
        return raw / raw.sum(axis=1, keepdims=True)

    @fill_predict_doc
    def predict(self, X):
        """Predict the class of each sequence in ``X``.

{PREDICT_PARAMS_DOC}

        Returns
        -------
        ndarray of shape (n_samples,)
            Labels from ``classes_``.
        """
        check_is_fitted(self, "model_")
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

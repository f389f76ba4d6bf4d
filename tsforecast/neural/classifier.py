"""LSTM classification of sequences: ``LSTMClassifier``."""

from __future__ import annotations

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, check_is_fitted, column_or_1d

from ._base import _BaseLSTM
from ._docs import EMBEDDING_PARAMS_DOC, FITTED_ATTRS_DOC, INPUT_DOC, NETWORK_PARAMS_DOC, TRAINING_PARAMS_DOC
from ._docs import fill_predict_doc

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
{TRAINING_PARAMS_DOC}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
{FITTED_ATTRS_DOC}

    Notes
    -----
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

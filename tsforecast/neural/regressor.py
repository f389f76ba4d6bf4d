"""LSTM regression of sequences: ``LSTMRegressor``."""

from __future__ import annotations

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.utils.validation import check_array

from ._base import _BaseLSTM
from ._checks import FLOAT32_MAX, check_unscaled_not_tiny
from ._docs import EMBEDDING_PARAMS_DOC, FITTED_ATTRS_DOC, INPUT_DOC, NETWORK_PARAMS_DOC, TRAINING_PARAMS_DOC
from ._docs import fill_predict_doc
from ._scaling import Standardiser

__all__ = ["LSTMRegressor"]


class LSTMRegressor(RegressorMixin, _BaseLSTM):
    __doc__ = f"""LSTM network regressing one or several targets on sequences.

    A scikit-learn regressor built on Keras 3 (TensorFlow backend). The
    network is built inside ``fit`` from the hyperparameters below:
    ``LSTM`` layer(s), optional hidden ``Dense`` layers, and a linear output
    layer with one unit per target. Keras is imported by ``fit``, not by
    ``import tsforecast``.

    With ``scale="standard"`` (default) each input feature and each target
    is standardised with the training mean and standard deviation inside the
    estimator (and predictions are mapped back), so raw-valued windows train
    well; ``scale=None`` feeds the data as given.

    The network computes in float32. Values of ``X`` and ``y`` beyond
    float32's range (±3.4e38) raise a ``ValueError``; with
    ``scale="standard"`` any smaller magnitude works, even far below
    float32's smallest normal number 1.2e-38, because the means and
    standard deviations are computed in float64 relative to the data's own
    magnitude. With ``scale=None`` a feature or target whose nonzero values
    all lie below 1.2e-38 would reach the network as zeros, so it raises a
    ``ValueError`` instead. A target that is constant in the training data
    is predicted as that constant.

    Parameters
    ----------
{NETWORK_PARAMS_DOC}
{EMBEDDING_PARAMS_DOC}
    scale : {{"standard"}} or None, default="standard"
        Standardise the features and the targets inside the estimator.
{TRAINING_PARAMS_DOC}

    Attributes
    ----------
{FITTED_ATTRS_DOC}
    n_outputs_ : int
        Number of targets.

    Notes
    -----
    Input ``X``:

{INPUT_DOC}

    The default loss is ``"mse"``. Pickle/joblib and :meth:`save`/:meth:`load`
    store the network in Keras' native ``.keras`` format.

    See Also
    --------
    LSTMClassifier : the same network for class labels.
    LSTMForecaster : forecasts series with an ``LSTMRegressor`` on windows.

    Examples
    --------
    >>> import numpy as np
    >>> from tsforecast import LSTMRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(64, 5, 2))          # 64 sequences, 5 steps, 2 features
    >>> y = X[:, :, 0].sum(axis=1)
    >>> reg = LSTMRegressor(units=8, epochs=3, random_state=0).fit(X, y)
    >>> reg.predict(X[:3]).shape
    (3,)
    >>> sorted(reg.history_)
    ['loss', 'val_loss']
    """

    def _encode_targets(self, y, *, reset, scaling):
        y = check_array(y, ensure_2d=False, dtype=np.float64, input_name="y")
        if y.ndim not in (1, 2):
            raise ValueError(f"y must be 1-D (n_samples,) or 2-D (n_samples, n_outputs); got shape {y.shape}.")
        Y = y.reshape(y.shape[0], -1)
        if reset:
            self._y_ndim = y.ndim
            self.n_outputs_ = Y.shape[1]
            self._y_scaler = None
            if self.scale == "standard":
                # in float64 at any magnitude: tiny y is not flushed to zero; a constant target is
                # predicted as that constant
                self._y_scaler = Standardiser.fit(Y, floor=scaling.y_floor)
            else:
                check_unscaled_not_tiny(Y, "y", "output")
        elif Y.shape[1] != self.n_outputs_:
            raise ValueError(f"y has {Y.shape[1]} output(s) but the model was fitted with {self.n_outputs_}.")
        Z = Y if self._y_scaler is None else self._y_scaler.transform(Y)
        if not reset and not np.all(np.abs(Z) <= FLOAT32_MAX):
            raise ValueError(
                "the validation targets are too far from the training targets: scaled with the training "
                f"targets' mean and standard deviation they reach {np.nanmax(np.abs(Z)):.3g}, beyond float32's "
                "range; the training targets hardly vary compared with them."
            )
        return Z.astype(np.float32)

    def _head(self):
        return self.n_outputs_, "linear", "mse"

    @fill_predict_doc
    def predict(self, X):
        """Predict the targets of the sequences ``X``.

{PREDICT_PARAMS_DOC}

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Same number of dimensions as the ``y`` given to ``fit``.
        """
        raw = self._forward(X)
        pred = raw if self._y_scaler is None else self._y_scaler.inverse_transform(raw)
        return pred.ravel() if self._y_ndim == 1 else pred

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

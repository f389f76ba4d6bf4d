"""LSTM estimators on Keras 3 (TensorFlow backend), and the text front end.

* :class:`LSTMRegressor`, :class:`LSTMClassifier`: scikit-learn estimators on
  sequences ``(n_samples, n_timesteps[, n_features])`` or variable-length
  lists of sequences;
* :class:`LSTMForecaster`: a global forecaster (one network for one or many
  series) following the :class:`~tsforecast.forecasting.BaseForecaster`
  contract;
* :class:`ESRNNForecaster`: exponential smoothing and one global LSTM trained
  jointly (ES-RNN style), on the same contract;
* :class:`SequenceTokenizer`: texts to token-id sequences (no Keras needed);
* :func:`save_estimator` / :func:`load_estimator`: one zip file (networks in
  Keras' native ``.keras`` format) for any object holding LSTM estimators,
  e.g. a ``Pipeline``; each estimator also has ``save(path)`` and
  ``Class.load(path)``.

They share one Keras core (``tsforecast.neural._base._BaseLSTM``, with one
private module per job: input checks, scaling, network, training,
inference, persistence). The two forecasters share their fit over one
series or a panel (``_global``) and split-conformal intervals
(``_conformal``); ``LSTMForecaster``'s automatic settings live in ``_auto``,
its seasonal adjustment in ``_seasonal``, its streamed training in
``_streaming`` and its ensemble over input windows in ``_window_ensemble``.
Importing this package does not import
TensorFlow/Keras; ``fit``, ``predict`` and ``load`` do.
"""

from importlib import import_module

from ._persistence import load_estimator, save_estimator
from .classifier import LSTMClassifier
from .esrnn import ESRNNForecaster
from .forecaster import LSTMForecaster
from .regressor import LSTMRegressor

__all__ = [
    "LSTMRegressor",
    "LSTMClassifier",
    "LSTMForecaster",
    "ESRNNForecaster",
    "SequenceTokenizer",
    "save_estimator",
    "load_estimator",
]


def __getattr__(name):
    if name == "SequenceTokenizer":
        return import_module(".tokenizer", __name__).SequenceTokenizer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

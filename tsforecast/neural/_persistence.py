"""Saving and loading estimators that hold Keras networks.

Pickle and joblib go through ``__getstate__``/``__setstate__`` of the
estimators, which store each network as its ``.keras`` bytes
(:class:`_PackedModel`). :func:`save_estimator` writes one zip archive in
which each network is a member of its own, in Keras' native ``.keras``
format, and :func:`load_estimator` reads it back; both work for any
picklable object holding LSTM estimators (e.g. a ``Pipeline``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import pickle
import tempfile
import warnings
import zipfile

from sklearn.utils.validation import check_is_fitted

from ..utils._numeric import shorten
from ._keras import import_keras, keras_session

__all__ = ["SaveLoadMixin", "load_estimator", "pack_model", "save_estimator", "unpack_model"]


class SaveLoadMixin:
    """``save(path)`` and ``Class.load(path)`` for the estimators holding Keras networks."""

    #: fitted attribute that ``save`` requires
    _fitted_attribute = "model_"

    def save(self, path):
        """Save the fitted estimator to one zip file (networks in Keras' ``.keras`` format).

        See :func:`tsforecast.neural.save_estimator` for the layout.

        Parameters
        ----------
        path : str, path-like or binary file object
            File to write (any extension; ``.tsf`` is a good one).
        """
        check_is_fitted(self, self._fitted_attribute)
        save_estimator(self, path)

    @classmethod
    def load(cls, path):
        """Load an estimator written by :meth:`save`.

        A file that is not such an archive (empty, truncated, damaged, or
        another kind of file) raises a ``ValueError`` naming the file (see
        :func:`tsforecast.neural.load_estimator`); an archive of another
        estimator a ``TypeError``.

        Parameters
        ----------
        path : str, path-like or binary file object
            The archive.

        Returns
        -------
        estimator : instance of this class
        """
        est = load_estimator(path)
        if not isinstance(est, cls):
            name = os.fsdecode(os.fspath(path)) if isinstance(path, (str, bytes, os.PathLike)) else path
            raise TypeError(f"{name!r} holds a {type(est).__name__}, not a {cls.__name__}.")
        return est


class _PackedModel:
    """Picklable stand-in for a Keras model: its ``.keras`` bytes or an archive reference."""

    def __init__(self, data=None, member=None):
        self.data = data
        self.member = member


#: while :func:`save_estimator`/:func:`load_estimator` run: the archive's models
_ARCHIVE: list = []


def _model_to_bytes(model):
    import_keras()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.keras")
        with keras_session(), warnings.catch_warnings():
            # Keras' saving code calls np.array() on TensorFlow variables, which NumPy 2 flags;
            # harmless, and not the user's doing (the filter is restored on exit)
            warnings.filterwarnings(
                "ignore", message="__array__ implementation doesn't accept a copy keyword", category=DeprecationWarning
            )
            model.save(path)
        with open(path, "rb") as fh:
            return fh.read()


def _short_error(exc, limit=300):
    """``"Type: message"`` of an exception on one line, at most ``limit`` characters."""
    return shorten(" ".join(f"{type(exc).__name__}: {exc}".split()), limit)


def _model_from_bytes(data, where="the estimator"):
    """Rebuild a Keras model from its ``.keras`` bytes.

    Corrupt bytes (truncated, bit-flipped, not a ``.keras`` file) raise a
    ``ValueError`` naming ``where`` the model came from, instead of an error
    from deep inside ``zipfile``/``h5py``/Keras.
    """
    keras = import_keras()
    if not isinstance(data, (bytes, bytearray)) or not zipfile.is_zipfile(io.BytesIO(data)):
        size = f"{len(data)} bytes" if isinstance(data, (bytes, bytearray)) else type(data).__name__
        raise ValueError(
            f"{where} holds a corrupt Keras model ({size}, not a .keras zip file): the data was "
            "truncated or damaged after saving. Refit the model or load an intact copy."
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.keras")
        with open(path, "wb") as fh:
            fh.write(data)
        try:
            with keras_session():
                return keras.saving.load_model(path, compile=False)
        except Exception as exc:  # noqa: BLE001 - any failure here means unreadable bytes
            raise ValueError(
                f"{where} holds a Keras model that cannot be read ({_short_error(exc)}): the data is corrupt "
                f"or was written by an incompatible Keras version (this is Keras {keras.__version__}). "
                "Refit the model or load an intact copy."
            ) from None


def pack_model(model):
    """A Keras model as a picklable :class:`_PackedModel` (an archive member while saving one)."""
    if isinstance(model, _PackedModel):
        return model
    if _ARCHIVE:
        models = _ARCHIVE[-1]
        member = f"model_{len(models)}.keras"
        models[member] = model
        return _PackedModel(member=member)
    return _PackedModel(data=_model_to_bytes(model))


def unpack_model(packed, where="the estimator"):
    """The Keras model of a :class:`_PackedModel` (unchanged if ``packed`` is a model)."""
    if not isinstance(packed, _PackedModel):
        return packed
    if packed.member is not None:
        if not _ARCHIVE or packed.member not in _ARCHIVE[-1]:
            raise ValueError(f"{where} refers to {packed.member}, which is not in the archive being loaded.")
        return _ARCHIVE[-1][packed.member]
    return _model_from_bytes(packed.data, where)


@contextlib.contextmanager
def _archive(models):
    _ARCHIVE.append(models)
    try:
        yield
    finally:
        _ARCHIVE.pop()


_FORMAT = "tsforecast-keras-estimator"


def save_estimator(estimator, path):
    """Save an estimator holding Keras networks to one zip file.

    The file is a zip archive with

    * ``metadata.json``: format, estimator class, tsforecast/Keras versions;
    * ``model_0.keras`` (``model_1.keras``, ...): each network in Keras'
      native ``.keras`` format, loadable on its own with
      ``keras.saving.load_model``;
    * ``estimator.pkl``: the estimator's parameters and fitted state (scalers,
      classes, ...), pickled, with references to the ``.keras`` members in
      place of the networks.

    Works for any picklable object containing LSTM estimators (e.g. a
    ``Pipeline``). Like any pickle, only load files from sources you trust.

    The archive is written to a temporary file beside ``path`` and renamed
    to ``path`` when complete, so an interrupted save never leaves a
    truncated file (nor destroys an earlier file at ``path``).

    Parameters
    ----------
    estimator : object
        A fitted estimator (or any picklable object holding some).
    path : str, path-like or binary file object
        File to write (any extension; ``.tsf`` is a good one).

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from tsforecast.neural import LSTMRegressor, load_estimator, save_estimator
    >>> X = np.random.RandomState(0).normal(size=(20, 4))
    >>> reg = LSTMRegressor(units=4, epochs=1, random_state=0).fit(X, X.sum(axis=1))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save_estimator(reg, os.path.join(tmp, "reg.tsf"))
    ...     same = (load_estimator(os.path.join(tmp, "reg.tsf")).predict(X) == reg.predict(X)).all()
    >>> bool(same)
    True
    """
    from .. import __version__

    models: dict = {}
    with _archive(models):
        blob = pickle.dumps(estimator, protocol=pickle.HIGHEST_PROTOCOL)
    import_keras()
    import keras

    meta = {
        "format": _FORMAT,
        "format_version": 1,
        "class": f"{type(estimator).__module__}.{type(estimator).__qualname__}",
        "tsforecast_version": __version__,
        "keras_version": keras.__version__,
        "models": sorted(models),
    }
    if not isinstance(path, (str, bytes, os.PathLike)):  # an open binary file
        _write_archive(path, meta, blob, models)
        return
    path = os.fsdecode(os.fspath(path))
    if os.path.isdir(path):
        raise ValueError(f"{path!r} is a folder; save_estimator writes one file: give a file name such as 'model.tsf'.")
    # written to a temporary file that is then renamed over ``path``: a crash or an error
    # while saving never leaves a truncated archive, nor destroys an earlier file at ``path``
    tmp = f"{path}.tmp-{os.getpid()}-{os.urandom(4).hex()}"
    try:
        with open(tmp, "wb") as fh:
            _write_archive(fh, meta, blob, models)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise


def _write_archive(file, meta, blob, models):
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("metadata.json", json.dumps(meta, indent=2))
        zf.writestr("estimator.pkl", blob)
        for member, model in models.items():
            zf.writestr(member, _model_to_bytes(model))


def load_estimator(path):
    """Load an estimator written by :func:`save_estimator`.

    Parameters
    ----------
    path : str, path-like or binary file object
        The archive.

    Returns
    -------
    object
        The estimator, with its Keras networks loaded (compiled=False: ready
        to predict; ``fit`` builds a new network anyway).

    Raises
    ------
    ValueError
        When ``path`` is not an archive written by :func:`save_estimator`
        (an empty, truncated or damaged file, or another kind of file); the
        message names the file and what is wrong with it.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from tsforecast.neural import LSTMClassifier, load_estimator
    >>> X = np.random.RandomState(0).normal(size=(20, 4))
    >>> clf = LSTMClassifier(units=4, epochs=1, random_state=0).fit(X, X[:, 0] > 0)
    >>> tmp = tempfile.TemporaryDirectory()
    >>> path = os.path.join(tmp.name, "clf.tsf")
    >>> clf.save(path)
    >>> load_estimator(path).classes_.tolist()
    [False, True]
    >>> with open(path, "r+b") as fh:  # damage the file: keep its first 100 bytes
    ...     _ = fh.truncate(100)
    >>> load_estimator(path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: '...clf.tsf' is not a tsforecast estimator archive (not a zip file: ...
    >>> tmp.cleanup()
    """
    name = os.fsdecode(os.fspath(path)) if isinstance(path, (str, bytes, os.PathLike)) else path
    try:
        zf = zipfile.ZipFile(name)
    except zipfile.BadZipFile:
        size = os.path.getsize(name) if isinstance(name, str) else None
        what = "the file is empty" if size == 0 else (
            "not a zip file: another kind of file, or a truncated or damaged archive"
            + ("" if size is None else f"; {size} bytes") + _pickle_hint(name)
        )
        raise ValueError(
            f"{name!r} is not a tsforecast estimator archive ({what}). Only files written by save() or "
            "save_estimator() can be loaded; save the model again if this one was damaged."
        ) from None
    with zf:
        names = set(zf.namelist())
        missing = [m for m in ("metadata.json", "estimator.pkl") if m not in names]
        if missing:
            hint = _pickle_hint(name)  # a pickle of an LSTM holds a .keras zip: zipfile finds that one
            if not hint and "config.json" in names:
                hint = ": a Keras model file? load it with keras.saving.load_model"
            raise ValueError(
                f"{name!r} is not a tsforecast estimator archive (a zip file without {' and '.join(missing)}"
                f"{hint})."
            )
        raw = _read_member(zf, "metadata.json", name)
        try:
            meta = json.loads(raw)
        except ValueError:  # not JSON, or not UTF-8
            meta = None
        if not isinstance(meta, dict):
            raise ValueError(f"{name!r} is a damaged tsforecast estimator archive: metadata.json is not a JSON object.")
        if meta.get("format") != _FORMAT:
            raise ValueError(f"{name!r} has format {meta.get('format')!r}, not {_FORMAT!r}.")
        members = meta.get("models")
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            raise ValueError(f"{name!r} is a damaged tsforecast estimator archive: metadata.json lists no models.")
        models = {m: _model_from_bytes(_read_member(zf, m, name), where=f"{name!r} (member {m})") for m in members}
        blob = _read_member(zf, "estimator.pkl", name)
    with _archive(models):
        try:
            return pickle.load(io.BytesIO(blob))
        except Exception as exc:  # noqa: BLE001 - a damaged pickle can raise almost anything
            raise ValueError(
                f"{name!r}: the estimator in it cannot be unpickled ({_short_error(exc)}). The archive is damaged, "
                f"or needs the versions it was saved with (tsforecast {meta.get('tsforecast_version')}, "
                f"Keras {meta.get('keras_version')}) and the modules of every object in it."
            ) from None


def _pickle_hint(name):
    """``": a pickle file? ..."`` when the file starts like a pickle (protocol >= 2), else ``""``."""
    head = b""
    with contextlib.suppress(OSError, TypeError):
        with open(name, "rb") as fh:
            head = fh.read(1)
    return ": a pickle file? load it with pickle.load or joblib.load" if head == b"\x80" else ""


def _read_member(zf, member, name):
    """Bytes of one member of an archive; damaged data raise a ValueError naming the file."""
    try:
        return zf.read(member)
    except KeyError:
        raise ValueError(f"{name!r} is a damaged tsforecast estimator archive: member {member!r} is missing.") from None
    except Exception as exc:  # noqa: BLE001 - zipfile/zlib raise various errors on damaged data
        raise ValueError(
            f"{name!r} is a damaged tsforecast estimator archive: member {member!r} cannot be read "
            f"({_short_error(exc)}). Save the model again."
        ) from None

"""Saved estimators load in a fresh process and predict identically; damaged files give clear errors.

Every public estimator type is fitted (tiny) here, saved with pickle, joblib and, for the neural
ones, ``save(path)`` / ``save_estimator``; ONE fresh Python process (importing TensorFlow costs
seconds) loads every file and recomputes the outputs, which must be identical to the ones computed
here before saving: the reloaded estimator runs the same code on the same stored numbers (a network
is restored from its ``.keras`` weights, bit for bit), so we compare exactly
(``assert_array_equal``, ``check_exact=True``), with no tolerance.
"""

import io
import json
import os
import pickle
import re
import subprocess
import sys
import textwrap
import traceback
import zipfile
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

import tsforecast.neural._persistence as persistence
from tsforecast import (
    ARIMAForecaster,
    DriftForecaster,
    ESRNNForecaster,
    EnsembleForecaster,
    HoltWintersForecaster,
    MSTLForecaster,
    LSTMClassifier,
    LSTMForecaster,
    LSTMRegressor,
    Naive2Forecaster,
    NaiveForecaster,
    ReductionForecaster,
    SeasonalNaiveForecaster,
    SequenceTokenizer,
    SlidingWindowTransformer,
    ThetaForecaster,
    TransformedTargetForecaster,
    load_estimator,
    save_estimator,
)

TINY = dict(units=4, epochs=2, batch_size=16, n_estimators=1, random_state=0)


# ------------------------------------------------------------------ data (same in both processes)
def _series():
    rng = np.random.RandomState(0)
    t = np.arange(48)
    values = 100 + 0.5 * t + 10 * np.sin(2 * np.pi * t / 12) + rng.normal(size=48)
    return pd.Series(values, index=pd.period_range("2000-01", periods=48, freq="M"), name="sales")


def _sequences():
    rng = np.random.RandomState(1)
    X = rng.normal(size=(30, 5, 2))
    return X, X[:, :, 0].sum(axis=1)


def _univariate():
    rng = np.random.RandomState(2)
    X = rng.normal(size=(30, 6))
    return X, np.array(["down", "flat", "up"])[np.digitize(X.mean(axis=1), [-0.2, 0.2])]


def _tokens():
    rng = np.random.RandomState(3)
    X = rng.randint(0, 12, size=(30, 8))
    return X, (X[:, -1] > 5).astype(int)


TEXTS = ["晴れのち曇り", "pluie ☔ demain", "sunny", "", "ça va très bien", "雨", "wind and rain", "Ünïcödé"] * 3
TEXT_LABELS = ["nice", "bad", "nice", "bad", "nice", "bad", "bad", "nice"] * 3


# ------------------------------------------------------------------ the estimators
BUILDERS = {
    "NaiveForecaster": lambda: NaiveForecaster().fit(_series()),
    "SeasonalNaiveForecaster": lambda: SeasonalNaiveForecaster(seasonal_periods=12).fit(_series()),
    "DriftForecaster": lambda: DriftForecaster().fit(_series()),
    "Naive2Forecaster": lambda: Naive2Forecaster(seasonal_periods=12).fit(_series()),
    "ARIMAForecaster": lambda: ARIMAForecaster(order=(1, 1, 0)).fit(_series()),
    "HoltWintersForecaster": lambda: HoltWintersForecaster(
        trend="add", damped_trend=False, seasonal="add", seasonal_periods=12, error="add"
    ).fit(_series()),
    "ThetaForecaster": lambda: ThetaForecaster(seasonal_periods=12).fit(_series()),
    "MSTLForecaster": lambda: MSTLForecaster().fit(_series()),
    "ReductionForecaster": lambda: ReductionForecaster(Ridge(), window=12).fit(_series()),
    "TransformedTargetForecaster": lambda: TransformedTargetForecaster(
        SeasonalNaiveForecaster(seasonal_periods=12), FunctionTransformer(np.log, np.exp)
    ).fit(_series()),
    "EnsembleForecaster": lambda: EnsembleForecaster(
        [("theta", ThetaForecaster(seasonal_periods=12)), ("snaive", SeasonalNaiveForecaster(seasonal_periods=12))],
        aggregation="median", horizon=3,
    ).fit(_series()),
    "EnsembleForecaster-lstm": lambda: EnsembleForecaster(
        [("lstm", LSTMForecaster(window=12, **TINY)), ("naive", NaiveForecaster())], horizon=3
    ).fit(_series()),
    "SlidingWindowTransformer": lambda: SlidingWindowTransformer(window=4).fit(_sequences()[0][:, :, 0]),
    "SequenceTokenizer": lambda: SequenceTokenizer(max_length=6).fit(TEXTS),
    "LSTMRegressor": lambda: LSTMRegressor(**TINY, validation_fraction=0.2).fit(*_sequences()),
    "LSTMClassifier": lambda: LSTMClassifier(**TINY).fit(*_univariate()),
    "LSTMClassifier-embedding": lambda: LSTMClassifier(**TINY, embedding_dim=3).fit(*_tokens()),
    "LSTMForecaster": lambda: LSTMForecaster(window=12, horizon=3, **TINY).fit(_series()),
    # two sets of networks: the first ones and the ones refitted on every window, averaged
    "LSTMForecaster-average": lambda: LSTMForecaster(window=12, horizon=3, **dict(TINY, validation_fraction=0.2),
                                                     refit="average").fit(_series()),
    # networks reading two input windows: one inner LSTMForecaster per window (estimators_)
    "LSTMForecaster-windows": lambda: LSTMForecaster(window=12, horizon=3, window_scales=(1, 0.5),
                                                     **dict(TINY, n_estimators=2)).fit(_series()),
    # its network weights are numpy arrays (the Keras model is rebuilt on predict)
    "ESRNNForecaster": lambda: ESRNNForecaster(horizon=3, units=4, epochs=2, batch_size=8, windows_per_series=4,
                                               random_state=0).fit(_series()),
    "text-pipeline": lambda: make_pipeline(
        SequenceTokenizer(max_length=6), LSTMClassifier(**TINY, embedding_dim=3)
    ).fit(TEXTS, TEXT_LABELS),
}

#: estimators holding a (Keras) network: also saved with save(path) (the LSTM and ES-RNN classes) and save_estimator
NEURAL = {"LSTMRegressor", "LSTMClassifier", "LSTMClassifier-embedding", "LSTMForecaster", "LSTMForecaster-average",
          "LSTMForecaster-windows", "ESRNNForecaster",
          "text-pipeline", "EnsembleForecaster-lstm"}
#: neural estimators without a save(path) method of their own
NO_SAVE_METHOD = {"text-pipeline", "EnsembleForecaster-lstm"}


def _formats(name):
    if name not in NEURAL:
        return ["pickle", "joblib"]
    return ["pickle", "joblib", "save_estimator"] + ([] if name in NO_SAVE_METHOD else ["save"])


PAIRS = [(name, fmt) for name in BUILDERS for fmt in _formats(name)]


def _outputs(name, est):
    """Everything an estimator computes, as arrays / pandas objects (run in both processes)."""
    if name == "SlidingWindowTransformer":
        return {"transform": est.transform(_sequences()[0][:, :, 0])}
    if name == "SequenceTokenizer":
        ids = est.transform(TEXTS + ["unseen ✈ text"])
        return {"transform": ids, "inverse": np.array(est.inverse_transform(ids), dtype=object)}
    if name == "LSTMRegressor":
        return {"predict": est.predict(_sequences()[0])}
    if name in ("LSTMClassifier", "LSTMClassifier-embedding"):
        X = _univariate()[0] if name == "LSTMClassifier" else _tokens()[0]
        return {"proba": est.predict_proba(X), "predict": est.predict(X)}
    if name == "text-pipeline":
        return {"proba": est.predict_proba(TEXTS), "predict": est.predict(TEXTS)}
    out = {"predict": est.predict([1, 2, 3])}  # forecasters: a PeriodIndex continued after the series
    try:
        out["interval"] = est.predict_interval([1, 2, 3], coverage=0.8)
    except NotImplementedError:
        pass
    return out


def _dump(fmt, est, path):
    if fmt == "pickle":
        path.write_bytes(pickle.dumps(est))
    elif fmt == "joblib":
        joblib.dump(est, path)
    elif fmt == "save":
        est.save(path)
    else:
        save_estimator(est, path)


def _load(fmt, name, path):
    if fmt == "pickle":
        return pickle.loads(Path(path).read_bytes())
    if fmt == "joblib":
        return joblib.load(path)
    if fmt == "save":
        klass = {"LSTMRegressor": LSTMRegressor, "LSTMForecaster": LSTMForecaster,
                 "ESRNNForecaster": ESRNNForecaster}.get(name.split("-")[0], LSTMClassifier)
        return klass.load(path)
    return load_estimator(path)


# The fresh process imports this module (for _load/_outputs and the data), loads every saved file
# and pickles the outputs, or the error text of an entry that failed.
_CHILD = textwrap.dedent(
    """
    import json, pickle, sys, traceback
    folder, tests = sys.argv[1:3]
    sys.path.insert(0, tests)
    import test_persistence as t
    results = {}
    for name, fmt, path in json.load(open(folder + "/manifest.json")):
        try:
            est = t._load(fmt, name, path)
            results[name, fmt] = {"repr": repr(est), "outputs": t._outputs(name, est)}
        except Exception:
            results[name, fmt] = traceback.format_exc()
    with open(folder + "/results.pkl", "wb") as fh:
        pickle.dump(results, fh)
    """
)


@pytest.fixture(scope="module")
def reloaded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("persistence")
    expected, manifest = {}, []
    for name, build in BUILDERS.items():
        est = build()
        expected[name] = {"repr": repr(est), "outputs": _outputs(name, est)}
        for fmt in _formats(name):
            path = folder / f"{name}.{fmt}"
            _dump(fmt, est, path)
            manifest.append([name, fmt, str(path)])
    (folder / "manifest.json").write_text(json.dumps(manifest))
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(folder), str(Path(__file__).parent)],
        capture_output=True, text=True, timeout=600,
    )
    assert out.returncode == 0, out.stderr
    with open(folder / "results.pkl", "rb") as fh:
        return expected, pickle.load(fh)


def _assert_identical(got, want, what):
    assert type(got) is type(want), what
    if isinstance(want, pd.Series):
        pd.testing.assert_series_equal(got, want, check_exact=True, obj=what)
    elif isinstance(want, pd.DataFrame):
        pd.testing.assert_frame_equal(got, want, check_exact=True, obj=what)
    else:
        assert got.dtype == want.dtype and got.shape == want.shape, what
        np.testing.assert_array_equal(got, want, err_msg=what)


def test_every_public_estimator_type_is_covered():
    import tsforecast

    covered = {name.split("-")[0] for name in BUILDERS}
    estimators = {
        name for name in tsforecast.__all__
        if isinstance(getattr(tsforecast, name), type) and hasattr(getattr(tsforecast, name), "get_params")
    }
    assert estimators - {"BaseForecaster"} <= covered


@pytest.mark.slow  # one fit of every estimator and a fresh Python process with TensorFlow: ~25 s
@pytest.mark.parametrize("name, fmt", PAIRS, ids=[f"{n}-{f}" for n, f in PAIRS])
def test_reloaded_in_a_fresh_process_predicts_identically(reloaded, name, fmt):
    expected, results = reloaded
    got = results[name, fmt]
    if isinstance(got, str):
        pytest.fail(f"loading {name} ({fmt}) in a fresh process failed:\n{got}")
    assert got["repr"] == expected[name]["repr"]  # same class and parameters
    assert got["outputs"].keys() == expected[name]["outputs"].keys()
    for key, want in expected[name]["outputs"].items():
        _assert_identical(got["outputs"][key], want, f"{name} ({fmt}) {key}")


# ------------------------------------------------------------------ damaged files
@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """A valid LSTMRegressor archive (bytes) and its fitted estimator."""
    folder = tmp_path_factory.mktemp("archive")
    X, y = _sequences()
    reg = LSTMRegressor(**TINY).fit(X, y)
    reg.save(folder / "reg.tsf")
    return (folder / "reg.tsf").read_bytes(), reg


def _flip_inside_member(data, member):
    """Flip one byte in the middle of a member's compressed data (the zip directory stays intact)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(member)
    start = info.header_offset
    name_len, extra_len = np.frombuffer(data[start + 26 : start + 30], dtype="<u2")
    pos = start + 30 + int(name_len) + int(extra_len) + info.compress_size // 2
    out = bytearray(data)
    out[pos] ^= 0xFF
    return bytes(out)


def _damaged(kind, data, reg):
    if kind == "truncated":
        return data[: len(data) // 2]
    if kind == "random-bytes":
        return np.random.RandomState(0).bytes(2000)
    if kind == "empty":
        return b""
    if kind == "text":
        return "a forecast, in plain text\n".encode()
    if kind == "bit-flip-in-network":
        return _flip_inside_member(data, "model_0.keras")
    if kind == "bit-flip-in-estimator":
        return _flip_inside_member(data, "estimator.pkl")
    if kind == "pickle":
        return pickle.dumps(reg)
    if kind == "keras-file":
        buf = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            buf.write(zf.read("model_0.keras"))
        return buf.getvalue()
    if kind == "no-metadata-json":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("estimator.pkl", b"")
        return buf.getvalue()
    raise AssertionError(kind)


DAMAGE = {
    "truncated": r"not a tsforecast estimator archive \(not a zip file: .*truncated or damaged archive",
    "random-bytes": r"not a tsforecast estimator archive \(not a zip file",
    "empty": r"not a tsforecast estimator archive \(the file is empty\)",
    "text": r"not a tsforecast estimator archive \(not a zip file: another kind of file",
    "bit-flip-in-network": r"damaged tsforecast estimator archive: member 'model_0.keras' cannot be read",
    "bit-flip-in-estimator": r"damaged tsforecast estimator archive: member 'estimator.pkl' cannot be read",
    "pickle": r"a zip file without .*: a pickle file\? load it with pickle.load or joblib.load",
    "keras-file": r"a zip file without .*: a Keras model file\? load it with keras.saving.load_model",
    "no-metadata-json": r"not a tsforecast estimator archive \(a zip file without metadata.json\)",
}
LOADERS = {
    "LSTMRegressor.load": LSTMRegressor.load,
    "load_estimator": load_estimator,
    "LSTMForecaster.load": LSTMForecaster.load,
}


def _assert_shallow(exc):
    """Our own error, raised without a chained trace from zipfile/zlib/h5py/Keras/pickle."""
    assert exc.__cause__ is None and (exc.__context__ is None or exc.__suppress_context__)
    frames = [f.filename for f in traceback.extract_tb(exc.__traceback__)]
    assert not [f for f in frames if re.search(r"(keras|h5py|zipfile|pickle)", os.path.basename(f))]
    assert not [f for f in frames if "site-packages" in f]


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("kind", DAMAGE)
def test_damaged_files_give_a_clear_error_naming_the_file(archive, tmp_path, kind, loader):
    data, reg = archive
    path = tmp_path / f"{kind}.tsf"
    path.write_bytes(_damaged(kind, data, reg))
    with pytest.raises(ValueError, match=DAMAGE[kind]) as info:
        LOADERS[loader](path)
    assert repr(str(path)) in str(info.value)
    _assert_shallow(info.value)


def test_damaged_network_inside_an_intact_archive(archive, tmp_path):
    # the zip is valid but the .keras member holds the first half of the network file
    data, _ = archive
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buf, "w") as zout:
        for member in zin.namelist():
            content = zin.read(member)
            zout.writestr(member, content[: len(content) // 2] if member.endswith(".keras") else content)
    path = tmp_path / "half-network.tsf"
    path.write_bytes(buf.getvalue())
    msg = re.escape(f"{str(path)!r} (member model_0.keras) holds a corrupt Keras model")
    with pytest.raises(ValueError, match=msg) as info:
        load_estimator(path)
    _assert_shallow(info.value)


def test_archive_of_another_estimator_is_a_type_error_naming_the_file(archive, tmp_path):
    data, _ = archive
    path = tmp_path / "reg.tsf"
    path.write_bytes(data)
    with pytest.raises(TypeError, match=re.escape(f"{str(path)!r} holds a LSTMRegressor, not a LSTMForecaster")):
        LSTMForecaster.load(path)
    with pytest.raises(TypeError, match=re.escape(f"{str(path)!r} holds a LSTMRegressor, not a LSTMClassifier")):
        LSTMClassifier.load(path)


def test_pickle_with_a_damaged_network_names_the_estimator(archive):
    _, reg = archive
    blob = bytearray(pickle.dumps(reg))
    start, end = blob.index(b"PK\x03\x04"), blob.rindex(b"PK\x05\x06")  # the embedded .keras zip
    mid = (start + end) // 2
    blob[mid : mid + 16] = bytes(b ^ 0x55 for b in blob[mid : mid + 16])  # same length: the pickle stays valid
    with pytest.raises(ValueError, match=r"the pickled LSTMRegressor holds a (corrupt )?Keras model") as info:
        pickle.loads(bytes(blob))
    _assert_shallow(info.value)


def test_truncated_pickle_raises_pickles_own_error(archive):
    # pickle.load is Python's API, not ours: a truncated pickle raises pickle's error
    _, reg = archive
    blob = pickle.dumps(reg)
    with pytest.raises((pickle.UnpicklingError, EOFError)):
        pickle.loads(blob[: len(blob) // 2])


def test_a_failed_save_keeps_the_earlier_file_and_leaves_no_partial_file(archive, tmp_path, monkeypatch):
    _, reg = archive
    path = tmp_path / "reg.tsf"
    reg.save(path)
    before = path.read_bytes()

    def fail(model):
        raise OSError("No space left on device")

    monkeypatch.setattr(persistence, "_model_to_bytes", fail)  # the network fails to serialise mid-save
    with pytest.raises(OSError, match="No space left"):
        reg.save(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reg.tsf"]
    X, _ = _sequences()
    np.testing.assert_array_equal(LSTMRegressor.load(path).predict(X), reg.predict(X))


def test_save_to_a_folder_is_a_clear_error(archive, tmp_path):
    _, reg = archive
    with pytest.raises(ValueError, match="is a folder; save_estimator writes one file"):
        reg.save(tmp_path)


def test_save_and_load_through_a_file_object(archive):
    _, reg = archive
    buf = io.BytesIO()
    save_estimator(reg, buf)
    buf.seek(0)
    X, _ = _sequences()
    np.testing.assert_array_equal(load_estimator(buf).predict(X), reg.predict(X))

"""Reader for the sktime/aeon ``.ts`` format and the bundled UCR/UEA classification sets."""

from __future__ import annotations

import os
from importlib import resources

import numpy as np
import pandas as pd

__all__ = ["load_ts_file", "load_ucr", "list_ucr_datasets"]

#: Bundled sets (folder ``tsforecast/datasets/data/ucr/<name>``).
UCR_DATASETS = ("GunPoint", "ItalyPowerDemand", "BasicMotions")

_BOOL_TAGS = {"timestamps", "missing", "univariate", "equallength", "targetlabel"}
_INT_TAGS = {"dimensions", "serieslength"}


class _TsFormatError(ValueError):
    pass


def _fail(source, lineno, msg):
    raise _TsFormatError(f"{source}, line {lineno}: {msg}")


def _parse_bool(value, tag, source, lineno):
    v = value.strip().lower()
    if v not in ("true", "false"):
        _fail(source, lineno, f"@{tag} must be 'true' or 'false'; got {value.strip()!r}.")
    return v == "true"


def _parse_header(lines, source):
    """Read header lines up to ``@data``; return (header dict, iterator at the first data line)."""
    header = {"classlabel": False, "class_values": None}
    for lineno, raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not line.startswith("@"):
            _fail(source, lineno, f"expected a header line starting with '@' before @data; got {line[:40]!r}.")
        tag, _, value = line[1:].partition(" ")
        tag = tag.lower()
        if tag == "data":
            return header
        if tag in _BOOL_TAGS:
            header[tag] = _parse_bool(value, tag, source, lineno)
        elif tag in _INT_TAGS:
            try:
                header[tag] = int(value)
            except ValueError:
                _fail(source, lineno, f"@{tag} must be an integer; got {value.strip()!r}.")
        elif tag == "classlabel":
            words = value.split()
            if not words:
                _fail(source, lineno, "@classLabel needs 'true' (followed by the class values) or 'false'.")
            header["classlabel"] = _parse_bool(words[0], tag, source, lineno)
            if header["classlabel"]:
                if len(words) < 2:
                    _fail(source, lineno, "@classLabel true must list the class values, e.g. '@classLabel true 1 2'.")
                header["class_values"] = words[1:]
        elif tag == "problemname":
            header["problemname"] = value.strip()
        # other tags (e.g. future extensions) are ignored
    raise _TsFormatError(f"{source}: no @data line; is this a .ts file?")


def _parse_values(text, source, lineno, channel):
    try:
        return np.asarray(text.split(","), dtype=float)
    except ValueError:
        pass
    out = []
    for k, tok in enumerate(text.split(",")):
        tok = tok.strip()
        if tok == "?":
            out.append(np.nan)
            continue
        try:
            out.append(float(tok))
        except ValueError:
            _fail(source, lineno, f"channel {channel}, value {k}: {tok[:30]!r} is not a number ('?' marks a missing value).")
    return np.asarray(out, dtype=float)


def _parse_ts(lines, source):
    lines = enumerate(lines, start=1)
    header = _parse_header(lines, source)
    if header.get("timestamps"):
        raise _TsFormatError(f"{source}: time-stamped .ts files (@timeStamps true) are not supported.")
    has_class = header["classlabel"]
    has_target = header.get("targetlabel", False)
    has_label = has_class or has_target
    n_dims = header.get("dimensions", 1 if header.get("univariate") else None)
    labels_declared = set(header["class_values"]) if has_class else None

    cases, labels, first_line = [], [], None
    for lineno, raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            _fail(source, lineno, f"header line {line[:30]!r} after @data.")
        parts = line.split(":")
        if has_label:
            if len(parts) < 2:
                _fail(source, lineno, "expected the channels then ':' and the label; found no ':'.")
            label, parts = parts[-1].strip(), parts[:-1]
        if n_dims is None:
            n_dims, first_line = len(parts), lineno
        if len(parts) != n_dims:
            where = f"as on line {first_line}" if first_line else "as the header declares"
            _fail(
                source, lineno,
                f"expected {n_dims} channel(s) separated by ':' ({where}); found {len(parts)}.",
            )
        channels = [_parse_values(p, source, lineno, c) for c, p in enumerate(parts)]
        lengths = {ch.size for ch in channels}
        if len(lengths) > 1:
            _fail(source, lineno, f"channels of one case must have equal lengths; got {[ch.size for ch in channels]}.")
        cases.append((lineno, np.column_stack(channels)))
        if has_class:
            if label not in labels_declared:
                _fail(source, lineno, f"class label {label!r} is not declared in @classLabel {header['class_values']}.")
            labels.append(label)
        elif has_target:
            try:
                labels.append(float(label))
            except ValueError:
                _fail(source, lineno, f"target value {label[:30]!r} is not a number.")
    if not cases:
        raise _TsFormatError(f"{source}: no cases after @data.")

    first_len = cases[0][1].shape[0]
    if header.get("equallength"):
        for lineno, arr in cases:
            if arr.shape[0] != first_len:
                _fail(source, lineno, f"@equalLength true but this case has {arr.shape[0]} timesteps, the first {first_len}.")
    declared = header.get("serieslength")
    if declared is not None and header.get("equallength"):
        if first_len != declared:
            _fail(source, cases[0][0], f"@seriesLength {declared} but the cases have {first_len} timesteps.")

    arrays = [arr for _, arr in cases]
    if all(a.shape[0] == first_len for a in arrays):
        X = np.stack(arrays)
    else:
        X = arrays
    if has_class:
        y = np.asarray(labels, dtype=str)
    elif has_target:
        y = np.asarray(labels, dtype=float)
    else:
        y = None
    return X, y


def load_ts_file(path):
    """Read a time-series classification file in the sktime/aeon ``.ts`` format.

    The format: ``#`` comment lines, header lines (``@problemName``,
    ``@univariate``, ``@dimensions``, ``@equalLength``, ``@seriesLength``,
    ``@classLabel true <values>``, ...), then ``@data`` and one case a line:
    its channels separated by ``:``, the values of a channel by ``,``, and
    the class label last. ``?`` marks a missing value (read as NaN).
    Time-stamped files (``@timeStamps true``) are not supported.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    X : ndarray of shape (n_samples, n_timesteps, n_channels), or list of ndarray
        When every case has the same length, a 3-D float array laid out
        ``(n_samples, n_timesteps, n_features)``: the layout the LSTM
        estimators take (a univariate set has ``n_channels == 1``). Note that
        sktime/aeon use ``(n_samples, n_channels, n_timesteps)``. When the
        lengths differ, a list of ``(n_timesteps_i, n_channels)`` arrays.
    y : ndarray of str, ndarray of float, or None
        Class labels as strings (``@classLabel true``), regression targets
        (``@targetLabel true``), or None when the file has no labels.

    Raises
    ------
    ValueError
        For a malformed file, naming the file and line: an undeclared class
        label, a wrong number of channels, a value that is not a number,
        cases of different lengths under ``@equalLength true``...

    Examples
    --------
    >>> import os, tempfile
    >>> from tsforecast.datasets import load_ts_file
    >>> text = "@problemName Toy\\n@dimensions 2\\n@classLabel true a b\\n@data\\n1,2,3:4,5,6:a\\n7,8,9:0,?,1:b\\n"
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = os.path.join(d, "toy.ts")
    ...     with open(path, "w") as fh:
    ...         _ = fh.write(text)
    ...     X, y = load_ts_file(path)
    >>> X.shape, y.tolist()
    ((2, 3, 2), ['a', 'b'])
    >>> X[1, :, 1]
    array([ 0., nan,  1.])
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no .ts file {path!r}.")
    with open(path, encoding="utf-8") as fh:
        return _parse_ts(fh, os.path.basename(path))


def _resolve_name(name):
    for known in UCR_DATASETS:
        if str(name).lower() == known.lower():
            return known
    raise ValueError(f"unknown UCR set {name!r}; bundled sets: {list(UCR_DATASETS)}.")


def load_ucr(name, split="train"):
    """Load a bundled UCR/UEA classification set with its fixed train/test split.

    Bundled: ``"GunPoint"`` (50/150 cases, length 150, 1 channel, 2 classes),
    ``"ItalyPowerDemand"`` (67/1029, length 24, 1 channel, 2 classes) and
    ``"BasicMotions"`` (40/40, length 100, 6 channels, 4 classes). Cite the
    UCR archive (Dau et al., 2019) and, for BasicMotions, the UEA archive
    (Bagnall et al., 2018) when you use them. Other sets: download their
    ``.ts`` files and use :func:`load_ts_file`.

    Parameters
    ----------
    name : str
        Set name (case-insensitive), see :func:`list_ucr_datasets`.
    split : {"train", "test"}

    Returns
    -------
    X : ndarray of float, shape (n_samples, n_timesteps, n_channels)
    y : ndarray of str, shape (n_samples,)

    Examples
    --------
    >>> from tsforecast.datasets import load_ucr
    >>> X, y = load_ucr("GunPoint")
    >>> X.shape, sorted(set(y.tolist()))
    ((50, 150, 1), ['1', '2'])
    >>> load_ucr("BasicMotions", split="test")[0].shape
    (40, 100, 6)
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test'; got {split!r}.")
    name = _resolve_name(name)
    fname = f"{name}_{split.upper()}.ts"
    ref = resources.files("tsforecast.datasets").joinpath("data", "ucr", name, fname)
    with ref.open(encoding="utf-8") as fh:
        return _parse_ts(fh, fname)


def list_ucr_datasets():
    """Table of the bundled UCR/UEA sets: sizes, length, channels, classes.

    Examples
    --------
    >>> from tsforecast.datasets import list_ucr_datasets
    >>> list_ucr_datasets().loc["ItalyPowerDemand"].tolist()
    [67, 1029, 24, 1, 2]
    """
    rows = []
    for name in UCR_DATASETS:
        X_tr, y_tr = load_ucr(name, "train")
        X_te, _ = load_ucr(name, "test")
        rows.append(
            {"name": name, "n_train": len(X_tr), "n_test": len(X_te), "length": X_tr.shape[1],
             "n_channels": X_tr.shape[2], "n_classes": len(set(y_tr))}
        )
    return pd.DataFrame(rows).set_index("name")

"""Datasets of a benchmark: named bundled datasets or user data, with season lengths and horizons."""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

import numpy as np
import pandas as pd

from ..utils._frequency import default_horizon, season_length_from_freq
from ..utils._series import check_series, infer_offset

__all__ = ["BenchmarkData", "resolve_datasets", "named_items"]


@dataclass
class BenchmarkData:
    """One dataset of a benchmark: its series (name -> Series) and settings."""

    name: str
    series: dict
    season_length: int
    horizon: int
    step: int


def _index_freq(s):
    idx = s.index
    if isinstance(idx, (pd.PeriodIndex, pd.DatetimeIndex)):
        if idx.freq is not None:
            return idx.freqstr
        if len(idx) >= 3:
            off = infer_offset(idx)
            return None if off is None else off.freqstr
    return None


def _series_dict(dataset, data):
    if isinstance(data, pd.Series):
        items = {data.name if data.name is not None else dataset: data}
    elif isinstance(data, pd.DataFrame):
        items = {c: data[c] for c in data.columns}
    elif isinstance(data, dict):
        items = dict(data)
    else:
        arr = np.asarray(data)
        if arr.ndim != 1:
            raise TypeError(
                f"dataset {dataset!r} must be a Series, a DataFrame (one column per series), a dict of "
                f"Series or a 1-D array; got {type(data).__name__} of shape {getattr(arr, 'shape', '?')}."
            )
        items = {dataset: arr}
    if not items:
        raise ValueError(f"dataset {dataset!r} has no series.")
    out = {}
    for key, s in items.items():
        values, meta = check_series(s, name=f"series {key!r} of dataset {dataset!r}", strip_leading_nan=True)
        index = meta.index if meta.index is not None else pd.RangeIndex(values.size)
        name = str(key)
        if name in out:
            raise ValueError(f"dataset {dataset!r} has two series named {name!r}.")
        out[name] = pd.Series(values, index=index, name=name)
    return out


def _bundled(name):
    """A named dataset with its frequency and season length."""
    from ..datasets import dataset_info, load_dataset

    info = dataset_info(name)  # raises the "unknown dataset" error
    return load_dataset(name), info["frequency"], info["season_length"]


def _per_dataset(value, name, what, check):
    if isinstance(value, dict):
        value = value.get(name)
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Integral) or not check(value):
        raise ValueError(f"{what} for dataset {name!r} must be a positive int; got {value!r}.")
    return int(value)


def named_items(value, what, *, alone, type_error, name_error):
    """``value`` (a name, a list of names or a dict name -> object) as unique ``(name, object)`` pairs.

    A name given in a list is paired with ``alone(name)``. ``type_error``
    (with ``{value!r}``) and ``name_error`` (with ``{bad!r}``) are the
    messages for a ``value`` that is not iterable and for list items that
    are not strings; ``what`` ("dataset", "model") words the other errors.
    """
    if isinstance(value, str):
        value = [value]
    if isinstance(value, dict):
        items = [(str(k), v) for k, v in value.items()]
    else:
        try:
            names = list(value)
        except TypeError:
            raise TypeError(type_error.format(value=value)) from None
        bad = [n for n in names if not isinstance(n, str)]
        if bad:
            raise TypeError(name_error.format(bad=bad))
        items = [(n, alone(n)) for n in names]
    if not items:
        raise ValueError(f"no {what}s given.")
    if len({n for n, _ in items}) != len(items):
        raise ValueError(f"{what} names must be unique; got {[n for n, _ in items]}.")
    return items


def resolve_datasets(datasets, *, horizon=None, step=None, season_length=None):
    """Load/validate the datasets of a benchmark.

    Parameters
    ----------
    datasets : str, list of str, or dict of name to data
        Names of bundled datasets (:func:`tsforecast.datasets.list_datasets`)
        or user data: a Series, a DataFrame with one column per series, a
        dict of Series or a 1-D array (``None``: the bundled dataset of
        that name).
    horizon, step, season_length : int, dict of dataset name to int, or None
        ``None`` means: horizon from the frequency (M4 horizons), step =
        horizon, season length from the dataset registry or the frequency.

    Returns
    -------
    list of BenchmarkData
        One per dataset: ``name``, ``series`` (name -> Series),
        ``season_length``, ``horizon``, ``step``.

    Examples
    --------
    >>> from tsforecast.benchmark import resolve_datasets
    >>> d = resolve_datasets("airline")[0]
    >>> d.name, list(d.series), d.season_length, d.horizon, d.step
    ('airline', ['passengers'], 12, 18, 18)
    """
    items = named_items(
        datasets,
        "dataset",
        alone=lambda name: None,  # a bundled dataset
        type_error="datasets must be a dataset name, a list of names or a dict of name to data; got {value!r}.",
        name_error="dataset names must be strings; got {bad!r}. Pass user data as a dict name -> data.",
    )

    out = []
    for name, data in items:
        freq = None
        m = _per_dataset(season_length, name, "season_length", lambda v: v >= 1)
        if data is None:
            data, freq, bundled_m = _bundled(name)
            m = bundled_m if m is None else m
        series = _series_dict(name, data)
        if freq is None:
            freq = _index_freq(next(iter(series.values())))
        if m is None:
            m = season_length_from_freq(freq)
        h = _per_dataset(horizon, name, "horizon", lambda v: v >= 1)
        if h is None:
            h = default_horizon(freq)
            if h is None:
                raise ValueError(
                    f"dataset {name!r} has no known frequency to choose a default horizon from; pass horizon=."
                )
        st = _per_dataset(step, name, "step", lambda v: v >= 1)
        out.append(BenchmarkData(name=name, series=series, season_length=m, horizon=h, step=h if st is None else st))
    return out

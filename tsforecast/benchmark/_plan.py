"""The plan of a benchmark run: checked arguments, the folds of every series and the list of cells.

Work is split into *cells*, one per (dataset, series, model, fold). The
folds of a series are computed once, before any model is seen, so every
model is evaluated on exactly the same training/test splits.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np

from ..metrics import METRICS
from ._data import named_items
from ._leaderboard import KEY
from ._models import model_factory

__all__ = ["Cell", "check_metrics", "check_models", "check_positive_int", "check_executor", "result_columns",
           "plan"]

_TAIL = ["fit_seconds", "predict_seconds", "status", "error"]


@dataclass(frozen=True)
class Cell:
    """One (dataset, series, model, fold) evaluation."""

    dataset: str
    series: str
    model: str
    fold: int
    cut: int  # training size of the fold
    example: bool  # a prediction interval is kept for plots: first series of the dataset, last fold

    @property
    def key(self):
        return (self.dataset, self.series, self.model, self.fold)


def check_metrics(metrics):
    """The metric names, lower-cased, with sMAPE and MASE added for OWA."""
    if isinstance(metrics, str):
        metrics = [metrics]
    names = []
    for m in metrics:
        name = str(m).lower()
        if name not in METRICS and name != "owa":
            raise ValueError(f"unknown metric {m!r}; choose from {sorted(list(METRICS) + ['owa'])}.")
        if name == "owa":  # OWA is built from sMAPE and MASE, so they are reported too
            names += [n for n in ("smape", "mase") if n not in names]
        if name not in names:
            names.append(name)
    if not names:
        raise ValueError("metrics is empty; pass at least one metric, e.g. ('smape', 'mase', 'owa').")
    return names


def result_columns(metrics):
    """The columns of ``results.csv`` for these metrics."""
    extra = ["naive2_smape", "naive2_mase"] if "owa" in metrics else []
    return KEY + metrics + extra + _TAIL


def check_models(models):
    """``(factories, registry)``: name -> factory ``f(m, h)``, and name -> registry name for registry models."""
    items = named_items(
        models,
        "model",
        alone=lambda name: name,  # a registry model, made by model_factory
        type_error="models must be a dict name -> forecaster or a list of model names; got {value!r}.",
        name_error="a list of models must hold model names; got {bad!r}. Pass forecasters as a dict name -> forecaster.",
    )
    factories = {k: model_factory(v, k) for k, v in items}
    registry = {k: v for k, v in items if isinstance(v, str) and ":" not in v}
    return factories, registry


def check_positive_int(value, name, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be a positive int; got {value!r}.")
    return int(value)


def check_executor(n_jobs, time_limit):
    if n_jobs is not None and (isinstance(n_jobs, (bool, np.bool_)) or not isinstance(n_jobs, Integral) or n_jobs == 0):
        raise ValueError(f"n_jobs must be a non-zero int (-1 for all cores) or None; got {n_jobs!r}.")
    if time_limit is not None and (isinstance(time_limit, (bool, np.bool_)) or not isinstance(time_limit, Real)
                                   or not time_limit > 0):
        raise ValueError(f"time_limit must be a positive number of seconds or None; got {time_limit!r}.")


def _folds(data, n_windows):
    from ..model_selection import ExpandingWindowSplitter

    cv = ExpandingWindowSplitter(horizon=data.horizon, n_splits=n_windows, step=data.step,
                                 initial_window=data.season_length + 1)
    out = {}
    for name, y in data.series.items():
        try:
            out[name] = [int(train.size) for train, _ in cv.split(y)]
        except ValueError as exc:
            raise ValueError(
                f"dataset {data.name!r}, series {name!r}: {exc} (the first training part needs at least "
                f"season length + 1 = {data.season_length + 1} points); lower n_windows or horizon."
            ) from None
    return out


def plan(data, factories, n_windows):
    """The models of every dataset (built once, copied per cell) and the ordered list of cells."""
    estimators, cells = {}, []
    for d in data:
        folds = _folds(d, n_windows)
        for mname, factory in factories.items():
            try:
                estimators[d.name, mname] = factory(d.season_length, d.horizon)
            except (TypeError, ValueError) as exc:
                raise type(exc)(f"model {mname!r} for dataset {d.name!r}: {exc}") from exc
        for sidx, (sname, cuts) in enumerate(folds.items()):
            for mname in factories:
                for k, cut in enumerate(cuts):
                    cells.append(Cell(d.name, sname, mname, k, cut, sidx == 0 and k == len(cuts) - 1))
    return estimators, cells

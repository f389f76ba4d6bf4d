"""``run.json``: the settings of a run, written at its start and checked when it is resumed.

Models are recorded by what a user can rebuild them from: a registry model
by its registry name and parameters (``{"registry": "lstm", "params":
{...}}``), any other scikit-learn-style model by its class (as exported by
``tsforecast`` where it is) and parameters; nested estimators likewise.
Only parameters that differ from their defaults are listed (as in
scikit-learn's repr), so a parameter added by a later version does not
make an old run look changed. A model whose parameters have no
stable text (an object shown as ``<... at 0x...>``) is recorded as ``null``
and not checked on resume.
"""

from __future__ import annotations

import inspect
import json
import os

import numpy as np

from ._store import atomic_write_text

__all__ = ["model_record", "run_config", "write_run_config"]


class _NotReproducible(Exception):
    """A parameter value whose text changes from run to run."""


def _class_name(cls):
    """``tsforecast.Name`` for a class ``tsforecast`` exports, else ``module.QualName``."""
    if cls.__module__.startswith("tsforecast."):
        import tsforecast

        if getattr(tsforecast, cls.__name__, None) is cls:
            return f"tsforecast.{cls.__name__}"
    return f"{cls.__module__}.{cls.__qualname__}"


def _plain(value):
    """``value`` as JSON data: estimators as ``{"class", "params"}``, other objects as their repr."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, type):
        return _class_name(value)
    if hasattr(value, "get_params"):
        return {"class": _class_name(type(value)), "params": _params(value)}
    text = " ".join(repr(value).split())
    if " at 0x" in text:
        raise _NotReproducible(text)
    return text


def _params(est):
    """The parameters that differ from the class's defaults (as in scikit-learn's repr)."""
    try:
        signature = inspect.signature(type(est).__init__)
    except (TypeError, ValueError):  # pragma: no cover - builtins without a signature
        signature = None
    defaults = {} if signature is None else {
        k: p.default for k, p in signature.parameters.items() if p.default is not inspect.Parameter.empty}
    out = {}
    for k, v in sorted(est.get_params(deep=False).items()):
        if k in defaults and (v is defaults[k] or (type(v) is type(defaults[k]) and repr(v) == repr(defaults[k]))):
            continue
        out[k] = _plain(v)
    return out


def model_record(est, registry=None):
    """How ``run.json`` records a model (see the module docstring); ``None`` when it cannot.

    Examples
    --------
    >>> from tsforecast import NaiveForecaster
    >>> from tsforecast.benchmark._config import model_record
    >>> model_record(NaiveForecaster(horizon=3))
    {'class': 'tsforecast.NaiveForecaster', 'params': {'horizon': 3}}
    """
    if not hasattr(est, "get_params"):
        return None
    try:
        params = _params(est)
    except _NotReproducible:
        return None
    record = {"registry": registry} if registry is not None else {"class": _class_name(type(est))}
    record["params"] = params
    return json.loads(json.dumps(record))  # tuples as lists, exactly as read back on resume


def run_config(data, estimators, registry, n_windows, metrics):
    """The settings a run is checked against on resume."""
    return {
        "n_windows": n_windows,
        "metrics": metrics,
        "datasets": {d.name: {"horizon": d.horizon, "step": d.step, "season_length": d.season_length,
                              "series": list(d.series)} for d in data},
        "models": {m: {d.name: model_record(estimators[d.name, m], registry.get(m)) for d in data}
                   for m in dict.fromkeys(m for _, m in estimators)},
    }


def _refuse(message):
    raise ValueError(f"cannot resume: {message} Use another output folder or run without resume.")


def write_run_config(path, config, resume):
    """Write ``run.json``; on resume, refuse settings that differ from the recorded ones and merge the new."""
    if resume and os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            old = json.load(fh)
        for key in ("n_windows", "metrics"):
            if old.get(key) != config[key]:
                _refuse(f"the results in {os.path.dirname(path)} were made with {key}={old.get(key)!r}, "
                        f"this run has {key}={config[key]!r}.")
        for name, settings in config["datasets"].items():
            before = old.get("datasets", {}).get(name)
            if before is not None and before != settings:
                _refuse(f"dataset {name!r} was benchmarked with {before}, this run has {settings}.")
        for name, records in config["models"].items():
            for ds, record in records.items():
                before = old.get("models", {}).get(name, {}).get(ds)
                # a record of another layout (an older tsforecast wrote reprs) cannot be compared
                if before is not None and record is not None and type(before) is type(record) and before != record:
                    raise ValueError(
                        f"cannot resume: model {name!r} on dataset {ds!r} was {before}, this run has {record}. "
                        "Give the changed model another name, use another output folder or run without resume."
                    )
        merged = dict(old)
        merged["datasets"] = {**old.get("datasets", {}), **config["datasets"]}
        models = {k: dict(v) for k, v in old.get("models", {}).items()}
        for name, records in config["models"].items():
            models.setdefault(name, {}).update(records)
        merged["models"] = models
        config = merged
    atomic_write_text(path, json.dumps(config, indent=2, sort_keys=True) + "\n")

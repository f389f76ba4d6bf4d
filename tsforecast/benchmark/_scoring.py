"""Scoring of one cell: its metrics, and Naive2 on the same fold as the reference of OWA."""

from __future__ import annotations

import math

import numpy as np

from ..metrics import METRICS, owa

__all__ = ["naive2_reference", "score_cell"]


def naive2_reference(y_train, y_test, m):
    """``(sMAPE, MASE)`` of Naive2 fitted on ``y_train`` (NaN, NaN when it cannot be fitted)."""
    from ..forecasting.naive import Naive2Forecaster

    try:
        pred = Naive2Forecaster(seasonal_periods=m).fit(y_train).predict(y_test.size)
        return (METRICS["smape"](y_test, pred), METRICS["mase"](y_test, pred, y_train=y_train, m=m))
    except ValueError:
        return (math.nan, math.nan)


def score_cell(cell, out, y_train, y_test, m, metrics, ref):
    """The ``results.csv`` row of a cell from its outcome (see :func:`~tsforecast.benchmark.fit_predict`).

    A metric undefined for the data (MASE on a constant series) is NaN and
    noted in ``error``; OWA needs finite sMAPE/MASE and a positive
    reference ``ref`` (Naive2's sMAPE and MASE).
    """
    row = {"dataset": cell.dataset, "series": cell.series, "model": cell.model, "fold": cell.fold}
    row.update({name: math.nan for name in metrics})
    if "owa" in metrics:
        row["naive2_smape"], row["naive2_mase"] = ref
    row["fit_seconds"] = float(out["fit_seconds"])
    row["predict_seconds"] = float(out["predict_seconds"])
    if out["error"]:
        row["status"], row["error"] = "failed", out["error"]
        return row
    pred = np.asarray(out["forecast"], dtype=float)
    notes = []
    for name in metrics:
        if name == "owa":
            continue
        try:
            if name == "mase":
                row[name] = METRICS[name](y_test, pred, y_train=y_train, m=m)
            else:
                row[name] = METRICS[name](y_test, pred)
        except ValueError as exc:  # undefined for this data (e.g. MASE on a constant series)
            notes.append(f"{name} undefined: {exc}")
    if "owa" in metrics:
        vals = (row["smape"], row["mase"], *ref)
        if all(np.isfinite(v) for v in vals) and ref[0] > 0 and ref[1] > 0:
            row["owa"] = owa(*vals)
    row["status"], row["error"] = "ok", "; ".join(notes)
    return row

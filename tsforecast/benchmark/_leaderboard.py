"""Leaderboard of a benchmark: accuracy, rank, time and failures per model."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

__all__ = ["leaderboard", "load_results", "to_markdown", "typed_results", "METRIC_NAMES", "OVERALL", "KEY"]

#: metric columns a results table may hold, in display order
METRIC_NAMES = ("smape", "mase", "owa", "mae", "rmse", "mape")
#: the ``dataset`` label of the rows aggregated over all datasets
OVERALL = "overall"

#: the columns that identify a cell
KEY = ["dataset", "series", "model", "fold"]
_TEXT = {"dataset", "series", "model", "status", "error"}


def load_results(path):
    """Read a ``results.csv`` written by :func:`~tsforecast.benchmark.run` (a file or its folder).

    Returns
    -------
    DataFrame
        The tidy results in the order the cells finished (use ``sort_values``
        for another), with numbers parsed exactly as written.

    Examples
    --------
    >>> import tempfile
    >>> from tsforecast.benchmark import load_results, run
    >>> folder = tempfile.mkdtemp()
    >>> _ = run(["naive", "snaive"], "airline", horizon=12, n_windows=2, results=folder)
    >>> load_results(folder)[["model", "fold", "status"]]
        model  fold status
    0   naive     0     ok
    1   naive     1     ok
    2  snaive     0     ok
    3  snaive     1     ok
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        path = os.path.join(path, "results.csv")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return typed_results(df)


def typed_results(df):
    """A results table read as text, with its columns typed (fold int, text columns object, numbers float)."""
    df = df.copy()
    for col in df.columns:
        if col == "fold":
            df[col] = df[col].astype("int64")
        elif col in _TEXT:
            df[col] = df[col].astype(object)
        else:
            df[col] = pd.to_numeric(df[col].replace("", "nan"), errors="coerce").astype(float)
    return df


def _metric_columns(results):
    return [m for m in METRIC_NAMES if m in results.columns]


def _owa_m4(group):
    """M4's OWA of a model: mean sMAPE and MASE over its successful cells, each divided by
    Naive2's mean over the same cells, averaged."""
    ok = group[group["status"] == "ok"]
    ok = ok[np.isfinite(ok[["smape", "mase", "naive2_smape", "naive2_mase"]]).all(axis=1)]
    if ok.empty:
        return np.nan
    n2s, n2m = ok["naive2_smape"].mean(), ok["naive2_mase"].mean()
    if n2s <= 0 or n2m <= 0:
        return np.nan
    return float((ok["smape"].mean() / n2s + ok["mase"].mean() / n2m) / 2)


def _summarise(res, metrics, primary):
    rows = []
    for model, g in res.groupby("model", sort=False):
        ok = g[g["status"] == "ok"]
        row = {"model": model}
        for m in metrics:
            if m == "owa" and {"naive2_smape", "naive2_mase", "smape", "mase"} <= set(g.columns):
                row[m] = _owa_m4(g)
            else:
                row[m] = float(ok[m].mean()) if ok[m].notna().any() else np.nan
        row["mean_rank"] = float(g["rank"].mean()) if primary else np.nan
        row["fit_seconds"] = float(g["fit_seconds"].fillna(0).sum())
        row["n_cells"] = int(len(g))
        row["n_failed"] = int((g["status"] != "ok").sum())
        rows.append(row)
    return rows


def leaderboard(results, metric=None):
    """Per-dataset and overall summary of benchmark results.

    For each dataset, and over all datasets (``dataset == "overall"``),
    one row per model with:

    * the mean of each metric over the model's successful cells; ``owa``
      is M4's overall weighted average: the model's mean sMAPE and mean
      MASE each divided by Naive2's means over the same cells, averaged
      (below 1 beats Naive2);
    * ``mean_rank``: the model's rank among all models on each
      (dataset, series, fold) by the ranking metric (1 = best, ties
      averaged, a failed cell ranks last), averaged;
    * ``fit_seconds``: total fitting time; ``n_cells``; ``n_failed``.

    Rows are sorted by the ranking metric within each dataset.

    Parameters
    ----------
    results : DataFrame or path
        Output of :func:`~tsforecast.benchmark.run`, or a ``results.csv``
        (or the folder holding it).
    metric : str, optional
        The ranking metric; default ``"owa"`` if present, else the first
        metric column.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> from tsforecast.benchmark import run, leaderboard
    >>> res = run(["naive", "snaive"], "airline", horizon=12, n_windows=2)
    >>> leaderboard(res)[["dataset", "model", "owa", "n_failed"]].round(3)
       dataset   model    owa  n_failed
    0  airline  snaive  1.070         0
    1  airline   naive  1.871         0
    2  overall  snaive  1.070         0
    3  overall   naive  1.871         0
    """
    if not isinstance(results, pd.DataFrame):
        results = load_results(results)
    missing = [c for c in KEY + ["status", "fit_seconds"] if c not in results.columns]
    if missing:
        raise ValueError(f"results lack column(s) {missing}; pass the output of tsforecast.benchmark.run.")
    metrics = _metric_columns(results)
    if metric is None:
        metric = "owa" if "owa" in metrics else (metrics[0] if metrics else None)
    elif metric not in metrics:
        raise ValueError(f"metric {metric!r} is not in the results; they have {metrics}.")
    res = results.copy()
    if metric is not None:
        score = res[metric].where(res["status"] == "ok")
        res["rank"] = score.groupby([res["dataset"], res["series"], res["fold"]]).rank(
            method="average", na_option="bottom"
        )
    else:
        res["rank"] = np.nan
    frames = []
    datasets = list(dict.fromkeys(res["dataset"]))
    for name in datasets + [OVERALL]:
        part = res if name == OVERALL else res[res["dataset"] == name]
        rows = _summarise(part, metrics, metric)
        table = pd.DataFrame(rows)
        table.insert(0, "dataset", name)
        if metric is not None:
            table = table.sort_values([metric, "model"], na_position="last", kind="mergesort")
        frames.append(table)
    out = pd.concat(frames, ignore_index=True)
    return out


def to_markdown(df, floatfmt="{:.3f}"):
    """Render a DataFrame as a GitHub-flavoured Markdown table (no extra dependency).

    Parameters
    ----------
    df : DataFrame
        The table; its index is not written.
    floatfmt : str, default="{:.3f}"
        Format of float cells (NaN is written as an empty cell).

    Returns
    -------
    str
        The Markdown table, numeric columns right-aligned.

    Examples
    --------
    >>> import pandas as pd
    >>> from tsforecast.benchmark import to_markdown
    >>> print(to_markdown(pd.DataFrame({"model": ["theta", "naive"], "owa": [0.8, 1.25]})), end="")
    | model |   owa |
    |:------|------:|
    | theta | 0.800 |
    | naive | 1.250 |
    """

    def fmt(v):
        if isinstance(v, (float, np.floating)):
            return "" if np.isnan(v) else floatfmt.format(v)
        return str(v)

    cols = [str(c) for c in df.columns]
    body = [[fmt(v) for v in row] for row in df.itertuples(index=False)]
    widths = [max([len(c)] + [len(r[i]) for r in body]) for i, c in enumerate(cols)]
    numeric = [pd.api.types.is_numeric_dtype(df[c]) for c in df.columns]

    def line(cells):
        parts = [c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cells, widths, numeric)]
        return "| " + " | ".join(parts) + " |"

    sep = "|" + "|".join(("-" * (w + 1) + ":") if num else (":" + "-" * (w + 1)) for w, num in zip(widths, numeric)) + "|"
    return "\n".join([line(cols), sep] + [line(r) for r in body]) + "\n"

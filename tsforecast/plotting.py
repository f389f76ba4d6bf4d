"""Plots of forecasts and benchmark results (matplotlib, imported only when a function is called).

Each function draws on ``ax`` when given, else on a new figure, and returns
the Axes. matplotlib picks its non-interactive Agg backend by itself when
there is no display (a server, CI); :func:`figure` makes a figure that is
not managed by pyplot at all, for scripts that only save PNG files.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["plot_forecast", "plot_leaderboard", "plot_accuracy_vs_time", "figure"]


def figure(nrows=1, ncols=1, *, figsize=None, squeeze=True, **kwargs):
    """A new ``Figure`` and its axes, outside pyplot (no GUI backend, nothing to close).

    Save it with ``fig.savefig("out.png")``. Other keywords go to
    ``Figure.subplots`` (``sharey=True``...).

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : Axes or array of Axes

    Examples
    --------
    >>> from tsforecast.plotting import figure
    >>> fig, axes = figure(1, 2, figsize=(8, 3))
    >>> len(axes), fig.get_size_inches().tolist()
    (2, [8.0, 3.0])
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=squeeze, **kwargs)
    return fig, axes


def _new_axes(ax, figsize):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _x(index):
    """Values matplotlib can place on an x axis for a pandas index."""
    if isinstance(index, pd.PeriodIndex):
        return index.to_timestamp()
    return index


def _as_series(y, name):
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise ValueError(f"{name} must be one series; got a DataFrame with {y.shape[1]} columns.")
        y = y.iloc[:, 0]
    if not isinstance(y, pd.Series):
        arr = np.asarray(y, dtype=float)
        if arr.ndim != 1:
            raise ValueError(f"{name} must be 1-D; got shape {arr.shape}.")
        y = pd.Series(arr)
    return y


def plot_forecast(y, forecast, interval=None, ax=None, *, actual=None, last=None, label="forecast",
                  title=None, figsize=(8, 4)):
    """Plot a series, its forecast, a prediction interval and (optionally) the actual future values.

    Parameters
    ----------
    y : Series or 1-D array
        The observed series (the training part).
    forecast : Series or 1-D array
        The forecast. An array is placed right after ``y``.
    interval : DataFrame with ``lower``/``upper`` columns, or (lower, upper), optional
        Prediction interval (as returned by ``predict_interval``).
    ax : matplotlib Axes, optional
        Where to draw; default a new figure.
    actual : Series or 1-D array, optional
        The true values of the forecast period, drawn for comparison.
    last : int, optional
        Show only the last ``last`` points of ``y``.
    label : str
        Legend label of the forecast.
    title : str, optional
    figsize : tuple
        Size of a new figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from tsforecast import NaiveForecaster
    >>> from tsforecast.plotting import plot_forecast, figure
    >>> from tsforecast.datasets import load_airline
    >>> y = load_airline()
    >>> f = NaiveForecaster().fit(y[:-12])
    >>> fig, ax = figure()
    >>> ax = plot_forecast(y[:-12], f.predict(12), f.predict_interval(12), ax=ax, actual=y[-12:])
    >>> [line.get_label() for line in ax.get_lines()]
    ['observed', 'actual', 'forecast']
    """
    y = _as_series(y, "y")
    fc = _as_series(forecast, "forecast")
    if not isinstance(forecast, pd.Series):
        fc.index = _continue_index(y.index, len(fc))
    ax = _new_axes(ax, figsize)
    shown = y if last is None else y.iloc[-int(last):]
    ax.plot(_x(shown.index), shown.to_numpy(), color="0.25", lw=1.2, label="observed")
    if actual is not None:
        act = _as_series(actual, "actual")
        if not isinstance(actual, pd.Series):
            act.index = fc.index[: len(act)]
        ax.plot(_x(act.index), act.to_numpy(), color="0.25", lw=1.2, ls="--", marker=".", label="actual")
    line, = ax.plot(_x(fc.index), fc.to_numpy(), lw=1.6, label=label)
    if interval is not None:
        if isinstance(interval, pd.DataFrame):
            lower, upper = interval["lower"].to_numpy(float), interval["upper"].to_numpy(float)
        else:
            lower, upper = (np.asarray(v, dtype=float) for v in interval)
        if lower.shape != (len(fc),) or upper.shape != (len(fc),):
            raise ValueError(
                f"interval has {lower.size} lower and {upper.size} upper values; the forecast has {len(fc)}."
            )
        ax.fill_between(_x(fc.index), lower, upper, color=line.get_color(), alpha=0.2, lw=0, label="interval")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left", fontsize="small")
    return ax


def _continue_index(index, n):
    if isinstance(index, (pd.PeriodIndex, pd.DatetimeIndex)) and index.freq is not None:
        return pd.Index([index[-1] + k * index.freq for k in range(1, n + 1)])
    if len(index) and pd.api.types.is_integer_dtype(index):
        return pd.RangeIndex(int(index[-1]) + 1, int(index[-1]) + 1 + n)
    return pd.RangeIndex(len(index), len(index) + n)


def _check_columns(leaderboard, *columns):
    for col in columns:
        if col not in leaderboard.columns:
            raise ValueError(f"leaderboard has no column {col!r}; it has {list(leaderboard.columns)}.")


def _mark_naive2(ax, metric, *, vertical):
    """OWA is relative to Naive2: a dotted line at 1.0 marks it."""
    if metric == "owa":
        mark = ax.axvline if vertical else ax.axhline
        mark(1.0, color="0.3", ls=":", lw=1)


def _board_part(board, dataset):
    if "dataset" not in board.columns:
        return board
    if dataset is None:
        dataset = "overall" if (board["dataset"] == "overall").any() else board["dataset"].iloc[0]
    part = board[board["dataset"] == dataset]
    if part.empty:
        raise ValueError(f"no leaderboard rows for dataset {dataset!r}; it has {sorted(set(board['dataset']))}.")
    return part


def plot_leaderboard(leaderboard, metric="owa", ax=None, *, datasets=None, figsize=(8, 4.5)):
    """Horizontal bar chart of a leaderboard metric, one group of bars per model.

    Parameters
    ----------
    leaderboard : DataFrame
        Output of :func:`tsforecast.benchmark.leaderboard`.
    metric : str, default="owa"
        The column to plot (lower is better). For OWA a line marks Naive2 (1.0).
    ax : matplotlib Axes, optional
    datasets : list of str, optional
        The datasets shown as bars (default: all, with "overall").
    figsize : tuple

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from tsforecast.plotting import plot_leaderboard, figure
    >>> board = pd.DataFrame({"dataset": ["a", "a"], "model": ["x", "y"], "owa": [0.9, 1.1]})
    >>> fig, ax = figure()
    >>> len(plot_leaderboard(board, ax=ax).patches)
    2
    """
    _check_columns(leaderboard, metric)
    board = leaderboard if "dataset" in leaderboard.columns else leaderboard.assign(dataset=metric)
    if datasets is None:
        datasets = list(dict.fromkeys(board["dataset"]))
    ref = _board_part(board, "overall" if "overall" in datasets else datasets[-1])
    models = list(ref.sort_values(metric, ascending=False, na_position="first")["model"])
    ax = _new_axes(ax, figsize)
    height = 0.8 / len(datasets)
    ypos = np.arange(len(models))
    for k, ds in enumerate(datasets):
        part = board[board["dataset"] == ds].set_index("model")
        vals = [float(part[metric].get(m, np.nan)) for m in models]
        ax.barh(ypos + (k - (len(datasets) - 1) / 2) * height, vals, height=height, label=str(ds))
    ax.set_yticks(ypos, models)
    ax.set_xlabel(f"{metric} (lower is better)")
    _mark_naive2(ax, metric, vertical=True)
    if len(datasets) > 1:
        # outside the axes, right of them, so that it never covers a bar; the last dataset's bars are the
        # top ones of each group, so the legend lists the datasets top to bottom in the same order
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles[::-1], labels[::-1], fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  borderaxespad=0.0, frameon=False)
    return ax


def plot_accuracy_vs_time(leaderboard, metric="owa", time="fit_seconds", ax=None, *, dataset=None,
                          figsize=(6, 4.5)):
    """Scatter of accuracy against total fitting time, one labelled point per model.

    Parameters
    ----------
    leaderboard : DataFrame
        Output of :func:`tsforecast.benchmark.leaderboard`.
    metric : str, default="owa"
    time : str, default="fit_seconds"
        The time column (log scale).
    ax : matplotlib Axes, optional
    dataset : str, optional
        Which rows to show (default "overall").
    figsize : tuple

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from tsforecast.plotting import plot_accuracy_vs_time, figure
    >>> board = pd.DataFrame({"model": ["x", "y"], "owa": [0.9, 1.1], "fit_seconds": [2.0, 0.1]})
    >>> fig, ax = figure()
    >>> [t.get_text() for t in plot_accuracy_vs_time(board, ax=ax).texts]
    ['x', 'y']
    """
    _check_columns(leaderboard, metric, time)
    part = _board_part(leaderboard, dataset)
    ax = _new_axes(ax, figsize)
    secs = np.maximum(part[time].to_numpy(float), 1e-4)  # log scale: clamp zero times
    vals = part[metric].to_numpy(float)
    ax.scatter(secs, vals)
    for name, x, y in zip(part["model"], secs, vals):
        if np.isfinite(y):
            ax.annotate(str(name), (x, y), textcoords="offset points", xytext=(4, 4), fontsize="small")
    ax.set_xscale("log")
    ax.set_xlabel(f"{time.replace('_', ' ')} (total, log scale)")
    ax.set_ylabel(f"{metric} (lower is better)")
    _mark_naive2(ax, metric, vertical=False)
    ax.grid(alpha=0.3)
    return ax

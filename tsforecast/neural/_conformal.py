"""Split-conformal prediction intervals of ``LSTMForecaster``.

The most recent windows of each series are held out of training
(:func:`held_out_windows`); after training, the network forecasts them and
their absolute errors, divided by each window's scale, are pooled over
series per step ahead (:func:`calibration_residuals`). The interval for step
``h`` is the forecast ``± q_h * scale``, where ``q_h`` is the
``ceil((n + 1) * coverage) / n`` empirical quantile of the ``n`` held-out
errors at step ``h`` (:func:`interval_halfwidth`). When the series hold out
different numbers of windows (series of different lengths), each series
weighs the same in that quantile (:func:`conformal_quantile`): a forecast is
asked of every series once, so long series must not decide the width for all.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "calibration_residuals",
    "conformal_quantile",
    "held_out_windows",
    "interval_halfwidth",
    "short_series_residuals",
    "stratified_halfwidths",
]


def held_out_windows(starts, n_obs, window, horizon, n_outputs, fraction):
    """Training windows to keep and the starts of the held-out ones, for one series.

    Of the ``n_obs - window - horizon + 1`` windows with a full ``horizon`` of targets, the last
    ``ceil(fraction * n)`` are held out; so are the training windows (starting at ``starts``,
    with ``n_outputs`` targets) whose targets overlap the held-out targets, so that the
    held-out errors are out-of-sample. When that would leave no training window, nothing is
    held out.

    Returns
    -------
    keep : ndarray of bool or None
        Which of ``starts`` stay in training (``None``: all, nothing is held out).
    held_out : ndarray of int
        Starts of the held-out windows (empty when nothing is held out).
    """
    n_full = n_obs - window - horizon + 1
    n_val = 0
    if fraction > 0 and n_full > 0:
        n_val = min(math.ceil(fraction * n_full), n_full)
    if not n_val:
        return None, np.arange(0)
    first = n_full - n_val
    keep = starts <= first - n_outputs
    if not keep.any():  # holding out would leave this series no training window: it trains on all of them
        return None, np.arange(0)
    return keep, np.arange(first, n_full)


def calibration_residuals(forecaster, held_out):
    """Scaled absolute errors ``(n_held_out, horizon)`` of the held-out windows of every series.

    ``held_out`` lists, per series, ``(values, transformed values, exogenous rows, (mean, sd),
    starts)``; all windows are forecast in one batch by the fitted ``forecaster``. Each error is
    divided by its window's scale (the series' scale too with ``normalize="series"``).
    """
    f = forecaster
    w, H, d = f.window_, f.horizon, f.difference_
    s = f._out_len
    extra = 0 if f.strategy_ == "multioutput" else H - 1
    zw, exog, truth, mu, sd, last = [], [], [], [], [], []
    for v, z, E, (m, sdev), starts in held_out:
        zw.append(z[starts[:, None] + np.arange(w)])
        if E is not None:
            exog.append(E[starts[:, None] + s + np.arange(w + extra)])
        truth.append(v[starts[:, None] + w + d + np.arange(H)])
        last.append(v[starts + w - 1 + d] if d else np.zeros(starts.size))
        mu.append(np.full(starts.size, m))
        sd.append(np.full(starts.size, sdev))
    mu, sd, last = np.concatenate(mu), np.concatenate(sd), np.concatenate(last)
    zhat, scale = f._forecast(np.concatenate(zw), np.concatenate(exog) if exog else None, H)
    levels = f._to_levels(zhat, mu[:, None], sd[:, None], last[:, None])
    series_scale = sd if f._centring == "series" else 1.0
    return np.abs(np.concatenate(truth) - levels) / (scale * series_scale)[:, None]


def short_series_residuals(forecaster, series):
    """Scaled absolute errors ``(n_series, horizon)`` of the last window of each short series of a panel.

    ``series`` lists ``(values, exogenous rows or None)`` of series too short for a training window: the
    fitted ``forecaster`` forecasts each one's last ``horizon`` values from the values before them, the
    input window padded at its start as ``predict`` pads it; errors are scaled as in
    :func:`calibration_residuals`.
    """
    f = forecaster
    H = f.horizon
    states, futures, truth = [], [], []
    for v, x in series:
        head = v[:-H]
        z, E, moments = f._transform(head, None if x is None else x[:-H])
        Eshift = None if E is None else f._shift_exog(E, z.size)
        states.append(f._last_window(head, z, E, Eshift, moments)[1])
        futures.append(None if x is None else x[-H:])  # the known exogenous rows of the forecast steps
        truth.append(v[-H:])
    levels, scale = f._forecast_states(states, futures, H)
    return np.abs(np.stack(truth) - levels) / scale[:, None]


def conformal_quantile(residuals, coverage, groups=None):
    """Per-column conformal quantile ``(n_columns,)`` of the calibration ``residuals`` (rows).

    Without ``groups`` (or when every group has as many rows) it is the ``ceil((n + 1) * coverage) / n``
    empirical quantile of the ``n`` rows. ``groups`` gives each row's series: each series then weighs
    the same (its rows ``1 / n_rows`` each), ``n`` becomes the effective number of rows
    ``(sum w)^2 / sum w^2``, and the quantile is the smallest residual whose cumulative weight reaches
    that level. When ``n`` is too small for the level (``(n + 1) * coverage > n``), the half width is at
    least :func:`few_errors_quantile`'s.
    """
    residuals = np.asarray(residuals, dtype=np.float64)
    n = residuals.shape[0]
    counts = None if groups is None else np.bincount(np.asarray(groups))[np.asarray(groups)]
    if counts is None or np.all(counts == counts[0]):
        w, n_eff = np.full(n, 1.0 / n), float(n)
        level = min(math.ceil((n + 1) * coverage) / n, 1.0)
        q = np.quantile(residuals, level, axis=0, method="higher")
    else:
        w = 1.0 / counts
        w = w / w.sum()
        n_eff = 1.0 / float(np.sum(w**2))
        level = min(math.ceil((n_eff + 1) * coverage) / n_eff, 1.0)
        order = np.argsort(residuals, axis=0, kind="stable")
        cum = np.cumsum(w[order], axis=0)
        first = np.argmax(cum >= level - 1e-12, axis=0)  # the first row reaching the level (the last if rounding)
        first = np.where(cum[-1] >= level - 1e-12, first, n - 1)
        cols = np.arange(residuals.shape[1])
        q = residuals[order[first, cols], cols]
    if (n_eff + 1) * coverage > n_eff + 1e-9:  # too few errors: the empirical level is past the largest one
        q = np.maximum(q, few_errors_quantile(residuals, w, n_eff, coverage))
    return q


def few_errors_quantile(residuals, weights, n_eff, coverage):
    """Per-column half width from too few held-out errors for an empirical ``coverage`` quantile.

    With ``n`` errors the split-conformal quantile needs ``(n + 1) * coverage <= n`` (9 errors for 90%);
    below that it would be the largest error, which covers only about ``n / (n + 1)`` of new errors.
    Instead the errors are taken as draws of a zero-mean normal: the half width is their (weighted)
    root mean square times Student's t quantile with ``n`` degrees of freedom (the spread of a new error
    relative to one estimated from ``n``). :func:`conformal_quantile` keeps the larger of this and
    the largest error.
    """
    from scipy.stats import t

    top = np.max(np.abs(residuals), axis=0)
    unit = np.where(top > 0, top, 1.0)  # squares relative to the largest error: no underflow at 1e-300
    rms = unit * np.sqrt(np.sum(weights[:, None] * (residuals / unit) ** 2, axis=0))
    return rms * float(t.ppf(0.5 + coverage / 2, df=max(n_eff, 1.0)))


def interval_halfwidth(residuals, steps, coverage, scales, horizon, groups=None):
    """Half widths ``(n_series, len(steps))`` of the conformal intervals.

    ``residuals`` are the calibration residuals (``None`` when nothing was held out), ``groups``
    the series of each (see :func:`conformal_quantile`), ``scales`` the scale of each series'
    last window.
    """
    if residuals is None:
        raise ValueError(
            "prediction intervals are calibrated on held-out windows, but this model was fitted with "
            "validation_fraction=0 (or series too short to hold windows out); refit with "
            "validation_fraction > 0."
        )
    top = int(np.max(steps))
    if top > horizon:
        raise ValueError(
            f"prediction intervals are calibrated up to horizon={horizon} steps; got a step of {top}."
        )
    q = conformal_quantile(residuals, coverage, groups)  # (horizon,)
    return q[steps - 1][None, :] * scales[:, None]


def stratified_halfwidths(residuals, steps, coverage, horizon, groups, strata, row_strata=None):
    """Half widths ``(n_series, len(steps))`` with each stratum of series calibrated on its own errors.

    Group-conditional ("Mondrian") split conformal: ``strata`` (n_series,) labels each fitted series
    (e.g. 1 for the short series of a panel, 0 for the others) and ``groups`` the series of each
    held-out row; the half widths of a stratum are :func:`interval_halfwidth`'s on that stratum's rows
    only, so coverage holds within each stratum. A stratum without held-out rows uses all rows.
    ``row_strata`` gives each row's stratum when ``groups`` are not positions in ``strata``.
    """
    if residuals is None:
        return interval_halfwidth(None, steps, coverage, np.ones(1), horizon)  # raises the explanation
    strata = np.asarray(strata)
    groups = np.zeros(len(residuals), dtype=np.int64) if groups is None else np.asarray(groups)
    row_strata = strata[groups] if row_strata is None else np.asarray(row_strata)
    out = np.empty((strata.size, len(steps)))
    for s in np.unique(strata):
        rows = row_strata == s if np.any(row_strata == s) else np.ones(len(residuals), dtype=bool)
        g = np.unique(groups[rows], return_inverse=True)[1]
        out[strata == s] = interval_halfwidth(residuals[rows], steps, coverage, np.ones(1), horizon, g)[0]
    return out

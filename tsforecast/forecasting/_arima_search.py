"""The automatic order search of auto ARIMA (Hyndman & Khandakar, 2008; R's ``auto.arima``).

:func:`search_orders` chooses the differences with the unit-root tests of
:mod:`._unit_root`, then the ARMA orders and the constant by a stepwise (or
exhaustive) search over candidates fitted by :func:`._arma_fit.fit_candidate`
on the differenced series. The estimator (:mod:`.arima`) puts the choice on
the undifferenced series.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._arma_fit import Fit, Spec, fit_candidate
from ._unit_root import difference, is_constant, ndiffs, nsdiffs

__all__ = ["Choice", "Ranking", "choose_orders", "lags_distinct", "rank_orders", "search_orders"]

_N_REFIT = 3  # CSS-ranked candidates refitted by exact maximum likelihood


class Choice(NamedTuple):
    """The model a search chose, with parameters in SARIMAX's layout on the differenced series."""

    order: tuple
    seasonal: tuple  # (P, D, Q)
    trend: str
    params: np.ndarray
    n_models: int


def lags_distinct(p, q, P, Q, m):
    """SARIMAX rejects a lag present in both the non-seasonal and the seasonal polynomial."""
    return m < 2 or ((p < m or P == 0) and (q < m or Q == 0))


class Ranking(NamedTuple):
    """The candidates of one search, best first, before the final choice (see :func:`rank_orders`)."""

    fits: list  # fitted candidates with a finite criterion, best first
    d: int
    D: int
    exact: bool  # whether the criteria are exact-likelihood ones (else CSS, refitted by choose_orders)
    fit: object  # fit(spec, *, exact, start=None, check_roots=True) on the same differenced series
    n_models: int


def search_orders(y, X, m, **kwargs):
    """Choose the orders and the constant of an ARIMA for ``y`` (see :class:`~.arima.ARIMAForecaster`).

    ``y`` (and ``X``) are in the units the candidates are fitted in; the
    keyword arguments are those of :func:`rank_orders`. Returns a
    :class:`Choice`.
    """
    return choose_orders(rank_orders(y, X, m, **kwargs))


def rank_orders(
    y,
    X,
    m,
    *,
    trend,
    criterion,
    min_root,
    max_p,
    max_q,
    max_P,
    max_Q,
    max_d,
    max_D,
    max_order,
    stepwise,
    approximation,
    d=None,
):
    """Differences and the stepwise (or exhaustive) search of the ARMA orders and the constant.

    The keyword arguments are the estimator's parameters of the same names
    (``criterion`` is its ``information_criterion``); ``d`` fixes the number
    of first differences instead of testing for it (and then takes no
    seasonal difference). Returns a
    :class:`Ranking`, which :func:`choose_orders` turns into the model.
    """
    n = y.size
    seasonal = m > 1 and n > 2 * m  # seasonal ARMA terms need two seasons (R)
    if d is None:
        # regression residuals for the unit-root tests when X is given
        if X is not None:
            A = np.column_stack([np.ones(n), X])
            resid = y - A @ np.linalg.lstsq(A, y, rcond=None)[0]
        else:
            resid = y
        D = nsdiffs(resid, m, max_D=max_D) if seasonal else 0
        d = ndiffs(difference(resid, 0, D, m), max_d=max_d)
    else:
        D = 0
    w = difference(y, d, D, m)
    Z = None if X is None else difference(X, d, D, m)
    nstar = w.size
    if nstar < 3:
        d, D = 0, 0
        w, Z, nstar = y, X, n
    # orders limited by the length, as in R
    max_p = min(max_p, nstar // 3)
    max_q = min(max_q, nstar // 3)
    max_P = min(max_P, nstar // 3 // m) if seasonal else 0
    max_Q = min(max_Q, nstar // 3 // m) if seasonal else 0
    if trend is None:
        consts = (True, False) if d + D <= 1 else (False,)
    else:
        consts = (trend == "c",)

    def fit(spec, *, exact, start=None, check_roots=True):
        return fit_candidate(
            w, Z, spec, m, nstar, criterion=criterion, min_root=min_root, exact=exact, start=start,
            check_roots=check_roots, banded=True,
        )

    if is_constant(w) and Z is None:
        const = bool(consts[0] and w[0] != 0)
        c = float(w[0]) if const else None
        scale = max(float(np.abs(y).max()), 1.0)
        params = np.r_[[c] if const else [], (1e-8 * scale) ** 2]
        return Ranking([Fit(Spec(0, 0, 0, 0, const), -np.inf, params)], d, D, True, fit, 1)

    if approximation == "auto":
        approximation = n > 150 or m > 12
    exact_search = not approximation
    cache: dict = {}

    def evaluate(p, q, P, Q, const):
        if not lags_distinct(p, q, P, Q, m):
            return np.inf  # not representable in SARIMAX
        spec = Spec(p, q, P, Q, const)
        if spec.key() not in cache:
            cache[spec.key()] = fit(spec, exact=exact_search)
        found = cache[spec.key()]
        return np.inf if found is None else found.ic

    if stepwise:
        _stepwise(evaluate, max_p, max_q, max_P, max_Q, consts, m > 1 and seasonal)
    else:
        for p in range(max_p + 1):
            for q in range(max_q + 1):
                for P in range(max_P + 1):
                    for Q in range(max_Q + 1):
                        if p + q + P + Q <= max_order:
                            for c in consts:
                                evaluate(p, q, P, Q, c)

    ranked = sorted((f for f in cache.values() if f is not None and np.isfinite(f.ic)), key=lambda f: f.ic)
    if not ranked:
        only = fit(Spec(0, 0, 0, 0, consts[0]), exact=True, check_roots=False)
        if only is None:
            raise ValueError("no ARIMA model could be fitted to this series.")
        return Ranking([only], d, D, exact_search, fit, len(cache))  # refitted, as any CSS candidate
    return Ranking(ranked, d, D, exact_search, fit, len(cache))


def choose_orders(ranking):
    """The :class:`Choice` of a :class:`Ranking`: its best candidate, by exact likelihood."""
    best = ranking.fits[0] if ranking.exact else _refit_exact(ranking.fits, ranking.fit)
    s = best.spec
    d, D = ranking.d, ranking.D
    return Choice((s.p, d, s.q), (s.P, D, s.Q), "c" if s.const else "n", best.params, ranking.n_models)


def _refit_exact(ranked, fit):
    """Refit the best CSS-ranked candidates by exact ML and return the best exact one."""
    exact = []
    for f in ranked[:_N_REFIT]:
        e = fit(f.spec, exact=True, start=f.params)
        if e is not None and np.isfinite(e.ic):
            exact.append(e)
    if not exact:  # R: try further candidates until one fits
        for f in ranked[_N_REFIT:]:
            e = fit(f.spec, exact=True, start=f.params)
            if e is not None and np.isfinite(e.ic):
                exact.append(e)
                break
    if not exact:
        e = fit(ranked[0].spec, exact=True, check_roots=False)
        if e is None:
            raise ValueError("no ARIMA model could be fitted to this series by maximum likelihood.")
        exact.append(e)
    return min(exact, key=lambda f: f.ic)


def _stepwise(evaluate, max_p, max_q, max_P, max_Q, consts, seasonal, max_models=94):
    """Hyndman-Khandakar stepwise search; ``evaluate`` caches and returns the criterion."""
    P0 = min(1, max_P) if seasonal else 0
    Q0 = min(1, max_Q) if seasonal else 0
    const0 = consts[0]
    starts = [
        (min(2, max_p), min(2, max_q), P0, Q0, const0),
        (0, 0, 0, 0, const0),
        (min(1, max_p), 0, P0, 0, const0),
        (0, min(1, max_q), 0, Q0, const0),
    ]
    if len(consts) > 1:
        starts.append((0, 0, 0, 0, consts[1]))
    best, best_ic = None, np.inf
    visited = set()
    for s in starts:
        if s in visited:
            continue
        visited.add(s)
        ic = evaluate(*s)
        if best is None or ic < best_ic:
            best, best_ic = s, ic
    n_eval = len(visited)
    improved = True
    while improved and n_eval < max_models:
        improved = False
        p, q, P, Q, c = best
        moves = []
        if seasonal:
            moves += [(0, 0, -1, 0), (0, 0, 0, -1), (0, 0, 1, 0), (0, 0, 0, 1),
                      (0, 0, -1, -1), (0, 0, -1, 1), (0, 0, 1, -1), (0, 0, 1, 1)]
        moves += [(-1, 0, 0, 0), (0, -1, 0, 0), (1, 0, 0, 0), (0, 1, 0, 0),
                  (-1, -1, 0, 0), (-1, 1, 0, 0), (1, -1, 0, 0), (1, 1, 0, 0)]
        cands = [(p + a, q + b, P + e, Q + f, c) for a, b, e, f in moves]
        if len(consts) > 1:
            cands.append((p, q, P, Q, not c))
        for cand in cands:
            cp, cq, cP, cQ, _ = cand
            if not (0 <= cp <= max_p and 0 <= cq <= max_q and 0 <= cP <= max_P and 0 <= cQ <= max_Q):
                continue
            if cand in visited:  # worse than the current best already
                continue
            visited.add(cand)
            ic = evaluate(*cand)
            n_eval += 1
            if ic < best_ic:
                best, best_ic = cand, ic
                improved = True
                break
            if n_eval >= max_models:
                break
    return best

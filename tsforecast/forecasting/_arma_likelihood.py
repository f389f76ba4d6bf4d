"""Exact Gaussian likelihood of a stationary (seasonal) ARMA by a banded Cholesky factor.

The auto ARIMA search fits many candidates by exact maximum likelihood; with
statsmodels' Kalman filter each likelihood evaluation costs one pass of a
Python-driven filter over states of dimension up to ``p + P m``. This module
computes the same likelihood (Ansley, 1979): the values ``x_t`` of the ARMA
are replaced by ``x_1..x_p*`` (``p* = p + P m``) and ``z_t = phi*(B) x_t``
for ``t > p*``, a transformation with unit Jacobian, whose covariance matrix
is banded (bandwidth ``max(p* - 1, q + Q m)``); LAPACK's banded Cholesky
(``dpbtrf``/``dpbtrs``) then gives the determinant and the quadratic form in
``O(n b^2)`` compiled operations.

:func:`ml_fit` maximises it along the same path as statsmodels'
``SARIMAX(..., concentrate_scale=True).fit(method="lbfgs")`` (same parameter
transformation, objective ``-llf / n``, L-BFGS with a forward-difference
gradient of step 1e-5), so the estimates agree with statsmodels' to the
optimiser's tolerance; ``tests/test_arima.py`` compares the two.

Reference: C. F. Ansley (1979), "An algorithm for the exact likelihood of a
mixed autoregressive-moving average process", Biometrika 66(1), 59-65.
"""

from __future__ import annotations

import math

import numpy as np

from ._arma_fit import _ar_poly, _ma_poly

__all__ = ["arma_loglike", "ml_fit"]

_LOG_2PI = math.log(2.0 * math.pi)


def _lag_polys(ar, ma, sar, sma, m):
    """``(a, t)``: AR coefficients of phi*(B) = 1 - a_1 B - ... and MA coefficients t_0=1, t_1, ... of theta*(B)."""
    return -_ar_poly(ar, sar, m)[1:], _ma_poly(ma, sma, m)


class _Band:
    """Index arrays of the banded covariance for AR degree ``p``, MA degree ``r``, length ``n`` (one per model)."""

    def __init__(self, p, r, n):
        self.p, self.r, self.n = p, r, n
        self.b = b = max(p - 1, r, 0)
        d = np.arange(b + 1)[:, None]
        self.inside = np.arange(n)[None, :] + d < n  # band entries within the matrix
        # gamma equations: flat positions of -a_i in the (p+1, p+1) matrix (k, |k - i|)
        k, i = np.meshgrid(np.arange(p + 1), np.arange(1, p + 1), indexing="ij")
        self.a_pos = (k * (p + 1) + np.abs(k - i)).ravel()
        self.a_idx = (i - 1).ravel()
        # columns s < p of the x block: gamma(d) inside the block, g_d across it
        s = np.arange(min(p, n))[None, :]
        self.x_cols = s.size
        self.within = s + d < p
        self.x_inside = s + d < n
        self.d = np.broadcast_to(d, self.within.shape)
        self.impulse = np.zeros(r + 1)
        self.impulse[0] = 1.0


def _banded_covariance(a, t, n, band=None):
    """Lower banded storage (LAPACK ``ab``) of the covariance of ``(x_1..x_p*, z_p*+1..z_n)``, unit variance."""
    from scipy.signal import lfilter

    p, r = a.size, t.size - 1
    if band is None:
        band = _Band(p, r, n)
    b = band.b
    # MA(r) autocovariances of z: c_d = sum_l t_l t_{l+d}, in the band of the z block
    c = np.zeros(b + 1)
    c[: r + 1] = np.correlate(t, t, "full")[r:]
    ab = np.where(band.inside, c[:, None], 0.0)
    if p == 0:
        return ab
    # psi weights of x (MA(inf) form) up to lag r, and g_d = sum_{l>=d} t_l psi_{l-d} = Cov(x_i, z_{i+d})
    psi = lfilter(t, np.concatenate(([1.0], -a)), band.impulse)
    g = np.zeros(max(b, p) + 1)
    g[: r + 1] = np.correlate(t, psi, "full")[r:]
    # autocovariances gamma(0..p) of x: gamma(k) - sum_i a_i gamma(|k-i|) = g_k
    A = np.bincount(band.a_pos, weights=-a[band.a_idx], minlength=(p + 1) ** 2).reshape(p + 1, p + 1)
    A[np.diag_indices(p + 1)] += 1.0
    gamma = np.zeros(max(b, p) + 1)
    gamma[: p + 1] = np.linalg.solve(A, g[: p + 1])
    block = np.where(band.within, gamma[band.d], g[band.d])
    ab[:, : band.x_cols] = np.where(band.x_inside, block, 0.0)
    return ab


def arma_loglike(x, a, t, band=None):
    """Concentrated exact log-likelihood of a zero-mean ARMA series ``x``.

    Parameters
    ----------
    x : ndarray of shape (n,)
    a : ndarray
        AR coefficients ``a_i`` of ``x_t = sum a_i x_{t-i} + ...`` (the
        seasonal product, see :func:`_lag_polys`).
    t : ndarray
        MA polynomial ``1, t_1, ...``.
    band : _Band, optional
        Index arrays for these degrees and length (saves rebuilding them).

    Returns
    -------
    (llf, sigma2) : the log-likelihood at the innovation variance ``sigma2``
    that maximises it, or ``(-inf, nan)`` when the covariance is not
    positive definite (a non-stationary ``a``).
    """
    from scipy.linalg.lapack import dpbtrf, dpbtrs

    n = x.size
    p = a.size
    z = x.copy()
    if p:
        z[p:] = x[p:] - np.convolve(x, a)[p - 1 : n - 1]
    ab = _banded_covariance(a, t, n, band)
    L, info = dpbtrf(ab, lower=1)
    if info != 0:
        return -np.inf, np.nan
    sol, info = dpbtrs(L, z, lower=1)
    if info != 0:
        return -np.inf, np.nan
    q = float(z @ sol)
    if not (q > 0 and np.isfinite(q)):
        return -np.inf, np.nan
    logdet = 2.0 * float(np.sum(np.log(L[0])))
    sigma2 = q / n
    return -0.5 * (n * (_LOG_2PI + math.log(sigma2) + 1.0) + logdet), sigma2


class _Model:
    """Regression on ``[1, Z]`` with seasonal ARMA errors, in SARIMAX's parameter layout (scale concentrated)."""

    def __init__(self, w, Z, p, q, P, Q, const, m):
        self.w, self.Z, self.m = w, Z, m
        bounds = np.cumsum((0, int(const), 0 if Z is None else Z.shape[1], p, q, P, Q))
        self.pieces = list(zip(bounds[:-1], bounds[1:]))
        self.const = const
        p_star, r = p + P * m, q + Q * m
        self.band = _Band(p_star, r, w.size)

    def split(self, params):
        return [params[a:b] for a, b in self.pieces]

    def transform(self, u):
        from statsmodels.tsa.statespace.tools import constrain_stationary_univariate as con

        c, beta, ar, ma, sar, sma = self.split(u)
        return np.concatenate((c, beta, con(ar) if ar.size else ar, -con(ma) if ma.size else ma,
                               con(sar) if sar.size else sar, -con(sma) if sma.size else sma))

    def untransform(self, params):
        from statsmodels.tsa.statespace.tools import unconstrain_stationary_univariate as unc

        c, beta, ar, ma, sar, sma = self.split(np.asarray(params, float))
        return np.r_[c, beta, unc(ar) if ar.size else ar, unc(-ma) if ma.size else ma,
                     unc(sar) if sar.size else sar, unc(-sma) if sma.size else sma]

    def loglike(self, params):
        """``(llf, sigma2)`` at constrained ``params`` (no variance)."""
        c, beta, ar, ma, sar, sma = self.split(params)
        a, t = _lag_polys(ar, ma, sar, sma, self.m)
        x = self.w if self.Z is None else self.w - self.Z @ beta
        if self.const:
            x = x - c[0] / (1.0 - a.sum())  # SARIMAX's intercept c = phi*(1) * mean
        return arma_loglike(x, a, t, self.band)


def ml_fit(w, Z, p, q, P, Q, const, m, start, maxiter):
    """Exact ML fit of the ARMA errors of ``w`` on ``[1, Z]``, started from ``start``.

    ``start`` is in SARIMAX's layout without the variance (stationary and
    invertible). Returns ``(params, llf)`` with the variance appended to the
    parameters, or ``None`` when the optimisation fails.
    """
    from scipy.optimize import fmin_l_bfgs_b

    model = _Model(w, Z, p, q, P, Q, const, m)
    n = w.size

    def objective(u):
        llf, _ = model.loglike(model.transform(u))
        return -llf / n if np.isfinite(llf) else np.inf

    u = model.untransform(start)
    if u.size:
        with np.errstate(all="ignore"):
            u = fmin_l_bfgs_b(objective, u, approx_grad=True, epsilon=1e-5, maxiter=maxiter,
                              bounds=[(None, None)] * u.size)[0]
    params = model.transform(u)
    llf, sigma2 = model.loglike(params)
    if not np.isfinite(llf) or not np.all(np.isfinite(params)):
        return None
    return np.r_[params, sigma2], float(llf)

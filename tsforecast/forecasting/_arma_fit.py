"""Fitting one stationary (seasonal) ARMA candidate of the ARIMA search.

Every candidate is fitted on the already differenced series ``w`` (with
differenced regressors ``Z``), either by conditional sum of squares (a
vectorised filter in NumPy and SciPy, a few milliseconds per model) or by
exact maximum likelihood (started from the CSS estimates, the variance
concentrated out of the likelihood): statsmodels' ``SARIMAX`` for explicit
orders, and for the search the same likelihood by a banded Cholesky factor
(:mod:`._arma_likelihood`, 3-10 times faster per evaluation), maximised
along statsmodels' path. Parameters are in SARIMAX's layout:
``[const, beta, ar, ma, sar, sma, sigma2]``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._criteria import information_criterion
from ._statsmodels import quiet

__all__ = ["Spec", "Fit", "fit_candidate", "sarimax", "seasonal_order", "constrain", "unconstrain"]

_MAXITER = 100  # L-BFGS iterations of an exact ML fit (started from CSS estimates)


@dataclass(frozen=True)
class Spec:
    """Orders ``(p, q)(P, Q)`` of a stationary ARMA and whether it has a constant."""

    p: int
    q: int
    P: int
    Q: int
    const: bool

    def key(self):
        return (self.p, self.q, self.P, self.Q, self.const)


@dataclass
class Fit:
    """A fitted candidate: its spec, criterion (``inf`` when rejected) and parameters."""

    spec: Spec
    ic: float
    params: np.ndarray  # SARIMAX's layout: [const, beta, ar, ma, sar, sma, sigma2]


# ------------------------------------------------------------ ARMA polynomials
def constrain(u):
    """Map unconstrained values to the coefficients of a stationary AR polynomial.

    Partial autocorrelations ``r = u / sqrt(1 + u^2)`` in (-1, 1) turned into
    AR coefficients by the Durbin-Levinson recursion (Monahan, 1984).
    """
    r = u / np.sqrt(1.0 + u * u)
    phi = np.empty(r.size)
    for k in range(r.size):  # (the CSS search calls this ~10^5 times: no concatenation)
        if k:
            phi[:k] = phi[:k] - r[k] * phi[k - 1 :: -1]
        phi[k] = r[k]
    return phi


def unconstrain(phi):
    """Inverse of :func:`constrain` (for stationary ``phi``)."""
    phi = np.asarray(phi, dtype=float).copy()
    p = phi.size
    r = np.empty(p)
    for k in range(p - 1, -1, -1):
        rk = float(np.clip(phi[k], -0.9999, 0.9999))
        r[k] = rk
        if k == 0:
            break
        prev = (phi[:k] + rk * phi[:k][::-1]) / (1.0 - rk * rk)
        phi = prev
    r = np.clip(r, -0.9999, 0.9999)
    return r / np.sqrt(1.0 - r * r)


def _ar_poly(ar, sar, m):
    """Coefficients of phi(B) * Phi(B^m) (lag 0 first), AR terms with minus sign."""
    a = np.concatenate(([1.0], -np.asarray(ar, float)))
    if len(sar):
        s = np.zeros(m * len(sar) + 1)
        s[0] = 1.0
        s[m::m] = -np.asarray(sar, float)
        a = np.convolve(a, s)
    return a


def _ma_poly(ma, sma, m):
    """Coefficients of theta(B) * Theta(B^m) (lag 0 first)."""
    b = np.concatenate(([1.0], np.asarray(ma, float)))
    if len(sma):
        s = np.zeros(m * len(sma) + 1)
        s[0] = 1.0
        s[m::m] = np.asarray(sma, float)
        b = np.convolve(b, s)
    return b


def _min_root_ok(coefs, sign, min_root):
    """Whether the polynomial 1 + sign*sum(c_i B^i) has all roots of modulus above ``min_root``."""
    c = np.asarray(coefs, float)
    if c.size == 0 or not np.any(c):
        return True
    last = np.max(np.nonzero(c)[0]) + 1
    poly = np.r_[1.0, sign * c[:last]]
    roots = np.roots(poly[::-1])
    return bool(np.all(np.abs(roots) > min_root))


def _split(values, sizes):
    """Consecutive pieces of ``values`` with the given sizes."""
    bounds = np.cumsum((0,) + tuple(sizes))
    return [values[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def _roots_ok(params, spec, k_ex, m, min_root):
    """R's check: AR and MA roots (each polynomial) at least ``min_root`` from the origin."""
    start = int(spec.const) + k_ex
    ar, ma, sar, sma = _split(params[start:], (spec.p, spec.q, spec.P, spec.Q))
    return all(_min_root_ok(c, sign, min_root) for c, sign in ((ar, -1), (ma, 1), (sar, -1), (sma, 1)))


# ------------------------------------------------------------------- CSS fit
def _css_fit(w, Z, spec, m):
    """Conditional-sum-of-squares fit of a multiplicative seasonal ARMA.

    Returns ``(params, sigma2)`` with ``params`` in SARIMAX's layout, or
    ``None`` when the model cannot be fitted.
    """
    from scipy.optimize import least_squares
    from scipy.signal import lfilter

    p, q, P, Q, const = spec.p, spec.q, spec.P, spec.Q, spec.const
    n = w.size
    k_ex = 0 if Z is None else Z.shape[1]
    ncond = p + P * m
    n_par = int(const) + k_ex + p + q + P + Q
    if n - ncond <= n_par + 1:
        return None
    # starting values: regression of w on [1, Z]
    cols = ([np.ones(n)] if const else []) + ([Z[:, j] for j in range(k_ex)])
    if cols:
        A = np.column_stack(cols)
        reg0 = np.linalg.lstsq(A, w, rcond=None)[0]
    else:
        A = None
        reg0 = np.empty(0)
    n_reg = reg0.size
    scale = float(np.std(w)) or 1.0

    bounds = np.cumsum((n_reg, p, q, P, Q))
    pieces = list(zip(bounds[:-1], bounds[1:]))

    def unpack(theta):
        ar, ma, sar, sma = (constrain(theta[a:b]) for a, b in pieces)
        return theta[:n_reg], ar, -ma, sar, -sma

    def resid(theta):
        reg, ar, ma, sar, sma = unpack(theta)
        x = w if A is None else w - A @ reg
        v = np.convolve(x, _ar_poly(ar, sar, m), mode="valid") if ncond else x
        e = lfilter([1.0], _ma_poly(ma, sma, m), v) if (q or Q) else v
        return e / scale

    theta0 = np.r_[reg0, np.zeros(p + q + P + Q)]
    if theta0.size == 0:
        e = resid(theta0)
        theta = theta0
    else:
        try:
            with np.errstate(all="ignore"):
                sol = least_squares(resid, theta0, method="lm", x_scale="jac", max_nfev=100 * (theta0.size + 1))
        except (ValueError, np.linalg.LinAlgError):
            return None
        theta = sol.x
        e = resid(theta)
    if not np.all(np.isfinite(e)):
        return None
    sigma2 = float(np.mean(e * e)) * scale * scale
    reg, ar, ma, sar, sma = unpack(theta)
    mu = reg[0] if const else 0.0
    beta = reg[1:] if const else reg
    # SARIMAX's intercept is phi(1) * Phi(1) * mean
    c = mu * float(np.sum(_ar_poly(ar, sar, m))) if const else None
    params = np.r_[[c] if const else [], beta, ar, ma, sar, sma, max(sigma2, 1e-12 * scale * scale)]
    return params, sigma2


# -------------------------------------------------------------------- ML fit
def seasonal_order(P, D, Q, m):
    """SARIMAX's ``seasonal_order``: ``(P, D, Q, m)``, or ``(0, 0, 0, 0)`` without seasonal terms."""
    return (P, D, Q, m) if (m > 1 and (P or D or Q)) else (0, 0, 0, 0)


def sarimax(y, X, order, seasonal, trend):
    """statsmodels' ``SARIMAX`` model of ``y`` (not fitted)."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    return SARIMAX(y, exog=X, order=order, seasonal_order=seasonal, trend=trend)


def _stationary_start(params, spec, k_ex, m):
    """Pull CSS estimates strictly inside the stationary/invertible region."""
    params = np.array(params, float)
    i = int(spec.const) + k_ex
    for n_c, sign in ((spec.p, 1), (spec.q, -1), (spec.P, 1), (spec.Q, -1)):
        if n_c:
            u = unconstrain(sign * params[i : i + n_c])
            u = np.clip(u, -15.0, 15.0)
            params[i : i + n_c] = sign * constrain(u * 0.999)
        i += n_c
    return params


def _ml_fit(w, Z, spec, m, start, maxiter, banded=False):
    """Exact ML fit of the ARMA on the differenced series.

    The variance is concentrated out of the likelihood (one parameter fewer
    for the numerical gradient, better conditioned); it is appended to the
    returned parameters so they fit SARIMAX's usual layout.
    With ``banded`` (and a start), the likelihood is the banded-Cholesky one
    of :mod:`._arma_likelihood` (the same function as statsmodels' Kalman
    filter's, 3-10 times faster), optimised along statsmodels' path.
    Returns ``(params, llf)`` or ``None``.
    """
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    if start is not None:
        start = _stationary_start(start, spec, 0 if Z is None else Z.shape[1], m)[:-1]
        if banded:
            if start.size == 0:  # statsmodels cannot fit a model without parameters (kept as it was)
                return None
            from ._arma_likelihood import ml_fit  # (it imports this module's polynomials)

            return ml_fit(w, Z, spec.p, spec.q, spec.P, spec.Q, spec.const, m, start, maxiter)
    try:
        mod = SARIMAX(
            w,
            exog=Z,
            order=(spec.p, 0, spec.q),
            seasonal_order=seasonal_order(spec.P, 0, spec.Q, m),
            trend="c" if spec.const else "n",
            concentrate_scale=True,
        )
        with quiet():
            res = mod.fit(start_params=start, method="lbfgs", maxiter=maxiter, disp=False, cov_type="none")
    except (ValueError, np.linalg.LinAlgError):
        return None
    params = np.r_[np.asarray(res.params, float), float(res.scale)]
    if not np.isfinite(res.llf) or not np.all(np.isfinite(params)) or params[-1] <= 0:
        return None
    return params, float(res.llf)


# ----------------------------------------------------------------- candidate
def fit_candidate(w, Z, spec, m, nstar, *, criterion, min_root, exact, start=None, check_roots=True, banded=False):
    """Fit one candidate on the differenced series and score it.

    Parameters
    ----------
    w : ndarray of shape (nstar,)
        The differenced series.
    Z : ndarray of shape (nstar, k) or None
        The differenced regressors.
    spec : Spec
    m : int
        Season length.
    nstar : int
        Observations the criterion counts (after differencing).
    criterion : {"aicc", "aic", "bic"}
    min_root : float
        With ``check_roots``, a fit with an AR or MA root of modulus
        ``min_root`` or less gets ``ic=inf`` (rejected, but remembered).
    exact : bool
        Exact maximum likelihood (started from ``start``, or from a CSS
        fit), or the CSS fit with R's CSS approximation of the likelihood.
    start : ndarray, optional
    check_roots : bool, default=True
    banded : bool, default=False
        Exact ML by the banded-Cholesky likelihood of :mod:`._arma_likelihood`
        instead of statsmodels' Kalman filter (same likelihood, faster; the
        search uses it, explicit orders keep statsmodels' fit).

    Returns
    -------
    Fit or None
        ``None`` when the model cannot be fitted.
    """
    k_ex = 0 if Z is None else Z.shape[1]
    k = int(spec.const) + k_ex + spec.p + spec.q + spec.P + spec.Q + 1
    if not exact:
        out = _css_fit(w, Z, spec, m)
        if out is None:
            return None
        params, sigma2 = out
        if check_roots and not _roots_ok(params, spec, k_ex, m, min_root):
            return Fit(spec, np.inf, params)
        # CSS log-likelihood approximation, as R's auto.arima(approximation=TRUE)
        llf = -0.5 * nstar * (math.log(2 * math.pi * max(sigma2, 1e-300)) + 1.0)
        return Fit(spec, information_criterion(criterion, llf, k, nstar), params)
    if start is None:
        out = _css_fit(w, Z, spec, m)
        start = None if out is None else out[0]
    out = _ml_fit(w, Z, spec, m, start, maxiter=_MAXITER, banded=banded)
    if out is None:
        return None
    params, llf = out
    if check_roots and not _roots_ok(params, spec, k_ex, m, min_root):
        return Fit(spec, np.inf, params)
    return Fit(spec, information_criterion(criterion, llf, k, nstar), params)

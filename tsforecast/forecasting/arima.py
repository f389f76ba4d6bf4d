"""(Seasonal) ARIMA with exogenous regressors and an automatic order search.

The model is statsmodels' ``SARIMAX`` (a state-space ARIMA fitted by exact
maximum likelihood). ``order="auto"`` selects the orders like R's
``forecast::auto.arima`` (Hyndman & Khandakar, 2008):

1. ``D`` (seasonal differences, at most ``max_D``) from the strength of the
   STL seasonal component (differencing when it exceeds 0.64, R's default
   ``"seas"`` test), then ``d`` (at most ``max_d``) by repeated KPSS tests at
   the 5% level on the seasonally differenced series (on the residuals of a
   regression on ``X`` when exogenous regressors are given);
2. a stepwise search over ``(p, q)(P, Q)`` and the constant, starting from
   ``(2, d, 2)(1, D, 1)``, ``(0, d, 0)(0, D, 0)``, ``(1, d, 0)(1, D, 0)`` and
   ``(0, d, 1)(0, D, 1)`` and moving to the best neighbour (each order
   +-1, pairs of orders +-1, constant on/off) while the information criterion
   improves. A constant (a mean, or a drift when ``d + D = 1``) is only
   considered when ``d + D <= 1``. Models with AR or MA roots of modulus
   1.003 or less are rejected (``min_root``; R rejects below 1.01).

Speed: the differencing is done once, so every candidate is a stationary
ARMA on the differenced series. With ``approximation=True`` the
candidates are ranked by a conditional-sum-of-squares fit (a vectorised
filter in NumPy, a few milliseconds per model), the best few are re-fitted
by exact maximum likelihood with ``SARIMAX`` (started from the CSS
estimates) and the one with the lowest exact criterion is kept; this is
the default for long series (R's rule: more than 150 observations or a
season longer than 12). Otherwise every candidate is fitted by exact
maximum likelihood, started from its CSS estimates, with the variance
concentrated out of the likelihood and BLAS limited to one thread (the
Kalman filter works on tiny matrices, where threads only add overhead).
The chosen model is finally put in state-space form on the undifferenced
series (one Kalman filter pass, no re-optimisation), which gives the
forecasts and the prediction intervals.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from ..utils._threads import one_blas_thread
from ._base import FORECASTER_PARAMS_CONSTRAINTS, FORECASTER_PARAMS_DOC, BaseForecaster
from ._statsmodels import interval_at, quiet

__all__ = ["ARIMAForecaster", "ndiffs", "nsdiffs"]

#: model_ is in the data's units when its innovation variance is at least this and |y| at most _MAX_ABS
_MIN_VARIANCE = 1e-12
_MAX_ABS = 1e100
_N_REFIT = 3  # CSS-ranked candidates refitted by exact maximum likelihood
_MAXITER = 100  # L-BFGS iterations of an exact ML fit (started from CSS estimates)


# ----------------------------------------------------------------- differencing
def _is_constant(x):
    return x.size == 0 or bool(np.all(x == x[0]))


def _difference(y, d, D, m):
    x = np.asarray(y, dtype=float)
    for _ in range(D):
        x = x[m:] - x[:-m]
    for _ in range(d):
        x = np.diff(x, axis=0)
    return x


def _kpss_rejects(x, alpha):
    """True when the KPSS level-stationarity test rejects at level ``alpha``."""
    from statsmodels.tsa.stattools import kpss

    nlags = int(math.trunc(3 * math.sqrt(x.size) / 13))  # R forecast::ndiffs's default lag
    with quiet():  # the p-value is interpolated in a table; outside it statsmodels warns
        res = kpss(x, regression="c", nlags=max(nlags, 0), result_object=True)
    return bool(res.pvalue < alpha)


def ndiffs(y, *, alpha=0.05, max_d=2):
    """Number of first differences needed for stationarity (repeated KPSS tests).

    Follows R's ``forecast::ndiffs(test="kpss")``: difference while the KPSS
    test (statsmodels' ``kpss``, level stationarity, ``trunc(3 sqrt(n) / 13)``
    lags as in R) rejects at level ``alpha``, at most ``max_d`` times.

    Parameters
    ----------
    y : array-like of shape (n,)
    alpha : float, default=0.05
    max_d : int, default=2

    Returns
    -------
    int

    Examples
    --------
    >>> import numpy as np
    >>> from tsforecast.forecasting.arima import ndiffs
    >>> rng = np.random.default_rng(0)
    >>> ndiffs(rng.normal(size=200)), ndiffs(rng.normal(size=200).cumsum())
    (0, 1)
    """
    x = np.asarray(y, dtype=float)
    d = 0
    if x.size < 3 or _is_constant(x):
        return 0
    while d < max_d and x.size >= 3 and _kpss_rejects(x, alpha):
        d += 1
        x = np.diff(x)
        if _is_constant(x):
            return d
    return d


def _seasonal_strength(x, m):
    """R's ``seas.heuristic``: 1 - var(remainder) / var(remainder + seasonal) of an STL fit."""
    from statsmodels.tsa.seasonal import STL

    res = STL(x, period=m, seasonal=11, robust=False).fit()
    rem = np.asarray(res.resid)
    denom = np.var(rem + np.asarray(res.seasonal), ddof=1)
    if denom <= 0:
        return 0.0
    return float(min(1.0, max(0.0, 1.0 - np.var(rem, ddof=1) / denom)))


def nsdiffs(y, m, *, max_D=1, threshold=0.64):
    """Number of seasonal differences from the STL seasonal strength.

    Follows R's ``forecast::nsdiffs(test="seas")``: take a seasonal
    difference while the seasonal strength of an STL decomposition exceeds
    ``threshold`` (0.64), at most ``max_D`` times. Series shorter than three
    full seasons are never seasonally differenced (an STL fit on fewer
    seasons finds "seasonality" in white noise).

    Parameters
    ----------
    y : array-like of shape (n,)
    m : int
        Season length.
    max_D : int, default=1
    threshold : float, default=0.64

    Returns
    -------
    int

    Examples
    --------
    >>> from tsforecast.datasets import load_airline
    >>> from tsforecast.forecasting.arima import nsdiffs
    >>> nsdiffs(load_airline().to_numpy(), 12)
    1
    """
    x = np.asarray(y, dtype=float)
    D = 0
    if m <= 1:
        return 0
    while D < max_D and x.size >= 3 * m and not _is_constant(x):
        if _seasonal_strength(x, m) <= threshold:
            break
        D += 1
        x = x[m:] - x[:-m]
    return D


# ------------------------------------------------------------ ARMA polynomials
def _constrain(u):
    """Map unconstrained values to the coefficients of a stationary AR polynomial.

    Partial autocorrelations ``r = u / sqrt(1 + u^2)`` in (-1, 1) turned into
    AR coefficients by the Durbin-Levinson recursion (Monahan, 1984).
    """
    r = u / np.sqrt(1.0 + u * u)
    phi = np.empty(0)
    for k in range(r.size):
        phi = np.concatenate([phi - r[k] * phi[::-1], r[k : k + 1]])
    return phi


def _unconstrain(phi):
    """Inverse of :func:`_constrain` (for stationary ``phi``)."""
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
    a = np.r_[1.0, -np.asarray(ar, float)]
    if len(sar):
        s = np.zeros(m * len(sar) + 1)
        s[0] = 1.0
        s[m::m] = -np.asarray(sar, float)
        a = np.convolve(a, s)
    return a


def _ma_poly(ma, sma, m):
    """Coefficients of theta(B) * Theta(B^m) (lag 0 first)."""
    b = np.r_[1.0, np.asarray(ma, float)]
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


@dataclass(frozen=True)
class _Spec:
    p: int
    q: int
    P: int
    Q: int
    const: bool

    def key(self):
        return (self.p, self.q, self.P, self.Q, self.const)


@dataclass
class _Fit:
    spec: _Spec
    ic: float
    params: np.ndarray  # SARIMAX's layout: [const, beta, ar, ma, sar, sma, sigma2]


def _ic_value(criterion, llf, k, nstar):
    if not np.isfinite(llf):
        return np.inf
    aic = -2.0 * llf + 2.0 * k
    if criterion == "aic":
        return aic
    if criterion == "bic":
        return -2.0 * llf + k * math.log(nstar)
    if nstar - k - 1 <= 0:
        return np.inf
    return aic + 2.0 * k * (k + 1) / (nstar - k - 1)


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

    def unpack(theta):
        ar, ma, sar, sma = _split(theta[n_reg:], (p, q, P, Q))
        return theta[:n_reg], _constrain(ar), -_constrain(ma), _constrain(sar), -_constrain(sma)

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


def _split(values, sizes):
    """Consecutive pieces of ``values`` with the given sizes."""
    bounds = np.cumsum((0,) + tuple(sizes))
    return [values[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def _roots_ok(params, spec, k_ex, m, min_root):
    """R's check: AR and MA roots (each polynomial) at least ``min_root`` from the origin."""
    start = int(spec.const) + k_ex
    ar, ma, sar, sma = _split(params[start:], (spec.p, spec.q, spec.P, spec.Q))
    return all(_min_root_ok(c, sign, min_root) for c, sign in ((ar, -1), (ma, 1), (sar, -1), (sma, 1)))


def _sarimax(y, X, order, seasonal_order, trend):
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    return SARIMAX(y, exog=X, order=order, seasonal_order=seasonal_order, trend=trend)


def _seasonal(P, D, Q, m):
    return (P, D, Q, m) if (m > 1 and (P or D or Q)) else (0, 0, 0, 0)


def _ml_fit(w, Z, spec, m, start, maxiter):
    """Exact ML fit of the ARMA on the differenced series.

    The variance is concentrated out of the likelihood (one parameter fewer
    for the numerical gradient, better conditioned); it is appended to the
    returned parameters so they fit SARIMAX's usual layout.
    Returns ``(params, llf, iterations)`` or ``None``.
    """
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    if start is not None:
        start = _stationary_start(start, spec, 0 if Z is None else Z.shape[1], m)[:-1]
    try:
        mod = SARIMAX(
            w,
            exog=Z,
            order=(spec.p, 0, spec.q),
            seasonal_order=_seasonal(spec.P, 0, spec.Q, m),
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


def _stationary_start(params, spec, k_ex, m):
    """Pull CSS estimates strictly inside the stationary/invertible region."""
    params = np.array(params, float)
    i = int(spec.const) + k_ex
    for n_c, sign in ((spec.p, 1), (spec.q, -1), (spec.P, 1), (spec.Q, -1)):
        if n_c:
            u = _unconstrain(sign * params[i : i + n_c])
            u = np.clip(u, -15.0, 15.0)
            params[i : i + n_c] = sign * _constrain(u * 0.999)
        i += n_c
    return params


# ---------------------------------------------------------------- estimator
class ARIMAForecaster(BaseForecaster):
    __doc__ = f"""Seasonal ARIMA with exogenous regressors, fixed or automatically chosen orders.

    Built on statsmodels' ``SARIMAX`` (exact Gaussian likelihood, Kalman
    filter). With ``order="auto"`` the orders and the constant are chosen by
    a Hyndman-Khandakar search (R's ``auto.arima``); see the module
    docstring for the algorithm and the speed-ups. With exogenous
    regressors ``X`` the model is a regression with ARIMA errors
    ``y_t = X_t beta + u_t``.

    Prediction intervals are SARIMAX's Gaussian forecast intervals
    (``get_forecast(...).conf_int``); they ignore parameter uncertainty.

    Parameters
    ----------
    order : tuple (p, d, q) or "auto", default=(1, 0, 0)
        Non-seasonal orders, or ``"auto"`` to search them (and the seasonal
        orders when ``seasonal_periods > 1``).
    seasonal_order : tuple (P, D, Q) or "auto", default=(0, 0, 0)
        Seasonal orders for a fixed ``order``. statsmodels' 4-tuple
        ``(P, D, Q, m)`` is accepted too and sets the season length (it must
        then agree with ``seasonal_periods`` unless that is left at 1). With
        ``order="auto"`` the seasonal part is searched; leave this at
        ``(0, 0, 0)`` or ``"auto"``.
    seasonal_periods : int, default=1
        Season length ``m`` (12 for monthly data); 1 means no seasonality.
    trend : {{None, "n", "c", "t", "ct"}}, default=None
        Deterministic terms (statsmodels' convention: ``"c"`` is a constant
        in the differenced model, i.e. a drift when ``d + D = 1``). ``None``:
        with a fixed order, ``"c"`` when ``d + D = 0`` and ``"n"`` otherwise;
        with ``order="auto"``, the search decides (a constant is only allowed
        when ``d + D <= 1``). ``"t"``/``"ct"`` need a fixed order.
    information_criterion : {{"aicc", "aic", "bic"}}, default="aicc"
        Criterion minimised by the search.
    max_p, max_q, max_P, max_Q, max_d, max_D : int
        Largest orders the search may choose.
    max_order : int, default=5
        Largest ``p + q + P + Q`` in the exhaustive search (``stepwise=False``).
    stepwise : bool, default=True
        Stepwise search (fast) or all orders up to the limits.
    approximation : bool or "auto", default="auto"
        ``True``: rank the candidates by a conditional-sum-of-squares fit and
        refit the best three by exact maximum likelihood (fast on long
        series); ``False``: fit every candidate by exact maximum likelihood.
        ``"auto"`` is R's rule: approximate when the series has more than 150
        observations or ``seasonal_periods > 12``.
    min_root : float, default=1.003
        The search rejects a candidate whose AR or MA polynomial (each of
        the four) has a root of modulus ``min_root`` or less, i.e. one that
        is close to non-stationary or non-invertible. R's ``auto.arima`` uses
        1.01; pass ``min_root=1.01`` for its behaviour. 1.01 rejects every
        MA model of an over-differenced series (an MA coefficient near -1),
        which on the M4 Weekly validation holdout cost accuracy (OWA 0.986
        against 0.914 with 1.003; 1.001 and 1.0001 scored the same as 1.003
        but searched longer; see ``benchmarks/RESULTS.md``). Not used for a
        fixed ``order``.
{FORECASTER_PARAMS_DOC}

    Attributes
    ----------
    order_ : tuple (p, d, q)
    seasonal_order_ : tuple (P, D, Q, m)
        ``(0, 0, 0, 0)`` without seasonal terms.
    trend_ : str
        ``"c"`` or ``"n"`` (or the given ``trend``).
    aicc_, aic_, bic_ : float
        Criteria of the fitted model (R's convention: ``k`` counts the
        variance, ``n`` is the number of observations after differencing).
    model_ : statsmodels SARIMAXResults
        The fitted model on the undifferenced series (no parameter
        covariance is computed, for speed). The search fits the series
        divided by a power of two near its largest absolute value (so that
        the result does not depend on the data's units); ``model_`` is in
        the data's units, except when its innovation variance would be
        below 1e-12 or values exceed 1e100 (statsmodels' filter cannot work
        at such magnitudes): it is then fitted to that scaled series, while
        forecasts and intervals always come back in the data's units.
    n_models_ : int
        Number of candidate models fitted by the search (1 for a fixed order).

    Examples
    --------
    >>> from tsforecast import ARIMAForecaster
    >>> from tsforecast.datasets import load_airline
    >>> import numpy as np
    >>> y = np.log(load_airline())
    >>> f = ARIMAForecaster(order="auto", seasonal_periods=12).fit(y)
    >>> f.order_, f.seasonal_order_
    ((0, 1, 1), (0, 1, 1, 12))
    >>> np.exp(f.predict(3)).round(0).tolist()
    [450.0, 426.0, 479.0]
    """

    _supports_exog = True

    _parameter_constraints = {
        "order": [StrOptions({"auto"}), tuple, list],
        "seasonal_order": [StrOptions({"auto"}), tuple, list],
        "seasonal_periods": [Interval(Integral, 1, None, closed="left")],
        "trend": [StrOptions({"n", "c", "t", "ct"}), None],
        "information_criterion": [StrOptions({"aicc", "aic", "bic"})],
        "max_p": [Interval(Integral, 0, None, closed="left")],
        "max_q": [Interval(Integral, 0, None, closed="left")],
        "max_P": [Interval(Integral, 0, None, closed="left")],
        "max_Q": [Interval(Integral, 0, None, closed="left")],
        "max_d": [Interval(Integral, 0, None, closed="left")],
        "max_D": [Interval(Integral, 0, None, closed="left")],
        "max_order": [Interval(Integral, 0, None, closed="left")],
        "stepwise": ["boolean"],
        "approximation": ["boolean", StrOptions({"auto"})],
        "min_root": [Interval(numbers.Real, 1, None, closed="left")],
        **FORECASTER_PARAMS_CONSTRAINTS,
    }

    def __init__(
        self,
        order=(1, 0, 0),
        seasonal_order=(0, 0, 0),
        seasonal_periods=1,
        trend=None,
        information_criterion="aicc",
        max_p=5,
        max_q=5,
        max_P=2,
        max_Q=2,
        max_d=2,
        max_D=1,
        max_order=5,
        stepwise=True,
        approximation="auto",
        min_root=1.003,
        horizon=1,
        n_jobs=None,
    ):
        self.order = order
        self.seasonal_order = seasonal_order
        self.seasonal_periods = seasonal_periods
        self.trend = trend
        self.information_criterion = information_criterion
        self.max_p = max_p
        self.max_q = max_q
        self.max_P = max_P
        self.max_Q = max_Q
        self.max_d = max_d
        self.max_D = max_D
        self.max_order = max_order
        self.stepwise = stepwise
        self.approximation = approximation
        self.min_root = min_root
        self.horizon = horizon
        self.n_jobs = n_jobs

    # ------------------------------------------------------------ validation
    def _auto(self):
        return isinstance(self.order, str)

    def _season(self):
        """Season length: ``seasonal_periods``, or the m of a statsmodels-style (P, D, Q, m)."""
        m, so = self.seasonal_periods, self.seasonal_order
        if isinstance(so, (tuple, list)) and len(so) == 4:
            s = so[3]
            if isinstance(s, (bool, np.bool_)) or not isinstance(s, numbers.Integral) or s < 0:
                raise ValueError(f"seasonal_order=(P, D, Q, m) needs an integer season length m; got m={s!r}.")
            s = max(int(s), 1)  # statsmodels writes (0, 0, 0, 0) for "no season"
            if m not in (1, s):
                raise ValueError(
                    f"seasonal_order={tuple(so)} gives season length {s} but seasonal_periods={m}; "
                    "give one of them, or make them agree."
                )
            return s
        return m

    def _fixed_orders(self):
        order = _check_orders(self.order, "order", ("p", "d", "q"))
        seasonal = self.seasonal_order
        if isinstance(seasonal, str):
            raise ValueError(
                "seasonal_order='auto' needs order='auto'; give a (P, D, Q) tuple with a fixed order."
            )
        if isinstance(seasonal, (tuple, list)) and len(seasonal) == 4:
            seasonal = tuple(seasonal)[:3]
        seasonal = _check_orders(seasonal, "seasonal_order", ("P", "D", "Q"))
        m = self._season()
        if any(seasonal) and m < 2:
            raise ValueError(
                f"seasonal_order={tuple(seasonal)} needs seasonal_periods >= 2; got seasonal_periods={m}."
            )
        if not _lags_distinct(order[0], order[2], seasonal[0], seasonal[2], m):
            raise ValueError(
                f"order={order} with seasonal_order={seasonal} and seasonal_periods={m} puts lag {m} in both "
                f"the non-seasonal and the seasonal polynomial, which SARIMAX does not allow; keep p and q "
                f"below {m} when P or Q is positive."
            )
        return order, seasonal

    def _min_length(self):
        m = self._season()
        if self._auto():
            if not isinstance(self.seasonal_order, str) and tuple(self.seasonal_order)[:3] != (0, 0, 0):
                raise ValueError(
                    "with order='auto' the seasonal orders are searched too; leave seasonal_order "
                    f"at (0, 0, 0) or 'auto' (got {self.seasonal_order!r}), or give a fixed order."
                )
            if self.trend in ("t", "ct"):
                raise ValueError(f"trend={self.trend!r} needs a fixed order; order='auto' supports None, 'n' or 'c'.")
            return 3
        (p, d, q), (P, D, Q) = self._fixed_orders()
        return d + D * m + max(p + P * m, q + Q * m) + 1 + (1 if (p + q + P + Q) else 0)

    # -------------------------------------------------------------------- fit
    def _fit(self, y, X):
        m = self._season()
        # a constant series (and no regressors) has no dynamics to estimate: the
        # likelihood is degenerate, so forecast the constant with zero-width intervals
        self.constant_ = float(y[0]) if X is None and np.ptp(y) == 0 else None
        if self.constant_ is not None:
            return self
        # the search is scale-equivariant: every series is fitted divided by a power of two (exact) near
        # its largest value, so the optimiser sees values of order 1 (in the data's own units, L-BFGS
        # stopped early at 1e-5 and failed from 1e-10 on). _finish converts the chosen parameters back
        # to the data's units where statsmodels' filter can work in them.
        top = float(np.max(np.abs(y)))
        self._fit_scale = float(np.ldexp(1.0, np.frexp(top)[1])) if top > 0 else 1.0
        with one_blas_thread():
            if self._auto():
                self._fit_auto(y / self._fit_scale, X, m)
            else:
                self._fit_fixed(y / self._fit_scale, X, m)
        return self

    def _fit_fixed(self, y, X, m):
        (p, d, q), (P, D, Q) = self._fixed_orders()
        trend = self.trend if self.trend is not None else ("c" if d + D == 0 else "n")
        nstar = y.size - d - D * m
        if trend in ("n", "c"):
            spec = _Spec(p, q, P, Q, trend == "c")
            w = _difference(y, d, D, m)
            Z = None if X is None else _difference(X, d, D, m)
            fit = self._fit_candidate(w, Z, spec, m, nstar, exact=True, check_roots=False)
            if fit is None:
                raise ValueError(
                    f"ARIMA{(p, d, q)}{(P, D, Q, m)} could not be fitted to this series "
                    "(the likelihood optimisation failed); try other orders or order='auto'."
                )
            self._finish(y, X, (p, d, q), (P, D, Q), m, trend, fit.params, 1)
            return
        # linear trend terms: fit SARIMAX directly on the levels
        mod = _sarimax(y, X, (p, d, q), _seasonal(P, D, Q, m), trend)
        try:
            with quiet():
                res = mod.fit(method="lbfgs", maxiter=200, disp=False, cov_type="none")
        except (ValueError, np.linalg.LinAlgError) as exc:
            raise ValueError(
                f"ARIMA{(p, d, q)}{(P, D, Q, m)} with trend={trend!r} could not be fitted: {exc}"
            ) from None
        self._finish(y, X, (p, d, q), (P, D, Q), m, trend, np.asarray(res.params), 1)

    def _fit_auto(self, y, X, m):
        n = y.size
        # regression residuals for the unit-root tests when X is given
        if X is not None:
            A = np.column_stack([np.ones(n), X])
            resid = y - A @ np.linalg.lstsq(A, y, rcond=None)[0]
        else:
            resid = y
        seasonal = m > 1 and n > 2 * m  # seasonal ARMA terms need two seasons (R)
        D = nsdiffs(resid, m, max_D=self.max_D) if seasonal else 0
        d = ndiffs(_difference(resid, 0, D, m), max_d=self.max_d)
        w = _difference(y, d, D, m)
        Z = None if X is None else _difference(X, d, D, m)
        nstar = w.size
        if nstar < 3:
            d, D = 0, 0
            w, Z, nstar = y, X, n
        # orders limited by the length, as in R
        max_p = min(self.max_p, nstar // 3)
        max_q = min(self.max_q, nstar // 3)
        max_P = min(self.max_P, nstar // 3 // m) if seasonal else 0
        max_Q = min(self.max_Q, nstar // 3 // m) if seasonal else 0
        if self.trend is None:
            consts = (True, False) if d + D <= 1 else (False,)
        else:
            consts = (self.trend == "c",)

        if _is_constant(w) and Z is None:
            const = bool(consts[0] and w[0] != 0)
            c = float(w[0]) if const else None
            scale = max(float(np.abs(y).max()), 1.0)
            params = np.r_[[c] if const else [], (1e-8 * scale) ** 2]
            self._finish(y, X, (0, d, 0), (0, D, 0), m, "c" if const else "n", params, 1)
            return

        approx = self.approximation
        if approx == "auto":
            approx = n > 150 or m > 12
        exact_search = not approx
        cache: dict = {}

        def evaluate(p, q, P, Q, const):
            if not _lags_distinct(p, q, P, Q, m):
                return np.inf  # not representable in SARIMAX
            spec = _Spec(p, q, P, Q, const)
            if spec.key() not in cache:
                cache[spec.key()] = self._fit_candidate(w, Z, spec, m, nstar, exact=exact_search)
            fit = cache[spec.key()]
            return np.inf if fit is None else fit.ic

        if self.stepwise:
            _stepwise(evaluate, max_p, max_q, max_P, max_Q, consts, m > 1 and seasonal)
        else:
            for p in range(max_p + 1):
                for q in range(max_q + 1):
                    for P in range(max_P + 1):
                        for Q in range(max_Q + 1):
                            if p + q + P + Q <= self.max_order:
                                for c in consts:
                                    evaluate(p, q, P, Q, c)

        ranked = sorted((f for f in cache.values() if f is not None and np.isfinite(f.ic)), key=lambda f: f.ic)
        if not ranked:
            ranked = [self._fit_candidate(w, Z, _Spec(0, 0, 0, 0, consts[0]), m, nstar, exact=True, check_roots=False)]
            if ranked[0] is None:
                raise ValueError("no ARIMA model could be fitted to this series.")
        if not exact_search:
            # refit the best CSS candidates by exact ML, keep the best exact criterion
            exact = []
            for f in ranked[:_N_REFIT]:
                e = self._fit_candidate(w, Z, f.spec, m, nstar, exact=True, start=f.params)
                if e is not None and np.isfinite(e.ic):
                    exact.append(e)
            if not exact:  # R: try further candidates until one fits
                for f in ranked[_N_REFIT:]:
                    e = self._fit_candidate(w, Z, f.spec, m, nstar, exact=True, start=f.params)
                    if e is not None and np.isfinite(e.ic):
                        exact.append(e)
                        break
            if not exact:
                e = self._fit_candidate(w, Z, ranked[0].spec, m, nstar, exact=True, check_roots=False)
                if e is None:
                    raise ValueError("no ARIMA model could be fitted to this series by maximum likelihood.")
                exact.append(e)
            best = min(exact, key=lambda f: f.ic)
        else:
            best = ranked[0]
        s = best.spec
        self._finish(y, X, (s.p, d, s.q), (s.P, D, s.Q), m, "c" if s.const else "n", best.params, len(cache))

    def _fit_candidate(self, w, Z, spec, m, nstar, *, exact, start=None, check_roots=True):
        k_ex = 0 if Z is None else Z.shape[1]
        k = int(spec.const) + k_ex + spec.p + spec.q + spec.P + spec.Q + 1
        if not exact:
            out = _css_fit(w, Z, spec, m)
            if out is None:
                return None
            params, sigma2 = out
            if check_roots and not _roots_ok(params, spec, k_ex, m, self.min_root):
                return _Fit(spec, np.inf, params)
            # CSS log-likelihood approximation, as R's auto.arima(approximation=TRUE)
            llf = -0.5 * nstar * (math.log(2 * math.pi * max(sigma2, 1e-300)) + 1.0)
            return _Fit(spec, _ic_value(self.information_criterion, llf, k, nstar), params)
        if start is None:
            out = _css_fit(w, Z, spec, m)
            start = None if out is None else out[0]
        out = _ml_fit(w, Z, spec, m, start, maxiter=_MAXITER)
        if out is None:
            return None
        params, llf = out
        if check_roots and not _roots_ok(params, spec, k_ex, m, self.min_root):
            return _Fit(spec, np.inf, params)
        return _Fit(spec, _ic_value(self.information_criterion, llf, k, nstar), params)

    def _finish(self, y, X, order, seasonal, m, trend, params, n_models):
        """Put the chosen model on the undifferenced series; ``y`` and ``params`` are in fitting units."""
        P, D, Q = seasonal
        params = np.asarray(params, float)
        back = self._fit_scale
        # in the data's units unless its innovation variance would fall below what statsmodels' filter
        # resolves (it treats forecast variances below ~1e-19 as zero and drops the observation) or the
        # data's squares overflow; model_ then stays in the fitting units and forecasts are scaled back
        with np.errstate(over="ignore"):
            in_data_units = params[-1] * back * back >= _MIN_VARIANCE and np.max(np.abs(y)) * back <= _MAX_ABS
        self._y_scale = 1.0 if in_data_units else back
        if in_data_units and back != 1.0:
            # trend and regression coefficients scale with y, the innovation variance with y**2
            k = {"n": 0, "c": 1, "t": 1, "ct": 2}[trend] + (0 if X is None else X.shape[1])
            params = params.copy()
            params[:k] *= back
            params[-1] *= back * back
            y = y * back
        self.order_ = tuple(int(v) for v in order)
        self.seasonal_order_ = tuple(int(v) for v in _seasonal(P, D, Q, m))
        self.trend_ = trend
        mod = _sarimax(y, X, self.order_, self.seasonal_order_, trend)
        with quiet():
            self.model_ = mod.filter(np.asarray(params, float), cov_type="none")
        nstar = y.size - self.order_[1] - D * m
        k = len(params)
        llf = float(self.model_.llf)
        self.aic_ = _ic_value("aic", llf, k, nstar)
        self.bic_ = _ic_value("bic", llf, k, nstar)
        self.aicc_ = _ic_value("aicc", llf, k, nstar)
        self.n_models_ = int(n_models)

    # ---------------------------------------------------------------- predict
    def _forecast(self, steps, X):
        h = int(np.max(steps))
        with quiet(one_thread=True):
            return self.model_.get_forecast(h, exog=X)

    def _predict(self, steps, X):
        if self.constant_ is not None:
            return np.full(len(steps), self.constant_)
        fc = self._forecast(steps, X)
        return np.asarray(fc.predicted_mean, float)[steps - 1] * getattr(self, "_y_scale", 1.0)  # 1 but at extremes

    def _predict_interval(self, steps, coverage, X):
        if self.constant_ is not None:
            return np.full(len(steps), self.constant_), np.full(len(steps), self.constant_)
        lower, upper = interval_at(self._forecast(steps, X).conf_int(alpha=1 - coverage), steps)
        scale = getattr(self, "_y_scale", 1.0)  # models pickled before the scaling existed
        return lower * scale, upper * scale


def _lags_distinct(p, q, P, Q, m):
    """SARIMAX rejects a lag present in both the non-seasonal and the seasonal polynomial."""
    return m < 2 or ((p < m or P == 0) and (q < m or Q == 0))


def _check_orders(value, name, labels):
    if isinstance(value, list):
        value = tuple(value)
    if not isinstance(value, tuple) or len(value) != 3:
        raise ValueError(f"{name} must be a tuple {tuple(labels)} of 3 non-negative ints; got {value!r}.")
    for lab, v in zip(labels, value):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral) or v < 0:
            raise ValueError(f"{name} must be a tuple {tuple(labels)} of non-negative ints; got {lab}={v!r}.")
    return tuple(int(v) for v in value)


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

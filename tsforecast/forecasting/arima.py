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
forecasts and the prediction intervals; the filter's approximate-diffuse
prior and steady-state test are set for the scaled series, so the
forecasts do not depend on the data's units.

Long seasons (``m`` > 24, e.g. 52 for weekly data): the automatic search
models the season by ``K`` pairs of Fourier terms as regressors with
non-seasonal ARIMA errors instead (R's "dynamic harmonic regression"),
``K`` chosen by the information criterion; see :mod:`._fourier`.

Modules: the unit-root tests are in :mod:`._unit_root`, the fit of one
candidate in :mod:`._arma_fit`, the search in :mod:`._arima_search`, the
Fourier terms in :mod:`._fourier`; this module holds the estimator.
"""

from __future__ import annotations

import numbers
from numbers import Integral

import numpy as np

from ..utils._frequency import SEASONAL_PERIODS_DOC
from ..utils._numeric import power_of_two_scale
from ..utils._sklearn import Interval, StrOptions
from ..utils._threads import one_blas_thread
from ._arima_search import lags_distinct, search_orders
from ._arma_fit import Spec, fit_candidate, sarimax, seasonal_order
from ._base import FORECASTER_PARAMS_CONSTRAINTS, FORECASTER_PARAMS_DOC, BaseForecaster
from ._criteria import information_criterion
from ._fourier import FOURIER_MIN_PERIOD, MAX_FOURIER_TERMS, fourier_period, fourier_terms, search_fourier, with_terms
from ._season import season_length
from ._statsmodels import interval_at, quiet
from ._unit_root import difference, ndiffs, nsdiffs

__all__ = ["ARIMAForecaster", "ndiffs", "nsdiffs"]

#: model_ is in the data's units when its innovation variance is at least this and |y| at most _MAX_ABS,
#: else in the nearest units (a power of two) where both hold: statsmodels' filter inverts a forecast
#: variance below 1e-12 by a univariate path that drops the observation when it is below 1e-10
#: (so 1e-10 keeps a margin), and squares of values beyond 1e100 approach float64's limit
_MIN_VARIANCE = 1e-10
_MAX_ABS = 1e100
#: variance of the approximate-diffuse prior of the differencing states in the fitting units (where
#: max|y| is in [0.5, 1)): statsmodels' default ``initial_variance``, made for values of order 1
_DIFFUSE_VARIANCE = 1e6


class ARIMAForecaster(BaseForecaster):
    __doc__ = f"""Seasonal ARIMA with exogenous regressors, fixed or automatically chosen orders.

    Built on statsmodels' ``SARIMAX`` (exact Gaussian likelihood, Kalman
    filter). With ``order="auto"`` the orders and the constant are chosen by
    a Hyndman-Khandakar search (R's ``auto.arima``); see the module
    docstring for the algorithm and the speed-ups. With exogenous
    regressors ``X`` the model is a regression with ARIMA errors
    ``y_t = X_t beta + u_t``.

    A season longer than 24 (e.g. ``m = 52`` for weekly data) is modelled
    by the automatic search with ``K`` pairs of Fourier terms
    ``sin(2 pi k t / m), cos(2 pi k t / m)``, ``k = 1..K``, as regressors
    with non-seasonal ARIMA errors, as R's forecast package advises for
    such seasons: a seasonal ARIMA with ``m = 52`` is slow (minutes) and
    memory hungry. ``K`` (1 to ``min(10, m // 2)``) is chosen by the
    information criterion, each ``K`` with its own search of the ARIMA
    errors (the differences are tested once); the search over ``K`` stops
    after two ``K`` without improvement. The period of the terms is ``m``,
    except for weekly data with ``m = 52``: a year in weeks, 365.25 / 7.
    The terms of the future steps are generated by ``predict``; exogenous
    regressors ``X`` work alongside. A fixed ``order`` with a seasonal
    ``seasonal_order`` keeps the seasonal ARIMA whatever ``m``.

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
        then agree with ``seasonal_periods`` unless that is left at
        ``None``). With ``order="auto"`` the seasonal part is searched;
        leave this at ``(0, 0, 0)`` or ``"auto"``.
{SEASONAL_PERIODS_DOC}
        With ``order="auto"`` a season longer than 24 is modelled by
        Fourier terms (see above).
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
        is close to non-stationary or non-invertible. Not used for a fixed
        ``order``. R's ``auto.arima`` uses 1.01 (pass ``min_root=1.01`` for
        its behaviour), which rejects every MA model of an over-differenced
        series and was less accurate on validation (``benchmarks/RESULTS.md``).
{FORECASTER_PARAMS_DOC}

    Attributes
    ----------
    order_ : tuple (p, d, q)
    seasonal_order_ : tuple (P, D, Q, m)
        ``(0, 0, 0, 0)`` without seasonal ARIMA terms (also when the season
        is modelled by Fourier terms).
    seasonal_periods_ : int
        The season length used (see ``seasonal_periods``).
    fourier_terms_ : int
        Number ``K`` of Fourier pairs modelling the season (0 without).
    fourier_period_ : float or None
        Period of the Fourier terms, ``None`` without.
    trend_ : str
        ``"c"`` or ``"n"`` (or the given ``trend``).
    aicc_, aic_, bic_ : float
        Criteria of the fitted model in the data's units (R's convention:
        ``k`` counts the variance, ``n`` is the number of observations after
        differencing).
    model_ : statsmodels SARIMAXResults
        The fitted model on the undifferenced series (no parameter
        covariance is computed, for speed). The search fits the series
        divided by a power of two ``s`` near its largest absolute value, so
        that the result does not depend on the data's units, and the
        filter's settings are those of that scaled series too: the
        approximate-diffuse prior of the differencing states has variance
        ``1e6 * s**2`` in the data's units (statsmodels' default, 1e6, for
        the scaled series) and the steady-state shortcut is off
        (``tolerance=0``); both carry over to ``model_.append``/``apply``.
        ``model_`` is in the data's units, except when its innovation
        variance would be below 1e-10 or values exceed 1e100 (statsmodels'
        filter cannot work at such magnitudes): it is then the model of the
        series multiplied by the power of two closest to 1 that avoids both,
        while forecasts, intervals and the criteria are in the data's units.
        With Fourier terms, its last ``2 K`` exogenous columns are the
        terms (one fewer when ``2 K = m``: that sine is zero).
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

    Without ``seasonal_periods`` the season comes from the index frequency
    (12 for this monthly series):

    >>> ARIMAForecaster(order="auto").fit(y).seasonal_periods_
    12
    """

    _supports_exog = True

    _parameter_constraints = {
        "order": [StrOptions({"auto"}), tuple, list],
        "seasonal_order": [StrOptions({"auto"}), tuple, list],
        "seasonal_periods": [Interval(Integral, 1, None, closed="left"), None],
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
        seasonal_periods=None,
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
        """Season length: the m of a statsmodels-style (P, D, Q, m), else ``seasonal_periods``'s rule."""
        m, so = self.seasonal_periods, self.seasonal_order
        if isinstance(so, (tuple, list)) and len(so) == 4:
            s = so[3]
            if isinstance(s, (bool, np.bool_)) or not isinstance(s, numbers.Integral) or s < 0:
                raise ValueError(f"seasonal_order=(P, D, Q, m) needs an integer season length m; got m={s!r}.")
            s = max(int(s), 1)  # statsmodels writes (0, 0, 0, 0) for "no season"
            if m is not None and m != s:
                raise ValueError(
                    f"seasonal_order={tuple(so)} gives season length {s} but seasonal_periods={m}; "
                    "give one of them, or make them agree."
                )
            return s
        return season_length(self)

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
            why = " (the series has no index frequency to take it from)" if self.seasonal_periods is None else ""
            raise ValueError(
                f"seasonal_order={tuple(seasonal)} needs seasonal_periods >= 2; got seasonal_periods={m}{why}."
            )
        if not lags_distinct(order[0], order[2], seasonal[0], seasonal[2], m):
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
        self.seasonal_periods_ = m
        self.fourier_terms_, self.fourier_period_ = 0, None
        # a constant series (and no regressors) has no dynamics to estimate: the
        # likelihood is degenerate, so forecast the constant with zero-width intervals
        self.constant_ = float(y[0]) if X is None and np.ptp(y) == 0 else None
        if self.constant_ is not None:
            return self
        # fit y divided by a power of two near max|y| (exact), so the optimiser sees values of order 1
        # whatever the units; _finish converts the chosen parameters back
        self._fit_scale = power_of_two_scale(float(np.max(np.abs(y))))
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
            spec = Spec(p, q, P, Q, trend == "c")
            w = difference(y, d, D, m)
            Z = None if X is None else difference(X, d, D, m)
            fit = fit_candidate(
                w, Z, spec, m, nstar, criterion=self.information_criterion, min_root=self.min_root, exact=True,
                check_roots=False,
            )
            if fit is None:
                raise ValueError(
                    f"ARIMA{(p, d, q)}{(P, D, Q, m)} could not be fitted to this series "
                    "(the likelihood optimisation failed); try other orders or order='auto'."
                )
            self._finish(y, X, (p, d, q), (P, D, Q), m, trend, fit.params, 1)
            return
        # linear trend terms: fit SARIMAX directly on the levels
        mod = sarimax(y, X, (p, d, q), seasonal_order(P, D, Q, m), trend)
        try:
            with quiet():
                res = mod.fit(method="lbfgs", maxiter=200, disp=False, cov_type="none")
        except (ValueError, np.linalg.LinAlgError) as exc:
            raise ValueError(
                f"ARIMA{(p, d, q)}{(P, D, Q, m)} with trend={trend!r} could not be fitted: {exc}"
            ) from None
        self._finish(y, X, (p, d, q), (P, D, Q), m, trend, np.asarray(res.params), 1)

    def _fit_auto(self, y, X, m):
        search = dict(
            trend=self.trend,
            criterion=self.information_criterion,
            min_root=self.min_root,
            max_p=self.max_p,
            max_q=self.max_q,
            max_P=self.max_P,
            max_Q=self.max_Q,
            max_d=self.max_d,
            max_D=self.max_D,
            max_order=self.max_order,
            stepwise=self.stepwise,
            approximation=self.approximation,
        )
        if m > FOURIER_MIN_PERIOD and y.size > 2 * m:
            self._fit_fourier(y, X, m, search)
            return
        choice = search_orders(y, X, m, **search)
        self._finish(y, X, choice.order, choice.seasonal, m, choice.trend, choice.params, choice.n_models)

    def _fit_fourier(self, y, X, m, search):
        """Auto ARIMA errors of a regression on Fourier terms of the (long) season ``m``."""
        period = fourier_period(m, self._meta.freq)
        if search["approximation"] == "auto":
            search["approximation"] = True  # R's rule: approximate for seasons longer than 12
        found = search_fourier(y, X, period, max_terms=min(MAX_FOURIER_TERMS, m // 2), **search)
        self.fourier_terms_, self.fourier_period_ = found.n_terms, period
        Xf = with_terms(X, self._fourier(np.arange(y.size)))
        c = found.choice
        self._finish(y, Xf, c.order, c.seasonal, m, c.trend, c.params, found.n_models)

    def _fourier(self, t):
        """The chosen Fourier terms at time positions ``t`` (0: first training observation), or None."""
        if not getattr(self, "fourier_terms_", 0):
            return None
        return fourier_terms(t, self.fourier_period_, self.fourier_terms_)

    def _finish(self, y, X, order, seasonal, m, trend, params, n_models):
        """Put the chosen model on the undifferenced series; ``y`` and ``params`` are in fitting units.

        statsmodels' filter has absolute constants made for values of order 1: the variance of the
        approximate-diffuse prior of the differencing states (1e6) and a steady-state test (it stops
        updating the state covariance once that changes by less than 1e-19 in squared norm). In the
        data's units they made forecasts depend on the units: for tiny values the prior's rounding
        (1e6 * 2.2e-16) swamps the innovation variance and the steady-state test fires early
        (``y * 1e-7`` was forecast 131 times too large); for large values the prior is informative
        (the airline model of ``log(y) * 1e5`` was 1e-3 off). So the prior variance is 1e6 in the fitting
        units (``1e6 * s**2`` in units ``s`` times larger) and the steady-state test is off: the filter
        in any units is that of the fitting units with every number multiplied by a power of two.
        """
        from statsmodels.tsa.statespace.sarimax import SARIMAX

        P, D, Q = seasonal
        params = np.asarray(params, float)
        units = _filter_units(self._fit_scale, params[-1], np.max(np.abs(y)))
        self._y_scale = self._fit_scale / units  # 1 unless model_ cannot be in the data's units
        if units != 1.0:
            # trend and regression coefficients scale with y, the innovation variance with y**2
            k = {"n": 0, "c": 1, "t": 1, "ct": 2}[trend] + (0 if X is None else X.shape[1])
            params = params.copy()
            params[:k] *= units
            params[-1] *= units * units
            y = y * units
        self.order_ = tuple(int(v) for v in order)
        self.seasonal_order_ = tuple(int(v) for v in seasonal_order(P, D, Q, m))
        self.trend_ = trend
        # (given to the constructor, the two settings carry over to model_.append, .apply and .extend)
        mod = SARIMAX(
            y, exog=X, order=self.order_, seasonal_order=self.seasonal_order_, trend=trend,
            initial_variance=_DIFFUSE_VARIANCE * units * units, tolerance=0.0,
        )
        with quiet():
            self.model_ = mod.filter(np.asarray(params, float), cov_type="none")
        nstar = y.size - self.order_[1] - D * m
        k = len(params)
        # the criteria in the data's units: each observation in the likelihood adds -log(scale)
        llf = float(self.model_.llf) - self.model_.nobs_effective * np.log(self._y_scale)
        self.aic_ = information_criterion("aic", llf, k, nstar)
        self.bic_ = information_criterion("bic", llf, k, nstar)
        self.aicc_ = information_criterion("aicc", llf, k, nstar)
        self.n_models_ = int(n_models)

    # ---------------------------------------------------------------- predict
    def _forecast(self, steps, X):
        h = int(np.max(steps))
        if getattr(self, "fourier_terms_", 0):
            X = with_terms(X, self._fourier(np.arange(self.n_obs_, self.n_obs_ + h)))
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


def _filter_units(back, sigma2, top):
    """Units of ``model_``: the power of two ``u`` it multiplies the fitting units' series by.

    ``back`` (the data's units), unless there the innovation variance ``sigma2 * u**2`` would fall
    below ``_MIN_VARIANCE`` or the largest value ``top * u`` exceed ``_MAX_ABS``; then the power of
    two nearest to ``back`` where both hold (the filter computes the same numbers in any such units,
    multiplied by powers of two). ``sigma2`` and ``top`` are in the fitting units.
    """
    with np.errstate(divide="ignore", over="ignore"):
        need = np.sqrt(_MIN_VARIANCE / sigma2) if sigma2 > 0 else np.inf
    hi = float(np.ldexp(1.0, int(np.frexp(_MAX_ABS / top)[1]) - 1)) if top > 0 else np.inf  # <= _MAX_ABS / top
    if not np.isfinite(need):
        return min(back, hi)
    mant, exp = np.frexp(need)
    lo = float(np.ldexp(1.0, int(exp) - 1 if mant == 0.5 else int(exp)))  # smallest power of two >= need
    return min(max(back, lo), hi)


def _check_orders(value, name, labels):
    if isinstance(value, list):
        value = tuple(value)
    if not isinstance(value, tuple) or len(value) != 3:
        raise ValueError(f"{name} must be a tuple {tuple(labels)} of 3 non-negative ints; got {value!r}.")
    for lab, v in zip(labels, value):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral) or v < 0:
            raise ValueError(f"{name} must be a tuple {tuple(labels)} of non-negative ints; got {lab}={v!r}.")
    return tuple(int(v) for v in value)



"""Holt-Winters exponential smoothing as ETS state-space models, with an automatic choice.

Built on statsmodels' ``ETSModel`` (innovations state-space form of
Hyndman et al., 2008), which gives a proper likelihood, hence AICc, and
prediction intervals. ``"auto"`` components are chosen by the information
criterion among the admissible combinations, as R's ``forecast::ets`` does.
"""

from __future__ import annotations

import itertools
import math
from numbers import Integral, Real

import numpy as np
import pandas as pd
from ..utils._frequency import SEASONAL_PERIODS_DOC
from ..utils._numeric import power_of_two_exponent
from ..utils._sklearn import Interval, StrOptions
from ._base import FORECASTER_PARAMS_CONSTRAINTS, FORECASTER_PARAMS_DOC, BaseForecaster
from ._criteria import information_criterion
from ._season import season_length
from ._statsmodels import interval_at, quiet, seed_arguments

__all__ = ["HoltWintersForecaster"]

_N_REFIT = 2  # seasonal candidates refitted with estimated initial states after the heuristic ranking
#: each model is fitted to z / 2**(k + offset), k the exponent of max|z|, for each offset (0: values in
#: [0.5, 1); -10: in [512, 1024)), and the better likelihood kept: statsmodels' ETS optimiser depends on
#: the units, and only two starts gave the same model at every scale tried (benchmarks/RESULTS.md).
#: The first scale also ranks the seasonal models (heuristic initial states).
_SCALE_OFFSETS = (0, -10)
#: a finalist is refitted at the other scales only if its criterion at the first scale is within this
#: margin of the best finalist's (or its fit failed there): the second fit changes the choice only
#: among near-ties, and skipping it for the others saves about a third of the search's time; 4 was
#: chosen on validation holdouts (benchmarks/RESULTS.md); 2 broke the scale invariance on airline
_SCALE_MARGIN = 4.0


class HoltWintersForecaster(BaseForecaster):
    __doc__ = f"""Holt-Winters (ETS) exponential smoothing with automatic component choice.

    Each of ``error``, ``trend``, ``damped_trend`` and ``seasonal`` may be
    fixed or ``"auto"``; the ``"auto"`` ones are chosen by minimising
    ``information_criterion`` over the admissible ETS models, like R's
    ``ets()``:

    * multiplicative seasonality or multiplicative errors only for strictly
      positive data (requesting them explicitly on other data is an error);
    * seasonal models only when ``seasonal_periods > 1`` and the series
      holds at least two full seasons;
    * in the automatic search, multiplicative seasonality is paired with
      multiplicative errors only (R excludes additive-error/multiplicative-
      season models, whose forecast variance can be infinite);
    * a model is skipped when it has as many parameters as observations
      minus one (the AICc is undefined).

    Every model's initial states are estimated with its smoothing
    parameters by maximum likelihood. For speed, when more than two seasonal
    models are candidates they are first ranked by fits whose initial states
    come from a heuristic decomposition (the ``m - 1`` initial seasonal
    states are then not optimised; they still count as parameters in the
    criterion), and only the best two are fitted in full.

    Prediction intervals: for the linear models ETS(A,N,N), (A,A,N),
    (A,Ad,N), (A,N,A), (A,A,A) and (A,Ad,A) the analytic forecast variance
    (Gaussian errors); for the others, quantiles of 1000 simulated future
    paths (seeded by ``random_state``). With a Box-Cox transform the
    interval bounds and the (median) forecasts are back-transformed.

    Parameters
    ----------
    trend : {{None, "add", "auto"}}, default="auto"
        Trend component.
    damped_trend : bool or "auto", default="auto"
        Damp the trend (only with a trend; ``"auto"`` tries both).
    seasonal : {{None, "add", "mul", "auto"}}, default="auto"
        Seasonal component (needs a season length ``m > 1``; with ``m = 1``,
        ``"auto"`` means none).
{SEASONAL_PERIODS_DOC}
    error : {{"add", "mul", "auto"}}, default="auto"
        Error type of the state-space model; ``"auto"`` tries both (only
        ``"add"`` for data that are not all positive).
    use_boxcox : bool or float, default=False
        Fit on the Box-Cox transform of ``y``: ``True`` estimates lambda by
        maximum likelihood (scipy), a float fixes it. Needs positive data.
    information_criterion : {{"aicc", "aic", "bic"}}, default="aicc"
        Criterion used by the automatic choice.
    random_state : int, RandomState instance or None, default=0
        Seed of the simulated prediction intervals (models without an
        analytic variance). The default makes repeated calls give the same
        intervals; ``None`` draws fresh randomness on each call.
{FORECASTER_PARAMS_DOC}

    Attributes
    ----------
    error_, trend_, damped_trend_, seasonal_ : str, None or bool
        The chosen components.
    seasonal_periods_ : int
        The season length used (see ``seasonal_periods``).
    model_ : statsmodels ETSResults
        The fitted (chosen) model, in the data's units; each model is fitted
        on the series divided by powers of two, so that the same series in
        other units gets the same model. For a series beyond 1e100 (or below
        1e-100) ``model_`` stays in those scaled units while forecasts,
        intervals and criteria are in the data's units.
    aicc_, aic_, bic_ : float
        Criteria of the chosen model (on the transformed scale with Box-Cox).
    boxcox_lambda_ : float or None
        The Box-Cox lambda used, ``None`` without transform.
    n_models_ : int
        Number of models fitted by the search.

    Examples
    --------
    >>> from tsforecast import HoltWintersForecaster
    >>> from tsforecast.datasets import load_airline
    >>> f = HoltWintersForecaster(seasonal_periods=12).fit(load_airline())
    >>> f.error_, f.trend_, f.damped_trend_, f.seasonal_
    ('mul', 'add', False, 'mul')
    >>> f.predict(3).round(0).tolist()
    [443.0, 436.0, 499.0]

    Without ``seasonal_periods`` the season comes from the index frequency
    (monthly: 12), so the default finds the same model:

    >>> g = HoltWintersForecaster().fit(load_airline())
    >>> g.seasonal_periods_, g.seasonal_
    (12, 'mul')
    """

    _parameter_constraints = {
        "trend": [StrOptions({"add", "auto"}), None],
        "damped_trend": ["boolean", StrOptions({"auto"})],
        "seasonal": [StrOptions({"add", "mul", "auto"}), None],
        "seasonal_periods": [Interval(Integral, 1, None, closed="left"), None],
        "error": [StrOptions({"add", "mul", "auto"})],
        "use_boxcox": ["boolean", Interval(Real, None, None, closed="neither")],
        "information_criterion": [StrOptions({"aicc", "aic", "bic"})],
        "random_state": ["random_state"],
        **FORECASTER_PARAMS_CONSTRAINTS,
    }

    def __init__(
        self,
        trend="auto",
        damped_trend="auto",
        seasonal="auto",
        seasonal_periods=None,
        error="auto",
        use_boxcox=False,
        information_criterion="aicc",
        random_state=0,
        horizon=1,
        n_jobs=None,
    ):
        self.trend = trend
        self.damped_trend = damped_trend
        self.seasonal = seasonal
        self.seasonal_periods = seasonal_periods
        self.error = error
        self.use_boxcox = use_boxcox
        self.information_criterion = information_criterion
        self.random_state = random_state
        self.horizon = horizon
        self.n_jobs = n_jobs

    def _min_length(self):
        return 3

    # ------------------------------------------------------------ candidates
    def _candidates(self, z, n):
        """Admissible (error, trend, damped, seasonal) combinations for series ``z``."""
        m = self.seasonal_periods_
        positive = bool(np.all(z > 0))
        if self.seasonal in ("add", "mul"):
            if m < 2:
                why = " (the series has no index frequency to take it from)" if self.seasonal_periods is None else ""
                raise ValueError(
                    f"seasonal={self.seasonal!r} needs seasonal_periods >= 2; got seasonal_periods={m}{why}."
                )
            if n < 2 * m:
                raise ValueError(
                    f"seasonal={self.seasonal!r} needs at least two full seasons: y has {n} observations "
                    f"but seasonal_periods={m} needs at least {2 * m}."
                )
        where = " (after the Box-Cox transform)" if self._lambda is not None else ""
        if self.seasonal == "mul" and not positive:
            raise ValueError(
                f"seasonal='mul' needs strictly positive data; y{where} has minimum {z.min():g}. "
                "Use seasonal='add'."
            )
        if self.error == "mul" and not positive:
            raise ValueError(
                f"error='mul' needs strictly positive data; y{where} has minimum {z.min():g}. Use error='add'."
            )
        damped_fixed = not isinstance(self.damped_trend, str)
        if damped_fixed and bool(self.damped_trend) and self.trend is None:
            raise ValueError("damped_trend=True needs a trend; set trend='add' or 'auto'.")

        if self.error == "auto":
            errors = ["add", "mul"] if positive else ["add"]
        else:
            errors = [self.error]
        trends = [None, "add"] if self.trend == "auto" else [self.trend]
        if self.seasonal == "auto":
            seasonals = [None]
            if m >= 2 and n >= 2 * m:
                seasonals += ["add", "mul"] if positive else ["add"]
        else:
            seasonals = [self.seasonal]
        out = []
        for err, tr, se in itertools.product(errors, trends, seasonals):
            if self.seasonal == "auto" and se == "mul" and err == "add" and self.error == "auto":
                continue  # R's restriction: no additive error with multiplicative season
            if tr is None:
                damps = [False]
            elif not damped_fixed:  # "auto"
                damps = [False, True]
            else:
                damps = [bool(self.damped_trend)]
            for dp in damps:
                out.append((err, tr, dp, se))
        return out, m

    # -------------------------------------------------------------------- fit
    def _fit(self, y, X):
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        n = y.size
        self.seasonal_periods_ = season_length(self)
        self._lambda = None
        z = y
        if self.use_boxcox is not False:
            if np.any(y <= 0):
                raise ValueError(f"use_boxcox needs strictly positive data; y has minimum {y.min():g}.")
            from scipy.stats import boxcox

            if self.use_boxcox is True:
                if np.all(y == y[0]):
                    lam = 1.0
                else:
                    with np.errstate(all="ignore"):
                        _, lam = boxcox(y)
            else:
                lam = float(self.use_boxcox)
            self._lambda = float(lam)
            z = boxcox(y, lmbda=self._lambda)
        cands, m = self._candidates(z, n)
        crit = self.information_criterion
        # fit every model at the scales of _SCALE_OFFSETS (powers of two keep the values exact)
        e = power_of_two_exponent(float(np.max(np.abs(z))))
        scales = [math.ldexp(1.0, e + off) for off in _SCALE_OFFSETS]
        endogs = {sc: pd.Series(z / sc) for sc in scales}  # statsmodels' ETS prediction needs a pandas endog
        errors = []

        def fit_one(spec, init, scales=scales):
            """(model, params, scale, log-likelihood in the units of z) of the best start, or None.

            Only the parameters are estimated (``return_params``): statsmodels' results object
            (a smoothing pass and a complex-step Hessian) is built for the chosen model alone.
            """
            err, tr, dp, se = spec
            best = None
            for sc in scales:
                try:
                    mod = ETSModel(
                        endogs[sc],
                        error=err,
                        trend=tr,
                        damped_trend=dp,
                        seasonal=se,
                        seasonal_periods=m if se else None,
                        initialization_method=init,
                    )
                    params = mod.fit(disp=False, return_params=True)
                    llf = float(mod.loglike(params)) - n * math.log(sc)
                except (ValueError, np.linalg.LinAlgError, ZeroDivisionError) as exc:
                    errors.append(f"ETS({err}, {tr}, damped={dp}, {se}): {exc}")
                    continue
                # a fit with a non-finite likelihood (e.g. a constant series) is kept only if alone
                if best is None or (np.isfinite(llf) and not llf <= best[3]):
                    best = (mod, params, sc, llf)
            return best

        with quiet(one_thread=True):
            cands = [c for c in cands if len(cands) == 1 or _n_params(c[1], c[2], c[3], m) < n - 1]
            n_fitted = 0
            seasonal = [c for c in cands if c[3]]
            finalists = [c for c in cands if not c[3]]  # cheap: fitted in full
            if len(seasonal) > _N_REFIT:
                # seasonal models have m - 1 initial seasonal states to optimise:
                # rank them by fits with heuristic initial states (only the
                # smoothing parameters optimised, ~10x faster), counting the
                # initial states as parameters, and refit the best few in full
                ranked = []
                for spec in seasonal:
                    fit = fit_one(spec, "heuristic", scales[:1]) if n >= 2 * m + 10 else None
                    n_fitted += fit is not None
                    k = _n_params(spec[1], spec[2], spec[3], m)
                    ic = np.inf if fit is None else information_criterion(crit, fit[3], k, n)
                    ranked.append((ic, spec))
                ranked.sort(key=lambda t: t[0])
                finalists += [spec for ic, spec in ranked[:_N_REFIT]]
                finalists += [spec for ic, spec in ranked[_N_REFIT:] if not np.isfinite(ic)]
            else:
                finalists += seasonal

            def ic_of(fit):
                mod, params, sc, llf = fit
                return _criterion(mod, llf + n * math.log(sc), crit) + 2.0 * n * math.log(sc)  # in z's units

            # every finalist at the first scale; the other scales only for the contenders (criterion
            # within _SCALE_MARGIN of the best) and for fits that failed there
            first = [(spec, fit_one(spec, "estimated", scales[:1])) for spec in finalists]
            lead = min((ic_of(fit) for spec, fit in first if fit is not None), default=np.inf)
            best, best_ic = None, np.inf
            for spec, fit in first:
                failed = fit is None or not np.isfinite(fit[3])
                if len(scales) > 1 and (failed or ic_of(fit) <= lead + _SCALE_MARGIN):
                    other = fit_one(spec, "estimated", scales[1:])
                    if other is not None and (fit is None or (np.isfinite(other[3]) and not other[3] <= fit[3])):
                        fit = other
                if fit is None:
                    continue
                n_fitted += 1
                ic = ic_of(fit)
                if best is None or ic < best_ic:
                    best, best_ic = (spec, (fit[0], fit[1]), fit[2]), ic
        if best is None:
            detail = f" ({errors[0]})" if errors else ""
            raise ValueError(
                f"no exponential smoothing model could be fitted to this series of {n} observations{detail}."
            )
        (err, tr, dp, se), (mod, params), scale = best
        with quiet(one_thread=True):
            res = mod.smooth(params)
        self.error_, self.trend_, self.damped_trend_, self.seasonal_ = err, tr, bool(dp), se
        res, self._y_scale = _to_data_units(res, ETSModel, z, (err, tr, dp, se), m, scale)
        self.model_ = res
        # a fit left in scaled units (y_scale != 1): its likelihood is n * log(y_scale) above the data's
        shift = 2.0 * n * math.log(self._y_scale)
        self.aic_ = float(res.aic) + shift
        self.bic_ = float(res.bic) + shift
        self.aicc_ = float(res.aicc) + shift if np.isfinite(res.aicc) else np.inf
        self.boxcox_lambda_ = self._lambda
        self.n_models_ = n_fitted
        return self

    # ---------------------------------------------------------------- predict
    def _back(self, v):
        if self._lambda is None:
            return v
        from scipy.special import inv_boxcox

        with np.errstate(all="ignore"):
            return inv_boxcox(v, self._lambda)

    def _predict(self, steps, X):
        h = int(np.max(steps))
        with quiet():
            fc = np.asarray(self.model_.forecast(h), float) * getattr(self, "_y_scale", 1.0)
        return self._back(fc)[steps - 1]

    def _predict_interval(self, steps, coverage, X):
        h = int(np.max(steps))
        n = self.model_.model.nobs
        rng = self.random_state
        if not isinstance(rng, (np.random.Generator, np.random.RandomState)):
            rng = np.random.default_rng(rng)
        with quiet(one_thread=True):
            seed = seed_arguments(self.model_.simulate, rng)
            pred = self.model_.get_prediction(start=n, end=n + h - 1, **seed)
            pi = pred.pred_int(alpha=1 - coverage)
        lower, upper = interval_at(pi, steps)
        k = getattr(self, "_y_scale", 1.0)
        return self._back(lower * k), self._back(upper * k)


def _to_data_units(res, ets_model, z, spec, m, scale):
    """``(results, y_scale)``: the fit on ``z / scale`` re-expressed on ``z`` itself (``y_scale=1``).

    The smoothing and damping parameters and multiplicative seasonal factors are unit-free; the
    initial level, trend and additive seasonal states are multiplied by ``scale``. Data beyond
    1e100 (or below 1e-100) keep the scaled fit, whose forecasts are multiplied by ``y_scale``.
    """
    if scale == 1.0 or not 1e-100 < scale < 1e100:
        return res, scale
    err, tr, dp, se = spec
    params = np.array(res.params, float)
    for i, name in enumerate(res.model.param_names):
        if name in ("initial_level", "initial_trend") or (se == "add" and name.startswith("initial_seasonal")):
            params[i] *= scale
    try:
        with quiet(one_thread=True):
            mod = ets_model(pd.Series(z), error=err, trend=tr, damped_trend=dp, seasonal=se,
                            seasonal_periods=m if se else None)
            out = mod.smooth(params)
    except (ValueError, np.linalg.LinAlgError, ZeroDivisionError):
        return res, scale
    if not np.isfinite(out.llf):
        return res, scale
    return out, 1.0


def _n_params(trend, damped, seasonal, m):
    """Free parameters of an ETS model (smoothing, damping, initial states, variance)."""
    k = 1 + 1 + 1  # alpha, initial level, sigma2
    if trend:
        k += 2 + (1 if damped else 0)  # beta, initial slope, phi
    if seasonal:
        k += 1 + (m - 1)  # gamma, initial seasonal states (one is implied)
    return k


def _criterion(model, llf, crit):
    """statsmodels' criterion of an ETS fit (``ETSResults.aicc`` etc.) from its model and log-likelihood."""
    from statsmodels.tools import eval_measures

    val = float(getattr(eval_measures, crit)(llf, model.nobs, model.k_params + 1))
    return val if math.isfinite(val) else np.inf

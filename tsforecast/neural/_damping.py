"""``LSTMForecaster(damping="auto")`` on one series: the damping its own held-out windows prefer.

A network fitted to one short series either learns a steady trend (airline's growth), which damping
only bends away from the truth, or noise that it then extends, which damping tames. Which of the two
happened shows on the series' held-out windows (the last ones, kept out of the first training to
calibrate the intervals): their forecasts are made once per candidate damping
(:data:`SERIES_DAMPING_CANDIDATES`), and the candidate with the smallest mean scaled absolute error
wins (:func:`choose_damping`); ties go to the weaker damping. With several input windows
(``estimators_``) the members' errors are averaged, weighted by their numbers of networks, so that one
damping serves them all.
"""

from __future__ import annotations

import numpy as np

__all__ = ["SERIES_DAMPING_CANDIDATES", "candidate_residuals", "choose_damping"]

#: ``damping="auto"`` on small data with one series: the dampings compared on its held-out windows
SERIES_DAMPING_CANDIDATES = (1.0, 0.95, 0.9)


def candidate_residuals(forecaster, residuals, candidates=SERIES_DAMPING_CANDIDATES):
    """``{damping: calibration residuals}`` of ``forecaster``'s held-out windows, one set per candidate.

    ``residuals()`` computes the held-out windows' residuals (e.g. with
    :func:`~._conformal.calibration_residuals`) under ``forecaster.damping_``, or ``None`` when
    nothing is held out (then this returns ``None``). ``forecaster.damping_`` is left at the last
    candidate; the caller sets the chosen one.
    """
    out = {}
    for phi in candidates:
        forecaster.damping_ = float(phi)
        res = residuals()
        if res is None:
            return None
        out[float(phi)] = res
    return out


def choose_damping(members):
    """Pick one damping for the fitted forecasters ``members`` from their candidate residuals.

    Each member holds ``_damping_residuals`` (``{damping: residuals}``, or ``None`` when it held
    nothing out) and ``n_estimators_``. Sets each member's ``damping_`` and, from the chosen
    candidate's residuals, its ``calibration_residuals_``. Returns ``(damping, errors)``: the chosen
    damping (1 when no member held windows out) and ``{damping: mean scaled absolute error}``
    averaged over the members weighted by their networks (``None`` without held-out windows).
    """
    scored = [m for m in members if getattr(m, "_damping_residuals", None)]
    errors = None
    phi = 1.0
    if scored:
        weights = np.array([m.n_estimators_ for m in scored], dtype=float)
        weights /= weights.sum()
        candidates = list(scored[0]._damping_residuals)
        errors = {c: float(sum(w * np.mean(m._damping_residuals[c]) for w, m in zip(weights, scored)))
                  for c in candidates}
        # the weakest damping among the smallest errors (candidates run from weak to strong damping)
        best = min(errors.values())
        phi = next(c for c in sorted(candidates, reverse=True) if errors[c] <= best)
    for m in members:
        m.damping_ = phi
        residuals = getattr(m, "_damping_residuals", None)
        if residuals:
            m.calibration_residuals_ = residuals[phi]
        m._damping_residuals = None  # not kept in the fitted model (pickles stay small)
    return phi, errors

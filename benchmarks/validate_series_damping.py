"""Damping of one series' LSTM forecasts chosen on its held-out windows: validation only.

Fits the default ``LSTMForecaster(horizon=h, random_state=0)`` to each series alone and forecasts
its validation holdout (never a test window) once with the damping ``damping="auto"`` chose and once
with each candidate damping forced (the same fitted networks, ``damping_`` set before ``predict``),
beside Theta and Holt-Winters. The row ``ets_rule`` is an alternative that was measured and not adopted:
0.9 unless the automatic ETS search (the Holt-Winters row's model) keeps an undamped trend, else 1. Prints OWA (mean sMAPE and MASE against Naive2) per row and how often
each damping was chosen, and saves every forecast and held-out error for other selection rules.

Series sets (``--set``):

* ``bundled``: the 48 forecasts of ``validate_small_lstm.py`` (16 bundled series without their last
  3h points, 3 origins each); OWA pooled and the mean of the 5 per-dataset OWAs.
* ``Month``, ``Quart``, ``Year``, ``Other``: a sheet of M3 (``--data``, not shipped, see
  ``bench_m3.py``), about ``--n-series`` series, each without its test values and then its last h
  values (the validation holdout).

    cd benchmarks && nice ../.venv/bin/python validate_series_damping.py --set bundled --save /tmp/damp_bundled.npz
    cd benchmarks && nice ../.venv/bin/python validate_series_damping.py --set Month --data M3Month.csv --save /tmp/damp_M.npz
"""
import argparse, json, time, warnings

import numpy as np

from tsforecast import HoltWintersForecaster, LSTMForecaster, Naive2Forecaster, ThetaForecaster
from tsforecast.metrics import mase, smape
from tsforecast.neural._damping import SERIES_DAMPING_CANDIDATES


def series_sets(args):
    """``(dataset, name, train, truth, m, h)`` per forecast."""
    if args.set == "bundled":
        from validate_small_lstm import series
        return series()
    import bench_m3
    freq, h, m = bench_m3.SHEETS[args.set]
    train, truth = bench_m3.split(bench_m3.load(args.data, args.set), "validation", h, args.n_series)
    return [(args.set, k, y, truth[k], m, h) for k, y in train.items()]


def forecasts_per_damping(est, h):
    """``{damping: forecast}`` of the fitted ``est`` for each candidate, and ``damping_`` restored."""
    members = est.estimators_ or [est]
    chosen = est.damping_
    out = {}
    for phi in SERIES_DAMPING_CANDIDATES:
        for m in members:
            m.damping_ = phi
        out[phi] = np.asarray(est.predict(h), float)
    for m in members:
        m.damping_ = chosen
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--set", default="bundled", choices=["bundled", "Month", "Quart", "Year", "Other"])
    p.add_argument("--data")
    p.add_argument("--n-series", type=int, default=100)
    p.add_argument("--save")
    args = p.parse_args()
    S = series_sets(args)
    rows = {k: [] for k in ["auto", *SERIES_DAMPING_CANDIDATES, "ets_rule", "theta", "hw", "naive2"]}
    chosen, errors, t_lstm = [], [], 0.0
    for i, (_, name, tr, te, m, h) in enumerate(S):
        season = {"seasonal_periods": m} if not hasattr(tr, "index") else {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t0 = time.process_time()
            est = LSTMForecaster(horizon=h, random_state=0, **season).fit(tr)
            t_lstm += time.process_time() - t0
            rows["auto"].append(np.asarray(est.predict(h), float))
            for phi, f in forecasts_per_damping(est, h).items():
                rows[phi].append(f)
            rows["theta"].append(np.asarray(ThetaForecaster(horizon=h, **season).fit(tr).predict(h), float))
            hw = HoltWintersForecaster(horizon=h, **season).fit(tr)
            rows["hw"].append(np.asarray(hw.predict(h), float))
            # the alternative rule (not adopted): 0.9 unless exponential smoothing keeps an undamped trend
            steady = hw.trend_ == "add" and not hw.damped_trend_
            rows["ets_rule"].append(rows[1.0 if steady else 0.9][-1])
            rows["naive2"].append(np.asarray(Naive2Forecaster(horizon=h, seasonal_periods=m).fit(tr).predict(h), float))
        chosen.append(est.damping_)
        errors.append([np.nan] * len(SERIES_DAMPING_CANDIDATES) if est.damping_errors_ is None
                      else [est.damping_errors_[c] for c in SERIES_DAMPING_CANDIDATES])
        if (i + 1) % 10 == 0:
            print(f"{i + 1}/{len(S)} series, {t_lstm:.0f} CPU s in LSTM fits", flush=True)
    datasets = np.array([d for d, *_ in S])
    trains = [np.asarray(tr, float) for _, _, tr, *_ in S]
    truths = [np.asarray(te, float) for _, _, _, te, *_ in S]
    ms = [m for *_, m, _ in S]
    sm = {k: np.array([smape(t, f) for t, f in zip(truths, v)]) for k, v in rows.items()}
    ma = {k: np.array([mase(t, f, y_train=tr, m=m) for t, f, tr, m in zip(truths, v, trains, ms)]) for k, v in rows.items()}

    def owa(k, sel):
        return 0.5 * (sm[k][sel].mean() / sm["naive2"][sel].mean() + ma[k][sel].mean() / ma["naive2"][sel].mean())

    for k in rows:
        if k == "naive2":
            continue
        per = {d: round(owa(k, datasets == d), 3) for d in dict.fromkeys(datasets)}
        label = {"theta": "theta", "hw": "hw", "ets_rule": "lstm, 0.9 unless ETS keeps an undamped trend"}
        print(json.dumps({"row": label.get(k, f"lstm damping={k}"),
                          "owa": round(owa(k, slice(None)), 3), "smape": round(float(sm[k].mean()), 3),
                          "mase": round(float(ma[k].mean()), 3),
                          **({"dataset_mean": round(float(np.mean(list(per.values()))), 3), **per} if len(per) > 1 else {})}))
    print(json.dumps({"chosen": {str(c): chosen.count(c) for c in sorted(set(chosen))},
                      "lstm_cpu_s_per_series": round(t_lstm / len(S), 1)}))
    if args.save:
        np.savez(args.save, datasets=datasets, names=np.array([n for _, n, *_ in S]), chosen=np.array(chosen),
                 errors=np.array(errors), candidates=np.array(SERIES_DAMPING_CANDIDATES),
                 smape=np.array([sm[k] for k in rows]), mase=np.array([ma[k] for k in rows]),
                 rows=np.array([str(k) for k in rows]))


if __name__ == "__main__":
    main()

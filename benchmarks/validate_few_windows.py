"""One series at a time: the few-windows rule of the automatic window (R19) against the rule switched off.

Validation only (each series' last ``h`` training values held out; never a test value). For a sheet of M3
(``--data``, not shipped, see ``bench_m3.py``), finds the series whose automatic settings the rule changes
(``_auto.FEW_WINDOWS_FACTOR``: on small data without a season, a ``max(2h, 8)`` window that leaves fewer
than 2 training windows per input value becomes ``max(h, 8)``), takes every ``--every``-th of them from
``--start``, and fits ``LSTMForecaster(horizon=h, random_state=0)`` to each twice: with the rule
(``FEW_WINDOWS_FACTOR`` as shipped) and without it (``FEW_WINDOWS_FACTOR = 0``, the former default). Series
the rule does not change would get the same forecasts both ways and are not fitted. Prints the OWA of
both (and Theta's) against Naive2 with the sheet's season; ``--save`` keeps every forecast.

The nineteenth session's confirmation (``benchmarks/RESULTS.md``, "Few training windows"):

    cd benchmarks && nice ../.venv/bin/python validate_few_windows.py --data M3Year.csv --sheet Year --start 3 --step 6
    cd benchmarks && nice ../.venv/bin/python validate_few_windows.py --data M3Other.csv --sheet Other --start 1 --step 2 --every 3
    cd benchmarks && nice ../.venv/bin/python validate_few_windows.py --data M3Month.csv --sheet Month --start 7 --step 14 --every 3
    cd benchmarks && nice ../.venv/bin/python validate_few_windows.py --data M3Quart.csv --sheet Quart --start 3 --step 7 --every 3
"""
import argparse
import time
import warnings

import numpy as np

import bench_m3
import tsforecast.neural._auto as auto
from tsforecast import LSTMForecaster, Naive2Forecaster, ThetaForecaster
from tsforecast.metrics import mase, smape
from tsforecast.neural._seasonal import any_seasonal

SHIPPED = auto.FEW_WINDOWS_FACTOR


def windows(y, m, h, factor):
    """The networks' windows of a default fit of ``y`` with ``FEW_WINDOWS_FACTOR = factor``."""
    auto.FEW_WINDOWS_FACTOR = factor
    kw = dict(window="auto", patch="auto", strategy="auto", units="auto", epochs="auto", n_estimators="auto",
              m=m, horizon=h, lengths=[len(y)], validation_fraction=0.1, window_scales="auto")
    s = auto.forecaster_settings(**kw)
    if s.small_data and not any_seasonal([np.asarray(y, float)], [m]):
        s = auto.forecaster_settings(**kw, seasonal=False)
    return s.windows


def owa(truths, trains, m, forecasts, naive2):
    def mean_errors(F):
        return (np.mean([smape(t, f) for t, f in zip(truths, F)]),
                np.mean([mase(t, f, y_train=x, m=m) for t, f, x in zip(truths, F, trains)]))
    s, q = mean_errors(forecasts)
    s2, q2 = mean_errors(naive2)
    return 0.5 * (s / s2 + q / q2)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True)
    p.add_argument("--sheet", choices=sorted(bench_m3.SHEETS), required=True)
    p.add_argument("--start", type=int, default=0, help="the sheet's series [start::step] are candidates")
    p.add_argument("--step", type=int, default=1)
    p.add_argument("--every", type=int, default=1, help="fit every N-th series the rule changes")
    p.add_argument("--save")
    args = p.parse_args()
    freq, h, m = bench_m3.SHEETS[args.sheet]
    train, truth = bench_m3.split(bench_m3.load(args.data, args.sheet), "validation", h)
    names = list(train)[args.start::args.step]
    changed = [n for n in names if windows(train[n], m, h, 0) != windows(train[n], m, h, SHIPPED)]
    fitted = changed[::args.every]
    print(f"{args.sheet}: the rule changes {len(changed)} of {len(names)} series; fitting {len(fitted)}", flush=True)
    season = {"seasonal_periods": m} if freq is None else {}
    F = {"off": [], "rule": [], "theta": [], "naive2": []}
    cpu = {"off": 0.0, "rule": 0.0}
    for n in fitted:
        y = train[n]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for k, factor in (("off", 0), ("rule", SHIPPED)):
                auto.FEW_WINDOWS_FACTOR = factor
                t0 = time.process_time()
                F[k].append(np.asarray(LSTMForecaster(horizon=h, random_state=0, **season).fit(y).predict(h), float))
                cpu[k] += time.process_time() - t0
            auto.FEW_WINDOWS_FACTOR = SHIPPED
            F["theta"].append(np.asarray(ThetaForecaster(horizon=h, **season).fit(y).predict(h), float))
            F["naive2"].append(np.asarray(Naive2Forecaster(horizon=h, seasonal_periods=m).fit(y).predict(h), float))
        print(n, len(y), {k: round(smape(truth[n], v[-1]), 2) for k, v in F.items()}, flush=True)
    truths, trains = [truth[n] for n in fitted], [np.asarray(train[n], float) for n in fitted]
    for k in ("off", "rule", "theta"):
        print(f"{k}: OWA {owa(truths, trains, m, F[k], F['naive2']):.3f}")
    better = sum(smape(t, a) < smape(t, b) for t, a, b in zip(truths, F["rule"], F["off"]))
    print(f"the rule's sMAPE is smaller on {better} of {len(fitted)}; CPU s per series "
          f"{ {k: round(v / max(len(fitted), 1), 1) for k, v in cpu.items()} }")
    if args.save:
        np.savez(args.save, names=np.array(fitted), truth=np.array(truths, dtype=object),
                 train=np.array(trains, dtype=object), **{k: np.array(v, dtype=object) for k, v in F.items()})


if __name__ == "__main__":
    main()

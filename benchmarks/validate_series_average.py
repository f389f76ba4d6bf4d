"""One series at a time: LSTMForecaster configurations and the mean of their forecasts, validation only.

Fits ``LSTMForecaster(horizon=h, random_state=0, **config)`` for each named configuration to each series
alone and forecasts its validation holdout (never a test window), beside Theta and Naive2. Prints the OWA
(mean sMAPE and MASE against Naive2) of every configuration and of the plain mean of all the
configurations' forecasts (the row ``mean``), pooled and, on the bundled set, per dataset and their mean.
Every forecast is saved (``--save``) so that other combinations can be scored later without refitting.

The series sets are those of ``validate_series_damping.py`` (``--set bundled`` for the 48 forecasts of
``validate_small_lstm.py``; ``Month``, ``Quart``, ``Year``, ``Other`` for about ``--n-series`` series of a
sheet of M3, ``--data``, not shipped, see ``bench_m3.py``; ``Weekly`` for ``--n-series`` M4 Weekly series evenly
spaced through the 359, each without its last 13 training values, with season 52 for the models and 1 for
Naive2 and MASE as in M4; ``--data`` the M4 folder, by default ``../shared/data/m4``). ``--configs`` is a JSON object
``{name: params}``; ``--load`` adds the forecasts of a former ``--save`` (same set) instead of refitting
those configurations.

    cd benchmarks && nice ../.venv/bin/python validate_series_average.py --set bundled \\
        --configs '{"window": {}, "last": {"normalize": "last"}}' --save /tmp/avg_bundled.npz
    cd benchmarks && nice ../.venv/bin/python validate_series_average.py --set Month --data M3Month.csv \\
        --configs '{"window": {}, "last": {"normalize": "last"}}'
    cd benchmarks && nice ../.venv/bin/python validate_series_average.py --set Weekly --n-series 40
"""
import argparse
import json
import time
import warnings

import numpy as np

from tsforecast import LSTMForecaster, Naive2Forecaster, ThetaForecaster
from tsforecast.metrics import mase, smape
from validate_series_damping import series_sets


def weekly_set(args):
    """``(dataset, name, train, truth, m, h)`` of about ``--n-series`` M4 Weekly series, and the season
    length of Naive2 and MASE (1, as in M4)."""
    from bench_m4_lstm import DEFAULT_DATA, SETTINGS, split

    h, m_model, m_score = SETTINGS["Weekly"]
    train, truth = split("Weekly", "validation", args.data or DEFAULT_DATA, None, h)
    names = list(train)
    names = [names[i] for i in np.unique(np.linspace(0, len(names) - 1, min(args.n_series, len(names))).astype(int))]
    return [("Weekly", k, train[k].to_numpy(), truth[k], m_model, h) for k in names], m_score


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--set", default="bundled", choices=["bundled", "Month", "Quart", "Year", "Other", "Weekly"])
    p.add_argument("--data")
    p.add_argument("--n-series", type=int, default=100)
    p.add_argument("--configs", default='{"window": {}, "last": {"normalize": "last"}}')
    p.add_argument("--load", help="an .npz of a former --save whose configurations are reused")
    p.add_argument("--save")
    p.add_argument("--part", default="1/1", help="K/N: only every N-th series from the K-th (runs in parallel)")
    args = p.parse_args()
    configs = json.loads(args.configs)
    S, m_score = weekly_set(args) if args.set == "Weekly" else (series_sets(args), None)
    k, n = (int(v) for v in args.part.split("/"))
    S = S[k - 1::n]
    names = np.array([n for _, n, *_ in S])
    F = {k: [] for k in configs}
    loaded = {}
    if args.load:
        old = np.load(args.load, allow_pickle=True)
        if not np.array_equal(old["names"], names):
            raise SystemExit(f"{args.load} holds other series than --set {args.set}")
        loaded = {k: list(old[k]) for k in json.loads(str(old["configs"])) if k not in configs}
    F.update({"theta": [], "naive2": []})
    cpu = {k: 0.0 for k in configs}
    for i, (_, name, tr, te, m, h) in enumerate(S):
        season = {"seasonal_periods": m} if not hasattr(tr, "index") else {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for k, params in configs.items():
                t0 = time.process_time()
                est = LSTMForecaster(horizon=h, **{"random_state": 0, **season, **params}).fit(tr)
                F[k].append(np.asarray(est.predict(h), float))
                cpu[k] += time.process_time() - t0
            F["theta"].append(np.asarray(ThetaForecaster(horizon=h, **season).fit(tr).predict(h), float))
            F["naive2"].append(np.asarray(Naive2Forecaster(horizon=h, seasonal_periods=m_score or m).fit(tr).predict(h), float))
        if (i + 1) % 10 == 0:
            print(f"{i + 1}/{len(S)} series, CPU s {json.dumps({k: round(v) for k, v in cpu.items()})}", flush=True)
    F.update(loaded)
    members = [*configs, *loaded]
    F["mean"] = [np.mean(fs, axis=0) for fs in zip(*(F[k] for k in members))]
    datasets = np.array([d for d, *_ in S])
    trains = [np.asarray(tr, float) for _, _, tr, *_ in S]
    truths = [np.asarray(te, float) for _, _, _, te, *_ in S]
    ms = [m_score or m for *_, m, _ in S]
    sm = {k: np.array([smape(t, f) for t, f in zip(truths, v)]) for k, v in F.items()}
    ma = {k: np.array([mase(t, f, y_train=x, m=m) for t, f, x, m in zip(truths, v, trains, ms)]) for k, v in F.items()}

    def owa(k, sel):
        return 0.5 * (sm[k][sel].mean() / sm["naive2"][sel].mean() + ma[k][sel].mean() / ma["naive2"][sel].mean())

    for k in [*members, "mean", "theta"]:
        per = {d: round(owa(k, datasets == d), 3) for d in dict.fromkeys(datasets)}
        print(json.dumps({"row": k, "owa": round(owa(k, slice(None)), 3), "smape": round(float(sm[k].mean()), 3),
                          "mase": round(float(ma[k].mean()), 3),
                          **({"dataset_mean": round(float(np.mean(list(per.values()))), 3), **per}
                             if len(per) > 1 else {})}))
    print(json.dumps({"lstm_cpu_s_per_series": {k: round(v / len(S), 1) for k, v in cpu.items()}}))
    if args.save:
        np.savez(args.save, names=names, datasets=datasets, configs=json.dumps(members),
                 **{k: np.array(v, dtype=object) for k, v in F.items() if k not in ("theta", "naive2", "mean")})


if __name__ == "__main__":
    main()
